"""A plain, typed copy of one spaCy parse, so the quote finders never touch spaCy themselves."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsdesk.stages.nlp import shared_parser

_PARAGRAPH_BREAK = re.compile(r"\n+")


@dataclass(frozen=True, slots=True)
class Tok:
    """One token: where it is, what it is and how it attaches (``head`` is a token index)."""

    i: int
    start: int
    end: int
    text: str
    lower: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    ent: str
    sent: int

    @property
    def is_punct(self) -> bool:
        """Punctuation or a symbol, which never carries content on its own."""
        return self.pos in {"PUNCT", "SYM", "SPACE"}


@dataclass(frozen=True, slots=True)
class Parse:
    """The tokens, sentences and paragraphs of one text, with child lists for walking down."""

    text: str
    toks: tuple[Tok, ...]
    kids: tuple[tuple[int, ...], ...]
    sents: tuple[tuple[int, int], ...]  # token ranges [first, last + 1)
    paragraphs: tuple[tuple[int, int], ...]  # character ranges of non-empty paragraphs
    _starts: tuple[int, ...]
    _paragraph_starts: tuple[int, ...]

    def children(self, i: int, *deps: str) -> Iterator[Tok]:
        """The dependents of token ``i``, only those with one of ``deps`` when given."""
        for k in self.kids[i]:
            if not deps or self.toks[k].dep in deps:
                yield self.toks[k]

    def subtree(self, i: int) -> list[int]:
        """The sorted indices of token ``i`` and everything under it."""
        found = [i]
        stack = list(self.kids[i])
        while stack:
            k = stack.pop()
            found.append(k)
            stack.extend(self.kids[k])
        return sorted(found)

    def ancestors(self, i: int, limit: int = 8) -> Iterator[Tok]:
        """The heads above token ``i``, nearest first, up to the sentence root."""
        tok = self.toks[i]
        for _ in range(limit):
            if tok.head == tok.i:
                return
            tok = self.toks[tok.head]
            yield tok

    def tokens_in(self, start: int, end: int) -> range:
        """Indices of the tokens that lie inside the character range ``[start, end)``."""
        first = bisect.bisect_left(self._starts, start)
        last = first
        while last < len(self.toks) and self.toks[last].end <= end:
            last += 1
        return range(first, last)

    def paragraph_of(self, char: int) -> int:
        """The index of the paragraph holding character ``char`` (or the one before a break)."""
        return max(0, bisect.bisect_right(self._paragraph_starts, char) - 1)

    def sentence(self, i: int) -> range:
        """The token indices of the sentence holding token ``i``."""
        first, last = self.sents[self.toks[i].sent]
        return range(first, last)


def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of the paragraphs of ``text`` (split at line breaks), blanks skipped."""
    spans: list[tuple[int, int]] = []
    position = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        if text[position:end].strip():
            spans.append((position, end))
        position = brk.end() if brk else len(text)
    return tuple(spans)


def build(toks: Iterable[Tok], text: str) -> Parse:
    """Assemble a Parse from its tokens, computing the child lists and sentence ranges."""
    ordered = tuple(toks)
    kids: list[list[int]] = [[] for _ in ordered]
    for tok in ordered:
        if tok.head != tok.i:
            kids[tok.head].append(tok.i)
    sents: list[tuple[int, int]] = []
    for tok in ordered:
        if tok.sent == len(sents):
            sents.append((tok.i, tok.i + 1))
        else:
            sents[-1] = (sents[-1][0], tok.i + 1)
    paragraphs = paragraph_spans(text)
    return Parse(
        text=text,
        toks=ordered,
        kids=tuple(tuple(k) for k in kids),
        sents=tuple(sents),
        paragraphs=paragraphs,
        _starts=tuple(t.start for t in ordered),
        _paragraph_starts=tuple(p[0] for p in paragraphs),
    )


def parse(text: str, model: str | None = None) -> Parse:
    """The shared spaCy parse of ``text`` (cached across stages), copied into plain records."""
    # shared_parser() and shared_parser(None) are separate cache entries: use the one the other
    # stages use, so the article is parsed once.
    doc = (shared_parser(model) if model else shared_parser())(text)
    toks: list[Tok] = []
    for number, sent in enumerate(doc.sents):
        for t in sent:
            toks.append(
                Tok(
                    i=t.i,
                    start=t.idx,
                    end=t.idx + len(t.text),
                    text=t.text,
                    lower=t.lower_,
                    lemma=t.lemma_.lower(),
                    pos=t.pos_,
                    tag=t.tag_,
                    dep=t.dep_,
                    head=t.head.i,
                    ent=t.ent_type_,
                    sent=number,
                )
            )
    return build(toks, text)
