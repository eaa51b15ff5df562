"""The ``newsdesk feeds`` commands: follow, list, remove, import and export feed lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newsdesk.cli.app import app, console, errors, state
from newsdesk.cli.render import print_json

feeds_app = typer.Typer(help="Follow feeds and import or export OPML feed lists.")
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def add(ctx: typer.Context, url: Annotated[str, typer.Argument(help="Feed URL.")]) -> None:
    """Follow a feed; `newsdesk update` polls it."""
    if not url.startswith(("http://", "https://")):
        errors.print(f"[red]error[/] {escape(url)}: a feed URL must be http(s)")
        raise typer.Exit(2)
    feed, new = state(ctx).desk().add_feed(url)
    console.print(f"{'following' if new else 'already following'} {escape(feed.url)}")


@feeds_app.command("list")
def list_feeds(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Followed feeds with their last fetch state."""
    feeds = state(ctx).desk().feeds()
    if as_json:
        print_json(
            [
                {
                    "url": f.url,
                    "title": f.title,
                    "site_url": f.site_url,
                    "last_fetched": f.last_fetched.isoformat() if f.last_fetched else None,
                    "last_status": f.last_status,
                    "last_error": f.last_error,
                    "error_count": f.error_count,
                }
                for f in feeds
            ]
        )
        return
    table = Table(title="Feeds")
    for column in ("url", "title", "last fetch", "status", "error"):
        table.add_column(column, overflow="fold")
    for f in feeds:
        when = f.last_fetched.strftime("%Y-%m-%d %H:%M") if f.last_fetched else "never"
        table.add_row(
            escape(f.url),
            escape(f.title or ""),
            when,
            str(f.last_status or ""),
            escape(f.last_error or ""),
        )
    console.print(table)


@feeds_app.command("remove")
def remove(ctx: typer.Context, url: Annotated[str, typer.Argument(help="Feed URL.")]) -> None:
    """Stop following a feed (its articles stay)."""
    if not state(ctx).desk().remove_feed(url):
        errors.print(f"[red]error[/] not following {escape(url)}")
        raise typer.Exit(1)
    console.print(f"stopped following {escape(url)}")


@feeds_app.command("import")
def import_opml(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="OPML file.", exists=True, dir_okay=False)],
) -> None:
    """Follow every feed an OPML file lists; broken entries are reported."""
    result = state(ctx).desk().import_opml(path)
    console.print(f"{len(result.added)} feeds added, {len(result.known)} already followed")
    for error in result.errors:
        errors.print(f"[red]error[/] {escape(error.item)}: {escape(error.reason)}")
    if result.errors:
        raise typer.Exit(1)


@feeds_app.command("export")
def export(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
) -> None:
    """Write the followed feeds as OPML (to standard output by default)."""
    document = state(ctx).desk().export_opml()
    if output is None:
        print(document)
    else:
        output.write_text(document, encoding="utf-8")
