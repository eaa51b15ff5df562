"""Score newsdesk's extract stage against bare trafilatura on public gold: body, metadata, speed.

Sets live outside the project, in ``../shared/bench/extraction/`` next to the repository
(``--data`` to point elsewhere); a set that is not there is skipped. Per set, every extractor
sees the same decoded page (gzip, then ``newsdesk.ingest.decoding.decode_html``); decoding is
not timed. Body scores use the Zyte article-extraction-benchmark metric (4-token shingles) on
every set, and on WCXB also that benchmark's own word-level scoring and snippet checks.
Metadata is scored on WCXB, the related-block leak check on the bundled sample corpus.

    .venv/bin/python benchmarks/extraction.py [--limit N] [--repeat 3] [--json-out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import trafilatura
from rich.console import Console
from rich.table import Table

from machine import describe
from newsdesk.errors import InputError
from newsdesk.ingest.decoding import decode_html
from newsdesk.model import Article, DateSource, RawKind
from newsdesk.stages.extract import ExtractStage
from report import write_json_out

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "extraction"
DEMO = ROOT / "src" / "newsdesk" / "demo"
SETS = ("zyte-dev", "wcxb-dev-articles")
BUDGET = 1.3  # newsdesk may cost at most this many times bare trafilatura (favor_precision)
PACKAGES = ("newsdesk", "trafilatura", "htmldate", "justext", "lxml", "charset-normalizer")

out = Console(width=None if sys.stdout.isatty() else 150)
log = Console(stderr=True)


# ------------------------------------------------------------------------------------ data


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page, decoded, with whatever gold its set has."""

    id: str
    url: str
    html: str
    encoding: str
    body: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()


def read_page(path: Path) -> tuple[str, str]:
    """A gzipped page decoded as newsdesk decodes fetched bytes: ``(text, encoding)``."""
    return decode_html(gzip.decompress(path.read_bytes()))


def load_zyte(folder: Path, limit: int | None) -> list[Page]:
    """Pages of the Zyte layout: ``ground-truth.json`` plus ``html/<id>.html.gz``."""
    gold = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    pages = []
    for page_id in sorted(gold)[:limit]:
        html, encoding = read_page(folder / "html" / f"{page_id}.html.gz")
        entry = gold[page_id]
        pages.append(
            Page(page_id, entry.get("url") or "", html, encoding, entry.get("articleBody") or "")
        )
    return pages


def load_wcxb(folder: Path, limit: int | None) -> list[Page]:
    """Pages of the WCXB layout: ``ground-truth/<id>.json`` plus ``html/<id>.html.gz``."""
    pages = []
    for path in sorted((folder / "ground-truth").glob("*.json"))[:limit]:
        data = json.loads(path.read_text("utf-8"))
        gold = data.get("ground_truth") or {}
        html, encoding = read_page(folder / "html" / f"{path.stem}.html.gz")
        pages.append(
            Page(
                id=path.stem,
                url=data.get("url") or "",
                html=html,
                encoding=encoding,
                body=gold.get("main_content") or "",
                title=gold.get("title"),
                author=gold.get("author"),
                date=gold.get("publish_date"),
                with_snippets=tuple(gold.get("with") or ()),
                without_snippets=tuple(gold.get("without") or ()),
            )
        )
    return pages


LOADERS: dict[str, tuple[str, Callable[[Path, int | None], list[Page]]]] = {
    "zyte-dev": ("ground-truth.json", load_zyte),
    "wcxb-dev-articles": ("ground-truth", load_wcxb),
}


# ------------------------------------------------------------------------------ extractors


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one extractor gave for one page, reduced to the fields that are scored."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    day: str | None = None  # YYYY-MM-DD as the extractor reports it
    date_source: str | None = None
    related: int | None = None
    no_text: bool = False  # newsdesk raised InputError: an empty prediction, not a crash
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Extractor:
    """A timed call on a page and the untimed reading of what it returned."""

    key: str
    label: str
    call: Callable[[Page], object]
    read: Callable[[object], Extraction]


def _failure(result: object) -> Extraction | None:
    if isinstance(result, InputError):
        return Extraction(text="", no_text=True)
    if isinstance(result, Exception):
        return Extraction(text="", error=f"{type(result).__name__}: {result}")
    return None


