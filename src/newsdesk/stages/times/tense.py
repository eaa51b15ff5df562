"""Whether the words around a time expression point to the past or the future of the anchor.

News writes "Putin spoke on Thursday" and "the talks will resume on Thursday" with the same
bare weekday; the verb nearest the expression in its sentence tells the two apart. This is a
lexical reading (auxiliaries, irregular pasts, -ed forms and the words just before them),
cheap enough to run on every expression without a parse.
"""

from __future__ import annotations

import re

from newsdesk.stages.times.anchor import FUTURE, PAST, UNKNOWN


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# How far either side of an expression, in words, a cue still counts.
_WINDOW = 12

_FUTURE = _words(
    """will wo shall 'll ’ll going gonna would plan plans planned planning scheduled schedule
    expected expect expects expecting due slated intend intends intending aim aims hope hopes
    upcoming coming next awaiting await awaits tentatively soon"""
)
_PAST = _words(
    """was were had did said told met made took went came gave saw found left held began won
    lost fell rose sold bought paid spent brought thought kept led ran sent struck spoke wrote
    became broke chose drew drove flew grew knew stood threw fought sought taught caught built
    felt heard meant understood ago earlier last previous previously yesterday got quit shot
    withdrew undertook oversaw arose forgot forgave froze hung laid lent lit sank sang sat slept
    shut rang stole swore tore"""
)
# -ed words that are not past events: adjectives, names, and forms that announce plans.
_NOT_PAST = _words(
    """need needed red bed fed wed shed speed seed feed deed breed indeed hundred united based
    limited related concerned detailed advanced alleged armed skilled required supposed
    interested tired talented varied"""
)
_MODAL = _words("will would 'll ’ll shall to be been")
# Words before "to" that make it announce something to come: "planned to leave", "set to".
_INTENT = _words(
    """is are am was were planned wanted agreed decided hoped scheduled expected promised vowed
    pledged threatened prepared intended aimed sought set due poised about going slated
    proposed offered"""
)
_PRESENT_BE = _words("is are am being 's ’s")
_PERFECT = _words("has have had having")
# Before an -ed word these make it an adjective ("the proposed talks"), not a past event.
_DETERMINERS = _words("the a an this that these those its his her their our your my")
# A preposition right before the expression that gives the direction when no verb does.
_BEFORE = {"since": PAST, "until": FUTURE, "till": FUTURE, "through": FUTURE, "by": FUTURE}
_SKIP = _words("the early late mid end of beginning start middle this")

_WORD = re.compile(r"[A-Za-z’']+")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z“\"(])|\n")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding ``text[start:end]``."""
    left = 0
    for found in _SENTENCE_END.finditer(text, max(0, start - 400), start):
        left = found.end()
    after = _SENTENCE_END.search(text, end, end + 400)
    right = after.start() + 1 if after else min(len(text), end + 400)
    return left, right


def _is_past_form(word: str) -> bool:
    lower = word.lower()
    if lower in _PAST:
        return True
    return lower.endswith("ed") and len(lower) > 4 and lower not in _NOT_PAST and word[0].islower()


def _cue(words: list[str], index: int) -> int:
    """What ``words[index]`` says about time, read with the two words before it."""
    word = words[index].lower()
    before = words[index - 1].lower() if index > 0 else ""
    two_before = words[index - 2].lower() if index > 1 else ""
    if word in _FUTURE:
        return FUTURE
    if word == "to" and before in _INTENT:
        return FUTURE  # "is to resume", "planned to leave", "set to resume"
    if _is_past_form(words[index]):
        if before in _MODAL or (before in ("be", "been") and two_before in _MODAL):
            return FUTURE  # "will be held", "to be announced"
        if before in _PRESENT_BE or before in _DETERMINERS:
            return UNKNOWN  # "is expected": a present passive; "the proposed talks"
        return PAST
    if word in _PERFECT:
        return PAST
    return UNKNOWN


def _preposition(words: list[str]) -> int:
    """The direction a preposition just before the expression gives ("since", "until")."""
    for word in reversed(words[-4:]):
        lower = word.lower()
        if lower in _BEFORE:
            return _BEFORE[lower]
        if lower not in _SKIP:
            return UNKNOWN
    return UNKNOWN


def direction(text: str, start: int, end: int) -> int:
    """PAST, FUTURE or UNKNOWN for the expression at ``text[start:end]``.

    "since" right before it, or a possessive ("Wednesday's ruling"), mean the past, "until"
    right before it the future (a deadline); otherwise the nearest cue word in the same
    sentence decides, the left one on a tie, as English puts auxiliaries before the verb they
    mark; with no cue, "by" or "through" right before it mean the future.
    """
    left_bound, right_bound = sentence_bounds(text, start, end)
    before = [m.group() for m in _WORD.finditer(text, max(left_bound, start - 200), start)]
    after = [m.group() for m in _WORD.finditer(text, end, min(right_bound, end + 200))]
    preposition = _preposition(before)
    if preposition == PAST or text.startswith(("'s", "’s"), end):
        return PAST  # "since March"; "Wednesday's ruling"
    if before and before[-1].lower() in ("until", "till"):
        return FUTURE  # a deadline: "they were given until Monday"
    for distance in range(min(_WINDOW, max(len(before), len(after)))):
        if distance < len(before):
            cue = _cue(before, len(before) - 1 - distance)
            if cue != UNKNOWN:
                return cue
        if distance < len(after):
            cue = _cue(after, distance)
            if cue != UNKNOWN:
                return cue
    return preposition
