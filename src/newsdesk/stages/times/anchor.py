"""Calendar arithmetic relative to an anchor day, and the TIMEX3 spelling of what it yields.

Every function here returns None rather than raising when a shift leaves the years 1-9999, so
"3000 years ago" on any anchor is an unresolved value, never an exception.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

PAST = -1
UNKNOWN = 0
FUTURE = 1


def day_value(day: date) -> str:
    """``2025-05-15``."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def week_value(day: date) -> str:
    """The ISO week holding ``day``: ``2025-W20`` (the ISO year can differ from the calendar's)."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def weekend_value(day: date) -> str:
    """The weekend of the ISO week holding ``day``: ``2025-W19-WE``."""
    return week_value(day) + "-WE"


def month_value(year: int, month: int) -> str:
    """``2025-05``."""
    return f"{year:04d}-{month:02d}"


def year_value(year: int) -> str:
    """``2025``."""
    return f"{year:04d}"


def shift_days(day: date, days: int) -> date | None:
    """``day`` moved by ``days``, or None outside the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def shift_months(year: int, month: int, months: int) -> tuple[int, int] | None:
    """``(year, month)`` moved by ``months``, or None outside the years 1-9999."""
    index = year * 12 + (month - 1) + months
    new_year, new_month = divmod(index, 12)
    if not 1 <= new_year <= 9999:
        return None
    return new_year, new_month + 1


def valid_year(year: int) -> bool:
    """Whether ``year`` can be written as a four-digit TIMEX3 year."""
    return 1 <= year <= 9999


def valid_day(year: int, month: int, day: int) -> bool:
    """Whether the calendar has this day (no 30 February, no 31 April)."""
    if not valid_year(year) or not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


def weekday_near(
    anchor: date, weekday: int, direction: int, *, strict: bool = False
) -> date | None:
    """The day named ``weekday`` (Monday=1) nearest the anchor in ``direction``.

    Past: the most recent such day on or before the anchor (strictly before when ``strict``);
    future: the next on or after it (strictly after when ``strict``); unknown: the nearer of the
    two, the past one on a tie. None at the ends of the calendar.
    """
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if strict:
        back = back or 7
        ahead = ahead or 7
    if direction == FUTURE or (direction == UNKNOWN and ahead < back):
        return shift_days(anchor, ahead)
    return shift_days(anchor, -back)


def year_for_month(anchor: date, month: int, direction: int) -> int:
    """The year in which a month named without one falls, seen from the anchor: past tense
    looks back up to the anchor's month, future tense ahead from it, unknown tense takes the
    nearest (the anchor's year unless that is more than six months away)."""
    if direction == PAST:
        return anchor.year if month <= anchor.month else anchor.year - 1
    if direction == FUTURE:
        return anchor.year if month >= anchor.month else anchor.year + 1
    gap = month - anchor.month
    return anchor.year - 1 if gap > 6 else anchor.year + 1 if gap < -6 else anchor.year


# How far from the anchor a tense may send a day named without its year.
_TENSE_REACH = 183


def pick(anchor: date, days: list[date], direction: int) -> date | None:
    """Of the days a name could mean (one per year), the one the anchor's context means.

    Past: the latest on or before the anchor, future: the earliest on or after it, when that
    day is within half a year; otherwise, and for unknown tense, the nearest.
    """
    if direction == PAST:
        best = max((d for d in days if d <= anchor), default=None)
    elif direction == FUTURE:
        best = min((d for d in days if d >= anchor), default=None)
    else:
        best = None
    if best is not None and abs((best - anchor).days) <= _TENSE_REACH:
        return best
    if not days:
        return None
    return min(days, key=lambda d: (abs((d - anchor).days), d.year != anchor.year))


def year_for_day(anchor: date, month: int, day: int, direction: int) -> int | None:
    """The year of a day written without one ("May 15"), or None when no such day is near."""
    years = (anchor.year - 1, anchor.year, anchor.year + 1)
    found = pick(
        anchor, [date(y, month, day) for y in years if valid_day(y, month, day)], direction
    )
    return found.year if found else None


