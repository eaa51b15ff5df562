"""A bounded, thread-safe store of the latest values by key, optionally valid under one mark.

The reader's caches (story lists, story pages, related lists, search pages, rendered
fragments, JSON bodies) all keep the most recently used values and drop the oldest; those
read against a change mark of the database drop everything when the mark moves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LatestKept(Generic[K, V]):
    """The latest values put, by key; the least recently used goes first when full.

    With a ``mark`` (anything comparable, such as a database change counter), a value is
    kept only while the mark it was found under is the current one: a :meth:`get` under a
    new mark empties the store, and a :meth:`put` under an old one is ignored (the value was
    found while things changed). Without marks every call uses ``None`` and values stay.
    """

    def __init__(self) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._mark: Hashable = None
        self._lock = threading.Lock()  # the web serves sync routes from a thread pool

    def get(self, key: K, *, mark: Hashable = None) -> V | None:
        """The value kept for ``key`` under ``mark``, or None."""
        with self._lock:
            if mark != self._mark:  # things changed: every kept value is stale
                self._items.clear()
                self._mark = mark
                return None
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V, *, keep: int, mark: Hashable = None) -> None:
        """Keep ``value`` for ``key`` (at most ``keep`` values), unless ``mark`` is stale."""
        with self._lock:
            if mark != self._mark:
                return
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > keep:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
