"""Saving and reloading a story clusterer, so a large store need not refit for one article.

The state is flattened to plain values (ints, floats, strings, bytes, lists, dicts, tuples)
and pickled; loading refuses every class or function reference, so a tampered blob cannot
run code. Typed arrays travel as bytes.
"""

from __future__ import annotations

import gc
import io
import pickle
from array import array
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from newsdesk.stories.centroids import DocTable, Story
from newsdesk.stories.similarity import Weights

if TYPE_CHECKING:
    from newsdesk.stories.cluster import StoryClusterer

MAGIC = b"newsdesk-stories\x00"
FORMAT = 1


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
        "stories": [story.to_record() for story in clusterer.story_by_id.values()],
        "index": {t: array("q", sids).tobytes() for t, sids in clusterer.index.items()},
        "actor_index": {a: array("q", sids).tobytes() for a, sids in clusterer.actor_index.items()},
        "merged_into": clusterer.merged_into,
        "copies": clusterer.copies,
        "clock": clusterer.clock,
        "next_seq": clusterer.next_seq,
    }
    return MAGIC + pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def load(cls: type[StoryClusterer], data: bytes) -> StoryClusterer:
    """The clusterer :func:`dump` saved; ValueError for bytes it did not write."""
    collecting = gc.isenabled()
    gc.disable()  # loading makes many objects and no cycles: skip the collector's passes
    try:
        return _load(cls, data)
    finally:
        if collecting:
            gc.enable()


def _load(cls: type[StoryClusterer], data: bytes) -> StoryClusterer:
    from newsdesk.stories.cluster import Settings

    if not data.startswith(MAGIC):
        raise ValueError("not a saved story clusterer")
    try:
        payload = _PlainUnpickler(io.BytesIO(data[len(MAGIC) :])).load()
    except (pickle.UnpicklingError, EOFError, ValueError) as error:
        raise ValueError(f"corrupt story clusterer state: {error}") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError("unsupported story clusterer state format")
    options = dict(payload["settings"])
    options["weights"] = Weights(**options["weights"])
    clusterer = cls(settings=Settings(**options))
    stats = clusterer.stats
    stats.terms = payload["terms"].split("\n") if payload["terms"] else []
    stats.ids = {term: n for n, term in enumerate(stats.terms)}
    stats.df = array("q", payload["df"]).tolist()
    stats.docs = payload["n_docs"]
    clusterer.docs = DocTable.from_record(payload["docs"])
    for record in payload["stories"]:
        story = Story.from_record(record)
        clusterer.story_by_id[story.id] = story
    clusterer.index = {t: set(array("q", sids)) for t, sids in payload["index"].items()}
    clusterer.actor_index = {a: set(array("q", s)) for a, s in payload["actor_index"].items()}
    clusterer.merged_into = dict(payload["merged_into"])
    clusterer.copies = {k: list(v) for k, v in payload["copies"].items()}
    clusterer.clock = payload["clock"]
    clusterer.next_seq = payload["next_seq"]
    return clusterer
