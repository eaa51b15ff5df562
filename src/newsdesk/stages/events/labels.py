"""Readable event labels: who, the event's words with their object, and the status as a verb."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsdesk.model import Actor, EventRole, EventStatus
from newsdesk.stages.quotes.parse import Parse

_MODIFIERS = frozenset({"compound", "amod", "nummod", "nmod", "quantmod"})
_PREPS = frozenset({"in", "on", "with", "against", "between", "of", "over", "to", "for"})
_MAX_WORDS = 4  # words of a noun phrase (modifiers included) before the head
_VOWEL = re.compile(r"^[aeio]|^u(?!ni|se|sa|ro)", re.IGNORECASE)
# The verb a noun event is done with ("hold talks", "impose sanctions"), by noun, then by type.
_NOUN_VERBS = {
    "delegation": "send", "visit": "make", "trip": "make", "call": "hold", "agreement": "sign",
    "deal": "sign", "accord": "sign", "treaty": "sign", "pact": "sign", "exchange": "carry out",
    "swap": "carry out", "release": "carry out", "ceasefire": "agree to", "truce": "agree to",
    "pause": "agree to", "support": "back", "aid": "provide", "assistance": "provide",
    "war": "", "conflict": "", "invasion": "", "fighting": "", "occupation": "",
}  # fmt: skip
_TYPE_VERBS = {
    "CONSULT": "hold", "SANCTION": "impose", "ASSAULT": "launch", "PROTEST": "stage",
    "AID": "provide", "AGREE": "make", "REQUEST": "make", "THREATEN": "issue", "ACCUSE": "make",
    "MOBILIZE": "order", "YIELD": "agree to", "COERCE": "carry out",
}  # fmt: skip
# Nouns that name doing a verb ("participation" is participating): labelled with the verb.
_NOMINAL = {"participation": "take part", "attendance": "attend", "visit": "visit",
            "trip": "travel", "mediation": "mediate"}  # fmt: skip
_VERB_NOUNS = {"meet": "meeting", "talk": "talks", "negotiate": "negotiations", "attend":
               "attendance", "participate": "participation", "visit": "visit", "discuss":
               "discussions", "mediate": "mediation"}  # fmt: skip
_IRREGULAR = {  # lemma: (past, participle)
    "hold": ("held", "held"), "meet": ("met", "met"), "send": ("sent", "sent"),
    "make": ("made", "made"), "take": ("took", "taken"), "give": ("gave", "given"),
    "go": ("went", "gone"), "lead": ("led", "led"), "seek": ("sought", "sought"),
    "speak": ("spoke", "spoken"), "begin": ("began", "begun"), "break": ("broke", "broken"),
    "fight": ("fought", "fought"), "strike": ("struck", "struck"), "shoot": ("shot", "shot"),
    "bring": ("brought", "brought"), "buy": ("bought", "bought"), "tell": ("told", "told"),
    "say": ("said", "said"), "pay": ("paid", "paid"), "draw": ("drew", "drawn"),
    "withdraw": ("withdrew", "withdrawn"), "freeze": ("froze", "frozen"), "have": ("had", "had"),
    "do": ("did", "done"), "run": ("ran", "run"), "come": ("came", "come"),
    "win": ("won", "won"), "put": ("put", "put"), "set": ("set", "set"), "cut": ("cut", "cut"),
    "hit": ("hit", "hit"), "let": ("let", "let"), "lay": ("laid", "laid"),
    "carry": ("carried", "carried"), "issue": ("issued", "issued"),
}  # fmt: skip
_GOVERNMENT = re.compile(r"^(?:the )?government of (?:the )?", re.IGNORECASE)


def short_name(actor: Actor) -> str:
    """How a label names an actor: a person by surname, a government by its country."""
    if actor.kind == "person":
        words = actor.name.split()
        return words[-1] if len(words) > 1 and not words[-1].endswith(".") else actor.name
    return _GOVERNMENT.sub("", actor.name) or actor.name


def _join(names: Sequence[str]) -> str:
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        return ""
    if len(names) > 3:
        return f"{', '.join(names[:2])} and others"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _words(phrase: str) -> tuple[str, str]:
    verb, _, rest = phrase.partition(" ")
    return verb, (" " + rest if rest else "")


def third(phrase: str) -> str:
    """ "hold talks" said of one doer: "holds talks"."""
    verb, rest = _words(phrase)
    if verb == "have":
        return "has" + rest
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies" + rest
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        return verb + "es" + rest
    return verb + "s" + rest


def _regular(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", verb):  # "plan", "ban", "stop"
        return verb + verb[-1] + "ed"
    return verb + "ed"


def past(phrase: str, *, participle: bool = False) -> str:
    """ "hold talks" in the past ("held talks") or as a participle."""
    verb, rest = _words(phrase)
    forms = _IRREGULAR.get(verb)
    return (forms[participle] if forms else _regular(verb)) + rest


def gerund(phrase: str) -> str:
    """ "hold talks" as "holding talks"."""
    verb, rest = _words(phrase)
    if verb.endswith("ie"):
        return verb[:-2] + "ying" + rest
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing" + rest
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", verb):
        return verb + verb[-1] + "ing" + rest
    return verb + "ing" + rest


def _text(parse: Parse, tokens: Sequence[int]) -> str:
    tokens = [i for i in tokens if parse.toks[i].pos != "SPACE"]
    out = ""
    for n, i in enumerate(tokens):
        tok = parse.toks[i]
        out += tok.text
        if n + 1 < len(tokens) and parse.toks[tokens[n + 1]].start > tok.end:
            out += " "
    return out


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase as a label uses it: ``bare`` without its article, ``det`` its article."""

    bare: str
    det: str = ""

    @property
    def object(self) -> str:
        """The phrase after a verb: "a 30-day ceasefire", "the Istanbul talks", "sanctions"."""
        if self.det == "a":
            return f"{'an' if _VOWEL.match(self.bare) else 'a'} {self.bare}"
        return f"{self.det} {self.bare}" if self.det else self.bare


