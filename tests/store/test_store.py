"""The store: round trips, migrations, raw documents, search, feeds."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.errors import StoreError
from newsdesk.model import (
    Article,
    DateSource,
    DuplicateLink,
    Feed,
    Outcome,
    Published,
    RawDocument,
    RawKind,
    RelatedLink,
)
from newsdesk.store import Store
from newsdesk.store.migrations import MIGRATIONS, migrate
from newsdesk.text import clean_line, clean_text

clean = st.text(min_size=1).map(clean_text).filter(bool)
line = st.text(min_size=1, max_size=80).map(clean_line).filter(bool)
aware = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
articles = st.builds(
    Article,
    url=st.from_regex(r"https://[a-z]{3,10}\.example/[a-z0-9/]{1,30}", fullmatch=True),
    source=line,
    title=st.none() | line,
    authors=st.lists(line, max_size=3).map(tuple),
    published=st.builds(
        Published,
        value=st.none() | aware,
        source=st.sampled_from(DateSource),
        confidence=st.floats(0, 1),
        date_only=st.booleans(),
    ),
    language=st.none() | st.sampled_from(["en", "de", "tr"]),
    text=clean,
    related_links=st.lists(
        st.builds(RelatedLink, title=line, url=st.none() | line, teaser=st.none() | line),
        max_size=3,
    ).map(tuple),
    processed_by=st.just(("extract@1", "language@1")),
    site=st.none() | line,
    domain=st.none() | st.sampled_from(["a.example", "b.example"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(article=articles)
def test_store_round_trip(tmp_path: Path, article: Article) -> None:
    store = Store.open(tmp_path / f"rt-{abs(hash(article.url))}.db")
    try:
        doc = RawDocument(origin="x", body=article.text.encode(), kind=RawKind.TEXT)
        sha = store.save_raw(doc)
        article = dataclasses.replace(article, raw_sha256=sha, raw_kind=RawKind.TEXT)
        found = store.article_id_for_url(article.canonical_url or article.url)
        if found is None:
            article_id = store.add_article(article, text_hash="h", minhash=None)
            back = store.article(article_id).article
            assert back == dataclasses.replace(
                article, canonical_url=article.canonical_url or article.url
            )
            assert store.raw(sha) == doc
    finally:
        store.close()


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "m.db")
    assert migrate(store.engine) == []
    store.close()
    again = Store.open(tmp_path / "m.db")
    assert migrate(again.engine) == []
    again.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "n.db")
    with store.engine.begin() as conn:
        from newsdesk.store import schema

        conn.execute(
            schema.schema_migrations.insert().values(
                version=len(MIGRATIONS) + 50, name="future", applied_at=datetime.now(UTC)
            )
        )
    store.close()
    with pytest.raises(StoreError, match="newer than this newsdesk"):
        Store.open(tmp_path / "n.db")


def test_database_is_in_wal_mode(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_search_finds_by_title_and_text_with_snippet(store: Store) -> None:
    for i, (title, text) in enumerate(
        [
            ("Delegations arrive in Istanbul", "Medinsky leads the Russian side."),
            ("Markets calm", "Traders watched the prisoner exchange talks."),
        ]
    ):
        store.add_article(
            Article(
                url=f"https://a.example/{i}", title=title, text=text,
                published=Published(value=datetime(2025, 5, 16, tzinfo=UTC)),
            ),
            text_hash=str(i),
            minhash=None,
        )  # fmt: skip
    hits = store.search("prisoner exchange")
    assert [h.article.article.title for h in hits] == ["Markets calm"]
    assert "\x02prisoner\x03" in hits[0].snippet
    assert hits[0].article.article.published.value == datetime(2025, 5, 16, tzinfo=UTC)
    assert hits[0].article.ingested_at.tzinfo is not None
    assert store.search("istanbul")[0].article.article.title == "Delegations arrive in Istanbul"
    assert store.search('"); DROP TABLE articles; --') == []
    assert store.search("") == []


def test_duplicate_links_and_copies(store: Store) -> None:
    first = store.add_article(
        Article(url="https://a.example/1", text="t"), text_hash="h", minhash=None
    )
    copy = store.add_article(
        Article(url="https://b.example/1", text="t"),
        text_hash="h",
        minhash=None,
        duplicate_of=DuplicateLink(original_id=first, similarity=1.0, exact=True),
    )
    assert store.copies_of(first) == [copy]
    assert store.article(copy).duplicate_of == DuplicateLink(
        original_id=first, similarity=1.0, exact=True
    )
    assert store.stats().duplicates == 1


def test_many_urls_are_looked_up_at_once(store: Store) -> None:
    ids = [
        store.add_article(
            Article(
                url=f"https://a.example/fetched/{n}",
                canonical_url=f"https://a.example/{n}",
                text=f"t{n}",
            ),
            text_hash=str(n),
            minhash=None,
        )
        for n in range(3)
    ]
    urls = ["https://a.example/0", "https://a.example/fetched/1", "https://a.example/404"]
    found = store.article_ids_for_urls(urls)
    assert found == {"https://a.example/0": ids[0], "https://a.example/fetched/1": ids[1]}
    assert found == {u: i for u in urls if (i := store.article_id_for_url(u)) is not None}
    assert store.article_ids_for_urls([]) == {}


def test_unknown_article_raises(store: Store) -> None:
    with pytest.raises(StoreError, match="no article with id 99"):
        store.article(99)


def test_feeds_state_and_log(store: Store) -> None:
    feed, new = store.add_feed(Feed(url="https://a.example/feed.xml", title="A"))
    assert new
    assert store.add_feed(Feed(url="https://a.example/feed.xml"))[1] is False
    stamp = datetime(2025, 5, 16, tzinfo=UTC)
    store.record_fetch(dataclasses.replace(feed, etag='"x"', last_fetched=stamp, last_status=200))
    stored = store.feed(feed.url)
    assert stored is not None
    assert (stored.etag, stored.last_fetched, stored.last_status) == ('"x"', stamp, 200)
    store.log("bad.html", Outcome.FAILED, reason="empty file")
    assert store.failures()[0][1:] == ("bad.html", "empty file")
    assert store.remove_feed(feed.url)
    assert store.feeds() == []
