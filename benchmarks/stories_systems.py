"""The story clusterers the benchmark compares, and BCubed and related P@5 to score them."""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdesk.stories.cluster import Settings, StoryClusterer
from newsdesk.stories.documents import Assignment, StoryDoc
from newsdesk.stories.similarity import Weights
from newsdesk.stories.vectors import Sparse

# ---------------------------------------------------------------------------------- scoring


def bcubed(pred: Sequence[Any], gold: Sequence[str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a predicted clustering (one label per doc)."""
    by_pred: dict[Any, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for n, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].add(n)
        by_gold[g].add(n)
    precision = recall = 0.0
    for p, g in zip(pred, gold, strict=True):
        shared = len(by_pred[p] & by_gold[g])
        precision += shared / len(by_pred[p])
        recall += shared / len(by_gold[g])
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def precision_at_5(related: Callable[[int], list[int]], gold: Sequence[str]) -> float:
    """Mean share of each doc's top 5 related docs in its gold cluster (a short list counts
    its missing places as misses)."""
    return statistics.fmean(
        sum(gold[m] == gold[n] for m in related(n)[:5]) / 5 for n in range(len(gold))
    )


def result(
    labels: Sequence[Any], gold: Sequence[str], seconds: float, threshold: float, **extra: Any
) -> dict[str, Any]:
    """The numbers of one run (``p5`` is added by the caller when it is asked for)."""
    p, r, f = bcubed(labels, gold)
    return {"threshold": threshold, "p": p, "r": r, "f1": f, "p5": None,
            "stories": len(set(labels)), "docs_per_s": len(gold) / seconds,
            "ms_per_doc": 1000 * seconds / len(gold), **extra}  # fmt: skip


def dense_related(matrix: np.ndarray, labels: Sequence[Any]) -> list[list[int]]:
    """Each doc's top 5 by embedding cosine, docs of its own predicted cluster first."""
    same = np.asarray([hash(label) for label in labels])
    tops: list[list[int]] = []
    for start in range(0, matrix.shape[0], 512):
        scores = matrix[start : start + 512] @ matrix.T
        for row, n in enumerate(range(start, min(start + 512, matrix.shape[0]))):
            line = scores[row] + 10.0 * (same == same[n])
            line[n] = -np.inf
            best = np.argpartition(-line, 5)[:5]
            tops.append([int(m) for m in best[np.argsort(-line[best], kind="stable")]])
    return tops


# --------------------------------------------------------------------------------- systems


def run_newsdesk(
    docs: Sequence[StoryDoc], gold: Sequence[str], threshold: float | None, *,
    weights: Weights | None = None, p5: bool = True,
) -> dict[str, Any]:  # fmt: skip
    """Add the docs one by one in set order; score the stories and ``similar``."""
    settings = Settings(weights=weights) if weights is not None else None
    clusterer = StoryClusterer(threshold=threshold, settings=settings)
    started = time.perf_counter()
    for doc in docs:
        clusterer.add(doc)
    seconds = time.perf_counter() - started
    found = result([clusterer.story_of(d.id) for d in docs], gold, seconds,
                   clusterer.settings.threshold)  # fmt: skip
    if p5:
        found["p5"] = precision_at_5(lambda n: [m for m, _ in clusterer.similar(n, 5)], gold)
    return found


def run_baseline(docs: Sequence[StoryDoc], gold: Sequence[str], threshold: float) -> dict[str, Any]:
    """TF-IDF single pass: each doc joins the cluster whose centroid is nearest by cosine, if
    at least ``threshold``; related docs are its cluster's docs, then the rest, by cosine."""
    started = time.perf_counter()
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [f"{d.title} {d.text}" for d in docs]
    )
    postings: dict[int, dict[int, float]] = defaultdict(dict)  # term -> cluster -> weight
    norms2: list[float] = []
    labels: list[int] = []
    for n in range(matrix.shape[0]):
        row = matrix.getrow(n)
        terms, weights = row.indices, row.data
        dots: dict[int, float] = defaultdict(float)
        for t, w in zip(terms, weights, strict=True):
            for c, cw in postings[t].items():
                dots[c] += w * cw
        best, score = -1, 0.0
        for c, d in dots.items():
            cos = d / norms2[c] ** 0.5
            if cos > score or (cos == score and c < best):
                best, score = c, cos
        if best < 0 or score < threshold:
            best = len(norms2)
            norms2.append(0.0)
        norms2[best] += 2 * dots.get(best, 0.0) + float(weights @ weights)
        for t, w in zip(terms, weights, strict=True):
            postings[t][best] = postings[t].get(best, 0.0) + w
        labels.append(best)
    found = result(labels, gold, time.perf_counter() - started, threshold)
    transposed = matrix.T.tocsc()
    same = np.array(labels)

    def related(n: int) -> list[int]:
        scores = (matrix.getrow(n) @ transposed).toarray()[0]
        scores[n] = -np.inf
        scores += 10.0 * (same == same[n])
        return [int(m) for m in np.argsort(-scores, kind="stable")[:5]]

    found["p5"] = precision_at_5(related, gold)
    return found


