"""The ``newsdesk events`` command: stored events filtered by actor, type, status, date, story."""

from __future__ import annotations

import csv
import dataclasses
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from newsdesk.cli.app import app, console, errors, state
from newsdesk.cli.render import print_json
from newsdesk.errors import ConfigError, StoreError
from newsdesk.service import Newsdesk
from newsdesk.service.events import EventView

# How sure the text is that it happened: done things green, talk yellow, refusals red.
STATUS_STYLE = {
    "occurred": "green",
    "ongoing": "bright_green",
    "planned": "cyan",
    "proposed": "cyan",
    "demanded": "yellow",
    "conditional": "yellow",
    "declined": "red",
    "threatened": "bright_red",
    "denied": "magenta",
    "hypothetical": "dim",
    "historical": "blue",
}

CSV_COLUMNS = (
    "article_id", "published", "outlet", "title", "date", "granularity", "status", "type",
    "mode", "cameo", "actors", "actor_names", "recipients", "recipient_names", "place",
    "country_code", "condition", "asserted_by", "summary", "trigger", "confidence", "extractor",
)  # fmt: skip

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_since(value: str) -> date:
    """The first day of YYYY, YYYY-MM or YYYY-MM-DD."""
    shape = _PARTIAL_DATE.match(value.strip())
    try:
        if shape is None:
            raise ValueError(value)
        year, month, day = shape.groups()
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None


def event_dict(view: EventView) -> dict[str, Any]:
    """One event as JSON: the record's fields, its article, and participants' names."""
    return {
        "article_id": view.article_id,
        "title": view.title,
        "outlet": view.outlet,
        "published": view.published.isoformat() if view.published else None,
        **dataclasses.asdict(view.event),
        "actor_names": list(view.actor_names),
        "recipient_names": list(view.recipient_names),
    }


def write_csv(views: Sequence[EventView]) -> None:
    """The events as CSV on standard output, one row each, lists joined with "; "."""
    out = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    out.writeheader()
    for view in views:
        row = event_dict(view)
        for name in ("actors", "actor_names", "recipients", "recipient_names"):
            row[name] = "; ".join(row[name])
        out.writerow(row)


def events_table(views: Sequence[EventView]) -> Table:
    """Events as a table: when, how sure, what, who → whom, and the article."""
    table = Table(title="Events")
    table.add_column("date")
    table.add_column("status")
    table.add_column("type")
    table.add_column("actors → recipients", overflow="fold")
    table.add_column("summary", overflow="fold")
    table.add_column("article", justify="right")
    for view in views:
        event = view.event
        if event.date:
            when = escape(event.date)
        elif view.published:
            when = f"[dim]{view.published:%Y-%m-%d}[/]"  # no date of its own: the article's
        else:
            when = "—"
        style = STATUS_STYLE.get(event.status, "white")
        who = ", ".join(view.actor_names) or "?"
        if view.recipient_names:
            who += " → " + ", ".join(view.recipient_names)
        what = escape(event.summary or f"“{event.trigger}”")
        if event.condition:
            what += f" [dim](if: {escape(event.condition)})[/]"
        table.add_row(
            when, f"[{style}]{event.status}[/]", escape(event.type), escape(who),
            what, str(view.article_id),
        )  # fmt: skip
    return table


def story_article_ids(desk: Newsdesk, story_id: int) -> list[int]:
    """The ids of a story's articles; exits with a message when there are no stories."""
    stories = getattr(desk, "stories", None)
    article_ids = getattr(stories, "article_ids", None)
    if article_ids is None:
        errors.print("[red]error[/] stories are not available")
        raise typer.Exit(1)
    try:
        return [int(i) for i in article_ids(story_id)]
    except StoreError as exc:
        errors.print(f"[red]error[/] {escape(str(exc))}")
        raise typer.Exit(1) from exc


@app.command()
def events(
    ctx: typer.Context,
    actor: Annotated[
        str | None, typer.Option(help="Only events this actor did or was a recipient of.")
    ] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Only this PLOVER type (CONSULT, REJECT, ...).")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="Only this status (occurred, declined, proposed, ...).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only events on or after YYYY[-MM[-DD]] (undated: by publication)."),
    ] = None,
    story: Annotated[int | None, typer.Option(help="Only events of this story's articles.")] = None,
    limit: Annotated[int, typer.Option(help="How many at most.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """Events across stored articles: who did what to whom, and whether it happened."""
    if as_json and as_csv:
        raise typer.BadParameter("choose --json or --csv, not both")
    day = parse_since(since) if since else None
    desk = state(ctx).desk()
    article_ids = story_article_ids(desk, story) if story is not None else None
    try:
        found = desk.events(
            actor=actor, type=event_type, status=status, since=day, article_ids=article_ids,
            limit=limit,
        )  # fmt: skip
    except (StoreError, ConfigError) as exc:
        errors.print(f"[red]error[/] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    if as_json:
        print_json([event_dict(v) for v in found])
    elif as_csv:
        write_csv(found)
    elif found:
        console.print(events_table(found))
    else:
        console.print("no events match")
