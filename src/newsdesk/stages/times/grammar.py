"""Where the time expressions are: one pattern per form, longest match wins, TIMEX3 extents.

Extents follow the TimeML guidelines: a leading "the" and modifiers such as "early", "late",
"about", "more than" belong to the expression; prepositions ("on", "in", "over") do not.
Month names and weekdays are matched case-sensitively so the verbs "may" and "march" and
words like "sun" stay out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsdesk.stages.times.lexicon import NUMBERS, UNIT_PLURALS, UNITS, VAGUE_COUNTS, alternation
from newsdesk.stages.times.modifiers import attach


@dataclass(frozen=True, slots=True)
class Candidate:
    """One found expression: its span, the form that matched and what the form captured."""

    start: int
    end: int
    kind: str
    groups: dict[str, str] = field(default_factory=dict)
    modifier: str | None = None


def _ci(words: Iterable[str]) -> str:
    return "(?i:" + alternation(words) + ")"


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = "(?P<weekday>" + "|".join(_WEEKDAY_NAMES) + ")"
_WEEKDAY_LEAD = (
    r"(?:(?:" + "|".join(_WEEKDAY_NAMES) + r"|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)"
    r"\.?,?\s+)?"
)
_MONTH_FULL = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH = rf"(?P<month>{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_DAY = r"(?P<day>0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>[12]\d{3})"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_COUNT_WORDS = list(NUMBERS)
_NUM = (
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?i:(?:{_TENS})[-\s](?:{_ONES}))|"
    + _ci(_COUNT_WORDS + list(VAGUE_COUNTS))
    + ")"
)
_UNIT = "(?P<unit>" + _ci(list(UNITS) + list(UNIT_PLURALS)) + ")"
_PART = r"(?P<part>(?i:morning|afternoon|evening|night))"
_AMPM = r"(?P<ampm>(?i:[ap]\.m\.|[ap]\.m(?!\w)|[ap]m(?!\w)))"
_TZ = (
    r"(?:\s+(?P<tz>GMT|UTC|EST|EDT|CST|CDT|PST|PDT|BST|CET|CEST|MSK|EET|EEST|ET|PT"
    r"|(?i:local\s+time)))?"
)
_END = r"(?![\w])"
_ON_DAY = (
    r"(?:,?\s+(?P<dayname>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?i:today|tonight|tomorrow|yesterday))(?!\w))?"
)

# Forms, most specific first: on equal extents the earlier form's reading is kept.
_FORMS: list[tuple[str, str]] = [
    (
        "iso",
        r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
        r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
        r"(?![\d-])",
    ),
    (
        "numeric",
        r"(?<![\d/.])(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])",
    ),
    (
        "dmy",
        rf"\b{_WEEKDAY_LEAD}(?:(?i:the)\s+(?=\d{{1,2}}(?:st|nd|rd|th)?\s+(?i:of)\s))?{_DAY}(?:\s+(?i:of))?\s+{_MONTH}(?:,?\s+{_YEAR})?{_END}",
    ),
    ("mdy", rf"\b{_WEEKDAY_LEAD}{_MONTH}\s+{_DAY}(?!\w|:\d)(?:(?:,\s*|\s+){_YEAR}(?!\d))?"),
    (
        "month_this_year",
        rf"\b{_MONTH}(?:\s+{_DAY})?,?\s+(?P<det>(?i:this|last|next))\s+(?i:year){_END}",
    ),
    ("month_rel", rf"\b(?P<det>(?i:last|next|this))\s+(?P<month>{_MONTH_FULL}){_END}"),
    ("my", rf"\b{_MONTH}(?:,?\s+|\s+(?i:of)\s+)(?:{_YEAR}|'(?P<yy>\d\d))(?![\d,.]\d|\d)"),
    ("month", rf"\b(?P<month>{_MONTH_FULL}){_END}"),
    (
        "year",
        r"(?:(?<=mid-)|(?<![\w$£€#.,/:-]))(?:(?P<fiscal>(?i:fiscal)(?:\s+(?i:year))?\s+|FY\s?)"
        r"|(?i:the\s+year)\s+)?(?P<year>1[5-9]\d\d|20\d\d|21\d\d)"
        r"(?![\w%]|[.,:]\d|-\d|\s*(?i:percent|per\s+cent))",
    ),
    (
        "decade",
        r"(?<![\w'’])(?:(?i:the)\s+)?(?:(?P<dmod>(?i:early|mid|late))[-\s]+)?"
        r"(?:(?P<century>1\d|20)(?P<decade>\d)0['’]?s|['’](?P<short>\d)0['’]?s"
        r"|(?P<word>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)))"
        + _END,
    ),
    (
        "century",
        r"\b(?:(?i:the)\s+)?(?P<ord>\d{1,2}(?:st|nd|rd|th)|(?i:(?:twenty[-\s])?first|second"
        r"|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
        r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth))"
        r"[-\s]+(?i:century)" + _END,
    ),
    (
        "weekday",
        r"\b(?:(?P<rel>(?i:last|next|this\s+coming|this\s+past|this|coming|past|previous"
        rf"|following))\s+)?{_WEEKDAY}{_END}(?:(?:,?\s+|-){_PART}{_END})?",
    ),
    (
        "relday",
        r"\b(?P<word>(?i:today|tonight|yesterday|tomorrow|the\s+day\s+before\s+yesterday"
        rf"|the\s+day\s+after\s+tomorrow)){_END}(?:(?:\s+|-){_PART}{_END})?",
    ),
    ("partday", rf"\b(?P<rel>(?i:this|last|that))\s+{_PART}{_END}"),
    (
        "ref",
        r"\b(?P<word>(?i:right\s+now|now|currently|nowadays|these\s+days|the\s+present"
        r"|recently|lately|the\s+past|recent\s+(?:days|weeks|months|years)"
        r"|the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|soon"
        r"|(?:the\s+)?coming\s+(?:days|weeks|months|years)"
        r"|the\s+(?:days|weeks|months|years)\s+ahead))" + _END,
    ),
    (
        "year_ended",
        r"\b(?i:the)\s+(?:(?i:fiscal|financial)\s+)?(?i:year)(?=\s+(?i:ended|ending|that\s+ended)\b)",
    ),
    (
        "unit_rel",
        r"\b(?P<det>(?i:this|last|next|the\s+past|the\s+last|past|the\s+previous|previous"
        r"|the\s+coming|the\s+following|the\s+current|current|the\s+same|that|the\s+latest"
        r"|latest|the\s+upcoming|upcoming|the\s+next|the\s+prior|prior|the))\s+"
        r"(?:(?P<fiscal>(?i:fiscal|calendar))\s+)?(?P<unit>(?i:week|weekend|month|year|quarter"
        r"|decade|century|spring|summer|fall|autumn|winter))" + _END + r"(?!-\w)",
    ),
    (
        "season_year",
        r"\b(?:(?i:the)\s+)?(?P<season>(?i:spring|summer|fall|autumn|winter))"
        rf"(?:\s+(?i:of))?\s+{_YEAR}(?!\d)",
    ),
    ("season", r"\b(?:(?i:the)\s+)?(?P<season>(?i:spring|summer|autumn|winter))" + _END),
    (
        "quarter",
        rf"\b(?:(?i:the)\s+)?(?:(?P<lyear>[12]\d{{3}})\s+)?(?:(?i:fiscal|calendar)[-\s]+)?"
        r"(?P<ord>(?i:first|second|third"
        r"|fourth|final|1st|2nd|3rd|4th))[-\s]+(?:(?i:fiscal|calendar)[-\s]+)?(?i:quarter)"
        rf"{_END}(?:(?:\s+(?i:of)\s+|,?\s+){_YEAR}(?!\d))?",
    ),
    ("year_period", rf"\b(?i:the)\s+{_YEAR}\s+(?i:quarter|period){_END}"),
    (
        "year_ago",
        r"\b(?:(?i:the)\s+)?(?i:year[-\s](?:earlier|ago))(?:\s+(?:(?P<ord>(?i:first|second"
        r"|third|fourth))[-\s]+)?(?i:quarter|period))?" + _END,
    ),
    ("quarter_code", rf"\b(?:Q(?P<q>[1-4])|(?P<qn>[1-4])Q)(?:[-\s]+{_YEAR}(?!\d))?{_END}"),
    (
        "half",
        r"\b(?:(?i:the)\s+)?(?P<ord>(?i:first|second|latter|last))\s+(?i:half)"
        rf"(?:\s+(?i:of)\s+{_YEAR}(?!\d))?{_END}",
    ),
    ("yearend", r"\b(?i:year[-\s]end|year['’]s\s+end|end[-\s]of[-\s](?:the[-\s])?year)" + _END),
    (
        "ago",
        rf"(?<![\w-]){_NUM}(?P<half1>\s+(?i:and\s+a\s+half))?[-\s]+{_UNIT}"
        r"(?P<orso>\s+(?i:or\s+so))?\s+(?P<rel>(?i:ago|earlier|later|from\s+now|hence))" + _END,
    ),
    (
        "vague_ago",
        r"\b(?P<unit>(?i:moments|minutes|hours|days|weeks|months|years|decades|centuries))"
        r"\s+(?P<rel>(?i:ago|earlier|later))" + _END,
    ),
    ("set_per", r"\b(?P<per>(?i:a|an|per))\s+(?P<unit>(?i:day|week|month|year|hour|night))" + _END),
    (
        "duration",
        r"(?<![\w-])(?:(?i:the)\s+)?(?:(?P<dir>(?i:past|last|next|coming|previous|following"
        rf"|first|final|initial|remaining|ensuing|entire|full))\s+)?{_NUM}"
        rf"(?P<half1>\s+(?i:and\s+a\s+half)|\s+1/2|½)?[-\s]+{_UNIT}{_END}"
        r"(?P<half2>\s+(?i:and\s+a\s+half))?(?P<old>(?:-|\s+)(?i:old))?",
    ),
    ("half_hour", r"\b(?i:half\s+an\s+hour|half\s+a\s+(?P<unit>day|year|century))" + _END),
    (
        "bare_units",
        r"\b(?i:for|in|within|over|after|than)\s+(?P<core>(?i:hours|days|weeks|months|years"
        r"|decades|centuries))" + _END + r"(?!\s+(?i:ago|later|earlier|old))",
    ),
    (
        "set_every",
        r"\b(?i:every|each)\s+(?:(?P<num>(?i:other)|\d+|(?i:two|three|four|five|six|ten))\s+)?"
        r"(?:(?P<what>(?i:weekday|weekend|day|night|week|month|year|quarter|morning|afternoon"
        rf"|evening|hour|minute|decade|summer|winter|spring|fall|autumn))s?|{_WEEKDAY})" + _END,
    ),
    (
        "set_adverb",
        r"\b(?P<word>(?i:daily|nightly|weekly|monthly|quarterly|yearly|annually|hourly"
        r"|bi-?weekly|fortnightly|semi-?annually|bi-?annually|bi-?monthly))" + _END,
    ),
    (
        "set_freq",
        r"\b(?P<times>(?i:once|twice|thrice|(?:two|three|four|five|six|\d+)\s+times))\s+"
        r"(?i:a|an|per|every|each)\s+(?P<unit>(?i:day|night|week|month|year|quarter|hour"
        r"|minute))" + _END,
    ),
    (
        "set_plural",
        r"\b(?i:on|at)\s+(?P<core>(?P<weekday>Mondays|Tuesdays|Wednesdays|Thursdays|Fridays"
        r"|Saturdays|Sundays)|(?i:weekends|weekdays))" + _END,
    ),
    (
        "clock",
        r"(?<![\d:.,$£€])(?P<hour>[01]?\d|2[0-3])(?::(?P<minute>[0-5]\d)"
        rf"|\.(?P<dminute>[0-5]\d)(?=\s*[ap]\.?m))(?::[0-5]\d)?(?![\d:])(?:\s*{_AMPM})?{_TZ}"
        + _ON_DAY,
    ),
    ("clock_hour", rf"(?<![\d:.,$£€])(?P<hour>1[0-2]|0?[1-9])\s*{_AMPM}{_TZ}{_ON_DAY}"),
    (
        "clock_word",
        r"\b(?:(?P<hword>(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))"
        r"|(?P<hour>1[0-2]|0?[1-9]))\s+(?i:o['’]clock)" + _END,
    ),
    ("noon", r"\b(?P<word>(?i:noon|midnight|midday))" + _END + _ON_DAY),
    (
        "holiday",
        r"\b(?P<name>Christmas\s+Eve|Christmas\s+Day|Christmas|New\s+Year['’]s\s+(?:Day|Eve)"
        r"|Thanksgiving(?:\s+Day)?|Easter(?:\s+Sunday)?|Good\s+Friday|Halloween"
        rf"|Valentine['’]s\s+Day)(?:,?\s+{_YEAR}(?!\d))?" + _END,
    ),
]
_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in _FORMS]
_PRIORITY = {kind: rank for rank, (kind, _) in enumerate(_FORMS)}

# Words before a lone "May" or "March" that make it the month rather than a verb or a name.
_MONTH_CONTEXT = re.compile(
    r"(?i:\b(?:in|since|by|until|till|through|during|from|to|of|early|late|mid|last|next|this"
    r"|and|or|between|before|after|end\s+of|beginning\s+of|start\s+of|middle\s+of))[\s-]+$"
)
_SOON_AFTER = re.compile(r"\s+(?i:as|after|afterwards?|thereafter)\b")
_MONEY_OR_COUNT = re.compile(
    r"(?i:\d|%|percent|dollars?|cents?|million|billion|trillion|euros?|pounds?|times)\s*$"
)


def _keep(kind: str, match: re.Match[str], text: str) -> bool:
    """Reject matches that have a time-like shape but are something else."""
    groups = match.groupdict()
    before = text[max(0, match.start() - 24) : match.start()]
    if kind == "month" and groups["month"] in ("May", "March"):
        return _MONTH_CONTEXT.search(before) is not None
    if kind == "duration":
        num = (groups["num"] or "").lower()
        unit = (groups["unit"] or "").lower()
        if groups["old"]:
            return False  # an age: "a 46-year-old"
        if num in ("a", "an", "one") and unit in ("second", "quarter"):
            return False  # "a second term", "a quarter of the vote"
        if unit.startswith("quarter") and text.startswith(" of", match.end()):
            return False  # "three-quarters of the shares"
        if unit == "night" and num in ("a", "an"):
            return False
        if len(num) == 4 and num.isdigit() and 1500 <= int(num) < 2200 and unit != "year":
            return False  # "the 1988 second quarter"
    if kind == "unit_rel" and groups["unit"].lower() == "fall":
        return not text.startswith(" of", match.end())  # "the fall of the Berlin Wall"
    if kind == "ref" and groups["word"].lower() == "soon":
        return not (before.lower().endswith("as ") or _SOON_AFTER.match(text, match.end()))
    if kind == "set_per" and groups["per"].lower() != "per":
        return _MONEY_OR_COUNT.search(before) is not None
    # A bare "12.30" is a number; "12:30" or "12.30 pm" is a time.
    return kind != "clock" or bool(groups["ampm"] or groups["minute"])


def find(text: str) -> list[Candidate]:
    """Every time expression in ``text``, as non-overlapping candidates in text order."""
    found: list[tuple[int, int, Candidate]] = []
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(text):
            if not _keep(kind, match, text):
                continue
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            start, end = match.span("core") if "core" in groups else match.span()
            found.append((end - start, _PRIORITY[kind], Candidate(start, end, kind, groups)))
    found.sort(key=lambda item: (-item[0], item[1], item[2].start))
    taken: list[Candidate] = []
    for _, _, candidate in found:
        if all(candidate.end <= t.start or candidate.start >= t.end for t in taken):
            taken.append(candidate)
    taken.sort(key=lambda c: c.start)
    result: list[Candidate] = []
    for index, candidate in enumerate(taken):
        start, end, modifier = attach(candidate.kind, text, candidate.start, candidate.end)
        left = result[-1].end if result else 0
        right = taken[index + 1].start if index + 1 < len(taken) else len(text)
        if (start, end) != (candidate.start, candidate.end) and left <= start and end <= right:
            candidate = Candidate(start, end, candidate.kind, candidate.groups, modifier)
        result.append(candidate)
    return result
