"""The command-line interface: each command parses, calls the service once, and prints."""

from newsdesk.cli import actors, events, feeds, ingesting, reading, serve, stories, watch
from newsdesk.cli.app import app

__all__ = [
    "actors",
    "app",
    "events",
    "feeds",
    "ingesting",
    "main",
    "reading",
    "serve",
    "stories",
    "watch",
]


def main() -> None:
    """Entry point of the ``newsdesk`` script."""
    app()
