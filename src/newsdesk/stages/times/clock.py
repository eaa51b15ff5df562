"""TIMEX3 values for clock times ("21:40", "9:40 pm", "noon"), dated by the day their sentence
names ("late Wednesday ... at 9:40 pm") or else by the anchor day."""

from __future__ import annotations

from newsdesk.stages.times.anchor import shift_days
from newsdesk.stages.times.lexicon import NUMBERS
from newsdesk.stages.times.normalise import Groups, Reader
from newsdesk.stages.times.reading import Reading, Scene, unresolved
from newsdesk.stages.times.relative import RELDAYS, weekday_day


def _day_of(groups: Groups, scene: Scene) -> tuple[str, bool] | None:
    """The ``YYYY-MM-DD`` a clock time falls on, and whether the anchor decided it: the day
    written with it ("9 a.m. Tuesday"), else the day its sentence names, else the anchor."""
    name = groups.get("dayname", "").lower()
    if name and scene.anchor is None:
        return None
    if name and scene.anchor is not None:
        if name in RELDAYS:
            day = shift_days(scene.anchor, RELDAYS[name])
        else:
            day = weekday_day(scene.anchor, name, "", scene.direction)
        return (day.isoformat(), True) if day else None
    reference = scene.reference
    if (
        reference is not None
        and reference.value
        and reference.granularity in ("day", "part-of-day")
    ):
        return reference.value[:10], reference.anchored
    if scene.anchor is not None:
        return scene.anchor.isoformat(), True
    return None


def _at(groups: Groups, scene: Scene, hour: int, minute: int, granularity: str) -> Reading | None:
    if not (0 <= hour <= 24 and 0 <= minute <= 59) or (hour == 24 and minute):
        return None
    day = _day_of(groups, scene)
    if day is None:
        return unresolved("TIME", granularity)
    value, anchored = day
    confidence = 0.9 if scene.reference is not None or "dayname" in groups else 0.7
    return Reading(
        "TIME", f"{value}T{hour:02d}:{minute:02d}", granularity, None, anchored, confidence
    )


def _hour24(hour: int, ampm: str | None) -> int | None:
    if not ampm:
        return hour
    if not 1 <= hour <= 12:
        return None
    pm = ampm.lower().startswith("p")
    return (hour % 12) + (12 if pm else 0)


def clock(groups: Groups, scene: Scene) -> Reading | None:
    """``21:40``, ``9:40 pm``, ``9.40 p.m.`` → ``2025-05-14T21:40`` on the sentence's day."""
    hour = _hour24(int(groups["hour"]), groups.get("ampm"))
    minute = int(groups.get("minute") or groups["dminute"])
    return None if hour is None else _at(groups, scene, hour, minute, "minute")


def clock_hour(groups: Groups, scene: Scene) -> Reading | None:
    """``9 pm``, ``nine o'clock``: a whole hour."""
    word = groups.get("hword")
    hour = _hour24(NUMBERS[word.lower()] if word else int(groups["hour"]), groups.get("ampm"))
    return None if hour is None else _at(groups, scene, hour, 0, "hour")


def noon(groups: Groups, scene: Scene) -> Reading | None:
    """``noon`` → T12:00; ``midnight`` → T24:00, the end of the day, as TIMEX3 writes it."""
    hour = 24 if groups["word"].lower() == "midnight" else 12
    return _at(groups, scene, hour, 0, "minute")


READERS: dict[str, Reader] = {
    "clock": clock,
    "clock_hour": clock_hour,
    "clock_word": clock_hour,
    "noon": noon,
}
