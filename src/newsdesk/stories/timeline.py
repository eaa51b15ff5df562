"""A story's timeline: its events ordered by when they happen, with status changes linked."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from newsdesk.model import Event, EventStatus, StoredArticle

# An event that ended this long before the story's first article is background, not news.
BACKGROUND_GAP = timedelta(days=30)

# Where a status sits in an event's life; only breaks ties between statuses first reported
# at the same moment (the order of reporting decides otherwise).
STATUS_STAGE: dict[str, int] = {
    EventStatus.HYPOTHETICAL: 0,
    EventStatus.PROPOSED: 1,
    EventStatus.DEMANDED: 1,
    EventStatus.THREATENED: 1,
    EventStatus.CONDITIONAL: 1,
    EventStatus.PLANNED: 2,
    EventStatus.ONGOING: 3,
    EventStatus.OCCURRED: 4,
    EventStatus.DECLINED: 4,
    EventStatus.DENIED: 4,
    EventStatus.HISTORICAL: 5,
}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """An article an entry rests on, with the syndicated copies that repeat it (counted once)."""

    article_id: int
    outlet: str | None
    title: str | None
    published: datetime | None
    ingested_at: datetime
    copies: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EventTime:
    """A TIMEX3 date value read as a calendar period."""

    value: str  # the TIMEX3 value, or the ISO day of a publication date
    first: date
    last: date
    granularity: str  # "day", "week", "month", "quarter", "year"


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    """One event as the story's articles report it, with one status at one date."""

    key: str  # "TYPE|participants|date|status"
    event: str  # "TYPE|participants": the same event under every status
    type: str
    status: str
    label: str
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    place: str | None
    when: EventTime
    dated_by: str  # "event" (its own date) or "published" (no date: the first article's day)
    background: bool
    condition: str | None
    citations: tuple[Citation, ...]
    previous: str | None = None  # key of the entry with the status reported before this one
    next: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusChange:
    """An event reported first with one status and later with another."""

    event: str
    label: str
    before: str
    after: str
    before_key: str
    after_key: str
    citations: tuple[Citation, ...]  # the articles reporting the new status


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineDay:
    """The entries of one day (or of one week, month or year for coarser dates)."""

    label: str
    first: date
    granularity: str
    background: bool
    entries: tuple[TimelineEntry, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeline:
    """A story's events by their own dates; ``start`` is the story's first publication day."""

    start: date | None
    days: tuple[TimelineDay, ...] = ()
    changes: tuple[StatusChange, ...] = ()

    @property
    def entries(self) -> list[TimelineEntry]:
        """Every entry in timeline order."""
        return [entry for day in self.days for entry in day.entries]


def parse_timex(value: str | None) -> EventTime | None:
    """The calendar period of a TIMEX3 date value; None for durations, sets and unknowns."""
    if not value:
        return None
    try:
        if m := _DAY.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return EventTime(value=day.isoformat(), first=day, last=day, granularity="day")
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            last = monday + timedelta(days=6)
            return EventTime(value=value, first=monday, last=last, granularity="week")
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            end = calendar.monthrange(year, month)[1]
            first, last = date(year, month, 1), date(year, month, end)
            return EventTime(value=value, first=first, last=last, granularity="month")
        if m := _QUARTER.match(value):
            year, quarter = int(m[1]), int(m[2])
            first = date(year, 3 * quarter - 2, 1)
            end_month = 3 * quarter
            last = date(year, end_month, calendar.monthrange(year, end_month)[1])
            return EventTime(value=value, first=first, last=last, granularity="quarter")
        if m := _YEAR.match(value):
            year = int(m[1])
            return EventTime(value=value, first=date(year, 1, 1), last=date(year, 12, 31),
                             granularity="year")  # fmt: skip
    except ValueError:
        return None
    return None


def outlet_of(stored: StoredArticle) -> str | None:
    """The outlet an article is cited under: its site name, else its domain."""
    return stored.article.site or stored.article.domain


def reported_at(stored: StoredArticle) -> datetime:
    """When an article reported what it says: its publication, else when it was ingested."""
    return stored.article.published.value or stored.ingested_at


def originals_with_copies(
    articles: Iterable[StoredArticle],
) -> list[tuple[StoredArticle, tuple[int, ...]]]:
    """The originals among ``articles`` with the ids of their copies, oldest first; a copy
    whose original is not among them stands for itself."""
    articles = list(articles)
    present = {s.id for s in articles}
    copies: dict[int, list[int]] = {}
    originals: list[StoredArticle] = []
    for stored in articles:
        link = stored.duplicate_of
        if link is not None and link.original_id in present:
            copies.setdefault(link.original_id, []).append(stored.id)
        else:
            originals.append(stored)
    originals.sort(key=lambda s: (reported_at(s), s.id))
    return [(s, tuple(sorted(copies.get(s.id, ())))) for s in originals]


def cite(stored: StoredArticle, copies: Sequence[int] = ()) -> Citation:
    """The citation of one article."""
    return Citation(
        article_id=stored.id,
        outlet=outlet_of(stored),
        title=stored.article.title,
        published=stored.article.published.value,
        ingested_at=stored.ingested_at,
        copies=tuple(copies),
    )


def event_identity(event: Event) -> str:
    """The same event under any status: its type and everyone taking part."""
    participants = ",".join(sorted(set(event.actors) | set(event.recipients)))
    return f"{event.type}|{participants}"


def event_label(event: Event) -> str:
    """A short human label: the event's own summary, else its type and trigger word."""
    return event.summary or f"{event.type.lower()}: {event.trigger}"


@dataclass(slots=True)
class _Draft:
    event: Event
    when: EventTime
    dated_by: str
    first_reported: datetime
    citations: list[Citation] = field(default_factory=list)
    actors: dict[str, None] = field(default_factory=dict)
    recipients: dict[str, None] = field(default_factory=dict)


def _is_background(event: Event, when: EventTime, start: date | None) -> bool:
    if event.status == EventStatus.HISTORICAL:
        return True
    return start is not None and when.last < start - BACKGROUND_GAP


def build_timeline(articles: Iterable[StoredArticle]) -> Timeline:
    """The timeline of a story from its articles (copies are folded into their originals)."""
    sources = originals_with_copies(articles)
    if not sources:
        return Timeline(start=None)
    start = min(reported_at(s) for s, _ in sources).date()
    drafts: dict[str, _Draft] = {}
    for stored, copies in sources:
        citation = cite(stored, copies)
        reported = reported_at(stored)
        for event in stored.article.events:
            when = parse_timex(event.date)
            dated_by = "event"
            if when is None:
                day = reported.date()
                when = EventTime(value=day.isoformat(), first=day, last=day, granularity="day")
                dated_by = "published"
            key = f"{event_identity(event)}|{when.value}|{event.status}"
            draft = drafts.get(key)
            if draft is None:
                draft = drafts[key] = _Draft(event, when, dated_by, reported)
            if all(c.article_id != stored.id for c in draft.citations):
                draft.citations.append(citation)
            draft.first_reported = min(draft.first_reported, reported)
            draft.actors.update(dict.fromkeys(event.actors))
            draft.recipients.update(dict.fromkeys(event.recipients))
    entries = {key: _entry(key, d, start) for key, d in drafts.items()}
    changes = _link_statuses(entries, drafts)
    return Timeline(start=start, days=_days(entries.values(), drafts), changes=tuple(changes))


def _entry(key: str, draft: _Draft, start: date) -> TimelineEntry:
    event = draft.event
    return TimelineEntry(
        key=key,
        event=event_identity(event),
        type=event.type,
        status=event.status,
        label=event_label(event),
        actors=tuple(draft.actors),
        recipients=tuple(draft.recipients),
        place=event.place,
        when=draft.when,
        dated_by=draft.dated_by,
        background=_is_background(event, draft.when, start),
        condition=event.condition,
        citations=tuple(draft.citations),
    )


def _link_statuses(
    entries: dict[str, TimelineEntry], drafts: dict[str, _Draft]
) -> list[StatusChange]:
    """Link the entries of one event whose status changed, in the order they were reported."""
    by_event: dict[str, list[str]] = {}
    for key, entry in entries.items():
        by_event.setdefault(entry.event, []).append(key)
    changes: list[StatusChange] = []
    for keys in by_event.values():
        keys.sort(
            key=lambda k: (drafts[k].first_reported, STATUS_STAGE.get(entries[k].status, 9),
                           entries[k].when.first, k)
        )  # fmt: skip
        previous: str | None = None
        for key in keys:
            if previous is not None and entries[previous].status != entries[key].status:
                before, after = entries[previous], entries[key]
                entries[previous] = replace(before, next=key)
                entries[key] = replace(after, previous=previous)
                changes.append(
                    StatusChange(
                        event=after.event, label=after.label, before=before.status,
                        after=after.status, before_key=previous, after_key=key,
                        citations=after.citations,
                    )
                )  # fmt: skip
            previous = key
    changes.sort(key=lambda c: (drafts[c.after_key].first_reported, c.after_key))
    return changes


_WIDTH = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}


def _days(entries: Iterable[TimelineEntry], drafts: dict[str, _Draft]) -> tuple[TimelineDay, ...]:
    groups: dict[str, list[TimelineEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.when.value, []).append(entry)
    days = []
    for label, members in groups.items():
        members.sort(key=lambda e: (drafts[e.key].first_reported, e.key))
        when = members[0].when
        days.append(
            TimelineDay(
                label=label, first=when.first, granularity=when.granularity,
                background=all(e.background for e in members), entries=tuple(members),
            )
        )  # fmt: skip
    # A coarser period (March 2022) comes before the days it contains.
    days.sort(key=lambda d: (d.first, -_WIDTH.get(d.granularity, 0), d.label))
    return tuple(days)
