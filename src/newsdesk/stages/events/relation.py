"""The PLOVER code of the relation between two marked phrases of a sentence, by the event rules.

This is how PLOVER-coded data is compared with the extractor: a dataset row marks a source and
a target ("<s>Hezbollah</s> threatened to shell <t>Haifa</t>") and asks for the one code of
their relation. The event word is the deepest one on the dependency path between the two (or
governing the target), and its status turns into the code coders give the whole sentence:
"threatened to shell" is THREATEN, "refused to meet" REJECT, "will release" AGREE.
"""

from __future__ import annotations

from newsdesk.model import Event, EventStatus
from newsdesk.stages.events.extractor import frame_words
from newsdesk.stages.events.lexicon import EventKind, EventLexicon, load_lexicon
from newsdesk.stages.events.status import Reading, frame_chain, read_status
from newsdesk.stages.events.triggers import Trigger, argument_nouns, find_triggers
from newsdesk.stages.quotes.parse import Parse


def _path_up(parse: Parse, i: int) -> list[int]:
    path = [i]
    while parse.toks[path[-1]].head != path[-1] and len(path) < 40:
        path.append(parse.toks[path[-1]].head)
    return path


def _head_of(parse: Parse, span: tuple[int, int]) -> int | None:
    """The token of ``span`` whose head lies outside it (the phrase's head)."""
    inside = list(parse.tokens_in(*span))
    if not inside:
        return None
    for i in inside:
        if parse.toks[i].head not in inside or parse.toks[i].head == i:
            return i
    return inside[0]


def plover_code(event: Event, lexicon: EventLexicon | None = None) -> str:
    """The PLOVER code of the relation an event record states, from its action type and status
    (``[relation]`` in ``data/status.toml``): "called for a ceasefire" (YIELD, demanded) is
    REQUEST, "floated sanctions" (COERCE, threatened) THREATEN, "would not attend" (CONSULT,
    declined) REJECT; proposed, planned and other statuses keep the action's type."""
    table = (lexicon or load_lexicon()).relation
    if event.status == EventStatus.DECLINED.value and event.type in table.get("declined_keeps", []):
        return event.type
    return str(table.get(event.status) or event.type)


def code_of(kind: EventKind, reading: Reading, lexicon: EventLexicon) -> str:
    """The PLOVER code of a sentence whose event is ``kind`` read with ``reading``."""
    status = reading.status.value
    coding = lexicon.coding
    if status == EventStatus.PROPOSED.value and reading.cue:
        cue = reading.cue.lower()
        if any(cue.startswith(word) for word in coding.get("request_cues", [])):
            return "REQUEST"
    hostile = kind.type in lexicon.hostile_types
    if kind.type in {"REJECT", "REQUEST", "THREATEN", "ACCUSE"} and status not in {
        EventStatus.DECLINED.value,
        EventStatus.DENIED.value,
    }:
        return kind.type  # speech acts are their own code unless refused
    code = coding.get(f"hostile_{status}") if hostile else None
    return str(code or coding.get(status) or kind.type)


def classify_pair(
    parse: Parse,
    source: tuple[int, int],
    target: tuple[int, int] | None,
    lexicon: EventLexicon,
) -> str | None:
    """The PLOVER code of what the source does to the target (without a target: what the
    source does), None when no event word is found."""
    s_head = _head_of(parse, source)
    if s_head is None:
        return None
    t_head = _head_of(parse, target) if target else parse.toks[s_head].head
    if t_head is None:
        return None
    first, last = parse.sents[parse.toks[t_head].sent]
    triggers = find_triggers(parse, range(first, last), lexicon)
    if not triggers:
        return None
    chains = {t.index: frame_chain(parse, t.index, lexicon.reporting) for t in triggers}
    framing: set[int] = set()
    for trig in triggers:
        framing.update(frame_words(parse, chains[trig.index], lexicon))
    dropped = argument_nouns(parse, triggers, framing)
    live = [
        t
        for t in triggers
        if t.index not in dropped and not (t.index in framing and t.anchor == t.index)
    ] or triggers
    chosen = _choose(parse, live, s_head, t_head)
    reading = read_status(parse, chains[chosen.index], chosen.kind.type, lexicon)
    return code_of(chosen.kind, reading, lexicon)


def _choose(parse: Parse, triggers: list[Trigger], source: int, target: int) -> Trigger:
    """The event word on the path from source to target nearest the target, else one that
    governs the target, else the one nearest to the target in the text."""
    up_s, up_t = _path_up(parse, source), _path_up(parse, target)
    common = next((i for i in up_t if i in set(up_s)), None)
    path = set(up_s[: up_s.index(common) + 1] if common in up_s else up_s)
    path |= set(up_t[: up_t.index(common) + 1] if common in up_t else up_t)
    rank_t = {i: n for n, i in enumerate(up_t)}

    def score(trig: Trigger) -> tuple[int, int, int]:
        where = trig.anchor if trig.anchor in path else trig.index
        on_path = where in path or trig.index in path
        governs = where in rank_t or trig.index in rank_t
        depth = rank_t.get(trig.index, rank_t.get(where, 99))
        return (0 if on_path else 1 if governs else 2, depth, abs(trig.index - target))

    return min(triggers, key=score)
