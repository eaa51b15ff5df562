"""The service layer: the ``Newsdesk`` object whose methods are newsdesk's use cases."""

from newsdesk.service.desk import ActorView, ArticleView, Newsdesk, OpmlImport
from newsdesk.service.ingestion import IngestReport, NoProgress, ProgressSink
from newsdesk.service.offline import analyze_articles, demo_corpus, extract_articles

__all__ = [
    "ActorView",
    "ArticleView",
    "IngestReport",
    "Newsdesk",
    "NoProgress",
    "OpmlImport",
    "ProgressSink",
    "analyze_articles",
    "demo_corpus",
    "extract_articles",
]
