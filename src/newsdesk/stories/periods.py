"""Calendar periods of TIMEX3 date values: days, weeks, months, seasons, quarters, years."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|AU|WI|H1|H2)$")
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (12, 14),
                  "H1": (1, 6), "H2": (7, 12)}  # fmt: skip
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, slots=True, kw_only=True)
class EventTime:
    """A TIMEX3 date value read as a calendar period."""

    value: str  # the TIMEX3 value, or the ISO day of a publication date
    first: date
    last: date
    granularity: str  # "day", "week", "month", "quarter", "year"


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
        if m := _SEASON.match(value):
            year, (first_month, last_month) = int(m[1]), _SEASON_MONTHS[m[2]]
            end_year, end_month = year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
            last = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
            return EventTime(value=value, first=date(year, first_month, 1), last=last,
                             granularity="season")  # fmt: skip
        if m := _YEAR.match(value):
            year = int(m[1])
            return EventTime(value=value, first=date(year, 1, 1), last=date(year, 12, 31),
                             granularity="year")  # fmt: skip
    except ValueError:
        return None
    return None
