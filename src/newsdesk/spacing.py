"""Spacing the starts of requests to one host or endpoint by a minimum interval, thread-safe.

Used by the fetcher (``newsdesk.ingest``) and the LLM client (``newsdesk.stages.events_llm``),
sibling layers that must not import each other, so it sits outside the layers, like
``newsdesk.text``, and depends on nothing but the standard library.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["RequestSpacer"]


class RequestSpacer:
    """Spaces the starts of requests to each key (a host, an endpoint) by an interval; sleeps
    outside the lock so other keys are not held up."""

    def __init__(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: str, interval: float) -> None:
        """Block until ``key`` may be asked again, and book the following slot."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(key, now))
            self._next[key] = slot + interval
        if slot > now:
            self._sleep(slot - now)
