"""Stories through the service: assignment on ingest, saved state, recluster, views."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsdesk.service import Newsdesk
from newsdesk.store import Store
from newsdesk.stories.whatsnew import Basis


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """The sample corpus ingested once; tests copy it before changing it."""
    db = tmp_path_factory.mktemp("stories") / "corpus.db"
    desk = Newsdesk.open(db)
    desk.demo()
    desk.close()
    return db


@pytest.fixture
def corpus_desk(corpus_db: Path, tmp_path: Path) -> Iterator[Newsdesk]:
    copy = tmp_path / "corpus.db"
    shutil.copy(corpus_db, copy)
    desk = Newsdesk(Store.open(copy))
    yield desk
    desk.close()


def membership(desk: Newsdesk) -> set[frozenset[int]]:
    return {frozenset(m.article_id for m in x.members) for x in desk.stories.stories(limit=None)}


def gold_stories(desk: Newsdesk, gold: dict[str, dict[str, Any]]) -> dict[int, str]:
    """Article id -> gold story label, matched by canonical URL."""
    labels = {}
    for expected in gold.values():
        article_id = desk.store.article_id_for_url(expected["canonical_url"])
        if article_id is not None:
            labels[article_id] = expected["story"]
    return labels


def test_every_article_is_in_one_story_with_counts(corpus_desk: Newsdesk) -> None:
    listings = corpus_desk.stories.stories(limit=None)
    assigned = [m.article_id for x in listings for m in x.members]
    assert sorted(assigned) == sorted(corpus_desk.store.article_ids())
    for x in listings:
        assert x.story.article_count == len(x.members)
        assert x.story.independent_count <= x.story.outlet_count <= x.story.article_count
        assert sum(n for _, n in x.daily) >= 1
        assert x.story.title in {m.title for m in x.members}


def test_the_gold_stories_of_the_sample_corpus(
    corpus_desk: Newsdesk, gold: dict[str, dict[str, Any]]
) -> None:
    labels = gold_stories(corpus_desk, gold)
    assert len(labels) >= 50
    story_of = {a: corpus_desk.stories.story_of(a) for a in labels}
    istanbul = {story_of[a] for a, label in labels.items() if label == "istanbul-2025"}
    assert len(istanbul) == 1, "every Istanbul 2025 article shares one story"
    for label in set(labels.values()) - {"istanbul-2025"}:
        mine = {story_of[a] for a, lab in labels.items() if lab == label}
        theirs = {story_of[a] for a, lab in labels.items() if lab != label}
        assert not mine & theirs, f"{label} shares a story with another gold story"


def test_related_never_holds_the_article_or_its_copies(corpus_desk: Newsdesk) -> None:
    store = corpus_desk.store
    for article_id in store.article_ids():
        stored = store.article(article_id)
        root = stored.duplicate_of.original_id if stored.duplicate_of else article_id
        family = {root, *store.copies_of(root)}
        view = corpus_desk.stories.related(article_id, k=5)
        picked = [p.article_id for p in view.picks]
        assert not family & set(picked), (article_id, picked)
        assert len(picked) == len(set(picked)) <= 5
        same = [p.same_story for p in view.picks]
        assert same == sorted(same, reverse=True), "same story first"
        assert all(p.reason for p in view.picks)


def test_recluster_gives_the_online_stories(corpus_desk: Newsdesk) -> None:
    online = membership(corpus_desk)
    titles = {x.story.id: x.story.title for x in corpus_desk.stories.stories(limit=None)}
    report = corpus_desk.stories.recluster()
    assert report.articles == len(corpus_desk.store.article_ids())
    assert membership(corpus_desk) == online
    assert {x.story.id: x.story.title for x in corpus_desk.stories.stories(limit=None)} == titles


def test_saved_state_is_reused_and_a_lost_tail_is_caught_up(
    corpus_desk: Newsdesk, tmp_path: Path
) -> None:
    online = membership(corpus_desk)
    saved = corpus_desk.store.stories.load_state()
    assert saved is not None
    assert saved[1] == max(corpus_desk.store.article_ids())
    reopened = Newsdesk(Store.open(tmp_path / "corpus.db"))
    assert membership(reopened) == online
    # A state saved before the last articles were added: they are added again on start.
    early = reopened.stories.clusterer.__class__()
    reopened.store.stories.save_state(early.to_bytes(), 0)
    reopened.close()
    again = Newsdesk(Store.open(tmp_path / "corpus.db"))
    assert membership(again) == online
    again.close()


def test_story_views_cite_articles_of_the_story(corpus_desk: Newsdesk) -> None:
    biggest = max(corpus_desk.stories.stories(limit=None), key=lambda x: x.story.article_count)
    story_id = biggest.story.id
    ids = set(corpus_desk.stories.article_ids(story_id))
    view = corpus_desk.stories.story(story_id)
    assert {a.id for a in view.articles} == ids
    assert 3 <= len(view.summary) <= 5
    assert {s.article_id for s in view.summary} <= ids
    said = corpus_desk.stories.quotes(story_id)
    assert said.actors, "the sample corpus has attributed quotes"
    for speaker in said.actors:
        for saying in speaker.quotes:
            assert {c.article_id for c in saying.citations} <= ids
    timeline = corpus_desk.stories.timeline(story_id)  # events may not be extracted yet
    for entry in timeline.entries:
        assert {c.article_id for c in entry.citations} <= ids
    later = corpus_desk.stories.whats_new(story_id, datetime(2100, 1, 1, tzinfo=UTC))
    assert later.empty
    everything = corpus_desk.stories.whats_new(
        story_id, datetime(2000, 1, 1, tzinfo=UTC), basis=Basis.PUBLISHED
    )
    copies = {m.article_id for m in view.members if m.duplicate_of in ids}
    assert {c.article_id for c in everything.articles} == ids - copies


def test_reprocessing_keeps_the_story(corpus_desk: Newsdesk) -> None:
    article_id = corpus_desk.store.article_ids()[0]
    before = corpus_desk.stories.story_of(article_id)
    corpus_desk.reprocess(force=True, stage="extract")
    assert corpus_desk.stories.story_of(article_id) == before
