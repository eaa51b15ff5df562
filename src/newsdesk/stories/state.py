"""Saving and reloading a story clusterer, so a large store need not refit for one article.

The state is flattened to plain values (ints, floats, strings, bytes, lists, dicts, tuples)
and pickled; loading refuses every class or function reference, so a tampered blob cannot
run code. Typed arrays travel as bytes. Format 2 leaves out the per-doc vectors (they live in
the clusterer's vector source); format 3 adds the docs' and stories' leads. Older states still
load: a format-1 state's vectors are handed to the source, and stories and docs saved before
leads have none (their stories gain a profile as new articles join).
"""

from __future__ import annotations

import gc
import io
import math
import pickle
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from newsdesk.stories.centroids import DocTable, Story, legacy_vectors
from newsdesk.stories.similarity import Weights
from newsdesk.stories.vectors import VectorSource

if TYPE_CHECKING:
    from newsdesk.stories.cluster import StoryClusterer

K = TypeVar("K", int, str)

MAGIC = b"newsdesk-stories\x00"
FORMAT = 3
READABLE = (1, 2, 3)  # format 1 kept the doc vectors inside the doc table; 3 added leads


class _PlainUnpickler(pickle.Unpickler):
    """An unpickler for plain values only: any global reference is an error."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"story state may not reference {module}.{name}")


def dump(clusterer: StoryClusterer) -> bytes:
    """The clusterer's state as bytes."""
    payload = {
        "format": FORMAT,
        "settings": asdict(clusterer.settings),
        "terms": "\n".join(clusterer.stats.terms),
        "df": array("q", clusterer.stats.df).tobytes(),
        "n_docs": clusterer.stats.docs,
        "docs": clusterer.docs.to_record(),
        "stories": clusterer.story_by_id.to_record(),
        "index": clusterer.index.to_record(lambda keys: array("q", keys).tobytes()),
        "actor_index": clusterer.actor_index.to_record("\x00".join),
        "merged_into": clusterer.merged_into,
        "copies": clusterer.copies,
        "clock": clusterer.clock,
        "next_seq": clusterer.next_seq,
    }
    return MAGIC + pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def load(
    cls: type[StoryClusterer], data: bytes, *, vectors: VectorSource | None = None
) -> StoryClusterer:
    """The clusterer :func:`dump` saved, reading doc vectors from ``vectors``; ValueError for
    bytes it did not write."""
    collecting = gc.isenabled()
    gc.disable()  # loading makes many objects and no cycles: skip the collector's passes
    try:
        return _load(cls, data, vectors)
    finally:
        if collecting:
            gc.enable()


def _load(cls: type[StoryClusterer], data: bytes, vectors: VectorSource | None) -> StoryClusterer:
    from newsdesk.stories.cluster import Settings

    if not data.startswith(MAGIC):
        raise ValueError("not a saved story clusterer")
    try:
        payload = _PlainUnpickler(io.BytesIO(data[len(MAGIC) :])).load()
    except (pickle.UnpicklingError, EOFError, ValueError) as error:
        raise ValueError(f"corrupt story clusterer state: {error}") from error
    if not isinstance(payload, dict) or payload.get("format") not in READABLE:
        raise ValueError("unsupported story clusterer state format")
    options = dict(payload["settings"])
    options["weights"] = Weights(**options["weights"])
    clusterer = cls(settings=Settings(**options), vectors=vectors)
    stats = clusterer.stats
    stats.terms = payload["terms"].split("\n") if payload["terms"] else []
    stats.ids = {term: n for n, term in enumerate(stats.terms)}
    stats.df = array("q", payload["df"]).tolist()
    stats.docs = payload["n_docs"]
    clusterer.docs = DocTable.from_record(payload["docs"])
    if payload["format"] == 1:
        for doc_id, vector in legacy_vectors(payload["docs"]):
            clusterer.vectors.put(doc_id, vector)
    if payload["format"] == 1:
        for record in payload["stories"]:
            story = Story.from_record(record)
            clusterer.story_by_id[story.id] = story
    else:
        clusterer.story_by_id = StoryTable.from_record(
            payload["stories"], kinds=len(_KINDS) if payload["format"] >= 3 else 3
        )
    if payload["format"] == 1:
        index = {t: set(array("q", sids)) for t, sids in payload["index"].items()}
        actor_index = {a: set(array("q", s)) for a, s in payload["actor_index"].items()}
        clusterer.index, clusterer.actor_index = (
            Postings.from_sets(index),
            Postings.from_sets(actor_index),
        )
    else:
        terms = array("q", payload["index"]["keys"]).tolist()
        actors = payload["actor_index"]["keys"]
        clusterer.index = Postings.from_record(payload["index"], terms)
        clusterer.actor_index = Postings.from_record(
            payload["actor_index"], actors.split("\x00") if actors else []
        )
    clusterer.merged_into = dict(payload["merged_into"])
    clusterer.copies = {k: list(v) for k, v in payload["copies"].items()}
    clusterer.clock = payload["clock"]
    clusterer.next_seq = payload["next_seq"]
    return clusterer


