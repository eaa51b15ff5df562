"""Whether an event happened, as the sentence presents it: the status rules over the parse."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.model import EventStatus
from newsdesk.stages.events.lexicon import EventLexicon, StatusCue
from newsdesk.stages.events.triggers import first_match, matches
from newsdesk.stages.quotes.parse import Parse, Tok

# The order statuses are tried in: the first that applies wins, occurred when none does.
PRECEDENCE: tuple[EventStatus, ...] = (
    EventStatus.HISTORICAL,
    EventStatus.DENIED,
    EventStatus.DECLINED,
    EventStatus.THREATENED,
    EventStatus.CONDITIONAL,
    EventStatus.DEMANDED,
    EventStatus.PROPOSED,
    EventStatus.PLANNED,
    EventStatus.HYPOTHETICAL,
    EventStatus.ONGOING,
    EventStatus.OCCURRED,
)
# How the chain climbs from the event word to the words that frame it.
_CLIMB = frozenset(
    {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "attr", "oprd", "nsubjpass",
     "nsubj", "conj", "compound", "dative", "appos", "csubj", "csubjpass", "agent", "acomp",
     "advmod"}
)  # fmt: skip
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
# Prepositions through which a noun takes an event as its complement ("a proposal for talks").
_OF_NOUN = frozenset({"for", "of", "on", "to", "about", "over", "at"})
_ROLE_NOUNS = frozenset({"role", "involvement", "part", "interest", "participation", "hand"})
_MODALS = frozenset({"would", "could", "might", "may", "should"})
_MODIFIER_DEPS = frozenset(
    {"neg", "aux", "auxpass", "advmod", "amod", "det", "prep", "mark", "npadvmod", "acomp"}
)
_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "who", "which", "that"})
_MAX_STEPS = 7
# Condition marks that make a condition only before a clause, never before a noun.
_CLAUSE_ONLY = frozenset({"until", "once"})


@dataclass(frozen=True, slots=True)
class Step:
    """One word of the chain above an event: how it was reached and whether its own auxiliaries
    and negation speak for the event (not across "and": "did not attend but sent")."""

    tok: Tok
    via: str
    own: bool


@dataclass(frozen=True, slots=True)
class Reading:
    """The status of one event with the word that decided it and the condition, if any."""

    status: EventStatus
    cue: str | None = None
    condition: str | None = None  # the condition as written ("only if Putin were present")
    frame: int | None = None  # the token of the word above the event that gave the status


def frame_chain(parse: Parse, i: int, reporting: frozenset[str]) -> list[Step]:
    """The event word and the words above it that can frame it, nearest first; the climb stops
    at a relative clause, an adverbial clause, the root, or after a reporting verb."""
    chain = [Step(parse.toks[i], "self", True)]
    tok = parse.toks[i]
    for _ in range(_MAX_STEPS):
        if tok.head == tok.i or tok.dep not in _CLIMB:
            break
        last = chain[-1].tok
        if last.lemma in reporting and last.pos == "VERB" and len(chain) > 1:
            break
        head = parse.toks[tok.head]
        noun_prep = tok.dep == "prep" and head.pos in {"NOUN", "PROPN"}
        if (
            noun_prep
            and tok.lower not in _OF_NOUN
            and not (tok.lower == "in" and head.lemma in _ROLE_NOUNS)
        ):
            break  # "hopes for a breakthrough in the war": the war is not what is hoped for
        chain.append(Step(head, tok.dep, tok.dep != "conj"))
        tok = head
    # A relative or participial clause on an event noun frames it too ("a ceasefire, which
    # Trump has been advocating"; "talks planned for Friday").
    first = parse.toks[i]
    if first.pos in {"NOUN", "PROPN"}:
        for child in parse.children(i, "relcl", "acl"):
            chain.append(Step(child, "dobj", True))
    return chain


def _modifiers(parse: Parse, step: Step) -> list[Tok]:
    return [c for c in parse.children(step.tok.i) if c.dep in _MODIFIER_DEPS] if step.own else []


def negated(parse: Parse, chain: list[Step], negations: frozenset[str]) -> Tok | None:
    """A negation on the event or a frame above it: "will not attend", "no talks", "neither
    side showed up", "no longer cooperate"."""
    for step in chain:
        if not step.own:
            continue
        if (
            step.via
            not in {
                "self",
                "xcomp",
                "dobj",
                "pobj",
                "prep",
                "pcomp",
                "nsubjpass",
                "attr",
                "compound",
            }
            and step.via != "nsubj"
        ):
            break
        for child in parse.children(step.tok.i):
            if child.dep == "neg" or (child.dep == "advmod" and child.lower == "never"):
                return child
            if child.dep == "det" and child.lower in negations:
                return child
            if child.dep in {"nsubj", "nsubjpass"}:
                for det in parse.children(child.i, "det", "preconj"):
                    if det.lower in {"no", "neither"}:
                        return det
            if (
                child.dep == "advmod"
                and child.lower == "longer"
                and any(g.lower == "no" for g in parse.children(child.i))
            ):
                return child
    return None


