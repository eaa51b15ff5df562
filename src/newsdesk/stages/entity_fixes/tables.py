"""Names in results and standings lines ("Ajax 2 PSV 1", "CHICAGO 17 1 .944 -") are teams.

Sports pages, election returns and market tables write names followed by numbers, one row a
line. The model reads a city there as a place and a club as a person, and misses many names
written in capitals. In such a line a name that is a country (or a home nation) is a place
(national teams are named by their country), a name the model calls a person with a first name
and surname stays a person (athletes in results), and any other name is an organisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from newsdesk.model import Entity
from newsdesk.stages.entity_fixes.words import is_common_word
from newsdesk.stages.places.gazetteer import shared_gazetteer

_NUMBER = re.compile(r"[-+=]?[\d.,:/]*\d[\d.,:/%+\-]*")
_FILLERS = frozenset({"-", "=", "/", "–"})  # "GB -" in standings, "6 1/2"
_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}")
_PARTICLES = frozenset(
    {"van", "de", "der", "den", "da", "di", "du", "von", "la", "le", "del", "al", "el", "bin",
     "y", "of", "and", "&", "'s", "'"}
)  # fmt: skip
_MAX_NAME_TOKENS = 6
# Regions that field national teams.
_HOME_NATIONS = frozenset({"England", "Scotland", "Wales", "Northern Ireland"})
_CONFIDENCE = 0.7
_NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})


def fix_tables(doc: Any, found: list[Entity], model: str | None = None) -> list[Entity]:
    """``found`` with the names of results and standings lines typed as teams, places or people
    and spanning the whole name; a common word there ("Attendance 25,000") is no name, and
    column heads ("W L PCT GB") are none either. ``model`` is the pipeline whose word lists
    tell common words (see ``words``)."""
    cells: list[_Cell] = []
    for line in _lines(doc):
        if _is_header(line):
            cells.append(_Cell(line, ""))
        else:
            cells.extend(_typed_names(line, found, model))
    if not cells:
        return found
    spans = [(c.tokens[0].idx, c.tokens[-1].idx + len(c.tokens[-1].text)) for c in cells]
    kept = [e for e in found if not any(e.start < end and start < e.end for start, end in spans)]
    typed = [
        Entity(text=_text(cell.tokens), start=start, end=end, label=cell.label, source="rule",
               confidence=_CONFIDENCE)
        for cell, (start, end) in zip(cells, spans, strict=True)
        if cell.label
    ]  # fmt: skip
    return sorted([*kept, *typed], key=lambda e: (e.start, e.end))


class _Cell(NamedTuple):
    """A name in a table line and its type; no type: the words are no name."""

    tokens: Sequence[Any]
    label: str


def _lines(doc: Any) -> Iterator[list[Any]]:
    line: list[Any] = []
    for token in doc:
        if "\n" in token.text:
            yield line
            line = []
        elif not token.is_space:
            line.append(token)
    yield line


def _text(tokens: Sequence[Any]) -> str:
    """The text of adjacent tokens (``doc.text`` would rebuild the whole text each time)."""
    return "".join(t.text_with_ws for t in tokens[:-1]) + str(tokens[-1].text)


def _is_header(line: Sequence[Any]) -> bool:
    """A table's column heads: "W L PCT GB", "P W D L F A PTS"."""
    return len(line) >= 3 and all(t.text.isupper() and len(t.text) <= 3 for t in line)


def _is_number(token: Any) -> bool:
    return bool(_NUMBER.fullmatch(token.text))


def _is_particle(token: Any) -> bool:
    return token.text in _PARTICLES  # "van", "de", "of": lower case only ("LA" is a name)


def _is_name_word(token: Any) -> bool:
    return _is_particle(token) or (token.text[:1].isupper() and not _is_number(token))


