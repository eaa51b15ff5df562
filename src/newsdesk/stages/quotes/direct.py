"""Direct quotes: text between quotation marks, tied to the cue verb that introduces it.

A quote's cue is found in the parse first (a cue verb above the quote: "he called it a
“decorative delegation”", "“…,” he said"; or a cue verb hanging from a word of the quote, as
in a quote split by its cue), then beside the quote ("“…,” said Peskov"; "Peskov said: “…”").
A split quote (“The answers,” he said, “are in Moscow.”) gives two quotes with the same cue and
speaker, so every quote's content is one span of the text.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsdesk.stages.quotes.candidate import DIRECT, Candidate
from newsdesk.stages.quotes.lexicon import Cue, CueLexicon
from newsdesk.stages.quotes.marks import Quoted
from newsdesk.stages.quotes.parse import Parse
from newsdesk.stages.quotes.reported import unsaid
from newsdesk.stages.quotes.speakers import addressee, noun_phrase, subject

ADJACENT = 8  # how many tokens beside a quote are searched for its cue
_CHILD_CUES = ("parataxis", "advcl", "ccomp", "conj")
_STOPS = frozenset({".", "!", "?"})


def quoted_tokens(parse: Parse, quoted: Iterable[Quoted]) -> frozenset[int]:
    """The indices of every token inside quotation marks, the marks included."""
    return frozenset(k for q in quoted for k in parse.tokens_in(q.outer_start, q.outer_end))


def find_direct(parse: Parse, quoted: list[Quoted], lexicon: CueLexicon) -> list[Candidate]:
    """One candidate per quoted span, with its cue, speaker and addressee when found."""
    inside = quoted_tokens(parse, quoted)
    found: list[Candidate] = []
    for q in quoted:
        own = list(parse.tokens_in(q.outer_start, q.outer_end))
        cue, confidence = _cue(parse, own, inside, lexicon)
        speaker = listener = None
        if cue is not None:
            verb = parse.toks[cue.token]
            who = subject(parse, verb, inverted="addressee" not in cue.flags, quoted=inside)
            if who is not None and who.i not in inside:
                speaker = noun_phrase(parse, who)
            to = addressee(parse, verb, object_is_addressee="addressee" in cue.flags)
            if to is not None and to.i not in inside:
                listener = noun_phrase(parse, to)
        if not q.closed:
            confidence *= 0.8
        found.append(
            Candidate(DIRECT, q.start, q.end, cue, speaker, listener, confidence, closed=q.closed)
        )
    return found


def _cue(
    parse: Parse, own: list[int], inside: frozenset[int], lexicon: CueLexicon
) -> tuple[Cue | None, float]:
    """The cue of the quote made of tokens ``own``, and how sure the link is."""
    if not own:
        return None, 0.4
    mine = set(own)
    # A cue across a paragraph break is a misparse (a quoted subheading, say): not this quote's.
    paragraphs = {parse.paragraph_of(parse.toks[own[0]].start)}
    paragraphs.add(parse.paragraph_of(parse.toks[own[-1]].start))

    def usable(cue: Cue | None) -> bool:
        if cue is None or unsaid(parse, parse.toks[cue.token]):
            return False
        return parse.paragraph_of(cue.start) in paragraphs

    climbed: list[tuple[int, Cue]] = []
    for k in own:
        tok = parse.toks[k]
        if tok.is_punct or (tok.head in mine and tok.head != k):
            continue
        for steps, above in enumerate(parse.ancestors(k)):
            if above.i in inside:
                continue
            cue = lexicon.verb_cue(parse, above)
            if usable(cue) and cue is not None:
                climbed.append((steps, cue))
                break
    if climbed:
        return min(climbed, key=lambda sc: sc[0])[1], 0.9
    for k in own:
        for child in parse.children(k, *_CHILD_CUES):
            cue = lexicon.verb_cue(parse, child) if child.i not in inside else None
            if usable(cue) and cue is not None:
                return cue, 0.9
    cue = _beside(parse, own, inside, lexicon)
    return (cue, 0.85) if usable(cue) and cue is not None else (None, 0.4)


def _beside(
    parse: Parse, own: list[int], inside: frozenset[int], lexicon: CueLexicon
) -> Cue | None:
    """A cue verb just after the quote, or just before it when a colon or comma leads in."""
    toks = parse.toks
    seen = 0
    k = own[-1] + 1
    while k < len(toks) and seen < ADJACENT and k not in inside:
        tok = toks[k]
        if "\n" in tok.text or tok.text in _STOPS:
            break
        cue = lexicon.verb_cue(parse, tok)
        if cue is not None:
            return cue
        seen += 0 if tok.pos == "SPACE" else 1
        k += 1
    k = own[0] - 1
    while k >= 0 and toks[k].pos == "SPACE" and "\n" not in toks[k].text:
        k -= 1
    if k < 0 or toks[k].text not in {":", ","}:
        return None
    lead = k
    for k in range(lead - 1, max(-1, lead - 1 - ADJACENT), -1):
        tok = toks[k]
        if k in inside or "\n" in tok.text or tok.text in _STOPS:
            break
        cue = lexicon.verb_cue(parse, tok)
        if cue is not None:
            return cue
    return None
