"""The rule-based event extractor: triggers, status, arguments, place and date per sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from newsdesk.model import Article, Event, Place, Quote, TimeExpression
from newsdesk.stages.events.arguments import ActorIndex, Arguments, find_arguments, phrase_span
from newsdesk.stages.events.dating import date_status, pick_time
from newsdesk.stages.events.labels import compose, parts, short_name
from newsdesk.stages.events.lexicon import EventLexicon, load_lexicon
from newsdesk.stages.events.merging import merge_events
from newsdesk.stages.events.status import SUBJECT_DEPS, Reading, Step, frame_chain, read_status
from newsdesk.stages.events.triggers import Trigger, argument_nouns, find_triggers, first_match
from newsdesk.stages.quotes.parse import Parse, parse

_PLACE_RANK = {"city": 0, "region": 1, "country": 2, "continent": 3}
# Verbs whose date is their subject event's date ("the exchange took place in January 2024").
_HAPPEN = frozenset(
    {"take", "occur", "happen", "begin", "start", "end", "collapse", "last", "resume", "open",
     "close", "fail", "conclude", "break", "continue", "proceed", "go", "come"}
)  # fmt: skip


# Frames whose subject is not the one who would do the event ("expectations for a deal").
_DETACHED = frozenset({"hypothetical", "ongoing", "historical"})
# Statuses whose event belongs to the one who frames it: the demander of "Trump urged Ukraine to
# accept", the proposer of "Putin's offer of talks", the one who threatens.
_BY_FRAMER = frozenset({"demanded", "proposed", "threatened"})


def frame_words(parse: Parse, chain: list[Step], lexicon: EventLexicon) -> dict[int, str]:
    """Tokens above an event that frame it with a status cue ("refused", "called for"), with
    that status: these are not events of their own when they frame another."""
    found: dict[int, str] = {}
    for step in chain[1:]:
        for cue in lexicon.cues:
            phrases = cue.subject_frames if step.via in SUBJECT_DEPS else cue.frames
            if first_match(parse, step.tok.i, phrases) is not None:
                found.setdefault(step.tok.i, cue.status)
                break
    return found


def _span(parse: Parse, i: int) -> tuple[int, int]:
    """A verb's clause, or a noun's phrase without the clauses hung on it."""
    if parse.toks[i].pos in {"NOUN", "PROPN"}:
        return phrase_span(parse, i)
    tokens = parse.subtree(i)
    return parse.toks[tokens[0]].start, parse.toks[tokens[-1]].end


def _clause_span(parse: Parse, chain: list[Step]) -> tuple[int, int]:
    """The characters of the nearest verb's clause above the event (its own clause)."""
    for step in chain:
        if step.tok.pos in {"VERB", "AUX"}:
            tokens = parse.subtree(step.tok.i)
            return parse.toks[tokens[0]].start, parse.toks[tokens[-1]].end
    tokens = parse.subtree(chain[0].tok.i)
    return parse.toks[tokens[0]].start, parse.toks[tokens[-1]].end


def _place(
    places: Sequence[Place], near: tuple[int, int], taken: Sequence[tuple[int, int]]
) -> Place | None:
    """A place named in the event's clause that is not one of its actors ("talks in Istanbul")."""
    pool = [
        p
        for p in places
        if near[0] <= p.start
        and p.end <= near[1]
        and not any(s <= p.start and p.end <= e for s, e in taken)
    ]
    return min(pool, key=lambda p: (_PLACE_RANK.get(p.kind, 4), p.start), default=None)


def _speaker(quotes: Sequence[Quote], start: int) -> str | None:
    for quote in quotes:
        if quote.start <= start < quote.end:
            return quote.speaker_actor
    return None


def _by_framer(
    parse: Parse,
    frame: int,
    own: Arguments,
    index: ActorIndex,
    lexicon: EventLexicon,
    framing: set[int],
) -> Arguments:
    """The framer as the actor of a demand, proposal or threat, and the ones asked or
    threatened (the frame's objects and the event's own doers) as its recipients."""
    tok = parse.toks[frame]
    framer = find_arguments(parse, tok, tok, index, lexicon.reporting, framing)
    if not framer.actors:
        return own
    others = (*framer.recipients, *own.actors, *own.recipients)
    return Arguments(
        actors=framer.actors,
        recipients=tuple(dict.fromkeys(k for k in others if k not in framer.actors)),
        roles=own.roles,
        spans=(*own.spans, *framer.spans),
    )


def _confidence(trigger: Trigger, parse: Parse, reading: Reading, has_actors: bool) -> float:
    score = 0.5
    score += 0.15 if has_actors else 0.0
    score += 0.1 if reading.cue else 0.05
    score += 0.1 if parse.toks[trigger.index].pos == "VERB" else 0.05
    return round(min(score, 0.95), 2)


