"""An article's related view is kept in memory while the store's stories are unchanged."""
# The fixtures imported from tests.service.corpus_pages are test parameters here:
# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from newsdesk.service import Newsdesk
from newsdesk.service import stories as service_stories
from newsdesk.service.storyviews import RelatedView
from newsdesk.store import Store
from tests.service.corpus_pages import db, desk, pages_db  # noqa: F401 - fixtures


class Scoring:
    """Counts the similarity searches (the scoring of stored vectors) a desk runs."""

    def __init__(self, desk: Newsdesk, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        clusterer = desk.stories.clusterer
        similar = clusterer.similar

        def counted(doc_id: int, k: int = 10) -> list[tuple[int, float]]:
            self.calls += 1
            return similar(doc_id, k)

        monkeypatch.setattr(clusterer, "similar", counted)


def views(desk: Newsdesk, ids: Sequence[int]) -> dict[int, RelatedView]:
    return {i: desk.stories.related(i, k=5) for i in ids}


def uncached(db: Path, ids: Sequence[int]) -> dict[int, RelatedView]:
    fresh = Newsdesk(Store.open(db))
    try:
        return views(fresh, ids)
    finally:
        fresh.close()


def test_an_unchanged_store_answers_from_memory(
    desk: Newsdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = desk.store.article_ids()
    scoring = Scoring(desk, monkeypatch)
    first = views(desk, ids)
    assert scoring.calls == len(ids)
    assert views(desk, ids) == first
    assert scoring.calls == len(ids)  # every second call answered from memory
    desk.stories.related(ids[0], k=2)  # another k is found on its own
    assert scoring.calls == len(ids) + 1


def test_a_new_article_clears_the_kept_views(
    desk: Newsdesk, db: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = desk.store.article_ids()
    before = views(desk, ids)
    desk.ingest([str(corpus / "scrapes")])  # new articles, each assigned to a story
    assert set(desk.store.article_ids()) > set(ids)
    scoring = Scoring(desk, monkeypatch)
    after = views(desk, ids)
    assert scoring.calls == len(ids)  # all found again
    assert after != before  # the new articles are related to some of the old
    desk.stories.flush()  # saved, so a fresh desk has nothing to catch up
    assert after == uncached(db, ids)


def test_a_reassignment_through_another_connection_is_seen(
    desk: Newsdesk, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listings = desk.stories.stories(limit=None)
    moved = listings[-1].members[0]
    target = listings[0].story.id
    desk.stories.related(moved.article_id)
    scoring = Scoring(desk, monkeypatch)
    other = Store.open(db)  # another process's view of the same database
    try:
        other.stories.assign(moved.article_id, target, moved.score)  # no refresh
    finally:
        other.close()
    desk.stories.related(moved.article_id)
    assert scoring.calls == 1


def test_the_kept_views_are_bounded(desk: Newsdesk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_stories, "CACHED_RELATED", 2)
    ids = desk.store.article_ids()[:3]
    views(desk, ids)
    scoring = Scoring(desk, monkeypatch)
    views(desk, ids[1:])  # the latest two are kept
    assert scoring.calls == 0
    desk.stories.related(ids[0])  # the oldest was dropped
    assert scoring.calls == 1
