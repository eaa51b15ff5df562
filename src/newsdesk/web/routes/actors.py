"""The actor list and the actor page: titles over time, quotes, events, co-occurring actors."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from newsdesk.web.pages import Page, Param, Twin, desk_of, int_param, reading_of
from newsdesk.web.views import (
    actor_summary_dict,
    brief,
    co_actor_dict,
    event_record_dict,
    quote_record_dict,
    title_use_dict,
)


def actor_list(request: Request) -> Page:
    """Actors across articles, most covered first, optionally matching a name."""
    query = request.query_params.get("q", "").strip()
    limit = int_param(request, "limit", 100, low=1, high=1000)
    found = desk_of(request).actors(query=query or None, limit=limit)
    return Page(
        "actors.html",
        {"actors": found, "query": query},
        {"query": query, "actors": [actor_summary_dict(s) for s in found]},
        title="Actors",
    )


def actor_page(request: Request) -> Page:
    """One actor: record, titles over time, quotes, events and who appears beside them."""
    page = reading_of(request).actor_page(request.path_params["key"])
    view = page.view

    def data() -> dict[str, Any]:  # built only for the JSON twin
        return actor_summary_dict(view.summary) | {
            "titles_over_time": [title_use_dict(t) for t in view.titles],
            "articles": [brief(a) for a in view.articles],
            "quotes": [quote_record_dict(q) for q in page.quotes],
            "events": [event_record_dict(e) for e in page.events],
            "co_actors": [co_actor_dict(c) for c in page.co_actors],
        }

    titles: dict[str, list[int]] = {}
    for use in view.titles:
        titles.setdefault(use.title, []).append(use.article_id)
    first_use = {use.title: use for use in reversed(view.titles)}
    return Page(
        "actor.html",
        {"page": page, "actor": view.summary.actor, "titles": titles, "first_use": first_use},
        data,
        title=view.summary.actor.name,
    )


TWINS = [
    Twin("/actors", actor_list, "actors", "Actors across articles, most covered first.",
         (Param("q", "Part of a name or alias."),
          Param("limit", "How many actors (1-1000).", "integer"))),
    Twin("/actors/{key}", actor_page, "actor",
         "One actor: titles over time, quotes, events and co-occurring actors."),
]  # fmt: skip
