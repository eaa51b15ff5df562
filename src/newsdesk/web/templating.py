"""The Jinja2 environment: autoescaping on for every template, strict undefined names, and
the filters pages use to show dates, snippets, outlets and links safely."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from newsdesk.model import Article, EventStatus, StoredArticle
from newsdesk.service.reading import HIGHLIGHT_END, HIGHLIGHT_START

TEMPLATES = Path(__file__).parent / "templates"

# What each status means, shown beside its badge so colour is never the only signal.
STATUS_HELP: dict[str, str] = {
    EventStatus.OCCURRED: "happened",
    EventStatus.ONGOING: "under way",
    EventStatus.PLANNED: "scheduled",
    EventStatus.PROPOSED: "proposed by someone",
    EventStatus.DEMANDED: "demanded by someone",
    EventStatus.CONDITIONAL: "only if a condition holds",
    EventStatus.DECLINED: "refused",
    EventStatus.THREATENED: "threatened",
    EventStatus.DENIED: "said not to have happened",
    EventStatus.HYPOTHETICAL: "hypothetical",
    EventStatus.HISTORICAL: "background: long before this story",
}


def when(value: datetime | None, date_only: bool = False) -> str:
    """A timestamp as people read it (UTC), or an em dash when unknown."""
    if value is None:
        return "—"
    return value.strftime("%d %b %Y") if date_only else value.strftime("%d %b %Y, %H:%M UTC")


def published(article: Article) -> str:
    """An article's publication date, as precise as its source."""
    return when(article.published.value, article.published.date_only)


def iso(value: datetime | None) -> str:
    """A machine-readable timestamp for ``<time datetime=...>``."""
    return value.isoformat() if value else ""


def snippet(text: str) -> Markup:
    """A search snippet escaped, with the match markers as ``<mark>``."""
    safe = escape(text, quote=False)
    return Markup(safe.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>"))


def http_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: pages may carry javascript: or data: links."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


def outlet(article: Article | StoredArticle) -> str:
    """The outlet's name, or its domain."""
    record = article.article if isinstance(article, StoredArticle) else article
    return record.site or record.domain or "unknown outlet"


def status_help(status: str) -> str:
    """What an event status means, in words."""
    return STATUS_HELP.get(status, status)


def csrf_token(request: Request) -> str:
    """This visitor's CSRF token (set by the security middleware)."""
    return str(getattr(request.state, "csrf_token", ""))


def make_templates() -> Jinja2Templates:
    """The template renderer shared by every route."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=when, published=published, iso=iso, snippet=snippet, http_url=http_url,
        outlet=outlet, status_help=status_help,
    )  # fmt: skip
    env.globals.update(csrf_token=csrf_token, STATUS_HELP=STATUS_HELP)
    return Jinja2Templates(env=env)
