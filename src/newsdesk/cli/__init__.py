"""The command-line interface: each command parses, calls the service once, and prints."""

from newsdesk.cli import actors, feeds, ingesting, reading
from newsdesk.cli.app import app

__all__ = ["actors", "app", "feeds", "ingesting", "main", "reading"]


def main() -> None:
    """Entry point of the ``newsdesk`` script."""
    app()
