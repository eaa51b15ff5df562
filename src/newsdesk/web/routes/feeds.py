"""Feeds: the followed list with each one's last fetch state and error; add, remove, and
OPML import and export."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from newsdesk.web.pages import Operation, Page, Param, Twin, desk_of, json_response
from newsdesk.web.views import feed_dict

NOTICES = {
    "added": "Now following the feed; `newsdesk update` fetches it.",
    "known": "That feed was already followed.",
    "removed": "Stopped following the feed; its articles stay.",
    "imported": "Imported the feed list.",
    "bad-url": "A feed address must start with http:// or https://.",
    "not-followed": "That feed was not followed.",
    "bad-opml": "That file is not an OPML feed list.",
}


def feed_list(request: Request) -> Page:
    """Followed feeds with their last fetch state and errors."""
    feeds = desk_of(request).feeds()
    notice = NOTICES.get(request.query_params.get("done", ""))
    return Page(
        "feeds.html",
        {"feeds": feeds, "notice": notice, "count": request.query_params.get("n")},
        {"feeds": [feed_dict(f) for f in feeds]},
        title="Feeds",
    )


def _answer(request: Request, done: str, data: dict[str, Any], *, status: int = 200) -> Response:
    if request.url.path.endswith(".json"):
        return json_response({"result": done, **data}, status=status)
    query = {"done": done} | ({"n": str(data["added"])} if "added" in data else {})
    return RedirectResponse("/feeds?" + urlencode(query), status_code=303)


async def add_feed(request: Request) -> Response:
    """Follow the feed at the form's ``url``."""
    form = await request.form()
    url = str(form.get("url", "")).strip()
    if not url.startswith(("http://", "https://")):
        return _answer(request, "bad-url", {"url": url}, status=422)
    feed, new = await run_in_threadpool(desk_of(request).add_feed, url)
    return _answer(request, "added" if new else "known", {"feed": feed_dict(feed)})


async def remove_feed(request: Request) -> Response:
    """Stop following the feed at the form's ``url``."""
    form = await request.form()
    url = str(form.get("url", "")).strip()
    if not await run_in_threadpool(desk_of(request).remove_feed, url):
        return _answer(request, "not-followed", {"url": url}, status=404)
    return _answer(request, "removed", {"url": url})


async def import_feeds(request: Request) -> Response:
    """Follow every feed of an uploaded OPML file (form field ``opml``)."""
    async with request.form() as form:
        upload = form.get("opml")
        if not isinstance(upload, UploadFile):
            return _answer(request, "bad-opml", {}, status=422)
        body = await upload.read()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feeds.opml"
        path.write_bytes(body)
        result = await run_in_threadpool(desk_of(request).import_opml, path)
    if not result.added and not result.known and result.errors:
        return _answer(
            request, "bad-opml", {"errors": [e.reason for e in result.errors]}, status=422
        )
    return _answer(
        request,
        "imported",
        {"added": len(result.added), "known": len(result.known),
         "errors": [f"{e.item}: {e.reason}" for e in result.errors]},
    )  # fmt: skip


def export_feeds(request: Request) -> Response:
    """Every followed feed as an OPML 2.0 download."""
    return Response(
        desk_of(request).export_opml(),
        media_type="text/x-opml; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="newsdesk-feeds.opml"'},
    )


TWINS = [Twin("/feeds", feed_list, "feeds", "Followed feeds with their last fetch state.")]

URL_FIELD = (Param("url", "Feed URL (http or https).", required=True),)
CSRF_NOTE = "Needs the CSRF token (form field csrf_token or X-CSRF-Token) or the access token."
OPERATIONS = [
    Operation("post", "/feeds.json", f"Follow a feed. {CSRF_NOTE}", form=URL_FIELD),
    Operation("post", "/feeds/remove.json", f"Stop following a feed. {CSRF_NOTE}", form=URL_FIELD),
    Operation("post", "/feeds/import.json", f"Follow every feed of an OPML file. {CSRF_NOTE}",
              form=(Param("opml", "The OPML file.", "file", required=True),)),
    Operation("get", "/feeds.opml", "Every followed feed as OPML.", media_types=("text/x-opml",)),
]  # fmt: skip

ROUTES: list[BaseRoute] = [
    Route("/feeds", add_feed, methods=["POST"], name="feed_add"),
    Route("/feeds.json", add_feed, methods=["POST"], name="feed_add_json"),
    Route("/feeds/remove", remove_feed, methods=["POST"], name="feed_remove"),
    Route("/feeds/remove.json", remove_feed, methods=["POST"], name="feed_remove_json"),
    Route("/feeds/import", import_feeds, methods=["POST"], name="feed_import"),
    Route("/feeds/import.json", import_feeds, methods=["POST"], name="feed_import_json"),
    Route("/feeds.opml", export_feeds, name="feed_export"),
]