# Event types whose place belongs in the label ("Talks held in Istanbul").
_PLACED = frozenset({"CONSULT", "ASSAULT", "PROTEST", "MOBILIZE"})
_PREP = re.compile(r" (?:in|to|at|from) [A-Z]")


def _summary(parsed: Parse, trig: Trigger, reading: Reading, args: Arguments,
             names: dict[str, str], place: Place | None, lexicon: EventLexicon) -> str:  # fmt: skip
    """A readable label from the actors' names, the event's words and its status."""
    bits = parts(parsed, trig.index, trig.anchor, trig.kind.type, args.actors, names)
    plain = lexicon.inherent.get(trig.kind.type) == reading.status.value
    text = compose(bits, reading.status.value, condition=reading.condition, plain=plain,
                   recipients=args.recipients, roles=args.roles, names=names)  # fmt: skip
    phrase = f"{bits.verb or ''} {bits.noun.bare if bits.noun else ''} "
    placed = place is not None and (place.name in phrase or _PREP.search(phrase))
    if place is not None and trig.kind.type in _PLACED and not placed:
        text += f" in {place.name}"
    return text


def events_in(
    parsed: Parse, article: Article, lexicon: EventLexicon, *, extractor: str = "rules"
) -> list[Event]:
    """The events of ``article`` found in its parse, mentions of one event merged."""
    index = ActorIndex(article.actors, article.mentions, article.places)
    names = {a.key: short_name(a) for a in article.actors}
    published: date | None = article.published.value.date() if article.published.value else None
    times = list(article.times)
    found: list[Event] = []
    for first, last in parsed.sents:
        sentence = range(first, last)
        scope = (parsed.toks[first].start, parsed.toks[last - 1].end)
        triggers = find_triggers(parsed, sentence, lexicon)
        chains = {t.index: frame_chain(parsed, t.index, lexicon.reporting) for t in triggers}
        frames: dict[int, str] = {}
        for trig in triggers:
            frames.update(frame_words(parsed, chains[trig.index], lexicon))
        framing = set(frames)
        agentive = {i for i, status in frames.items() if status not in _DETACHED}
        dropped = argument_nouns(parsed, triggers, framing)
        for trig in triggers:
            if trig.index in dropped or (trig.index in framing and trig.anchor == trig.index):
                continue
            found.append(
                _event(parsed, article, trig, chains[trig.index], scope, lexicon,
                       index=index, names=names, published=published, times=times,
                       extractor=extractor, framing=agentive)
            )  # fmt: skip
    return merge_events(found)


def _event(
    parsed: Parse,
    article: Article,
    trig: Trigger,
    chain: list[Step],
    scope: tuple[int, int],
    lexicon: EventLexicon,
    *,
    index: ActorIndex,
    names: dict[str, str],
    published: date | None,
    times: list[TimeExpression],
    extractor: str,
    framing: set[int],
) -> Event:
    tok = parsed.toks[trig.index]
    own = _span(parsed, trig.anchor)
    if len(chain) > 1 and chain[1].via in SUBJECT_DEPS and chain[1].tok.lemma not in _HAPPEN:
        time = pick_time(times, own, own)  # "the planned talks recall … March 2022"
    else:
        time = pick_time(times, _clause_span(parsed, chain), scope)
    reading = read_status(
        parsed, chain, trig.kind.type, lexicon,
        dated=date_status(time, published, lexicon.historical_days),
    )  # fmt: skip
    args = find_arguments(parsed, tok, parsed.toks[trig.anchor], index, lexicon.reporting, framing)
    if reading.frame is not None and reading.status.value in _BY_FRAMER:
        args = _by_framer(parsed, reading.frame, args, index, lexicon, framing)
    place = _place(article.places, own, args.spans)
    return Event(
        type=trig.kind.type,
        mode=trig.kind.mode,
        cameo=trig.kind.cameo,
        status=reading.status.value,
        start=scope[0],
        end=scope[1],
        trigger=tok.text,
        trigger_start=tok.start,
        trigger_end=tok.end,
        actors=args.actors,
        recipients=args.recipients,
        roles=args.roles,
        place=place.name if place else None,
        country_code=place.country_code if place else None,
        date=time.value if time else None,
        granularity=time.granularity if time else None,
        date_text=time.text if time else None,
        condition=reading.condition,
        asserted_by=_speaker(article.quotes, tok.start),
        summary=_summary(parsed, trig, reading, args, names, place, lexicon),
        extractor=extractor,
        confidence=_confidence(trig, parsed, reading, bool(args.actors)),
    )


def extract_events(
    article: Article, *, lexicon_file: Path | None = None, model: str | None = None
) -> tuple[Event, ...]:
    """The events of ``article.text`` by the rules (related links are never read)."""
    if not article.text.strip():
        return ()
    lexicon = load_lexicon(lexicon_file)
    return tuple(events_in(parse(article.text, model), article, lexicon))
