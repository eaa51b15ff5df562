"""The event index: written with each article, queried by actor, type, status, date, article."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from newsdesk.model import Actor, Article, Event, EventRole, Published
from newsdesk.store import Store
from newsdesk.store.events import backfill_events
from newsdesk.store.migrations import MIGRATIONS

LEDGER = (
    "Putin will not attend the Istanbul talks, the Kremlin said on Monday. Zelenskiy said he"
    " would go only if Putin came. In March 2022, talks in Istanbul collapsed."
)
COURIER = "Trump floated secondary sanctions on Russia. Trump called for a 30-day ceasefire."
PUTIN = Actor(key="vladimir-putin", name="Vladimir Putin", kind="person")
ZELENSKIY = Actor(key="volodymyr-zelenskiy", name="Volodymyr Zelenskiy", kind="person")
KREMLIN = Actor(key="government-of-russia", name="Government of Russia", kind="government")
TRUMP_J = Actor(key="donald-j-trump", name="Donald J. Trump", kind="person")
TRUMP = Actor(key="donald-trump", name="Donald Trump", kind="person")


def event(article_text: str, sentence: str, trigger: str, **fields: object) -> Event:
    """An event whose spans really point into ``article_text``."""
    start = article_text.index(sentence)
    at = article_text.index(trigger, start)
    values: dict[str, object] = {
        "type": "CONSULT", "status": "occurred", "start": start, "end": start + len(sentence),
        "trigger": trigger, "trigger_start": at, "trigger_end": at + len(trigger),
    }  # fmt: skip
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def corpus() -> list[Article]:
    """Three articles: one with three events, one with two, one with none."""
    ledger = Article(
        url="https://ledger.example/istanbul", title="Putin will not attend",
        site="The Bosphorus Ledger", domain="ledger.example", text=LEDGER,
        published=Published(value=datetime(2025, 5, 12, 10, 0, tzinfo=UTC)),
        actors=(PUTIN, ZELENSKIY, KREMLIN),
        events=(
            event(LEDGER, "Putin will not attend the Istanbul talks, the Kremlin said on Monday.",
                  "will not attend", type="REJECT", mode="meet", cameo="125",
                  status="declined", actors=("vladimir-putin",), date="2025-05-15",
                  granularity="day", place="Istanbul", country_code="TR",
                  asserted_by="government-of-russia",
                  summary="Putin declines the Istanbul talks", confidence=0.9),
            event(LEDGER, "Zelenskiy said he would go only if Putin came.", "go",
                  status="conditional", actors=("volodymyr-zelenskiy",),
                  recipients=("vladimir-putin",), condition="only if Putin came",
                  roles=(EventRole(actor="volodymyr-zelenskiy", role="president"),)),
            event(LEDGER, "In March 2022, talks in Istanbul collapsed.", "talks",
                  status="historical", date="2022-03", granularity="month",
                  date_text="March 2022"),
        ),
    )  # fmt: skip
    courier = Article(
        url="https://courier.example/sanctions", title="Trump floats sanctions",
        domain="courier.example", text=COURIER,
        published=Published(value=datetime(2025, 5, 1, 8, 0, tzinfo=UTC)),
        actors=(TRUMP_J, KREMLIN),
        events=(
            event(COURIER, "Trump floated secondary sanctions on Russia.", "sanctions",
                  type="THREATEN", status="threatened", actors=("donald-j-trump",),
                  recipients=("government-of-russia",)),
            event(COURIER, "Trump called for a 30-day ceasefire.", "ceasefire", type="YIELD",
                  status="proposed", actors=("donald-j-trump",), date="2025-W19",
                  granularity="week"),
        ),
    )  # fmt: skip
    quiet = Article(
        url="https://ledger.example/quiet", title="Nothing happened", text="A quiet day.",
        published=Published(value=datetime(2025, 5, 13, tzinfo=UTC)), actors=(TRUMP,),
    )  # fmt: skip
    return [ledger, courier, quiet]


def fill(store: Store) -> list[Article]:
    """Store the corpus (ids 1, 2, 3) with its actors, as ingest would."""
    articles = corpus()
    for article in articles:
        article_id = store.add_article(article, text_hash=article.url, minhash=None)
        store.actors.record(article_id, article.actors, article.published.value)
    return articles


def found(store: Store, **filters: object) -> list[tuple[int, int]]:
    return [(s.article_id, s.position) for s in store.events.query(**filters)]  # type: ignore[arg-type]


def test_events_are_indexed_with_their_article_and_read_back_whole(store: Store) -> None:
    articles = fill(store)
    assert store.events.count() == 5
    everything = store.events.query()
    # Newest first by the event's own date, else the article's publication day.
    assert [(s.article_id, s.position) for s in everything] == [
        (1, 0),  # 2025-05-15
        (1, 1),  # undated: published 2025-05-12
        (2, 0),  # undated: published 2025-05-01
        (2, 1),  # a week: goes by publication too
        (1, 2),  # 2022-03
    ]
    first = everything[0]
    assert first.event == articles[0].events[0]
    assert (first.title, first.site, first.domain) == (
        "Putin will not attend", "The Bosphorus Ledger", "ledger.example"
    )  # fmt: skip
    assert first.published == datetime(2025, 5, 12, 10, 0, tzinfo=UTC)
    assert first.names == {"vladimir-putin": "Vladimir Putin",
                           "government-of-russia": "Government of Russia"}  # fmt: skip


def test_filters_combine(store: Store) -> None:
    fill(store)
    assert found(store, type="consult") == [(1, 1), (1, 2)]
    assert found(store, status="DECLINED") == [(1, 0)]
    assert found(store, actor="vladimir-putin") == [(1, 0), (1, 1)]  # doer or recipient
    assert found(store, actor="government-of-russia") == [(2, 0)]  # asserting is not doing
    assert found(store, article_ids={2}) == [(2, 0), (2, 1)]
    assert found(store, article_ids=[]) == []
    assert found(store, type="CONSULT", status="historical") == [(1, 2)]
    assert found(store, limit=2) == [(1, 0), (1, 1)]
    assert found(store, actor="nobody-at-all") == []


def test_since_goes_by_event_date_else_publication(store: Store) -> None:
    fill(store)
    assert found(store, since=date(2025, 5, 10)) == [(1, 0), (1, 1)]
    assert found(store, since=date(2025, 5, 13)) == [(1, 0)]
    assert found(store, since=date(2025, 5, 16)) == []
    assert found(store, since=date(2025, 5, 1)) == [(1, 0), (1, 1), (2, 0), (2, 1)]
    # A month counts when it reaches the day asked for.
    assert (1, 2) in found(store, since=date(2022, 3, 20))
    assert (1, 2) not in found(store, since=date(2022, 4, 1))


def test_replacing_an_article_replaces_its_index_rows(store: Store) -> None:
    ledger = fill(store)[0]
    store.replace_article(1, dataclasses.replace(ledger, events=ledger.events[:1]), text_hash="x")
    assert store.events.count() == 3
    assert found(store, type="CONSULT") == []
    assert found(store, actor="volodymyr-zelenskiy") == []
    assert found(store, article_ids={1}) == [(1, 0)]
    store.replace_article(1, dataclasses.replace(ledger, events=()), text_hash="x")
    assert found(store, article_ids={1}) == []
    with store.engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM event_actors WHERE article_id = 1"))
        assert left.scalar() == 0


def test_merged_and_renamed_actors_are_found_and_shown_as_now(store: Store) -> None:
    fill(store)
    store.actors.merge("donald-trump", "donald-j-trump")
    by_new_key = store.events.query(actor="donald-trump")
    assert [(s.article_id, s.position) for s in by_new_key] == [(2, 0), (2, 1)]
    assert by_new_key[0].event.actors == ("donald-trump",)  # the stored key, mapped
    assert by_new_key[0].names["donald-trump"] == "Donald Trump"
    assert found(store, actor="donald-j-trump") == [(2, 0), (2, 1)]  # the old key still works
    store.actors.rename("donald-trump", "President Donald Trump")
    assert store.events.query(actor="donald-trump")[0].names["donald-trump"] == (
        "President Donald Trump"
    )


def test_migration_backfills_articles_stored_before_the_index(tmp_path: Path) -> None:
    assert (6, "events index") in [(v, n) for v, n, _ in MIGRATIONS]
    path = tmp_path / "old.db"
    store = Store.open(path)
    fill(store)
    with store.engine.begin() as conn:  # as a database from before version 6 was
        conn.execute(text("DROP TABLE event_actors"))
        conn.execute(text("DROP TABLE events"))
        conn.execute(text("DELETE FROM schema_migrations WHERE version = 6"))
    store.close()
    reopened = Store.open(path)
    assert reopened.events.count() == 5
    assert [(s.article_id, s.position) for s in reopened.events.query(actor="vladimir-putin")] == [
        (1, 0),
        (1, 1),
    ]
    with reopened.engine.begin() as conn:
        assert backfill_events(conn) == 0  # indexed articles are not indexed twice
    assert reopened.events.count() == 5
    reopened.close()
