"""TIMEX3 values for expressions that only mean something from a vantage point: "Thursday",
"yesterday", "last week", "over the weekend", "that year", "the year-earlier quarter".

The vantage point is the anchor (the publication day), or for "that"/"the following"/"the
year-earlier ..." the reading the text last mentioned. Without an anchor, readings that need
one are unresolved (``value=None``) rather than guessed.
"""

from __future__ import annotations

from datetime import date

from newsdesk.stages.times import anchor as cal
from newsdesk.stages.times.lexicon import MONTHS, PARTS_OF_DAY, SEASONS, WEEKDAYS
from newsdesk.stages.times.normalise import Groups, Reader
from newsdesk.stages.times.reading import Reading, Scene, unresolved


def with_part(day: date | None, part: str | None) -> Reading:
    """A day, or a part of it ("Wednesday night" → ``2025-05-14TNI``, a TIME)."""
    if day is None:
        return unresolved("TIME" if part else "DATE", "part-of-day" if part else "day")
    if part:
        code = PARTS_OF_DAY[part.lower()]
        return Reading("TIME", f"{cal.day_value(day)}T{code}", "part-of-day", anchored=True)
    return Reading("DATE", cal.day_value(day), "day", anchored=True)


_STRICT_PAST = {"last", "past", "previous", "this past"}
_STRICT_FUTURE = {"next", "following", "coming", "this coming"}


def weekday_day(anchor: date, name: str, rel: str, direction: int) -> date | None:
    """The day a weekday name means, seen from ``anchor``.

    "last"/"next" skip the anchor's own day; a bare name follows the tense, and when the tense
    is unknown looks back, as a bare weekday in news is most often a day just gone.
    """
    number = WEEKDAYS[name.lower()]
    if rel in _STRICT_PAST:
        return cal.weekday_near(anchor, number, cal.PAST, strict=True)
    if rel in _STRICT_FUTURE:
        return cal.weekday_near(anchor, number, cal.FUTURE, strict=True)
    return cal.weekday_near(anchor, number, direction if direction != cal.UNKNOWN else cal.PAST)


def _reference_day(scene: Scene) -> date | None:
    reference = scene.reference
    if reference is None or reference.value is None or reference.granularity != "day":
        return None
    parsed = cal.parse_value(reference.value)
    return parsed[1] if parsed else None


def weekday(groups: Groups, scene: Scene) -> Reading | None:
    """``Thursday``, ``last Tuesday``, ``Wednesday night``; ``the previous Friday`` counts from
    the day the text last named."""
    rel = " ".join(groups.get("rel", "").lower().split())
    seen = _reference_day(scene) if rel in ("previous", "following") else None
    base = seen or scene.anchor
    if base is None:
        return with_part(None, groups.get("part"))
    day = weekday_day(base, groups["weekday"], rel, scene.direction)
    reading = with_part(day, groups.get("part"))
    anchored = seen is None or bool(scene.reference and scene.reference.anchored)
    confidence = 0.9 if rel or scene.direction != cal.UNKNOWN else 0.7
    return Reading(reading.type, reading.value, reading.granularity, None, anchored, confidence)


RELDAYS = {
    "today": 0,
    "tonight": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}


def relday(groups: Groups, scene: Scene) -> Reading | None:
    """``today``, ``yesterday morning``, ``tonight`` (TNI)."""
    word = " ".join(groups["word"].lower().split())
    part = groups.get("part") or ("night" if word == "tonight" else None)
    if scene.anchor is None:
        return with_part(None, part)
    return with_part(cal.shift_days(scene.anchor, RELDAYS[word]), part)


def partday(groups: Groups, scene: Scene) -> Reading | None:
    """``this morning``, ``last night`` (the night before the anchor), ``that evening``."""
    rel = groups["rel"].lower()
    base = _reference_day(scene) if rel == "that" else scene.anchor
    if base is None:
        return with_part(None, groups["part"])
    return with_part(cal.shift_days(base, -1 if rel == "last" else 0), groups["part"])