def newsdesk_extractor(*, favor_precision: bool) -> Extractor:
    """The full newsdesk path: ``ExtractStage`` on an ``Article`` holding the decoded page."""
    stage = ExtractStage(favor_precision=favor_precision)

    def call(page: Page) -> object:
        article = Article(url=page.url, source=page.id, raw=page.html, raw_kind=RawKind.HTML)
        try:
            return stage(article)
        except Exception as exc:  # InputError = no text; anything else is reported as an error
            return exc

    def read(result: object) -> Extraction:
        failed = _failure(result)
        if failed is not None:
            return failed
        assert isinstance(result, Article)
        value = result.published.value
        return Extraction(
            text=result.text,
            title=result.title,
            authors=result.authors,
            day=value.date().isoformat() if value else None,
            date_source=result.published.source.value,
            related=len(result.related_links),
        )

    suffix = "favor_precision" if favor_precision else "favor_precision=False"
    key = "newsdesk" if favor_precision else "newsdesk-recall"
    return Extractor(key, f"newsdesk ({suffix})", call, read)


def trafilatura_extractor(*, favor_precision: bool) -> Extractor:
    """``trafilatura.extract`` as the reference harness calls it for its trafilatura rows."""
    options: dict[str, Any] = {"include_comments": False}
    if favor_precision:
        options["favor_precision"] = True

    def call(page: Page) -> object:
        try:
            return trafilatura.extract(page.html, **options)
        except Exception as exc:
            return exc

    def read(result: object) -> Extraction:
        failed = _failure(result)
        if failed is not None:
            return failed
        return Extraction(text=result if isinstance(result, str) else "")

    if favor_precision:
        return Extractor("trafilatura-precision", "trafilatura favor_precision", call, read)
    return Extractor("trafilatura", "trafilatura default", call, read)


def trafilatura_metadata(page: Page) -> Extraction:
    """Trafilatura's own metadata (``bare_extraction(html, with_metadata=True)``), untimed."""
    try:
        doc = trafilatura.bare_extraction(page.html, with_metadata=True)
    except Exception as exc:
        return Extraction(text="", error=f"{type(exc).__name__}: {exc}")
    if doc is None:
        return Extraction(text="")
    author = getattr(doc, "author", None)
    return Extraction(
        text=getattr(doc, "text", None) or "",
        title=getattr(doc, "title", None),
        authors=(author,) if author else (),
        day=getattr(doc, "date", None),
    )


def all_extractors() -> list[Extractor]:
    """The four extractors every set is measured with, newsdesk (favor_precision) first."""
    return [
        newsdesk_extractor(favor_precision=True),
        newsdesk_extractor(favor_precision=False),
        trafilatura_extractor(favor_precision=False),
        trafilatura_extractor(favor_precision=True),
    ]


@dataclass(slots=True)
class Run:
    """One extractor over one set: first-pass outputs and the best time of each page."""

    results: dict[str, Extraction] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    pass_seconds: list[float] = field(default_factory=list)


def run_all(pages: Sequence[Page], extractors: Sequence[Extractor], repeat: int) -> dict[str, Run]:
    """Run every extractor over ``pages`` ``repeat`` times, interleaved by pass.

    Each extractor is warmed up on the first page. A page's time is the fastest of its
    ``repeat`` runs (single process, ``time.perf_counter``); outputs come from the first pass.
    """
    runs = {ex.key: Run() for ex in extractors}
    for ex in extractors:
        ex.call(pages[0])
    for rep in range(repeat):
        for ex in extractors:
            run = runs[ex.key]
            started = time.perf_counter()
            for page in pages:
                t0 = time.perf_counter()
                result = ex.call(page)
                elapsed = time.perf_counter() - t0
                if rep == 0:
                    run.results[page.id] = ex.read(result)
                run.seconds[page.id] = min(elapsed, run.seconds.get(page.id, elapsed))
            run.pass_seconds.append(time.perf_counter() - started)
            log.print(
                f"  pass {rep + 1}/{repeat}  {ex.label:<32} {run.pass_seconds[-1]:7.1f} s",
                highlight=False,
            )
    return runs


