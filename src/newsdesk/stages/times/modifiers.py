"""The words around a time expression that shift or blur it: "late Wednesday", "early next
week", "the end of 2025", "around 7:15 p.m.", "more than three years", "a week or so".

They become part of the expression's extent, as TimeML marks them, and its TIMEX3 ``mod``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdesk.stages.times.lexicon import DURATION_MODIFIERS, POINT_MODIFIERS, alternation


def _ci(words: Iterable[str]) -> str:
    return "(?i:" + alternation(words) + ")"


# Forms a point modifier ("early", "late", "the end of") may precede, and forms a duration
# modifier ("about", "more than") may precede.
_POINT_FORMS = frozenset(
    {
        *("dmy", "mdy", "my", "month", "month_rel", "month_this_year", "year", "weekday"),
        *("relday", "partday", "unit_rel", "season", "season_year", "quarter", "quarter_code"),
        *("half", "holiday", "century"),
    }
)
_DURATION_FORMS = frozenset({"duration", "ago", "half_hour", "bare_units"})
_POINT_PREFIX = re.compile(
    "(?P<mod>" + _ci([w for w, m in POINT_MODIFIERS.items() if m != "APPROX"]) + r")(?:\s+|-)$"
)
# "around" and its kin blur only written dates and clock times: "around Nov. 1", "around
# 7:15 p.m.", never "a way around Wednesday's ruling".
_APPROX_PREFIX = re.compile(
    "(?P<mod>"
    + _ci([w for w, m in POINT_MODIFIERS.items() if m == "APPROX" and w != "about"])
    + r")\s+$"
)
_APPROX_FORMS = frozenset({"iso", "dmy", "mdy", "my", "clock", "clock_hour", "noon", "year"})
_DURATION_PREFIX = re.compile("(?P<mod>" + _ci(DURATION_MODIFIERS) + r")\s+$")
_DURATION_SUFFIX = re.compile(r"\s+(?i:or\s+(?P<suffix>so|more|less|longer))(?!\w)")
_SUFFIX_MODS = {"so": "APPROX", "more": "EQUAL_OR_MORE", "less": "EQUAL_OR_LESS"}
_SUFFIX_MODS["longer"] = "EQUAL_OR_MORE"


def attach(kind: str, text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """The extent ``text[start:end]`` of a ``kind`` expression takes with its modifiers, and
    the TIMEX3 mod they give (None when there are none)."""
    modifier: str | None = None
    head = text[max(0, start - 30) : start]
    if kind in _POINT_FORMS or kind in _APPROX_FORMS:
        found = _POINT_PREFIX.search(head) if kind in _POINT_FORMS else None
        if kind in _APPROX_FORMS:
            found = found or _APPROX_PREFIX.search(head)
        if found:
            start -= len(head) - found.start()
            modifier = POINT_MODIFIERS[" ".join(found.group("mod").lower().split())]
    elif kind in _DURATION_FORMS:
        found = _DURATION_PREFIX.search(head)
        word = " ".join(found.group("mod").lower().split()) if found else ""
        core = text[start:end].lower()
        # "over the past two years" is not "more than"; "over two years" is.
        if found and not (word in ("over", "under") and core.startswith(("the ", "past "))):
            start -= len(head) - found.start()
            modifier = DURATION_MODIFIERS[word]
        tail = _DURATION_SUFFIX.match(text, end)
        if tail:
            end = tail.end()
            modifier = _SUFFIX_MODS[tail.group("suffix").lower()]
    return start, end, modifier
