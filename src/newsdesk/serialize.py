"""Plain JSON-ready views of newsdesk's records, shared by the CLI, the web and exports."""

from __future__ import annotations

import dataclasses
from typing import Any

from newsdesk.model import Article, RelatedLink, StoredArticle

ENRICHMENT = ("entities", "actors", "mentions", "quotes", "times", "places", "events")
# The stage that writes each enrichment field: an empty list is shown once that stage ran.
STAGE_OF = {
    "entities": "entities",
    "actors": "actors",
    "mentions": "actors",
    "quotes": "quotes",
    "times": "times",
    "places": "places",
    "events": "events",
}


def related_link_dict(link: RelatedLink) -> dict[str, Any]:
    """A related link as JSON."""
    return {"title": link.title, "url": link.url, "teaser": link.teaser, "block": link.block}


def article_dict(article: Article, *, with_text: bool = True) -> dict[str, Any]:
    """An article as JSON: the fields ``newsdesk extract`` promises, plus provenance."""
    published = article.published
    data: dict[str, Any] = {
        "source": article.source,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "authors": list(article.authors),
        "published": published.value.isoformat() if published.value else None,
        "published_source": published.source.value,
        "published_confidence": published.confidence,
        "published_date_only": published.date_only,
        "site": article.site,
        "domain": article.domain,
        "language": article.language,
        "related_links": [related_link_dict(r) for r in article.related_links],
        "processed_by": list(article.processed_by),
    }
    for name in ENRICHMENT:
        records = getattr(article, name)
        if records or any(stamp.startswith(f"{STAGE_OF[name]}@") for stamp in article.processed_by):
            data[name] = [dataclasses.asdict(r) for r in records]
    if with_text:
        data["text"] = article.text
    return data


def stored_article_dict(stored: StoredArticle, *, with_text: bool = True) -> dict[str, Any]:
    """A stored article as JSON, with its id and duplicate link."""
    link = stored.duplicate_of
    return {
        "id": stored.id,
        **article_dict(stored.article, with_text=with_text),
        "ingested_at": stored.ingested_at.isoformat(),
        "duplicate_of": (
            {"id": link.original_id, "similarity": round(link.similarity, 3), "exact": link.exact}
            if link
            else None
        ),
    }
