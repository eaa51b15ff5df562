"""The ``newsdesk actors`` commands: list, show, merge, alias and rename actors across articles."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newsdesk.cli.app import app, console, errors, state
from newsdesk.cli.render import articles_table, print_json
from newsdesk.errors import StoreError
from newsdesk.service import ActorView

actors_app = typer.Typer(help="People, organisations and governments across articles.")
app.add_typer(actors_app, name="actors")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _fail(exc: Exception) -> typer.Exit:
    errors.print(f"[red]error[/] {escape(str(exc))}")
    return typer.Exit(1)


def _show(view: ActorView, as_json: bool) -> None:
    actor = view.summary.actor
    if as_json:
        print_json(
            dataclasses.asdict(actor)
            | {
                "articles": [a.id for a in view.articles],
                "titles_over_time": [
                    {
                        "title": t.title,
                        "article": t.article_id,
                        "published": t.published.isoformat() if t.published else None,
                    }
                    for t in view.titles
                ],
                "edited": view.summary.edited,
            }
        )
        return
    grid = Table.grid(padding=(0, 2))
    grid.add_row("key", escape(actor.key))
    grid.add_row("kind", actor.kind)
    grid.add_row("aliases", escape(", ".join(actor.aliases) or "—"))
    grid.add_row("affiliation", escape(actor.affiliation or "—"))
    grid.add_row("sector", escape(actor.sector or "—"))
    console.print(
        f"[bold]{escape(actor.name)}[/]" + (" [dim](edited)[/]" if view.summary.edited else "")
    )
    console.print(grid)
    if view.titles:
        table = Table(title="Titles over time")
        table.add_column("title")
        table.add_column("from")
        table.add_column("to")
        table.add_column("articles", justify="right")
        for title, first, last, count in _title_runs(view):
            table.add_row(escape(title), first, last, str(count))
        console.print(table)
    console.print(articles_table(view.articles, title="Articles naming this actor"))


def _title_runs(view: ActorView) -> list[tuple[str, str, str, int]]:
    """Consecutive articles giving the same title, as (title, first date, last date, count)."""
    runs: list[tuple[str, str, str, int]] = []
    for use in view.titles:
        when = use.published.strftime("%Y-%m-%d") if use.published else "undated"
        if runs and runs[-1][0] == use.title:
            title, first, _, count = runs[-1]
            runs[-1] = (title, first, when, count + 1)
        else:
            runs.append((use.title, when, when, 1))
    return runs


@actors_app.command("list")
def list_actors(
    ctx: typer.Context,
    query: Annotated[
        str | None, typer.Option(help="Only names or aliases containing this.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many.")] = 50,
    as_json: JsonFlag = False,
) -> None:
    """Actors across articles, most covered first."""
    found = state(ctx).desk().actors(query=query, limit=limit)
    if as_json:
        print_json([dataclasses.asdict(s.actor) | {"articles": s.articles} for s in found])
        return
    table = Table(title="Actors")
    for column in ("key", "name", "kind", "titles", "affiliation", "articles"):
        table.add_column(column, overflow="fold")
    for s in found:
        table.add_row(
            escape(s.actor.key), escape(s.actor.name), s.actor.kind,
            escape("; ".join(s.actor.titles[:3])), escape(s.actor.affiliation or ""),
            str(s.articles),
        )  # fmt: skip
    console.print(table)


@actors_app.command("show")
def show(ctx: typer.Context, key: str, as_json: JsonFlag = False) -> None:
    """One actor: aliases, titles over time, articles."""
    try:
        _show(state(ctx).desk().actor(key), as_json)
    except StoreError as exc:
        raise _fail(exc) from exc


@actors_app.command("merge")
def merge(ctx: typer.Context, into: str, other: str) -> None:
    """Make OTHER the same actor as INTO, for stored and later articles."""
    try:
        view = state(ctx).desk().merge_actors(into, other)
    except StoreError as exc:
        raise _fail(exc) from exc
    console.print(f"merged {escape(other)} into {escape(view.summary.actor.key)}")


@actors_app.command("alias")
def alias(ctx: typer.Context, key: str, name: str) -> None:
    """Let NAME refer to the actor KEY in later articles."""
    try:
        state(ctx).desk().alias_actor(key, name)
    except StoreError as exc:
        raise _fail(exc) from exc
    console.print(f"{escape(name)} now names {escape(key)}")


@actors_app.command("rename")
def rename(ctx: typer.Context, key: str, name: str) -> None:
    """Give the actor KEY a new display name."""
    try:
        state(ctx).desk().rename_actor(key, name)
    except StoreError as exc:
        raise _fail(exc) from exc
    console.print(f"{escape(key)} is now shown as {escape(name)}")
