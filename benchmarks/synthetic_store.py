"""A synthetic newsdesk store of N articles recombined from the sample corpus, for load tests.

The corpus (pages and scrapes, ~54 documents) goes through the full pipeline once; the result
is cached in ``benchmarks/out/web-corpus.pickle``. Clones are then laid out in *editions*: an
edition holds every corpus article three times, from its own outlet and as two near copies
from syndicating outlets, with every date moved so the edition keeps the corpus's own story
structure (gaps of years between the corpus's 2020, 2022 and 2025 articles shrink to 45
days). Editions follow each other further apart than the story clusterer's 30-day window, so
each edition forms its own stories, and the newest edition ends on the corpus's real dates.

A clone keeps its body and enrichment spans as they were and gets a distinct sentence
appended at the END of its text (so every span stays valid), a dated title, its own URL and
outlet. Rows go in through the store's bulk path (``newsdesk.store.bulk.add_articles``: the
rows ``add_article`` and ``actors.record`` write, one transaction per edition); stories are
then assigned by the stories service's ``recluster``. The finished database is
kept under ``benchmarks/out/web-store-N.db`` and reused.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import pickle
import random
import re
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from newsdesk.dedup import text_hash
from newsdesk.errors import InputError
from newsdesk.model import Article
from newsdesk.service import Newsdesk, analyze_articles, demo_corpus
from newsdesk.store import Store
from newsdesk.store.bulk import BulkArticle, add_articles

OUT = Path(__file__).resolve().parent / "out"
CORPUS_CACHE = OUT / "web-corpus.pickle"
BATCH = 2000  # articles per transaction
EDITION_GAP = timedelta(days=45)  # more than the clusterer's 30-day window plus slack
SYNDICATORS = [  # fictional outlets that carry near copies
    ("north-gazette.example", "The North Gazette"),
    ("river-times.example", "The River Times"),
    ("evening-post.example", "The Evening Post"),
    ("daily-lantern.example", "The Daily Lantern"),
    ("coastal-herald.example", "The Coastal Herald"),
    ("plains-observer.example", "The Plains Observer"),
]

COPIES = 3  # each corpus article per edition: from its own outlet, then two near copies
Say = Callable[[str], None]


def compressed_offsets(bases: list[Article]) -> list[timedelta]:
    """How far each article (sorted by date) moves so that gaps between its dates longer
    than EDITION_GAP shrink to EDITION_GAP (the corpus spans 2020 to 2025, mostly May 2025);
    the newest article does not move."""
    dates = [a.published.value for a in bases if a.published.value is not None]
    assert len(dates) == len(bases)
    assert dates == sorted(dates)
    moved = [dates[0]]
    for before, after in itertools.pairwise(dates):
        moved.append(moved[-1] + min(after - before, EDITION_GAP))
    end = dates[-1] - moved[-1]
    return [m + end - d for m, d in zip(moved, dates, strict=True)]


def analysed_corpus(say: Say) -> list[Article]:
    """The sample corpus through the full pipeline: dated articles with text, cached."""
    if CORPUS_CACHE.exists():
        cached: list[Article] = pickle.loads(CORPUS_CACHE.read_bytes())
        return cached
    corpus = demo_corpus()
    started = time.perf_counter()
    found = [
        a
        for a in analyze_articles([corpus / "pages", corpus / "scrapes"])
        if not isinstance(a, InputError) and a.text and a.published.value is not None
    ]
    found.sort(key=lambda a: (a.published.value, a.canonical_url or a.url))
    say(f"analysed {len(found)} corpus articles in {time.perf_counter() - started:.1f} s")
    OUT.mkdir(parents=True, exist_ok=True)
    CORPUS_CACHE.write_bytes(pickle.dumps([dataclasses.replace(a, raw="") for a in found]))
    return found


def clone(base: Article, *, index: int, edition: int, copy: int, shift: timedelta,
          words: list[str], rng: random.Random) -> Article:  # fmt: skip
    """One synthetic article: ``base`` moved in time, retitled, with its own URL and outlet."""
    assert base.published.value is not None
    when = base.published.value + shift + timedelta(hours=3 * copy)
    domain, site = base.domain or "corpus.example", base.site
    if copy:
        domain, site = SYNDICATORS[(edition + index + copy) % len(SYNDICATORS)]
    slug = re.sub(r"[^a-z0-9]+", "-", (base.title or "article").lower()).strip("-")[:60]
    url = f"https://{domain}/{when:%Y/%m/%d}/{slug}-e{edition}c{copy}"
    sentence = f"Edition {edition} note {copy}: {' '.join(rng.sample(words, 12))}."
    return dataclasses.replace(
        base,
        url=url,
        canonical_url=url,
        source=f"synthetic:{edition}:{copy}:{base.source}",
        raw_sha256=None,
        raw="",
        domain=domain,
        site=site,
        title=f"{base.title or 'Untitled'} ({when:%-d %b %Y})",
        published=dataclasses.replace(base.published, value=when),
        text=f"{base.text}\n\n{sentence}",  # appended at the end: every span stays valid
    )


def build(count: int, db: Path, say: Say, *, seed: int = 7) -> None:
    """Write a store of ``count`` synthetic articles with their actors and stories to ``db``."""
    bases = analysed_corpus(say)
    words = sorted({w for a in bases for w in re.findall(r"[A-Za-z]{5,}", a.text)})
    offsets = compressed_offsets(bases)
    span = max(offsets) - min(offsets) + EDITION_GAP
    editions = math.ceil(count / (COPIES * len(bases)))
    rng = random.Random(seed)
    partial = db.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    store = Store.open(partial)
    started = time.perf_counter()
    made = 0
    pending: list[BulkArticle] = []
    for edition in range(editions):
        back = span * (editions - 1 - edition)  # the newest edition ends on the real dates
        batch: list[BulkArticle] = []
        for index, base in enumerate(bases):
            for copy in range(COPIES):
                if made + len(pending) + len(batch) == count:
                    break
                shift = offsets[index] - back
                article = clone(base, index=index, edition=edition, copy=copy, shift=shift,
                                words=words, rng=rng)  # fmt: skip
                batch.append(
                    BulkArticle(
                        article=article, text_hash=text_hash(article.text),
                        copy_of=len(pending) + len(batch) - copy if copy else None,
                        similarity=0.96,
                    )
                )  # fmt: skip
        pending += batch
        if len(pending) >= BATCH or made + len(pending) == count:
            add_articles(store, pending)
            made += len(pending)
            pending = []
            rate = made / (time.perf_counter() - started)
            say(f"  {made}/{count} articles stored ({rate:.0f}/s)")
    inserted = time.perf_counter() - started
    desk = Newsdesk(store)
    report = desk.stories.recluster()
    desk.close()
    say(
        f"stored {made} articles in {inserted:.0f} s; {report.stories} stories assigned in"
        f" {report.seconds:.0f} s"
    )
    partial.replace(db)


def recluster(db: Path, say: Say) -> None:
    """Assign stories again with the current clusterer (its saved state from an older
    newsdesk may not load)."""
    desk = Newsdesk(Store.open(db))
    try:
        report = desk.stories.recluster()
    finally:
        desk.close()
    say(
        f"{report.stories} stories assigned to {report.articles} articles in {report.seconds:.0f} s"
    )


def synthetic_store(count: int, say: Say, *, rebuild: bool = False) -> Path:
    """The path of a store of ``count`` synthetic articles, built once and then reused."""
    db = OUT / f"web-store-{count}.db"
    if rebuild or not db.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        build(count, db, say)
    return db
