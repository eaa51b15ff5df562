"""When an HTTP request is worth another try and how long to wait first: one policy for all.

The fetcher and the webhook notifier (``newsdesk.ingest``) and the LLM client
(``newsdesk.stages.events_llm``) retry alike, but those layers are siblings that must not import
each other, so the policy sits outside the layers, like ``newsdesk.text``, and depends on
nothing but the standard library: callers pass the status code and the Retry-After header.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["RetryPolicy", "retry_after_seconds"]


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """The wait a Retry-After header asks for (delta seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """Up to ``retries`` more attempts, each after an exponential backoff from ``backoff``
    seconds, or after what the server's Retry-After asks when that is longer; a server asking
    for more than ``max_retry_after`` seconds is not waited for."""

    retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 60.0

    def gives_up(self, attempt: int) -> bool:
        """Whether attempt ``attempt`` (0 for the first) was the last one allowed."""
        return attempt >= self.retries

    def should_retry(self, status: int, attempt: int) -> bool:
        """Whether an answer with ``status`` to attempt ``attempt`` earns another attempt: a 429
        or any 5xx, while attempts are left."""
        return (status == 429 or status >= 500) and not self.gives_up(attempt)

    def backoff_delay(self, attempt: int) -> float:
        """Seconds to wait after attempt ``attempt`` failed: ``backoff`` doubled each time."""
        return float(self.backoff * 2**attempt)

    def delay(self, attempt: int, asked: float | None) -> float | None:
        """Seconds to wait after attempt ``attempt`` was answered with Retry-After ``asked``
        (None: no usable header): the longer of it and the backoff, or None when ``asked`` is
        over ``max_retry_after`` and the caller should give up instead."""
        if asked is not None and asked > self.max_retry_after:
            return None
        return max(self.backoff_delay(attempt), asked or 0.0)
