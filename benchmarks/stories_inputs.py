"""What the story benchmark feeds the systems: gold docs, newsdesk's analyses, embeddings."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from machine import ROOT
from newsdesk.errors import InputError, StageError
from newsdesk.ingest.decoding import decode_html, decode_text
from newsdesk.model import Article, RawKind
from newsdesk.pipeline import Pipeline
from newsdesk.service.offline import demo_corpus
from newsdesk.stories.documents import StoryDoc, event_signature, lead_actors

OUT = ROOT / "benchmarks" / "out"
WORKER = ROOT / "benchmarks" / "embed_worker.py"
ITEMS = ("actors", "events", "places")  # the bonus kinds; "leads" is asked for on its own
ANALYSIS_VERSION = 2  # 2: records carry the docs' leads


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One document of a gold set: its text, its gold cluster and the topic holding it."""

    id: int
    key: str  # the set's own id
    title: str
    text: str
    cluster: str
    topic: str  # ECB+ topic (two twin events); the cluster itself where a set has none


def load_set(path: Path, limit: int | None) -> list[GoldDoc]:
    """A set's docs in the order the set gives (its ``order`` field)."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: r["order"])
    made = []
    for n, r in enumerate(rows[:limit]):
        topic = str(r.get("topic") or r["cluster"])
        made.append(GoldDoc(n, str(r["id"]), r.get("title") or "", r.get("text") or "",
                            str(r["cluster"]), topic))  # fmt: skip
    return made


def digest(docs: Sequence[GoldDoc]) -> str:
    """A short hash of the docs' ids and texts, keying every cache."""
    h = hashlib.sha256()
    for d in docs:
        h.update(f"{d.key}\x00{d.title}\x00{d.text}\x01".encode())
    return h.hexdigest()[:16]


# ----------------------------------------------------------------------- newsdesk analysis


def analyse_one(pipeline: Pipeline, doc: GoldDoc) -> dict[str, Any]:
    """Run the full pipeline on one doc given as a plain-text scrape (title line, then body)."""
    article = Article(url=f"https://bench.invalid/{doc.key}", source=doc.key,
                      raw_kind=RawKind.TEXT, raw=f"{doc.title}\n\n{doc.text}")  # fmt: skip
    try:
        done = pipeline(article)
    except (InputError, StageError) as exc:
        return {"error": str(exc), "actors": [], "events": [], "places": [], "dates": [],
                "leads": []}  # fmt: skip
    published = done.published.value
    return {
        "actors": list(dict.fromkeys(a.key for a in done.actors)),
        "events": list(dict.fromkeys(event_signature(e) for e in done.events)),
        "places": list(dict.fromkeys(p.name for p in done.places)),
        "leads": list(lead_actors(done.actors, done.mentions)),
        "dates": sorted({e.date for e in done.events if e.date}),
        "times": sorted({t.value for t in done.times
                         if t.value and not t.anchored and t.value[:1].isdigit()}),
        "published": published.isoformat() if published else None,
        "stages": list(done.processed_by),
    }  # fmt: skip


def analysed(name: str, docs: Sequence[GoldDoc], console: Any) -> dict[str, Any]:
    """newsdesk's analysis of every doc (actor keys, event signatures, places, absolute dates),
    cached under ``benchmarks/out`` by the docs' hash; computed once, which takes minutes."""
    path = OUT / f"stories-analysed-{name}.json"
    key = f"{digest(docs)}-v{ANALYSIS_VERSION}"
    if path.exists():
        cached = json.loads(path.read_text("utf-8"))
        if cached.get("key") == key:
            return dict(cached)
    console.print(f"{name}: analysing {len(docs)} docs with newsdesk's pipeline (cached after)")
    pipeline = Pipeline.from_config()
    records, started = [], time.perf_counter()
    for n, doc in enumerate(docs):
        records.append(analyse_one(pipeline, doc))
        if n % 100 == 99:
            console.print(f"  {n + 1} docs, {time.perf_counter() - started:.0f} s")
    result = {"key": key, "seconds": time.perf_counter() - started, "docs": records}
    OUT.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False), "utf-8")
    return result


def sample_corpus() -> tuple[list[StoryDoc], list[str]]:
    """The bundled sample corpus through the full pipeline (real pages, dates, copies linked as
    its gold says), in gold order, and each doc's gold story."""
    corpus = demo_corpus()
    gold = json.loads((corpus / "gold.json").read_text("utf-8"))
    cases = sorted(gold)
    number = {case: n for n, case in enumerate(cases)}
    pipeline, docs = Pipeline.from_config(), []
    for n, case in enumerate(cases):
        body = (corpus / case).read_bytes()
        kind, raw = ((RawKind.TEXT, decode_text(body)[0]) if case.endswith(".txt")
                     else (RawKind.HTML, decode_html(body)[0]))  # fmt: skip
        a = pipeline(Article(url=(corpus / case).as_uri(), source=case, raw=raw, raw_kind=kind))
        docs.append(StoryDoc(
            id=n, title=a.title or "", text=a.text, published=a.published.value, outlet=a.site,
            actors=tuple(x.key for x in a.actors), places=tuple(x.name for x in a.places),
            events=tuple(event_signature(e) for e in a.events),
            leads=lead_actors(a.actors, a.mentions),
            duplicate_of=number.get(gold[case].get("syndicated_from") or ""),
        ))  # fmt: skip
    return docs, [gold[case]["story"] for case in cases]


