"""The entities stage: spaCy's named entities with the label errors it makes on news fixed.

The small English model types titles as organisations ("Deputy *Defence* Minister",
"Secretary of *State*"), country adjectives as places ("Ukrainian"), and the same surname as a
person in one sentence and an organisation in the next ("Zelenskiy"). Fixes, in order:
entities inside a title before a person are dropped; demonyms become NORP; a name that is a
person's full name or surname elsewhere in the article becomes PERSON (document-level
consistency); surnames of the article's people that the model missed are added.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any, ClassVar

from newsdesk.model import Article, Entity
from newsdesk.stages.actors.known import known_actors
from newsdesk.stages.actors.titles import lexicon, title_before
from newsdesk.stages.nlp import shared_parser
from newsdesk.stages.places.gazetteer import shared_gazetteer

KEPT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)


class EntityStage:
    """Fill ``entities`` with typed spans, corrected for the model's usual news errors."""

    name: ClassVar[str] = "entities"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset({"text"})
    provides: ClassVar[frozenset[str]] = frozenset({"entities"})

    def __init__(self, *, model: str | None = None) -> None:
        self.model = model

    def __call__(self, article: Article) -> Article:
        """Parse the text and keep corrected entities."""
        if not article.text:
            return dataclasses.replace(article, entities=())
        doc = shared_parser(self.model)(article.text)
        return dataclasses.replace(article, entities=tuple(fix_entities(doc)))


def fix_entities(doc: Any) -> list[Entity]:
    """The document's entities with title, demonym and consistency fixes applied."""
    lex = lexicon()
    titles = []
    for ent in doc.ents:
        if ent.label_ == "PERSON" and (title := title_before(doc, ent.start)) is not None:
            titles.append((title.start, title.end))
    people_names = _person_names(doc)
    lowered_words = {t.text for t in doc if t.is_lower}
    found: list[Entity] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        if ent.label_ != "PERSON" and any(s <= start and end <= e for s, e in titles):
            continue  # "Defence" in "Deputy Defence Minister": part of a title, not an org
        label, source = ent.label_, "model"
        lowered = ent.text.lower()
        known = known_actors().find(ent.text)
        if label == "PERSON" and (not_a_person := _not_a_person(ent, known, lowered_words)):
            if not_a_person == "drop":
                continue
            label, source = not_a_person, "rule"
        elif (
            label in ("GPE", "ORG", "PERSON")
            and lowered in lex.demonyms
            and " " not in lowered
            and not (ent.text.isupper() or "." in ent.text)  # "U.S.", "UK" are countries
        ):
            label, source = "NORP", "rule"
        elif label in ("ORG", "GPE", "NORP") and _is_person_name(ent.text, people_names):
            label, source = "PERSON", "rule"
        found.append(
            Entity(text=ent.text, start=start, end=end, label=label, source=source,
                   confidence=0.85 if source == "model" else 0.75)
        )  # fmt: skip
    found.extend(_missed_surnames(doc, found, people_names))
    return sorted(found, key=lambda e: (e.start, e.end))


def _not_a_person(ent: Any, known: Any, lowered_words: set[str]) -> str | None:
    """Why a PERSON entity is not a person: the label it should have, "drop", or None.

    A capital or country of the known-actors table or the gazetteer ("Kyiv", "Austria"), a
    place after a preposition ("in Kherson"), a name after "the" ("the Bosphorus"), or a
    capitalised common word that the text also writes in lower case ("Demands").
    """
    if known is not None and known.kind == "government":
        return "GPE"
    if known is not None:
        return None
    first = ent.doc[ent.start - 1] if ent.start > 0 else None
    if first is not None and first.lower_ == "the":
        return "LOC"
    if len(ent) == 1:
        if ent.text.lower() in lowered_words:
            return "drop"
        kinds = {m.candidate.kind for m in shared_gazetteer().lookup(ent.text)}
        if "country" in kinds:
            return "GPE"
        if kinds and ent.root.dep_ == "pobj":
            return "GPE"
    return None


def _person_names(doc: Any) -> Counter[str]:
    """Full names and surnames the model tagged as people, with how often."""
    names: Counter[str] = Counter()
    known = known_actors()
    for ent in doc.ents:
        found = known.find(ent.text)
        if found is not None and found.kind != "person":
            continue  # "Kyiv" tagged as a person is a capital, and not a surname to spread
        if ent.label_ == "PERSON" and ent.text[:1].isupper():
            names[ent.text] += 1
            parts = ent.text.split()
            if len(parts) > 1:
                names[parts[-1]] += 1
    return names


def _is_person_name(text: str, people: Counter[str]) -> bool:
    text = text.removeprefix("the ").removesuffix("'s").strip()
    return (bool(text) and people[text] > 0 and " " not in text) or text in people


def _missed_surnames(doc: Any, found: list[Entity], people: Counter[str]) -> list[Entity]:
    """Capitalised tokens equal to a surname of the article's people that no entity covers."""
    surnames = {name for name in people if " " not in name and len(name) > 2}
    covered = [(e.start, e.end) for e in found]
    added = []
    for token in doc:
        if token.text in surnames and token.is_title and token.ent_type_ == "":
            start, end = token.idx, token.idx + len(token.text)
            if not any(s <= start < e for s, e in covered):
                added.append(
                    Entity(text=token.text, start=start, end=end, label="PERSON",
                           source="rule", confidence=0.7)
                )  # fmt: skip
    return added
