"""Extraction and analysis without a database: `newsdesk extract`, `newsdesk analyze`, the demo."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from importlib.resources import files
from pathlib import Path

from newsdesk.errors import InputError, StageError
from newsdesk.ingest.files import iter_sources
from newsdesk.model import Article, RawDocument
from newsdesk.pipeline import EXTRACT_STAGES, Pipeline
from newsdesk.service.ingestion import to_article


def with_hint(doc: RawDocument, key: str, value: str) -> RawDocument:
    """``doc`` with one more fact its container knew."""
    return replace(doc, hints=(*doc.hints, (key, value)))


def demo_corpus() -> Path:
    """The bundled sample corpus shipped inside the package."""
    return Path(str(files("newsdesk").joinpath("demo")))


def extract_articles(
    paths: Sequence[Path],
    *,
    pipeline: Pipeline | None = None,
    published: datetime | None = None,
) -> Iterator[Article | InputError]:
    """Extract every item under ``paths`` without a database; errors are yielded, not raised.

    ``published`` stands in for the publication date of pages that carry none.
    """
    pipeline = pipeline or Pipeline.from_config(EXTRACT_STAGES)
    for item in iter_sources(paths):
        if isinstance(item, InputError):
            yield item
            continue
        if published is not None:
            item = with_hint(item, "published", published.isoformat())
            item = with_hint(item, "container", "user")
        try:
            yield pipeline(to_article(item))
        except InputError as exc:
            yield exc
        except StageError as exc:
            yield InputError(item.origin, f"{exc.stage}: {exc.reason}")


def analyze_articles(
    paths: Sequence[Path], *, published: datetime | None = None
) -> Iterator[Article | InputError]:
    """Extract and enrich every item under ``paths`` with the full pipeline, storing nothing."""
    return extract_articles(paths, pipeline=Pipeline.from_config(), published=published)
