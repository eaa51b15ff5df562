"""Shared fixtures: a fresh store and desk per test, the bundled corpus and its gold file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk.ingest.decoding import decode_html, decode_text
from newsdesk.model import Article, RawKind
from newsdesk.pipeline import Pipeline
from newsdesk.service import Newsdesk, demo_corpus
from newsdesk.store import Store

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_af8fc840142a3874.txt"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "test.db")
    yield opened
    opened.close()


@pytest.fixture
def desk(store: Store) -> Iterator[Newsdesk]:
    opened = Newsdesk(store)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def corpus() -> Path:
    return demo_corpus()


@pytest.fixture(scope="session")
def gold(corpus: Path) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads((corpus / "gold.json").read_text())
    return data


@pytest.fixture(scope="session")
def seed() -> Path:
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED}")
    return SEED


@pytest.fixture(scope="session")
def analysed_corpus(
    corpus: Path, gold: dict[str, dict[str, Any]]
) -> list[tuple[dict[str, Any], Article]]:
    """Every gold article of the sample corpus through the full pipeline, once per session."""
    pipeline = Pipeline.from_config()
    return [
        (expected, pipeline(corpus_article(corpus / case)))
        for case, expected in sorted(gold.items())
    ]


def corpus_article(path: Path) -> Article:
    """A corpus file as ingest would hand it to the pipeline (decoded, not yet extracted)."""
    body = path.read_bytes()
    if path.suffix == ".txt":
        kind, raw = RawKind.TEXT, decode_text(body)[0]
    else:
        kind, raw = RawKind.HTML, decode_html(body)[0]
    return Article(url=path.resolve().as_uri(), source=str(path), raw=raw, raw_kind=kind)
