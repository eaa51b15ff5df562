"""The actors stage: one actor per person or organisation, with titles, variants and pronouns."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.model import Article
from newsdesk.names import fold, slug
from tests.stages.enrich import enrich, seed_text, span_of

SEED_PEOPLE = {
    "vladimir-medinsky": "presidential adviser",
    "alexander-fomin": "Deputy Defence Minister",
    "marco-rubio": "Secretary of State",
    "steve-witkoff": "senior envoy",
    "keith-kellogg": "senior envoy",
    "andriy-sybiha": "Foreign Minister",
    "vladimir-putin": "President",
    "donald-trump": "former U.S. President",
    "volodymyr-zelensky": "President",
}


@pytest.fixture(scope="module")
def seeded(seed: Path) -> tuple[str, Article]:
    text = seed_text(seed)
    return text, enrich(text)


def test_seed_people_are_one_actor_each_with_their_title(seeded: tuple[str, Article]) -> None:
    _, article = seeded
    people = {a.key: a for a in article.actors if a.kind == "person"}
    assert set(people) == set(SEED_PEOPLE)
    for key, title in SEED_PEOPLE.items():
        assert title in people[key].titles, key
    assert people["andriy-sybiha"].affiliation == "Ukraine"
    assert people["volodymyr-zelensky"].aliases == ("Volodymyr Zelenskiy", "Zelenskiy")
    assert people["alexander-fomin"].sector == "government"


def test_seed_metonyms_resolve_to_governments(seeded: tuple[str, Article]) -> None:
    text, article = seeded
    by_span = {(m.start, m.end): m.actor for m in article.mentions}
    assert by_span[span_of(text, "Kremlin")] == "russia-government"
    assert by_span[span_of(text, "Kyiv")] == "ukraine-government"
    assert by_span[span_of(text, "Moscow", 1)] == "russia-government"  # "Moscow has ... offered"
    assert span_of(text, "Moscow", 0) not in by_span  # "are in Moscow": a place, not an actor


def test_seed_pronouns_resolve_to_zelenskiy(seeded: tuple[str, Article]) -> None:
    text, article = seeded
    quote_end = text.index("are in Moscow,”") + len("are in Moscow,”")
    he = text.index("he said", quote_end)
    by_span = {(m.start, m.end): m for m in article.mentions}
    assert by_span[(he, he + 2)].actor == "volodymyr-zelensky"
    assert by_span[(he, he + 2)].kind == "pronoun"
    his = text.index("On his way") + 3
    assert by_span[(his, his + 3)].actor == "volodymyr-zelensky"


def test_every_mention_span_indexes_the_text(seeded: tuple[str, Article]) -> None:
    text, article = seeded
    keys = {a.key for a in article.actors}
    for mention in article.mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.actor in keys


def test_spelling_variants_and_descriptions_merge() -> None:
    text = (
        "President Volodymyr Zelenskyy met Turkish President Recep Tayyip Erdogan in Ankara. "
        "Zelensky said the talks mattered. Later, the Ukrainian president flew home, while "
        "Erdoğan stayed in the capital."
    )
    article = enrich(text)
    people = {a.key: a for a in article.actors if a.kind == "person"}
    assert set(people) == {"volodymyr-zelensky", "recep-tayyip-erdogan"}
    assert people["recep-tayyip-erdogan"].affiliation == "Turkey"
    description = [m for m in article.mentions if m.kind == "description"]
    assert [(m.text, m.actor) for m in description] == [
        ("the Ukrainian president", "volodymyr-zelensky")
    ]


def test_unknown_people_get_keys_from_their_names() -> None:
    article = enrich("Finance Minister Ilse Varga resigned. Varga said she was tired.")
    (actor,) = [a for a in article.actors if a.kind == "person"]
    assert actor.key == "ilse-varga"
    assert actor.titles == ("Finance Minister",)
    she = next(m for m in article.mentions if m.kind == "pronoun")
    assert she.actor == "ilse-varga"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Zelenskiy", "Zelenskyy"), ("Zelensky", "Zelenskiy"), ("Andrii", "Andriy"),
     ("Erdoğan", "Erdogan"), ("Putin's", "Putin")],
)  # fmt: skip
def test_fold_makes_spelling_variants_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)
    assert slug(a) == slug(b)
