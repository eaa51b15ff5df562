"""Commands that read the store: articles, article, search, status."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from newsdesk.cli.app import app, console, errors, state
from newsdesk.cli.enrichment import enrichment_view
from newsdesk.cli.render import articles_table, plain_snippet, print_json, search_table
from newsdesk.errors import StoreError
from newsdesk.serialize import related_link_dict, stored_article_dict
from newsdesk.service import Newsdesk

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def show_overview(desk: Newsdesk, *, limit: int = 60) -> None:
    """What the store holds: counts, then the latest articles."""
    stats = desk.stats()
    console.print(articles_table(desk.articles(limit=limit), title="Latest articles"))
    console.print(
        f"[bold]{stats.articles}[/] articles ({stats.originals} originals,"
        f" {stats.duplicates} copies) from {stats.outlets} outlets; {stats.feeds} feeds followed;"
        f" {stats.failures} failures logged."
    )


@app.command()
def articles(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many to list.")] = 50,
    offset: Annotated[int, typer.Option(help="How many to skip.")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """List stored articles, newest first."""
    found = state(ctx).desk().articles(limit=limit, offset=offset)
    if as_json:
        print_json([stored_article_dict(a, with_text=False) for a in found])
    else:
        console.print(articles_table(found))


@app.command()
def article(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="Article id (see `newsdesk articles`).")],
    as_json: JsonFlag = False,
) -> None:
    """Show one article: metadata, clean text, related links and copies."""
    try:
        view = state(ctx).desk().article(article_id)
    except StoreError as exc:
        errors.print(f"[red]error[/] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    if as_json:
        data = stored_article_dict(view.stored)
        data["copies"] = [c.id for c in view.copies]
        print_json(data)
        return
    a = view.stored.article
    meta = Table.grid(padding=(0, 2))
    meta.add_row("site", escape(a.site or a.domain or "—"))
    meta.add_row("url", escape(a.canonical_url))
    meta.add_row("authors", escape(", ".join(a.authors) or "—"))
    when = a.published.value.isoformat() if a.published.value else "unknown"
    meta.add_row("published", f"{when} [dim](from {a.published.source.value})[/]")
    meta.add_row("language", a.language or "—")
    if view.original:
        meta.add_row("copy of", f"{view.original.id}: {escape(view.original.article.title or '')}")
    if view.copies:
        meta.add_row("copies", ", ".join(str(c.id) for c in view.copies))
    console.print(Panel(meta, title=escape(a.title or "(no title)"), title_align="left"))
    console.print(escape(a.text), soft_wrap=False)
    if a.related_links:
        table = Table(title="Related links the page carried (kept out of the text)")
        table.add_column("block")
        table.add_column("title", overflow="fold")
        table.add_column("teaser", overflow="fold")
        for link in a.related_links:
            d = related_link_dict(link)
            table.add_row(escape(d["block"] or ""), escape(d["title"]), escape(d["teaser"] or ""))
        console.print(table)
    console.print(enrichment_view(a))


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find in titles and texts.")],
    limit: Annotated[int, typer.Option(help="How many results.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Full-text search over stored articles."""
    hits = state(ctx).desk().search(query, limit=limit)
    if as_json:
        print_json(
            [
                stored_article_dict(h.article, with_text=False)
                | {"rank": h.rank, "snippet": plain_snippet(h.snippet)}
                for h in hits
            ]
        )
    else:
        console.print(search_table(hits, query))


@app.command()
def status(ctx: typer.Context) -> None:
    """Counts and the latest ingest failures."""
    desk = state(ctx).desk()
    show_overview(desk, limit=10)
    failures = desk.failures(limit=20)
    if failures:
        table = Table(title="Latest failures")
        table.add_column("when")
        table.add_column("item", overflow="fold")
        table.add_column("reason", overflow="fold")
        for when, item, reason in failures:
            table.add_row(when.strftime("%Y-%m-%d %H:%M"), escape(item), escape(reason))
        console.print(table)
