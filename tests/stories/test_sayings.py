"""Who said what: quotes grouped by speaker, repeats merged, positions read from events."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.model import Actor, Article, Event, Published, Quote, StoredArticle
from newsdesk.stories.sayings import who_said_what


def stored(
    article_id: int, day: int, quotes: tuple[Quote, ...], events: tuple[Event, ...] = ()
) -> StoredArticle:
    article = Article(
        url=f"https://x.example/{article_id}", site=f"Outlet {article_id}",
        published=Published(value=datetime(2025, 5, day, tzinfo=UTC)),
        actors=(Actor(key="putin", name="Vladimir Putin", kind="person"),
                Actor(key="zelensky", name="Volodymyr Zelensky", kind="person")),
        quotes=quotes, events=events,
    )  # fmt: skip
    return StoredArticle(
        id=article_id, article=article, ingested_at=datetime(2025, 6, 1, tzinfo=UTC)
    )


def said(content: str, speaker: str | None) -> Quote:
    return Quote(kind="direct", content=content, start=0, end=1, speaker_actor=speaker)


def event(status: str, *actors: str) -> Event:
    return Event(
        type="CONSULT", status=status, start=0, end=1, trigger="talks", trigger_start=0,
        trigger_end=1, actors=actors, date="2025-05-15", summary=f"talks {status}",
    )  # fmt: skip


def test_quotes_grouped_by_speaker_with_repeats_merged() -> None:
    articles = [
        stored(1, 11, (said("I will wait for Putin.", "zelensky"), said("No comment", None))),
        stored(2, 12, (said("“I will wait for Putin”", "zelensky"),
                       said("We propose talks.", "putin"))),
    ]  # fmt: skip
    result = who_said_what(articles)
    assert result.unattributed == 1
    zelensky = next(a for a in result.actors if a.actor == "zelensky")
    assert zelensky.name == "Volodymyr Zelensky"
    (saying,) = zelensky.quotes
    assert [c.article_id for c in saying.citations] == [1, 2]
    assert saying.first_reported == datetime(2025, 5, 11, tzinfo=UTC)
    assert result.actors[0].actor == "zelensky"  # most quoted first


def test_positions_come_from_events_where_the_actor_acts() -> None:
    articles = [
        stored(1, 11, (), (event("proposed", "putin"), event("occurred", "putin"))),
        stored(2, 13, (), (event("declined", "putin"), event("demanded", "zelensky"))),
    ]
    result = who_said_what(articles, names={"putin": "President Putin"})
    putin = next(a for a in result.actors if a.actor == "putin")
    assert putin.name == "President Putin"
    assert [p.status for p in putin.positions] == ["proposed", "declined"]
    zelensky = next(a for a in result.actors if a.actor == "zelensky")
    assert [p.status for p in zelensky.positions] == ["demanded"]
    assert zelensky.positions[0].citations[0].article_id == 2