# --------------------------------------------------------------------------------- metrics

WORD = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """4-token shingles of ``text``; 1-3 tokens make one shorter shingle, none make none."""
    tokens = WORD.findall(text)
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(gold: str, pred: str) -> tuple[float, float, float]:
    """TP, FP, FN of one page over shingle multisets, divided by their sum (0s if both empty)."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_f1(counts: tuple[float, float, float]) -> float:
    """F1 of one page from its normalised counts (for ranking pages, not for the totals)."""
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def zyte_score(rows: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    """Zyte metric: page precision over pages with TP+FP>0, recall over TP+FN>0; F1 of means."""
    precisions = [tp / (tp + fp) for tp, fp, _ in rows if tp + fp > 0]
    recalls = [tp / (tp + fn) for tp, _, fn in rows if tp + fn > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def word_scores(gold: str, pred: str) -> tuple[float, float, float]:
    """WCXB's page score: precision, recall, F1 over bags of lower-cased ``\\w+`` words."""
    ref = re.findall(r"\w+", gold.lower())
    got = re.findall(r"\w+", pred.lower())
    if not ref:
        return (1.0, 1.0, 1.0) if not got else (0.0, 0.0, 0.0)
    if not got:
        return 0.0, 0.0, 0.0
    overlap = sum((Counter(ref) & Counter(got)).values())
    p, r = overlap / len(got), overlap / len(ref)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def snippet_rate(text: str, snippets: Sequence[str]) -> float:
    """Share of ``snippets`` found in ``text``, case-insensitively (1.0 when there are none)."""
    if not snippets:
        return 1.0
    lowered = text.lower()
    return sum(s.lower() in lowered for s in snippets) / len(snippets)


def wcxb_score(pages: Sequence[Page], results: dict[str, Extraction]) -> dict[str, float]:
    """WCXB's own scoring (its evaluate.py): means over all pages of word P/R/F1 and snippets."""
    rows = [word_scores(page.body, results[page.id].text) for page in pages]
    n = len(pages)
    return {
        "precision": sum(r[0] for r in rows) / n,
        "recall": sum(r[1] for r in rows) / n,
        "f1": sum(r[2] for r in rows) / n,
        "with_rate": sum(snippet_rate(results[p.id].text, p.with_snippets) for p in pages) / n,
        "without_rate": sum(snippet_rate(results[p.id].text, p.without_snippets) for p in pages)
        / n,
    }


_FOLD = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)


