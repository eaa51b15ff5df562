"""Prepared views: kept by kind and key, used only under the version they were made for."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsdesk.store import Store


def test_a_view_is_used_only_under_its_version(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    try:
        views = store.prepared
        assert views.get("related", "7", "v1") is None
        assert views.put("related", "7", "v1", b"first")
        assert views.get("related", "7", "v1") == b"first"
        assert views.get("related", "7", "v2") is None  # made for another version
        assert views.put("related", "7", "v2", b"second")  # replaces it
        assert views.get("related", "7", "v1") is None
        assert views.get("related", "7", "v2") == b"second"
        assert views.get("story", "7", "v2") is None  # kinds apart
    finally:
        store.close()


def test_drop_and_clear(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    try:
        views = store.prepared
        for key in ("1", "2", "3"):
            views.put("related", key, "v", key.encode())
        views.put("story", "1", "v", b"s")
        views.drop("related", ["1", "3", "404"])
        assert views.keys("related") == {"2"}
        assert views.clear("related") == 1
        assert views.keys("story") == {"1"}
        assert views.clear() == 1
        assert views.keys("story") == set()
    finally:
        store.close()


def test_a_busy_database_keeps_nothing_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store.open(db)
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        assert store.prepared.put("related", "1", "v", b"x") is False
        writer.execute("ROLLBACK")
        assert store.prepared.put("related", "1", "v", b"x") is True
        assert store.prepared.get("related", "1", "v") == b"x"
        with store.engine.connect() as conn:  # the store's usual wait is back
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    finally:
        writer.close()
        store.close()
