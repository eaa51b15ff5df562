"""Synthetic stores for the story benchmark: recombined sample-corpus articles, and their cost."""

from __future__ import annotations

import random
import re
import resource
import statistics
import time
import tomllib
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from machine import ROOT
from newsdesk.stories.cluster import StoryClusterer
from newsdesk.stories.documents import StoryDoc
from stories_systems import bcubed

SAMPLE_ARTICLES = ROOT / "tools" / "demo_corpus" / "articles"
CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z’'-]+")
SYLLABLES = ("ka", "lo", "mer", "vin", "ta", "sor", "ul", "de", "bra", "ni", "qu", "zel", "po")


def sample_articles() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of each sample-corpus article, headings dropped."""
    found = []
    for path in sorted(SAMPLE_ARTICLES.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        paragraphs = [p.strip() for p in data["body"].split("\n\n")
                      if p.strip() and not p.startswith("#")]  # fmt: skip
        found.append((data["title"], paragraphs))
    return found


def invented(word: str, story: int) -> str:
    """A made-up name standing for ``word`` in one synthetic story (stable across runs)."""
    pick = random.Random(zlib.crc32(f"{story}:{word}".encode()))
    name = "".join(pick.choice(SYLLABLES) for _ in range(pick.randint(2, 4)))
    return name.capitalize()


def synthetic_docs(count: int, seed: int = 7) -> tuple[list[StoryDoc], list[int]]:
    """``count`` synthetic articles in publication order, and the gold story of each."""
    base = sample_articles()
    pick = random.Random(seed)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    docs: list[tuple[datetime, str, str, tuple[str, ...], int]] = []
    story = 0
    while len(docs) < count:
        title, paragraphs = base[pick.randrange(len(base))]
        opened = start + timedelta(days=pick.uniform(0, 3 * 365))

        def rename(text: str, story: int = story) -> str:
            return CAPITALISED.sub(lambda match: invented(match.group(), story), text)

        for _ in range(min(pick.randint(1, 9), count - len(docs))):
            chosen = pick.sample(paragraphs, k=min(len(paragraphs), pick.randint(3, 7)))
            text = rename("\n\n".join(chosen))
            names = tuple(dict.fromkeys(m.group().lower() for m in CAPITALISED.finditer(text)))
            when = opened + timedelta(hours=pick.uniform(0, 96))
            docs.append((when, rename(title), text, names[:8], story))
        story += 1
    docs.sort(key=lambda d: d[0])
    made = [
        StoryDoc(
            id=n,
            title=title,
            text=text,
            published=when,
            outlet=f"outlet-{n % 40}",
            actors=actors,
            leads=actors[:2],
        )  # the first two names stand in for leads
        for n, (when, title, text, actors, _) in enumerate(docs)
    ]
    return made, [d[4] for d in docs]


def rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_scale(size: int, reloads: int) -> dict[str, Any]:
    """Build a store of ``size`` synthetic articles online; time every add."""
    made_at = time.perf_counter()
    docs, gold = synthetic_docs(size)
    made_s = time.perf_counter() - made_at
    rss_before = rss_mib()
    clusterer = StoryClusterer()
    per_add: list[float] = []
    started = time.perf_counter()
    for doc in docs:
        t0 = time.perf_counter()
        clusterer.add(doc)
        per_add.append(time.perf_counter() - t0)
    seconds = time.perf_counter() - started
    p, r, f = bcubed([clusterer.story_of(d.id) for d in docs], [str(g) for g in gold])
    report: dict[str, Any] = {
        "docs": size, "gold_stories": len(set(gold)), "stories": len(clusterer.stories()),
        "generate_s": made_s, "cluster_s": seconds, "docs_per_s": size / seconds,
        "peak_rss_mib": rss_mib(), "rss_growth_mib": rss_mib() - rss_before,
        "bcubed": {"p": p, "r": r, "f1": f},
    }  # fmt: skip
    marks = {}
    for mark in (1_000, 10_000, 100_000):
        if mark <= size:
            window = per_add[max(0, mark - 500) : mark]
            marks[mark] = 1000 * statistics.median(window)
    report["median_add_ms_at"] = marks
    t0 = time.perf_counter()
    blob = clusterer.to_bytes()
    report["to_bytes_s"] = time.perf_counter() - t0
    report["state_mib"] = len(blob) / 2**20
    # Reloaded without the doc vectors (as before revisiting read them) and with them in
    # memory (a revisit reads the vectors of the young stories near the new article).
    for key, vectors in (("reload_add_save_s", None),
                         ("reload_add_save_vectors_s", clusterer.vectors)):  # fmt: skip
        cycles = []
        for n in range(reloads):
            extra = StoryDoc(id=size + n, title=docs[-1 - n].title, text=docs[-1 - n].text,
                             published=docs[-1 - n].published, outlet="late",
                             leads=docs[-1 - n].leads)  # fmt: skip
            t0 = time.perf_counter()
            again = StoryClusterer.from_bytes(blob, vectors=vectors)
            again.add(extra)
            again.to_bytes()
            cycles.append(time.perf_counter() - t0)
        report[key] = statistics.median(cycles) if cycles else None
    return report


def print_scale(out: Console, reports: Sequence[dict[str, Any]]) -> None:
    """The scale table."""
    table = Table(title="Online clustering of synthetic articles (recombined sample corpus)")
    for col in ("articles", "stories (gold)", "docs/s", "peak RSS MiB", "state MiB",
                "median add ms @1k / 10k / 100k", "reload+add+save s (vectors held)",
                "BCubed F1"):  # fmt: skip
        table.add_column(col, justify="right")
    for r in reports:
        marks = " / ".join(f"{ms:.2f}" for ms in r["median_add_ms_at"].values())
        cycle, held = r["reload_add_save_s"], r.get("reload_add_save_vectors_s")
        cycle_s = "—" if cycle is None else f"{cycle:.3f} ({held:.3f})"
        table.add_row(str(r["docs"]), f"{r['stories']} ({r['gold_stories']})",
                      f"{r['docs_per_s']:.0f}", f"{r['peak_rss_mib']:.0f}",
                      f"{r['state_mib']:.1f}", marks,
                      cycle_s, f"{r['bcubed']['f1']:.3f}")  # fmt: skip
    out.print(table)
