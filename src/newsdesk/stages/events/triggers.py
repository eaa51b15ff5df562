"""Finding the words that name events in a parsed sentence, through the trigger lexicon."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.stages.events.lexicon import EventKind, EventLexicon, Phrase
from newsdesk.stages.quotes.parse import Parse, Tok

# Objects and complements through which a light verb hands its clause to an event noun.
_OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "nsubjpass"})
# Nouns that an event noun may modify and still be the event ("aid trucks", "sanctions package").
_CARRIER_NOUNS = frozenset(
    {"package", "truck", "attempt", "process", "programme", "program", "round", "measure", "plan",
     "regime", "effort", "bill", "flight", "convoy"}
)  # fmt: skip
_VERB_TAGS = frozenset({"VERB"})
_NOUN_TAGS = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word that names an event; ``anchor`` is the token whose clause holds its arguments
    (the light verb of "held talks", else the word itself)."""

    index: int
    anchor: int
    kind: EventKind
    phrase: Phrase


def _words(tok: Tok) -> tuple[str, str]:
    return tok.lemma, tok.lower


def below(parse: Parse, i: int, depth: int = 2) -> Iterable[Tok]:
    """The dependents of token ``i`` down to ``depth`` levels."""
    frontier = [i]
    for _ in range(depth):
        nxt: list[int] = []
        for k in frontier:
            for child in parse.children(k):
                yield child
                nxt.append(child.i)
        frontier = nxt


def matches(parse: Parse, i: int, phrase: Phrase) -> bool:
    """True when token ``i`` is the head of ``phrase`` with its other words hanging below it."""
    if phrase.head not in _words(parse.toks[i]):
        return False
    if not phrase.rest:
        return True
    under = {w for t in below(parse, i) for w in _words(t)}
    return all(word in under for word in phrase.rest)


def first_match(parse: Parse, i: int, phrases: Iterable[Phrase]) -> Phrase | None:
    """The first of ``phrases`` that token ``i`` heads."""
    for phrase in phrases:
        if matches(parse, i, phrase):
            return phrase
    return None


def _lookup(parse: Parse, tok: Tok, lexicon: EventLexicon) -> tuple[Phrase, EventKind] | None:
    if tok.pos in _VERB_TAGS:
        nominal = tok.tag == "VBG" or tok.dep in {"pobj", "dobj", "nsubj", "nsubjpass"}
        tables = (lexicon.verbs, lexicon.nouns) if nominal else (lexicon.verbs,)
    elif tok.pos in _NOUN_TAGS:
        tables = (lexicon.nouns,)
    else:
        return None
    for table in tables:
        for word in dict.fromkeys(_words(tok)):
            for phrase, kind in table.get(word, ()):
                if matches(parse, tok.i, phrase):
                    return phrase, kind
    return None


def _is_idiom(parse: Parse, tok: Tok) -> bool:
    """ "in response to", "in exchange for": a noun that names no event of its own."""
    head = parse.toks[tok.head]
    if tok.dep != "pobj" or head.lower != "in":
        return False
    return any(c.dep == "prep" and c.lower in {"to", "for"} for c in parse.children(tok.i))


def find_triggers(parse: Parse, sentence: range, lexicon: EventLexicon) -> list[Trigger]:
    """The event words of one sentence: light verbs give way to their event objects ("held
    talks" is one event, "talks"), an event noun inside another ("troop movements") is one."""
    found: dict[int, Trigger] = {}
    for i in sentence:
        tok = parse.toks[i]
        if tok.ent in {"DATE", "TIME"} or tok.lower == "according":
            continue  # "in March 2022", "according to"
        hit = _lookup(parse, tok, lexicon)
        if hit is None or _is_idiom(parse, tok):
            continue
        if tok.pos in _VERB_TAGS and any(
            c.lemma in lexicon.silent for c in parse.children(i, "xcomp")
        ):
            continue  # "declined to say whether …"
        found[i] = Trigger(index=i, anchor=i, kind=hit[1], phrase=hit[0])
    for i, trig in list(found.items()):
        tok = parse.toks[i]
        head = parse.toks[tok.head]
        if (
            tok.dep == "compound"
            and head.i != i
            and (head.i in found or head.lemma not in _CARRIER_NOUNS)
        ):
            del found[i]
            continue
        if tok.pos not in _NOUN_TAGS:
            continue
        verb = _governing_verb(parse, tok)
        if verb is not None and verb.lemma in lexicon.light_verbs:
            found[i] = Trigger(index=i, anchor=verb.i, kind=trig.kind, phrase=trig.phrase)
            found.pop(verb.i, None)
    return [found[i] for i in sorted(found)]


def _governing_verb(parse: Parse, tok: Tok) -> Tok | None:
    """The verb whose object (or prepositional object) the noun is: "held talks", "went on
    strike", "returned to negotiations", "the aid trucks were allowed"."""
    node = tok
    if node.dep == "compound" and parse.toks[node.head].lemma in _CARRIER_NOUNS:
        node = parse.toks[node.head]
    head = parse.toks[node.head]
    if node.dep in _OBJECT_DEPS and head.pos in {"VERB", "AUX"}:
        return head
    if node.dep == "pobj" and head.dep == "prep":
        verb = parse.toks[head.head]
        if verb.pos == "VERB" and head.lower in {"on", "to", "in", "into"}:
            return verb
    return None


def argument_nouns(parse: Parse, triggers: list[Trigger], framing: set[int]) -> set[int]:
    """Event nouns that are only what another event is about ("condemned the attack",
    "released the hostages"): arguments of that event, not events of their own. A verb that
    frames the noun with a status ("recall an earlier attempt") does not count."""
    verbs = {
        t.index
        for t in triggers
        if parse.toks[t.index].pos not in _NOUN_TAGS and t.index not in framing
    }
    nouns_by_index = {t.index: t for t in triggers}
    dropped: set[int] = set()
    for trig in triggers:
        tok = parse.toks[trig.index]
        if tok.pos not in _NOUN_TAGS or trig.anchor != trig.index:
            continue
        head = parse.toks[tok.head]
        if tok.dep == "pobj" and head.dep == "prep" and head.lower == "of":
            owner = nouns_by_index.get(head.head)
            if owner is not None and owner.kind.type != trig.kind.type:
                dropped.add(trig.index)  # "the return of all hostages"
            continue
        governor = _governing_verb(parse, tok)
        if governor is not None and governor.i in verbs:
            dropped.add(trig.index)
    return dropped
