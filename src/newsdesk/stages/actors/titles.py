"""Titles written with a person's name ("Deputy Defence Minister Alexander Fomin"), and sectors.

Titles come from the text, as of the article, not from a knowledge base: the words before a
name that belong to a title lexicon (``titles.toml``), or an appositive after it ("Medinsky,
an aide to Putin"). A leading country adjective becomes the affiliation; the rest is the title.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

_STOP_BEFORE = frozenset({"of", "for", "the", "a", "an"})
_MAX_TITLE_TOKENS = 7


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The title vocabulary: head nouns with sectors, modifiers, demonyms."""

    heads: dict[str, str]
    modifiers: frozenset[str]
    sector_words: dict[str, str]
    demonyms: dict[str, str]

    def is_title_word(self, word: str) -> bool:
        """A word that may stand inside a title."""
        w = word.lower()
        return w in self.heads or w in self.modifiers or w in self.demonyms

    def sector(self, words: list[str]) -> str | None:
        """The sector a title places its holder in."""
        lowered = [w.lower() for w in words]
        for word in lowered:
            if word in self.sector_words:
                return self.sector_words[word]
        for word in reversed(lowered):
            if word in self.heads:
                return self.heads[word]
        return None


@functools.cache
def lexicon() -> Lexicon:
    """The bundled title lexicon, read once."""
    data: dict[str, Any] = tomllib.loads(
        files("newsdesk.stages.actors").joinpath("titles.toml").read_text(encoding="utf-8")
    )
    sector_words = {w: sector for sector, words in data["sector_words"].items() for w in words}
    return Lexicon(
        heads={k.lower(): v for k, v in data["heads"].items()},
        modifiers=frozenset(w.lower() for w in data["modifiers"]["words"]),
        sector_words=sector_words,
        demonyms={k.lower(): v for k, v in data["demonyms"].items()},
    )


@dataclass(frozen=True, slots=True)
class Title:
    """A title found with a name: its text and span, sector and country."""

    text: str
    start: int
    end: int
    head: str | None
    sector: str | None
    affiliation: str | None
    plural: bool = False


def _singular(word: str, lemma: str) -> str:
    return lemma if lemma and word.lower() != lemma.lower() and word[:1].islower() else word


def title_before(doc: Any, start_token: int) -> Title | None:
    """The title written right before the token at ``start_token`` (a name's first token)."""
    lex = lexicon()
    sentence_start = doc[start_token].sent.start
    i = start_token - 1
    tokens: list[Any] = []
    while i >= sentence_start and len(tokens) < _MAX_TITLE_TOKENS:
        token = doc[i]
        if not lex.is_title_word(token.text) or token.ent_type_ == "PERSON":
            break
        tokens.insert(0, token)
        i -= 1
    while tokens and tokens[0].text.lower() in _STOP_BEFORE:
        tokens.pop(0)
    if not tokens:
        return None
    affiliation = None
    if tokens[0].text.lower() in lex.demonyms:
        affiliation = lex.demonyms[tokens[0].text.lower()]
        tokens = tokens[1:]
    words = [t.lemma_ or t.text for t in tokens]
    heads = [t for t in tokens if t.text.lower() in lex.heads or t.lemma_.lower() in lex.heads]
    if not heads:
        if affiliation is None:
            return None
        return Title(text="", start=0, end=0, head=None, sector=None, affiliation=affiliation)
    for t in tokens:
        if t.text.lower() in lex.demonyms and affiliation is None:
            affiliation = lex.demonyms[t.text.lower()]
    head = heads[-1]
    plural = head.tag_ in ("NNS", "NNPS")
    text = " ".join(_singular(t.text, t.lemma_) if t is head else t.text for t in tokens)
    return Title(
        text=text,
        start=tokens[0].idx,
        end=tokens[-1].idx + len(tokens[-1].text),
        head=head.lemma_.lower() or head.text.lower(),
        sector=lex.sector(words),
        affiliation=affiliation,
        plural=plural,
    )


def title_in_apposition(span: Any) -> Title | None:
    """A title in an appositive after a name: "Vladimir Medinsky, an aide to Putin, ..."."""
    lex = lexicon()
    for token in span.root.children:
        if token.dep_ != "appos" or token.ent_type_ == "PERSON":
            continue
        lemma = token.lemma_.lower()
        if lemma not in lex.heads:
            continue
        after = token.i + 1
        if after < len(span.doc) and span.doc[after].ent_type_ == "PERSON":
            continue  # "Rubio, special envoy Steve Witkoff": the title of the next name
        left = [t for t in token.lefts if t.dep_ not in ("det", "punct")]
        first = min([token, *left], key=lambda t: t.i)
        last = token
        for child in token.rights:
            if child.dep_ == "prep" and child.text.lower() in ("to", "of", "for"):
                last = max(child.subtree, key=lambda t: t.i)
                break
        if last.i - first.i >= _MAX_TITLE_TOKENS:
            last = token
        words = [t.text for t in span.doc[first.i : last.i + 1]]
        affiliation = next(
            (lex.demonyms[w.lower()] for w in words if w.lower() in lex.demonyms), None
        )
        return Title(
            text=span.doc[first.i : last.i + 1].text,
            start=first.idx,
            end=last.idx + len(last.text),
            head=lemma,
            sector=lex.sector(words),
            affiliation=affiliation,
        )
    return None