def fold(text: str) -> str:
    """Normalised for comparison: NFKC, typographic quotes/dashes folded, casefold, spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return " ".join(text.split())


_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|&|\||\band\b)\s*")
_HONORIFICS = frozenset({"dr", "prof", "mr", "mrs", "ms", "mx"})
# Degrees and certifications that follow names in bylines ("Jane Doe, MS, RD").
_CREDENTIALS = frozenset(
    [
        "md", "m.d", "do", "phd", "ph.d", "ms", "m.s", "ma", "mba", "msc", "bsc", "bs", "ba", "rd",
        "rdn", "ld", "cpt", "fand", "facp", "faclm", "foma", "dabom", "cfp", "cpa", "cepf", "cpp",
        "psp", "dvm", "vmd", "dacvb", "lvt", "vts", "rn", "np", "pa-c", "e-ryt", "ryt", "jd", "esq",
    ]
)  # fmt: skip


def _is_credential(word: str) -> bool:
    """ "MS", "Ph.D.", "E-RYT 200" are credentials; "Ma" (a surname) is not."""
    if any(ch.isdigit() for ch in word):
        return True
    key = word.casefold().strip(".,®™")
    return key in _CREDENTIALS and (word.upper() == word or "." in word)


def author_names(values: Iterable[str]) -> frozenset[str]:
    """Normalised person names: split on , ; & | "and", honorifics and credentials dropped."""
    names = set()
    for value in values:
        for part in _AUTHOR_SPLIT.split(re.sub(r"\(.*?\)", " ", value)):
            words = re.sub(r"^\s*by\s+", "", part, flags=re.I).split()
            if len(words) > 1 and words[0].casefold().rstrip(".") in _HONORIFICS:
                words = words[1:]
            while words and _is_credential(words[-1]):
                words.pop()
            if words:
                names.add(fold(" ".join(words)))
    return frozenset(names)


def day_matches(gold: str, day: str | None) -> bool:
    """True when ``day`` (YYYY-MM-DD) is the gold date, to the precision the gold gives."""
    return day is not None and day[: len(gold)] == gold


def one_day_off(gold: str, day: str | None) -> bool:
    """True when ``day`` misses a full gold date by exactly one day (a time-zone slip)."""
    if day is None or len(gold) != 10:
        return False
    try:
        return abs((date.fromisoformat(day[:10]) - date.fromisoformat(gold)).days) == 1
    except ValueError:
        return False


def metadata_score(pages: Sequence[Page], results: dict[str, Extraction]) -> dict[str, Any]:
    """Title, author and date accuracy of one extractor against WCXB's gold metadata."""
    titled = [p for p in pages if p.title]
    authored = [p for p in pages if p.author]
    unauthored = [p for p in pages if not p.author]
    dated = [p for p in pages if p.date]
    undated = [p for p in pages if not p.date]

    def share(hits: Iterable[bool], total: int) -> float | None:
        return sum(hits) / total if total else None

    def authors_of(page: Page) -> frozenset[str]:
        return author_names(results[page.id].authors)

    return {
        "title": share(
            (fold(results[p.id].title or "") == fold(p.title or "") for p in titled), len(titled)
        ),
        "title_n": len(titled),
        "author_exact": share(
            (authors_of(p) == author_names([p.author or ""]) for p in authored), len(authored)
        ),
        "author_any": share(
            (bool(authors_of(p) & author_names([p.author or ""])) for p in authored),
            len(authored),
        ),
        "author_n": len(authored),
        "author_spurious": share(
            (bool(results[p.id].authors) for p in unauthored), len(unauthored)
        ),
        "author_spurious_n": len(unauthored),
        "date": share((day_matches(p.date or "", results[p.id].day) for p in dated), len(dated)),
        "date_n": len(dated),
        "date_missing": share((results[p.id].day is None for p in dated), len(dated)),
        "date_one_day_off": sum(one_day_off(p.date or "", results[p.id].day) for p in dated),
        "date_spurious": share((results[p.id].day is not None for p in undated), len(undated)),
        "date_spurious_n": len(undated),
    }


def provenance(pages: Sequence[Page], results: dict[str, Extraction]) -> dict[str, Any]:
    """newsdesk's date sources: pages per source, right days, and dates where gold has none."""
    table: dict[str, dict[str, int]] = {}
    for source in [s.value for s in DateSource] + ["no text", "error"]:
        table[source] = {"pages": 0, "gold_dated": 0, "right_day": 0, "gold_undated": 0}
    for page in pages:
        got = results[page.id]
        fallback = "no text" if got.no_text else "error" if got.error else DateSource.NONE.value
        row = table[got.date_source or fallback]
        row["pages"] += 1
        if page.date:
            row["gold_dated"] += 1
            row["right_day"] += day_matches(page.date, got.day)
        else:
            row["gold_undated"] += 1
    return {k: v for k, v in table.items() if v["pages"]}


def timing(run: Run) -> dict[str, float]:
    """Pages per second from the per-page best times, with median and p95 milliseconds."""
    times = sorted(run.seconds.values())
    total = sum(times)
    return {
        "pages": len(times),
        "total_s": total,
        "pages_per_s": len(times) / total if total else 0.0,
        "best_pass_pages_per_s": len(times) / min(run.pass_seconds) if run.pass_seconds else 0.0,
        "median_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
        "max_ms": 1000 * times[-1],
    }


# ---------------------------------------------------------------------------------- output


def titled(title: str) -> Table:
    """A table at least as wide as its title, so the title stays on one line."""
    return Table(title=title, min_width=len(title) + 2)


def fmt(value: float | None, digits: int = 3) -> str:
    """A score for the tables; a dash where there is nothing to score."""
    return "-" if value is None else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    """A rate as a percentage; a dash where there is nothing to score."""
    return "-" if value is None else f"{100 * value:.1f}%"