class Postings(Generic[K]):
    """An inverted index (key -> story ids) kept packed in flat columns as saved; a key's set
    is unpacked when it is changed, and saving appends only the changed keys as new rows
    (compacting when superseded rows pile up). Reads (:meth:`get`) never unpack."""

    def __init__(self) -> None:
        self.keys: list[K] = []  # the key of each row
        self.ends: array[int] = array("q")
        self.flat: array[int] = array("q")
        self.row: dict[K, int] = {}  # key -> its packed row
        self.live: dict[K, set[int]] = {}  # keys unpacked (to change them) since the save

    def get(self, key: K, default: Iterable[int] = ()) -> Iterable[int]:
        found = self.live.get(key)
        if found is not None:
            return found
        row = self.row.get(key)
        return default if row is None else self.flat[self._start(row) : self.ends[row]]

    def _start(self, row: int) -> int:
        return self.ends[row - 1] if row else 0

    def __getitem__(self, key: K) -> set[int]:
        found = self.live.get(key)
        if found is None:
            row = self.row[key]
            found = self.live[key] = set(self.flat[self._start(row) : self.ends[row]])
        return found

    def setdefault(self, key: K, default: set[int]) -> set[int]:
        return self[key] if key in self else self.live.setdefault(key, default)

    def __delitem__(self, key: K) -> None:
        if self.live.pop(key, None) is None and key not in self.row:
            raise KeyError(key)
        self.row.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self.live or key in self.row

    def __iter__(self) -> Iterator[K]:
        yield from self.row
        yield from (key for key in self.live if key not in self.row)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def items(self) -> Iterator[tuple[K, set[int]]]:
        return ((key, set(self.get(key))) for key in list(self))

    def _pack(self, key: K, ids: Iterable[int]) -> int:
        self.keys.append(key)
        self.flat.extend(sorted(ids))
        self.ends.append(len(self.flat))
        return len(self.keys) - 1

    def to_record(self, keys: Callable[[list[K]], Any]) -> dict[str, Any]:
        """The packed columns, ``keys`` turning the list of row keys into plain values."""
        for key, ids in self.live.items():
            self.row[key] = self._pack(key, ids)
        self.live = {}
        if len(self.keys) > max(1000, 5 * len(self.row) // 4):
            kept = [(key, self.flat[self._start(r) : self.ends[r]]) for key, r in self.row.items()]
            self.keys, self.ends, self.flat = [], array("q"), array("q")
            self.row = {key: self._pack(key, ids) for key, ids in kept}
        rows = array("q", self.row.values())
        return {"keys": keys(self.keys), "ends": self.ends.tobytes(),
                "ids": self.flat.tobytes(), "rows": rows.tobytes()}  # fmt: skip

    @classmethod
    def from_record(cls, record: dict[str, Any], keys: list[K]) -> Postings[K]:
        index = cls()
        index.keys = keys
        index.ends.frombytes(record["ends"])
        index.flat.frombytes(record["ids"])
        index.row = {keys[row]: row for row in array("q", record["rows"])}
        return index

    @classmethod
    def from_sets(cls, sets: dict[K, set[int]]) -> Postings[K]:
        index = cls()
        index.live = sets
        return index


_PACKED = {  # the columns of StoryTable's packed stories, and their typecodes
    "ids": "q", "seqs": "q", "originals": "q", "first": "d", "last": "d",
    "member_ends": "q", "members": "q", "centroid_ends": "q", "centroid_terms": "i",
    "centroid_weights": "f", "index_ends": "q", "index_terms": "i", "item_ends": "q",
    "counts": "q", "live_rows": "q",
}  # fmt: skip
_KINDS = ("actors", "events", "places", "leads")  # format 2 saved the first three


class StoryTable:
    """Live stories by id. Stories a saved state held stay packed in columns (rows) until one
    is read; saving appends a row only for a story that changed and rewrites the columns when
    superseded rows pile up, so a reload, an add and a save cost little at 100k articles."""

    def __init__(self) -> None:
        self.cols: dict[str, array[Any]] = {name: array(code) for name, code in _PACKED.items()}
        self.names: list[str] = []  # the actors, events and places of every row, in order
        self.row: dict[int, int] = {}  # story id -> its packed row
        self.live: dict[int, Story] = {}  # stories read or made since loading
        self.changed: set[int] = set()  # stories changed since loading or the last save

    def __getitem__(self, story_id: int) -> Story:
        story = self.live.get(story_id)
        if story is None:
            story = self.live[story_id] = self._unpack(self.row[story_id])
        return story

    def __setitem__(self, story_id: int, story: Story) -> None:
        self.live[story_id] = story
        self.changed.add(story_id)

    def __delitem__(self, story_id: int) -> None:
        if self.live.pop(story_id, None) is None and story_id not in self.row:
            raise KeyError(story_id)
        self.row.pop(story_id, None)

    def __contains__(self, story_id: int) -> bool:
        return story_id in self.live or story_id in self.row

    def __iter__(self) -> Iterator[int]:
        yield from self.row
        yield from (sid for sid in self.live if sid not in self.row)

    def __len__(self) -> int:
        return len(self.row) + sum(1 for sid in self.live if sid not in self.row)

    def values(self) -> Iterator[Story]:
        return (self[sid] for sid in list(self))

    def items(self) -> Iterator[tuple[int, Story]]:
        return ((sid, self[sid]) for sid in list(self))

    def span(self, story_id: int) -> tuple[float | None, float | None]:
        """A story's first and last time, without unpacking it."""
        story = self.live.get(story_id)
        if story is not None:
            return story.first, story.last
        row = self.row[story_id]
        first, last = self.cols["first"][row], self.cols["last"][row]
        return None if math.isnan(first) else first, None if math.isnan(last) else last

    def seq(self, story_id: int) -> int:
        """A story's creation order, without unpacking it."""
        story = self.live.get(story_id)
        return story.seq if story is not None else self.cols["seqs"][self.row[story_id]]

    def _span(self, ends: str, row: int) -> slice:
        found = self.cols[ends]
        return slice(found[row - 1] if row else 0, found[row])

    def _unpack(self, row: int) -> Story:
        c = self.cols
        first, last = c["first"][row], c["last"][row]
        story = Story(id=c["ids"][row], seq=c["seqs"][row], originals=c["originals"][row],
                      first=None if math.isnan(first) else first,
                      last=None if math.isnan(last) else last)  # fmt: skip
        story.members = c["members"][self._span("member_ends", row)].tolist()
        centroid = self._span("centroid_ends", row)
        story.centroid_terms = c["centroid_terms"][centroid]
        story.centroid_weights = c["centroid_weights"][centroid]
        story.index_terms = tuple(c["index_terms"][self._span("index_ends", row)])
        for n, kind in enumerate(_KINDS):
            items = self._span("item_ends", len(_KINDS) * row + n)
            counts = c["counts"][items]
            setattr(story, kind, dict(zip(self.names[items], counts, strict=True)))
        return story

    def _pack(self, story: Story) -> int:
        """Append a story as a new row; return the row."""
        c = self.cols
        row = len(c["ids"])
        for name, value in (("ids", story.id), ("seqs", story.seq),
                            ("originals", story.originals)):  # fmt: skip
            c[name].append(value)
        c["first"].append(math.nan if story.first is None else story.first)
        c["last"].append(math.nan if story.last is None else story.last)
        for ends, name, values in (
            ("member_ends", "members", story.members),
            ("centroid_ends", "centroid_terms", story.centroid_terms),
            ("index_ends", "index_terms", story.index_terms),
        ):
            c[name].extend(values)
            c[ends].append(len(c[name]))
        c["centroid_weights"].extend(story.centroid_weights)
        for kind in _KINDS:
            items: dict[str, int] = getattr(story, kind)
            self.names.extend(name.replace("\x00", "\ufffd") for name in items)
            c["counts"].extend(items.values())
            c["item_ends"].append(len(c["counts"]))
        return row

    def to_record(self) -> dict[str, Any]:
        """The packed columns (changed stories packed again, rows compacted when needed)."""
        for sid, story in self.live.items():
            if sid in self.changed or sid not in self.row:
                self.row[sid] = self._pack(story)
        self.changed = set()
        if len(self.cols["ids"]) > max(1000, 5 * len(self.row) // 4):
            self._compact()
        self.cols["live_rows"] = array("q", self.row.values())
        self.live = {}  # every story is packed as it is now: read again on demand
        record: dict[str, Any] = {name: col.tobytes() for name, col in self.cols.items()}
        record["names"] = "\x00".join(self.names)
        return record

    def _compact(self) -> None:
        """Keep only the live rows, in the order of ``row``."""
        stories = [self.live.get(sid) or self._unpack(row) for sid, row in self.row.items()]
        self.cols = {name: array(code) for name, code in _PACKED.items()}
        self.names = []
        self.row = {story.id: self._pack(story) for story in stories}

    @classmethod
    def from_record(cls, record: dict[str, Any], kinds: int = len(_KINDS)) -> StoryTable:
        """The table :meth:`to_record` wrote; ``kinds`` item lists per row (3 before leads,
        whose rows each gain an empty list of leads)."""
        table = cls()
        for name in _PACKED:
            table.cols[name].frombytes(record[name])
        if kinds < len(_KINDS):
            ends, widened = table.cols["item_ends"], array("q")
            for row in range(len(ends) // kinds):
                spans = ends[row * kinds : (row + 1) * kinds]
                widened.extend(spans)
                widened.extend([spans[-1]] * (len(_KINDS) - kinds))
            table.cols["item_ends"] = widened
        table.names = record["names"].split("\x00") if table.cols["counts"] else []
        ids = table.cols["ids"]
        table.row = {ids[row]: row for row in table.cols["live_rows"]}
        return table
