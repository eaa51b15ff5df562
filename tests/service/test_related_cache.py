"""An article's related view is kept in memory while the store's stories are unchanged, and its
picks in the store for every process until something outdates them."""
# The fixtures imported from tests.service.corpus_pages are test parameters here:
# ruff: noqa: F811

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from newsdesk.service import Newsdesk
from newsdesk.service import related as service_related
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
    """The views found from scratch: another desk, nothing kept in the store."""
    fresh = Newsdesk(Store.open(db))
    try:
        fresh.store.prepared.clear()
        return views(fresh, ids)
    finally:
        fresh.close()


def described(view: RelatedView) -> list[tuple[object, ...]]:
    """A view's picks without their scores."""
    picks = [
        (p.article_id, p.story_id, p.same_story, p.reason, p.shared_actors) for p in view.picks
    ]
    return [*picks, *((c.url, c.article_id, c.picked) for c in view.page_links)]


def originals(desk: Newsdesk, ids: Sequence[int]) -> set[int]:
    """The articles whose picks are found: a copy gets its original's."""
    roots = set()
    for i in ids:
        link = desk.store.article(i).duplicate_of
        roots.add(link.original_id if link else i)
    return roots


def test_an_unchanged_store_answers_from_memory(
    desk: Newsdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = desk.store.article_ids()
    scoring = Scoring(desk, monkeypatch)
    first = views(desk, ids)
    assert scoring.calls == len(originals(desk, ids))  # copies share their original's picks
    assert views(desk, ids) == first
    assert scoring.calls == len(originals(desk, ids))  # every second call answered from memory
    assert desk.stories.related(ids[0], k=2).picks == first[ids[0]].picks[:2]  # kept ones
    assert scoring.calls == len(originals(desk, ids))
    desk.stories.related(ids[0], k=8)  # more than are kept: found on its own
    assert scoring.calls == len(originals(desk, ids)) + 1


def test_a_copy_shows_its_originals_picks(desk: Newsdesk) -> None:
    ids = desk.store.article_ids()
    copies = [i for i in ids if desk.store.article(i).duplicate_of]
    assert copies, "the corpus pages hold syndicated copies"
    for copy in copies:
        original = desk.store.article(copy).duplicate_of
        assert original is not None
        assert desk.stories.related(copy).picks == desk.stories.related(original.original_id).picks


def test_kept_picks_serve_another_process(
    desk: Newsdesk, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = desk.store.article_ids()
    first = views(desk, ids)
    other = Newsdesk(Store.open(db))  # a second web worker, or the next start
    try:
        scoring = Scoring(other, monkeypatch)
        assert views(other, ids) == first
        assert scoring.calls == 0
    finally:
        other.close()


def test_a_story_change_outdates_its_kept_picks(
    desk: Newsdesk, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listings = desk.stories.stories(limit=None)
    kept = listings[0].members[0].article_id
    desk.stories.related(kept)
    other = Newsdesk(Store.open(db))
    try:
        other.stories._refresh(listings[0].story.id)  # the story updated, by another process
        scoring = Scoring(other, monkeypatch)
        other.stories.related(kept)
        assert scoring.calls == 1
    finally:
        other.close()


def test_a_new_article_clears_the_kept_views(
    desk: Newsdesk, db: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = desk.store.article_ids()
    before = views(desk, ids)
    desk.ingest([str(corpus / "scrapes")])  # new articles, each assigned to a story
    assert set(desk.store.article_ids()) > set(ids)
    scoring = Scoring(desk, monkeypatch)
    after = views(desk, ids)
    assert 0 < scoring.calls < len(ids)  # the picks the new articles outdated are found again
    assert after != before  # the new articles are related to some of the old
    desk.stories.flush()  # saved, so a fresh desk has nothing to catch up
    # The same picks for the same reasons as found from scratch; a kept score may differ in
    # the third decimal (every article stored since moves the term weights a little).
    fresh = uncached(db, ids)
    assert {i: described(v) for i, v in after.items()} == {
        i: described(v) for i, v in fresh.items()
    }
    for i in ids:
        for kept, found in zip(after[i].picks, fresh[i].picks, strict=True):
            assert kept.score == pytest.approx(found.score, abs=0.01)


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
    monkeypatch.setattr(service_related, "CACHED_RELATED", 2)
    ids = desk.store.article_ids()[:3]
    views(desk, ids)
    scoring = Scoring(desk, monkeypatch)
    views(desk, ids[1:])  # the latest two are kept
    assert scoring.calls == 0
    desk.store.prepared.clear()  # so what memory lost must be found again
    desk.stories.related(ids[0])  # the oldest was dropped from memory
    assert scoring.calls == 1
