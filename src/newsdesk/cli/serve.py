"""``newsdesk serve``: the web reader on 127.0.0.1, or beyond it only with an access token."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer
import uvicorn
from rich.markup import escape

from newsdesk.cli.app import app, console, errors, state
from newsdesk.web import create_app
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
) -> None:
    """Serve the web reader and its JSON API over the database."""
    if not is_loopback(host) and not token:
        suggestion = secrets.token_urlsafe(24)
        errors.print(
            f"[red]error[/] {escape(host)} is reachable from other machines: give an access"
            f" token, e.g. --token {suggestion}"
        )
        raise typer.Exit(2)
    desk = state(ctx).desk()
    web = create_app(desk, token=token)
    url = address(host, port)
    console.print(f"newsdesk is serving {escape(str(state(ctx).db))} at {url}", highlight=False)
    if token and not is_loopback(host):
        console.print(f"open {url}/?token=… once in a browser to make changes", highlight=False)
    console.print("press Ctrl+C to stop", style="dim")
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)
