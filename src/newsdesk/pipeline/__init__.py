"""The per-article pipeline: the stage protocol, the registry of stages and the runner."""

from newsdesk.pipeline.registry import available_stages
from newsdesk.pipeline.runner import DEFAULT_STAGES, EXTRACT_STAGES, INGEST_FIELDS, Pipeline
from newsdesk.pipeline.stage import Stage

__all__ = [
    "DEFAULT_STAGES",
    "EXTRACT_STAGES",
    "INGEST_FIELDS",
    "Pipeline",
    "Stage",
    "available_stages",
]
