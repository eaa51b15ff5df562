"""The entities stage: spaCy's entities with its usual news label errors fixed."""

from __future__ import annotations

from pathlib import Path

from newsdesk.model import Article
from newsdesk.stages.entities import EntityStage
from tests.stages.enrich import enrich, seed_text


def labels(article: Article, text: str) -> set[str]:
    return {e.label for e in article.entities if e.text == text}


def test_seed_titles_are_not_organisations(seed: Path) -> None:
    article = enrich(seed_text(seed))
    assert "Defence" not in {e.text for e in article.entities}
    assert "State" not in {e.text for e in article.entities}


def test_seed_document_level_consistency_and_demonyms(seed: Path) -> None:
    article = enrich(seed_text(seed))
    assert labels(article, "Zelenskiy") == {"PERSON"}
    assert labels(article, "Trump") == {"PERSON"}
    assert labels(article, "Ukrainian") == {"NORP"}
    assert labels(article, "Kyiv") == {"GPE"}
    assert labels(article, "U.S.") == {"GPE"}
    fixed = [e for e in article.entities if e.source == "rule"]
    assert fixed
    assert all(e.confidence < 0.85 for e in fixed)


def test_every_entity_span_indexes_the_text(seed: Path) -> None:
    text = seed_text(seed)
    for entity in enrich(text).entities:
        assert text[entity.start : entity.end] == entity.text


def test_missed_surname_is_added() -> None:
    text = (
        "Prime Minister Jonas Ekholm arrived on Monday. Critics said Ekholm had waited too long,"
        " and Ekholm did not answer questions."
    )
    article = EntityStage()(Article(url="u", text=text))
    people = [e for e in article.entities if e.label == "PERSON"]
    assert len([e for e in people if e.text == "Ekholm"]) == 2


def test_empty_text_has_no_entities() -> None:
    assert EntityStage()(Article(url="u", text="")).entities == ()
