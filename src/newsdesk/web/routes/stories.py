"""The front page (stories ranked by recent activity) and the story page: timeline, actor
graph, who said what, events, articles by outlet, map, what's new and summary."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from newsdesk.service import Newsdesk
from newsdesk.service.reading import EventRecord
from newsdesk.service.storyviews import StoryPage
from newsdesk.web.charts import sparkline
from newsdesk.web.exports import FORMATS, export_response
from newsdesk.web.fragments import Fragments
from newsdesk.web.pages import Operation, Page, Param, Twin, desk_of, int_param, reading_of
from newsdesk.web.storyview import anchor, story_sections, story_strip
from newsdesk.web.views import brief, event_record_dict, json_ready, listing_dict

TIMELINE_COLUMNS = (
    "day", "granularity", "status", "type", "label", "background", "dated_by", "place",
    "condition", "actors", "recipients", "articles", "previous", "next", "key",
)  # fmt: skip


def front_page(request: Request) -> Page:
    """Stories ranked by recent activity; before any story exists, the latest articles."""
    desk = desk_of(request)
    limit = int_param(request, "limit", 30, low=1, high=200)
    listings = desk.stories.stories(limit=limit)
    stats = desk.stats()
    latest = [] if listings else desk.articles(limit=limit)
    days = [a.article.published.value.date() for a in latest if a.article.published.value]
    sparks = {
        x.story.id: sparkline((d for d, n in x.daily for _ in range(n)), width=112, height=26)
        for x in listings
    }
    return Page(
        "front.html",
        {"listings": listings, "sparks": sparks, "latest": latest, "stats": stats,
         "activity": sparkline(days, width=240, height=36)},
        {"stories": [listing_dict(x) for x in listings], "latest": [brief(a) for a in latest],
         "counts": {"articles": stats.articles, "outlets": stats.outlets, "feeds": stats.feeds}},
        title="Stories",
    )  # fmt: skip


EVENT_ROWS = 200  # events listed on a story page before "show all"


def story_page(request: Request) -> Page:
    """One story with everything a reader needs to follow it. Its sections are rendered once
    per version of the story and filter (:mod:`newsdesk.web.fragments`), so a page whose
    sections are kept reads only the story's row; its articles are read (once, and kept) only
    to build what is not."""
    desk = desk_of(request)
    requested: int = request.path_params["story_id"]
    story = desk.stories.record(requested)
    live = story.id
    chosen = {k: request.query_params.get(k, "") for k in ("type", "status", "actor")}
    every = request.query_params.get("events") == "all"
    version = f"{story.updated_at.isoformat()}|{alias_digest(desk)}"
    built: list[StoryPage] = []

    def page() -> StoryPage:  # the story's articles and views, read when first needed
        if not built:
            built.append(desk.stories.story_page(live))
        return built[0]

    def events_and_names() -> tuple[list[EventRecord], list[EventRecord], dict[str, str]]:
        all_events = list(reading_of(request).events(page().view.articles))
        events = [
            e for e in all_events
            if (not chosen["type"] or e.event.type == chosen["type"])
            and (not chosen["status"] or e.event.status == chosen["status"])
            and (not chosen["actor"] or chosen["actor"] in (*e.event.actors, *e.event.recipients))
        ]  # fmt: skip
        names: dict[str, str] = {}
        for record in all_events:
            for key in (*record.event.actors, *record.event.recipients):
                names.setdefault(key, record.names.get(key, key))
        return all_events, events, names

    def data() -> dict[str, Any]:  # the JSON twin's facts, built only when it is asked for
        view = replace(page().view, requested=requested)
        return {
            f.name: [brief(a) for a in view.articles]
            if f.name == "articles"
            else json_ready(getattr(view, f.name))
            for f in dataclasses.fields(view)
        } | {
            "timeline": json_ready(page().timeline),
            "quotes": json_ready(page().quotes),
            "events": [event_record_dict(e) for e in events_and_names()[1]],
        }

    def primary() -> dict[str, Any]:
        all_events, events, names = events_and_names()
        query = {k: v for k, v in chosen.items() if v} | {"events": "all"}
        return {
            "view": page().view, "story": story, "timeline": page().timeline,
            "said": page().quotes, "events": events if every else events[:EVENT_ROWS],
            "event_count": len(events),
            "all_events_url": f"/stories/{live}?{urlencode(query)}#events",
            "event_types": sorted({e.event.type for e in all_events}),
            "event_statuses": sorted({e.event.status for e in all_events}),
            "event_actors": sorted(names.items(), key=lambda kv: kv[1]),
            "chosen": chosen, "anchor": anchor, "strip": story_strip(page().timeline),
        }  # fmt: skip

    fragments: Fragments = request.app.state.fragments
    context: dict[str, Any] = {"story": story, "requested": requested, "now": now_iso()}
    if not request.url.path.endswith(".json"):
        filters = "|".join([*chosen.values(), "all" if every else str(EVENT_ROWS)])
        context["fragments"] = {
            "primary": fragments.render(
                "story_primary.html", f"{live}|{filters}", version, primary
            ),
            "secondary": fragments.render(
                "story_secondary.html", str(live), version,
                lambda: story_sections(page().view) | {"story": story},
            ),
        }  # fmt: skip
    return Page("story.html", context, data, title=story.title or f"Story {live}",
                version=f"{live}|{version}|{requested}")  # fmt: skip


def alias_digest(desk: Newsdesk) -> str:
    """A short digest of the alias map (merged actors change names on every story page)."""
    aliases = sorted(desk.store.actors.alias_map().items())
    return hashlib.blake2b(json.dumps(aliases).encode(), digest_size=8).hexdigest()


def now_iso() -> str:
    """The server's time, to the second, as the page's "what's new" box remembers it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _since(request: Request) -> datetime:
    text = request.query_params.get("since", "")
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise HTTPException(400, "since must be an ISO date-time") from exc
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def whats_new(request: Request) -> Page:
    """What the story reported after ``since`` (the reader's last visit)."""
    story_id: int = request.path_params["story_id"]
    since = _since(request)
    new = desk_of(request).stories.whats_new(story_id, since)
    return Page("whats_new.html", {"new": new, "since": since}, json_ready(new), title="New")


