"""What normalising one expression yields, before it is tied to its span in the text."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from newsdesk.stages.times.anchor import UNKNOWN


@dataclass(frozen=True, slots=True)
class Reading:
    """A TIMEX3 reading: type, value (None when unresolved), granularity and modifier."""

    type: str
    value: str | None
    granularity: str | None = None
    modifier: str | None = None
    anchored: bool = False
    confidence: float = 1.0

    def with_modifier(self, modifier: str | None) -> Reading:
        """The same reading with ``modifier`` when it has none of its own."""
        if modifier is None or self.modifier is not None:
            return self
        return replace(self, modifier=modifier)


@dataclass(frozen=True, slots=True)
class Scene:
    """What an expression is read against.

    ``anchor`` is the publication day (None when unknown), ``direction`` the tense around the
    expression, ``modifier`` what the words before it said ("more than"), and ``reference``
    the reading it leans on: for a clock time the day named in its sentence, for "two days
    later" the last point in time the text mentioned.
    """

    anchor: date | None
    direction: int = UNKNOWN
    modifier: str | None = None
    reference: Reading | None = None


def unresolved(type_: str, granularity: str | None, confidence: float = 0.5) -> Reading:
    """A relative expression with no anchor to resolve it on: found, but its value is None."""
    return Reading(type_, None, granularity, anchored=True, confidence=confidence)
