"""A quote as the finders propose it (tokens and cues, before actors), and tokens into spans."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsdesk.stages.quotes.lexicon import Cue
from newsdesk.stages.quotes.parse import Parse
from newsdesk.stages.quotes.speakers import Phrase

DIRECT = "direct"
REPORTED = "reported"
# Trimmed off the edges of reported content: "that" is the complementiser, not what was said.
_EDGE_WORDS = frozenset({",", ";", ":", "—", "–", "-", "(", ")"})
_MARKS = frozenset('"“”«»„')  # double marks only: single ones are mostly apostrophes


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed quote: content span, cue, speaker and addressee phrases, and how sure."""

    kind: str
    start: int
    end: int
    cue: Cue | None = None
    speaker: Phrase | None = None
    addressee: Phrase | None = None
    confidence: float = 0.8
    closed: bool = True  # False for a direct quote whose closing mark is missing


def runs(indices: Iterable[int]) -> Iterator[list[int]]:
    """Split sorted token indices into runs of consecutive indices."""
    run: list[int] = []
    for k in sorted(indices):
        if run and k != run[-1] + 1:
            yield run
            run = []
        run.append(k)
    if run:
        yield run


def content_spans(parse: Parse, indices: Iterable[int]) -> list[tuple[int, int]]:
    """Character spans of the contiguous pieces of a reported content, each stripped of edge
    punctuation, unbalanced quote marks and a leading complementiser "that"."""
    spans: list[tuple[int, int]] = []
    for run in runs(indices):
        toks = [parse.toks[k] for k in run]
        while toks and (toks[0].text in _EDGE_WORDS or toks[0].pos == "SPACE"):
            toks.pop(0)
        if toks and toks[0].lower == "that" and toks[0].dep in {"mark", "dobj"} and len(toks) > 1:
            toks.pop(0)
        while toks and (toks[-1].text in _EDGE_WORDS or toks[-1].pos == "SPACE"):
            toks.pop()
        if toks and toks[-1].text == "." and len(toks) > 1:
            toks.pop()
        if any(not t.is_punct for t in toks):
            start, end = toks[0].start, toks[-1].end
            spans.append(_balanced(parse.text, start, end))
    return spans


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a lone quote mark at either edge of a span (the other one lies outside it)."""
    inner = text[start:end]
    marks = [ch for ch in inner if ch in _MARKS]
    if inner[:1] in _MARKS and len(marks) % 2 == 1:
        start += 1
    elif inner[-1:] in _MARKS and len(marks) % 2 == 1:
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def word_count(text: str) -> int:
    """The number of words of ``text`` (whitespace-separated pieces holding a letter or digit)."""
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))
