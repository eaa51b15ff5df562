"""Build every story page and related list once, ahead of the first reader.

The reader keeps what it builds in the store's prepared views (see
:mod:`newsdesk.web.fragments` and :mod:`newsdesk.service.related`); the first reader of a
page otherwise pays for building it, once per change. ``newsdesk prepare`` asks for each
story page and its JSON twin from the app itself, in this process (an ASGI call, no socket),
so what it keeps is exactly what a reader would have been served, and computes every
article's related picks that are missing or outdated. A story page already kept and current
is read, not rebuilt, and related picks are compared with their story's version without
being read, so a second run only builds what changed since the first.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from starlette.types import ASGIApp, Message

from newsdesk.errors import StoreError
from newsdesk.service import Newsdesk
from newsdesk.web.app import create_app

Step = Callable[[str, int, int], None]  # (what, done, of)


@dataclass(frozen=True, slots=True)
class PrepareReport:
    """What ``prepare`` built or checked."""

    stories: int  # story pages built or found current
    related: int  # related lists found (the originals whose kept picks were missing or old)
    seconds: float


def _ignore(what: str, done: int, of: int) -> None:
    """No progress shown."""


def prepare(
    desk: Newsdesk, *, stories: bool = True, related: bool = True, step: Step = _ignore
) -> PrepareReport:
    """Build and keep every live story's page (HTML and JSON) and the related picks of every
    original article whose kept ones are missing or outdated (a copy shows its original's);
    ``step`` hears of each one done."""
    started = time.perf_counter()
    story_ids = [x.story.id for x in desk.stories.stories(limit=None)] if stories else []
    if story_ids:  # on a thread of its own: the caller's thread may be running a loop already
        with ThreadPoolExecutor(max_workers=1) as thread:
            thread.submit(asyncio.run, _story_pages(desk, story_ids, step)).result()
    outdated = desk.stories.finder.outdated() if related else []
    for done, article_id in enumerate(outdated, 1):
        desk.stories.related(article_id)
        step("related articles", done, len(outdated))
    return PrepareReport(
        stories=len(story_ids), related=len(outdated), seconds=time.perf_counter() - started
    )


async def _story_pages(desk: Newsdesk, story_ids: list[int], step: Step) -> None:
    app = create_app(desk, owned=False, write_behind=False)  # every view kept, in step
    for done, story_id in enumerate(story_ids, 1):
        for path in (f"/stories/{story_id}", f"/stories/{story_id}.json"):
            status = await _get(app, path)
            if status != 200:
                raise StoreError(f"story {story_id}: {path} answered {status}")
        step("story pages", done, len(story_ids))


async def _get(app: ASGIApp, path: str) -> int:
    """Ask the app for ``path`` in this process (no socket) and return the status; the body
    is not needed, only what the app kept while building it."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 80),
    }  # fmt: skip
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])

    await app(scope, receive, send)
    return status
