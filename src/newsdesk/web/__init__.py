"""The web reader and HTTP API: a thin Starlette app over the Newsdesk service."""
