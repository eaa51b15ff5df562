"""TIMEX3 values for lengths of time and what is measured with them: durations, "N units ago",
and sets ("every weekday", "nightly")."""

from __future__ import annotations

from datetime import date

from newsdesk.stages.times import anchor as cal
from newsdesk.stages.times.lexicon import PARTS_OF_DAY, SEASONS, UNITS, WEEKDAYS, number_value
from newsdesk.stages.times.lexicon import unit_of as _unit_of
from newsdesk.stages.times.normalise import Groups, Reader
from newsdesk.stages.times.reading import Reading, Scene, unresolved


def _unit(groups: Groups) -> str:
    unit = _unit_of(groups["unit"])
    if unit is None:  # pragma: no cover - the grammar only captures known units
        raise ValueError(f"not a unit: {groups['unit']!r}")
    return unit


def _period(count: str, unit: str) -> str:
    """``P30D``, ``PT2H``, ``PXY``: ``count`` of ``unit`` as a TIMEX3 duration; decades are
    written in years (``P20Y``), as TimeBank mostly does."""
    letter, timey = UNITS[unit]
    scale = {"fortnight": 2, "decade": 10}.get(unit)
    if scale and count != "X":
        count, letter = _format(float(count) * scale), "W" if unit == "fortnight" else "Y"
    return "P" + ("T" if timey else "") + count + letter


