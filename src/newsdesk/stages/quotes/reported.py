"""Reported speech from the parse: "Peskov said (that) …", "…, officials said", "according to X, …".

A cue verb with a subject and a clausal complement reports what its subject said: the
complement is the content ("Zelenskiy stated [he would only participate …]"; "Kremlin sources
said [the agenda might …]"). A cue verb set off inside a clause ("The talks, Peskov said, will
begin Monday") reports the clause around it, which may come in two pieces. A source phrase
("according to Sybiha") reports the rest of its sentence. Cue verbs inside quotation marks are
the quoted person's words, not the article's attribution, and are skipped.
"""

from __future__ import annotations

from newsdesk.stages.quotes.candidate import REPORTED, Candidate, content_spans
from newsdesk.stages.quotes.lexicon import Cue, CueLexicon
from newsdesk.stages.quotes.parse import Parse, Tok
from newsdesk.stages.quotes.speakers import Phrase, addressee, noun_phrase, phrase_root, subject

_SET_OFF = frozenset({",", ";", ":", "(", ")", "—", "–", ".", "!", "?"})
_CONTENT_WORDS = frozenset({"NOUN", "PROPN", "PRON", "VERB", "AUX", "NUM", "ADJ"})
_ADVERBIAL_MARKS = frozenset(
    {"as", "while", "because", "when", "after", "before", "since", "although", "though", "until"}
    | {"unless", "once", "so"}
)
_WITHHOLDING = frozenset({"decline", "refuse", "fail", "avoid", "neglect"})
_PHRASE_WORDS = 15  # a source phrase longer than this is not a name


def find_reported(parse: Parse, inside: frozenset[int], lexicon: CueLexicon) -> list[Candidate]:
    """Every reported-speech candidate outside quotation marks (``inside``)."""
    found: list[Candidate] = []
    for tok in parse.toks:
        if tok.i in inside:
            continue
        cue = lexicon.verb_cue(parse, tok)
        if cue is not None:
            found.extend(_from_verb(parse, tok, cue, inside))
            continue
        cue = lexicon.phrase_at(parse, tok.i)
        if cue is not None:
            found.extend(_from_phrase(parse, cue))
    return found


def _from_verb(parse: Parse, verb: Tok, cue: Cue, inside: frozenset[int]) -> list[Candidate]:
    if unsaid(parse, verb):
        return []
    who = subject(parse, verb)
    if who is None or who.i in inside or who.dep == "expl":
        return []
    speaker = noun_phrase(parse, who)
    to = addressee(parse, verb, object_is_addressee="addressee" in cue.flags)
    listener = noun_phrase(parse, to) if to is not None else None
    complements = [c for c in parse.children(verb.i, "ccomp") if not _adverbial(parse, c)]
    if "infinitive" in cue.flags:
        complements += [
            c
            for c in parse.children(verb.i, "xcomp")
            if any(a.lower == "to" for a in parse.children(c.i, "aux"))
        ]
    content: list[int] = []
    confidence = 0.8
    for complement in complements:
        content.extend(parse.subtree(complement.i))
    particle = parse.toks[cue.particle] if cue.particle is not None else None
    if not content and particle is not None and particle.dep in {"prep", "mark"}:
        # "insisted on [initiating talks]", "called for [the US to step up …]"
        governed = particle.i if particle.dep == "prep" else particle.head
        content = [k for k in parse.subtree(governed) if k != particle.i]
    if not content and "object" in cue.flags:
        for obj in parse.children(verb.i, "dobj"):
            if obj.pos != "PRON":
                content = parse.subtree(obj.i)  # "announced [his resignation]"
                confidence = 0.7
    if not content and verb.dep == "parataxis":
        around = parse.toks[verb.head]
        if around.i in inside:
            return []
        skip = set(parse.subtree(verb.i))
        content = [k for k in parse.subtree(around.i) if k not in skip]
        confidence = 0.7
    paragraph = parse.paragraph_of(verb.start)
    content = [k for k in content if parse.paragraph_of(parse.toks[k].start) == paragraph]
    spans = content_spans(parse, content)
    return [
        Candidate(REPORTED, start, end, cue, speaker, listener, confidence) for start, end in spans
    ]


def _adverbial(parse: Parse, clause: Tok) -> bool:
    """A clause the parser took for a complement but that says when or why ("…, he said, as
    fighters trained"), not what."""
    return any(m.lower in _ADVERBIAL_MARKS for m in parse.children(clause.i, "mark"))


def unsaid(parse: Parse, verb: Tok) -> bool:
    """Whether the cue says that something was not said: "did not say", "declined to say"."""
    if any(True for _ in parse.children(verb.i, "neg")):
        return True
    head = parse.toks[verb.head]
    return verb.dep == "xcomp" and head.lemma in _WITHHOLDING


def _from_phrase(parse: Parse, cue: Cue) -> list[Candidate]:
    """ "According to X, CONTENT." / "CONTENT, according to X." / "A, according to X, B." """
    toks = parse.toks
    sentence = parse.sentence(cue.token)
    after = cue.token + len(cue.lemma.split())
    stop = after
    while stop < sentence.stop and toks[stop].text not in _SET_OFF and stop - after < _PHRASE_WORDS:
        stop += 1
    if stop == after or stop - after >= _PHRASE_WORDS:
        return []
    root = phrase_root(parse, range(after, stop))
    if root is None:
        return []
    speaker = Phrase(after, stop, root.i)
    before = list(range(sentence.start, cue.token))
    rest = list(range(stop, sentence.stop))
    pieces = [p for p in (before, rest) if any(toks[k].pos in _CONTENT_WORDS for k in p)]
    sure = 0.85 if _names_someone(parse, speaker) else 0.6
    found: list[Candidate] = []
    for piece in pieces:
        for span in content_spans(parse, piece):
            found.append(Candidate(REPORTED, span[0], span[1], cue, speaker, None, sure))
    return found


def _names_someone(parse: Parse, phrase: Phrase) -> bool:
    """Whether a source phrase names a person or body (a name, or a pronoun)."""
    toks = parse.toks[phrase.first : phrase.stop]
    return any(
        t.ent in {"PERSON", "ORG", "NORP", "GPE"} or t.pos in {"PROPN", "PRON"} for t in toks
    )
