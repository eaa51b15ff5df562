"""The command-line interface: each command parses, calls the service once, and prints."""

from newsdesk.cli.app import app


def main() -> None:
    """Entry point of the ``newsdesk`` script."""
    app()


__all__ = ["app", "main"]
