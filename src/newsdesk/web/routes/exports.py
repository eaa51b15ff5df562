"""Export routes: ``/export/{articles|events|quotes}.{csv|json|jsonl}``, scoped by the same
query as the list page they come from (search words and facets, an actor, an article)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from newsdesk.errors import StoreError
from newsdesk.model import StoredArticle
from newsdesk.web.exports import FORMATS, export_response
from newsdesk.web.pages import Operation, Param, desk_of, reading_of
from newsdesk.web.routes.search import SEARCH_PARAMS, filters_from
from newsdesk.web.views import event_record_dict, quote_record_dict

ARTICLE_COLUMNS = (
    "id", "published", "site", "domain", "title", "authors", "url", "language",
    "duplicate_of", "text",
)  # fmt: skip
EVENT_COLUMNS = (
    "article_id", "published", "site", "type", "status", "summary", "trigger", "date",
    "place", "country_code", "actor_names", "recipient_names", "condition", "evidence",
    "confidence", "url",
)  # fmt: skip
QUOTE_COLUMNS = (
    "article_id", "published", "site", "speaker", "speaker_actor", "kind", "content", "cue",
    "url",
)  # fmt: skip
SCOPE_PARAMS = (
    *(p for p in SEARCH_PARAMS if p.name != "offset"),
    Param("article", "Only this article id.", "integer"),
    Param("of_actor", "Only articles naming this actor key."),
    Param("story", "Only this story's articles.", "integer"),
    Param("speaker", "Quotes: only those of this actor key."),
)


def scoped_articles(request: Request) -> Iterable[StoredArticle]:
    """The articles an export covers, from its query string; a whole-store export is read
    lazily, a page at a time, while it streams."""
    desk = desk_of(request)
    params = request.query_params
    try:
        if article := params.get("article"):
            if not article.isdigit():
                raise HTTPException(400, "article must be an id")
            return [desk.article(int(article)).stored]
        if key := params.get("of_actor"):
            return desk.actor(key).articles
        if story := params.get("story"):
            if not story.isdigit():
                raise HTTPException(400, "story must be an id")
            return desk.stories.articles(int(story))
    except StoreError as exc:
        raise HTTPException(404, str(exc)) from exc
    return reading_of(request).articles_matching(params.get("q", ""), filters_from(request))


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    article = row.pop("article")
    return {
        "article_id": article["id"],
        "published": article["published"],
        "site": article["site"] or article["domain"],
        "url": article["url"],
        **row,
    }


def export(request: Request) -> Response:
    """Articles, events or quotes of the scope, in the asked format."""
    kind, fmt = request.path_params["kind"], request.path_params["fmt"]
    if fmt not in FORMATS:
        raise HTTPException(404, f"no export format {fmt!r}")
    articles = scoped_articles(request)
    reading = reading_of(request)
    if kind == "articles":
        rows = (_article_row(a) for a in articles)
        return export_response(rows, ARTICLE_COLUMNS, fmt, "articles")
    if kind == "events":
        rows = (_flat(event_record_dict(e)) for e in reading.events(articles))
        return export_response(rows, EVENT_COLUMNS, fmt, "events")
    if kind == "quotes":
        speaker = request.query_params.get("speaker") or None
        rows = (_flat(quote_record_dict(q)) for q in reading.quotes(articles, speaker=speaker))
        return export_response(rows, QUOTE_COLUMNS, fmt, "quotes")
    raise HTTPException(404, f"nothing to export called {kind!r}")


def _article_row(stored: StoredArticle) -> dict[str, Any]:
    a = stored.article
    return {
        "id": stored.id,
        "published": a.published.value.isoformat() if a.published.value else None,
        "site": a.site,
        "domain": a.domain,
        "title": a.title,
        "authors": list(a.authors),
        "url": a.canonical_url or a.url,
        "language": a.language,
        "duplicate_of": stored.duplicate_of.original_id if stored.duplicate_of else None,
        "text": a.text,
    }


OPERATIONS = [
    Operation("get", f"/export/{kind}.{fmt}",
              f"{kind.capitalize()} of the scope as {fmt.upper()}.", SCOPE_PARAMS, (media,))
    for kind in ("articles", "events", "quotes")
    for fmt, media in FORMATS.items()
]  # fmt: skip

ROUTES: list[BaseRoute] = [Route("/export/{kind}.{fmt}", export, name="export")]
