"""Score newsdesk's online story clustering: BCubed and related P@5 on gold sets, and its cost.

Gold sets live outside the project, in ``../shared/bench/stories/`` next to the repository
(``--data`` to point elsewhere); a set that is not there is skipped. ECB+ dev (news articles,
gold seminal events, no dates) and GoogleNews-T (cleaned titles, no dates) carry neither
actors nor events, so only the text and the title reach the clusterer. Each set also runs a
plain baseline in the same process: scikit-learn's TfidfVectorizer fitted on the whole set,
single pass, cosine to cluster centroids, one threshold (the best of a sweep on that very set,
which flatters the baseline).

Scale is measured on synthetic articles recombined from the sample corpus (``--sizes``):
every synthetic story takes one sample article's paragraphs, renames every capitalised word
with story-specific invented names and gets its own dates, so stories share the vocabulary
of their base article and differ in names and time, as real developing stories do.

    .venv/bin/python benchmarks/stories.py [--sets ecbplus-dev] [--sizes 10000] [--json-out F]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import sys
import time
import tomllib
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from sklearn.feature_extraction.text import TfidfVectorizer

from machine import ROOT, describe
from newsdesk.stories.cluster import Settings, StoryClusterer
from newsdesk.stories.documents import StoryDoc

DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "stories"
SETS = ("ecbplus-dev", "googlenews-mstream")
SWEEP = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
TARGETS = {"ecbplus-dev": {"f1": 0.93, "p5": 0.96}}
SAMPLE_ARTICLES = ROOT / "tools" / "demo_corpus" / "articles"
PACKAGES = ("newsdesk", "scikit-learn", "numpy", "rich")
CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z’'-]+")
SYLLABLES = ("ka", "lo", "mer", "vin", "ta", "sor", "ul", "de", "bra", "ni", "qu", "zel", "po")

out = Console(width=None if sys.stdout.isatty() else 150)


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One document of a gold set: its text and its gold cluster."""

    id: int
    title: str
    text: str
    cluster: str


