"""Online TF-IDF text vectors: term counts now, IDF from document frequencies at query time.

A document is stored as log-scaled term frequencies (title words and proper names weighted
up), never as TF-IDF, so its weights stay right as the corpus grows: the IDF of a term is
read from the current document frequencies whenever two vectors are compared.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Collection, Iterable, Mapping
from typing import Protocol

# A sparse vector: term id -> weight.
Sparse = dict[int, float]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")

# Function words and newsroom filler that say nothing about which story an article is on.
_STOPWORD_LIST = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves said says say told according new one two would could may might must shall us
    mr mrs ms per via yet since still even much many well back get got like made make way
    year years day days week weeks time first last next people including around another told
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())


def stem(word: str) -> str:
    """A light English stem: possessive and plural endings dropped, nothing cleverer."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def weighted_terms(text: str, *, proper_weight: float) -> dict[str, float]:
    """Stemmed content words of ``text`` with their counts; a capitalised word that does not
    open a sentence (a name, most likely) counts ``proper_weight`` times."""
    counts: dict[str, float] = {}
    for match in _WORD.finditer(text):
        raw = match.group()
        word = stem(raw.lower())
        if len(word) < 2 or word in STOPWORDS or (word.isdigit() and len(word) != 4):
            continue
        weight = 1.0
        if raw[0].isupper() and match.start() > 0:
            before = text[max(0, match.start() - 3) : match.start()]
            if before.strip() and not _SENTENCE_END.search(before):
                weight = proper_weight
        counts[word] = counts.get(word, 0.0) + weight
    return counts


class TermStats:
    """The vocabulary (term -> id) and each term's document frequency, updated online."""

    __slots__ = ("_idf", "df", "docs", "ids", "terms")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []
        self.df: list[int] = []
        self.docs = 0
        self._idf: dict[int, float] = {}  # IDFs worked out since the last document was counted

    def idf(self, term_id: int) -> float:
        """Smoothed inverse document frequency under the counts seen so far."""
        value = self._idf.get(term_id)
        if value is None:
            value = math.log((self.docs + 1) / (self.df[term_id] + 1)) + 1.0
            self._idf[term_id] = value
        return value

    def observe(self, counts: Mapping[str, float]) -> Sparse:
        """Count one new document and return its term-frequency vector (log-scaled, by id)."""
        self.docs += 1
        self._idf.clear()
        vector: Sparse = {}
        for term, count in counts.items():
            term_id = self.ids.get(term)
            if term_id is None:
                term_id = len(self.terms)
                self.ids[term] = term_id
                self.terms.append(term)
                self.df.append(0)
            self.df[term_id] += 1
            vector[term_id] = 1.0 + math.log(count) if count >= 1.0 else count
        return vector

    def lookup(self, counts: Mapping[str, float]) -> Sparse:
        """The term-frequency vector of a text without counting it (unknown terms dropped)."""
        vector: Sparse = {}
        for term, count in counts.items():
            term_id = self.ids.get(term)
            if term_id is not None:
                vector[term_id] = 1.0 + math.log(count) if count >= 1.0 else count
        return vector

    def weighted(self, vector: Mapping[int, float]) -> Sparse:
        """``vector`` with current IDF applied and scaled to unit length."""
        out = {t: w * self.idf(t) for t, w in vector.items()}
        norm = math.sqrt(sum(w * w for w in out.values()))
        return {t: w / norm for t, w in out.items()} if norm else out


def cosine_weighted(unit: Mapping[int, float], other: Sparse, stats: TermStats) -> float:
    """Cosine of a unit TF-IDF vector with a term-frequency vector weighted by current IDF."""
    if len(other) > len(unit) * 4:
        dot = sum(w * other[t] * stats.idf(t) for t, w in unit.items() if t in other)
    else:
        dot = sum(unit[t] * w * stats.idf(t) for t, w in other.items() if t in unit)
    if not dot:
        return 0.0
    norm = math.sqrt(sum((w * stats.idf(t)) ** 2 for t, w in other.items()))
    return dot / norm if norm else 0.0


def dot(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    """Dot product of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def add_into(total: Sparse, vector: Mapping[int, float], scale: float = 1.0) -> None:
    """``total += scale * vector`` in place."""
    for t, w in vector.items():
        total[t] = total.get(t, 0.0) + scale * w


def top_terms(vector: Mapping[int, float], stats: TermStats, k: int) -> list[int]:
    """The ``k`` term ids with the largest TF-IDF weight, ties broken by id (deterministic)."""
    return sorted(vector, key=lambda t: (-vector[t] * stats.idf(t), t))[:k]


def truncate(vector: Mapping[int, float], stats: TermStats, k: int) -> Sparse:
    """``vector`` restricted to its ``k`` heaviest terms under current IDF."""
    return {t: vector[t] for t in top_terms(vector, stats, k)}


def unit_tf(vector: Mapping[int, float]) -> Sparse:
    """A term-frequency vector scaled to unit length (so long articles do not dominate a sum)."""
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else dict(vector)


def merge_counts(parts: Iterable[tuple[Mapping[str, float], float]]) -> dict[str, float]:
    """Several weighted term counts (title, body) as one."""
    total: dict[str, float] = {}
    for counts, weight in parts:
        for term, count in counts.items():
            total[term] = total.get(term, 0.0) + count * weight
    return total


def encode(vector: Mapping[int, float]) -> bytes:
    """A term-frequency vector as bytes: int32 term ids ascending, then float32 weights."""
    ids = sorted(vector)
    return array("i", ids).tobytes() + array("f", (vector[t] for t in ids)).tobytes()


def decode(blob: bytes) -> Sparse:
    """The vector :func:`encode` wrote; ValueError for bytes it did not write."""
    if len(blob) % 8:
        raise ValueError("not an encoded vector")
    half = len(blob) // 2
    ids, weights = array("i"), array("f")
    ids.frombytes(blob[:half])
    weights.frombytes(blob[half:])
    return dict(zip(ids, weights, strict=True))


class VectorSource(Protocol):
    """Where the clusterer keeps each original doc's term-frequency vector (for ``similar``):
    in memory by default, in the database under the stories service."""

    def put(self, doc_id: int, vector: Mapping[int, float]) -> None:
        """Keep one doc's vector (replacing any it had)."""

    def get(self, doc_ids: Collection[int]) -> dict[int, Sparse]:
        """The vectors held for ``doc_ids`` (ids without one are left out)."""


class MemoryVectors:
    """Doc vectors held in memory, each packed as :func:`encode` bytes (about 1 KiB a doc)."""

    __slots__ = ("blobs",)

    def __init__(self) -> None:
        self.blobs: dict[int, bytes] = {}

    def put(self, doc_id: int, vector: Mapping[int, float]) -> None:
        self.blobs[doc_id] = encode(vector)

    def get(self, doc_ids: Collection[int]) -> dict[int, Sparse]:
        return {i: decode(self.blobs[i]) for i in doc_ids if i in self.blobs}
