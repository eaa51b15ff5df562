"""Commands that bring articles in: extract, ingest, demo, update, reprocess."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from newsdesk.cli.app import app, console, errors, state
from newsdesk.cli.enrichment import enrichment_view
from newsdesk.cli.render import BarProgress, detail_table, print_json, report_table
from newsdesk.errors import ConfigError, InputError
from newsdesk.serialize import article_dict
from newsdesk.service import IngestReport, analyze_articles, extract_articles


class Format(StrEnum):
    """Output formats of ``newsdesk extract``."""

    json = "json"
    jsonl = "jsonl"
    text = "text"


def _finish(report: IngestReport) -> None:
    console.print(report_table(report))
    if table := detail_table(report.results):
        console.print(table)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def extract(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to extract.")],
    output: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
) -> None:
    """Extract articles from files without storing them: one record per input."""
    records = []
    failed = False
    for item in extract_articles(paths):
        if isinstance(item, InputError):
            errors.print(f"[red]error[/] {escape(item.item)}: {escape(item.reason)}")
            failed = True
            continue
        record = article_dict(item)
        if output is Format.jsonl:
            print(json.dumps(record, ensure_ascii=False))
        elif output is Format.text:
            print(f"# {item.title or ''}\n\n{item.text}\n")
        else:
            records.append(record)
    if output is Format.json:
        print_json(records[0] if len(records) == 1 and len(paths) == 1 else records)
    if failed:
        raise typer.Exit(1)


@app.command()
def analyze(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to analyse.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON records.")] = False,
    published: Annotated[
        datetime | None,
        typer.Option(
            help="Publication date for pages that carry none (anchors 'Thursday').",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"],
        ),
    ] = None,
) -> None:
    """Extract and enrich files without storing them: actors, quotes, times, places, spans."""
    when = None
    if published is not None:
        when = published if published.tzinfo else published.replace(tzinfo=UTC)
    records = []
    failed = False
    for item in analyze_articles(paths, published=when):
        if isinstance(item, InputError):
            errors.print(f"[red]error[/] {escape(item.item)}: {escape(item.reason)}")
            failed = True
        elif as_json:
            records.append(article_dict(item))
        else:
            console.rule(escape(item.title or item.source))
            console.print(enrichment_view(item))
    if as_json:
        print_json(records[0] if len(records) == 1 and len(paths) == 1 else records)
    if failed:
        raise typer.Exit(1)


@app.command()
def ingest(
    ctx: typer.Context,
    sources: Annotated[
        list[str], typer.Argument(help="Files, folders, page URLs, feed URLs or files, OPML.")
    ],
) -> None:
    """Ingest sources into the database; exit 1 when some items failed."""
    desk = state(ctx).desk()
    with BarProgress("Ingesting") as bar:
        report = desk.ingest(sources, progress=bar)
    _finish(report)


@app.command()
def demo(ctx: typer.Context) -> None:
    """Ingest the bundled sample corpus (offline) and show what it holds."""
    desk = state(ctx).desk()
    with BarProgress("Sample corpus") as bar:
        report = desk.demo(progress=bar)
    console.print(report_table(report))
    if table := detail_table(report.results):
        console.print(table)
    from newsdesk.cli.reading import show_overview

    show_overview(desk)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def update(ctx: typer.Context) -> None:
    """Poll every followed feed once and ingest what is new."""
    desk = state(ctx).desk()
    with BarProgress("Polling feeds") as bar:
        report = desk.update_feeds(progress=bar)
    _finish(report)


@app.command()
def reprocess(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option(help="Redo every article, stale or not.")] = False,
    stage: Annotated[
        str | None, typer.Option(help="Redo only articles this stage's older version produced.")
    ] = None,
) -> None:
    """Re-run the pipeline on stored articles' raw documents where a stage version changed."""
    desk = state(ctx).desk()
    try:
        with BarProgress("Reprocessing") as bar:
            changed = desk.reprocess(force=force, stage=stage, progress=bar)
    except ConfigError as exc:
        errors.print(f"[red]error[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    console.print(f"{changed} article(s) reprocessed; stages: {', '.join(desk.pipeline.stamps)}")
