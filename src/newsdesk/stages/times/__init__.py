"""The times stage: every time expression in an article, normalised TIMEX3-style on its date."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date
from typing import ClassVar

from newsdesk.model import Article, Published, TimeExpression
from newsdesk.stages.times import clock, lengths, normalise, relative
from newsdesk.stages.times.anchor import parse_value
from newsdesk.stages.times.grammar import Candidate, find
from newsdesk.stages.times.reading import Reading, Scene
from newsdesk.stages.times.tense import direction, sentence_bounds

__all__ = ["TimeStage", "anchor_day", "find_times"]

# Forms read against an earlier expression; they never become the reference themselves, so
# "a year earlier" said twice about "the third quarter" means the same quarter both times.
_COMPARATIVE = frozenset({"ago", "year_ago", "year_period"})
_FIRST_ANCHOR, _LAST_ANCHOR = date(2, 1, 1), date(9998, 12, 31)
# How far back (in characters) a quarter still makes "a year ago" mean the year-ago quarter.
_QUARTER_REACH = 500
_READERS = normalise.READERS | relative.READERS | lengths.READERS | clock.READERS


def anchor_day(published: Published) -> date | None:
    """The calendar day (UTC) relative expressions are resolved on, or None without a date."""
    if published.value is None:
        return None
    return published.value.astimezone(UTC).date()


def _read(
    candidate: Candidate, text: str, anchor: date | None, ref: Reading | None
) -> Reading | None:
    scene = Scene(
        anchor=anchor,
        direction=direction(text, candidate.start, candidate.end),
        modifier=candidate.modifier,
        reference=ref,
    )
    reading = _READERS[candidate.kind](candidate.groups, scene)
    return reading.with_modifier(candidate.modifier) if reading else None


def _same_sentence(text: str, one: Candidate, other: Candidate) -> bool:
    left, right = sentence_bounds(text, one.start, one.end)
    return left <= other.start < right


def _clock_day(
    text: str, candidate: Candidate, found: list[tuple[Candidate, Reading]]
) -> Reading | None:
    """The nearest reading naming a day in the sentence of a clock time, if any."""
    days = [
        (abs(c.start - candidate.start), r)
        for c, r in found
        if r.value
        and r.type in ("DATE", "TIME")
        and r.granularity in ("day", "part-of-day")
        and _same_sentence(text, candidate, c)
    ]
    return min(days, key=lambda item: item[0])[1] if days else None


def _reference(
    text: str, candidate: Candidate, previous: tuple[Candidate, Reading] | None
) -> Reading | None:
    """What an expression is read against besides the anchor: the last point in time the text
    mentioned, for "a year earlier" and "that week"; for "a year ago" only a quarter named
    just before ("profit rose from $5 million a year ago": the year-ago quarter)."""
    if previous is None:
        return None
    if candidate.kind == "ago" and candidate.groups["rel"].lower() not in ("earlier", "later"):
        near = candidate.start - previous[0].end < _QUARTER_REACH
        quarter = previous[1].granularity == "quarter"
        is_year = candidate.groups["unit"].lower() in ("year", "years")
        return previous[1] if near and quarter and is_year else None
    return previous[1]


def find_times(text: str, anchor: date | None) -> tuple[TimeExpression, ...]:
    """Find and normalise every time expression in ``text``, resolved on ``anchor``.

    Relative expressions ("Thursday", "last week") get ``value=None`` when ``anchor`` is None;
    absolute ones ("15 May 2025") are normalised either way. Clock times take the day named in
    their sentence ("late Wednesday ... at 9:40 pm"), "a year earlier" the last point in time
    the text mentioned before it.
    """
    if anchor is not None and not _FIRST_ANCHOR <= anchor <= _LAST_ANCHOR:
        anchor = None  # a day at the very end of the calendar has no room to count from
    candidates = find(text)
    read: dict[int, Reading] = {}
    previous: tuple[Candidate, Reading] | None = None
    for index, candidate in enumerate(candidates):
        if candidate.kind in clock.READERS:
            continue  # dated once the days around them are known
        reading = _read(candidate, text, anchor, _reference(text, candidate, previous))
        if reading is None:
            continue
        read[index] = reading
        if candidate.kind not in _COMPARATIVE and reading.value and parse_value(reading.value):
            previous = (candidate, reading)
    dated = [(candidates[i], r) for i, r in read.items()]
    for index, candidate in enumerate(candidates):
        if candidate.kind in clock.READERS:
            reading = _read(candidate, text, anchor, _clock_day(text, candidate, dated))
            if reading is not None:
                read[index] = reading
    return tuple(
        TimeExpression(
            text=text[c.start : c.end],
            start=c.start,
            end=c.end,
            type=r.type,
            value=r.value,
            granularity=r.granularity,
            modifier=r.modifier,
            anchored=r.anchored,
            confidence=r.confidence,
        )
        for c, r in ((candidates[i], read[i]) for i in sorted(read))
    )


class TimeStage:
    """Set ``times``: dates, times, durations and sets, anchored on the publication day."""

    name: ClassVar[str] = "times"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset({"text", "published"})
    provides: ClassVar[frozenset[str]] = frozenset({"times"})

    def __init__(self, *, min_confidence: float = 0.0) -> None:
        self.min_confidence = min_confidence

    def __call__(self, article: Article) -> Article:
        """Read the time expressions of ``article.text`` against its publication day."""
        found = find_times(article.text, anchor_day(article.published))
        kept = tuple(t for t in found if t.confidence >= self.min_confidence)
        return dataclasses.replace(article, times=kept)
