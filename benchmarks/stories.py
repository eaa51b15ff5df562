"""Score newsdesk's online story clustering: BCubed and related P@5 on gold sets, and its cost."""

# Gold sets live outside the project, in ``../shared/bench/stories/`` next to the repository
# (``--data`` to point elsewhere); a set that is not there is skipped. ECB+ dev (news articles,
# gold seminal events, two "twin" events of one type per topic, no dates) and GoogleNews-T
# (cleaned titles, no dates). Every set runs, in the same process:
#
# - a plain baseline: scikit-learn's TfidfVectorizer fitted on the whole set, single pass, cosine
#   to cluster centroids, the best threshold of a sweep on that very set (which flatters it);
# - newsdesk on text and title only;
# - newsdesk as it runs on ingest: each doc analysed once by newsdesk's own pipeline (actor keys,
#   event signatures, places; cached in ``benchmarks/out``), so shared actors, events and places
#   add to the text score (``--analyse`` names the sets; ablations add one kind at a time);
# - sentence embeddings (all-MiniLM-L6-v2 from the ``embeddings`` extra, encoded by
#   ``embed_worker.py`` in a venv given by ``--embed-python``, cached in ``benchmarks/out``):
#   alone, and weighted with newsdesk's score; their threshold and weight are reported both as
#   chosen on the *other* set and as the best of the sweep on the set itself (a dev score).
#
# Scale is measured on synthetic articles recombined from the sample corpus (``--sizes``).
#
#     cd benchmarks && ../.venv/bin/python stories.py [--sets ecbplus-dev] [--sizes 10000] \
#         [--embed-python out/emb-venv/bin/python] [--json-out F]

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

import stories_inputs as inputs
from machine import ROOT, describe
from newsdesk.stories.cluster import Settings, StoryClusterer
from newsdesk.stories.similarity import Weights
from stories_scale import bench_scale, print_scale
from stories_systems import bcubed, run_baseline, run_combined, run_embeddings, run_newsdesk

DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "stories"
SETS = ("ecbplus-dev", "googlenews-mstream")
SWEEP = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
EMBED_SWEEP = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
COMBINED_WEIGHTS = (0.25, 0.5, 0.75)
COMBINED_SWEEP = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
TARGETS = {"ecbplus-dev": {"f1": 0.93, "p5": 0.96}}
FULL = "newsdesk, text + leads, actors, events, places"  # every kind, as ingest gives them
SCORED = ("newsdesk, text only", "newsdesk, text + leads", FULL)  # rows held to the targets
UNDATED = Weights(undated=1.0)  # count actor, event and place bonuses between undated docs
PACKAGES = ("newsdesk", "scikit-learn", "numpy", "rich", "spacy")
WEIGHT_GRID = ((0.3, 0.2, 0.1), (0.15, 0.1, 0.05), (0.1, 0.05, 0.05), (0.2, 0.0, 0.1))
COLUMNS = ("system", "threshold", "BCubed P", "BCubed R", "BCubed F1", "related P@5", "stories",
           "ms/doc")  # fmt: skip

out = Console(width=None if sys.stdout.isatty() else 160)


def bench_set(
    name: str, docs: Sequence[inputs.GoldDoc], args: argparse.Namespace
) -> dict[str, Any]:
    """Every system on one set; the embedding sweeps are kept for choosing across sets."""
    gold = [d.cluster for d in docs]
    report: dict[str, Any] = {"docs": len(docs), "clusters": len(set(gold)), "rows": {}}
    rows = report["rows"]
    tag = name if args.limit is None else f"{name}-first{args.limit}"  # caches per doc list
    text_docs = inputs.story_docs(docs, None)
    baselines = {th: run_baseline(text_docs, gold, th) for th in SWEEP}
    rows["TF-IDF single pass (best of sweep)"] = max(baselines.values(), key=lambda s: s["f1"])
    rows["newsdesk, text only"] = run_newsdesk(text_docs, gold, None)
    full_docs = text_docs
    if name in args.analyse:
        analysis = inputs.analysed(tag, docs, out)
        records = analysis["docs"]
        report["analysis"] = {"seconds": analysis["seconds"], "ms_per_doc":
                              1000 * analysis["seconds"] / len(docs),
                              **inputs.coverage(records)}  # fmt: skip
        report["twins"] = inputs.twin_separation(docs, records)
        full_docs = inputs.story_docs(docs, records)
        rows["newsdesk, text + leads"] = run_newsdesk(
            inputs.story_docs(docs, records, ("leads",)), gold, None
        )
        rows[FULL] = run_newsdesk(full_docs, gold, None)
        # The sets are undated, so the default counts no actor, event or place bonus; these
        # rows count them anyway (Weights.undated 1.0, the rule before session 5).
        rows[f"  {FULL}, bonuses undated"] = run_newsdesk(full_docs, gold, None, weights=UNDATED)
        for kind in inputs.ITEMS:
            rows[f"  text + leads + {kind}, undated"] = run_newsdesk(
                inputs.story_docs(docs, records, ("leads", kind)), gold, None, weights=UNDATED
            )
    if args.sweep:
        report["text_sweep"] = {th: run_newsdesk(text_docs, gold, th, p5=False) for th in SWEEP}
        if full_docs is not text_docs:
            report["full_sweep"] = {th: run_newsdesk(full_docs, gold, th, p5=False)
                                    for th in SWEEP}  # fmt: skip
            report["weights_sweep"] = {
                f"actors {a}, events {e}, places {p} @ {th}": run_newsdesk(
                    full_docs,
                    gold,
                    th,
                    p5=False,
                    weights=Weights(actors=a, events=e, places=p, undated=1.0),
                )
                for a, e, p in WEIGHT_GRID
                for th in (0.2, 0.25, 0.3, 0.35)
            }
    report["baseline_sweep"] = baselines
    found = inputs.embeddings(tag, docs, args.embed_python, out)
    if found is not None:
        matrix, meta = found
        report["embedding_meta"] = meta
        out.print(f"{name}: sweeping embeddings alone and weighted with newsdesk")
        report["embed_sweep"] = {
            str(th): run_embeddings(matrix, gold, th, p5=False) for th in EMBED_SWEEP
        }
        report["combined_sweep"] = {
            f"{w}@{th}": run_combined(full_docs, gold, matrix, w, th, p5=False)
            for w in COMBINED_WEIGHTS
            for th in COMBINED_SWEEP
        }
        report["_inputs"] = (full_docs, gold, matrix)
    return report


