"""The Typer application object and its global options."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="newsdesk: clean, structured news coverage.")
