"""Golden checks of the extract stage on the bundled sample corpus, against its gold file.

Exact fields (title, site, authors, date and its provenance, related-link count) come from
the hand-written corpus sources; bodies are checked with must-contain / must-not-contain
segments, trafilatura-style, so a related block leaking into a body fails here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import InputError
from newsdesk.pipeline import Pipeline
from newsdesk.service import demo_corpus
from tests.conftest import corpus_article

GOLD = demo_corpus() / "gold.json"


def _cases() -> list[str]:
    import json

    if not GOLD.exists():
        return []
    return sorted(json.loads(GOLD.read_text()))


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_config()


@pytest.mark.parametrize("case", _cases())
def test_corpus_page_matches_gold(
    case: str, gold: dict[str, dict[str, Any]], corpus: Path, pipeline: Pipeline
) -> None:
    expected = gold[case]
    try:
        article = pipeline(corpus_article(corpus / case))
    except InputError as exc:  # pragma: no cover - a failure message, not a branch
        pytest.fail(f"{case}: {exc}")
    assert article.title == expected["title"]
    if "site" in expected and not case.endswith(".txt"):
        assert article.site == expected["site"]
    assert list(article.authors) == expected.get("authors", [])
    published = expected.get("published") or None
    got = article.published.value.isoformat() if article.published.value else None
    if published is None:
        assert got is None, f"invented date {got} from {article.published.source}"
    else:
        assert datetime.fromisoformat(got or "") == datetime.fromisoformat(published)
        assert article.published.source.value == expected["published_source"]
    if expected.get("canonical_url"):
        assert article.canonical_url == expected["canonical_url"]
    for segment in expected.get("must_contain", []):
        assert segment in article.text, f"missing from body: {segment!r}"
    for segment in expected.get("must_not_contain", []):
        assert segment not in article.text, f"leaked into body: {segment!r}"
    assert len(article.related_links) == expected["related_link_count"]
    if article.language is not None:
        assert article.language == "en"


def test_corpus_is_big_enough(gold: dict[str, dict[str, Any]]) -> None:
    pages = [c for c in gold if c.startswith("pages/")]
    outlets = {c.split("/")[1] for c in pages}
    scrapes = [c for c in gold if c.startswith("scrapes/")]
    assert len(pages) >= 40
    assert len(outlets) >= 6
    assert len(scrapes) >= 3