def condition_clause(parse: Parse, chain: list[Step], lexicon: EventLexicon) -> str | None:
    """The condition on the event or a frame above it, as written ("only if Putin were also
    present", "unless the court intervenes", "Were Israel to strike …"); an "only" on the
    verb ("would only participate … if") is carried over to the condition."""
    for step in chain:
        for clause in parse.children(step.tok.i, "advcl", "prep"):
            if _is_condition(parse, clause, lexicon):
                span = parse.subtree(clause.i)
                text = parse.text[parse.toks[span[0]].start : parse.toks[span[-1]].end]
                before = parse.toks[span[0] - 1] if span[0] > 0 else None
                only = any(c.lower == "only" for c in parse.children(step.tok.i, "advmod"))
                if (before is not None and before.lower == "only") or only:
                    return f"only {text}" if not text.lower().startswith("only") else text
                return text
        if parse.toks[step.tok.i].lemma in {"say", "state", "tell"} and step.via != "self":
            break
    return None


def _is_condition(parse: Parse, clause: Tok, lexicon: EventLexicon) -> bool:
    if clause.dep == "prep":
        # "on condition that …", "in case the talks fail", "only after a ceasefire"
        text = f"{clause.lower} {' '.join(c.lower for c in parse.children(clause.i))}"
        return any(
            text.startswith(f"{m.head} {' '.join(m.rest)}".strip()) for m in lexicon.condition_marks
        ) and (clause.lower in {"on", "in", "after", "when"} and len(text.split()) > 1)
    for child in parse.children(clause.i):
        if child.lower in _CLAUSE_ONLY and child.dep != "mark":
            continue  # "until Thursday" is a time, "until they meet" a condition
        if child.dep in {"mark", "advmod", "prep"}:
            if first_match(parse, child.i, lexicon.condition_marks) is not None:
                return True
            if child.lower in {"as", "in", "on"} and any(
                matches(parse, child.i, m) for m in lexicon.condition_marks
            ):
                return True
    # Inversion: "Were Israel to strike", "Should the talks collapse", "Had they known".
    first = parse.toks[parse.subtree(clause.i)[0]]
    return first.lower in {"were", "should", "had"} and first.dep in {"aux", "auxpass", "ROOT"}


def _frame_hit(parse: Parse, chain: list[Step], cue: StatusCue) -> Step | None:
    for step in chain[1:]:
        if cue.via and step.via not in cue.via:
            continue
        phrases = cue.subject_frames if step.via in SUBJECT_DEPS else cue.frames
        if first_match(parse, step.tok.i, phrases) is not None:
            return step
    return None


def _modifier_hit(parse: Parse, chain: list[Step], cue: StatusCue) -> Tok | None:
    for step in chain:
        for child in _modifiers(parse, step):
            if first_match(parse, child.i, cue.modifiers) is not None:
                return child
        if step.via in SUBJECT_DEPS:
            break
    return None


def _same_agent(parse: Parse, chain: list[Step], frame: Step) -> bool:
    """No clause between the event and the frame has a subject of its own that is not a
    pronoun standing for the frame's subject."""
    for step in chain:
        if step.tok.i == frame.tok.i:
            return True
        for subj in parse.children(step.tok.i, "nsubj", "nsubjpass"):
            if subj.lower not in _PRONOUNS and step.via != "nsubjpass":
                return False
    return True


def _would_is_future(parse: Parse, chain: list[Step], reporting: frozenset[str]) -> bool:
    """ "said it would attend": "would" in a clause reported by a reporting verb written
    before it ("… would be catastrophic, the admiral said" stays hypothetical)."""
    return any(
        s.tok.lemma in reporting and s.via == "ccomp" and s.tok.i < chain[0].tok.i
        for s in chain[1:]
    )


def read_status(
    parse: Parse,
    chain: list[Step],
    event_type: str,
    lexicon: EventLexicon,
    *,
    dated: EventStatus | None = None,
) -> Reading:
    """The status of the event whose frame chain is ``chain``. ``dated`` is what the event's
    date says (historical or planned) when it has one."""
    found: dict[EventStatus, str] = {}
    where: dict[EventStatus, int] = {}
    if dated is EventStatus.HISTORICAL:
        found[EventStatus.HISTORICAL] = "date"
    hostile = event_type in lexicon.hostile_types
    for cue in lexicon.cues:
        status = EventStatus(cue.status)
        if cue.hostile and not hostile:
            if not cue.otherwise:
                continue
            status = EventStatus(cue.otherwise)
        if status in found:
            continue
        frame = _frame_hit(parse, chain, cue)
        if frame is not None and cue.same_agent and not _same_agent(parse, chain, frame):
            frame = None
        if frame is not None:
            found[status] = frame.tok.text
            where[status] = frame.tok.i
            continue
        modifier = _modifier_hit(parse, chain, cue)
        if modifier is None:
            continue
        if modifier.lower == "would" and _would_is_future(parse, chain, lexicon.reporting):
            found.setdefault(EventStatus.PLANNED, modifier.text)
            continue
        found[status] = modifier.text
    if _since_clause(parse, chain[0].tok):
        found.setdefault(EventStatus.HISTORICAL, "since")
    negation = negated(parse, chain, lexicon.negations)
    if negation is not None:
        found[EventStatus.DECLINED] = negation.text
    condition = condition_clause(parse, chain, lexicon)
    inside = _in_condition(parse, chain, lexicon)
    if condition is None and not inside:
        condition, inside = surface_condition(parse, chain[0].tok, lexicon)
    if condition is not None:
        found[EventStatus.CONDITIONAL] = condition
    if inside:
        found.setdefault(EventStatus.HYPOTHETICAL, "if")
    if _progressive(parse, chain):
        found.setdefault(EventStatus.ONGOING, "progressive")
    if dated is EventStatus.PLANNED:
        found.setdefault(EventStatus.PLANNED, "date")
    if found.get(EventStatus.HYPOTHETICAL, "would").lower() not in _MODALS:
        found.pop(EventStatus.PLANNED, None)  # "perhaps … will", "unclear whether … will"
    for status in PRECEDENCE:
        if status in found:
            reading = Reading(status, found[status], condition, where.get(status))
            return _inherent(reading, event_type, lexicon)
    return _inherent(Reading(EventStatus.OCCURRED, None, condition), event_type, lexicon)


