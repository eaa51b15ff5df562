"""Extractive story summaries and central headlines: the sentences most like the whole story."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.model import StoredArticle
from newsdesk.stories.timeline import originals_with_copies, outlet_of

# Two sentences sharing this much of their weighted words say the same thing.
NEAR_DUPLICATE = 0.5
MIN_WORDS, MAX_WORDS = 8, 60

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_STOP_WORDS = """
a an the and or but if of to in on at by for with from as is are was were be been being
it its this that these those he she they we you i his her their our your them him us who
whom which what when where why how not no nor so than too very can will would should
could may might must shall do does did done has have had having said says say also into
over after before about against between during without within there here then just more
most other some such only own same all any each few both up down out off again further
once
"""
_STOP = frozenset(_STOP_WORDS.split())
# A sentence opening with one of these leans on the one before it: out of context it misleads.
_DEPENDENT_OPENERS = frozenset(
    ["he", "she", "it", "they", "this", "that", "these", "those", "but", "and", "also"]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SummarySentence:
    """A sentence of the summary, citing the article it was taken from."""

    text: str
    article_id: int
    outlet: str | None
    title: str | None
    published: datetime | None
    start: int  # span in the article's text
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class _Sentence:
    article: StoredArticle
    order: int  # the article's place in publication order
    start: int
    end: int
    text: str
    terms: Counter[str]


def content_words(text: str) -> list[str]:
    """Lower-cased words without stop words or single letters."""
    words = (w.casefold().replace("’", "'") for w in _WORD.findall(text))
    return [w for w in words if len(w) > 1 and w not in _STOP]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split after . ! ? before a capital, and at line breaks."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for begin, end in spans:
        chunk = text[begin:end]
        stripped = chunk.strip()
        if stripped:
            offset = begin + chunk.index(stripped)
            result.append((offset, offset + len(stripped)))
    return result


def _weights(docs: Sequence[Counter[str]]) -> list[dict[str, float]]:
    """TF-IDF vectors (unit length) of ``docs``, IDF taken over ``docs`` themselves."""
    df: Counter[str] = Counter()
    for terms in docs:
        df.update(terms.keys())
    n = len(docs)
    vectors = []
    for terms in docs:
        vec = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in terms.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def central_title(titles: Iterable[tuple[int, str]]) -> int | None:
    """The id of the most central headline: the one closest to all the others (ties: the
    earliest id); None when there is no title."""
    items = [(i, Counter(content_words(t))) for i, t in titles if t]
    if not items:
        return None
    vectors = _weights([terms for _, terms in items])
    best = max(
        range(len(items)),
        key=lambda x: (sum(_cosine(vectors[x], v) for v in vectors), -items[x][0]),
    )
    return items[best][0]


def summarise(
    articles: Iterable[StoredArticle], *, most: int = 5, least: int = 3, per_article: int = 2
) -> list[SummarySentence]:
    """``least`` to ``most`` central sentences across the story's original articles, without
    near-duplicates, at most ``per_article`` from one article, in the order they were told."""
    sentences: list[_Sentence] = []
    originals = [stored for stored, _ in originals_with_copies(articles)]
    for order, stored in enumerate(originals):
        text = stored.article.text
        for start, end in sentence_spans(text):
            words = content_words(text[start:end])
            count = len(_WORD.findall(text[start:end]))
            opener = _WORD.findall(text[start:end])[:1]
            dependent = bool(opener) and opener[0].casefold() in _DEPENDENT_OPENERS
            if MIN_WORDS <= count <= MAX_WORDS and words and not dependent:
                sentences.append(
                    _Sentence(article=stored, order=order, start=start, end=end,
                              text=text[start:end], terms=Counter(words))
                )  # fmt: skip
    if not sentences:
        return []
    vectors = _weights([s.terms for s in sentences])
    # The story's centroid weighs every article alike, however long it is.
    per_doc: dict[int, list[dict[str, float]]] = {}
    for sentence, vec in zip(sentences, vectors, strict=True):
        per_doc.setdefault(sentence.article.id, []).append(vec)
    centroid: dict[str, float] = {}
    for vecs in per_doc.values():
        for vec in vecs:
            for t, v in vec.items():
                centroid[t] = centroid.get(t, 0.0) + v / len(vecs)
    norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    centroid = {t: v / norm for t, v in centroid.items()}
    ranked = sorted(
        range(len(sentences)),
        key=lambda i: (-_cosine(vectors[i], centroid), sentences[i].order, sentences[i].start),
    )
    chosen: list[int] = []
    per: Counter[int] = Counter()
    best = _cosine(vectors[ranked[0]], centroid)
    for i in ranked:
        if len(chosen) >= most:
            break
        if len(chosen) >= least and _cosine(vectors[i], centroid) < best / 2:
            break
        sentence = sentences[i]
        if per[sentence.article.id] >= per_article:
            continue
        if any(_cosine(vectors[i], vectors[j]) >= NEAR_DUPLICATE for j in chosen):
            continue
        chosen.append(i)
        per[sentence.article.id] += 1
    chosen.sort(key=lambda i: (sentences[i].order, sentences[i].start))
    return [_summary_sentence(sentences[i]) for i in chosen]


def _summary_sentence(sentence: _Sentence) -> SummarySentence:
    stored = sentence.article
    return SummarySentence(
        text=sentence.text,
        article_id=stored.id,
        outlet=outlet_of(stored),
        title=stored.article.title,
        published=stored.article.published.value,
        start=sentence.start,
        end=sentence.end,
    )
