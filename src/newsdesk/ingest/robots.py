"""robots.txt rules per origin, fetched once and cached, so the fetcher asks before it takes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from protego import Protego

from newsdesk.errors import BlockedError

__all__ = ["RobotsCache", "RobotsResponse", "origin_of", "robots_url"]

DEFAULT_TTL = 3600.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RobotsResponse:
    """What fetching a robots.txt gave: a final status and text, or a network error."""

    status: int | None  # None when no HTTP answer came back
    text: str = ""
    error: str | None = None


RobotsFetch = Callable[[str], RobotsResponse]
"""Fetches one robots.txt URL (following redirects) and never raises."""


@dataclass(frozen=True, slots=True)
class _Rules:
    parser: Protego | None  # None: no per-path rules, ``allow`` decides everything
    allow: bool
    reason: str
    expires: float


def origin_of(url: str | httpx.URL) -> str:
    """``scheme://host[:port]`` of ``url``: the unit robots.txt applies to."""
    parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"


def robots_url(url: str | httpx.URL) -> str:
    """Where the robots.txt governing ``url`` lives."""
    return origin_of(url) + "/robots.txt"


def _rules_from(response: RobotsResponse, expires: float) -> _Rules:
    """Standard reading (RFC 9309): 2xx parse, 3xx/4xx allow all, 429/5xx/no answer deny all."""
    status = response.status
    if status is None:
        return _Rules(None, False, f"robots.txt unreachable ({response.error})", expires)
    if 200 <= status < 300:
        return _Rules(Protego.parse(response.text), True, "disallowed by robots.txt", expires)
    if status == 429 or status >= 500:
        return _Rules(None, False, f"robots.txt unavailable (HTTP {status})", expires)
    return _Rules(None, True, "", expires)


class RobotsCache:
    """Answers "may newsdesk fetch this URL?" from each origin's robots.txt.

    ``fetch`` gets the robots.txt (the fetcher passes its own client, so the address policy
    and rate limit apply to it too). Answers, including "unreachable, so deny", are kept
    for ``ttl`` seconds of ``clock``.
    """

    def __init__(
        self,
        fetch: RobotsFetch,
        *,
        user_agent: str,
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._user_agent = user_agent
        self._ttl = ttl
        self._clock = clock
        self._rules: dict[str, _Rules] = {}
        self._lock = threading.Lock()

    def _rules_for(self, url: str | httpx.URL) -> _Rules:
        origin = origin_of(url)
        now = self._clock()
        with self._lock:
            rules = self._rules.get(origin)
        if rules is not None and rules.expires > now:
            return rules
        rules = _rules_from(self._fetch(origin + "/robots.txt"), now + self._ttl)
        with self._lock:
            self._rules[origin] = rules
        return rules

    def _refusal(self, url: str | httpx.URL) -> str | None:
        rules = self._rules_for(url)
        if rules.parser is None:
            allowed = rules.allow
        else:
            allowed = bool(rules.parser.can_fetch(str(url), self._user_agent))
        return None if allowed else rules.reason

    def allowed(self, url: str | httpx.URL) -> bool:
        """True when robots.txt lets newsdesk fetch ``url`` (fetching robots.txt if needed)."""
        return self._refusal(url) is None

    def check(self, url: str | httpx.URL, *, item: str | None = None) -> None:
        """Raise :class:`BlockedError` (named ``item``, default the url) if ``url`` is refused."""
        reason = self._refusal(url)
        if reason is not None:
            raise BlockedError(item if item is not None else str(url), reason)

    def crawl_delay(self, url: str | httpx.URL) -> float | None:
        """The Crawl-delay the cached robots.txt for ``url``'s origin asks of newsdesk, if any.

        Only looks at the cache: never fetches.
        """
        with self._lock:
            rules = self._rules.get(origin_of(url))
        if rules is None or rules.parser is None or rules.expires <= self._clock():
            return None
        delay = rules.parser.crawl_delay(self._user_agent)
        return None if delay is None else float(delay)

    def clear(self) -> None:
        """Forget every cached robots.txt."""
        with self._lock:
            self._rules.clear()
