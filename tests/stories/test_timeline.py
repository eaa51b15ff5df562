"""Timelines: events by their own dates, merged across articles, ranked, background apart,
status changes linked only within one event, undated events kept off the day line.

Measured on the istanbul-2025 gold story of the sample corpus (45 articles, 5 of them
syndicated copies; ``.venv/bin/pytest tests/stories/test_timeline.py -q -s``): 565 entries (from
1,181 extracted events), 46 key (40 of the story's own, 6 background), 92 status changes, none
between events without a named actor.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from newsdesk.model import Actor, Article, DuplicateLink, Event, Published, StoredArticle
from newsdesk.stories.timeline import (
    MAX_KEY,
    Timeline,
    TimelineEntry,
    build_timeline,
    parse_timex,
)

Analysed = list[tuple[dict[str, Any], Article]]


def event(
    type_: str,
    status: str,
    date_: str | None,
    *actors: str,
    summary: str = "",
    trigger: str = "",
    confidence: float = 0.8,
) -> Event:
    return Event(
        type=type_, status=status, start=0, end=10, trigger=trigger or type_.lower(),
        trigger_start=0, trigger_end=3, actors=actors, date=date_,
        summary=summary or f"{type_} {status}", confidence=confidence,
    )  # fmt: skip


def stored(
    article_id: int,
    published: str | None,
    events: tuple[Event, ...] = (),
    *,
    copy_of: int | None = None,
    site: str = "Ledger",
    text: str = "",
) -> StoredArticle:
    when = datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None
    article = Article(
        url=f"https://x.example/{article_id}", site=site, title=f"article {article_id}",
        published=Published(value=when), events=events, text=text,
        actors=(Actor(key="putin", name="Vladimir Putin", kind="person"),),
    )  # fmt: skip
    link = DuplicateLink(original_id=copy_of, similarity=1.0, exact=True) if copy_of else None
    return StoredArticle(
        id=article_id, article=article, ingested_at=datetime(2025, 6, 1, tzinfo=UTC),
        duplicate_of=link,
    )  # fmt: skip


def test_parse_timex_reads_days_weeks_months_seasons_and_years() -> None:
    day = parse_timex("2025-05-15")
    assert day is not None
    assert day.first == day.last == date(2025, 5, 15)
    week = parse_timex("2025-W20")
    assert week is not None
    assert (week.first, week.last) == (date(2025, 5, 12), date(2025, 5, 18))
    month = parse_timex("2022-03")
    assert month is not None
    assert month.last == date(2022, 3, 31)
    spring = parse_timex("2022-SP")
    assert spring is not None
    assert (spring.first, spring.last) == (date(2022, 3, 1), date(2022, 5, 31))
    winter = parse_timex("2024-WI")
    assert winter is not None
    assert winter.last == date(2025, 2, 28)
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


def test_actor_less_events_and_other_types_are_never_linked() -> None:
    first = stored(
        1,
        "2025-05-11",
        (
            event("CONSULT", "historical", "2022-03", trigger="talks"),
            event("YIELD", "proposed", None, "putin", trigger="ceasefire"),
        ),
    )
    second = stored(
        2,
        "2025-05-13",
        (
            event("CONSULT", "declined", None, trigger="talks"),
            event("CONSULT", "declined", None, "putin", trigger="talks"),
            event("YIELD", "declined", None, "zelensky", trigger="truce"),
        ),
    )
    timeline = build_timeline([first, second])
    assert timeline.changes == ()
    assert all(e.previous is None and e.next is None for e in timeline.entries)


def test_a_shared_actor_links_statuses_but_background_stays_apart() -> None:
    first = stored(1, "2025-05-11", (event("CONSULT", "historical", "2022-03", "putin"),))
    second = stored(2, "2025-05-12", (event("CONSULT", "proposed", None, "putin", "erdogan"),))
    third = stored(3, "2025-05-14", (event("CONSULT", "declined", None, "putin"),))
    timeline = build_timeline([first, second, third])
    assert [(c.before, c.after) for c in timeline.changes] == [("proposed", "declined")]


def test_the_same_report_in_two_articles_is_one_entry_and_copies_count_once() -> None:
    said = (event("CONSULT", "planned", "2025-05-15", "putin"),)
    original = stored(1, "2025-05-11", said, site="Meridian")
    copy = stored(2, "2025-05-11", said, copy_of=1, site="Signal")
    other = stored(3, "2025-05-12", said, site="Ledger")
    timeline = build_timeline([original, copy, other])
    (entry,) = timeline.entries
    assert [c.article_id for c in entry.citations] == [1, 3]
    assert entry.citations[0].copies == (2,)
    assert entry.articles == 2


def test_one_event_with_and_without_a_date_merges_into_the_dated_entry() -> None:
    # Same type, same actors, same status: the undated report joins the dated one nearby,
    # and the most detailed report's label stands for both.
    dated = event("CONSULT", "declined", "2025-05-15", "putin", summary="Putin declines to go",
                  confidence=0.9)  # fmt: skip
    undated = event("CONSULT", "declined", None, "putin", summary="Putin declines")
    timeline = build_timeline(
        [stored(1, "2025-05-14", (dated,)), stored(2, "2025-05-15", (undated,), site="Signal")]
    )
    (entry,) = timeline.entries
    assert entry.when.value == "2025-05-15"
    assert entry.dated_by == "event"
    assert [c.article_id for c in entry.citations] == [1, 2]
    assert entry.label == "Putin declines to go"


def test_different_statuses_or_far_apart_dates_stay_separate_entries() -> None:
    timeline = build_timeline(
        [
            stored(1, "2025-05-11", (event("CONSULT", "proposed", "2025-05-15", "putin"),)),
            stored(2, "2025-05-12", (event("CONSULT", "declined", "2025-05-15", "putin"),)),
            stored(3, "2025-06-01", (event("CONSULT", "declined", "2025-06-02", "putin"),)),
        ]
    )
    assert len(timeline.entries) == 3


def test_an_undated_stance_is_dated_by_its_report_and_says_so() -> None:
    article = stored(1, "2025-05-13", (event("REQUEST", "demanded", None, "eu"),))
    (entry,) = build_timeline([article]).entries
    assert entry.dated_by == "reported"
    assert entry.when.value == "2025-05-13"


def test_an_undated_occurrence_in_the_past_tense_is_reported_else_undated() -> None:
    text = "The two sides held talks. The sides will talk."
    held = Event(type="CONSULT", status="occurred", start=0, end=25, trigger="talks",
                 trigger_start=19, trigger_end=24, summary="Talks held")  # fmt: skip
    will = Event(type="CONSULT", status="planned", start=26, end=45, trigger="talk",
                 trigger_start=40, trigger_end=44, summary="Talks planned")  # fmt: skip
    timeline = build_timeline([stored(1, "2025-05-13", (held, will), text=text)])
    by_status = {e.status: e for e in timeline.entries}
    assert by_status["occurred"].dated_by == "reported"
    assert by_status["planned"].dated_by == "undated"
    assert [d.label for d in timeline.days] == ["2025-05-13", "undated"]
    assert timeline.days[-1].granularity == "undated"


def test_key_entries_are_the_salient_ones() -> None:
    # Reported by three outlets with a named actor and a date: key. Once, hypothetical, or
    # without an actor and reported only twice: not key.
    putin = event("CONSULT", "declined", "2025-05-15", "putin", summary="Putin declines to go")
    maybe = event("CONSULT", "hypothetical", "2025-05-15", "trump", summary="Trump could go")
    talks = event("CONSULT", "occurred", "2025-05-16", summary="Talks held", trigger="talks")
    war = event("ASSAULT", "occurred", "2025-05-16", summary="War rages", trigger="war")
    once = event("SANCTION", "threatened", "2025-05-20", "eu", summary="EU threatens sanctions")
    articles = [
        stored(n, "2025-05-14", (putin, maybe, talks, war), site=f"Outlet {n}") for n in (1, 2, 3)
    ]
    articles.append(stored(4, "2025-05-17", (once,)))
    timeline = build_timeline(articles)
    key = {e.label for e in timeline.entries if e.key_event}
    assert key == {"Putin declines to go", "Talks held", "EU threatens sanctions"}
    assert timeline.key_count == 3
    assert timeline.total == 5
    ranked = sorted(timeline.entries, key=lambda e: -e.salience)
    assert ranked[0].label == "Putin declines to go"


def test_only_key_keeps_the_key_entries_and_their_days() -> None:
    putin = event("CONSULT", "declined", "2025-05-15", "putin", summary="Putin declines to go")
    minor = event("AID", "planned", "2025-05-18", "putin", summary="Putin plans aid")
    articles = [stored(n, "2025-05-14", (putin,), site=f"Outlet {n}") for n in (1, 2)]
    articles.append(stored(3, "2025-05-14", (minor,)))
    timeline = build_timeline(articles)
    assert timeline.total == 2
    short = timeline.only_key()
    assert [d.label for d in short.days] == ["2025-05-15"]
    assert short.entries[0].key_event


def test_no_events_no_articles() -> None:
    assert build_timeline([stored(1, "2025-05-13")]).days == ()
    assert build_timeline([]).start is None


# The sample corpus ---------------------------------------------------------------------------


def istanbul_timeline(analysed_corpus: Analysed) -> Timeline:
    """The timeline of the istanbul-2025 gold story, syndicated copies linked as ingest would."""
    members = [(e, a) for e, a in analysed_corpus if e.get("story") == "istanbul-2025"]
    ids = {Path(a.source).as_posix(): n for n, (_, a) in enumerate(members, start=1)}
    articles = []
    for n, (expected, article) in enumerate(members, start=1):
        source = next((i for p, i in ids.items() if p.endswith(expected.get("syndicated_from")
                                                               or "\0")), None)  # fmt: skip
        link = DuplicateLink(original_id=source, similarity=0.9, exact=False) if source else None
        articles.append(
            StoredArticle(
                id=n,
                article=article,
                ingested_at=datetime(2025, 6, 5, tzinfo=UTC),
                duplicate_of=link,
            )
        )
    return build_timeline(articles)


def _has(entries: list[TimelineEntry], type_: str, statuses: set[str], actor: str = "") -> bool:
    return any(
        e.type == type_ and e.status in statuses and (not actor or actor in e.actors)
        for e in entries
    )


def test_the_istanbul_story_shows_its_key_events_at_a_glance(analysed_corpus: Analysed) -> None:
    timeline = istanbul_timeline(analysed_corpus)
    key = timeline.key_entries
    current = [e for e in key if not e.background]
    print(f"\nistanbul-2025 timeline: {timeline.total} entries, {len(key)} key "
          f"({len(current)} current, {len(key) - len(current)} background), "
          f"{len(timeline.changes)} status changes")  # fmt: skip
    for e in key:
        print(f"  {e.when.value:10} {e.status:12} {e.label}")
    assert len(current) <= MAX_KEY
    assert len(key) <= 60
    assert _has(current, "CONSULT", {"declined"}, "vladimir-putin")
    assert any(
        e.type == "CONSULT" and e.status in {"planned", "occurred"} and "delegation" in e.label
        and "Medinsky" in e.label for e in current
    )  # fmt: skip
    assert _has(current, "CONSULT", {"conditional"}, "volodymyr-zelensky")
    assert any(
        e.type == "YIELD" and e.status in {"proposed", "demanded"} and "ceasefire" in e.label
        for e in current
    )
    assert any(
        e.type == "YIELD" and e.status in {"proposed", "occurred"}
        and ("prisoner" in e.label.lower() or "swap" in e.label.lower()) for e in current
    )  # fmt: skip
    assert any(e.status == "threatened" and "sanctions" in e.label for e in current)
    # 2022 only as background; the story's own days are May and June 2025.
    assert all(e.background for e in timeline.entries if e.when.first.year == 2022)
    assert any(e.background and e.type == "CONSULT" and e.when.first.year == 2022 for e in key)
    assert all(e.when.first >= date(2025, 5, 1) for e in current if e.dated_by != "undated")
    # Never a status change between events without a named actor.
    entries = {e.key: e for e in timeline.entries}
    assert all(entries[c.before_key].actors and entries[c.after_key].actors
               for c in timeline.changes)  # fmt: skip
    assert not any(e.label.lower().startswith("someone") for e in timeline.entries)
