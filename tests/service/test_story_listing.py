"""The front page's story list is kept in memory while the store's stories are unchanged, and
read again when an article is assigned (here or through another connection)."""
# The fixtures imported from tests.service.corpus_pages are test parameters here:
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.service import Newsdesk
from newsdesk.service.storyviews import StoryListing
from newsdesk.store import Store
from tests.service.corpus_pages import db, desk, pages_db  # noqa: F401 - fixtures


class Counting:
    """Counts the ranking queries a desk runs."""

    def __init__(self, desk: Newsdesk, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        ranked = desk.store.stories.ranked

        def counted(**kwargs: object) -> object:
            self.calls += 1
            return ranked(**kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(desk.store.stories, "ranked", counted)


def uncached(db: Path, limit: int | None) -> list[StoryListing]:
    fresh = Newsdesk(Store.open(db))
    try:
        return fresh.stories.stories(limit=limit)
    finally:
        fresh.close()


def assigned(listings: list[StoryListing]) -> set[int]:
    return {m.article_id for x in listings for m in x.members}


def test_an_unchanged_store_answers_from_memory(
    desk: Newsdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(desk, monkeypatch)
    first = desk.stories.stories(limit=30)
    again = desk.stories.stories(limit=30)
    assert counting.calls == 1
    assert again == first
    again.clear()  # a caller's list is its own
    assert desk.stories.stories(limit=30) == first
    desk.stories.stories(limit=None)  # another page size is ranked on its own
    assert counting.calls == 2


def test_an_assigned_article_reranks_the_list(
    desk: Newsdesk, db: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(desk, monkeypatch)
    before = desk.stories.stories(limit=None)
    desk.ingest([str(corpus / "scrapes")])  # new articles, each assigned to a story
    after = desk.stories.stories(limit=None)
    assert counting.calls == 2
    assert assigned(after) == set(desk.store.article_ids()) > assigned(before)
    desk.stories.flush()  # saved, so a fresh desk has nothing to catch up (and refresh)
    assert after == uncached(db, None)


def test_an_assignment_through_another_connection_is_seen(
    desk: Newsdesk, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = desk.stories.stories(limit=None)
    moved = before[-1].members[0]
    target = before[0].story.id
    other = Store.open(db)  # another process's view of the same database
    try:
        other.stories.assign(moved.article_id, target, moved.score)
        other.stories.refresh(target, None)
        other.stories.refresh(moved.story_id, None)
    finally:
        other.close()
    after = desk.stories.stories(limit=None)
    mine = next(x for x in after if x.story.id == target)
    assert moved.article_id in {m.article_id for m in mine.members}
    assert after == uncached(db, None)


def test_the_fingerprint_marks_a_bare_move(desk: Newsdesk) -> None:
    listings = desk.stories.stories(limit=None)
    stories = desk.store.stories
    mark = stories.fingerprint()
    assert stories.fingerprint() == mark
    moved = listings[-1].members[0]
    stories.assign(moved.article_id, listings[0].story.id, moved.score)  # no refresh
    assert stories.fingerprint() != mark


def test_the_fingerprint_marks_an_unassignment_and_a_refresh(desk: Newsdesk) -> None:
    stories = desk.store.stories
    listing = desk.stories.stories(limit=None)[0]
    mark = stories.fingerprint()
    stories.refresh(listing.story.id, None)
    refreshed = stories.fingerprint()
    assert refreshed != mark
    with desk.store.engine.begin() as conn:  # any writer, even one outside the repository
        conn.exec_driver_sql(
            "DELETE FROM article_stories WHERE article_id = ?", (listing.members[-1].article_id,)
        )
    assert stories.fingerprint() != refreshed


def test_brief_articles_carry_what_related_lists_show(desk: Newsdesk) -> None:
    ids = [m.article_id for m in desk.stories.stories(limit=None)[0].members[:3]]
    full = desk.store.stories.story_articles(ids)
    brief = desk.store.stories.story_articles(ids, brief=True)
    assert [a.id for a in brief] == ids
    for whole, short in zip(full, brief, strict=True):
        assert short.article.title == whole.article.title
        assert short.article.published == whole.article.published
        lean = [(a.key, a.name, a.kind) for a in short.article.actors]
        assert lean == [(a.key, a.name, a.kind) for a in whole.article.actors]
        assert [(e.type, e.status, e.trigger, e.start, e.end) for e in short.article.events] == [
            (e.type, e.status, e.trigger, e.start, e.end) for e in whole.article.events
        ]
        assert short.article.text == ""
        assert short.article.quotes == ()
