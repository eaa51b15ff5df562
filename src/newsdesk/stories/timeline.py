"""A story's timeline: its events by their own dates, merged, ranked, status changes linked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from newsdesk.model import Event, EventStatus, StoredArticle
from newsdesk.stories.curation import (
    BOILERPLATE,
    SETTING,
    STANCES,
    Cluster,
    Report,
    identity,
    merge,
    salience,
    told_in_past,
)
from newsdesk.stories.periods import EventTime, parse_timex

# An event that ended this long before the story's first article is background, not news.
BACKGROUND_GAP = timedelta(days=30)
# The most key entries a timeline shows by default: of the story's own, and of its background.
MAX_KEY = 40
MAX_BACKGROUND = 6
# Independent articles an event without a named actor needs before it is a key entry.
MIN_ARTICLES_UNNAMED = 3

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

__all__ = ["Citation", "EventTime", "StatusChange", "Timeline", "TimelineDay", "TimelineEntry",
           "build_timeline", "cite", "event_identity", "event_label", "originals_with_copies",
           "outlet_of", "parse_timex", "reported_at"]  # fmt: skip


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
class TimelineEntry:
    """One event with one status, merged over every article that reports it."""

    key: str  # "TYPE|doers|date|status": the entry's id
    event: str  # "TYPE|doers" ("TYPE|~word" without doers): the same event under every status
    type: str
    status: str
    label: str
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    place: str | None
    when: EventTime  # its own date; "reported" and "undated" entries: the first report's day
    dated_by: str  # "event" (its own date), "reported" (an act dated by its first report) or
    # "undated" (no date, not placed on the day line)
    background: bool
    condition: str | None
    citations: tuple[Citation, ...]
    previous: str | None = None  # key of the entry with the status reported before this one
    next: str | None = None
    key_event: bool = False  # among what an analyst should see first (the default timeline)
    salience: float = 0.0
    articles: int = 1  # independent articles reporting it (copies count once)


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
    """The entries of one day (or of one week, month or year for coarser dates), or the
    undated group (``granularity`` "undated"), key entries first."""

    label: str
    first: date
    granularity: str
    background: bool
    entries: tuple[TimelineEntry, ...]
    key_count: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeline:
    """A story's events by their own dates: background days first, then the story's days,
    then the undated group; ``start`` is the story's first publication day."""

    start: date | None
    days: tuple[TimelineDay, ...] = ()
    changes: tuple[StatusChange, ...] = ()
    key_count: int = 0
    total: int = 0

    @property
    def entries(self) -> list[TimelineEntry]:
        """Every entry in timeline order."""
        return [entry for day in self.days for entry in day.entries]

    @property
    def key_entries(self) -> list[TimelineEntry]:
        """The key entries in timeline order."""
        return [entry for entry in self.entries if entry.key_event]

    def only_key(self) -> Timeline:
        """The same timeline with only its key entries (days left empty dropped)."""
        days = []
        for day in self.days:
            kept = tuple(e for e in day.entries if e.key_event)
            if kept:
                days.append(replace(day, entries=kept, key_count=len(kept)))
        keys = {e.key for day in days for e in day.entries}
        changes = tuple(c for c in self.changes if c.before_key in keys and c.after_key in keys)
        return replace(self, days=tuple(days), changes=changes)


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
    """The same event under any status: its type and its doers (its word when none)."""
    return identity(event)


def event_label(event: Event) -> str:
    """A short human label: the event's own summary, else its type and trigger word."""
    return event.summary or f"{event.type.lower()}: {event.trigger}"


def _is_background(status: str, when: EventTime | None, start: date | None) -> bool:
    if status == EventStatus.HISTORICAL:
        return True
    return when is not None and start is not None and when.last < start - BACKGROUND_GAP


def _day(when: datetime) -> EventTime:
    day = when.date()
    return EventTime(value=day.isoformat(), first=day, last=day, granularity="day")


def _first_day(value: str) -> date | None:
    when = parse_timex(value)
    return when.first if when else None


def build_timeline(articles: Iterable[StoredArticle]) -> Timeline:
    """The timeline of a story from its articles: the same event reported by several articles
    is one entry citing them all (copies folded into their originals), ranked by salience,
    with the key entries marked and status changes linked."""
    sources = originals_with_copies(articles)
    if not sources:
        return Timeline(start=None)
    start = min(reported_at(s) for s, _ in sources).date()
    citations = {stored.id: cite(stored, copies) for stored, copies in sources}
    reports = [
        Report(event=event, article_id=stored.id, reported=reported_at(stored),
               past=told_in_past(stored.article.text, event))
        for stored, _ in sources
        for event in stored.article.events
    ]  # fmt: skip
    clusters = merge(reports, _first_day)
    entries = [_entry(c, citations, start) for c in clusters]
    entries = _mark_key(entries)
    reported = {e.key: c.first_reported for e, c in zip(entries, clusters, strict=True)}
    linked, changes = _link_statuses({e.key: e for e in entries}, reported)
    days = _days(linked.values(), reported, start)
    key_count = sum(e.key_event for e in linked.values())
    return Timeline(start=start, days=days, changes=tuple(changes), key_count=key_count,
                    total=len(linked))  # fmt: skip