def load_set(path: Path, limit: int | None) -> list[GoldDoc]:
    """A set's docs in the order the set gives (its ``order`` field)."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: r["order"])
    return [
        GoldDoc(n, r.get("title") or "", r.get("text") or "", str(r["cluster"]))
        for n, r in enumerate(rows[:limit])
    ]


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


# --------------------------------------------------------------------------------- systems


def run_newsdesk(docs: Sequence[GoldDoc], threshold: float | None) -> dict[str, Any]:
    """Add the docs one by one in set order; score the stories and ``similar``."""
    clusterer = StoryClusterer(threshold=threshold)
    started = time.perf_counter()
    for doc in docs:
        clusterer.add(StoryDoc(id=doc.id, title=doc.title, text=doc.text, published=None,
                               outlet=None))  # fmt: skip
    seconds = time.perf_counter() - started
    gold = [d.cluster for d in docs]
    p, r, f = bcubed([clusterer.story_of(d.id) for d in docs], gold)
    p5 = precision_at_5(lambda n: [m for m, _ in clusterer.similar(n, 5)], gold)
    return {"threshold": clusterer.settings.threshold, "p": p, "r": r, "f1": f, "p5": p5,
            "stories": len(clusterer.stories()), "docs_per_s": len(docs) / seconds}  # fmt: skip


def run_baseline(docs: Sequence[GoldDoc], threshold: float) -> dict[str, Any]:
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
    seconds = time.perf_counter() - started
    gold = [d.cluster for d in docs]
    p, r, f = bcubed(labels, gold)
    transposed = matrix.T.tocsc()
    same = np.array(labels)

    def related(n: int) -> list[int]:
        scores = (matrix.getrow(n) @ transposed).toarray()[0]
        scores[n] = -np.inf
        scores += 10.0 * (same == same[n])
        return [int(m) for m in np.argsort(-scores, kind="stable")[:5]]

    p5 = precision_at_5(related, gold)
    return {"threshold": threshold, "p": p, "r": r, "f1": f, "p5": p5,
            "stories": len(norms2), "docs_per_s": len(docs) / seconds}  # fmt: skip


def bench_set(name: str, docs: Sequence[GoldDoc], sweep: bool) -> dict[str, Any]:
    """newsdesk at its default threshold, the baseline at its best; optional sweeps of both."""
    report: dict[str, Any] = {"docs": len(docs), "clusters": len({d.cluster for d in docs})}
    baselines = {th: run_baseline(docs, th) for th in SWEEP}
    best_baseline = max(baselines.values(), key=lambda s: s["f1"])
    newsdesk = run_newsdesk(docs, None)
    report["newsdesk"], report["baseline"] = newsdesk, best_baseline
    report["ratio_f1"] = newsdesk["f1"] / best_baseline["f1"]
    report["ratio_p5"] = newsdesk["p5"] / best_baseline["p5"]
    table = Table(title=f"{name}: {len(docs)} docs, {report['clusters']} gold clusters")
    for col in ("system", "threshold", "BCubed P", "BCubed R", "BCubed F1", "related P@5",
                "stories", "docs/s"):  # fmt: skip
        table.add_column(col, justify="left" if col == "system" else "right")
    rows = [("newsdesk (default)", newsdesk), ("TF-IDF single pass (best)", best_baseline)]
    if sweep:
        report["newsdesk_sweep"] = {th: run_newsdesk(docs, th) for th in SWEEP}
        report["baseline_sweep"] = baselines
        rows += [(f"newsdesk @ {th}", s) for th, s in report["newsdesk_sweep"].items()]
        rows += [(f"baseline @ {th}", s) for th, s in baselines.items()]
    for label, s in rows:
        table.add_row(label, f"{s['threshold']:.2f}", f"{s['p']:.3f}", f"{s['r']:.3f}",
                      f"{s['f1']:.3f}", f"{s['p5']:.3f}", str(s["stories"]),
                      f"{s['docs_per_s']:.0f}")  # fmt: skip
    out.print(table)
    line = (f"newsdesk / baseline: F1 ×{report['ratio_f1']:.3f}, "
            f"P@5 ×{report['ratio_p5']:.3f}")  # fmt: skip
    if name in TARGETS:
        target = TARGETS[name]
        met = newsdesk["f1"] >= target["f1"] and newsdesk["p5"] >= target["p5"]
        line += (f"; targets F1 ≥ {target['f1']}, P@5 ≥ {target['p5']}: "
                 f"{'[green]met[/]' if met else '[red]NOT met[/]'}")  # fmt: skip
    out.print(line + "\n")
    return report


# ------------------------------------------------------------------------------- synthetic


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
            id=n, title=title, text=text, published=when, outlet=f"outlet-{n % 40}", actors=actors
        )
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
    cycles = []
    for n in range(reloads):
        extra = StoryDoc(id=size + n, title=docs[-1 - n].title, text=docs[-1 - n].text,
                         published=docs[-1 - n].published, outlet="late")  # fmt: skip
        t0 = time.perf_counter()
        again = StoryClusterer.from_bytes(blob)
        again.add(extra)
        again.to_bytes()
        cycles.append(time.perf_counter() - t0)
    report["reload_add_save_s"] = statistics.median(cycles) if cycles else None
    return report


def print_scale(reports: Sequence[dict[str, Any]]) -> None:
    table = Table(title="Online clustering of synthetic articles (recombined sample corpus)")
    for col in ("articles", "stories (gold)", "docs/s", "peak RSS MiB", "state MiB",
                "median add ms @1k / 10k / 100k", "reload+add+save s", "BCubed F1"):  # fmt: skip
        table.add_column(col, justify="right")
    for r in reports:
        marks = " / ".join(f"{ms:.2f}" for ms in r["median_add_ms_at"].values())
        cycle = r["reload_add_save_s"]
        cycle_s = "—" if cycle is None else f"{cycle:.3f}"
        table.add_row(str(r["docs"]), f"{r['stories']} ({r['gold_stories']})",
                      f"{r['docs_per_s']:.0f}", f"{r['peak_rss_mib']:.0f}",
                      f"{r['state_mib']:.1f}", marks,
                      cycle_s, f"{r['bcubed']['f1']:.3f}")  # fmt: skip
    out.print(table)


# ------------------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the sets")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated; '' for none")
    parser.add_argument("--limit", type=int, help="only the first N docs of each set")
    parser.add_argument("--sweep", action="store_true", help="also sweep newsdesk's threshold")
    parser.add_argument("--sizes", default="10000", help="synthetic store sizes; '' for none")
    parser.add_argument("--reloads", type=int, default=5, help="reload+add+save repetitions")
    parser.add_argument("--json-out", type=Path, help="write every number to this JSON file")
    args = parser.parse_args(argv)
    args.sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in args.sets if s not in SETS]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; known: {', '.join(SETS)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 also when the data is missing (the sets are skipped)."""
    args = parse_args(argv)
    report: dict[str, Any] = {
        "machine": describe(PACKAGES),
        "settings": {"clusterer": repr(Settings()), "data": str(args.data), "limit": args.limit,
                     "baseline": "sklearn TfidfVectorizer(stop_words='english', sublinear_tf)"
                     " fitted on the set; single pass; best threshold of " + repr(SWEEP)},
        "sets": {}, "scale": [],
    }  # fmt: skip
    for name in args.sets:
        path = args.data / name / "docs.jsonl"
        if not path.exists():
            out.print(f"[yellow]{name}: skipped, no data at {path}[/]")
            report["sets"][name] = {"skipped": f"no data at {path}"}
            continue
        report["sets"][name] = bench_set(name, load_set(path, args.limit), args.sweep)
    for size in args.sizes:
        report["scale"].append(bench_scale(size, args.reloads))
    if report["scale"]:
        print_scale(report["scale"])
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=1, ensure_ascii=False), "utf-8")
        out.print(f"numbers written to {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