def noun_phrase(parse: Parse, i: int, *, prep: bool = True) -> Phrase:
    """The head noun ``i`` with its nearest modifiers ("prisoner exchange", "30-day
    ceasefire") and one short prepositional phrase ("sanctions on Russia")."""
    head = parse.toks[i]
    if head.pos == "PROPN" and head.ent == "PERSON":
        return Phrase(bare=head.text)  # "Turkish President Recep Tayyip Erdogan": "Erdogan"
    keep = [i]
    for child in sorted(parse.children(i), key=lambda t: -t.i):
        if child.i > i or child.dep not in _MODIFIERS or child.tag in {"VBN", "VBG"}:
            continue
        sub = parse.subtree(child.i)
        if any(parse.toks[k].dep in {"det", "poss", "case", "cc", "conj"} for k in sub):
            break
        if "\n" in parse.text[parse.toks[sub[0]].start : head.start]:
            break  # a headline run into the sentence below it
        if sub[-1] != min(keep) - 1 or len(keep) + len(sub) > _MAX_WORDS + 1:
            break
        keep = [*sub, *keep]
    tokens = sorted(keep)
    first = parse.toks[tokens[0]]
    text = _text(parse, tokens)
    opening = parse.sents[first.sent][0] == first.i
    if opening and first.pos != "PROPN" and not first.text.isupper():
        text = text[0].lower() + text[1:]
    if prep:
        for child in parse.children(i, "prep"):
            sub = parse.subtree(child.i)
            verbs = any(parse.toks[k].pos in {"VERB", "AUX"} for k in sub)
            times = any(parse.toks[k].ent in {"DATE", "TIME"} for k in sub)
            if child.i > i and child.lower in _PREPS and len(sub) <= 4 and not verbs | times:
                text += " " + _text(parse, [k for k in sub if parse.toks[k].dep != "det"])
                break
    dets = [c.lower for c in parse.children(i, "det") if c.lower in {"a", "an", "the"}]
    det = "the" if any(parse.children(i, "poss")) else ("a" if dets[:1] == ["an"] else "")
    return Phrase(bare=text, det=det or (dets[0] if dets else ""))