def bench_set(
    name: str,
    pages: list[Page],
    extractors: Sequence[Extractor],
    repeat: int,
    losses: int,
    margin: float,
    predictions: Path | None,
) -> dict[str, Any]:
    """Measure every extractor on one set, print its tables and return its numbers."""
    log.print(f"[bold]{name}[/]: {len(pages)} pages, {repeat} pass(es)")
    runs = run_all(pages, extractors, repeat)
    has_meta = any(p.title or p.author or p.date for p in pages)
    report: dict[str, Any] = {
        "pages": len(pages),
        "encodings": dict(Counter(p.encoding for p in pages)),
        "extractors": {},
    }
    rows: dict[str, list[tuple[float, float, float]]] = {}
    base = timing(runs["trafilatura-precision"])["total_s"]
    for ex in extractors:
        run = runs[ex.key]
        rows[ex.key] = [page_counts(p.body, run.results[p.id].text) for p in pages]
        errors = {k: r.error for k, r in run.results.items() if r.error}
        entry: dict[str, Any] = {
            "label": ex.label,
            "zyte": zyte_score(rows[ex.key]),
            "empty": sum(not run.results[p.id].text.strip() for p in pages),
            "no_text": sum(run.results[p.id].no_text for p in pages),
            "errors": len(errors),
            "error_examples": dict(list(errors.items())[:5]),
            "timing": timing(run),
        }
        entry["timing"]["cost_vs_trafilatura_precision"] = entry["timing"]["total_s"] / base
        if has_meta:
            entry["wcxb"] = wcxb_score(pages, run.results)
        report["extractors"][ex.key] = entry
        if predictions is not None:
            predictions.mkdir(parents=True, exist_ok=True)
            body = {p.id: {"articleBody": run.results[p.id].text} for p in pages}
            path = predictions / f"{name}.{ex.key}.json"
            path.write_text(json.dumps(body, ensure_ascii=False), "utf-8")

    body_table = titled(f"{name}: body ({len(pages)} pages)")
    body_table.add_column("extractor")
    for col in ("P", "R", "F1"):
        body_table.add_column(f"Zyte {col}", justify="right")
    if has_meta:
        for col in ("P", "R", "F1"):
            body_table.add_column(f"WCXB {col}", justify="right")
        body_table.add_column("with ↑", justify="right")
        body_table.add_column("without ↓", justify="right")
    body_table.add_column("empty", justify="right")
    body_table.add_column("of which no-text", justify="right")
    body_table.add_column("errors", justify="right")
    for ex in extractors:
        e = report["extractors"][ex.key]
        cells = [ex.label, *(fmt(e["zyte"][k]) for k in ("precision", "recall", "f1"))]
        if has_meta:
            cells += [fmt(e["wcxb"][k]) for k in ("precision", "recall", "f1")]
            cells += [pct(e["wcxb"]["with_rate"]), pct(e["wcxb"]["without_rate"])]
        cells += [str(e["empty"]), str(e["no_text"]), str(e["errors"])]
        body_table.add_row(*cells)
    out.print(body_table)

    speed = titled(f"{name}: speed (best of {repeat}, 1 process, decoding not timed)")
    speed.add_column("extractor")
    for col in ("pages/s", "median ms", "p95 ms", "max ms", "× traf. precision"):
        speed.add_column(col, justify="right")
    for ex in extractors:
        t = report["extractors"][ex.key]["timing"]
        speed.add_row(
            ex.label,
            f"{t['pages_per_s']:.1f}",
            f"{t['median_ms']:.1f}",
            f"{t['p95_ms']:.1f}",
            f"{t['max_ms']:.0f}",
            f"{t['cost_vs_trafilatura_precision']:.2f}×",
        )
    out.print(speed)
    ratio = report["extractors"]["newsdesk"]["timing"]["cost_vs_trafilatura_precision"]
    verdict = "[green]within[/]" if ratio <= BUDGET else "[red]OVER[/]"
    out.print(
        f"cost ratio newsdesk / trafilatura favor_precision: {ratio:.2f}× "
        f"({verdict} the {BUDGET}× budget)\n"
    )
    report["cost_ratio"] = ratio
    report["cost_budget"] = BUDGET

    report["versus"] = compare_pages(
        name, pages, runs, rows, ("newsdesk", "trafilatura-precision"), losses, margin
    )
    report["versus_recall"] = compare_pages(
        name, pages, runs, rows, ("newsdesk-recall", "trafilatura"), 0, margin
    )

    nd = runs["newsdesk"].results
    if has_meta:
        traf_meta = {p.id: trafilatura_metadata(p) for p in pages}
        report["metadata"] = {
            "newsdesk": metadata_score(pages, nd),
            "trafilatura": metadata_score(pages, traf_meta),
        }
        report["metadata"]["newsdesk_no_text"] = sum(nd[p.id].no_text for p in pages)
        print_metadata(name, report["metadata"])
    report["date_provenance"] = provenance(pages, nd)
    print_provenance(name, report["date_provenance"], has_meta)
    report["page_f1"] = {
        p.id: {key: round(page_f1(rows[key][i]), 4) for key in rows} for i, p in enumerate(pages)
    }
    return report