def timeline_export(request: Request) -> Response:
    """The story's timeline as CSV, JSON or JSONL."""
    story_id: int = request.path_params["story_id"]
    fmt: str = request.path_params["fmt"]
    if fmt not in FORMATS:
        raise HTTPException(404, f"no export format {fmt!r}")
    timeline = desk_of(request).stories.timeline(story_id)
    rows = (
        {"day": e.when.value, "granularity": e.when.granularity, "status": e.status,
         "type": e.type, "label": e.label, "background": e.background, "dated_by": e.dated_by,
         "place": e.place, "condition": e.condition, "actors": list(e.actors),
         "recipients": list(e.recipients), "articles": [c.article_id for c in e.citations],
         "previous": e.previous, "next": e.next, "key": e.key}
        for e in timeline.entries
    )  # fmt: skip
    return export_response(rows, TIMELINE_COLUMNS, fmt, f"story-{story_id}-timeline")


TWINS = [
    Twin("/stories", front_page, "stories", "Stories ranked by recent activity.",
         (Param("limit", "How many (1-200).", "integer"),), aliases=("/",)),
    Twin("/stories/{story_id:int}", story_page, "story",
         "One story: summary, timeline, who said what, events, articles by outlet, places.",
         (Param("type", "Events table: only this event type."),
          Param("status", "Events table: only this status."),
          Param("actor", "Events table: only events with this actor key."))),
    Twin("/stories/{story_id:int}/new", whats_new, "story_new",
         "What the story reported first after a moment (the reader's last visit).",
         (Param("since", "ISO date-time.", required=True),)),
]  # fmt: skip

OPERATIONS = [
    Operation("get", f"/stories/{{story_id:int}}/timeline.{fmt}",
              f"The story's timeline as {fmt.upper()}.", media_types=(media,))
    for fmt, media in FORMATS.items()
]  # fmt: skip

ROUTES: list[BaseRoute] = [
    Route("/stories/{story_id:int}/timeline.{fmt}", timeline_export, name="timeline_export"),
]
