"""TIMEX3 values for named dates: "15 May 2025", "March 2022", "the 1990s", "the third quarter".

Each reader takes what the grammar captured and a scene (anchor day, tense) and returns a
reading, or None when the match is not a real date after all (30 February). A name with its
year never needs the anchor; one without ("May 15") takes the year the anchor and the tense
point to, and is unresolved when there is no anchor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from newsdesk.stages.times import anchor as cal
from newsdesk.stages.times.lexicon import MONTHS, SEASONS
from newsdesk.stages.times.reading import Reading, Scene, unresolved

Groups = dict[str, str]
Reader = Callable[[Groups, Scene], Reading | None]

_CENTURY_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty first": 21,
}
_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}
_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_QUARTERS |= {"fourth": 4, "4th": 4, "final": 4}
_DECADE_MODS = {"early": "START", "mid": "MID", "late": "END"}


def _month(groups: Groups) -> int:
    return MONTHS[groups["month"].lower().rstrip(".")]


def _day(year: int, month: int, day: int, *, anchored: bool = False) -> Reading | None:
    if not cal.valid_day(year, month, day):
        return None
    return Reading("DATE", cal.day_value(date(year, month, day)), "day", anchored=anchored)


def iso(groups: Groups, scene: Scene) -> Reading | None:
    """``2025-05-15`` and ``2025-05-15T21:40``."""
    year, month, day = int(groups["year"]), int(groups["month"]), int(groups["day"])
    reading = _day(year, month, day)
    if reading is None or "hour" not in groups:
        return reading
    hour, minute = int(groups["hour"]), int(groups["minute"])
    if hour > 23 or minute > 59:
        return reading
    return Reading("TIME", f"{reading.value}T{hour:02d}:{minute:02d}", "minute")


def numeric(groups: Groups, scene: Scene) -> Reading | None:
    """``5/15/2025`` (US order, as wire copy writes it) or ``15/5/2025`` when unambiguous."""
    first, second, year = int(groups["first"]), int(groups["second"]), int(groups["year"])
    if len(groups["year"]) == 2:
        pivot = (scene.anchor.year % 100 + 1) if scene.anchor else 30
        year += 2000 if year <= pivot else 1900
    month, day = (first, second) if first <= 12 else (second, first)
    return _day(year, month, day)


def day_month(groups: Groups, scene: Scene) -> Reading | None:
    """``15 May 2025``, ``May 15, 2025``, and ``May 15`` with the year from the anchor."""
    month, day = _month(groups), int(groups["day"])
    if "year" in groups:
        return _day(int(groups["year"]), month, day)
    if not cal.valid_day(2000, month, day):
        return None  # no year has a 30 February
    if scene.anchor is None:
        return unresolved("DATE", "day")
    year = cal.year_for_day(scene.anchor, month, day, scene.direction)
    return None if year is None else _day(year, month, day, anchored=True)


def month_year(groups: Groups, scene: Scene) -> Reading | None:
    """``March 2022``, ``May of 2025``, ``Aug. '98``."""
    year = int(groups["year"]) if "year" in groups else _two_digit_year(groups["yy"], scene)
    return Reading("DATE", cal.month_value(year, _month(groups)), "month")


def _two_digit_year(digits: str, scene: Scene) -> int:
    century = scene.anchor.year // 100 * 100 if scene.anchor else 1900
    year = century + int(digits)
    return year - 100 if scene.anchor and year > scene.anchor.year + 10 else year


def month(groups: Groups, scene: Scene) -> Reading | None:
    """A month without a year: the one the tense points to, nearest the anchor."""
    if scene.anchor is None:
        return unresolved("DATE", "month")
    year = cal.year_for_month(scene.anchor, _month(groups), scene.direction)
    return Reading("DATE", cal.month_value(year, _month(groups)), "month", anchored=True)


def year(groups: Groups, scene: Scene) -> Reading | None:
    """``2020``, ``fiscal 1989``: fiscal years keep the calendar year's value, as TimeBank."""
    return Reading("DATE", cal.year_value(int(groups["year"])), "year")