def compare_pages(
    name: str,
    pages: Sequence[Page],
    runs: dict[str, Run],
    rows: dict[str, list[tuple[float, float, float]]],
    pair: tuple[str, str],
    show: int,
    margin: float,
) -> dict[str, Any]:
    """Pages newsdesk wins and loses against trafilatura with the same precision setting."""
    mine, theirs = pair
    diffs = []
    for i, page in enumerate(pages):
        gap = page_f1(rows[mine][i]) - page_f1(rows[theirs][i])
        diffs.append((gap, page, rows[mine][i], rows[theirs][i]))
    lost = sorted((d for d in diffs if d[0] <= -margin), key=lambda d: d[0])
    won = [d for d in diffs if d[0] >= margin]
    same = sum(
        WORD.findall(runs[mine].results[p.id].text) == WORD.findall(runs[theirs].results[p.id].text)
        for p in pages
    )
    summary: dict[str, Any] = {
        "pair": list(pair),
        "identical_tokens": same,
        "better": sum(d[0] > 0.005 for d in diffs),
        "worse": sum(d[0] < -0.005 for d in diffs),
        "margin": margin,
        "lost": [[d[1].id, round(d[0], 4)] for d in lost],
        "won": [[d[1].id, round(d[0], 4)] for d in won],
    }
    out.print(
        f"{name}: {mine} vs {theirs}: same tokens on {same}/{len(pages)} pages, "
        f"page F1 better on {summary['better']}, worse on {summary['worse']}; "
        f"lost by ≥{margin} on {len(lost)}, won by ≥{margin} on {len(won)}"
    )
    if not show or not lost:
        return summary
    table = titled(f"{name}: pages {mine} loses by ≥{margin} page F1 (worst {show})")
    for col in ("page", "Δ F1", "ours P/R", "theirs P/R", "words ours/theirs/gold", "related"):
        table.add_column(col, justify="left" if col == "page" else "right")
    for delta, page, ours_counts, their_counts in lost[:show]:
        ours, other = runs[mine].results[page.id], runs[theirs].results[page.id]

        def pr(counts: tuple[float, float, float]) -> str:
            tp, fp, fn = counts
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            return f"{p:.2f}/{r:.2f}"

        words = "/".join(str(len(WORD.findall(t))) for t in (ours.text, other.text, page.body))
        table.add_row(
            page.id[:16],
            f"{delta:+.2f}",
            pr(ours_counts),
            pr(their_counts),
            words,
            str(ours.related or 0),
        )
    out.print(table)
    return summary


def print_metadata(name: str, meta: dict[str, Any]) -> None:
    """The metadata table of one set: newsdesk and trafilatura side by side."""
    nd = meta["newsdesk"]
    table = titled(f"{name}: metadata (newsdesk raised no-text on {meta['newsdesk_no_text']})")
    table.add_column("extractor")
    heads = (
        f"title (n={nd['title_n']})",
        f"author exact (n={nd['author_n']})",
        "author any",
        f"author, gold none (n={nd['author_spurious_n']})",
        f"date Y-M-D (n={nd['date_n']})",
        "date missing",
        "date ±1 day",
        f"spurious date (n={nd['date_spurious_n']})",
    )
    for head in heads:
        table.add_column(head, justify="right")
    for key in ("newsdesk", "trafilatura"):
        m = meta[key]
        table.add_row(
            key,
            pct(m["title"]),
            pct(m["author_exact"]),
            pct(m["author_any"]),
            pct(m["author_spurious"]),
            pct(m["date"]),
            pct(m["date_missing"]),
            str(m["date_one_day_off"]),
            pct(m["date_spurious"]),
        )
    out.print(table)


