"""Timelines: events by their own dates, background marked, status changes linked, copies once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from newsdesk.model import Actor, Article, DuplicateLink, Event, Published, StoredArticle
from newsdesk.stories.timeline import build_timeline, parse_timex


def event(type_: str, status: str, date_: str | None, *actors: str, summary: str = "") -> Event:
    return Event(
        type=type_, status=status, start=0, end=10, trigger=type_.lower(), trigger_start=0,
        trigger_end=3, actors=actors, date=date_, summary=summary or f"{type_} {status}",
    )  # fmt: skip


def stored(
    article_id: int,
    published: str | None,
    events: tuple[Event, ...] = (),
    *,
    copy_of: int | None = None,
    site: str = "Ledger",
) -> StoredArticle:
    when = datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None
    article = Article(
        url=f"https://x.example/{article_id}", site=site, title=f"article {article_id}",
        published=Published(value=when), events=events,
        actors=(Actor(key="putin", name="Vladimir Putin", kind="person"),),
    )  # fmt: skip
    link = DuplicateLink(original_id=copy_of, similarity=1.0, exact=True) if copy_of else None
    return StoredArticle(
        id=article_id, article=article, ingested_at=datetime(2025, 6, 1, tzinfo=UTC),
        duplicate_of=link,
    )  # fmt: skip


def test_parse_timex_reads_days_weeks_months_and_years() -> None:
    day = parse_timex("2025-05-15")
    assert day is not None
    assert day.first == day.last == date(2025, 5, 15)
    week = parse_timex("2025-W20")
    assert week is not None
    assert (week.first, week.last) == (date(2025, 5, 12), date(2025, 5, 18))
    month = parse_timex("2022-03")
    assert month is not None
    assert month.last == date(2022, 3, 31)
    assert parse_timex("P30D") is None
    assert parse_timex("2025-02-30") is None
    assert parse_timex(None) is None


def test_entries_follow_the_event_date_not_the_publication_date() -> None:
    # Published first, but about a later day; published later, but about an earlier day.
    early = stored(1, "2025-05-11", (event("CONSULT", "planned", "2025-05-15", "putin"),))
    late = stored(2, "2025-05-13", (event("THREATEN", "threatened", "2025-05-12", "eu"),))
    timeline = build_timeline([early, late])
    assert [d.label for d in timeline.days] == ["2025-05-12", "2025-05-15"]
    assert timeline.days[0].entries[0].type == "THREATEN"
    assert timeline.entries[1].citations[0].article_id == 1


def test_history_is_background_and_comes_first() -> None:
    article = stored(
        1,
        "2025-05-12",
        (
            event("CONSULT", "historical", "2022-03", "putin"),
            event("CONSULT", "occurred", "2022-03-29", "putin", "zelensky"),
            event("CONSULT", "proposed", "2025-05-15", "putin"),
        ),
    )
    timeline = build_timeline([article])
    assert [d.label for d in timeline.days] == ["2022-03", "2022-03-29", "2025-05-15"]
    assert [d.background for d in timeline.days] == [True, True, False]
    assert timeline.start == date(2025, 5, 12)


def test_status_changes_are_linked_in_the_order_they_were_reported() -> None:
    first = stored(1, "2025-05-11", (event("CONSULT", "proposed", "2025-05-15", "putin"),))
    second = stored(2, "2025-05-14", (event("CONSULT", "planned", "2025-05-15", "putin"),))
    third = stored(3, "2025-05-16", (event("CONSULT", "occurred", "2025-05-16", "putin"),))
    timeline = build_timeline([third, first, second])
    changes = [(c.before, c.after) for c in timeline.changes]
    assert changes == [("proposed", "planned"), ("planned", "occurred")]
    by_status = {e.status: e for e in timeline.entries}
    assert by_status["planned"].previous == by_status["proposed"].key
    assert by_status["planned"].next == by_status["occurred"].key
    assert by_status["occurred"].next is None


def test_the_same_report_in_two_articles_is_one_entry_and_copies_count_once() -> None:
    said = (event("CONSULT", "planned", "2025-05-15", "putin"),)
    original = stored(1, "2025-05-11", said, site="Meridian")
    copy = stored(2, "2025-05-11", said, copy_of=1, site="Signal")
    other = stored(3, "2025-05-12", said, site="Ledger")
    timeline = build_timeline([original, copy, other])
    (entry,) = timeline.entries
    assert [c.article_id for c in entry.citations] == [1, 3]
    assert entry.citations[0].copies == (2,)


def test_undated_events_fall_back_to_the_first_report_and_say_so() -> None:
    article = stored(1, "2025-05-13", (event("DEMAND", "demanded", None, "eu"),))
    (entry,) = build_timeline([article]).entries
    assert entry.dated_by == "published"
    assert entry.when.value == "2025-05-13"


def test_no_events_no_articles() -> None:
    assert build_timeline([stored(1, "2025-05-13")]).days == ()
    assert build_timeline([]).start is None
