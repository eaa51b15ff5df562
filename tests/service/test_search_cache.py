"""Search pages are kept in memory until anything a search reads changes, in any process."""
# The fixtures imported from tests.service.corpus_pages are test parameters here:
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.service import Newsdesk
from newsdesk.service import reading as service_reading
from newsdesk.service.reading import ReadingDesk
from newsdesk.store import Store
from newsdesk.store.facets import SearchFilters
from tests.service.corpus_pages import db, desk, pages_db  # noqa: F401 - fixtures


class Counting:
    """Counts the searches that reach the database."""

    def __init__(self, desk: Newsdesk, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        facets = desk.store.facets
        search = facets.search

        def counted(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return search(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(facets, "search", counted)


def test_a_repeated_search_is_answered_from_memory(
    desk: Newsdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading = ReadingDesk(desk)
    counting = Counting(desk, monkeypatch)
    first = reading.search("ceasefire")
    assert first.hits
    assert reading.search("ceasefire ") == first  # the same words
    assert counting.calls == 1
    reading.search("ceasefire", SearchFilters(status="proposed"))  # other filters: searched
    reading.search("ceasefire", offset=5)
    assert counting.calls == 3


def test_new_articles_and_actor_edits_clear_the_kept_pages(
    desk: Newsdesk, db: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading = ReadingDesk(desk)
    before = reading.search("", limit=100)  # no words: every article, newest first
    desk.ingest([str(corpus / "scrapes")])
    counting = Counting(desk, monkeypatch)
    after = reading.search("", limit=100)
    assert counting.calls == 1
    assert after.total > before.total
    other = Store.open(db)  # another process's write: an alias added to an actor
    try:
        with other.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE actors SET name = name WHERE rowid = 1")
    finally:
        other.close()
    reading.search("Medinsky")
    assert counting.calls == 2


def test_the_kept_pages_are_bounded(desk: Newsdesk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_reading, "KEPT_SEARCHES", 2)
    reading = ReadingDesk(desk)
    for words in ("ceasefire", "sanctions", "Istanbul"):
        reading.search(words)
    counting = Counting(desk, monkeypatch)
    reading.search("sanctions")
    reading.search("Istanbul")
    assert counting.calls == 0
    reading.search("ceasefire")  # the oldest was let go
    assert counting.calls == 1
