"""The Starlette application: routes from every page family, static files, error pages, and
the security middleware, over one Newsdesk."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from newsdesk.errors import StoreError
from newsdesk.service import Newsdesk
from newsdesk.service.reading import ReadingDesk
from newsdesk.web.fragments import Fragments
from newsdesk.web.openapi import openapi_document
from newsdesk.web.pages import Operation, Page, Twin, json_response, render
from newsdesk.web.routes import actors, articles, exports, feeds, search, stories
from newsdesk.web.security import SecurityMiddleware
from newsdesk.web.templating import make_templates

STATIC = Path(__file__).parent / "static"
# What ``newsdesk serve --workers N`` hands each worker process (see :func:`app_from_env`).
ENV_DB = "NEWSDESK_SERVE_DB"
ENV_TOKEN = "NEWSDESK_SERVE_TOKEN"
ENV_ALLOW_PRIVATE = "NEWSDESK_SERVE_ALLOW_PRIVATE"
ENV_THREADS = "NEWSDESK_SERVE_THREADS"
SHUTDOWN_FLUSH_S = 5.0  # how long stopping waits for views still being written
FACTORY = "newsdesk.web.app:app_from_env"  # the import string uvicorn's workers load
TWINS: list[Twin] = [*stories.TWINS, *articles.TWINS, *actors.TWINS, *search.TWINS, *feeds.TWINS]
OPERATIONS: list[Operation] = [
    *(t.operation() for t in TWINS),
    *feeds.OPERATIONS,
    *stories.OPERATIONS,
    *exports.OPERATIONS,
    Operation("get", "/openapi.json", "This document."),
]


def _error_page(
    templates: Jinja2Templates, request: Request, status: int, message: str
) -> Response:
    if request.url.path.endswith(".json") or request.url.path.startswith("/export/"):
        return json_response({"error": message, "status": status}, status=status)
    page = Page("error.html", {"message": message, "status": status}, None, status, "Not found")
    return render(templates, request, page)


def app_from_env() -> Starlette:
    """The reader a ``newsdesk serve --workers N`` worker process runs: the database, token
    private-address setting and threads come from ``NEWSDESK_SERVE_DB``,
    ``NEWSDESK_SERVE_TOKEN``, ``NEWSDESK_SERVE_ALLOW_PRIVATE`` (``1``) and
    ``NEWSDESK_SERVE_THREADS``, set by the command before it starts uvicorn."""
    db = os.environ.get(ENV_DB)
    if not db:
        raise RuntimeError(f"{ENV_DB} names no database: start workers with newsdesk serve")
    allow_private = os.environ.get(ENV_ALLOW_PRIVATE) == "1"
    desk = Newsdesk.open(db, allow_private=allow_private)
    threads = int(os.environ.get(ENV_THREADS) or 0) or None
    return create_app(desk, token=os.environ.get(ENV_TOKEN) or None, owned=True, threads=threads)


def create_app(
    desk: Newsdesk | str | Path,
    *,
    token: str | None = None,
    owned: bool | None = None,
    threads: int | None = None,
    write_behind: bool = True,
) -> Starlette:
    """The reader over ``desk`` (or the database at that path, opened and closed with the app).

    With ``token``, every request that changes state must present it (``newsdesk serve``
    insists on one when it listens beyond loopback). ``owned``: close the desk when the app
    stops (by default only a desk the app opened itself). ``threads``: how many requests the
    process computes at once (Starlette's thread pool; anyio's 40 by default). Pages are
    computed in Python under one interpreter lock, so more than one or two threads only
    interleave requests and make each wait longer; see ``newsdesk serve --threads``.
    ``write_behind``: keep built views from a writer thread (off for ``newsdesk prepare``,
    which must keep every one).
    """
    if owned is None:
        owned = not isinstance(desk, Newsdesk)
    service = Newsdesk.open(desk) if not isinstance(desk, Newsdesk) else desk
    if write_behind:  # no request waits to keep what it built
        service.store.prepared.write_behind()
    templates = make_templates()
    document = openapi_document(OPERATIONS)

    def openapi(request: Request) -> Response:
        return json_response(document)

    routes: list[BaseRoute] = [route for twin in TWINS for route in twin.routes(templates)]
    routes += [*feeds.ROUTES, *exports.ROUTES, *stories.ROUTES]
    routes += [
        Route("/openapi.json", openapi, name="openapi"),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        return _error_page(templates, request, 404, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _error_page(templates, request, exc.status_code, exc.detail)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if threads is not None:
            to_thread.current_default_thread_limiter().total_tokens = threads
        # Loaded before the first request, not during it (uvicorn starts serving after this).
        await to_thread.run_sync(service.stories.load)
        yield
        await to_thread.run_sync(service.store.prepared.flush, SHUTDOWN_FLUSH_S)
        if owned:
            service.close()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityMiddleware, token=token)],
        exception_handlers={StoreError: not_found, HTTPException: http_error},
        lifespan=lifespan,
    )
    app.state.desk = service
    app.state.reading = ReadingDesk(service)
    app.state.templates = templates
    app.state.shelf = app.state.reading.prepared
    app.state.fragments = Fragments(templates, shelf=app.state.shelf)
    return app
