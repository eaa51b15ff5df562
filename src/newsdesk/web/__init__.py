"""The web reader and HTTP API: a thin Starlette app over the Newsdesk service."""

from newsdesk.web.app import create_app

__all__ = ["create_app"]