def quarter_of(day: date) -> int:
    """1-4."""
    return (day.month - 1) // 3 + 1


def year_for_quarter(anchor: date, quarter: int, direction: int) -> int:
    """The year of a quarter named without one ("the third quarter").

    A quarter up to the anchor's is this year's, in any tense (results are reported after the
    quarter ends); a later one is this year's in future tense and last year's otherwise.
    """
    if quarter <= quarter_of(anchor) or direction == FUTURE:
        return anchor.year
    return anchor.year - 1


# Seasons in order within a year; winter belongs to the year of its December.
_SEASONS = ("SP", "SU", "FA", "WI")


def season_of(day: date) -> tuple[int, str]:
    """The season holding ``day``, as ``(year, code)``."""
    if day.month in (1, 2):
        return day.year - 1, "WI"
    return day.year, _SEASONS[(day.month - 3) // 3]


def shift_season(year: int, code: str, seasons: int) -> tuple[int, str]:
    """A season moved by ``seasons`` (spring → summer → fall → winter → spring)."""
    new_year, slot = divmod(year * 4 + _SEASONS.index(code) + seasons, 4)
    return new_year, _SEASONS[slot]


def season_near(anchor: date, code: str, direction: int) -> tuple[int, str]:
    """The season ``code`` nearest the anchor: the current one, else the last or the next."""
    year, current = season_of(anchor)
    ahead = (_SEASONS.index(code) - _SEASONS.index(current)) % 4
    if ahead == 0:
        return year, code
    back = 4 - ahead
    if direction == FUTURE or (direction == UNKNOWN and ahead < back):
        return shift_season(year, current, ahead)
    return shift_season(year, current, -back)


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


# Granularities from fine to coarse, for shifting a value by a unit no finer than itself.
RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}
_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}


def parse_value(value: str) -> tuple[str, date] | None:
    """A resolved DATE value as ``(granularity, first day)``, or None for other shapes."""
    try:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            return "day", date.fromisoformat(value)
        if len(value) == 8 and value[4:6] == "-W":
            return "week", date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        if len(value) == 7 and value[4:6] == "-Q":
            return "quarter", date(int(value[:4]), 3 * int(value[6]) - 2, 1)
        if len(value) == 7 and value[4] == "-":
            return "month", date(int(value[:4]), int(value[5:]), 1)
        if len(value) == 4 and value.isdigit():
            return "year", date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def format_value(granularity: str, day: date) -> str:
    """The TIMEX3 value of the ``granularity``-sized period holding ``day``."""
    if granularity == "day":
        return day_value(day)
    if granularity == "week":
        return week_value(day)
    if granularity == "weekend":
        return weekend_value(day)
    if granularity == "month":
        return month_value(day.year, day.month)
    if granularity == "quarter":
        return f"{day.year:04d}-Q{quarter_of(day)}"
    return year_value(day.year)


def shift(day: date, unit: str, count: int) -> date | None:
    """``day`` moved by ``count`` calendar units (days, weeks, months, quarters, years)."""
    if unit in ("day", "week"):
        return shift_days(day, count * (7 if unit == "week" else 1))
    moved = shift_months(day.year, day.month, count * _MONTHS_PER[unit])
    if moved is None:
        return None
    last = calendar.monthrange(*moved)[1]
    return date(moved[0], moved[1], min(day.day, last))


def shift_reading(value: str, unit: str, count: int) -> tuple[str, str] | None:
    """A resolved value moved by ``count`` units, kept at its own granularity when that is
    finer ("a year earlier" than 1988-Q3 is 1987-Q3), else at the unit's. Returns
    ``(value, granularity)``, or None when the value cannot carry the unit (days on a year)."""
    parsed = parse_value(value)
    if parsed is None or unit not in RANK:
        return None
    granularity, day = parsed
    if RANK[unit] < RANK[granularity]:
        return None
    moved = shift(day, unit, count)
    if moved is None:
        return None
    return format_value(granularity, moved), granularity
