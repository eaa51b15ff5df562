"""Who does an event and to whom, and the parts people play in it, from the dependency parse."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsdesk.model import Actor, EventRole, Mention, Place
from newsdesk.stages.places.gazetteer import shared_gazetteer
from newsdesk.stages.quotes.parse import Parse, Tok

_RECIPIENT_PREPS = frozenset(
    {"with", "to", "against", "on", "at", "from", "toward", "towards", "into", "for", "between"}
)
_NOT_INSIDE = frozenset({"relcl", "acl", "appos", "advcl", "ccomp", "punct"})
_RELATIVES = frozenset({"who", "which", "that", "whom"})
_UNRESOLVED = frozenset({"they", "it", "we", "them", "i"})
_LEAD_VERBS = frozenset({"lead", "head", "chair"})
_MEMBER_PREPS = frozenset({"including", "comprising", "include"})
# What an unresolved subject pronoun can stand for, and how far back (characters) to look.
_PRONOUN_KINDS = {
    "it": frozenset({"government", "organisation"}),
    "they": frozenset({"government", "organisation"}),
    "he": frozenset({"person"}),
    "she": frozenset({"person"}),
}
_REACH = 400


@dataclass(frozen=True, slots=True)
class Arguments:
    """Actor keys doing the event, the ones it is done to or with, and stated roles."""

    actors: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    roles: tuple[EventRole, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()  # text covered by the actor and recipient phrases


def is_capital(place: Place) -> bool:
    """Whether the gazetteer record of ``place`` is its country's capital ("Kyiv", "Moscow")."""
    if place.kind != "city" or place.geonameid is None:
        return False
    return any(
        m.candidate.capital and m.candidate.geonameid == place.geonameid
        for m in shared_gazetteer().lookup(place.name)
    )


class ActorIndex:
    """Finds the actors written inside a stretch of text: mentions first, then a country or its
    capital named there when the article has that country's government as an actor ("sanctions
    on Russia", "Kyiv rejects that")."""

    def __init__(
        self, actors: Sequence[Actor], mentions: Sequence[Mention], places: Sequence[Place]
    ) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.kinds = {a.key: a.kind for a in actors}
        governments = {a.affiliation: a.key for a in actors if a.kind == "government"}
        self.countries = [
            (p.start, p.end, governments[p.name if p.kind == "country" else str(p.country)])
            for p in places
            if (p.kind == "country" and p.name in governments)
            or (p.country in governments and is_capital(p))
        ]

    def recent(self, before: int, kinds: frozenset[str]) -> str | None:
        """The actor of that kind named last before ``before``, within a paragraph's reach:
        what an unresolved "it" or "they" most likely stands for."""
        for mention in reversed(self.mentions):
            if mention.start >= before:
                continue
            if before - mention.end > _REACH:
                return None
            if self.kinds.get(mention.actor) in kinds:
                return mention.actor
        for start, _, key in sorted(self.countries, reverse=True):
            if start < before and before - start <= _REACH and self.kinds.get(key) in kinds:
                return key
        return None

    def within(self, start: int, end: int) -> list[str]:
        """Actor keys mentioned inside ``[start, end)``, in text order, each once."""
        keys = [m.actor for m in self.mentions if start <= m.start and m.end <= end]
        if not keys:
            keys = [key for s, e, key in self.countries if start <= s and e <= end]
        return list(dict.fromkeys(keys))


def phrase_span(parse: Parse, i: int) -> tuple[int, int]:
    """The characters of the noun phrase headed by token ``i`` with its conjuncts, without
    clauses hung on it ("Putin, who never confirmed attendance" is "Putin")."""
    keep = [i]
    stack = [k for k in parse.kids[i] if parse.toks[k].dep not in _NOT_INSIDE]
    while stack:
        k = stack.pop()
        keep.append(k)
        stack.extend(c for c in parse.kids[k] if parse.toks[c].dep not in _NOT_INSIDE)
    return parse.toks[min(keep)].start, parse.toks[max(keep)].end


def _resolve(parse: Parse, tok: Tok, index: ActorIndex) -> tuple[list[str], tuple[int, int]]:
    if tok.lower in _RELATIVES and tok.dep.startswith("nsubj"):
        clause = parse.toks[tok.head]
        if clause.dep == "relcl":
            tok = parse.toks[clause.head]
    span = phrase_span(parse, tok.i)
    return index.within(*span), span


def _subject(parse: Parse, verb: Tok, framing: set[int]) -> Tok | None:
    """The doer of ``verb``: its subject, the agent of a passive, the object of a controlling
    verb ("led him to float", "urged the EU to recognise"), or the subject of the verb it is
    the complement or conjunct of ("refused to sign", "met and agreed")."""
    tok: Tok | None = verb
    for _ in range(4):
        if tok is None:
            return None
        for child in parse.children(tok.i, "nsubj", "csubj"):
            return child
        for agent in parse.children(tok.i, "agent"):
            for pobj in parse.children(agent.i, "pobj"):
                return pobj
        if tok.dep not in {"xcomp", "conj", "advcl", "pcomp", "acl"} or tok.head == tok.i:
            return None
        head = parse.toks[tok.head]
        if tok.dep == "xcomp":
            for obj in parse.children(head.i, "dobj"):
                return obj
        if tok.dep == "pcomp":  # "the idea of imposing": the one who floats the idea
            head = _event_verb(parse, parse.toks[head.head], framing) or parse.toks[head.head]
        tok = head
    return None


