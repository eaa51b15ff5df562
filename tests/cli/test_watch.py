"""``newsdesk watch``: add, list, pause, test a local webhook, alerts from ingest, remove."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from tests.ingest.httpserver import Route
from tests.ingest.test_webhooks import WebhookReceiver
from tests.service.pages import html_page

runner = CliRunner()


def invoke(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.output


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    server.routes["/hook"] = Route(status=200)
    server.start()
    yield server
    server.stop()


def test_watch_commands(tmp_path: Path, receiver: WebhookReceiver) -> None:
    db = tmp_path / "w.db"
    hook = receiver.url("/hook/secret-token")
    receiver.routes["/hook/secret-token"] = Route(status=200)
    code, output = invoke(db, "watch", "add", "--keyword", "Istanbul", "--notify", hook)
    assert code == 0, output
    assert f"watch 1: keyword Istanbul → {receiver.origin}" in output
    assert "secret-token" not in output
    code, output = invoke(
        db, "watch", "add", "--event-type", "consult", "--status", "planned", "--notify",
        "json://hooks.example/x", "--json",
    )  # fmt: skip
    assert code == 0, output
    assert json.loads(output)["value"] == "CONSULT"
    code, output = invoke(db, "watch", "list", "--json")
    listed = json.loads(output)
    assert [(w["id"], w["kind"], w["status"], w["active"]) for w in listed] == [
        (1, "keyword", None, True),
        (2, "event", "planned", True),
    ]
    assert listed[0]["notify"] == hook
    code, output = invoke(db, "watch", "pause", "2")
    assert code == 0, output
    code, output = invoke(db, "watch", "list")
    assert "paused" in output
    assert "secret-token" not in output

    # The loopback receiver is refused unless --allow-private is given.
    code, output = invoke(db, "watch", "test", "1")
    assert code == 1
    assert "loopback address 127.0.0.1 is not allowed" in output
    code, output = invoke(db, "--allow-private", "watch", "test", "1")
    assert code == 0, output
    [payload] = receiver.payloads("/hook/secret-token")
    assert payload["type"] == "newsdesk.test"

    page = tmp_path / "a.html"
    page.write_text(html_page(domain="wire.example", slug="a"))
    code, output = invoke(db, "--allow-private", "ingest", str(page))
    assert code == 0, output
    alert = receiver.payloads("/hook/secret-token")[-1]
    assert alert["type"] == "newsdesk.alert"
    assert alert["article"]["title"] == "Russia and Ukraine agree prisoner swap in Istanbul"
    code, output = invoke(db, "watch", "alerts", "--json")
    [stored] = json.loads(output)
    assert (stored["watch"], stored["delivered"], stored["error"]) == (1, True, None)

    code, output = invoke(db, "watch", "remove", "1")
    assert code == 0, output
    code, output = invoke(db, "watch", "remove", "1")
    assert code == 1
    assert "no watch with id 1" in output
    code, output = invoke(db, "watch", "test", "1")
    assert code == 1
    assert "no watch with id 1" in output


def test_watch_add_usage_errors(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    code, output = invoke(db, "watch", "add", "--notify", "https://hooks.example/x")
    assert code == 2
    assert "exactly one of --actor, --keyword or --event-type" in output
    code, output = invoke(
        db, "watch", "add", "--actor", "putin", "--keyword", "talks", "--notify", "https://h.x/"
    )
    assert code == 2
    code, output = invoke(
        db, "watch", "add", "--keyword", "talks", "--status", "planned", "--notify", "https://h.x/"
    )
    assert code == 2
    assert "--status only goes with an event type" in output
    code, output = invoke(db, "watch", "add", "--keyword", "talks", "--notify", "h.x/hook")
    assert code == 2
    code, output = invoke(db, "watch", "list", "--json")
    assert json.loads(output) == []
