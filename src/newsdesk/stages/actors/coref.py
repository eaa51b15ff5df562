"""Pronouns and descriptions ("he", "the Ukrainian president") resolved to the article's people.

No coreference model ships offline for spaCy 3.8, so this is a salience rule: the antecedent is
the person mentioned in the same or the two previous sentences who scores highest, where being
the subject of a main clause counts most and distance counts against. It gets the common news
pattern right ("Zelenskiy stated he would only go if Putin came. 'The answers...', he said.").
"""

from __future__ import annotations

import re
from typing import Any

from newsdesk.model import Mention
from newsdesk.stages.actors.resolve import Cluster
from newsdesk.stages.actors.titles import lexicon

PERSONAL_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
_WINDOW_SENTENCES = 2
_DESCRIPTION = re.compile(
    r"\b[Tt]he (?:(?P<adj>[A-Z][\w.]+) )?(?P<role>president|leader|foreign minister|"
    r"defence minister|defense minister|prime minister|chancellor|secretary of state|"
    r"kremlin chief|envoy|spokesman|spokeswoman)\b"
)


def _sentence_index(doc: Any) -> dict[int, int]:
    return {sent.start: n for n, sent in enumerate(doc.sents)}


def _salience(token: Any, sentence_gap: int) -> float:
    score = 1.0 - 0.8 * sentence_gap
    if token.dep_ in ("nsubj", "nsubjpass"):
        score += 3.0 if token.head.dep_ == "ROOT" else 1.5
    return score


def resolve_pronouns(doc: Any, clusters: dict[str, Cluster]) -> list[Mention]:
    """Mentions for third-person singular pronouns, each tied to its most salient antecedent."""
    sentence_of = _sentence_index(doc)
    people: list[tuple[Any, str]] = []  # (head token of the name, actor key), in text order
    for cluster in clusters.values():
        if cluster.kind != "person":
            continue
        for mention in cluster.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                people.append((span.root, cluster.key))
    people.sort(key=lambda p: p[0].i)
    found: list[Mention] = []
    for token in doc:
        if token.lower_ not in PERSONAL_PRONOUNS or token.pos_ != "PRON":
            continue
        here = sentence_of[token.sent.start]
        if (ahead := _cataphora(token, people)) is not None:
            found.append(
                Mention(actor=ahead, text=token.text, start=token.idx,
                        end=token.idx + len(token.text), kind="pronoun", confidence=0.6)
            )  # fmt: skip
            continue
        best: tuple[float, str] | None = None
        for head, key in people:
            if head.i >= token.i:
                break
            gap = here - sentence_of[head.sent.start]
            if gap > _WINDOW_SENTENCES:
                continue
            if gap == 0 and head.head == token.head and token.dep_ in ("dobj", "pobj"):
                continue  # "Putin praised him": an object is not its own verb's subject
            score = _salience(head, gap) + 0.001 * head.i
            if best is None or score > best[0]:
                best = (score, key)
        if best is not None:
            found.append(
                Mention(actor=best[1], text=token.text, start=token.idx,
                        end=token.idx + len(token.text), kind="pronoun", confidence=0.6)
            )  # fmt: skip
    return found


def _cataphora(token: Any, people: list[tuple[Any, str]]) -> str | None:
    """ "On his way to Turkey, Zelenskiy stated ...": a pronoun in a fronted phrase refers to
    the person who is the subject of the clause it precedes."""
    if token.dep_ != "poss":
        return None
    for head, key in people:
        if head.i > token.i and head.sent == token.sent and head.dep_ == "nsubj":
            clause = head.head
            if clause.i > token.i and any(t.i == token.i for t in clause.subtree):
                return key
    return None


def resolve_descriptions(text: str, clusters: dict[str, Cluster]) -> list[Mention]:
    """Mentions for "the Ukrainian president" and the like, when one actor fits the role."""
    demonyms = lexicon().demonyms
    found: list[Mention] = []
    for match in _DESCRIPTION.finditer(text):
        adjective = (match["adj"] or "").lower()
        if adjective and adjective not in demonyms:
            continue
        country = demonyms.get(adjective)
        role = match["role"].lower()
        fitting = [
            c
            for c in clusters.values()
            if c.kind == "person"
            and any(role in t.text.lower() or role == t.head for t in c.titles)
            and (country is None or country in {t.affiliation for t in c.titles}
                 or (c.known is not None and c.known.affiliation == country))
        ]  # fmt: skip
        if len(fitting) == 1:
            found.append(
                Mention(actor=fitting[0].key, text=match.group(), start=match.start(),
                        end=match.end(), kind="description", confidence=0.7)
            )  # fmt: skip
    return found
