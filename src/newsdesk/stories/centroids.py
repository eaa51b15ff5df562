"""The compact per-story and per-doc state the clusterer keeps, packed so 100k articles fit."""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsdesk.stories.vectors import Sparse


def pack(vector: Mapping[int, float]) -> tuple[array[int], array[float]]:
    """A sparse vector as two parallel typed arrays (term ids ascending, float32 weights)."""
    ids = sorted(vector)
    return array("i", ids), array("f", (vector[t] for t in ids))


def unpack(terms: array[int], weights: array[float]) -> Sparse:
    """The sparse vector two parallel arrays hold."""
    return dict(zip(terms, weights, strict=True))


def bump(counts: dict[str, int], items: Iterable[str], limit: int) -> None:
    """Count ``items`` into ``counts``, keeping only the ``limit`` most frequent (ties by name)."""
    add_counts(counts, dict.fromkeys(items, 1), limit)


def add_counts(
    counts: dict[str, int], extra: Mapping[str, int], limit: int | None, sign: int = 1
) -> None:
    """Add (``sign`` -1: take away) weighted counts, dropping what falls to zero and keeping
    only the ``limit`` heaviest (ties by name; None keeps all)."""
    for item, weight in extra.items():
        left = counts.get(item, 0) + sign * weight
        if left > 0:
            counts[item] = left
        else:
            counts.pop(item, None)
    if limit is not None and len(counts) > limit:
        kept = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        counts.clear()
        counts.update(kept)


@dataclass(slots=True)
class Story:
    """One story: its members in arrival order, its centroid and what its articles share.

    ``centroid_terms``/``centroid_weights`` hold the sum of the members' unit term-frequency
    vectors truncated to the heaviest terms; ``index_terms`` are the terms under which the
    inverted index lists this story. ``first``/``last`` are POSIX seconds (None: no dated
    member yet); ``seq`` orders stories by creation, which decides who survives a merge.
    """

    id: int
    seq: int
    members: list[int] = field(default_factory=list)
    originals: int = 0  # members that are not syndicated copies
    centroid_terms: array[int] = field(default_factory=lambda: array("i"))
    centroid_weights: array[float] = field(default_factory=lambda: array("f"))
    index_terms: tuple[int, ...] = ()
    first: float | None = None
    last: float | None = None
    actors: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    leads: dict[str, int] = field(default_factory=dict)  # lead name -> weight (lead_counts)

    def centroid(self) -> Sparse:
        """The centroid as a sparse vector."""
        return unpack(self.centroid_terms, self.centroid_weights)

    def set_centroid(self, vector: Mapping[int, float]) -> None:
        """Store a new (already truncated) centroid."""
        self.centroid_terms, self.centroid_weights = pack(vector)

    def see(self, when: float | None) -> None:
        """Stretch the story's time span to cover ``when``."""
        if when is None:
            return
        self.first = when if self.first is None else min(self.first, when)
        self.last = when if self.last is None else max(self.last, when)

    def absorb(self, other: Story, limit: int) -> None:
        """Take in a story merged into this one: members, span and shared items."""
        self.members.extend(other.members)
        self.originals += other.originals
        self.see(other.first)
        self.see(other.last)
        for mine, theirs in (
            (self.actors, other.actors),
            (self.events, other.events),
            (self.places, other.places),
            (self.leads, other.leads),
        ):
            merged = Counter(mine)
            merged.update(theirs)
            mine.clear()
            mine.update(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])

    def to_record(self) -> tuple[object, ...]:
        """The story as plain values (ints, floats, bytes, dicts) for persistence."""
        return (
            self.id,
            self.seq,
            array("q", self.members).tobytes(),
            self.originals,
            self.centroid_terms.tobytes(),
            self.centroid_weights.tobytes(),
            array("i", self.index_terms).tobytes(),
            self.first,
            self.last,
            self.actors,
            self.events,
            self.places,
        )

    @classmethod
    def from_record(cls, record: tuple[Any, ...]) -> Story:
        """The story :meth:`to_record` wrote."""
        (sid, seq, members, originals, terms, weights, index, first, last, actors, events,
         places) = record  # fmt: skip
        story = cls(id=sid, seq=seq, originals=originals, first=first, last=last)
        story.members = array("q", members).tolist()
        story.centroid_terms = array("i", terms)
        story.centroid_weights = array("f", weights)
        story.index_terms = tuple(array("i", index))
        story.actors, story.events, story.places = actors, events, places
        return story