def verb_phrase(parse: Parse, i: int) -> str:
    """A verb's lemma with its object or prepositional object ("meet with Zelenskiy")."""
    tok = parse.toks[i]
    words = [tok.lemma.lower()]
    words += [c.lower for c in parse.children(i, "prt")]
    for child in parse.children(i, "dobj"):
        if child.pos == "PRON":
            break  # "what it calls …", "demanded it"
        return " ".join(words) + " " + noun_phrase(parse, child.i).object
    for child in parse.children(i, "prep"):
        for pobj in parse.children(child.i, "pobj"):
            if child.lower in _PREPS and not any(
                parse.toks[k].ent in {"DATE", "TIME"} for k in parse.subtree(pobj.i)
            ):
                return " ".join(words) + f" {child.lower} " + noun_phrase(parse, pobj.i).object
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Parts:
    """What an event label says: who, the event as a verb phrase, as a noun phrase, or both."""

    who: str
    plural: bool
    verb: str | None  # base form: "attend the Istanbul talks"
    noun: Phrase | None


def parts(
    parse: Parse, trigger: int, anchor: int, event_type: str,
    actors: Sequence[str], names: Mapping[str, str],
) -> Parts:  # fmt: skip
    """The pieces of the label of the event named by token ``trigger``."""
    tok = parse.toks[trigger]
    who = _join([names.get(k, k) for k in actors])
    plural = len(actors) > 1
    if tok.pos in {"NOUN", "PROPN"} and tok.tag != "VBG":
        noun = noun_phrase(parse, trigger)
        lemma = tok.lemma.lower()
        if anchor != trigger and parse.toks[anchor].pos in {"VERB", "AUX"}:
            verb: str | None = _light(parse, trigger, anchor, noun)
        elif lemma in _NOMINAL and lemma not in _NOUN_VERBS:
            verb = _NOMINAL[lemma]
        else:
            default = _NOUN_VERBS.get(lemma, _TYPE_VERBS.get(event_type))
            verb = f"{default} {noun.object}" if default else None
        return Parts(who, plural, verb, noun)
    verb = verb_phrase(parse, trigger)
    lemma = tok.lemma.lower()
    return Parts(who, plural, verb, Phrase(_VERB_NOUNS.get(lemma, gerund(lemma))))


def _light(parse: Parse, trigger: int, anchor: int, noun: Phrase) -> str:
    """The light verb with the event noun: "hold talks", "take part in the negotiations"."""
    verb = parse.toks[anchor]
    words = [verb.lemma.lower(), *(c.lower for c in parse.children(anchor, "prt"))]
    tok = parse.toks[trigger]
    if tok.dep == "pobj":
        prep = parse.toks[tok.head]
        if prep.head != anchor:
            words.append(parse.toks[prep.head].lower)  # "take part in"
        else:
            words += [c.lower for c in parse.children(anchor, "dobj") if c.i < prep.i]
        words.append(prep.lower)
    return " ".join([*words, noun.object])


def _led_by(roles: Sequence[EventRole], names: Mapping[str, str]) -> str:
    leaders = [names.get(r.actor, r.actor) for r in roles if r.role.startswith("head of")]
    return f" led by {_join(leaders[:2])}" if leaders else ""


def compose(
    p: Parts, status: str, *, condition: str | None = None, recipients: Sequence[str] = (),
    roles: Sequence[EventRole] = (), names: Mapping[str, str] | None = None, plain: bool = False,
) -> str:  # fmt: skip
    """The label: "Putin declines to attend the Istanbul talks", "Prisoner exchange proposed".
    ``plain``: the status is the event's own (a threat threatens), so it is said as done."""
    names = names or {}
    whom = _join([names.get(k, k) for k in recipients])
    led, noun = _led_by(roles, names), p.noun
    if led and noun is not None and "delegation" in noun.bare:
        if p.who and led == f" led by {p.who}":
            p = Parts(p.who, p.plural, f"lead {noun.object}", noun)  # "Medinsky leads …"
        else:
            p = Parts(p.who, p.plural, p.verb and p.verb + led, Phrase(noun.bare + led, noun.det))
    if condition and condition[:1].isupper() and condition[1:2].islower():
        condition = condition[0].lower() + condition[1:]
    said = EventStatus.OCCURRED if plain else EventStatus(status)
    if p.who:
        text = _active(p, said, condition, whom)
        if whom and _is_noun(p) and " with " not in text and "urge" not in text:
            text += f" with {whom}" if p.verb and " talks" in p.verb else ""
    else:
        text = _passive(p, said, condition)
    return text[:1].upper() + text[1:]


