"""The Typer application, its global options, and the one place a command gets its Newsdesk."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsdesk.service import Newsdesk

app = typer.Typer(
    no_args_is_help=True,
    help="newsdesk: clean, structured, deduplicated news coverage.",
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)

DEFAULT_DB = "newsdesk.db"


@dataclass
class Context:
    """What the global options decided; the desk is opened on first use."""

    db: Path
    allow_private: bool
    _desk: Newsdesk | None = field(default=None, repr=False)

    def desk(self) -> Newsdesk:
        """The service over the chosen database."""
        if self._desk is None:
            self._desk = Newsdesk.open(self.db, allow_private=self.allow_private)
        return self._desk

    def close(self) -> None:
        """Close the desk if a command opened it."""
        if self._desk is not None:
            self._desk.close()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(help="Database file (default: $NEWSDESK_DB or ./newsdesk.db)."),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(help="Allow fetching from private, loopback and link-local addresses."),
    ] = False,
) -> None:
    """newsdesk turns a stream of news coverage into clean, searchable articles."""
    chosen = db or Path(os.environ.get("NEWSDESK_DB") or DEFAULT_DB)
    state = Context(db=chosen, allow_private=allow_private)
    ctx.obj = state
    ctx.call_on_close(state.close)


def state(ctx: typer.Context) -> Context:
    """The global state of a command."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Context)
    return obj
