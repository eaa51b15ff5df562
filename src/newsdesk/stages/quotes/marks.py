"""Quotation marks: pair opening and closing marks into quoted spans, apostrophes set apart.

Double marks (straight and curly) are paired first, with nesting for curly marks; a quote left
open at the end of a paragraph continues when the next paragraph opens with a quote mark (the
newspaper convention for a quote running over paragraphs), and otherwise ends with its
paragraph. Single marks are paired only outside double-quoted text, and a mark between two
letters is an apostrophe ("Russia’s", "don't"), never a quote mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.stages.quotes.parse import paragraph_spans

DOUBLE_OPEN = frozenset("“„‟«")
DOUBLE_CLOSE = frozenset("”»")
SINGLE_OPEN = frozenset("‘‹")
SINGLE_CLOSE = frozenset("’›")
DOUBLE_OPENERS = DOUBLE_OPEN | {'"'}
_EDGE = " \t\n,;:"  # trimmed off a quote's content: "are in Moscow," -> "are in Moscow"


@dataclass(frozen=True, slots=True)
class Quoted:
    """Text between quotation marks: ``start``/``end`` are the content, ``outer_*`` include the
    marks; ``closed`` is False when the quote ran to the end of its paragraph unclosed."""

    start: int
    end: int
    outer_start: int
    outer_end: int
    closed: bool = True
    single: bool = False


def _role(text: str, k: int) -> str:
    """Whether the mark at ``k`` opens, closes or is ambiguous/an apostrophe: open|close|none."""
    ch = text[k]
    before = text[k - 1] if k > 0 else " "
    after = text[k + 1] if k + 1 < len(text) else " "
    if ch in DOUBLE_OPEN or (ch in SINGLE_OPEN and not before.isalnum()):
        return "open"
    if ch in DOUBLE_CLOSE:
        return "close"
    if ch in SINGLE_OPEN:
        return "none"  # "‘90s" written mid-word
    if before.isalnum() and after.isalnum():
        return "none"  # an apostrophe: Russia’s, don't
    if ch in SINGLE_CLOSE:
        return "none" if before.isspace() else "close"  # "’90s" and "’em" open nothing
    opens = before.isspace() or before in "([{—–-/" or before in DOUBLE_OPEN or before == '"'
    if opens and not after.isspace():
        return "open"
    if not before.isspace():
        return "close"
    return "none"


def _paired(
    text: str, lo: int, hi: int, single: bool, paragraphs: list[tuple[int, int]]
) -> list[Quoted]:
    """Pair the marks of one kind (double or single) in ``text[lo:hi]``."""
    kinds = SINGLE_OPEN | SINGLE_CLOSE | {"'"} if single else DOUBLE_OPEN | DOUBLE_CLOSE | {'"'}
    found: list[Quoted] = []
    opened: int | None = None
    depth = 0
    for number, (p_start, p_end) in enumerate(paragraphs):
        if p_end <= lo or p_start >= hi:
            continue
        start = max(p_start, lo)
        continuing = opened is not None
        for k in range(start, min(p_end, hi)):
            if text[k] not in kinds:
                continue
            role = _role(text, k)
            if continuing and k == _first_char(text, p_start) and role == "open":
                continuing = False
                continue  # the mark that reopens a quote running over paragraphs
            if role == "open" and text[k] != "'" and text[k] != '"' and opened is not None:
                depth += 1  # a curly quote nested in a curly quote
            elif role == "open" and opened is None:
                opened, depth = k, 0
            elif role == "close" and opened is not None:
                if depth:
                    depth -= 1
                    continue
                found.append(_make(text, opened, k + 1, closed=True, single=single))
                opened = None
            elif role == "open" and opened is not None and not single:
                # a straight mark that looks like an opener inside an open quote: close there.
                found.append(_make(text, opened, k + 1, closed=True, single=single))
                opened = None
        if opened is not None:
            nxt = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
            if not single and nxt is not None and text[_first_char(text, nxt[0])] in DOUBLE_OPENERS:
                continue
            if not single:
                found.append(_make(text, opened, p_end, closed=False, single=single))
            opened, depth = None, 0
    return [q for q in found if q.end > q.start]


def _first_char(text: str, position: int) -> int:
    """The first non-blank character at or after ``position``."""
    while position < len(text) - 1 and text[position].isspace():
        position += 1
    return position


def _make(text: str, open_at: int, outer_end: int, *, closed: bool, single: bool) -> Quoted:
    start = open_at + 1
    end = outer_end - 1 if closed else outer_end
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return Quoted(start, end, open_at, outer_end, closed=closed, single=single)


def find_quoted(text: str) -> list[Quoted]:
    """Every outermost quoted span of ``text``, in order."""
    paragraphs = list(paragraph_spans(text))
    doubles = _paired(text, 0, len(text), False, paragraphs)
    singles: list[Quoted] = []
    gaps = [0, *(x for q in doubles for x in (q.outer_start, q.outer_end)), len(text)]
    for lo, hi in zip(gaps[::2], gaps[1::2], strict=True):
        singles.extend(_paired(text, lo, hi, True, paragraphs))
    return sorted(doubles + singles, key=lambda q: q.start)
