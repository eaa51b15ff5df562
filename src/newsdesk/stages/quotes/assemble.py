"""From candidates to quotes: merge what two finders saw twice, give uncued quotes a speaker,
resolve speakers to actors in reading order."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from newsdesk.model import Actor, Mention, Quote
from newsdesk.stages.quotes.candidate import DIRECT, Candidate, word_count
from newsdesk.stages.quotes.direct import find_direct, quoted_tokens
from newsdesk.stages.quotes.lexicon import CueLexicon
from newsdesk.stages.quotes.marks import Quoted, find_quoted
from newsdesk.stages.quotes.parse import Parse
from newsdesk.stages.quotes.reported import find_reported
from newsdesk.stages.quotes.resolve import Resolver

INHERITED = 0.6  # confidence of a quote whose speaker comes from the quote before it
UNATTRIBUTED = 0.4
_COVERED = 0.8  # a reported content this much inside quotation marks is the direct quote


def find_quotes(
    parse: Parse,
    lexicon: CueLexicon,
    actors: Iterable[Actor] = (),
    mentions: Iterable[Mention] = (),
    *,
    min_words: int = 3,
    keep_unattributed: bool = False,
) -> list[Quote]:
    """Every quote of the parsed text, in text order."""
    quoted = find_quoted(parse.text)
    direct = find_direct(parse, quoted, lexicon)
    reported = find_reported(parse, quoted_tokens(parse, quoted), lexicon)
    reported = [_whole_quotes(parse.text, r, quoted) for r in reported]
    direct, reported = _merge(direct, reported, quoted)
    reported = _outermost(reported)
    found = _attribute_uncued(parse, direct, reported, min_words)
    if not keep_unattributed:
        found = [c for c in found if c.speaker is not None]
    return _resolved(parse, found, Resolver(parse, actors, mentions))


def _whole_quotes(text: str, r: Candidate, quoted: list[Quoted]) -> Candidate:
    """A reported content that ends or starts inside quotation marks (a misparse that cut the
    quote) is stretched to hold the whole quote."""
    start, end = r.start, r.end
    for q in quoted:
        if q.outer_start < end < q.outer_end:
            end = q.outer_end
        if q.outer_start < start < q.outer_end:
            start = q.outer_start
    while end > start and text[end - 1].isspace():
        end -= 1
    return dataclasses.replace(r, start=start, end=end) if (start, end) != (r.start, r.end) else r


def _merge(
    direct: list[Candidate], reported: list[Candidate], quoted: list[Quoted]
) -> tuple[list[Candidate], list[Candidate]]:
    """A reported content that is mostly a direct quote, marks included ("According to X,
    “…”"), lends its cue and speaker to the quote when it has none, and is dropped."""
    kept: list[Candidate] = []
    for r in reported:
        covered = sum(max(0, min(q.outer_end, r.end) - max(q.outer_start, r.start)) for q in quoted)
        if covered < _COVERED * (r.end - r.start):
            kept.append(r)
            continue
        for n, d in enumerate(direct):
            if d.start < r.end and r.start < d.end and d.cue is None:
                direct[n] = dataclasses.replace(
                    d, cue=r.cue, speaker=r.speaker, addressee=r.addressee, confidence=0.85
                )
    return direct, kept


def _outermost(reported: list[Candidate]) -> list[Candidate]:
    """Drop reported speech nested in another's content ("X said Y told Z …" is X's claim)."""
    return [
        r
        for r in reported
        if r.cue is None
        or not any(
            o.cue is not None and o.cue != r.cue and o.start <= r.cue.start < o.end
            for o in reported
        )
    ]


def _attribute_uncued(
    parse: Parse, direct: list[Candidate], reported: list[Candidate], min_words: int
) -> list[Candidate]:
    """A quote without a cue of its own (a quoted sentence after "…,” he said.") continues the
    attributed direct quote before it in the same or the previous paragraph, sharing its cue
    and speaker. Uncued quotes shorter than ``min_words`` or without a verb are scare quotes
    and names ("so-called “peace plan”", “Pravda”), not speech, and are dropped."""
    ordered = sorted(direct + reported, key=lambda c: (c.start, c.end))
    done: list[Candidate] = []
    for c in ordered:
        if c.kind != DIRECT or c.cue is not None:
            done.append(c)
            continue
        if word_count(parse.text[c.start : c.end]) < min_words or not _has_verb(parse, c):
            continue
        paragraph = parse.paragraph_of(c.start)
        before = [
            p
            for p in done
            if p.kind == DIRECT
            and p.speaker is not None
            and parse.paragraph_of(p.end) >= paragraph - 1
        ]
        if before:
            source = before[-1]
            sure = INHERITED if c.closed else INHERITED * 0.8
            done.append(
                dataclasses.replace(
                    c,
                    cue=source.cue,
                    speaker=source.speaker,
                    addressee=source.addressee,
                    confidence=sure,
                )
            )
        else:
            done.append(dataclasses.replace(c, confidence=UNATTRIBUTED))
    return done


def _has_verb(parse: Parse, c: Candidate) -> bool:
    """Whether a quote holds a verb, as speech does and titles mostly do not ("Saturday Night
    Live")."""
    return any(parse.toks[k].pos in {"VERB", "AUX"} for k in parse.tokens_in(c.start, c.end))


def _resolved(parse: Parse, found: list[Candidate], resolver: Resolver) -> list[Quote]:
    """Quote records, with speakers resolved in reading order (so pronouns see who spoke)."""
    text = parse.text
    by_speaker = sorted(found, key=lambda c: _speaker_position(parse, c))
    quotes: dict[tuple[int, int], Quote] = {}
    for c in by_speaker:
        speaker = c.speaker.chars(parse) if c.speaker is not None else (None, None)
        who = resolver.actor(c.speaker)
        resolver.spoke_at(_speaker_position(parse, c), who)
        quote = Quote(
            kind=c.kind,
            content=text[c.start : c.end],
            start=c.start,
            end=c.end,
            cue=c.cue.lemma if c.cue is not None else None,
            cue_start=c.cue.start if c.cue is not None else None,
            cue_end=c.cue.end if c.cue is not None else None,
            speaker=text[speaker[0] : speaker[1]] if speaker[0] is not None else None,
            speaker_start=speaker[0],
            speaker_end=speaker[1],
            speaker_actor=who,
            addressee_actor=resolver.actor(c.addressee),
            confidence=round(c.confidence, 3),
        )
        previous = quotes.get((c.start, c.end))
        if previous is None or previous.confidence < quote.confidence:
            quotes[(c.start, c.end)] = quote
    return sorted(quotes.values(), key=lambda q: (q.start, q.end))


def _speaker_position(parse: Parse, c: Candidate) -> int:
    if c.speaker is not None and c.cue is not None:
        return parse.toks[c.speaker.first].start
    return c.start