def choose(reports: dict[str, dict[str, Any]]) -> None:
    """Add the embedding rows: each config chosen on the other set, and the set's own best."""
    ready = {name: r for name, r in reports.items() if "embed_sweep" in r}
    for name, report in ready.items():
        full_docs, gold, matrix = report.pop("_inputs")
        others = [n for n in ready if n != name]
        for sweep, label in (("embed_sweep", "embeddings alone"),
                             ("combined_sweep", "newsdesk + embeddings")):  # fmt: skip
            picks = [("best of sweep here, dev", report[sweep])]
            picks += [(f"chosen on {o}", ready[o][sweep]) for o in others]
            for how, grid in picks:
                config = max(grid, key=lambda k: grid[k]["f1"])
                if sweep == "embed_sweep":
                    row = run_embeddings(matrix, gold, float(config))
                else:
                    weight, threshold = (float(x) for x in config.split("@"))
                    row = run_combined(full_docs, gold, matrix, weight, threshold)
                report["rows"][f"{label} ({how})"] = row
        meta = report["embedding_meta"]
        report["embedding_cost"] = {"encode_s_per_doc": meta["seconds"] / meta["count"]}


def print_set(name: str, report: dict[str, Any]) -> None:
    """One table per set, and the targets line."""
    table = Table(title=f"{name}: {report['docs']} docs, {report['clusters']} gold clusters")
    for col in COLUMNS:
        table.add_column(col, justify="left" if col == "system" else "right")
    for label, s in report["rows"].items():
        threshold = f"{s['threshold']:.2f}"
        if "weight" in s:
            threshold = f"w {s['weight']:.2f}, {threshold}"
        p5 = "—" if s["p5"] is None else f"{s['p5']:.3f}"
        table.add_row(label, threshold, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f1']:.3f}",
                      p5, str(s["stories"]), f"{s['ms_per_doc']:.2f}")  # fmt: skip
    out.print(table)
    for key in ("text_sweep", "full_sweep", "weights_sweep"):
        if key in report:
            best = max(report[key].items(), key=lambda kv: kv[1]["f1"])
            out.print(f"{key}: F1 " + ", ".join(f"{th}: {s['f1']:.3f}"
                      for th, s in report[key].items()) + f"; best {best[0]}")  # fmt: skip
    if "analysis" in report:
        a = report["analysis"]
        out.print(f"analysis: {a['ms_per_doc']:.0f} ms/doc; docs with actors "
                  f"{a['docs_with_actors']:.0%}, events {a['docs_with_events']:.0%}, places "
                  f"{a['docs_with_places']:.0%}; per doc {a['actors_per_doc']:.1f} actors, "
                  f"{a['events_per_doc']:.1f} events, "
                  f"{a['places_per_doc']:.1f} places")  # fmt: skip
        out.print("items shared with the doc's own event more than with its twin (own / twin / "
                  "tie): " + "; ".join(f"{k} {v['own_event_more']} / {v['twin_more']} / {v['tie']}"
                                       for k, v in report["twins"].items()))  # fmt: skip
    if "embedding_cost" in report:
        out.print(f"embeddings: {1000 * report['embedding_cost']['encode_s_per_doc']:.0f} ms/doc "
                  "to encode (cached run's figure)")  # fmt: skip
    baseline = report["rows"]["TF-IDF single pass (best of sweep)"]
    for label in SCORED:
        row = report["rows"].get(label)
        if row is None:
            continue
        line = f"{label} / baseline: F1 ×{row['f1'] / max(baseline['f1'], 1e-9):.3f}, "
        line += f"P@5 ×{row['p5'] / max(baseline['p5'], 1e-9):.3f}"
        if name in TARGETS:
            target = TARGETS[name]
            met = row["f1"] >= target["f1"] and row["p5"] >= target["p5"]
            line += (f"; targets F1 ≥ {target['f1']}, P@5 ≥ {target['p5']}: "
                     f"{'[green]met[/]' if met else '[red]NOT met[/]'}")  # fmt: skip
        out.print(line)
    out.print()


