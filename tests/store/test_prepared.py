"""Prepared views: kept by kind and key, used only under the version they were made for."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.store import Store, prepared


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


def test_writing_behind_keeps_every_row_handed_over_once_flushed(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    try:
        views = store.prepared
        views.write_behind()
        for n in range(100):
            assert views.put("related", str(n), "v", f"body {n}".encode())
        views.flush()
        assert views.keys("related") == {str(n) for n in range(100)}
        assert views.get("related", "99", "v") == b"body 99"
        views.put("related", "last", "v", b"x")
    finally:
        store.close()  # writes what is still queued
    reopened = Store.open(tmp_path / "s.db")
    try:
        assert reopened.prepared.get("related", "last", "v") == b"x"
    finally:
        reopened.close()


@pytest.fixture
def behind(tmp_path: Path) -> Iterator[tuple[Store, sqlite3.Connection]]:
    """A store writing behind, and another connection that can hold the write lock."""
    db = tmp_path / "s.db"
    store = Store.open(db)
    other = sqlite3.connect(db, isolation_level=None)
    try:
        yield store, other
    finally:
        other.close()
        store.close()


def test_a_writer_far_behind_gives_up_rows_instead_of_making_requests_wait(
    behind: tuple[Store, sqlite3.Connection], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, other = behind
    monkeypatch.setattr(prepared, "WRITE_BEHIND_ROWS", 2)
    store.prepared.write_behind()
    other.execute("BEGIN IMMEDIATE")  # the writer thread will wait for this lock
    answers = [store.prepared.put("related", str(n), "v", b"x") for n in range(10)]
    assert False in answers  # handed back at once, not kept
    other.execute("ROLLBACK")
    store.prepared.flush()
    kept = {str(n) for n, taken in enumerate(answers) if taken}
    assert store.prepared.keys("related") == kept


def test_one_batch_may_hold_a_key_twice_and_the_writer_goes_on(
    behind: tuple[Store, sqlite3.Connection],
) -> None:
    store, other = behind
    store.prepared.write_behind()
    other.execute("BEGIN IMMEDIATE")  # the rows queue up behind this lock
    for body in (b"first", b"second", b"third"):
        assert store.prepared.put("json", "/stories/1", "v", body)
    other.execute("ROLLBACK")
    assert store.prepared.flush(timeout=20)
    assert store.prepared.get("json", "/stories/1", "v") == b"third"  # the last one wins
    assert store.prepared.put("json", "/stories/2", "v", b"after")
    assert store.prepared.flush(timeout=20)  # the writer thread is still alive
    assert store.prepared.get("json", "/stories/2", "v") == b"after"


def test_a_flush_gives_up_after_its_timeout(behind: tuple[Store, sqlite3.Connection]) -> None:
    store, other = behind
    store.prepared.write_behind()
    other.execute("BEGIN IMMEDIATE")
    store.prepared.put("related", "1", "v", b"x")
    assert store.prepared.flush(timeout=0.2) is False  # still waiting for the lock
    other.execute("ROLLBACK")
    assert store.prepared.flush(timeout=20) is True
