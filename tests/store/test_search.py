"""Faceted search and brief reads: one pool, facets from the index tables, light hits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.model import Actor, Article, DuplicateLink, Event, Published
from newsdesk.store import Store
from newsdesk.store import facets as facets_module
from newsdesk.store.facets import SearchFilters


def _add(
    store: Store,
    n: int,
    *,
    text: str,
    domain: str = "a.example",
    day: int = 1,
    events: tuple[Event, ...] = (),
    actors: tuple[Actor, ...] = (),
    copy_of: int | None = None,
) -> int:
    published = Published(value=datetime(2025, 5, day, 12, tzinfo=UTC))
    article = Article(
        url=f"https://{domain}/{n}", title=f"Story {n}", text=text, domain=domain,
        site=domain.split(".")[0].title(), published=published, events=events, actors=actors,
    )  # fmt: skip
    link = DuplicateLink(original_id=copy_of, similarity=0.9, exact=False) if copy_of else None
    article_id = store.add_article(article, text_hash=str(n), minhash=None, duplicate_of=link)
    store.actors.record(article_id, actors, published.value)
    return article_id


def _event(type_: str, status: str) -> Event:
    return Event(type=type_, status=status, start=0, end=4, trigger="talk", trigger_start=0,
                 trigger_end=4)  # fmt: skip


@pytest.fixture
def filled(store: Store) -> Store:
    putin = Actor(key="vladimir-putin", name="Vladimir Putin", kind="person")
    _add(store, 1, text="talks on a prisoner exchange", events=(_event("CONSULT", "held"),),
         actors=(putin,), day=3)  # fmt: skip
    _add(store, 2, text="the prisoner exchange went ahead", domain="b.example", day=4,
         events=(_event("CONSULT", "declined"), _event("RELEASE", "held")))  # fmt: skip
    _add(store, 3, text="markets were calm", domain="b.example", day=5)
    return store


def test_facets_count_outlets_actors_events_and_days(filled: Store) -> None:
    page = filled.facets.search("prisoner exchange", SearchFilters())
    assert page.total == 2
    assert not page.capped
    assert not page.windowed
    facets = {name: {v.value: v.count for v in values} for name, values in page.facets.items()}
    assert facets["outlet"] == {"a.example": 1, "b.example": 1}
    assert facets["actor"] == {"vladimir-putin": 1}
    assert facets["event_type"] == {"CONSULT": 2, "RELEASE": 1}
    assert facets["status"] == {"held": 2, "declined": 1}
    assert facets["date"] == {"2025-05-04": 1, "2025-05-03": 1}
    assert page.facets["outlet"][0].label in {"A", "B"}


def test_filters_narrow_by_outlet_actor_event_and_day(filled: Store) -> None:
    def titles(query: str, **filters: str) -> list[str | None]:
        page = filled.facets.search(query, SearchFilters(**filters))
        return [h.article.article.title for h in page.hits]

    assert titles("prisoner", outlet="b.example") == ["Story 2"]
    assert titles("prisoner", actor="vladimir-putin") == ["Story 1"]
    assert titles("prisoner", event_type="CONSULT", status="declined") == ["Story 2"]
    assert titles("prisoner", event_type="RELEASE", status="declined") == []
    assert titles("", date_from="2025-05-04", date_to="2025-05-04") == ["Story 2"]
    assert titles("", date_from="2025-05-04") == ["Story 3", "Story 2"]  # newest first
    assert titles("", outlet="b.example", date_to="2025-05-04") == ["Story 2"]


def test_hits_are_brief_with_snippets_and_full_on_request(filled: Store) -> None:
    page = filled.facets.search("prisoner exch", SearchFilters())  # mid-word: prefix form
    assert [h.article.article.title for h in page.hits] == ["Story 1", "Story 2"] or [
        h.article.article.title for h in page.hits
    ] == ["Story 2", "Story 1"]
    for hit in page.hits:
        assert "\x02prisoner\x03" in hit.snippet
        assert "\x02exchange\x03" in hit.snippet
        assert hit.article.article.text == ""
        assert hit.article.article.events == ()
        assert hit.article.article.published.value is not None
    full = filled.facets.search("prisoner exchange", SearchFilters(), full=True)
    assert {len(h.article.article.events) for h in full.hits} == {1, 2}
    newest = filled.facets.search("", SearchFilters(), limit=1)
    assert newest.hits[0].snippet == "markets were calm"
    assert newest.total == 3


def test_the_pool_caps_totals_and_facets(filled: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facets_module, "RANK_WINDOW", 2)
    page = filled.facets.search("prisoner", SearchFilters(), pool=1)
    assert page.total == 1
    assert page.capped
    assert page.windowed
    assert sum(v.count for v in page.facets["outlet"]) == 1
    assert filled.facets.search("", SearchFilters(), pool=2).capped


def test_query_syntax_is_only_words(filled: Store) -> None:
    for query in ('"); DROP TABLE articles; --', "prisoner OR NOT", "a:b*"):
        filled.facets.search(query, SearchFilters())
    assert filled.facets.search("!!!", SearchFilters()).total == 0


def test_copies_and_original_in_one_brief_read(store: Store) -> None:
    original = _add(store, 1, text="the original text")
    copy = _add(store, 2, text="the copied text", domain="b.example", copy_of=original)
    other = _add(store, 3, text="another copy", domain="c.example", copy_of=original)
    copies, none = store.copies_and_original(original, None)
    assert [c.id for c in copies] == [copy, other]
    assert none is None
    assert copies[0].duplicate_of is not None
    assert copies[0].article.site == "B"
    siblings, found = store.copies_and_original(copy, original)
    assert siblings == []
    assert found is not None
    assert found.id == original
    assert found.article.title == "Story 1"
    assert found.article.text == ""