def sample_weights() -> dict[str, dict[str, float]]:
    """BCubed F1 on the sample corpus (one batch, as the tests run it) for each weight set of
    the grid and text only, over a range of thresholds: where the default weights come from."""
    docs, gold = inputs.sample_corpus()
    grid: dict[str, dict[str, float]] = {}
    for a, e, p in (*WEIGHT_GRID, (0.0, 0.0, 0.0)):
        row = grid[f"actors {a}, events {e}, places {p}"] = {}
        for th in (0.15, 0.2, 0.25, 0.3, 0.35):
            clusterer = StoryClusterer(settings=Settings(
                threshold=th, weights=Weights(actors=a, events=e, places=p)))  # fmt: skip
            clusterer.add_many(docs)
            row[str(th)] = bcubed([clusterer.story_of(d.id) for d in docs], gold)[2]
    table = Table(title=f"Sample corpus ({len(docs)} articles, {len(set(gold))} stories): "
                  "BCubed F1 by bonus weights and threshold")  # fmt: skip
    table.add_column("weights")
    for column in next(iter(grid.values())):
        table.add_column(column, justify="right")
    for label, row in grid.items():
        table.add_row(label, *(f"{f:.3f}" for f in row.values()))
    out.print(table)
    return grid


def embedding_cost(args: argparse.Namespace, data: Path) -> dict[str, Any]:
    """Install sizes, and (with ``--embed-python``) a fresh timing of encoding a sample."""
    cost: dict[str, Any] = {"project_venv_mib": inputs.install_mib(ROOT / ".venv")}
    if args.embed_python:
        cost["embed_venv_mib"] = inputs.install_mib(inputs.venv_of(args.embed_python))
        path = data / "ecbplus-dev" / "docs.jsonl"
        if args.embed_time and path.exists():
            sample = inputs.load_set(path, args.embed_time)
            timed = inputs.encode(args.embed_python, sample, inputs.OUT / "emb-timing.npy")
            cost["sample"] = {**timed, "s_per_doc": timed["seconds"] / timed["count"]}
            cached = inputs.OUT / "emb-ecbplus-dev.npy"
            if cached.exists():  # the cache must hold the same vectors, row for row
                fresh = np.load(inputs.OUT / "emb-timing.npy")
                diff = np.abs(np.load(cached)[: len(fresh)] - fresh).max()
                cost["sample"]["max_abs_diff_vs_cache"] = float(diff)
    out.print(f"cost: {json.dumps(cost)}")
    return cost


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the sets")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated; '' for none")
    parser.add_argument("--analyse", default="ecbplus-dev",
                        help="sets to run newsdesk's pipeline on (comma-separated)")  # fmt: skip
    parser.add_argument("--limit", type=int, help="only the first N docs of each set")
    parser.add_argument("--sweep", action="store_true", help="also sweep newsdesk's threshold")
    parser.add_argument("--embed-python", help="python of a venv with the embeddings extra")
    parser.add_argument("--embed-time", type=int, default=100,
                        help="ECB+ docs to encode afresh to time the encoder")  # fmt: skip
    parser.add_argument("--sizes", default="10000", help="synthetic store sizes; '' for none")
    parser.add_argument("--reloads", type=int, default=5, help="reload+add+save repetitions")
    parser.add_argument("--json-out", type=Path, help="write every number to this JSON file")
    args = parser.parse_args(argv)
    args.sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    args.analyse = {s.strip() for s in args.analyse.split(",") if s.strip()}
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
                     " fitted on the set; single pass; best threshold of " + repr(SWEEP),
                     "embed_sweep": EMBED_SWEEP, "combined_weights": COMBINED_WEIGHTS,
                     "combined_sweep": COMBINED_SWEEP},
        "sets": {}, "scale": [],
    }  # fmt: skip
    for name in args.sets:
        path = args.data / name / "docs.jsonl"
        if not path.exists():
            out.print(f"[yellow]{name}: skipped, no data at {path}[/]")
            continue
        report["sets"][name] = bench_set(name, inputs.load_set(path, args.limit), args)
    choose(report["sets"])
    if args.sweep:
        report["sample_weights"] = sample_weights()
    for name, set_report in report["sets"].items():
        print_set(name, set_report)
    report["embedding_cost"] = embedding_cost(args, args.data)
    for size in args.sizes:
        report["scale"].append(bench_scale(size, args.reloads))
    if report["scale"]:
        print_scale(out, report["scale"])
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=1, ensure_ascii=False), "utf-8")
        out.print(f"numbers written to {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