def _format(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


def _and_a_half(count: int, unit: str) -> str:
    """``two and a half years`` → ``P2Y6M``, ``5 1/2 hours`` → ``PT5H30M``."""
    halves = {
        "year": f"P{count}Y6M",
        "month": f"P{count}M15D",
        "week": f"P{count * 7 + 3}DT12H",
        "day": f"P{count}DT12H",
        "hour": f"PT{count}H30M",
        "minute": f"PT{count}M30S",
        "decade": f"P{count * 10 + 5}Y",
        "century": f"P{count * 100 + 50}Y",
    }
    return halves.get(unit) or _period(f"{count}.5", unit)


def _count(groups: Groups) -> float | None:
    word = groups["num"]
    if "." in word and word.replace(".", "", 1).isdigit():
        return float(word)
    number = number_value(word)
    return None if number is None else float(number)


def duration(groups: Groups, scene: Scene) -> Reading | None:
    """``30-day`` → ``P30D``, ``two hours`` → ``PT2H``, ``several years`` → ``PXY``."""
    number, unit = _count(groups), _unit(groups)
    if number is None:
        return None
    if number < 0:
        return Reading("DURATION", _period("X", unit), unit, confidence=0.8)
    if ("half1" in groups or "half2" in groups) and number == int(number):
        return Reading("DURATION", _and_a_half(int(number), unit), unit)
    return Reading("DURATION", _period(_format(number), unit), unit)


def half_unit(groups: Groups, scene: Scene) -> Reading | None:
    """``half an hour`` → ``PT30M``, ``half a year`` → ``P6M``."""
    unit = groups.get("unit", "hour").lower()
    value = {"hour": "PT30M", "day": "PT12H", "year": "P6M", "century": "P50Y"}[unit]
    return Reading("DURATION", value, unit)


def year_ended(groups: Groups, scene: Scene) -> Reading | None:
    """``the year ended March 31``: a year's length, ending on the date that follows."""
    return Reading("DURATION", "P1Y", "year")


def bare_units(groups: Groups, scene: Scene) -> Reading | None:
    """``for years`` → ``PXY``: a length whose count the text leaves open."""
    unit = _unit_of(groups["core"])
    return Reading("DURATION", _period("X", unit), unit, confidence=0.7) if unit else None


_AGO_MODS = {"MORE_THAN": "BEFORE", "EQUAL_OR_MORE": "ON_OR_BEFORE", "LESS_THAN": "AFTER"}
_AGO_MODS |= {"EQUAL_OR_LESS": "ON_OR_AFTER", "APPROX": "APPROX"}
_FLIP = {"BEFORE": "AFTER", "AFTER": "BEFORE", "ON_OR_BEFORE": "ON_OR_AFTER"}
_FLIP |= {"ON_OR_AFTER": "ON_OR_BEFORE", "APPROX": "APPROX"}


def ago(groups: Groups, scene: Scene) -> Reading | None:
    """``three years ago`` → ``2022``, ``two weeks ago`` → a week value, ``a year earlier``
    → the last-mentioned period a year back, ``three days from now``."""
    number, unit = _count(groups), _unit(groups)
    rel = " ".join(groups["rel"].lower().split())
    sign = -1 if rel in ("ago", "earlier") else 1
    modifier = _AGO_MODS.get(scene.modifier or ("APPROX" if "orso" in groups else ""))
    if modifier and sign > 0:
        modifier = _FLIP[modifier]
    if number is None or number < 0:
        return Reading("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, modifier)
    if unit == "year" and ("half1" in groups or number != int(number)):
        number, unit = number * 12 + (6 if "half1" in groups else 0), "month"
    count = int(number) * sign
    reference = scene.reference.value if scene.reference else None
    if reference:
        moved = cal.shift_reading(reference, _calendar_unit(unit), _calendar_count(unit, count))
        if moved and scene.reference:
            anchored = scene.reference.anchored
            return Reading("DATE", moved[0], moved[1], modifier, anchored, confidence=0.7)
    if scene.anchor is None:
        return unresolved("DATE", _calendar_unit(unit))
    value = _from_anchor(scene.anchor, unit, count)
    if value is None:
        return None
    return Reading("DATE", value[0], value[1], modifier, anchored=True, confidence=0.9)


def _calendar_unit(unit: str) -> str:
    return {"decade": "year", "century": "year", "millennium": "year", "night": "day"}.get(
        unit, "week" if unit in ("fortnight", "weekend") else unit
    )


def _calendar_count(unit: str, count: int) -> int:
    scale = {"decade": 10, "century": 100, "millennium": 1000, "fortnight": 2}
    return count * scale.get(unit, 1)


def _from_anchor(anchor: date, unit: str, count: int) -> tuple[str, str] | None:
    if unit in ("hour", "minute", "second"):
        seconds = {"hour": 3600, "minute": 60, "second": 1}[unit] * count
        moved = cal.shift_days(anchor, -(-seconds // 86400) if seconds < 0 else seconds // 86400)
        return (cal.day_value(moved), "day") if moved else None
    granularity = _calendar_unit(unit)
    moved = cal.shift(anchor, granularity, _calendar_count(unit, count))
    if moved is None:
        return None
    if unit == "weekend":
        return cal.weekend_value(moved), "weekend"
    return cal.format_value(granularity, moved), granularity


def vague_ago(groups: Groups, scene: Scene) -> Reading | None:
    """``years ago`` → PAST_REF, ``days later`` → FUTURE_REF."""
    later = groups["rel"].lower() == "later"
    return Reading("DATE", "FUTURE_REF" if later else "PAST_REF", None, confidence=0.8)


_EVERY = {
    "day": "P1D",
    "week": "P1W",
    "month": "P1M",
    "year": "P1Y",
    "quarter": "P3M",
    "decade": "P1E",
    "hour": "PT1H",
    "minute": "PT1M",
    "weekday": "XXXX-WXX-1..5",
    "weekend": "XXXX-WXX-WE",
}


def _set_value(what: str, times: int) -> str:
    if what in PARTS_OF_DAY:
        return "XXXX-XX-XXT" + PARTS_OF_DAY[what]
    if what in WEEKDAYS:
        return f"XXXX-WXX-{WEEKDAYS[what]}"
    if what in SEASONS:
        return "XXXX-" + SEASONS[what]
    value = _EVERY[what]
    return value if times == 1 else value.replace("1", str(times), 1)


def every(groups: Groups, scene: Scene) -> Reading | None:
    """``every weekday`` → ``XXXX-WXX-1..5``, ``every Monday``, ``every two weeks`` → ``P2W``."""
    what = (groups.get("what") or groups.get("weekday") or "").lower().removesuffix("s")
    what = "fall" if what == "autumn" else what
    word = groups.get("num", "1").lower()
    times = 2 if word == "other" else (number_value(word) or 1)
    if what not in _EVERY or what in ("weekday", "weekend") or times < 1:
        times = 1
    return Reading("SET", _set_value(what, times), _set_granularity(what))


def _set_granularity(what: str) -> str:
    if what in PARTS_OF_DAY:
        return "part-of-day"
    if what in WEEKDAYS or what == "weekday":
        return "day"
    return "season" if what in SEASONS else what


_ADVERBS = {
    "daily": "P1D",
    "nightly": "XXXX-XX-XXTNI",
    "weekly": "P1W",
    "monthly": "P1M",
    "quarterly": "P3M",
    "yearly": "P1Y",
    "annually": "P1Y",
    "hourly": "PT1H",
    "biweekly": "P2W",
    "fortnightly": "P2W",
    "semiannually": "P6M",
    "biannually": "P6M",
    "bimonthly": "P2M",
}
_ADVERB_GRANULARITY = {"D": "day", "I": "part-of-day", "W": "week", "M": "month", "Y": "year"}


def adverb(groups: Groups, scene: Scene) -> Reading | None:
    """``nightly`` → ``XXXX-XX-XXTNI``, ``weekly`` → ``P1W``, ``annually`` → ``P1Y``."""
    value = _ADVERBS[groups["word"].lower().replace("-", "")]
    granularity = "hour" if value == "PT1H" else _ADVERB_GRANULARITY[value[-1]]
    return Reading("SET", value, granularity)


def frequency(groups: Groups, scene: Scene) -> Reading | None:
    """``twice a week``, ``$5 a year``, ``per day``: the period the count is taken over."""
    unit = groups["unit"].lower()
    value = "XXXX-XX-XXTNI" if unit == "night" else _EVERY[unit]
    return Reading("SET", value, "part-of-day" if unit == "night" else unit)


def plural_days(groups: Groups, scene: Scene) -> Reading | None:
    """``on Mondays`` → ``XXXX-WXX-1``, ``at weekends`` → ``XXXX-WXX-WE``."""
    word = groups["core"].lower().removesuffix("s")
    return Reading("SET", _set_value(word, 1), _set_granularity(word))


READERS: dict[str, Reader] = {
    "duration": duration,
    "half_hour": half_unit,
    "bare_units": bare_units,
    "year_ended": year_ended,
    "ago": ago,
    "vague_ago": vague_ago,
    "set_every": every,
    "set_adverb": adverb,
    "set_freq": frequency,
    "set_per": frequency,
    "set_plural": plural_days,
}
