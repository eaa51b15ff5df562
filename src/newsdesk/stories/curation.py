"""Curating a timeline: one entry per event however many articles report it, and its salience."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from newsdesk.model import Event, EventStatus

# Statuses that are acts in themselves (declining, proposing, demanding, threatening, setting a
# condition, denying): an undated one happened by the time an article reported it.
STANCES = frozenset(
    {EventStatus.DECLINED, EventStatus.PROPOSED, EventStatus.DEMANDED, EventStatus.THREATENED,
     EventStatus.CONDITIONAL, EventStatus.DENIED}
)  # fmt: skip
# How much a status tells an analyst following a story (hedged readings tell least).
STATUS_WEIGHT: dict[str, float] = {
    EventStatus.DECLINED: 2.0, EventStatus.PROPOSED: 2.0, EventStatus.DEMANDED: 2.0,
    EventStatus.THREATENED: 2.0, EventStatus.CONDITIONAL: 2.0, EventStatus.DENIED: 1.5,
    EventStatus.OCCURRED: 1.0, EventStatus.PLANNED: 1.0, EventStatus.HISTORICAL: 0.5,
    EventStatus.ONGOING: 0.25, EventStatus.HYPOTHETICAL: 0.0,
}  # fmt: skip
# Past-tense words near the event word: "held", "met", "was", "-ed" forms.
_PAST = re.compile(
    r"\b(?:was|were|had|did|held|met|took|came|went|sent|began|made|led|gave|won|fought|"
    r"struck|brought|said|told|agreed|[a-z]{3,}ed)\b",
    re.IGNORECASE,
)
_PLURAL = re.compile(r"(?<=[a-z]{3})s$")
# How far (days) from its article's day an undated report may join a dated one of its event.
ATTACH_DAYS = 3
# Words for the situation a story happens in rather than an event of it ("the war").
SETTING = frozenset({"war", "conflict", "fighting", "invasion", "occupation", "aggression"})
# Conditions that are newsroom boilerplate, not terms ("speaking on condition of anonymity").
BOILERPLATE = re.compile(r"anonymity|not authori[sz]ed to", re.IGNORECASE)


def object_noun(event: Event) -> str:
    """The word that names the event, singular and lower case ("talks" is "talk")."""
    return _PLURAL.sub("", event.trigger.lower())


def identity(event: Event) -> str:
    """The same event under one status: its type with its doers, or with its word when nobody
    is named ("CONSULT|vladimir-putin", "YIELD|~exchange")."""
    who = ",".join(sorted(set(event.actors))) or f"~{object_noun(event)}"
    return f"{event.type}|{who}"


def told_in_past(text: str, event: Event) -> bool:
    """Whether the words around the event word are in the past tense ("the talks were held")."""
    first = max(event.start, event.trigger_start - 60)
    return _PAST.search(text[first : min(event.end, event.trigger_end + 40)]) is not None


def compatible(a: str | None, b: str | None) -> bool:
    """Date values that can name the same time: one is the other or a finer part of it."""
    if a is None or b is None:
        return a is b
    return a.startswith(b) or b.startswith(a)


def close_dates(a: str | None, b: str, day_of: Callable[[str], date | None]) -> bool:
    """Dates of one event as different articles give it: compatible, or days a few apart."""
    if a is None:
        return False
    if compatible(a, b):
        return True
    first, second = day_of(a), day_of(b)
    same_width = len(a) == len(b) == 10
    return (
        same_width
        and first is not None
        and second is not None
        and (abs((first - second).days) <= ATTACH_DAYS)
    )


@dataclass(slots=True)
class Report:
    """One article's mention of an event, with when the article reported it."""

    event: Event
    article_id: int
    reported: datetime
    past: bool  # told in the past tense


@dataclass(slots=True)
class Cluster:
    """The reports of one event with one status, merged across articles."""

    identity: str
    date: str | None
    reports: list[Report] = field(default_factory=list)

    @property
    def best(self) -> Event:
        """The report whose label stands for the entry: most doers, most confident, first."""
        return max(
            self.reports,
            key=lambda r: (len(r.event.actors), r.event.confidence, -r.reported.timestamp()),
        ).event

    @property
    def first_reported(self) -> datetime:
        """When the event with this status was first reported."""
        return min(r.reported for r in self.reports)


def merge(reports: Sequence[Report], day_of: Callable[[str], date | None]) -> list[Cluster]:
    """Reports of the same event (type, doers or word, status) with compatible dates as one
    cluster each; an undated report joins the dated cluster nearest its report day, or the
    event's undated cluster when no article dated it."""
    clusters: dict[tuple[str, str], list[Cluster]] = {}
    ordered = sorted(reports, key=lambda r: (r.event.date is None, r.reported, r.article_id))
    for report in ordered:
        event = report.event
        name = identity(event)
        pool = clusters.setdefault((name, event.status), [])
        home: Cluster | None = None
        if event.date is not None:
            home = next((c for c in pool if close_dates(c.date, event.date, day_of)), None)
            if home is not None and len(event.date) > len(home.date or ""):
                home.date = event.date  # the finer date: "2025-05-15" within "2025-05"
        else:
            day = report.reported.date()
            near = [(abs((d - day).days), c) for c in pool if c.date and (d := day_of(c.date))]
            near = [pair for pair in near if pair[0] <= ATTACH_DAYS]
            home = min(near, key=lambda pair: pair[0])[1] if near else None
            home = home or next((c for c in pool if c.date is None), None)
        if home is None:
            home = Cluster(identity=name, date=event.date)
            pool.append(home)
        home.reports.append(report)
    return [c for pool in clusters.values() for c in pool]


def salience(
    *, articles: int, outlets: int, named: bool, dated_by: str, confidence: float, status: str
) -> float:
    """How much an entry matters: independent articles reporting it first, then named
    actors, a date of its own, the status and the extractor's confidence."""
    score = (1.0 if named else 0.5) * articles + 0.5 * max(outlets - 1, 0)
    score += 1.5 if named else 0.0
    score += {"event": 1.0, "reported": 0.5}.get(dated_by, 0.0)
    score += STATUS_WEIGHT.get(status, 0.0) + confidence
    return round(score, 3)