def story_docs(
    docs: Sequence[GoldDoc], records: Sequence[dict[str, Any]] | None,
    use: Sequence[str] = (*ITEMS, "leads"),
) -> list[StoryDoc]:  # fmt: skip
    """The clusterer's docs: text and title, plus the analysed items named in ``use``. No
    publication date: ECB+ and GoogleNews give none."""
    made = []
    for n, d in enumerate(docs):
        items = {k: tuple(records[n][k]) if records and k in use else ()
                 for k in (*ITEMS, "leads")}  # fmt: skip
        made.append(StoryDoc(id=d.id, title=d.title, text=d.text, published=None, outlet=None,
                             actors=items["actors"], events=items["events"],
                             places=items["places"], leads=items["leads"]))  # fmt: skip
    return made


def coverage(records: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Share of docs with at least one of each item, and items per doc."""
    n = max(len(records), 1)
    found: dict[str, float] = {}
    for k in (*ITEMS, "dates"):
        found[f"docs_with_{k}"] = sum(1 for r in records if r[k]) / n
        found[f"{k}_per_doc"] = sum(len(r[k]) for r in records) / n
    found["failed"] = sum(1 for r in records if "error" in r)
    return found


def twin_separation(docs: Sequence[GoldDoc], records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Does each kind of item tell an ECB+ doc's event from its twin? Per doc with items: the
    share of them the rest of its gold cluster has vs the share the twin cluster has."""
    by_cluster: dict[str, list[int]] = {}
    twins: dict[str, set[str]] = {}
    for n, d in enumerate(docs):
        by_cluster.setdefault(d.cluster, []).append(n)
        twins.setdefault(d.topic, set()).add(d.cluster)
    found: dict[str, Any] = {}
    for kind in (*ITEMS, "leads"):
        own_wins = twin_wins = ties = 0
        for n, d in enumerate(docs):
            items, other = set(records[n].get(kind, ())), sorted(twins[d.topic] - {d.cluster})
            if not items or not other:
                continue
            own = {x for m in by_cluster[d.cluster] if m != n for x in records[m].get(kind, ())}
            twin = {x for m in by_cluster[other[0]] for x in records[m].get(kind, ())}
            a, b = len(items & own), len(items & twin)
            own_wins, twin_wins, ties = own_wins + (a > b), twin_wins + (a < b), ties + (a == b)
        found[kind] = {"own_event_more": own_wins, "twin_more": twin_wins, "tie": ties}
    return found


# ------------------------------------------------------------------------------ embeddings


def embed_text(doc: GoldDoc) -> str:
    """What the sentence model reads: the title, then the text when there is one."""
    return f"{doc.title}. {doc.text}" if doc.text else doc.title


def encode(python: str, docs: Sequence[GoldDoc], path: Path) -> dict[str, Any]:
    """Run the worker in the embeddings venv; returns its report (encode seconds, count)."""
    lines = "".join(json.dumps({"id": d.key, "text": embed_text(d)}) + "\n" for d in docs)
    started = time.perf_counter()
    done = subprocess.run([python, str(WORKER), str(path)], input=lines, text=True,
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"embed worker failed: {done.stderr.strip()[-800:]}")
    report = dict(json.loads(done.stderr.strip().splitlines()[-1]))
    report["wall_s"] = time.perf_counter() - started  # model load and process start included
    return report


def embeddings(
    name: str, docs: Sequence[GoldDoc], python: str | None, console: Any
) -> tuple[np.ndarray, dict[str, Any]] | None:
    """The docs' L2-normalised embeddings, cached as ``out/emb-NAME.npy`` with a ``.json``
    beside it (encode seconds, docs hash); None when neither a cache nor a python is there."""
    matrix_path, meta_path = OUT / f"emb-{name}.npy", OUT / f"emb-{name}.json"
    key = digest(docs)
    if matrix_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text("utf-8"))
        matrix = np.load(matrix_path)
        if meta.get("key") == key and matrix.shape[0] == len(docs):
            return matrix, dict(meta)
    if python is None:
        console.print(f"[yellow]{name}: embedding rows skipped: no cache at {matrix_path} "
                      "and no --embed-python to compute one[/]")  # fmt: skip
        return None
    console.print(f"{name}: encoding {len(docs)} docs with {python} (cached after)")
    OUT.mkdir(parents=True, exist_ok=True)
    meta = {"key": key, **encode(python, docs, matrix_path)}
    meta_path.write_text(json.dumps(meta), "utf-8")
    return np.load(matrix_path), meta


def install_mib(path: Path) -> float | None:
    """Disk use of a venv (``du -sk``), None when it is not there."""
    if not path.exists():
        return None
    done = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=False)
    return int(done.stdout.split()[0]) / 1024 if done.returncode == 0 else None


def venv_of(python: str) -> Path:
    """The venv a ``.../bin/python`` belongs to."""
    return Path(python).absolute().parent.parent  # not resolved: bin/python is a symlink


if __name__ == "__main__":  # encode a set by hand: stories_inputs.py NAME PYTHON
    from rich.console import Console

    data = ROOT.parent / "shared" / "bench" / "stories" / sys.argv[1] / "docs.jsonl"
    embeddings(sys.argv[1], load_set(data, None), sys.argv[2], Console())
