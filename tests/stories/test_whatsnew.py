"""What's new since T: only what was first reported after T, by ingest or publication time."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.model import Actor, Article, Event, Published, Quote, StoredArticle
from newsdesk.stories.whatsnew import Basis, whats_new


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 5, day, hour, tzinfo=UTC)


def stored(
    article_id: int,
    published: datetime,
    ingested: datetime,
    *,
    actors: tuple[str, ...] = (),
    events: tuple[Event, ...] = (),
    quotes: tuple[Quote, ...] = (),
) -> StoredArticle:
    article = Article(
        url=f"https://x.example/{article_id}", title=f"article {article_id}", site="Ledger",
        published=Published(value=published),
        actors=tuple(Actor(key=k, name=k.title(), kind="person") for k in actors),
        events=events, quotes=quotes,
    )  # fmt: skip
    return StoredArticle(id=article_id, article=article, ingested_at=ingested)


def talks(status: str) -> Event:
    return Event(
        type="CONSULT", status=status, start=0, end=5, trigger="talks", trigger_start=0,
        trigger_end=5, actors=("putin",), date="2025-05-15",
    )  # fmt: skip


def quote(content: str, speaker: str) -> Quote:
    return Quote(kind="direct", content=content, start=0, end=len(content), speaker_actor=speaker)


def story() -> list[StoredArticle]:
    return [
        stored(1, at(11), at(20), actors=("putin",), events=(talks("proposed"),),
               quotes=(quote("We propose talks.", "putin"),)),
        stored(2, at(14), at(21), actors=("putin", "erdogan"), events=(talks("planned"),),
               quotes=(quote("We propose talks", "putin"), quote("We will host.", "erdogan"))),
    ]  # fmt: skip


def test_only_items_first_reported_after_t_by_publication() -> None:
    new = whats_new(story(), at(12), basis=Basis.PUBLISHED)
    assert [c.article_id for c in new.articles] == [2]
    assert [e.status for e in new.events] == ["planned"]
    assert [(c.before, c.after) for c in new.changes] == [("proposed", "planned")]
    # The repeated quote was already reported: only the new speaker's words are new.
    assert [(q.actor, q.saying.content) for q in new.quotes] == [("erdogan", "We will host.")]
    assert [a.actor for a in new.actors] == ["erdogan"]
    assert new.actors[0].citations[0].article_id == 2


def test_ingest_time_is_the_default_basis() -> None:
    new = whats_new(story(), at(20, 18))
    assert new.basis is Basis.INGESTED
    assert [c.article_id for c in new.articles] == [2]
    everything = whats_new(story(), at(19))
    assert [c.article_id for c in everything.articles] == [1, 2]
    assert {e.status for e in everything.events} == {"proposed", "planned"}


def test_nothing_after_the_last_report() -> None:
    new = whats_new(story(), at(30), basis=Basis.PUBLISHED)
    assert new.empty
