"""The words time expressions are made of, each mapped to what it contributes to a TIMEX3 value."""

from __future__ import annotations

from collections.abc import Iterable

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

# Monday is 1, as in ISO 8601 and in TIMEX3 values like XXXX-WXX-1.
WEEKDAYS: dict[str, int] = {
    "monday": 1,
    "tuesday": 2,
    "wednesday": 3,
    "thursday": 4,
    "friday": 5,
    "saturday": 6,
    "sunday": 7,
}

NUMBERS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "a thousand": 1000,
    "a dozen": 12,
    "a couple of": 2,
    "a couple": 2,
}

# Counts that say "some number of": the value keeps an X in place of the count (PXY).
VAGUE_COUNTS = ("several", "a few", "few", "many", "some", "a number of", "numerous", "multiple")

# Calendar units: the TIMEX3 duration letter and whether it sits after the T (PT2H).
UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True),
    "minute": ("M", True),
    "hour": ("H", True),
    "day": ("D", False),
    "night": ("D", False),
    "week": ("W", False),
    "weekend": ("WE", False),
    "fortnight": ("W", False),
    "month": ("M", False),
    "quarter": ("Q", False),
    "year": ("Y", False),
    "decade": ("E", False),
    "century": ("C", False),
    "millennium": ("L", False),
}
UNIT_PLURALS: dict[str, str] = {
    "seconds": "second",
    "secs": "second",
    "sec": "second",
    "minutes": "minute",
    "mins": "minute",
    "min": "minute",
    "hours": "hour",
    "hrs": "hour",
    "days": "day",
    "nights": "night",
    "weeks": "week",
    "weekends": "weekend",
    "fortnights": "fortnight",
    "months": "month",
    "quarters": "quarter",
    "years": "year",
    "decades": "decade",
    "centuries": "century",
    "millennia": "millennium",
}

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
    "midday": "MI",
    "daytime": "DT",
}

SEASONS: dict[str, str] = {
    "spring": "SP",
    "summer": "SU",
    "fall": "FA",
    "autumn": "FA",
    "winter": "WI",
}

# Words before a point in time that move or blur it, as TIMEX3 ``mod`` values.
POINT_MODIFIERS: dict[str, str] = {
    "early": "START",
    "early on": "START",
    "earlier": "START",
    "earlier on": "START",
    "the beginning of": "START",
    "the start of": "START",
    "the first part of": "START",
    "the dawn of": "START",
    "mid": "MID",
    "the middle of": "MID",
    "the mid": "MID",
    "the height of": "MID",
    "late": "END",
    "late on": "END",
    "later": "END",
    "later on": "END",
    "the end of": "END",
    "the close of": "END",
    "the last part of": "END",
    "the latter part of": "END",
    "the turn of": "END",
    "around": "APPROX",
    "about": "APPROX",
    "approximately": "APPROX",
    "roughly": "APPROX",
    "circa": "APPROX",
}

# Words before a length of time, as TIMEX3 ``mod`` values.
DURATION_MODIFIERS: dict[str, str] = {
    "about": "APPROX",
    "around": "APPROX",
    "approximately": "APPROX",
    "roughly": "APPROX",
    "some": "APPROX",
    "nearly": "LESS_THAN",
    "almost": "LESS_THAN",
    "less than": "LESS_THAN",
    "fewer than": "LESS_THAN",
    "under": "LESS_THAN",
    "just under": "LESS_THAN",
    "more than": "MORE_THAN",
    "over": "MORE_THAN",
    "just over": "MORE_THAN",
    "upwards of": "MORE_THAN",
    "up to": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS",
    "at most": "EQUAL_OR_LESS",
    "at least": "EQUAL_OR_MORE",
    "no less than": "EQUAL_OR_MORE",
    "no fewer than": "EQUAL_OR_MORE",
}


def alternation(words: Iterable[str]) -> str:
    """A regex group matching any of ``words``, longest first, spaces as any whitespace."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(w.replace(" ", r"\s+") for w in ordered) + ")"


def number_value(word: str) -> int | None:
    """The count a numeral stands for ("two" → 2, "30" → 30, "1,000" → 1000), else None.

    Returns -1 for vague counts ("several", "a few"), which become an X in a value.
    """
    key = " ".join(word.lower().replace("-", " ").split())
    if key in VAGUE_COUNTS:
        return -1
    digits = key.replace(",", "")
    if digits.isdigit():
        return int(digits)
    if key in NUMBERS:
        return NUMBERS[key]
    parts = key.split()
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        # "twenty five"
        tens, ones = NUMBERS[parts[0]], NUMBERS[parts[1]]
        if tens >= 20 and tens % 10 == 0 and 0 < ones < 10:
            return tens + ones
    return None


def unit_of(word: str) -> str | None:
    """The singular unit a word names ("weeks" → "week"), else None."""
    key = word.lower()
    if key in UNITS:
        return key
    return UNIT_PLURALS.get(key)