def print_provenance(name: str, prov: dict[str, Any], has_meta: bool) -> None:
    """newsdesk's date provenance counts, with per-source accuracy where gold has dates."""
    table = titled(f"{name}: newsdesk date provenance")
    table.add_column("source")
    table.add_column("pages", justify="right")
    if has_meta:
        for col in ("gold dated", "right Y-M-D", "gold undated (spurious)"):
            table.add_column(col, justify="right")
    for source, row in prov.items():
        cells = [source, str(row["pages"])]
        if has_meta:
            right = f"{row['right_day']}"
            if row["gold_dated"]:
                right += f" ({100 * row['right_day'] / row['gold_dated']:.0f}%)"
            cells += [str(row["gold_dated"]), right, str(row["gold_undated"])]
        table.add_row(*cells)
    out.print(table)


# ----------------------------------------------------------------------- sample-corpus check


def demo_check(extractors: Sequence[Extractor]) -> dict[str, Any] | None:
    """Related-block leaks and missing fragments on the bundled corpus, against its gold."""
    gold_path, pages_dir = DEMO / "gold.json", DEMO / "pages"
    if not gold_path.is_file() or not pages_dir.is_dir():
        out.print(f"[yellow]sample corpus: skipped, {gold_path} or {pages_dir} not found[/]")
        return None
    gold: dict[str, dict[str, Any]] = json.loads(gold_path.read_text("utf-8"))
    cases = sorted(k for k in gold if k.startswith("pages/") and (DEMO / k).is_file())
    absent = sorted(k for k in gold if k.startswith("pages/") and not (DEMO / k).is_file())
    ungraded = sorted(
        str(p.relative_to(DEMO))
        for p in pages_dir.rglob("*.html")
        if str(p.relative_to(DEMO)) not in gold
    )
    if not cases:
        out.print("[yellow]sample corpus: skipped, no page has a gold entry[/]")
        return None
    if absent or ungraded:
        out.print(
            f"sample corpus: {len(absent)} gold entries without a page, "
            f"{len(ungraded)} pages without gold (not checked)"
        )
    pages = []
    for case in cases:
        path = DEMO / case
        html, encoding = decode_html(path.read_bytes())
        pages.append(Page(case, path.resolve().as_uri(), html, encoding, ""))
    report: dict[str, Any] = {"pages": len(pages), "gold_without_page": absent,
                              "pages_without_gold": ungraded, "extractors": {}}  # fmt: skip
    table = titled(f"sample corpus: related-block leaks ({len(pages)} pages with gold)")
    for col in ("extractor", "pages leaking", "leaked strings", "pages missing", "missing strings"):
        table.add_column(col, justify="left" if col == "extractor" else "right")
    newsdesk_results: dict[str, Extraction] = {}
    for ex in extractors:
        leaks: dict[str, list[str]] = {}
        missing: dict[str, list[str]] = {}
        for page in pages:
            got = ex.read(ex.call(page))
            if ex.key == "newsdesk":
                newsdesk_results[page.id] = got
            expected = gold[page.id]
            leaked = [s for s in expected.get("must_not_contain", []) if s in got.text]
            lost = [s for s in expected.get("must_contain", []) if s not in got.text]
            if leaked:
                leaks[page.id] = leaked
            if lost:
                missing[page.id] = lost
        report["extractors"][ex.key] = {"leaks": leaks, "missing": missing}
        table.add_row(
            ex.label,
            str(len(leaks)),
            str(sum(map(len, leaks.values()))),
            str(len(missing)),
            str(sum(map(len, missing.values()))),
        )
    out.print(table)
    report["newsdesk_fields"] = demo_fields(pages, gold, newsdesk_results)
    return report