def _active(p: Parts, status: EventStatus, condition: str | None, whom: str) -> str:
    s = p.who
    do, noun = p.verb, p.noun.object if p.noun else None
    one = not p.plural
    nominal = noun is not None and (do is None or _is_noun(p))

    def says(verb: str) -> str:
        return third(verb) if one else verb

    if status is EventStatus.DECLINED:
        return f"{s} {says('decline')} to {do}" if do else f"{s} {says('reject')} {noun}"
    if status is EventStatus.PROPOSED:
        return f"{s} {says('propose')} {noun}" if nominal else f"{s} {says('offer')} to {do}"
    if status is EventStatus.DEMANDED:
        if whom and do:
            return f"{s} {says('urge')} {whom} to {do}"
        return f"{s} {says('call')} for {noun}" if nominal else f"{s} {says('demand')} to {do}"
    if status is EventStatus.THREATENED:
        return f"{s} {says('threaten')} {noun}" if nominal else f"{s} {says('threaten')} to {do}"
    if status is EventStatus.CONDITIONAL:
        core = f"{s} would {do}" if do else f"{s}: {noun}"
        return _with_condition(core, condition)
    if status is EventStatus.PLANNED:
        return f"{s} {says('plan')} to {do}" if do else f"{s} {says('plan')} {noun}"
    if status is EventStatus.HYPOTHETICAL:
        return f"{s} could {do}" if do else f"Possible {noun} by {s}"
    if status is EventStatus.ONGOING:
        return f"{s} {says('continue')} to {do}" if do else f"{s}: {noun} under way"
    if status is EventStatus.DENIED:
        return f"{s} {says('deny')} {gerund(do)}" if do else f"{s} {says('deny')} {noun}"
    if status is EventStatus.HISTORICAL:
        return f"{s} {past(do)}" if do else f"{s}: {noun} (earlier)"
    return f"{s} {says(do)}" if do else f"{s}: {noun}"


def _with_condition(core: str, condition: str | None) -> str:
    """ "Zelenskiy would attend" with its condition, unless its words already carry it."""
    if not condition:
        return f"{core} on conditions"
    return core if condition in core else f"{core} {condition}"


def _is_noun(p: Parts) -> bool:
    """Whether the event is named by a noun (its verb phrase only carries it)."""
    return p.noun is not None and p.verb is not None and p.verb.endswith(p.noun.object)


# How an event without a known doer is labelled, by status: a noun event ("Prisoner exchange
# proposed") and a verb event ("Offer to meet Zelenskiy").
_NOUN_AFTER = {
    EventStatus.DECLINED: "{} ruled out", EventStatus.PROPOSED: "{} proposed",
    EventStatus.DEMANDED: "{} demanded", EventStatus.THREATENED: "{} threatened",
    EventStatus.PLANNED: "{} planned", EventStatus.ONGOING: "{} under way",
    EventStatus.DENIED: "{} denied", EventStatus.HYPOTHETICAL: "possible {}",
}  # fmt: skip
_DONE = frozenset({EventStatus.OCCURRED, EventStatus.HISTORICAL})
_VERB_AS = {
    EventStatus.DECLINED: "refusal to {}", EventStatus.PROPOSED: "offer to {}",
    EventStatus.DEMANDED: "call to {}", EventStatus.THREATENED: "threat to {}",
    EventStatus.PLANNED: "plan to {}", EventStatus.DENIED: "denial of plans to {}",
    EventStatus.HYPOTHETICAL: "possible move to {}",
}  # fmt: skip


def _passive(p: Parts, status: EventStatus, condition: str | None) -> str:
    if not _is_noun(p) and p.verb:
        if status in _VERB_AS:
            return _VERB_AS[status].format(p.verb)
        verb, _, what = p.verb.partition(" ")
        if what and what.split()[0] not in _PREPS and status in _DONE:
            return f"{what.removeprefix('the ').removeprefix('a ')} {past(verb, participle=True)}"
        if status is EventStatus.CONDITIONAL:
            return _with_condition(gerund(p.verb), condition)
        return f"{gerund(p.verb)} under way" if status is EventStatus.ONGOING else gerund(p.verb)
    noun = p.noun.bare if p.noun else "event"
    if status is EventStatus.CONDITIONAL:
        return _with_condition(noun, condition)
    if status in _NOUN_AFTER:
        return _NOUN_AFTER[status].format(noun)
    if p.verb and p.noun and _is_noun(p):
        verb = p.verb[: -len(p.noun.object)].strip().removesuffix(" to")
        return f"{noun} {past(verb, participle=True)}" if verb else noun
    return noun
