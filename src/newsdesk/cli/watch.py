"""The ``newsdesk watch`` commands: watch an actor, keyword or event type and see the alerts."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from newsdesk.cli.app import app, console, errors, state
from newsdesk.cli.render import print_json
from newsdesk.errors import ConfigError, NewsdeskError
from newsdesk.ingest.webhooks import redact
from newsdesk.store.watchlists import Alert, Watch, WatchKind

watch_app = typer.Typer(
    help="Watchlists: alert a webhook or apprise URL when ingest finds a match."
)
app.add_typer(watch_app, name="watch")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
WatchId = Annotated[int, typer.Argument(help="Watch id (see `newsdesk watch list`).")]


def _fail(exc: Exception, code: int = 1) -> typer.Exit:
    errors.print(f"[red]error[/] {escape(str(exc))}")
    return typer.Exit(code)


def _watch_json(watch: Watch) -> dict[str, Any]:
    return {
        "id": watch.id,
        "kind": watch.kind,
        "value": watch.value,
        "status": watch.status,
        "notify": watch.notify,
        "created_at": watch.created_at.isoformat(),
        "active": watch.active,
    }


def _alert_json(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "watch": alert.watch_id,
        "article": alert.article_id,
        "matched": alert.matched,
        "fired_at": alert.fired_at.isoformat(),
        "delivered": alert.delivered,
        "error": alert.error,
    }


@watch_app.command("add")
def add(
    ctx: typer.Context,
    notify: Annotated[
        str, typer.Option(help="Webhook (http/https, gets a JSON POST) or apprise URL.")
    ],
    actor: Annotated[str | None, typer.Option(help="Actor key or name.")] = None,
    keyword: Annotated[str | None, typer.Option(help="Word or phrase in title or text.")] = None,
    event_type: Annotated[str | None, typer.Option(help="Event type, e.g. CONSULT.")] = None,
    status: Annotated[
        str | None, typer.Option(help="With --event-type: only events with this status.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Alert NOTIFY when ingest stores an article naming an actor, a keyword or an event type."""
    options: tuple[tuple[WatchKind, str | None], ...] = (
        ("actor", actor), ("keyword", keyword), ("event", event_type),
    )  # fmt: skip
    chosen = [(kind, value) for kind, value in options if value is not None]
    if len(chosen) != 1:
        raise _fail(ConfigError("give exactly one of --actor, --keyword or --event-type"), 2)
    kind, value = chosen[0]
    try:
        watch = state(ctx).desk().watchlists.add(kind, value, notify, status=status)
    except ConfigError as exc:
        raise _fail(exc, 2) from exc
    if as_json:
        print_json(_watch_json(watch))
        return
    console.print(f"watch {watch.id}: {escape(watch.describe())} → {escape(redact(watch.notify))}")


@watch_app.command("list")
def list_watches(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every watch and where its alerts go."""
    watchlists = state(ctx).desk().watchlists
    watches = watchlists.watches()
    if as_json:
        print_json([_watch_json(w) for w in watches])
        return
    table = Table(title="Watches")
    for column in ("id", "watching", "notify", "active", "since"):
        table.add_column(column, overflow="fold")
    for w in watches:
        table.add_row(
            str(w.id),
            escape(w.describe()),
            escape(redact(w.notify)),
            "yes" if w.active else "paused",
            w.created_at.strftime("%Y-%m-%d"),
        )
    console.print(table)


@watch_app.command("remove")
def remove(ctx: typer.Context, watch_id: WatchId) -> None:
    """Stop watching and forget the watch's alerts."""
    if not state(ctx).desk().watchlists.remove(watch_id):
        errors.print(f"[red]error[/] no watch with id {watch_id}")
        raise typer.Exit(1)
    console.print(f"removed watch {watch_id}")


@watch_app.command("pause")
def pause(ctx: typer.Context, watch_id: WatchId) -> None:
    """Keep a watch but send nothing until it is resumed."""
    _set_active(ctx, watch_id, active=False)


@watch_app.command("resume")
def resume(ctx: typer.Context, watch_id: WatchId) -> None:
    """Send alerts for a paused watch again (articles stored meanwhile do not fire)."""
    _set_active(ctx, watch_id, active=True)


def _set_active(ctx: typer.Context, watch_id: int, *, active: bool) -> None:
    try:
        watch = state(ctx).desk().watchlists.set_active(watch_id, active)
    except NewsdeskError as exc:
        raise _fail(exc) from exc
    done = "resumed" if active else "paused"
    console.print(f"{done} watch {watch.id}: {escape(watch.describe())}")


@watch_app.command("test")
def test(ctx: typer.Context, watch_id: WatchId) -> None:
    """Send a test notification to the watch's URL; exit 1 with the reason if it fails."""
    try:
        watch = state(ctx).desk().watchlists.test(watch_id)
    except NewsdeskError as exc:
        raise _fail(exc) from exc
    console.print(f"test notification delivered to {escape(redact(watch.notify))}")


@watch_app.command("alerts")
def alerts(
    ctx: typer.Context,
    watch_id: Annotated[int | None, typer.Option("--watch", help="Only this watch.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    as_json: JsonFlag = False,
) -> None:
    """The latest alerts and whether they were delivered."""
    found = state(ctx).desk().watchlists.alerts(watch_id=watch_id, limit=limit)
    if as_json:
        print_json([_alert_json(a) for a in found])
        return
    table = Table(title="Alerts")
    for column in ("id", "watch", "article", "fired", "delivered", "matched"):
        table.add_column(column, overflow="fold")
    for a in found:
        table.add_row(
            str(a.id),
            str(a.watch_id),
            str(a.article_id),
            a.fired_at.strftime("%Y-%m-%d %H:%M"),
            "yes" if a.delivered else f"[red]no[/] {escape(a.error or '')}",
            escape(a.matched),
        )
    console.print(table)
