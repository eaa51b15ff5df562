"""The story commands: stories, story (timeline, quotes, what's new), related, recluster."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from newsdesk.cli.app import app, console, errors, state
from newsdesk.cli.render import print_json
from newsdesk.errors import StoreError
from newsdesk.service.storyviews import StoryListing, StoryView
from newsdesk.stories.sayings import WhoSaidWhat
from newsdesk.stories.timeline import Citation, Timeline, TimelineEntry
from newsdesk.stories.whatsnew import Basis, WhatsNew

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
_BARS = "▁▂▃▄▅▆▇█"


def plain(value: Any) -> Any:
    """A view dataclass as JSON-ready data: dates as ISO text, enums as their values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def parse_when(text: str) -> datetime:
    """An ISO date or date-time; without a zone it is UTC."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not an ISO date or date-time") from exc
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def sparkline(counts: Sequence[int]) -> str:
    """Articles per day as block characters."""
    top = max(counts, default=0)
    if not top:
        return ""
    return "".join(_BARS[round(c / top * (len(_BARS) - 1))] if c else " " for c in counts)


def _day(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d") if when else "—"


def _cited(citations: Sequence[Citation]) -> str:
    parts = []
    for c in citations:
        copies = f" +{len(c.copies)} cop{'y' if len(c.copies) == 1 else 'ies'}" if c.copies else ""
        parts.append(f"[{c.article_id}] {c.outlet or '?'}{copies}")
    return escape("; ".join(parts))


def _fail(exc: Exception) -> typer.Exit:
    errors.print(f"[red]error[/] {escape(str(exc))}")
    return typer.Exit(1)


def _listing_json(listing: StoryListing) -> dict[str, Any]:
    data: dict[str, Any] = plain(listing.story)
    data["recent"] = listing.recent
    data["daily"] = [{"day": d.isoformat(), "articles": n} for d, n in listing.daily]
    data["articles"] = [
        {"id": m.article_id, "url": m.url, "title": m.title, "outlet": m.outlet,
         "published": m.published.isoformat() if m.published else None,
         "copy_of": m.duplicate_of}
        for m in listing.members
    ]  # fmt: skip
    return data


@app.command("stories")
def list_stories(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="Only stories with an article since this ISO date.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many stories.")] = 30,
    as_json: JsonFlag = False,
) -> None:
    """Stories, most active first, with outlets and articles per day."""
    found = (
        state(ctx).desk().stories.stories(since=parse_when(since) if since else None, limit=limit)
    )
    if as_json:
        print_json([_listing_json(x) for x in found])
        return
    table = Table(title="Stories")
    for column in ("id", "title", "arts", "outlets", "indep", "seen", "per day"):
        numeric = column in ("id", "arts", "outlets", "indep")
        wide = column == "title"
        table.add_column(column, justify="right" if numeric else "left", no_wrap=not wide,
                         min_width=20 if wide else None)  # fmt: skip
    table.caption = "arts: articles (copies included); indep: independent outlets"
    for x in found:
        s = x.story
        seen = f"{_day(s.first_seen)[5:]}→{_day(s.last_seen)[5:]}"
        if s.first_seen and s.last_seen and s.first_seen.year != s.last_seen.year:
            seen = f"{_day(s.first_seen)}→{_day(s.last_seen)}"
        table.add_row(
            str(s.id), escape(s.title or ""), str(s.article_count), str(s.outlet_count),
            str(s.independent_count), seen, sparkline([n for _, n in x.daily]),
        )  # fmt: skip
    console.print(table)


@app.command("story")
def show_story(
    ctx: typer.Context,
    story_id: Annotated[int, typer.Argument(help="Story id (see `newsdesk stories`).")],
    timeline: Annotated[
        bool, typer.Option("--timeline", help="Key events by their dates.")
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="With --timeline: every event, not only the key ones.")
    ] = False,
    quotes: Annotated[bool, typer.Option("--quotes", help="Who said what.")] = False,
    since: Annotated[str | None, typer.Option(help="What is new since this ISO date.")] = None,
    by: Annotated[Basis, typer.Option(help="Judge --since by ingest or publication.")] = (
        Basis.INGESTED
    ),
    as_json: JsonFlag = False,
) -> None:
    """One story: summary and articles, or its timeline, quotes, or what is new."""
    stories = state(ctx).desk().stories
    try:
        if timeline:
            found: Any = stories.timeline(story_id)
        elif quotes:
            found = stories.quotes(story_id)
        elif since:
            found = stories.whats_new(story_id, parse_when(since), basis=by)
        else:
            found = stories.story(story_id)
    except StoreError as exc:
        raise _fail(exc) from exc
    if as_json:
        print_json(plain(found))
    elif isinstance(found, Timeline):
        _print_timeline(found, show_all=show_all)
    elif isinstance(found, WhoSaidWhat):
        _print_quotes(found)
    elif isinstance(found, WhatsNew):
        _print_whats_new(found)
    else:
        _print_story(found)


def _print_story(view: StoryView) -> None:
    s = view.story
    meta = Table.grid(padding=(0, 2))
    meta.add_row("articles", f"{s.article_count} ({s.independent_count} independent outlets,"
                 f" {s.outlet_count} in all)")  # fmt: skip
    meta.add_row("seen", f"{_day(s.first_seen)} → {_day(s.last_seen)}")
    if view.requested != s.id:
        meta.add_row("note", f"story {view.requested} was merged into {s.id}")
    if view.merged:
        meta.add_row("merged", ", ".join(str(i) for i in view.merged))
    console.print(Panel(meta, title=f"{s.id}: {escape(s.title or '')}", title_align="left"))
    for sentence in view.summary:
        console.print(f"• {escape(sentence.text)} [dim][{sentence.article_id}] "
                      f"{escape(sentence.outlet or '')}[/]")  # fmt: skip
    table = Table(title="Articles")
    for column in ("id", "published", "outlet", "title", "copy of"):
        table.add_column(column, overflow="fold")
    for m in view.members:
        table.add_row(str(m.article_id), _day(m.published), escape(m.outlet or ""),
                      escape(m.title or ""), str(m.duplicate_of or ""))  # fmt: skip
    console.print(table)


def _event(entry: TimelineEntry) -> str:
    return escape(entry.label) + (" [dim](reported)[/]" if entry.dated_by == "reported" else "")


def _status(entry: TimelineEntry) -> str:
    before = f" [dim]← {entry.previous.split('|')[-1]}[/]" if entry.previous else ""
    return entry.status + before


def _print_timeline(timeline: Timeline, *, show_all: bool = False) -> None:
    """Background first (folded to its key entries), then the story's days, then the undated
    group; only key entries unless ``show_all``."""
    if not timeline.days:
        console.print("No events recorded for this story yet.")
        return
    shown = timeline if show_all else timeline.only_key()
    background = [(d, e) for d in shown.days if d.background for e in d.entries]
    if background:
        console.print("[bold]Background[/] [dim](before the story)[/]")
        for day, entry in background:
            console.print(f"  [dim]{escape(day.label)}[/] {entry.status}: {escape(entry.label)} "
                          f"[dim]{_cited(entry.citations)}[/]")  # fmt: skip
    table = Table(title="Timeline (by event date)", show_lines=False)
    for column in ("when", "status", "event", "articles"):
        table.add_column(column, overflow="fold")
    for day in shown.days:
        if day.background:
            continue
        for n, entry in enumerate(day.entries):
            when = escape(day.label) if n == 0 else ""
            table.add_row(when, _status(entry), _event(entry), _cited(entry.citations),
                          end_section=n == len(day.entries) - 1)  # fmt: skip
    what = "every event" if show_all else "key events"
    table.caption = (
        f"{what}: {len(shown.entries)} of {timeline.total}"
        + ("" if show_all else "; --all shows every event")
        + "; (reported): dated by the first article reporting it"
    )
    console.print(table)


def _print_quotes(said: WhoSaidWhat) -> None:
    for speaker in said.actors:
        table = Table(title=f"{escape(speaker.name)}", show_lines=False)
        table.add_column("when")
        table.add_column("said / position", overflow="fold")
        table.add_column("articles", overflow="fold")
        for p in speaker.positions:
            table.add_row(p.date or _day(p.first_reported), f"[bold]{p.status}[/] "
                          f"{escape(p.label)}", _cited(p.citations))  # fmt: skip
        for q in speaker.quotes:
            table.add_row(_day(q.first_reported), escape(q.content), _cited(q.citations))
        console.print(table)
    if said.unattributed:
        console.print(f"[dim]{said.unattributed} quotes without a resolved speaker[/]")


def _print_whats_new(new: WhatsNew) -> None:
    console.print(f"New since {new.since.isoformat()} (by {new.basis.value} time)")
    if new.empty:
        console.print("Nothing new.")
        return
    table = Table(show_lines=False)
    table.add_column("what")
    table.add_column("details", overflow="fold")
    table.add_column("articles", overflow="fold")
    for c in new.articles:
        table.add_row("article", escape(c.title or ""), _cited([c]))
    for e in new.events:
        table.add_row("event", f"{e.status}: {escape(e.label)}", _cited(e.citations))
    for ch in new.changes:
        table.add_row("status", f"{ch.before} → {ch.after}: {escape(ch.label)}",
                      _cited(ch.citations))  # fmt: skip
    for q in new.quotes:
        table.add_row("quote", f"{escape(q.name)}: {escape(q.saying.content)}",
                      _cited(q.saying.citations))  # fmt: skip
    for a in new.actors:
        table.add_row("actor", escape(a.name), _cited(a.citations))
    console.print(table)


@app.command("related")
def related(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="Article id (see `newsdesk articles`).")],
    k: Annotated[int, typer.Option("-k", help="How many related articles.")] = 5,
    as_json: JsonFlag = False,
) -> None:
    """Related articles with a reason, and how the page's own related links compare."""
    try:
        view = state(ctx).desk().stories.related(article_id, k=k)
    except StoreError as exc:
        raise _fail(exc) from exc
    if as_json:
        print_json(
            {"article": article_id, "story": view.story_id, "related": plain(view.picks),
             "page_links": plain(view.page_links)}
        )  # fmt: skip
        return
    table = Table(title=f"Related to {article_id}: {escape(view.article.article.title or '')}")
    for column in ("id", "story", "score", "title", "reason"):
        table.add_column(column, overflow="fold")
    for p in view.picks:
        table.add_row(str(p.article_id), str(p.story_id), f"{p.score:.2f}",
                      escape(p.title or ""), escape(p.reason))  # fmt: skip
    console.print(table)
    if view.page_links:
        page = Table(title="The page's own related links")
        for column in ("title", "stored", "story", "newsdesk picked it"):
            page.add_column(column, overflow="fold")
        for c in view.page_links:
            page.add_row(
                escape(c.title), str(c.article_id or "no"),
                ("same" if c.same_story else str(c.story_id or "—")), "yes" if c.picked else "no",
            )  # fmt: skip
        stored = sum(1 for c in view.page_links if c.article_id is not None)
        page.caption = f"{stored} of {len(view.page_links)} in the store"
        console.print(page)


@app.command("recluster")
def recluster(ctx: typer.Context) -> None:
    """Rebuild every story from scratch, adding articles in the order they were stored."""
    report = state(ctx).desk().stories.recluster()
    console.print(
        f"{report.articles} articles in {report.stories} stories ({report.seconds:.1f} s)"
    )
