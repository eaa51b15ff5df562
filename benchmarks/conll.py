"""CoNLL-2003 gold for benchmarks/ner.py: documents with character spans, and exact-span scoring."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.model import Entity

SCORED = ("PER", "ORG", "LOC")
MISC_LABELS = frozenset({"NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"})
TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"} | {
    label: "MISC" for label in MISC_LABELS
}

Span = tuple[int, int, str]  # start, end, CoNLL label (PER, ORG, LOC, MISC)


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One CoNLL document: text rebuilt from its tokens, with gold entity character spans."""

    id: str
    text: str
    tokens: int
    gold: tuple[Span, ...]


# ------------------------------------------------------------------------------------ data


def read_conll(path: Path, limit: int | None = None) -> list[GoldDoc]:
    """Documents of a CoNLL-2003 file: tokens joined by single spaces, sentences by newlines.

    IOB1: an ``I-X`` continues the entity before it only when that one is also X; ``B-X``
    always starts a new one. The first document of eng.testb has no ``-DOCSTART-`` line.
    """
    docs: list[list[list[tuple[str, str]]]] = [[]]
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if not fields or fields[0] == "-DOCSTART-":
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            if fields and docs[-1]:
                docs.append([])
            continue
        sentence.append((fields[0], fields[-1]))
    if sentence:
        docs[-1].append(sentence)
    built = []
    for n, sentences in enumerate(d for d in docs if d):
        built.append(_build(f"doc-{n + 1:03d}", sentences))
        if limit is not None and len(built) >= limit:
            break
    return built


def _build(doc_id: str, sentences: list[list[tuple[str, str]]]) -> GoldDoc:
    pieces: list[str] = []
    spans: list[list[Any]] = []
    offset, tokens = 0, 0
    for s, sentence in enumerate(sentences):
        if s:
            pieces.append("\n")
            offset += 1
        previous = "O"
        for t, (token, tag) in enumerate(sentence):
            if t:
                pieces.append(" ")
                offset += 1
            start, offset = offset, offset + len(token)
            pieces.append(token)
            tokens += 1
            if tag == "O":
                previous = "O"
                continue
            prefix, _, kind = tag.partition("-")
            if prefix == "B" or previous != kind:
                spans.append([start, offset, kind])
            else:
                spans[-1][1] = offset
            previous = kind
    return GoldDoc(doc_id, "".join(pieces), tokens, tuple((s, e, k) for s, e, k in spans))


# ------------------------------------------------------------------------------ predictions


def doc_spans(doc: Any) -> list[Span]:
    """Bare spaCy: the Doc's own entities, mapped to CoNLL types (dates, numbers dropped)."""
    return [
        (e.start_char, e.end_char, TO_CONLL[e.label_]) for e in doc.ents if e.label_ in TO_CONLL
    ]


def entity_spans(entities: Iterable[Entity]) -> list[Span]:
    """newsdesk entities mapped to CoNLL types."""
    return [(e.start, e.end, TO_CONLL[e.label]) for e in entities if e.label in TO_CONLL]


# ---------------------------------------------------------------------------------- scoring

ERROR_ROWS = (
    "correct",
    "type PER→ORG",
    "type PER→LOC",
    "type ORG→PER",
    "type ORG→LOC",
    "type LOC→PER",
    "type LOC→ORG",
    "unscored label (NORP, PRODUCT…)",
    "boundary, same type",
    "boundary + wrong type",
    "missed PER",
    "missed ORG",
    "missed LOC",
    "predicted on a gold MISC",
    "spurious (no gold overlap)",
)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Score:
    """Counts summed over documents for one system."""

    tp: Counter[str] = field(default_factory=Counter)
    pred: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    on_misc: int = 0  # scored predictions touching only gold MISC spans
    misc_found: int = 0  # gold MISC spans predicted exactly as MISC-like (NORP, ...)

    def add(self, gold: Sequence[Span], predicted: Sequence[Span]) -> None:
        """Score one document (exact spans, per type) and classify its errors."""
        pred = set(predicted)
        scored_pred = {p for p in pred if p[2] in SCORED}
        for kind in (*SCORED, "MISC"):
            gold_of = {x for x in gold if x[2] == kind}
            pred_of = {x for x in pred if x[2] == kind}
            self.gold[kind] += len(gold_of)
            self.pred[kind] += len(pred_of)
            self.tp[kind] += len(gold_of & pred_of)
        by_span = {(p[0], p[1]): p[2] for p in pred}
        for g in gold:
            if g[2] not in SCORED:
                continue
            found = by_span.get((g[0], g[1]))
            touching = [p for p in scored_pred if _overlaps(p, g)]
            if found == g[2]:
                key = "correct"
            elif found in SCORED:
                key = f"type {g[2]}→{found}"
            elif found is not None:
                key = "unscored label (NORP, PRODUCT…)"
            elif any(p[2] == g[2] for p in touching):
                key = "boundary, same type"
            elif touching:
                key = "boundary + wrong type"
            elif any(_overlaps(p, g) for p in pred):
                key = "unscored label (NORP, PRODUCT…)"
            else:
                key = f"missed {g[2]}"
            self.errors[key] += 1
        gold_scored = {(g[0], g[1]) for g in gold if g[2] in SCORED}
        for p in scored_pred:
            if (p[0], p[1]) in gold_scored:
                continue  # correct, or counted as a type error on the gold side
            touching = [g for g in gold if _overlaps(p, g)]
            if not touching:
                self.errors["spurious (no gold overlap)"] += 1
            elif all(g[2] == "MISC" for g in touching):
                self.errors["predicted on a gold MISC"] += 1
                self.on_misc += 1
        self.misc_found += sum(1 for g in gold if g[2] == "MISC" and g in pred)

    def prf(self, kinds: Sequence[str] = SCORED, ignore_misc: bool = False) -> dict[str, float]:
        """Precision, recall, F1 micro-averaged over ``kinds``."""
        tp = sum(self.tp[k] for k in kinds)
        pred = sum(self.pred[k] for k in kinds) - (self.on_misc if ignore_misc else 0)
        gold = sum(self.gold[k] for k in kinds)
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

    def report(self) -> dict[str, Any]:
        """Every number of this system, for the JSON file."""
        return {
            "per_type": {
                k: {**self.prf((k,)), "gold": self.gold[k], "pred": self.pred[k], "tp": self.tp[k]}
                for k in (*SCORED, "MISC")
            },
            "micro": self.prf(),
            "micro_misc_agnostic": self.prf(ignore_misc=True),
            "micro_with_misc": self.prf((*SCORED, "MISC")),
            "gold_misc_found_exactly": self.misc_found,
            "errors": {k: self.errors[k] for k in ERROR_ROWS},
        }
