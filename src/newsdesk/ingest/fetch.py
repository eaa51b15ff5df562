"""The polite HTTP fetcher: robots.txt, address policy, rate limit, caps, retries on every hop."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Self

import httpx

from newsdesk.errors import FetchError
from newsdesk.ingest.addresses import AddressPolicy, Resolver, system_resolver
from newsdesk.ingest.content_types import ACCEPT_HEADERS, accepts, parse_content_type, sniffs_as
from newsdesk.ingest.robots import RobotsCache, RobotsResponse
from newsdesk.model import RawDocument, RawKind
from newsdesk.retrying import RetryPolicy, retry_after_seconds
from newsdesk.spacing import RequestSpacer

__all__ = ["DEFAULT_USER_AGENT", "Accept", "FetchResult", "Fetcher"]

DEFAULT_USER_AGENT = "newsdesk/0.1 (+https://github.com/newsdesk)"
Accept = Literal["html", "feed", "any"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
_MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay beyond this is capped, not obeyed
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchResult:
    """One fetched page: the final response after redirects, or a 304 with an empty body."""

    url: str
    requested_url: str
    status: int
    body: bytes
    content_type: str | None  # media type only, lower case: "text/html"
    charset: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    fetched_at: datetime

    def to_raw_document(self, kind: RawKind = RawKind.HTML) -> RawDocument:
        """The body as a :class:`RawDocument` (origin: the requested URL; url: the final one)."""
        return RawDocument(
            origin=self.requested_url,
            body=self.body,
            kind=kind,
            url=self.url,
            content_type=self.content_type,
            encoding=self.charset,
            fetched_at=self.fetched_at,
        )


@dataclass(frozen=True, slots=True)
class _Hop:
    """One HTTP exchange: the status, headers, and the body when it was worth reading."""

    url: httpx.URL
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class _Want:
    """What one request is for: the item errors name, the types taken, the body size cap."""

    item: str
    accept: str
    limit: int
    truncate: bool = False  # cut an over-long body to ``limit`` instead of failing


class Fetcher:
    """Fetches web pages politely and safely; one instance per run shares robots and rate state.

    Every hop (the first request and each redirect) is checked against the address policy
    and robots.txt before anything connects to it. Use as a context manager: it closes the
    client it created (an injected ``client`` is left to its owner).
    """

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        allow_private: bool = False,
        allowed_hosts: frozenset[str] = frozenset(),
        min_interval: float = 1.0,
        timeout: float = 20.0,
        max_redirects: int = 5,
        max_bytes: int = 10_000_000,
        retries: int = 2,
        backoff: float = 0.5,
        max_retry_after: float = 60.0,
        respect_robots: bool = True,
        robots_ttl: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        resolver: Resolver = system_resolver,
    ) -> None:
        if min(max_redirects, retries, max_bytes) < 0:
            raise ValueError("max_redirects, retries and max_bytes must not be negative")
        self._owns_client = client is None
        # No proxies from the environment: a proxy would resolve names behind the address
        # policy's back. Inject a client configured with one if that is really wanted.
        self._client = client if client is not None else httpx.Client(trust_env=False)
        self.user_agent = user_agent
        self.min_interval = min_interval
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.max_bytes = max_bytes
        self.retry = RetryPolicy(retries=retries, backoff=backoff, max_retry_after=max_retry_after)
        self.policy = AddressPolicy(
            allow_private=allow_private, allowed_hosts=allowed_hosts, resolver=resolver
        )
        self.robots: RobotsCache | None = None
        if respect_robots:
            self.robots = RobotsCache(
                self._fetch_robots, user_agent=user_agent, ttl=robots_ttl, clock=clock
            )
        self._sleep = sleep
        self._limiter = RequestSpacer(clock, sleep)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this fetcher created it."""
        if self._owns_client:
            self._client.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Accept = "html",
    ) -> FetchResult:
        """GET ``url`` following redirects; raise :class:`FetchError` or :class:`BlockedError`."""
        if accept not in ACCEPT_HEADERS:
            raise ValueError(f"accept must be 'html', 'feed' or 'any', not {accept!r}")
        headers = {"Accept": ACCEPT_HEADERS[accept]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hop = self._follow(url, headers, _Want(url, accept, self.max_bytes), self.max_redirects)
        not_modified = hop.status == 304
        if not (not_modified or 200 <= hop.status < 300):
            where = "" if str(hop.url) == url else f" at {hop.url}"
            raise FetchError(url, f"HTTP {hop.status} {hop.reason}{where}", status=hop.status)
        media, charset = parse_content_type(hop.headers.get("content-type"))
        return FetchResult(
            url=str(hop.url),
            requested_url=url,
            status=hop.status,
            body=hop.body,
            content_type=None if not_modified else media,
            charset=None if not_modified else charset,
            # A 304 should repeat the validators; when it does not, the ones sent still hold.
            etag=hop.headers.get("etag", etag if not_modified else None),
            last_modified=hop.headers.get("last-modified", last_modified if not_modified else None),
            not_modified=not_modified,
            fetched_at=datetime.now(UTC),
        )

    def _follow(
        self, url: str, headers: Mapping[str, str], want: _Want, max_redirects: int
    ) -> _Hop:
        """Request ``url`` and follow redirects by hand, checking every hop before it connects."""
        current: str | httpx.URL = url
        for _ in range(max_redirects + 1):
            self.policy.check(current, item=want.item)
            current = httpx.URL(current)
            if self.robots is not None and not want.truncate:  # never robots-check robots.txt
                self.robots.check(current, item=want.item)
            hop = self._request(current, headers, want)
            if hop.status not in _REDIRECTS:
                return hop
            location = hop.headers.get("location")
            if not location:
                raise FetchError(want.item, "redirect without a Location", status=hop.status)
            try:
                current = hop.url.join(location.strip())
            except httpx.InvalidURL as exc:
                raise FetchError(want.item, f"bad redirect to {location!r}: {exc}") from exc
        reason = f"too many redirects (more than {max_redirects})"
        raise FetchError(want.item, reason, status=hop.status)

    def _request(self, url: httpx.URL, headers: Mapping[str, str], want: _Want) -> _Hop:
        """One hop with retries on network errors, 429 and 5xx; the last answer is returned."""
        attempt = 0
        while True:
            wait_for: float | None
            try:
                hop = self._exchange(url, headers, want)
            except _RETRYABLE_ERRORS as exc:
                if self.retry.gives_up(attempt):
                    raise FetchError(want.item, f"network error: {_describe(exc)}") from exc
                wait_for = self.retry.backoff_delay(attempt)
            except httpx.HTTPError as exc:
                raise FetchError(want.item, f"network error: {_describe(exc)}") from exc
            else:
                if not self.retry.should_retry(hop.status, attempt):
                    return hop
                asked = retry_after_seconds(hop.headers.get("retry-after"))
                wait_for = self.retry.delay(attempt, asked)
                if wait_for is None:
                    return hop  # the server wants a longer pause than we will wait: give up
            self._sleep(wait_for)
            attempt += 1

    def _exchange(self, url: httpx.URL, headers: Mapping[str, str], want: _Want) -> _Hop:
        """Send one GET; read the body only of a 2xx response whose type and size are wanted."""
        delay = self.robots.crawl_delay(url) if self.robots is not None else None
        interval = max(self.min_interval, min(delay or 0.0, _MAX_CRAWL_DELAY))
        self._limiter.wait(url.raw_host.decode("ascii").lower(), interval)
        all_headers = {"User-Agent": self.user_agent, **headers}
        deadline = time.monotonic() + self.timeout
        with self._client.stream(
            "GET", url, headers=all_headers, follow_redirects=False, timeout=self.timeout
        ) as response:
            hop = _Hop(url, response.status_code, response.reason_phrase, response.headers)
            if not 200 <= response.status_code < 300:
                return hop
            item, status, limit = want.item, response.status_code, want.limit
            media, _ = parse_content_type(response.headers.get("content-type"))
            if media is not None and not accepts(want.accept, media):
                where = "" if str(url) == item else f" at {url}"
                raise FetchError(item, f"unwanted content type {media}{where}", status=status)
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > limit and not want.truncate:
                raise FetchError(
                    item, f"Content-Length {length} is over {limit} bytes", status=status
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    if want.truncate:
                        break
                    raise FetchError(item, f"body is over {limit} bytes", status=status)
                if time.monotonic() > deadline:
                    raise FetchError(item, f"download took over {self.timeout:g} s", status=status)
        body = b"".join(chunks)[:limit]
        if media is None and not sniffs_as(want.accept, body):
            raise FetchError(item, f"no content type and body does not look like {want.accept}")
        return _Hop(url, hop.status, hop.reason, hop.headers, body)

    def _fetch_robots(self, robots_url: str) -> RobotsResponse:
        """Get a robots.txt through this fetcher's policy and client; report, never raise."""
        # RFC 9309: parse what fits under the cap rather than giving up on a long file.
        want = _Want(robots_url, "any", _ROBOTS_MAX_BYTES, truncate=True)
        try:
            hop = self._follow(robots_url, {"Accept": "text/plain,*/*;q=0.5"}, want, 5)
        except FetchError as exc:  # too many redirects counts as "no robots.txt", like a 4xx
            status = exc.status if exc.status in _REDIRECTS else None
            return RobotsResponse(status=status, error=exc.reason)
        return RobotsResponse(status=hop.status, text=hop.body.decode("utf-8", "replace"))


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
