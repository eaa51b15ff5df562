"""Who speaks and to whom: the speaker and addressee phrases of a cue verb, from the parse."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.stages.quotes.parse import Parse, Tok

# Dependents that are not part of a speaker's name: "Peskov, [who ...], said", "[, the spokesman,]".
_OUTSIDE_PHRASE = frozenset({"relcl", "appos", "acl", "punct", "advcl", "parataxis", "ccomp"})
# A cue verb without a subject of its own borrows one from the verb it hangs from:
# "he said ..., adding that ..." (advcl), "went on to say" (xcomp), "spoke and said" (conj),
# "began by saying" (pcomp, then prep).
_BORROWS_SUBJECT = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep"})
_CLAUSE_CHAIN = frozenset({"ccomp", "xcomp", "advcl", "conj"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})
_INVERTED = frozenset({"dobj", "attr", "oprd"})  # "…,” said Peskov: spaCy's labels for Peskov
_TIMES = frozenset({"DATE", "TIME"})
_NOT_SPEAKERS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY"})
_DATELINE_DASHES = frozenset({"—", "–", "--", "-"})


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase as token range ``[first, stop)`` with its head token."""

    first: int
    stop: int
    head: int

    def chars(self, parse: Parse) -> tuple[int, int]:
        """The phrase's character span."""
        return parse.toks[self.first].start, parse.toks[self.stop - 1].end


def noun_phrase(parse: Parse, head: Tok) -> Phrase:
    """The phrase headed by ``head`` without appositions, relative clauses and commas: "Kremlin
    spokesman Dmitry Peskov" out of "Kremlin spokesman Dmitry Peskov, who ...". Contiguous."""
    kept = {head.i}
    stack = [head.i]
    while stack:
        for child in parse.children(stack.pop()):
            if child.dep not in _OUTSIDE_PHRASE or child.tag == "HYPH":
                kept.add(child.i)
                stack.append(child.i)
    first = stop = head.i
    while first - 1 in kept and "\n" not in parse.toks[first - 1].text:
        first -= 1
    while stop + 1 in kept and "\n" not in parse.toks[stop + 1].text:
        stop += 1
    while first < head.i and parse.toks[first].is_punct:
        first += 1
    while stop > head.i and parse.toks[stop].is_punct:
        stop -= 1
    return Phrase(first, stop + 1, head.i)


def subject(
    parse: Parse, verb: Tok, *, inverted: bool = False, quoted: frozenset[int] = frozenset()
) -> Tok | None:
    """The speaker token of cue ``verb``: its subject, a passive's agent ("announced by the
    Kremlin"), the subject of the verb it depends on, or with ``inverted`` a noun right after
    it that is not in quotation marks (``quoted``): "…,” said Peskov."""
    tok: Tok | None = verb
    for _ in range(4):
        if tok is None:
            return None
        found = _own_subject(parse, tok)
        if found is not None:
            return found
        for agent in parse.children(tok.i, "agent"):
            for pobj in parse.children(agent.i, "pobj"):
                return pobj
        if inverted and tok is verb:
            found = _inverted_subject(parse, verb, quoted)
            if found is not None:
                return found
        if tok.dep not in _BORROWS_SUBJECT or tok.head == tok.i:
            return None
        tok = (
            _matrix(parse, tok) if tok.dep == "advcl" and tok.tag == "VBG" else parse.toks[tok.head]
        )
    return None


def _matrix(parse: Parse, participle: Tok) -> Tok:
    """The main clause a trailing participle belongs to: in "Peskov declined to say whether
    Putin would attend, telling reporters …" the teller is Peskov, wherever the parser hung
    "telling"."""
    tok = parse.toks[participle.head]
    while tok.dep in _CLAUSE_CHAIN and tok.head != tok.i:
        tok = parse.toks[tok.head]
    return tok


def _own_subject(parse: Parse, verb: Tok) -> Tok | None:
    """The verb's nearest subject, kept to the verb's paragraph and stripped of a time or a
    dateline: in "12:15 p.m. / Obama says …" and "CLEVELAND (AP) — Mukasey told …" the
    speakers are Obama and Mukasey, wherever the parser hung them."""
    paragraph = parse.paragraph_of(verb.start)
    subjects = []
    for s in parse.children(verb.i, "nsubj"):
        found: Tok | None = s
        if s.ent in _TIMES or parse.paragraph_of(s.start) != paragraph:
            kept = [
                k
                for k in parse.subtree(s.i)
                if parse.toks[k].ent not in _TIMES
                and parse.paragraph_of(parse.toks[k].start) == paragraph
            ]
            found = phrase_root(parse, kept)
        if found is not None:
            subjects.append(found)
    if not subjects:
        return None
    chosen = min(subjects, key=lambda s: abs(verb.i - s.i))
    for appos in parse.children(chosen.i, "appos"):
        between = parse.toks[chosen.i + 1 : appos.i]
        if any(t.text in _DATELINE_DASHES for t in between):
            return appos
    return chosen


def _inverted_subject(parse: Parse, verb: Tok, quoted: frozenset[int]) -> Tok | None:
    for child in parse.children(verb.i, *_INVERTED):
        if child.i <= verb.i or child.i in quoted or child.ent in _NOT_SPEAKERS:
            continue
        if child.pos in {"PROPN", "NOUN"}:
            return child
    return None


def addressee(parse: Parse, verb: Tok, *, object_is_addressee: bool) -> Tok | None:
    """Who was spoken to: "told Rubio", "said to reporters"; None when not stated."""
    if object_is_addressee:
        for child in parse.children(verb.i, "dobj", "dative"):
            if child.pos in _NOMINAL and child.lower not in {"it", "that", "this", "what"}:
                return child
    for prep in parse.children(verb.i, "prep", "dative"):
        if prep.lower == "to":
            for pobj in parse.children(prep.i, "pobj"):
                if pobj.pos in _NOMINAL:
                    return pobj
    return None


def phrase_root(parse: Parse, indices: Iterable[int]) -> Tok | None:
    """The token of ``indices`` whose head lies outside them (the first, if several)."""
    chosen = set(indices)
    for k in sorted(chosen):
        tok = parse.toks[k]
        if (tok.head not in chosen or tok.head == tok.i) and not tok.is_punct:
            return tok
    return None
