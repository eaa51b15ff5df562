"""The watchlist tables: watches kept and paused, alerts claimed once per watch and article."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from newsdesk.errors import StoreError
from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.migrations import MIGRATIONS


def stored_article(store: Store, slug: str = "a") -> int:
    return store.add_article(
        Article(url=f"https://ledger.example/{slug}", text="Text."), text_hash=slug, minhash=None
    )


def test_add_get_list_pause_and_remove(store: Store) -> None:
    repo = store.watchlists
    actor = repo.add("actor", "volodymyr-zelensky", "https://hooks.example/a")
    event = repo.add("event", "CONSULT", "json://hooks.example/b", status="planned")
    assert repo.get(actor.id) == actor
    assert actor.active
    assert actor.status is None
    assert actor.created_at.tzinfo is not None
    assert event.describe() == "event CONSULT (planned)"
    assert [w.id for w in repo.watches()] == [actor.id, event.id]
    paused = repo.set_active(actor.id, False)
    assert not paused.active
    assert [w.id for w in repo.watches(active_only=True)] == [event.id]
    assert repo.remove(actor.id) is True
    assert repo.remove(actor.id) is False
    with pytest.raises(StoreError, match="no watch"):
        repo.get(actor.id)
    with pytest.raises(StoreError, match="no watch"):
        repo.set_active(actor.id, True)


def test_bad_watches_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown watch kind"):
        store.watchlists.add("topic", "x", "https://h.example")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="only event watches"):
        store.watchlists.add("keyword", "x", "https://h.example", status="planned")
    with pytest.raises(StoreError, match="needs a value"):
        store.watchlists.add("keyword", " ", "https://h.example")


def test_an_article_fires_a_watch_once(store: Store) -> None:
    repo = store.watchlists
    watch = repo.add("keyword", "prisoner exchange", "https://hooks.example/a")
    other = repo.add("keyword", "ceasefire", "https://hooks.example/b")
    first, second = stored_article(store, "a"), stored_article(store, "b")
    alert_id = repo.claim(watch.id, first, "keyword in the title")
    assert alert_id is not None
    assert repo.claim(watch.id, first, "again") is None  # the unique (watch, article) pair
    assert repo.claim(other.id, first, "another watch") is not None
    assert repo.claim(watch.id, second, "another article") is not None
    assert repo.fired(watch.id, [first])
    assert repo.fired(watch.id, [99, second])
    assert not repo.fired(watch.id, [])
    assert not repo.fired(other.id, [second])
    with pytest.raises(StoreError, match="no watch 999 or no article"):
        repo.claim(999, first, "x")
    undelivered = next(a for a in repo.alerts() if a.id == alert_id)
    assert not undelivered.delivered
    assert undelivered.error is None
    repo.record_delivery(alert_id, error="HTTP 500 Internal Server Error")
    failed = next(a for a in repo.alerts(watch_id=watch.id) if a.id == alert_id)
    assert (failed.delivered, failed.error) == (False, "HTTP 500 Internal Server Error")
    repo.record_delivery(alert_id, error=None)
    delivered = next(a for a in repo.alerts(watch_id=watch.id) if a.id == alert_id)
    assert (delivered.delivered, delivered.error) == (True, None)
    assert [a.article_id for a in repo.alerts(watch_id=watch.id)] == [second, first]
    assert len(repo.alerts(limit=1)) == 1
    repo.remove(watch.id)
    assert [a.watch_id for a in repo.alerts()] == [other.id]


def test_watchlists_migration_is_recorded_and_creates_the_tables(tmp_path: Path) -> None:
    assert [v for v, _, _ in MIGRATIONS] == sorted(v for v, _, _ in MIGRATIONS)
    assert any(name == "watchlists" for _, name, _ in MIGRATIONS)
    store = Store.open(tmp_path / "w.db")
    try:
        tables = set(inspect(store.engine).get_table_names())
        assert {"watches", "alerts"} <= tables
        unique = [i for i in inspect(store.engine).get_indexes("alerts") if i["unique"]]
        assert [i["column_names"] for i in unique] == [["watch_id", "article_id"]]
    finally:
        store.close()
