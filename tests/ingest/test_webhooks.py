"""Alert delivery against a local HTTP server: JSON POST, retries, errors, SSRF policy, apprise."""

from __future__ import annotations

import json
import re
import sys
import types
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from newsdesk.ingest.webhooks import DeliveryError, Notification, Notifier, redact
from tests.ingest.httpserver import Route, TestServer, _Handler, redirect

NOTE = Notification(
    title="newsdesk: Talks in Istanbul",
    body="keyword in the title",
    payload={"type": "newsdesk.alert", "article": {"id": 7, "title": "Talks in Istanbul"}},
)


class _PostHandler(_Handler):
    """The test server's handler, also answering POST (the body is kept)."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        server = self.server
        assert isinstance(server, WebhookReceiver)
        with server.lock:
            server.posted.append((self.path, body))
        self.do_GET()


class WebhookReceiver(TestServer):
    """A :class:`TestServer` that records the bodies POSTed to it, in order."""

    __test__ = False

    def __init__(self) -> None:
        super().__init__()
        self.RequestHandlerClass = _PostHandler
        self.posted: list[tuple[str, bytes]] = []

    def payloads(self, path: str) -> list[Any]:
        return [json.loads(body) for p, body in self.posted if p == path]


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    server.start()
    yield server
    server.stop()


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def local_notifier(receiver: WebhookReceiver, **options: Any) -> Notifier:
    return Notifier(allowed_hosts=frozenset({receiver.host_port}), **options)


def test_a_webhook_gets_the_payload_as_json(receiver: WebhookReceiver) -> None:
    receiver.routes["/hook"] = Route(status=204, body=b"")
    local_notifier(receiver).send(receiver.url("/hook"), NOTE)
    assert receiver.payloads("/hook") == [NOTE.payload]
    headers = receiver.seen[0].headers
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith("newsdesk/")


def test_5xx_and_429_are_retried_with_backoff_and_retry_after(receiver: WebhookReceiver) -> None:
    receiver.routes["/hook"] = [
        Route(status=503),
        Route(status=429, headers={"Retry-After": "3"}),
        Route(status=200),
    ]
    sleeps = Sleeps()
    local_notifier(receiver, sleep=sleeps, backoff=0.5).send(receiver.url("/hook"), NOTE)
    assert receiver.hits["/hook"] == 3
    assert sleeps.waits == [0.5, 3.0]  # backoff, then the longer Retry-After
    assert len(receiver.payloads("/hook")) == 3


def test_retries_run_out_with_the_last_status(receiver: WebhookReceiver) -> None:
    receiver.routes["/hook"] = Route(status=500)
    with pytest.raises(DeliveryError, match="HTTP 500 Internal Server Error") as caught:
        local_notifier(receiver, sleep=Sleeps(), retries=2).send(receiver.url("/hook"), NOTE)
    assert caught.value.status == 500
    assert receiver.hits["/hook"] == 3


def test_a_retry_after_longer_than_the_cap_gives_up_at_once(receiver: WebhookReceiver) -> None:
    receiver.routes["/hook"] = Route(status=429, headers={"Retry-After": "3600"})
    with pytest.raises(DeliveryError, match="HTTP 429"):
        local_notifier(receiver, sleep=Sleeps()).send(receiver.url("/hook"), NOTE)
    assert receiver.hits["/hook"] == 1


def test_client_errors_are_not_retried(receiver: WebhookReceiver) -> None:
    receiver.routes["/hook"] = Route(status=404)
    with pytest.raises(DeliveryError, match="HTTP 404 Not Found"):
        local_notifier(receiver, sleep=Sleeps()).send(receiver.url("/hook"), NOTE)
    assert receiver.hits["/hook"] == 1


def test_redirects_are_not_followed(receiver: WebhookReceiver) -> None:
    receiver.routes["/hook"] = redirect(receiver.url("/elsewhere"), status=307)
    with pytest.raises(DeliveryError, match="redirects are not followed"):
        local_notifier(receiver).send(receiver.url("/hook"), NOTE)
    assert receiver.hits["/elsewhere"] == 0


def test_a_slow_webhook_times_out_with_a_clear_error(receiver: WebhookReceiver) -> None:
    receiver.routes["/slow"] = Route(delay=5.0)
    notifier = local_notifier(receiver, timeout=0.2, retries=0)
    with pytest.raises(DeliveryError, match="network error: ReadTimeout"):
        notifier.send(receiver.url("/slow"), NOTE)


def test_a_closed_port_is_a_network_error() -> None:
    server = TestServer()  # bound, never started, then closed: nothing listens on its port
    url = server.url("/hook")
    server.server_close()
    notifier = Notifier(allow_private=True, retries=1, sleep=Sleeps())
    with pytest.raises(DeliveryError, match="network error: ConnectError"):
        notifier.send(url, NOTE)


def test_loopback_and_private_hooks_are_refused_unless_allowed(receiver: WebhookReceiver) -> None:
    with pytest.raises(DeliveryError, match=re.escape("loopback address 127.0.0.1 is not allowed")):
        Notifier().send(receiver.url("/hook"), NOTE)
    with pytest.raises(DeliveryError, match=re.escape("private address 10.1.2.3")):
        Notifier().send("https://10.1.2.3/hook", NOTE)
    with pytest.raises(DeliveryError, match=re.escape("resolves to private address 192.168.0.9")):
        Notifier(resolver=lambda host, port: ["192.168.0.9"]).send("https://hooks.example/x", NOTE)
    assert receiver.hits["/hook"] == 0
    Notifier(allow_private=True).send(receiver.url("/hook"), NOTE)
    assert receiver.hits["/hook"] == 1


def test_errors_name_the_url_without_its_secret_parts() -> None:
    assert redact("https://user:pw@hooks.example:8443/T000/B000/XXXX?token=1") == (
        "https://hooks.example:8443"
    )
    assert redact("discord://webhook_id/webhook_token") == "discord://webhook_id"
    assert redact("hooks.example/x") == "(not a URL)"
    with pytest.raises(DeliveryError) as caught:
        Notifier().send("https://10.1.2.3/secret-token", NOTE)
    assert "secret-token" not in str(caught.value)
    with pytest.raises(DeliveryError, match="not a URL"):
        Notifier().send("hooks.example/x", NOTE)


def test_other_schemes_need_apprise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "apprise", None)  # makes `import apprise` fail
    with pytest.raises(DeliveryError, match=r"needs the apprise package.*newsdesk\[alerts\]"):
        Notifier().send("discord://webhook_id/webhook_token", NOTE)


class FakeApprise:
    """Stands in for ``apprise.Apprise``: records what newsdesk hands it."""

    calls: ClassVar[list[tuple[str, Any]]] = []
    accepts = True
    delivers: bool | Exception = True

    def add(self, url: str) -> bool:
        self.calls.append(("add", url))
        return self.accepts

    def notify(self, *, title: str, body: str) -> bool:
        self.calls.append(("notify", (title, body)))
        if isinstance(self.delivers, Exception):
            raise self.delivers
        return self.delivers


@pytest.fixture
def fake_apprise(monkeypatch: pytest.MonkeyPatch) -> type[FakeApprise]:
    module = types.ModuleType("apprise")
    fake = type("Apprise", (FakeApprise,), {"calls": []})
    module.Apprise = fake  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "apprise", module)
    return fake


def test_apprise_gets_title_and_body(fake_apprise: type[FakeApprise]) -> None:
    Notifier().send("discord://webhook_id/webhook_token", NOTE)
    assert fake_apprise.calls == [
        ("add", "discord://webhook_id/webhook_token"),
        ("notify", (NOTE.title, NOTE.body)),
    ]


def test_apprise_failures_are_delivery_errors(fake_apprise: type[FakeApprise]) -> None:
    fake_apprise.accepts = False
    with pytest.raises(DeliveryError, match="apprise does not recognise"):
        Notifier().send("nosuch://x", NOTE)
    fake_apprise.accepts = True
    fake_apprise.delivers = False
    with pytest.raises(DeliveryError, match="could not deliver"):
        Notifier().send("slack://a/b/c", NOTE)
    fake_apprise.delivers = RuntimeError("plugin crashed")
    with pytest.raises(DeliveryError, match="apprise failed: RuntimeError: plugin crashed"):
        Notifier().send("slack://a/b/c", NOTE)


def test_apprise_http_schemes_obey_the_address_policy(fake_apprise: type[FakeApprise]) -> None:
    with pytest.raises(DeliveryError, match=re.escape("loopback address 127.0.0.1")):
        Notifier().send("json://127.0.0.1:8080/hook", NOTE)
    with pytest.raises(DeliveryError, match=re.escape("private address 10.0.0.2")):
        Notifier().send("forms://10.0.0.2/hook", NOTE)
    assert fake_apprise.calls == []
    public = Notifier(resolver=lambda host, port: ["93.184.216.34"])
    public.send("jsons://hooks.example/hook", NOTE)
    assert fake_apprise.calls[0] == ("add", "jsons://hooks.example/hook")
