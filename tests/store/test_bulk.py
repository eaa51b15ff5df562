"""The bulk loader writes the rows ``add_article`` and ``actors.record`` write one by one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsdesk.model import Actor, Article, Entity, Event, Published
from newsdesk.store import Store
from newsdesk.store.bulk import BulkArticle, add_articles

PUTIN = Actor(key="vladimir-putin", name="Vladimir Putin", kind="person", titles=("President",))
ERDOGAN = Actor(key="recep-tayyip-erdogan", name="Erdoğan", kind="person", sector="government")
ENTITIES = (Entity(text="Putin", start=0, end=5, label="PERSON"),)
SPOKE = Event(type="CONSULT", status="occurred", start=0, end=12, trigger="spoke", trigger_start=6,
              trigger_end=11, actors=("vladimir-putin",))  # fmt: skip


def articles() -> list[Article]:
    made = []
    for n, (actors, day) in enumerate([((PUTIN,), 16), ((PUTIN, ERDOGAN), 14), ((ERDOGAN,), 18)]):
        made.append(
            Article(
                url=f"https://ledger.example/{n}", domain="ledger.example" if n < 2 else None,
                site="The Ledger", title=f"Story {n}", text=f"Putin spoke. Item {n}.",
                published=Published(value=datetime(2025, 5, day, tzinfo=UTC)),
                actors=actors, entities=ENTITIES, events=(SPOKE,) if n == 0 else (),
            )
        )  # fmt: skip
    # A near copy of the first, from another outlet, with a later title for Putin.
    copy_actor = Actor(key="vladimir-putin", name="Putin", kind="person", titles=("Leader",))
    made.append(
        Article(url="https://wire.example/0", domain="wire.example", title="Story 0 (copy)",
                text="Putin spoke. Item 0.", actors=(copy_actor,), entities=ENTITIES)
    )  # fmt: skip
    return made


def test_bulk_rows_match_one_by_one_rows(tmp_path: Path) -> None:
    one, bulk = Store.open(tmp_path / "one.db"), Store.open(tmp_path / "bulk.db")
    try:
        items = articles()
        ids_one = []
        for n, article in enumerate(items):
            article_id = one.add_article(article, text_hash=f"h{n}", minhash=None)
            one.actors.record(article_id, article.actors, article.published.value)
            ids_one.append(article_id)
        ids_bulk = add_articles(
            bulk,
            [
                BulkArticle(
                    article=a, text_hash=f"h{n}", copy_of=0 if n == 3 else None, similarity=0.9
                )
                for n, a in enumerate(items)
            ],
        )
        assert ids_bulk == ids_one
        for article_id in ids_one:
            assert bulk.article(article_id).article == one.article(article_id).article
        link = bulk.article(ids_bulk[3]).duplicate_of
        assert link is not None
        assert (link.original_id, link.similarity, link.exact) == (ids_bulk[0], 0.9, False)
        assert bulk.copies_of(ids_bulk[0]) == [ids_bulk[3]]
        assert bulk.stats().outlets == one.stats().outlets == 2
        assert bulk.events.count() == one.events.count() == 1
        summaries = {s.actor.key: s for s in bulk.actors.summaries()}
        expected = {s.actor.key: s for s in one.actors.summaries()}
        assert summaries.keys() == expected.keys()
        for key, summary in expected.items():
            assert summaries[key].actor == summary.actor
            assert summaries[key].articles == summary.articles
            assert summaries[key].first_seen == summary.first_seen
        assert summaries["vladimir-putin"].actor.titles == ("President", "Leader")
        assert bulk.actors.titles("vladimir-putin") == one.actors.titles("vladimir-putin")
        assert [h.article.id for h in bulk.search("Putin")] == [h.article.id for h in
                                                               one.search("Putin")]  # fmt: skip
    finally:
        one.close()
        bulk.close()


def test_a_second_batch_merges_into_known_actors(store: Store) -> None:
    first, second = articles()[:1], articles()[1:3]
    add_articles(store, [BulkArticle(article=a, text_hash="a") for a in first])
    add_articles(store, [BulkArticle(article=a, text_hash=f"b{n}") for n, a in enumerate(second)])
    putin = store.actors.get("vladimir-putin")
    assert putin.articles == 2
    assert putin.first_seen == datetime(2025, 5, 14, tzinfo=UTC)
    assert putin.last_seen == datetime(2025, 5, 16, tzinfo=UTC)
    assert store.actors.get("recep-tayyip-erdogan").actor.sector == "government"
