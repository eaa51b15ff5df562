"""Search: full text with facets for outlet, actor, event type, status and date."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from starlette.requests import Request

from newsdesk.service.reading import RANK_WINDOW, SearchFilters, SearchPage
from newsdesk.web.pages import Page, Param, Twin, int_param, reading_of
from newsdesk.web.views import facet_dict, hit_dict

PAGE_SIZE = 20
FILTER_NAMES = ("outlet", "actor", "event_type", "status", "date_from", "date_to")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

SEARCH_PARAMS = (
    Param("q", "Words to find in titles and texts (all required; the last may be a prefix)."),
    Param("outlet", "Outlet domain."),
    Param("actor", "Actor key."),
    Param("event_type", "Event type, e.g. CONSULT."),
    Param("status", "Event status, e.g. declined."),
    Param("date_from", "First publication day, YYYY-MM-DD."),
    Param("date_to", "Last publication day, YYYY-MM-DD."),
    Param("offset", "How many results to skip.", "integer"),
)


def filters_from(request: Request) -> SearchFilters:
    """The search filters in a request's query string (malformed dates are ignored)."""
    values = {name: request.query_params.get(name, "").strip() or None for name in FILTER_NAMES}
    for name in ("date_from", "date_to"):
        if values[name] and not _DAY.match(values[name] or ""):
            values[name] = None
    return SearchFilters(**values)


def search_page(request: Request) -> Page:
    """Matches with snippets, facets to narrow them, and links to export them."""
    query = request.query_params.get("q", "").strip()
    filters = filters_from(request)
    offset = int_param(request, "offset", 0, high=10_000)
    searching = bool(query or filters.active())
    found = reading_of(request).search(query, filters, limit=PAGE_SIZE, offset=offset)
    if not searching:
        found = type(found)(hits=[], total=0, capped=False, facets=found.facets)
    state = {"q": query, **filters.active()}

    def link(**changes: str | None) -> str:
        merged = {k: v for k, v in (state | changes).items() if v}
        return "/search?" + urlencode(merged)

    data = {
        "query": query,
        "filters": filters.active(),
        "total": found.total,
        "capped": found.capped,
        "facets_over": _facet_scope(found),
        "offset": offset,
        "hits": [hit_dict(h) for h in found.hits],
        "facets": {name: facet_dict(values) for name, values in found.facets.items()},
    }
    context = {
        "query": query,
        "filters": filters.active(),
        "found": found,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "link": link,
        "export_query": urlencode(state),
        "searching": searching,
        "facets_over": _facet_scope(found),
    }
    return Page("search.html", context, data, title=f"Search: {query}" if query else "Search")


def _facet_scope(found: SearchPage) -> str:
    """What the facet counts (and the listed results) cover, in words."""
    if not found.capped:
        return "all matches"
    scope = f"the first {found.total:,} matches"
    return f"{scope} (ranked among the newest {RANK_WINDOW:,})" if found.windowed else scope


TWINS = [
    Twin("/search", search_page, "search",
         "Full-text search with facets; without words, the facets alone filter.", SEARCH_PARAMS),
]  # fmt: skip
