"""The article list and the article page: highlighted text, copies, and the page's own
related block shown apart."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from newsdesk.errors import StoreError
from newsdesk.model import StoredArticle
from newsdesk.service import Newsdesk
from newsdesk.service.reading import RelatedView
from newsdesk.web.highlight import highlighted_paragraphs
from newsdesk.web.pages import Page, Param, Twin, desk_of, int_param, reading_of
from newsdesk.web.views import brief, full, json_ready

PAGE_SIZE = 50


def article_list(request: Request) -> Page:
    """Stored articles, newest first, a page at a time."""
    offset = int_param(request, "offset", 0, high=10_000_000)
    found = desk_of(request).articles(limit=PAGE_SIZE, offset=offset)
    return Page(
        "articles.html",
        {"articles": found, "offset": offset, "page_size": PAGE_SIZE},
        {"offset": offset, "articles": [brief(a) for a in found]},
        title="Articles",
    )


def article_page(request: Request) -> Page:
    """One article with its marks, copies, original and related articles."""
    article_id: int = request.path_params["article_id"]
    view = reading_of(request).article(article_id)
    related = _related(desk_of(request), view.stored)

    def data() -> dict[str, Any]:  # built only for the JSON twin
        return full(view.stored) | {
            "copies": [brief(c) for c in view.copies],
            "original": brief(view.original) if view.original else None,
            "story_id": related.story_id if related else None,
            "related": json_ready(related.picks) if related else [],
            "page_related_checked": json_ready(related.page_links) if related else [],
        }

    context = {
        "view": view,
        "article": view.stored.article,
        "paragraphs": highlighted_paragraphs(view.stored.article),
        "related": related,
        "link_checks": {c.url: c for c in related.page_links if c.url} if related else {},
    }
    return Page("article.html", context, data, title=view.stored.article.title or "Article")


def _related(desk: Newsdesk, stored: StoredArticle) -> RelatedView | None:
    """The article's related picks; None while it is in no story."""
    try:
        return desk.stories.related(stored.id, stored=stored)
    except StoreError:
        return None


TWINS = [
    Twin("/articles", article_list, "articles", "Stored articles, newest first.",
         (Param("offset", "How many articles to skip.", "integer"),)),
    Twin("/articles/{article_id:int}", article_page, "article",
         "One article: clean text, enrichments, copies, original and related articles."),
]  # fmt: skip
