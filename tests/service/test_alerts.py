"""Watchlists and alerts: matching, firing once from ingest, copies, failures, management."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.errors import ConfigError
from newsdesk.ingest.webhooks import DeliveryError, Notification
from newsdesk.model import (
    Actor,
    Article,
    DuplicateLink,
    Event,
    ItemResult,
    Outcome,
    Published,
)
from newsdesk.service import Newsdesk
from newsdesk.service.alerts import Watchlists, keyword_pattern, match_article, notification
from newsdesk.store import Store
from newsdesk.store.watchlists import Watch
from tests.ingest.httpserver import Route
from tests.ingest.test_webhooks import WebhookReceiver
from tests.service.pages import html_page

NOW = datetime(2025, 5, 16, tzinfo=UTC)
HOOK = "https://hooks.example/newsdesk"


class Recorder:
    """A sender that keeps what it was asked to deliver, or fails with ``error``."""

    def __init__(self, error: str | None = None) -> None:
        self.sent: list[tuple[str, Notification]] = []
        self.error = error

    def send(self, url: str, note: Notification) -> None:
        self.sent.append((url, note))
        if self.error is not None:
            raise DeliveryError(url, self.error)


def watch(kind: str, value: str, status: str | None = None, watch_id: int = 1) -> Watch:
    return Watch(id=watch_id, kind=kind, value=value, notify=HOOK, status=status,  # type: ignore[arg-type]
                 created_at=NOW)  # fmt: skip


def event(type_: str, status: str, summary: str = "") -> Event:
    return Event(type=type_, status=status, start=0, end=5, trigger="meet", trigger_start=0,
                 trigger_end=4, summary=summary)  # fmt: skip


ARTICLE = Article(
    url="https://ledger.example/talks",
    canonical_url="https://ledger.example/talks",
    site="The Bosphorus Ledger",
    title="Delegations meet in Istanbul",
    text="Talks began. The prisoner\nexchange was agreed by Zelenskyy's team on Friday.",
    published=Published(value=NOW),
    actors=(Actor(key="volodymyr-zelensky", name="Volodymyr Zelenskyy", kind="person"),),
    events=(event("CONSULT", "occurred", "Delegations meet"), event("RELEASE", "planned")),
)


def fired(article: Article, *watches: Watch, aliases: dict[str, str] | None = None) -> list[int]:
    return [m.watch.id for m in match_article(article, watches, aliases or {})]


def test_keywords_match_whole_words_in_any_case_and_spacing() -> None:
    assert keyword_pattern("prisoner exchange").search("The PRISONER   exchange")
    assert not keyword_pattern("talks").search("a talkshow host")
    assert not keyword_pattern("kyiv").search("kyivans")
    assert keyword_pattern("U.S.").search("the U.S. envoy")
    assert not keyword_pattern("U.S.").search("the UKS envoy")
    assert fired(ARTICLE, watch("keyword", "prisoner exchange")) == [1]
    assert fired(ARTICLE, watch("keyword", "istanbul")) == [1]
    assert fired(ARTICLE, watch("keyword", "talk")) == []
    [match] = match_article(ARTICLE, [watch("keyword", "prisoner exchange")], {})
    assert match.matched.startswith('keyword "prisoner exchange" in the text: Talks began. The')
    [title] = match_article(ARTICLE, [watch("keyword", "Istanbul")], {})
    assert title.matched == 'keyword "Istanbul" in the title: Delegations meet in Istanbul'


def test_actor_watches_go_through_the_alias_map() -> None:
    assert fired(ARTICLE, watch("actor", "volodymyr-zelensky")) == [1]
    assert fired(ARTICLE, watch("actor", "president-zelensky")) == []
    # "president-zelensky" was merged into the article's key: a watch on either key fires.
    merged = {"president-zelensky": "volodymyr-zelensky"}
    assert fired(ARTICLE, watch("actor", "president-zelensky"), aliases=merged) == [1]
    # The article carries a key that was merged away after it was stored: it fires too.
    moved = {"volodymyr-zelensky": "zelensky"}
    assert fired(ARTICLE, watch("actor", "zelensky"), aliases=moved) == [1]


def test_event_watches_check_type_and_status() -> None:
    assert fired(ARTICLE, watch("event", "CONSULT")) == [1]
    assert fired(ARTICLE, watch("event", "CONSULT", "occurred")) == [1]
    assert fired(ARTICLE, watch("event", "CONSULT", "planned")) == []
    assert fired(ARTICLE, watch("event", "RELEASE", "planned")) == [1]
    assert fired(ARTICLE, watch("event", "THREATEN")) == []
    [match] = match_article(ARTICLE, [watch("event", "CONSULT")], {})
    assert match.matched == "event CONSULT (occurred): Delegations meet"
    [bare] = match_article(ARTICLE, [watch("event", "RELEASE")], {})
    assert bare.matched == "event RELEASE (planned): Talks"  # no summary: the evidence span


def test_the_payload_names_watch_article_and_match() -> None:
    note = notification(watch("keyword", "istanbul"), matched="m", article_id=7, article=ARTICLE,
                        alert_id=3)  # fmt: skip
    payload = dict(note.payload)
    assert payload["type"] == "newsdesk.alert"
    assert payload["alert_id"] == 3
    assert payload["watch"] == {"id": 1, "kind": "keyword", "value": "istanbul", "status": None}
    assert payload["article"] == {
        "id": 7, "title": "Delegations meet in Istanbul", "url": "https://ledger.example/talks",
        "outlet": "The Bosphorus Ledger", "published": "2025-05-16T00:00:00+00:00",
    }  # fmt: skip
    assert payload["matched"] == "m"
    assert note.title == "newsdesk: Delegations meet in Istanbul"
    assert note.body.splitlines() == [
        "The Bosphorus Ledger, 2025-05-16T00:00:00+00:00",
        "m",
        "https://ledger.example/talks",
    ]


@pytest.fixture
def recorder(desk: Newsdesk) -> Recorder:
    sender = Recorder()
    desk.watchlists.sender = sender
    return sender


def test_ingest_fires_once_and_copies_stay_quiet(
    desk: Newsdesk, recorder: Recorder, tmp_path: Path
) -> None:
    hit = desk.watchlists.add("keyword", "prisoner  exchange", HOOK)
    miss = desk.watchlists.add("keyword", "eurovision", HOOK)
    (tmp_path / "1-wire.html").write_text(html_page(domain="wire.example", slug="w"))
    (tmp_path / "2-copy.html").write_text(html_page(domain="daily.example", slug="c"))
    report = desk.ingest([str(tmp_path)])
    assert [r.outcome for r in report.results] == [Outcome.NEW, Outcome.DUPLICATE]
    original = report.results[0].article_id
    assert [(url, note.payload["article"]["id"]) for url, note in recorder.sent] == [
        (HOOK, original)
    ]
    assert recorder.sent[0][1].payload["watch"]["value"] == "prisoner exchange"
    [alert] = desk.watchlists.alerts()
    assert (alert.watch_id, alert.article_id, alert.delivered) == (hit.id, original, True)
    assert desk.watchlists.alerts(watch_id=miss.id) == []
    desk.ingest([str(tmp_path)])  # the same input again: unchanged, nothing fires
    desk.reprocess(force=True)  # redone articles do not fire again either
    assert len(recorder.sent) == 1


def test_failed_delivery_is_recorded_and_ingest_goes_on(desk: Newsdesk, tmp_path: Path) -> None:
    desk.watchlists.sender = Recorder(error="HTTP 502 Bad Gateway")
    desk.watchlists.add("keyword", "Istanbul", HOOK)
    (tmp_path / "a.html").write_text(html_page(domain="wire.example", slug="a"))
    (tmp_path / "b.html").write_text(
        html_page(domain="other.example", slug="b", paragraphs=["Istanbul hosts talks. " * 40])
    )
    report = desk.ingest([str(tmp_path)])
    assert report.counts()[Outcome.NEW] == 2
    assert not report.failed
    alerts = desk.watchlists.alerts()
    assert len(alerts) == 2
    assert all(not a.delivered and a.error == "https://hooks.example: HTTP 502 Bad Gateway"
               for a in alerts)  # fmt: skip


def test_paused_watches_do_not_fire(desk: Newsdesk, recorder: Recorder, tmp_path: Path) -> None:
    paused = desk.watchlists.add("keyword", "Istanbul", HOOK)
    desk.watchlists.set_active(paused.id, False)
    (tmp_path / "a.html").write_text(html_page(domain="wire.example", slug="a"))
    desk.ingest([str(tmp_path)])
    assert recorder.sent == []
    assert desk.watchlists.alerts() == []


def stored(store: Store, article: Article, slug: str) -> int:
    article = replace(article, url=f"https://ledger.example/{slug}", canonical_url="")
    return store.add_article(article, text_hash=slug, minhash=None)


def test_reprocessed_articles_fire_only_watches_older_than_them(store: Store) -> None:
    recorder = Recorder()
    watchlists = Watchlists(store, sender=recorder)
    older = watchlists.add("keyword", "Istanbul", HOOK)
    article_id = stored(store, ARTICLE, "a")
    newer = watchlists.add("keyword", "prisoner exchange", HOOK)
    watchlists.send_alerts(article_id, ARTICLE, None)
    assert [note.payload["watch"]["id"] for _, note in recorder.sent] == [older.id]
    assert newer.id not in {a.watch_id for a in watchlists.alerts()}


def test_a_new_original_does_not_repeat_its_copies_alert(store: Store) -> None:
    recorder = Recorder()
    watchlists = Watchlists(store, sender=recorder)
    watchlists.add("keyword", "Istanbul", HOOK)
    first = stored(store, ARTICLE, "first")
    watchlists.send_alerts(first, ARTICLE, ItemResult(origin="a", outcome=Outcome.NEW))
    # An earlier-published copy arrives and takes over as the original of the first one.
    earlier = stored(store, ARTICLE, "earlier")
    store.relink_copies({first: DuplicateLink(original_id=earlier, similarity=1.0, exact=True)})
    watchlists.send_alerts(earlier, ARTICLE, ItemResult(origin="b", outcome=Outcome.NEW))
    assert len(recorder.sent) == 1


def test_adding_watches_checks_and_normalises(store: Store) -> None:
    watchlists = Watchlists(store, sender=Recorder())
    article_id = stored(store, ARTICLE, "a")
    store.actors.record(article_id, ARTICLE.actors, NOW)
    assert watchlists.add("actor", "Zelenskyy", HOOK).value == "volodymyr-zelensky"
    assert watchlists.add("actor", "Keir Starmer", HOOK).value == "keir-starmer"  # not seen yet
    assert watchlists.add("event", "consult", HOOK, status="Planned").describe() == (
        "event CONSULT (planned)"
    )
    with pytest.raises(ConfigError, match="unknown event status 'maybe'"):
        watchlists.add("event", "CONSULT", HOOK, status="maybe")
    with pytest.raises(ConfigError, match="only goes with an event type"):
        watchlists.add("keyword", "talks", HOOK, status="planned")
    with pytest.raises(ConfigError, match="no word"):
        watchlists.add("keyword", "--", HOOK)
    with pytest.raises(ConfigError, match="not a PLOVER type"):
        watchlists.add("event", "consult talks", HOOK)
    with pytest.raises(ConfigError, match="webhook"):
        watchlists.add("keyword", "talks", "hooks.example/x")


def test_test_sends_a_test_payload(store: Store) -> None:
    recorder = Recorder()
    watchlists = Watchlists(store, sender=recorder)
    added = watchlists.add("event", "CONSULT", HOOK)
    watchlists.test(added.id)
    [(url, note)] = recorder.sent
    assert url == HOOK
    assert note.payload["type"] == "newsdesk.test"
    assert note.payload["article"] is None
    assert note.title == "newsdesk test: event CONSULT"
    watchlists.sender = Recorder(error="HTTP 404 Not Found")
    with pytest.raises(DeliveryError, match="404"):
        watchlists.test(added.id)


def test_ingest_posts_to_a_real_webhook(store: Store, tmp_path: Path) -> None:
    receiver = WebhookReceiver()
    receiver.start()
    desk = Newsdesk(store, allow_private=True)
    try:
        receiver.routes["/hook"] = Route(status=200)
        desk.watchlists.add("keyword", "Istanbul", receiver.url("/hook"))
        (tmp_path / "a.html").write_text(html_page(domain="wire.example", slug="a"))
        desk.ingest([str(tmp_path / "a.html")])
    finally:
        receiver.stop()
    [payload] = receiver.payloads("/hook")
    assert payload["article"]["url"] == "https://wire.example/a"
    assert payload["matched"].startswith('keyword "Istanbul" in the title')
    assert desk.watchlists.alerts()[0].delivered