def _segments(line: Sequence[Any]) -> list[tuple[str, list[Any]]] | None:
    """The line as runs of ("name", tokens), ("paren", tokens) and ("number", tokens); None when
    it is not a table line (a word in lower case, other punctuation, a date)."""
    runs: list[tuple[str, list[Any]]] = []
    in_paren = False
    for token in line:
        text = token.text
        if text == "(":
            if in_paren:
                return None
            in_paren = True
            runs.append(("paren", []))
            continue
        if text == ")":
            if not in_paren:
                return None
            in_paren = False
            runs.append(("number", []))  # a closing paren ends the name before it
            continue
        if in_paren:
            if not _is_name_word(token):
                return None
            runs[-1][1].append(token)
            continue
        if _is_number(token) or (text in _FILLERS and runs and runs[-1][0] == "number"):
            kind = "number"
        elif _is_name_word(token):
            kind = "name"
        elif text == "." and runs and runs[-1][0] == "number":
            kind = "number"  # "1 ." rank
        else:
            return None
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(token)
        else:
            runs.append((kind, [token]))
    if in_paren:
        return None
    return [(kind, tokens) for kind, tokens in runs if tokens or kind == "number"]


def _typed_names(line: Sequence[Any], found: list[Entity], model: str | None) -> list[_Cell]:
    if not line:
        return []
    if _DATE.search(_text(line)):
        return _dateline(line)
    runs = _segments(line)
    if not runs:
        return []
    numbers = sum(1 for kind, tokens in runs if kind == "number" and any(map(_is_number, tokens)))
    names = [(i, tokens) for i, (kind, tokens) in enumerate(runs) if kind != "number"]
    if not numbers or not names:
        return []
    # each name outside parentheses is followed by a number, maybe after a parenthesis
    for i, tokens in names:
        if runs[i][0] == "name":
            after = [kind for kind, _ in runs[i + 1 : i + 3]]
            if "number" not in after or len(tokens) > _MAX_NAME_TOKENS:
                return []
            if not any(t.text[:1].isupper() for t in tokens):
                return []
    typed = []
    for i, tokens in names:
        while tokens and _is_particle(tokens[-1]):
            tokens = tokens[:-1]
        while tokens and _is_particle(tokens[0]):
            tokens = tokens[1:]
        if not tokens:
            continue
        label = _label(tokens, found, model, in_paren=runs[i][0] == "paren")
        if label is not None:
            typed.append(_Cell(tokens, label))
    return typed


def _dateline(line: Sequence[Any]) -> list[_Cell]:
    """The place of a dateline ("LONDON 1996-12-06", "AL-AIN , United Arab Emirates
    1996-12-06"): each name before the date that the gazetteer knows is a place."""
    names: list[list[Any]] = [[]]
    for token in line:
        if token.text == ",":
            names.append([])
        elif _is_name_word(token) and not _is_particle(token):
            names[-1].append(token)
        elif _is_number(token) or token.text in _FILLERS:
            break
        else:
            return []
    return [_Cell(n, "GPE") for n in names if n and shared_gazetteer().lookup(_text(n))]


def _label(
    tokens: Sequence[Any], found: list[Entity], model: str | None, *, in_paren: bool
) -> str | None:
    """The name's type: GPE, PERSON or ORG; "" when it is no name ("Attendance 25,000",
    "Wheat 3.5"); None to leave the model's entities as they are."""
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = _text(tokens)
    model_types = {t.ent_type_ for t in tokens} - {""}
    if model_types & _NOT_NAMES:
        return None  # "Thursday 3", "May 1996"
    places = shared_gazetteer().lookup(text)
    if any(m.candidate.kind == "country" for m in places) or text.title() in _HOME_NATIONS:
        return "GPE"
    if in_paren:
        return None
    if len(tokens) == 1 and not places and "ORG" not in model_types and is_common_word(text, model):
        return ""
    inside = [e for e in found if e.start < end and start < e.end]
    if (
        len(tokens) > 1
        and not places
        and any(e.label == "PERSON" and e.source == "model" for e in inside)
    ):  # the model's own person, not a piece of a span it ran over lines
        return "PERSON"
    return "ORG"
