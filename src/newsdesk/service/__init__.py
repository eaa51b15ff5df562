"""The service layer: the ``Newsdesk`` object whose methods are newsdesk's use cases."""

from newsdesk.service.desk import (
    ArticleView,
    Newsdesk,
    OpmlImport,
    demo_corpus,
    extract_articles,
)
from newsdesk.service.ingestion import IngestReport, NoProgress, ProgressSink

__all__ = [
    "ArticleView",
    "IngestReport",
    "Newsdesk",
    "NoProgress",
    "OpmlImport",
    "ProgressSink",
    "demo_corpus",
    "extract_articles",
]
