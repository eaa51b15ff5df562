"""Where the leads weight comes from: ECB+ dev F1 by leads weight and floor, on all topics and
on odd and even topics apart (choose on one half, score on the other), and the sample corpus."""

# ECB+ docs carry the leads newsdesk's own pipeline finds (the analysis ``stories.py`` caches in
# ``benchmarks/out``; computed here when missing). No actor, event or place bonus counts: the
# set is undated. The sample corpus runs with every bonus, as the service does.
#
#     cd benchmarks && ../.venv/bin/python stories_leads.py [--json-out F]

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

import stories_inputs as inputs
from machine import ROOT, describe
from newsdesk.stories.cluster import Settings, StoryClusterer
from newsdesk.stories.similarity import Weights
from stories_systems import bcubed, run_newsdesk

DATA = ROOT.parent / "shared" / "bench" / "stories" / "ecbplus-dev" / "docs.jsonl"
GRID = ((0.0, 0.0), (0.05, 0.0), (0.1, 0.0), (0.15, 0.0), (0.2, 0.0), (0.1, 0.1), (0.15, 0.1),
        (0.15, 0.2))  # fmt: skip
out = Console(width=None if sys.stdout.isatty() else 160)


def halves(docs: Sequence[inputs.GoldDoc]) -> dict[str, list[int]]:
    """All topics, odd topics, even topics: doc positions."""
    return {
        "all": list(range(len(docs))),
        "odd": [n for n, d in enumerate(docs) if int(d.topic) % 2 == 1],
        "even": [n for n, d in enumerate(docs) if int(d.topic) % 2 == 0],
    }


def lead_pairs(docs: Sequence[inputs.GoldDoc], records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Over pairs of docs of one ECB+ topic that both have leads: how often the two share their
    first lead, and any lead, for pairs of one event and for pairs of twin events."""
    counts = {kind: {"pairs": 0, "first": 0, "any": 0} for kind in ("same event", "twin events")}
    for a in range(len(docs)):
        for b in range(a + 1, len(docs)):
            mine, theirs = records[a].get("leads") or [], records[b].get("leads") or []
            if docs[a].topic != docs[b].topic or not mine or not theirs:
                continue
            c = counts["same event" if docs[a].cluster == docs[b].cluster else "twin events"]
            c["pairs"] += 1
            c["first"] += mine[0] == theirs[0]
            c["any"] += bool(set(mine) & set(theirs))
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="ECB+ dev docs.jsonl")
    parser.add_argument("--json-out", type=Path, help="write every number to this JSON file")
    args = parser.parse_args(argv)
    if not args.data.exists():
        out.print(f"[yellow]skipped: no ECB+ dev set at {args.data}[/]")
        return 0
    docs = inputs.load_set(args.data, None)
    records = inputs.analysed("ecbplus-dev", docs, out)["docs"]
    sample, sample_gold = inputs.sample_corpus()
    parts = halves(docs)
    found: dict[str, Any] = {"machine": describe(("newsdesk", "spacy")), "rows": {}}
    table = Table(title="ECB+ dev text + leads (BCubed F1) and the sample corpus, by leads weight")
    for column in ("leads", "floor", "all topics", "odd topics", "even topics", "sample"):
        table.add_column(column, justify="right")
    for weight, floor in GRID:
        weights = Weights(leads=weight, lead_floor=floor)
        row: dict[str, float] = {}
        for part, picked in parts.items():
            sub = [docs[n] for n in picked]
            story_docs = inputs.story_docs(sub, [records[n] for n in picked], ("leads",))
            row[part] = run_newsdesk(story_docs, [d.cluster for d in sub], None, weights=weights,
                                     p5=False)["f1"]  # fmt: skip
        clusterer = StoryClusterer(settings=Settings(weights=weights))
        clusterer.add_many(sample)
        row["sample"] = bcubed([clusterer.story_of(d.id) for d in sample], sample_gold)[2]
        found["rows"][f"{weight},{floor}"] = row
        table.add_row(
            f"{weight:.2f}", f"{floor:.2f}", *(f"{row[k]:.4f}" for k in (*parts, "sample"))
        )
    out.print(table)
    rows = found["rows"]
    found["twins"] = inputs.twin_separation(docs, records)
    found["pairs"] = lead_pairs(docs, records)
    for kind, c in found["pairs"].items():
        out.print(f"{kind}: {c['pairs']} doc pairs with leads; same first lead "
                  f"{c['first'] / max(c['pairs'], 1):.1%}, a lead in common "
                  f"{c['any'] / max(c['pairs'], 1):.1%}")  # fmt: skip
    out.print("a doc's items shared more with the rest of its own event than with the twin "
              "event (own / twin / tie): " + "; ".join(
                  f"{k} {v['own_event_more']} / {v['twin_more']} / {v['tie']}"
                  for k, v in found["twins"].items()))  # fmt: skip
    for chosen_on, scored_on in (("odd", "even"), ("even", "odd")):
        best = max(rows, key=lambda key: rows[key][chosen_on])
        there, plain = rows[best][scored_on], rows["0.0,0.0"][scored_on]
        out.print(f"chosen on {chosen_on} topics: leads,floor {best} -> {scored_on} topics "
                  f"{there:.4f} (no leads: {plain:.4f})")  # fmt: skip
    if args.json_out:
        args.json_out.write_text(json.dumps(found, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
