"""Which actor a speaker is: the mention under the phrase, a relative pronoun's antecedent, or for
a bare "he"/"she" the most salient person mentioned just before (same or previous paragraph)."""

from __future__ import annotations

from collections.abc import Iterable

from newsdesk.model import Actor, Mention
from newsdesk.stages.quotes.parse import Parse, Tok
from newsdesk.stages.quotes.speakers import Phrase, noun_phrase

PERSONAL = frozenset({"he", "she", "him", "her"})  # singular persons only
RELATIVE = frozenset({"who", "whom", "which", "that"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


class Resolver:
    """Maps speaker phrases to actor keys, remembering who spoke last for pronouns.

    A pronoun goes first to the person who spoke last within the window, then to the nearest
    person who is the subject of a main clause, then to the nearest person mentioned at all:
    in "Zelenskiy stated he would only go if Putin were present. “…,” he said", "he" is
    Zelenskiy, not the nearer Putin.
    """

    def __init__(self, parse: Parse, actors: Iterable[Actor], mentions: Iterable[Mention]) -> None:
        self.parse = parse
        self.kinds = {a.key: a.kind for a in actors}
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.spoke: list[tuple[int, str]] = []  # (character position, actor) in text order
        self._known: dict[Phrase, str | None] = {}

    def actor(self, phrase: Phrase | None) -> str | None:
        """The key of the actor ``phrase`` refers to, or None (the first answer is kept)."""
        if phrase is None:
            return None
        if phrase not in self._known:
            self._known[phrase] = self._resolve(phrase)
        return self._known[phrase]

    def _resolve(self, phrase: Phrase) -> str | None:
        head = self.parse.toks[phrase.head]
        found = self._under(*phrase.chars(self.parse), head)
        if found is not None:
            return found
        single = phrase.stop - phrase.first == 1
        if single and head.lower in RELATIVE and head.head != head.i:
            verb = self.parse.toks[head.head]
            if verb.dep == "relcl" and verb.head != verb.i:
                antecedent = self.parse.toks[verb.head]
                return self._under(
                    *noun_phrase(self.parse, antecedent).chars(self.parse), antecedent
                )
        if single and head.lower in PERSONAL:
            return self._salient_person(head)
        return None

    def spoke_at(self, position: int, actor: str | None) -> None:
        """Record that ``actor`` speaks at ``position``: pronouns after it may refer to them."""
        if actor is not None:
            self.spoke.append((position, actor))

    def _under(self, start: int, end: int, head: Tok) -> str | None:
        """The actor of the mention under ``[start, end)``, the one holding ``head`` first."""
        best: Mention | None = None
        for m in self.mentions:
            if m.start >= end:
                break
            if m.end <= start:
                continue
            if m.start <= head.start and head.end <= m.end:
                return m.actor
            if best is None or m.end > best.end:
                best = m
        return best.actor if best is not None else None

    def _salient_person(self, pronoun: Tok) -> str | None:
        paragraph = self.parse.paragraph_of(pronoun.start)
        window = self.parse.paragraphs[max(0, paragraph - 1)][0] if self.parse.paragraphs else 0
        for position, actor in reversed(self.spoke):
            if window <= position < pronoun.start and self.kinds.get(actor) == "person":
                return actor
        people = [
            m
            for m in self.mentions
            if window <= m.start and m.end <= pronoun.start and self.kinds.get(m.actor) == "person"
        ]
        for m in reversed(people):
            if self._main_subject(m):
                return m.actor
        return people[-1].actor if people else None

    def _main_subject(self, mention: Mention) -> bool:
        """Whether ``mention`` is the subject of a main clause (not of an "if …" clause)."""
        toks = self.parse.toks
        for k in self.parse.tokens_in(mention.start, mention.end):
            tok = toks[k]
            if tok.dep not in _SUBJECTS:
                continue
            verb = toks[tok.head]
            if verb.dep == "ROOT" or (verb.dep == "conj" and toks[verb.head].dep == "ROOT"):
                return True
        return False