_REF_VALUES = {"recently": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF"}


def ref(groups: Groups, scene: Scene) -> Reading | None:
    """``now`` → PRESENT_REF, ``recently`` → PAST_REF, ``in the coming days`` → FUTURE_REF."""
    word = " ".join(groups["word"].lower().split())
    if word in _REF_VALUES or word.startswith("recent"):
        return Reading("DATE", "PAST_REF", None)
    if "future" in word or "coming" in word or "ahead" in word or word == "soon":
        return Reading("DATE", "FUTURE_REF", None)
    return Reading("DATE", "PRESENT_REF", None)


_LAST = {"last", "the past", "the last", "past", "the previous", "previous", "the prior", "prior"}
_NEXT = {"next", "the next", "the coming", "the upcoming", "upcoming", "the following"}
_NEXT |= {"following"}
# Determiners that point at the period the text last mentioned rather than at the anchor.
_ANAPHORIC = {"that", "the same", "the following", "following", "the previous", "previous"}
_ANAPHORIC |= {"the prior", "prior"}
_CALENDAR_UNITS = ("week", "month", "quarter", "year")


def unit_relative(groups: Groups, scene: Scene) -> Reading | None:
    """``this week`` → ``2025-W20``, ``last month``, ``over the weekend``, ``next year``,
    ``that year`` (the year of the last date mentioned)."""
    det = " ".join(groups["det"].lower().split())
    unit = "fall" if groups["unit"].lower() == "autumn" else groups["unit"].lower()
    granularity = "season" if unit in SEASONS else unit
    offset = -1 if det in _LAST else 1 if det in _NEXT else 0
    if det in _ANAPHORIC and unit in _CALENDAR_UNITS and scene.reference is not None:
        base = cal.parse_value(scene.reference.value or "")
        if base is not None and cal.RANK[base[0]] <= cal.RANK[unit]:
            day = cal.shift(base[1], unit, offset)
            if day is not None:
                moved = cal.format_value(unit, day)
                anchored = scene.reference.anchored
                return Reading("DATE", moved, granularity, None, anchored, confidence=0.7)
    if scene.anchor is None:
        return unresolved("DATE", granularity)
    if det in ("the latest", "latest"):
        offset = -1 if unit in ("quarter", "week", "month") else 0
    elif det == "the" and unit == "quarter" and scene.direction == cal.PAST:
        offset = -1  # "profit rose in the quarter": the one just reported
    value = _unit_value(scene.anchor, unit, offset, det == "the", scene.direction)
    if value is None:
        return None
    return Reading("DATE", value, granularity, anchored=True, confidence=0.9)


def _unit_value(anchor: date, unit: str, offset: int, bare: bool, direction: int) -> str | None:
    if unit == "weekend":
        return _weekend(anchor, offset, bare, direction)
    if unit in _CALENDAR_UNITS:
        day = cal.shift(anchor, unit, offset)
        return cal.format_value(unit, day) if day else None
    if unit in ("decade", "century"):
        size, digits = (10, 3) if unit == "decade" else (100, 2)
        number = anchor.year // size + offset
        return f"{number:0{digits}d}" if number >= 0 else None
    return _season_value(anchor, SEASONS[unit], offset, direction if bare else cal.UNKNOWN)


def _season_value(anchor: date, code: str, offset: int, direction: int) -> str | None:
    """ "this summer" is the nearest one; "last summer" the latest before the current season."""
    if offset == 0:
        found = cal.season_near(anchor, code, direction)
    else:
        found = cal.season_near(anchor, code, cal.PAST if offset < 0 else cal.FUTURE)
        if found == cal.season_of(anchor):
            found = cal.shift_season(*found, 4 * offset)
    return f"{found[0]:04d}-{found[1]}" if cal.valid_year(found[0]) else None


def _weekend(anchor: date, offset: int, bare: bool, direction: int) -> str | None:
    """The weekend of the anchor's ISO week, or the one before or after it.

    A bare "the weekend" in a past or unknown tense is the last weekend on or before the
    anchor: on a Thursday the previous ISO week's, on a Sunday the anchor's own.
    """
    if bare:
        offset = 0 if direction == cal.FUTURE or anchor.isoweekday() >= 6 else -1
    moved = cal.shift_days(anchor, 7 * offset)
    return cal.weekend_value(moved) if moved else None


def season(groups: Groups, scene: Scene) -> Reading | None:
    """``summer``, ``the early summer``: this year's, or the last or next one by tense."""
    if scene.anchor is None:
        return unresolved("DATE", "season")
    code = SEASONS[groups["season"].lower()]
    found_year, code = cal.season_near(scene.anchor, code, scene.direction)
    if not cal.valid_year(found_year):
        return None
    return Reading("DATE", f"{found_year:04d}-{code}", "season", anchored=True, confidence=0.8)


def month_relative(groups: Groups, scene: Scene) -> Reading | None:
    """``last April`` (the latest April before the anchor's month), ``next January``,
    ``this May``, ``April next year``, ``February this year``."""
    if scene.anchor is None:
        return unresolved("DATE", "day" if "day" in groups else "month")
    number = MONTHS[groups["month"].lower().rstrip(".")]
    det = groups["det"].lower()
    found = scene.anchor.year + {"last": -1, "this": 0, "next": 1}[det]
    if "day" not in groups and det == "last" and number < scene.anchor.month:
        found = scene.anchor.year  # "last April", said in October
    elif "day" not in groups and det == "next" and number > scene.anchor.month:
        found = scene.anchor.year  # "next December", said in May
    if "day" in groups:
        day = int(groups["day"])
        if not cal.valid_day(found, number, day):
            return None
        return Reading("DATE", cal.day_value(date(found, number, day)), "day", anchored=True)
    if not cal.valid_year(found):
        return None
    return Reading("DATE", cal.month_value(found, number), "month", anchored=True)


def year_end(groups: Groups, scene: Scene) -> Reading | None:
    """``year-end`` → the anchor's year with mod END."""
    if scene.anchor is None:
        return unresolved("DATE", "year")
    return Reading("DATE", cal.year_value(scene.anchor.year), "year", "END", anchored=True)


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def year_ago(groups: Groups, scene: Scene) -> Reading | None:
    """``the year-earlier quarter``: the quarter just mentioned, a year back; without one,
    the year before the anchor."""
    reference = scene.reference.value if scene.reference else None
    if "ord" in groups and scene.anchor is not None:
        year = scene.anchor.year - 1
        value = f"{year:04d}-Q{_ORDINALS[groups['ord'].lower()]}"
        return Reading("DATE", value, "quarter", anchored=True, confidence=0.8)
    if reference and scene.reference and scene.reference.granularity == "quarter":
        moved = cal.shift_reading(reference, "year", -1)
        if moved:
            anchored = scene.reference.anchored
            return Reading("DATE", moved[0], moved[1], None, anchored, confidence=0.7)
    if scene.anchor is None:
        return unresolved("DATE", "year")
    return Reading("DATE", cal.year_value(scene.anchor.year - 1), "year", anchored=True)


def year_period(groups: Groups, scene: Scene) -> Reading | None:
    """``the 1988 quarter``: the quarter just mentioned, in 1988; else the year."""
    year = int(groups["year"])
    reference = scene.reference
    if reference and reference.value and reference.granularity == "quarter":
        return Reading("DATE", f"{year:04d}-{reference.value[5:]}", "quarter", confidence=0.7)
    return Reading("DATE", cal.year_value(year), "year", confidence=0.7)


READERS: dict[str, Reader] = {
    "weekday": weekday,
    "relday": relday,
    "partday": partday,
    "ref": ref,
    "unit_rel": unit_relative,
    "season": season,
    "month_rel": month_relative,
    "month_this_year": month_relative,
    "yearend": year_end,
    "year_ago": year_ago,
    "year_period": year_period,
}
