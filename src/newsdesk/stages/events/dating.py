"""An event's date from the time expressions of its sentence, and what the date says about it."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from newsdesk.model import EventStatus, TimeExpression

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-(Q[1-4]|SU|SP|FA|WI|H[12])$")


def period(value: str | None) -> tuple[date, date] | None:
    """The first and last day a TIMEX3 date value covers: "2022-03" is March 2022, "2025-W19-WE"
    that week; None for durations, sets, "PRESENT_REF" and unresolved values."""
    if not value:
        return None
    try:
        if m := _DAY.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + timedelta(days=6)
        if m := _YEAR.match(value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        if m := _QUARTER.match(value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def pick_time(
    times: list[TimeExpression], near: tuple[int, int], scope: tuple[int, int]
) -> TimeExpression | None:
    """The dated time expression that goes with an event: one inside ``near`` (the event's own
    clause) first, else the nearest one inside ``scope`` (its sentence)."""
    dated = [t for t in times if t.type in {"DATE", "TIME"} and period(t.value) is not None]
    inside = [t for t in dated if near[0] <= t.start and t.end <= near[1]]
    pool = inside or [t for t in dated if scope[0] <= t.start and t.end <= scope[1]]
    if not pool:
        return None
    middle = (near[0] + near[1]) // 2
    return min(pool, key=lambda t: abs((t.start + t.end) // 2 - middle))


def date_status(
    time: TimeExpression | None, published: date | None, historical_days: int
) -> EventStatus | None:
    """Historical when the date ends more than ``historical_days`` before publication; planned
    when it starts after the publication day; None otherwise or without both dates."""
    if time is None or published is None:
        return None
    span = period(time.value)
    if span is None:
        return None
    if span[1] < published - timedelta(days=historical_days):
        return EventStatus.HISTORICAL
    if span[0] > published:
        return EventStatus.PLANNED
    return None
