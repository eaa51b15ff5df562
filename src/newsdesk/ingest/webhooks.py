"""Alert delivery: a JSON POST to an http(s) webhook, or any other URL scheme through apprise.

SSRF policy. A webhook URL is typed by a user but requested by newsdesk, so it gets the
fetcher's address policy (:class:`~newsdesk.ingest.addresses.AddressPolicy`): only http and
https, and the host must resolve to public addresses only, unless ``allow_private`` is set or
the host is listed in ``allowed_hosts``. Redirects are never followed (a 3xx is a failed
delivery), so a public hook cannot bounce the POST into the private network. apprise's
generic HTTP schemes (``json://``, ``xml://``, ``form://`` and their ``s`` forms) reach any
host the same way, so their host is checked by the same policy before apprise is called;
apprise's service schemes (``slack://``, ``discord://``, ``mailto://``, ...) go to the
service's own servers. As for the fetcher, the name is resolved once for the check and again
by the HTTP client, so a DNS answer that changes in between is not caught.

Error messages name a URL by scheme and host only: webhook paths and apprise URLs often
carry the secret token that authorises the post.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from newsdesk.errors import FetchError, NewsdeskError
from newsdesk.ingest.addresses import AddressPolicy, Resolver, system_resolver
from newsdesk.ingest.fetch import DEFAULT_USER_AGENT
from newsdesk.retrying import RetryPolicy, retry_after_seconds

__all__ = ["DeliveryError", "Notification", "Notifier", "redact"]

_WEB_SCHEMES = frozenset({"http", "https"})
# apprise schemes that POST to a host the URL names, with the web scheme they use.
_APPRISE_HTTP = {"json": "http", "jsons": "https", "xml": "http", "xmls": "https",
                 "form": "http", "forms": "https"}  # fmt: skip
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_INSTALL_HINT = "install the alerts extra: pip install 'newsdesk[alerts]'"


class DeliveryError(NewsdeskError):
    """An alert could not be delivered; ``reason`` says why, ``status`` the last HTTP status."""

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{redact(url)}: {reason}")
        self.url = redact(url)
        self.reason = reason
        self.status = status


@dataclass(frozen=True, slots=True, kw_only=True)
class Notification:
    """What one alert says: a title and body for people, and the JSON a webhook receives."""

    title: str
    body: str
    payload: Mapping[str, Any]


def redact(url: str) -> str:
    """``url`` reduced to scheme and host (no credentials, path or query): safe to show."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "(not a URL)"
    host = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    return f"{scheme.lower()}://{host}"


def _scheme(url: str) -> str:
    scheme, sep, _ = url.partition("://")
    return scheme.lower() if sep else ""


class Notifier:
    """Delivers notifications to webhook and apprise URLs; raises :class:`DeliveryError`.

    A webhook gets one POST of ``Notification.payload`` as JSON, retried on network errors,
    429 and 5xx with exponential backoff (a Retry-After up to ``max_retry_after`` is
    honoured, see :class:`~newsdesk.retrying.RetryPolicy`); each attempt is bounded by
    ``timeout``. Any 2xx is a delivery.
    """

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        allow_private: bool = False,
        allowed_hosts: frozenset[str] = frozenset(),
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.5,
        max_retry_after: float = 30.0,
        user_agent: str = DEFAULT_USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        resolver: Resolver = system_resolver,
    ) -> None:
        if retries < 0 or timeout <= 0:
            raise ValueError("retries must not be negative and timeout must be positive")
        self._client = client
        self.policy = AddressPolicy(
            allow_private=allow_private, allowed_hosts=allowed_hosts, resolver=resolver
        )
        self.timeout = timeout
        self.retry = RetryPolicy(retries=retries, backoff=backoff, max_retry_after=max_retry_after)
        self.user_agent = user_agent
        self._sleep = sleep

    def send(self, url: str, note: Notification) -> None:
        """Deliver ``note`` to ``url`` or raise :class:`DeliveryError` saying why not."""
        scheme = _scheme(url)
        if not scheme:
            raise DeliveryError(url, "not a URL: a webhook needs http(s)://, apprise its scheme")
        if scheme in _WEB_SCHEMES:
            self._check(url, url)
            self._post(url, note)
        else:
            if scheme in _APPRISE_HTTP:
                self._check(url, _APPRISE_HTTP[scheme] + url[len(scheme) :])
            self._apprise(url, note)

    def _check(self, url: str, web_url: str) -> None:
        """Apply the address policy to ``web_url`` (the http(s) form of ``url``)."""
        try:
            self.policy.check(web_url, item=redact(url))
        except FetchError as exc:  # BlockedError included: refused or unresolvable
            raise DeliveryError(url, exc.reason) from exc

    def _post(self, url: str, note: Notification) -> None:
        """POST the payload with retries; return on a 2xx, raise otherwise."""
        body = json.dumps(note.payload, ensure_ascii=False, default=str).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": self.user_agent}
        client = self._client or httpx.Client(trust_env=False)  # no proxy behind the policy
        try:
            attempt = 0
            while True:
                wait_for: float | None
                try:
                    with client.stream(
                        "POST", url, content=body, headers=headers,
                        timeout=self.timeout, follow_redirects=False,
                    ) as response:  # fmt: skip
                        status, reason = response.status_code, response.reason_phrase
                        retry_after = response.headers.get("retry-after")
                except _RETRYABLE_ERRORS as exc:
                    if self.retry.gives_up(attempt):
                        raise DeliveryError(url, f"network error: {_describe(exc)}") from exc
                    wait_for = self.retry.backoff_delay(attempt)
                except httpx.HTTPError as exc:
                    raise DeliveryError(url, f"network error: {_describe(exc)}") from exc
                else:
                    if 200 <= status < 300:
                        return
                    wait_for = self.retry.delay(attempt, retry_after_seconds(retry_after))
                    if wait_for is None or not self.retry.should_retry(status, attempt):
                        raise DeliveryError(url, _status_reason(status, reason), status=status)
                self._sleep(wait_for)
                attempt += 1
        finally:
            if self._client is None:
                client.close()

    def _apprise(self, url: str, note: Notification) -> None:
        """Hand the notification to apprise, imported only now: it is an optional extra."""
        try:
            apprise = importlib.import_module("apprise")
        except ImportError as exc:
            raise DeliveryError(
                url, f"the {_scheme(url)}:// scheme needs the apprise package; {_INSTALL_HINT}"
            ) from exc
        try:
            sender = apprise.Apprise()
            if not sender.add(url):
                raise DeliveryError(url, "apprise does not recognise this URL")
            if not sender.notify(title=note.title, body=note.body):
                raise DeliveryError(url, "apprise could not deliver the notification")
        except DeliveryError:
            raise
        except Exception as exc:  # a third-party plugin may raise anything: report, never crash
            raise DeliveryError(url, f"apprise failed: {type(exc).__name__}: {exc}") from exc


def _status_reason(status: int, reason: str) -> str:
    text = f"HTTP {status} {reason}".rstrip()
    if 300 <= status < 400:
        return f"{text}: redirects are not followed for webhooks"
    return text


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