def _entry(cluster: Cluster, citations: dict[int, Citation], start: date) -> TimelineEntry:
    event = cluster.best
    when = parse_timex(cluster.date)
    first = min(cluster.reports, key=lambda r: r.reported)
    dated_by = "event"
    if when is None:
        past = any(r.past for r in cluster.reports)
        acted = event.status in STANCES or (event.status == EventStatus.OCCURRED and past)
        dated_by = "reported" if acted else "undated"
        when = _day(first.reported)
    cited = tuple(citations[i] for i in dict.fromkeys(r.article_id for r in cluster.reports))
    actors = dict.fromkeys(k for r in cluster.reports for k in r.event.actors)
    recipients = dict.fromkeys(
        k for r in cluster.reports for k in r.event.recipients if k not in actors
    )
    background = _is_background(event.status, when if dated_by == "event" else None, start)
    return TimelineEntry(
        key=f"{cluster.identity}|{cluster.date or dated_by}|{event.status}",
        event=cluster.identity,
        type=event.type,
        status=event.status,
        label=event_label(event),
        actors=tuple(actors),
        recipients=tuple(recipients),
        place=next((r.event.place for r in cluster.reports if r.event.place), None),
        when=when,
        dated_by=dated_by,
        background=background,
        condition=next((r.event.condition for r in cluster.reports if r.event.condition), None)
        if event.status == EventStatus.CONDITIONAL else None,
        citations=cited,
        articles=len(cited),
        salience=salience(
            articles=len(cited), outlets=len({c.outlet for c in cited}), named=bool(actors),
            dated_by=dated_by, status=event.status,
            confidence=max(r.event.confidence for r in cluster.reports),
        ),
    )  # fmt: skip


def _eligible(entry: TimelineEntry) -> bool:
    """Worth a place among the key entries: reported independently more than once (or named
    and dated), by a named actor or by several articles, and not merely hypothetical."""
    if entry.status in {EventStatus.HYPOTHETICAL, EventStatus.ONGOING} and entry.articles < 4:
        return False
    if BOILERPLATE.search(f"{entry.condition} {entry.label}"):
        return False
    if len(entry.label.split()) < (3 if entry.actors else 2):
        return False  # "Asking", "Russia calls": a label that says too little to lead with
    if not entry.actors:
        word = entry.event.partition("|~")[2]
        return entry.articles >= MIN_ARTICLES_UNNAMED and word not in SETTING
    return entry.articles >= 2 or (entry.dated_by == "event" and entry.status in STANCES)


def _mark_key(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Mark the most salient eligible entries as key: at most MAX_KEY of the story's own and
    MAX_BACKGROUND of its background."""
    chosen: set[str] = set()
    for background, cap in ((False, MAX_KEY), (True, MAX_BACKGROUND)):
        pool = [e for e in entries if e.background == background and _eligible(e)]
        pool.sort(key=lambda e: (-e.salience, e.key))
        chosen.update(e.key for e in pool[:cap])
    return [replace(e, key_event=e.key in chosen) for e in entries]


def _linkable(a: TimelineEntry, b: TimelineEntry) -> bool:
    """Two entries that can be one event changing status: the same type, a named actor in
    common (never two events without one), both background or neither."""
    if a.type != b.type or a.status == b.status or a.background != b.background:
        return False
    return bool(set(a.actors) & set(b.actors))


def _link_statuses(
    entries: dict[str, TimelineEntry], reported: dict[str, datetime]
) -> tuple[dict[str, TimelineEntry], list[StatusChange]]:
    """Link each entry to the latest entry reported before it that is the same event with
    another status (each entry has at most one earlier and one later status)."""
    order = sorted(entries, key=lambda k: (reported[k], STATUS_STAGE.get(entries[k].status, 9),
                                           entries[k].when.first, k))  # fmt: skip
    changes: list[StatusChange] = []
    for n, key in enumerate(order):
        after = entries[key]
        for earlier in reversed(order[:n]):
            before = entries[earlier]
            if before.next is None and _linkable(before, after):
                entries[earlier] = replace(before, next=key)
                entries[key] = after = replace(after, previous=earlier)
                changes.append(
                    StatusChange(
                        event=after.event, label=after.label, before=before.status,
                        after=after.status, before_key=earlier, after_key=key,
                        citations=after.citations,
                    )
                )  # fmt: skip
                break
    changes.sort(key=lambda c: (reported[c.after_key], c.after_key))
    return entries, changes


_WIDTH = {"day": 0, "week": 1, "month": 2, "season": 3, "quarter": 3, "year": 4}


def _days(
    entries: Iterable[TimelineEntry], reported: dict[str, datetime], start: date
) -> tuple[TimelineDay, ...]:
    """Background periods first, then the story's days, then the undated group; key entries
    first within each, then by first report."""
    groups: dict[tuple[bool, str], list[TimelineEntry]] = {}
    for entry in entries:
        label = "undated" if entry.dated_by == "undated" else entry.when.value
        groups.setdefault((entry.background, label), []).append(entry)
    days = []
    for (background, label), members in groups.items():
        members.sort(key=lambda e: (not e.key_event, reported[e.key], e.key))
        undated = label == "undated"
        when = members[0].when
        days.append(
            TimelineDay(
                label=label, first=start if undated else when.first,
                granularity="undated" if undated else when.granularity, background=background,
                entries=tuple(members), key_count=sum(e.key_event for e in members),
            )
        )  # fmt: skip
    # Background first; a coarser period (March 2022) before the days it contains; undated last.
    days.sort(key=lambda d: (not d.background, d.granularity == "undated", d.first,
                             -_WIDTH.get(d.granularity, 0), d.label))  # fmt: skip
    return tuple(days)
