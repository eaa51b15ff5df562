"""The per-article pipeline: the stage protocol, the registry of stages and the runner."""

from newsdesk.pipeline.registry import available_stages
from newsdesk.pipeline.runner import INGEST_FIELDS, Pipeline
from newsdesk.pipeline.stage import Stage

__all__ = ["INGEST_FIELDS", "Pipeline", "Stage", "available_stages"]
