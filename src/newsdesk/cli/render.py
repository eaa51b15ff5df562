"""Terminal output: Rich progress bars and tables, JSON lines, highlighted snippets."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from newsdesk.cli.app import console
from newsdesk.model import ItemResult, Outcome, StoredArticle
from newsdesk.service import IngestReport
from newsdesk.store import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit

OUTCOME_STYLE = {
    Outcome.NEW: "green",
    Outcome.UNCHANGED: "dim",
    Outcome.DUPLICATE: "cyan",
    Outcome.NEAR_DUPLICATE: "cyan",
    Outcome.FAILED: "red",
}


class BarProgress:
    """A Rich progress bar that is also a ``ProgressSink``; silent when output is not a TTY."""

    def __init__(self, label: str) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}", style="dim"),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self.task = self.progress.add_task(label, total=0, last="")

    def __enter__(self) -> BarProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def expect(self, count: int) -> None:
        """Grow the total as sources reveal how many items they hold."""
        task = self.progress.tasks[0]
        self.progress.update(self.task, total=(task.total or 0) + count)

    def done(self, result: ItemResult) -> None:
        """Advance by one item and show its name."""
        name = result.origin.rsplit("/", 1)[-1][:40]
        self.progress.update(self.task, advance=1, last=escape(name))


def print_json(data: Any) -> None:
    """Pretty JSON on standard output (not through Rich, so it stays machine-readable)."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


def report_table(report: IngestReport, *, show: int = 40) -> Table:
    """The ingest summary: counts per outcome, then the items that need a look."""
    table = Table(title="Ingest summary", show_lines=False)
    table.add_column("outcome")
    table.add_column("items", justify="right")
    counts = report.counts()
    for outcome in Outcome:
        table.add_row(f"[{OUTCOME_STYLE[outcome]}]{outcome.value}[/]", str(counts.get(outcome, 0)))
    return table


def detail_table(results: Iterable[ItemResult], *, limit: int = 40) -> Table | None:
    """Failed, duplicate and near-duplicate items with their reasons."""
    rows = [r for r in results if r.outcome not in (Outcome.NEW, Outcome.UNCHANGED)]
    if not rows:
        return None
    table = Table(title="Items to look at", show_lines=False)
    table.add_column("item", overflow="fold")
    table.add_column("outcome")
    table.add_column("details", overflow="fold")
    for r in rows[:limit]:
        if r.outcome is Outcome.FAILED:
            details = r.reason or ""
        else:
            details = f"copy of article {r.duplicate_of} (similarity {r.similarity:.2f})"
        table.add_row(
            escape(r.origin), f"[{OUTCOME_STYLE[r.outcome]}]{r.outcome.value}[/]", escape(details)
        )
    if len(rows) > limit:
        table.caption = f"{len(rows) - limit} more not shown"
    return table


def articles_table(articles: Iterable[StoredArticle], *, title: str = "Articles") -> Table:
    """A list of stored articles."""
    table = Table(title=title)
    table.add_column("id", justify="right")
    table.add_column("published")
    table.add_column("site")
    table.add_column("title", overflow="fold")
    table.add_column("copy of", justify="right")
    for stored in articles:
        a = stored.article
        when = a.published.value.strftime("%Y-%m-%d %H:%M") if a.published.value else "—"
        if a.published.value and a.published.date_only:
            when = a.published.value.strftime("%Y-%m-%d")
        copy = str(stored.duplicate_of.original_id) if stored.duplicate_of else ""
        table.add_row(
            str(stored.id), when, escape(a.site or a.domain or ""), escape(a.title or ""), copy
        )
    return table


def highlighted(snippet: str) -> str:
    """A search snippet with its match markers turned into Rich markup."""
    return (
        escape(snippet)
        .replace(HIGHLIGHT_START, "[bold yellow]")
        .replace(HIGHLIGHT_END, "[/bold yellow]")
    )


def plain_snippet(snippet: str) -> str:
    """A search snippet with match markers as ``[...]`` for JSON output."""
    return snippet.replace(HIGHLIGHT_START, "[").replace(HIGHLIGHT_END, "]")


def search_table(hits: Iterable[SearchHit], query: str) -> Table:
    """Search results with highlighted snippets."""
    table = Table(title=f"Search: {escape(query)}", show_lines=True)
    table.add_column("id", justify="right")
    table.add_column("article", overflow="fold")
    for hit in hits:
        a = hit.article.article
        table.add_row(
            str(hit.article.id),
            f"[bold]{escape(a.title or '')}[/] [dim]{escape(a.site or '')}[/]\n"
            + highlighted(hit.snippet),
        )
    return table