def demo_fields(
    pages: Sequence[Page], gold: dict[str, dict[str, Any]], results: dict[str, Extraction]
) -> dict[str, Any]:
    """newsdesk's related-link count, title and date on the sample corpus against its gold."""
    checks: dict[str, list[str]] = {"related_count": [], "title": [], "published": []}
    checks["published_source"] = []
    related_got = related_gold = 0
    for page in pages:
        expected, got = gold[page.id], results[page.id]
        related_got += got.related or 0
        related_gold += expected.get("related_link_count", 0)
        if (got.related or 0) != expected.get("related_link_count", 0):
            checks["related_count"].append(
                f"{page.id}: {got.related} vs {expected.get('related_link_count')}"
            )
        if "title" in expected and got.title != expected["title"]:
            checks["title"].append(f"{page.id}: {got.title!r}")
        day = (expected.get("published") or "")[:10] or None
        if got.day != day:
            checks["published"].append(f"{page.id}: {got.day} vs {day}")
        source = expected.get("published_source") or DateSource.NONE.value
        if day and got.date_source != source:
            checks["published_source"].append(f"{page.id}: {got.date_source} vs {source}")
    table = titled("sample corpus: newsdesk fields against gold")
    table.add_column("field")
    table.add_column("pages right", justify="right")
    table.add_column("mismatches")
    n = len(pages)
    for key, bad in checks.items():
        table.add_row(key, f"{n - len(bad)}/{n}", "\n".join(bad[:6]) or "-")
    out.print(table)
    out.print(f"related links found by newsdesk: {related_got}, gold: {related_gold}\n")
    return {"related_links_found": related_got, "related_links_gold": related_gold, **checks}


# ------------------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the sets")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set (by id)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; best time kept")
    parser.add_argument("--json-out", type=Path, help="write every number to this JSON file")
    parser.add_argument(
        "--save-predictions", type=Path, help="write {id: {articleBody}} per set and extractor"
    )
    parser.add_argument(
        "--losses", type=int, default=12, help="list this many pages newsdesk loses (0: none)"
    )
    parser.add_argument(
        "--loss-margin", type=float, default=0.05, help="page F1 gap that counts as a loss"
    )
    parser.add_argument("--no-demo", action="store_true", help="skip the sample-corpus check")
    args = parser.parse_args(argv)
    args.sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in args.sets if s not in LOADERS]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; known: {', '.join(SETS)}")
    if args.repeat < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--repeat and --limit must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 also when sets are missing (they are skipped)."""
    args = parse_args(argv)
    extractors = all_extractors()
    report: dict[str, Any] = {
        "machine": {**describe(PACKAGES), "loadavg_at_start": os.getloadavg()[0]},
        "settings": {
            "repeat": args.repeat,
            "limit": args.limit,
            "data": str(args.data),
            "decoding": "gzip -> bytes -> newsdesk.ingest.decoding.decode_html; "
            "every extractor gets the same str",
            "extractors": {
                "newsdesk": "ExtractStage(favor_precision=True)(Article(url, raw=html))",
                "newsdesk-recall": "ExtractStage(favor_precision=False)(Article(url, raw=html))",
                "trafilatura": "trafilatura.extract(html, include_comments=False)",
                "trafilatura-precision": "trafilatura.extract(html, include_comments=False, "
                "favor_precision=True)",
                "trafilatura metadata": "trafilatura.bare_extraction(html, with_metadata=True)",
            },
        },
        "sets": {},
    }
    for name in args.sets:
        marker, loader = LOADERS[name]
        folder = args.data / name
        if not (folder / marker).exists():
            out.print(f"[yellow]{name}: skipped, no data at {folder}[/]")
            report["sets"][name] = {"skipped": f"no data at {folder}"}
            continue
        pages = loader(folder, args.limit)
        if not pages:
            out.print(f"[yellow]{name}: skipped, no pages in {folder}[/]")
            continue
        report["sets"][name] = bench_set(
            name,
            pages,
            extractors,
            args.repeat,
            args.losses,
            args.loss_margin,
            args.save_predictions,
        )
    if not args.no_demo:
        report["sample_corpus"] = demo_check(extractors)
    report["machine"]["loadavg_at_end"] = os.getloadavg()[0]
    write_json_out(report, args.json_out, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