_YIELDING = frozenset(
    {EventStatus.OCCURRED, EventStatus.ONGOING, EventStatus.PLANNED, EventStatus.PROPOSED}
)


def _inherent(reading: Reading, event_type: str, lexicon: EventLexicon) -> Reading:
    """A speech act's own status ("Kyiv rejects that framing" is declined) where the sentence
    only places it in time."""
    own = lexicon.inherent.get(event_type)
    if own is None or reading.status not in _YIELDING:
        return reading
    return Reading(EventStatus(own), reading.cue or event_type.lower(), reading.condition, None)


def _since_clause(parse: Parse, tok: Tok) -> bool:
    """ "since Russia invaded Ukraine": a past event a later state is counted from."""
    if tok.tag != "VBD" or tok.dep != "advcl":
        return False
    return any(c.lower == "since" for c in parse.children(tok.i, "mark"))


def _in_condition(parse: Parse, chain: list[Step], lexicon: EventLexicon) -> bool:
    """The event is itself the condition ("if Israel strikes", "Were Israel to strike")."""
    for step in chain:
        if step.tok.dep == "advcl" and _is_condition(parse, step.tok, lexicon):
            return True
        if step.tok.dep in {"advcl", "relcl", "ROOT"}:
            return False
    return False


def _progressive(parse: Parse, chain: list[Step]) -> bool:
    """ "are striking", "is shelling", "have been blocking": present progressive aspect."""
    for step in chain[:3]:
        tok = step.tok
        if tok.tag != "VBG" or not step.own:
            continue
        auxes = [c for c in parse.children(tok.i, "aux") if c.lemma == "be"]
        present = any(a.tag in {"VBZ", "VBP"} or a.lower == "been" for a in auxes)
        past = any(a.lower in {"was", "were", "had"} for a in parse.children(tok.i, "aux"))
        if present and not past:
            return True
    return False


def _mark_at(parse: Parse, k: int, lexicon: EventLexicon) -> int:
    """How many tokens a condition mark starting at token ``k`` spans (0: none there)."""
    tok = parse.toks[k]
    words = [t.lower for t in parse.toks[k : k + 4]]
    for mark in lexicon.condition_marks:
        phrase = [mark.head, *mark.rest]
        if words[: len(phrase)] == phrase:
            if mark.head in {"provided", "providing", "assuming"} and (
                tok.dep in {"ROOT", "conj", "relcl", "xcomp", "ccomp"}
                or any(parse.children(k, "nsubj"))
            ):
                return 0  # "Japan provided aid": a verb, not a condition
            if mark.head == "once" and tok.tag != "IN":
                return 0  # "protesters once stormed": an adverb of time
            if mark.head in _CLAUSE_ONLY and tok.dep != "mark":
                return 0  # "until Thursday"
            return len(phrase)
    return 0


def surface_condition(parse: Parse, trigger: Tok, lexicon: EventLexicon) -> tuple[str | None, bool]:
    """A condition found in the words of the sentence when the parse misplaced it: a mark
    ("provided that", "as long as", "unless", "were … to") and its clause, up to a comma or the
    end of the sentence. Returns the condition (for an event outside it) and whether the event
    lies inside the condition itself."""
    first, last = parse.sents[trigger.sent]
    while last > first and parse.toks[last - 1].is_punct:
        last -= 1
    for k in range(first, last):
        size = _mark_at(parse, k, lexicon)
        inverted = k == first and parse.toks[k].lower in {"were", "should", "had"}
        if not size and not inverted:
            continue
        start = k - 1 if k > first and parse.toks[k - 1].lower == "only" else k
        end = next((j for j in range(k + 1, last) if parse.toks[j].text == ","), last)
        if start <= trigger.i < end:
            return None, True
        if k > first and trigger.i > k:
            continue  # the condition is on an earlier clause than the event's
        text = parse.text[parse.toks[start].start : parse.toks[end - 1].end]
        return text, False
    return None, False