def decade(groups: Groups, scene: Scene) -> Reading | None:
    """``the 1990s`` → ``199``, ``the '80s`` → ``198``, ``the mid-1990s`` with mod MID."""
    modifier = _DECADE_MODS.get(groups.get("dmod", "").lower())
    if "century" in groups:
        value = groups["century"] + groups["decade"]
    elif "short" in groups:
        century = scene.anchor.year // 100 if scene.anchor else 19
        if scene.anchor and century * 100 + int(groups["short"]) * 10 > scene.anchor.year:
            century -= 1
        value = f"{century:02d}{groups['short']}"
    else:
        value = f"19{_DECADE_WORDS[groups['word'].lower()]}"
    return Reading("DATE", value, "decade", modifier)


def century(groups: Groups, scene: Scene) -> Reading | None:
    """``the 20th century`` → ``19``."""
    word = groups["ord"].lower()
    number = int(word[:-2]) if word[:-2].isdigit() else _CENTURY_WORDS.get(word.replace("-", " "))
    if not number or number > 99:
        return None
    return Reading("DATE", f"{number - 1:02d}", "century")


def season_year(groups: Groups, scene: Scene) -> Reading | None:
    """``summer 2025`` → ``2025-SU``."""
    code = SEASONS[groups["season"].lower()]
    return Reading("DATE", f"{int(groups['year']):04d}-{code}", "season")


def quarter(groups: Groups, scene: Scene) -> Reading | None:
    """``the third quarter`` (of the year the tense points to), ``Q3 2025``, ``3Q``."""
    word = groups.get("ord") or groups.get("q") or groups["qn"]
    number = int(word) if word.isdigit() else _QUARTERS[word.lower()]
    written = groups.get("year") or groups.get("lyear")
    if written:
        return Reading("DATE", f"{int(written):04d}-Q{number}", "quarter")
    if scene.anchor is None:
        return unresolved("DATE", "quarter")
    found = cal.year_for_quarter(scene.anchor, number, scene.direction)
    return Reading("DATE", f"{found:04d}-Q{number}", "quarter", anchored=True, confidence=0.8)


def half(groups: Groups, scene: Scene) -> Reading | None:
    """``the first half of 2025`` → ``2025-H1``."""
    number = 1 if groups["ord"].lower() == "first" else 2
    if "year" in groups:
        return Reading("DATE", f"{int(groups['year']):04d}-H{number}", "half")
    if scene.anchor is None:
        return unresolved("DATE", "half")
    return Reading("DATE", f"{scene.anchor.year:04d}-H{number}", "half", anchored=True)


def _holiday(name: str, in_year: int) -> date | None:
    if not cal.valid_year(in_year):
        return None
    fixed = {"christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25)}
    fixed |= {"new year's day": (1, 1), "new year's eve": (12, 31), "halloween": (10, 31)}
    fixed |= {"valentine's day": (2, 14)}
    if name in fixed:
        return date(in_year, *fixed[name])
    if name.startswith("thanksgiving"):
        return cal.thanksgiving(in_year)
    if in_year > 9998:
        return None
    sunday = cal.easter(in_year)
    return sunday - timedelta(days=2) if name == "good friday" else sunday


def holiday(groups: Groups, scene: Scene) -> Reading | None:
    """``Christmas``, ``Thanksgiving Day``, ``Easter 2024``: fixed and computed feasts."""
    name = " ".join(groups["name"].lower().replace("’", "'").split())
    if "year" in groups:
        day = _holiday(name, int(groups["year"]))
        return Reading("DATE", cal.day_value(day), "day") if day else None
    if scene.anchor is None:
        return unresolved("DATE", "day")
    years = (scene.anchor.year - 1, scene.anchor.year, scene.anchor.year + 1)
    days = [d for d in (_holiday(name, y) for y in years) if d]
    found = cal.pick(scene.anchor, days, scene.direction)
    return Reading("DATE", cal.day_value(found), "day", anchored=True) if found else None


READERS: dict[str, Reader] = {
    "iso": iso,
    "numeric": numeric,
    "dmy": day_month,
    "mdy": day_month,
    "my": month_year,
    "month": month,
    "year": year,
    "decade": decade,
    "century": century,
    "season_year": season_year,
    "quarter": quarter,
    "quarter_code": quarter,
    "half": half,
    "holiday": holiday,
}