NO_DOC = -(2**63)  # copy_of of a doc that is not a copy


class DocTable:
    """Per-doc facts in parallel typed arrays (ids, story, time, original), so saving and
    reloading 100k docs is a few array copies, not 100k objects, and each doc's lead names.
    Doc vectors live apart (a :class:`~newsdesk.stories.vectors.VectorSource`): joining never
    reads them."""

    __slots__ = ("copy_of", "ids", "leads", "row", "stories", "when")
    ARRAYS = ("copy_of", "ids", "stories", "when")

    def __init__(self) -> None:
        self.row: dict[int, int] = {}
        self.ids: array[int] = array("q")
        self.stories: array[int] = array("q")  # the story each doc joined (resolve merges)
        self.when: array[float] = array("d")  # POSIX seconds; NaN when undated
        self.copy_of: array[int] = array("q")  # the original's id, NO_DOC for an original
        self.leads: list[str] = []  # the doc's lead names joined by LEAD_SEP ("" for none)

    def __contains__(self, doc_id: int) -> bool:
        return doc_id in self.row

    def __len__(self) -> int:
        return len(self.ids)

    def add(
        self, doc_id: int, story: int, when: float | None, copy_of: int | None,
        leads: Iterable[str] = (),
    ) -> None:  # fmt: skip
        """Append one doc."""
        self.row[doc_id] = len(self.ids)
        self.ids.append(doc_id)
        self.stories.append(story)
        self.when.append(math.nan if when is None else when)
        self.copy_of.append(NO_DOC if copy_of is None else copy_of)
        self.leads.append(LEAD_SEP.join(_plain(lead) for lead in leads))

    def story(self, doc_id: int) -> int:
        return self.stories[self.row[doc_id]]

    def original(self, doc_id: int) -> int | None:
        """The id of the doc this one copies, None for an original."""
        found = self.copy_of[self.row[doc_id]]
        return None if found == NO_DOC else found

    def leads_of(self, doc_id: int) -> tuple[str, ...]:
        """A doc's lead names, its main subject first."""
        joined = self.leads[self.row[doc_id]]
        return tuple(joined.split(LEAD_SEP)) if joined else ()

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {name: getattr(self, name).tobytes() for name in self.ARRAYS}
        record["leads"] = DOC_SEP.join(self.leads)
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> DocTable:
        """The table :meth:`to_record` wrote; a state saved before leads gives every doc none."""
        table = cls()
        for name in cls.ARRAYS:
            getattr(table, name).frombytes(record[name])
        table.row = dict(zip(table.ids, range(len(table.ids)), strict=True))
        leads = record.get("leads")
        table.leads = leads.split(DOC_SEP) if leads is not None and table.ids else []
        if len(table.leads) != len(table.ids):
            table.leads = [""] * len(table.ids)
        return table


LEAD_SEP, DOC_SEP = "\x1f", "\x1e"


def _plain(name: str) -> str:
    """A lead name without the separators the packed table uses."""
    return name.replace(LEAD_SEP, " ").replace(DOC_SEP, " ")


def legacy_vectors(record: Mapping[str, bytes]) -> Iterator[tuple[int, Sparse]]:
    """The doc vectors a format-1 state kept inside its doc table (copies have none)."""
    ids, ends, terms, weights = array("q"), array("q"), array("i"), array("f")
    for arr, name in ((ids, "ids"), (ends, "ends"), (terms, "terms"), (weights, "weights")):
        arr.frombytes(record[name])
    start = 0
    for doc_id, end in zip(ids, ends, strict=True):
        if end > start:
            yield doc_id, unpack(terms[start:end], weights[start:end])
        start = end
