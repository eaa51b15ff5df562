"""``newsdesk serve``: the web reader on 127.0.0.1, or beyond it only with an access token; and
``newsdesk prepare``, which builds its pages ahead of the first reader."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer
import uvicorn
from rich.markup import escape
from rich.progress import Progress, TaskID

from newsdesk.cli.app import app, console, errors, state
from newsdesk.web import create_app
from newsdesk.web.app import ENV_ALLOW_PRIVATE, ENV_DB, ENV_THREADS, ENV_TOKEN, FACTORY
from newsdesk.web.prepare import prepare as run_prepare
from newsdesk.web.security import is_loopback


def address(host: str, port: int) -> str:
    """The URL to open for a host and port (IPv6 literals in brackets)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="NEWSDESK_TOKEN",
            help="Access token every change must present; required off loopback.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes (each with its own connections and caches). One suits a"
            " single reader; under concurrent load use up to one per CPU core.",
        ),
    ] = 1,
    threads: Annotated[
        int,
        typer.Option(
            min=1,
            help="Requests each worker computes at once. Python runs one at a time per"
            " process, so more threads only interleave them; 2 lets a quick page pass a slow one.",
        ),
    ] = 2,
) -> None:
    """Serve the web reader and its JSON API over the database.

    One process runs every request under one Python interpreter lock; with ``--workers N``
    uvicorn runs N processes that share the port and read the same database (SQLite's WAL
    lets them read side by side), so N requests can compute at once on N cores.
    """
    if not is_loopback(host) and not token:
        suggestion = secrets.token_urlsafe(24)
        errors.print(
            f"[red]error[/] {escape(host)} is reachable from other machines: give an access"
            f" token, e.g. --token {suggestion}"
        )
        raise typer.Exit(2)
    desk = state(ctx).desk()  # opened (and migrated) once, before any worker starts
    url = address(host, port)
    console.print(f"newsdesk is serving {escape(str(state(ctx).db))} at {url}", highlight=False)
    if token and not is_loopback(host):
        console.print(f"open {url}/?token=… once in a browser to make changes", highlight=False)
    console.print("press Ctrl+C to stop", style="dim")
    if workers == 1:
        web = create_app(desk, token=token, threads=threads)
        uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)
        return
    state(ctx).close()  # each worker opens its own desk
    os.environ[ENV_DB] = str(state(ctx).db)
    os.environ[ENV_ALLOW_PRIVATE] = "1" if state(ctx).allow_private else "0"
    os.environ[ENV_THREADS] = str(threads)
    if token:
        os.environ[ENV_TOKEN] = token
    else:
        os.environ.pop(ENV_TOKEN, None)
    uvicorn.run(
        FACTORY, factory=True, workers=workers, host=host, port=port,
        log_level="warning", access_log=False,
    )  # fmt: skip


@app.command()
def prepare(
    ctx: typer.Context,
    stories: Annotated[bool, typer.Option(help="Build every story page.")] = True,
    related: Annotated[bool, typer.Option(help="Find related picks missing or outdated.")] = True,
) -> None:
    """Build every story page and related list ahead of the first reader.

    The reader keeps what it builds in the database for every worker and restart; this builds
    it all now (what is kept and current is only checked), so no reader waits for a first
    build. Run it after a large ingest or a recluster.
    """
    desk = state(ctx).desk()
    bars: dict[str, TaskID] = {}
    with Progress(console=console, transient=True, disable=not console.is_terminal) as shown:

        def step(what: str, done: int, of: int) -> None:
            if what not in bars:
                bars[what] = shown.add_task(what, total=of)
            shown.update(bars[what], completed=done)

        report = run_prepare(desk, stories=stories, related=related, step=step)
    console.print(
        f"{report.stories} story pages ready; {report.related} related lists found"
        f" ({report.seconds:.1f} s)"
    )