def run_embeddings(
    matrix: np.ndarray, gold: Sequence[str], threshold: float, *, p5: bool = True
) -> dict[str, Any]:
    """Embeddings alone, single pass: each doc joins the cluster whose centroid (the sum of its
    members' vectors) is nearest by cosine, if at least ``threshold``."""
    started = time.perf_counter()
    sums = np.zeros((16, matrix.shape[1]), dtype=np.float32)
    norms = np.zeros(16, dtype=np.float32)
    labels: list[int] = []
    count = 0
    for vector in matrix:
        best = -1
        if count:
            scores = (sums[:count] @ vector) / norms[:count]
            best = int(np.argmax(scores))
            if scores[best] < threshold:
                best = -1
        if best < 0:
            if count == sums.shape[0]:
                sums = np.vstack([sums, np.zeros_like(sums)])
                norms = np.concatenate([norms, np.zeros_like(norms)])
            best, count = count, count + 1
        sums[best] += vector
        norms[best] = float(np.linalg.norm(sums[best]))
        labels.append(best)
    found = result(labels, gold, time.perf_counter() - started, threshold)
    if p5:
        tops = dense_related(matrix, labels)
        found["p5"] = precision_at_5(lambda n: tops[n], gold)
    return found


class EmbeddingClusterer(StoryClusterer):
    """newsdesk's clusterer with each candidate story's score replaced by
    ``(1 - weight) * newsdesk score + weight * cosine(doc embedding, story embedding centroid)``;
    a benchmark wrapper over a private hook, not a product feature."""

    def __init__(self, matrix: np.ndarray, weight: float, threshold: float) -> None:
        super().__init__(threshold=threshold)
        self.matrix, self.weight = matrix, weight
        self.sums: dict[int, np.ndarray] = {}
        self.summed_in: dict[int, int] = {}  # doc -> the story whose sum counts it
        self.current: np.ndarray = matrix[0]

    def add(self, doc: StoryDoc) -> Assignment:
        self.current = self.matrix[doc.id]
        done = super().add(doc)
        total = self.sums.pop(done.story_id, np.zeros_like(self.current))
        for gone in done.merged:
            total = total + self.sums.pop(gone, 0.0)
        self.sums[done.story_id] = total + self.current
        self.summed_in[doc.id] = done.story_id
        if done.moved:  # a revisit moved earlier docs: sum again the stories they left and joined
            touched = {self.story_of(d) for d in done.moved}
            touched |= {self.resolve(self.summed_in[d]) for d in done.moved}
            self.sums = {sid: v for sid, v in self.sums.items() if sid in self.story_by_id}
            for sid in touched:
                members = self.story_by_id[sid].members
                self.sums[sid] = self.matrix[members].sum(axis=0)
                self.summed_in.update(dict.fromkeys(members, sid))
        return done

    def _score_stories(self, doc: StoryDoc, query: Sparse, when: float | None) -> list[Any]:
        scored = []
        for score, story in super()._score_stories(doc, query, when):
            centroid = self.sums[story.id]
            cosine = float(centroid @ self.current) / max(float(np.linalg.norm(centroid)), 1e-9)
            scored.append(((1 - self.weight) * score + self.weight * cosine, story))
        scored.sort(key=lambda pair: (-pair[0], pair[1].seq))
        return scored


def run_combined(
    docs: Sequence[StoryDoc], gold: Sequence[str], matrix: np.ndarray, weight: float,
    threshold: float, *, p5: bool = True,
) -> dict[str, Any]:  # fmt: skip
    """newsdesk's similarity and the embedding cosine, weighted, in one online pass."""
    clusterer = EmbeddingClusterer(matrix, weight, threshold)
    started = time.perf_counter()
    for doc in docs:
        clusterer.add(doc)
    seconds = time.perf_counter() - started
    labels = [clusterer.story_of(d.id) for d in docs]
    found = result(labels, gold, seconds, threshold, weight=weight)
    if p5:
        tops = dense_related(matrix, labels)
        found["p5"] = precision_at_5(lambda n: tops[n], gold)
    return found