def _reported_subject(parse: Parse, tok: Tok, reporting: frozenset[str]) -> Tok | None:
    """For an unresolved "they" or "it" in a reported clause, the reporter ("Putin and Trump
    confirmed they would not attend")."""
    clause = parse.toks[tok.head]
    while clause.dep in {"xcomp", "conj", "aux"} and clause.head != clause.i:
        clause = parse.toks[clause.head]
    if clause.dep != "ccomp":
        return None
    reporter = parse.toks[clause.head]
    if reporter.lemma not in reporting:
        return None
    return next(iter(parse.children(reporter.i, "nsubj")), None)


def _event_verb(parse: Parse, anchor: Tok, framing: set[int]) -> Tok | None:
    """The verb whose clause carries a noun event ("Putin had proposed negotiations", "float
    the idea of imposing sanctions"): up through prepositions and framing nouns only."""
    tok = anchor
    for _ in range(6):
        if tok.pos in {"VERB", "AUX"}:
            return tok
        if tok.head == tok.i or tok.dep not in {"dobj", "pobj", "prep", "pcomp", "attr", "conj"}:
            return None
        if tok.i != anchor.i and tok.pos in {"NOUN", "PROPN"} and tok.i not in framing:
            return None
        tok = parse.toks[tok.head]
    return None


def find_arguments(
    parse: Parse,
    trigger: Tok,
    anchor: Tok,
    index: ActorIndex,
    reporting: frozenset[str],
    framing: set[int],
) -> Arguments:
    """The event's actors (its doer), recipients and roles."""
    actors: list[str] = []
    recipients: list[str] = []
    spans: list[tuple[int, int]] = []
    roles = _roles(parse, trigger, index)
    # A noun event's doer: a possessive ("Trump's tariffs"), a "by" phrase, a relative clause
    # advocating it, then the doer of the verb that carries it.
    doer: Tok | None = None
    if trigger.pos in {"NOUN", "PROPN"}:
        doer = next(iter(parse.children(trigger.i, "poss")), None)
        for clause in parse.children(trigger.i, "relcl", "acl"):
            doer = doer or _subject(parse, clause, framing)
    verb = anchor if anchor.pos in {"VERB", "AUX"} else _event_verb(parse, anchor, framing)
    if doer is None and verb is not None:
        doer = _subject(parse, verb, framing)
    if doer is not None and doer.lower in _UNRESOLVED:
        doer = _reported_subject(parse, doer, reporting) or doer
    if doer is not None:
        keys, span = _resolve(parse, doer, index)
        if not keys and doer.lower in _PRONOUN_KINDS:
            recent = index.recent(doer.start, _PRONOUN_KINDS[doer.lower])
            keys = [recent] if recent else []
        actors.extend(keys)
        spans.append(span)
    for holder in (trigger, anchor):
        for obj in _objects(parse, holder):
            if obj.i == trigger.i:
                continue
            keys, span = _resolve(parse, obj, index)
            recipients.extend(k for k in keys if k not in actors)
            spans.append(span)
    if not actors:
        actors = [r.actor for r in roles]
    return Arguments(
        actors=tuple(dict.fromkeys(actors)),
        recipients=tuple(dict.fromkeys(k for k in recipients if k not in actors)),
        roles=roles,
        spans=tuple(spans),
    )


def _objects(parse: Parse, tok: Tok) -> Iterable[Tok]:
    for child in parse.children(tok.i):
        if child.dep in {"dobj", "dative"} and tok.pos in {"VERB", "AUX"}:
            yield child
        elif child.dep == "prep" and child.lower in _RECIPIENT_PREPS:
            yield from parse.children(child.i, "pobj")


def _people(parse: Parse, tok: Tok, index: ActorIndex) -> list[str]:
    tokens = parse.subtree(tok.i)  # with appositions: "senior envoys Steve Witkoff and …"
    return index.within(parse.toks[tokens[0]].start, parse.toks[tokens[-1]].end)


def _roles(parse: Parse, trigger: Tok, index: ActorIndex) -> tuple[EventRole, ...]:
    """ "the delegation, led by Medinsky and Fomin" (leaders) and "a delegation including
    Rubio, Witkoff and Kellogg" (members)."""
    roles: list[EventRole] = []
    noun = trigger.lemma
    leaders: list[str] = []
    lead_verb: Tok | None = None
    for child in parse.children(trigger.i, "acl"):
        if child.lemma in _LEAD_VERBS:
            lead_verb = child
    head = parse.toks[trigger.head]
    if trigger.dep == "nsubjpass" and head.lemma in _LEAD_VERBS:
        lead_verb = head
    if lead_verb is not None:
        for agent in parse.children(lead_verb.i, "agent"):
            for pobj in parse.children(agent.i, "pobj"):
                leaders = _people(parse, pobj, index)
    roles.extend(EventRole(actor=key, role=f"head of {noun}") for key in leaders)
    for child in parse.children(trigger.i):
        if child.lower in _MEMBER_PREPS or child.lemma in _MEMBER_PREPS:
            for pobj in parse.children(child.i, "pobj", "dobj"):
                roles.extend(
                    EventRole(actor=key, role=f"member of {noun}")
                    for key in _people(parse, pobj, index)
                )
    return tuple(dict.fromkeys(roles))
