"""The JSON shapes of the HTTP API for records the shared serialisers do not cover."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any

from newsdesk.model import Feed, StoredArticle
from newsdesk.serialize import stored_article_dict
from newsdesk.service.reading import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    ActorSummary,
    CoActor,
    EventRecord,
    FacetValue,
    QuoteRecord,
    SearchHit,
    StoryListing,
    TitleUse,
)


def json_ready(value: Any) -> Any:
    """A service record (dataclasses, dates, enums, tuples) as plain JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_ready(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def listing_dict(listing: StoryListing) -> dict[str, Any]:
    """A story on the front page: its counts, activity and articles per day."""
    data: dict[str, Any] = json_ready(listing.story)
    data["recent"] = listing.recent
    data["daily"] = [{"day": d.isoformat(), "articles": n} for d, n in listing.daily]
    data["articles"] = [
        {"id": m.article_id, "title": m.title, "outlet": m.outlet, "url": m.url,
         "published": m.published.isoformat() if m.published else None,
         "duplicate_of": m.duplicate_of}
        for m in listing.members
    ]  # fmt: skip
    return data


def brief(stored: StoredArticle) -> dict[str, Any]:
    """An article in a list: id, title, outlet, date, link to its copy's original."""
    a = stored.article
    return {
        "id": stored.id,
        "title": a.title,
        "site": a.site,
        "domain": a.domain,
        "url": a.canonical_url or a.url,
        "published": a.published.value.isoformat() if a.published.value else None,
        "published_date_only": a.published.date_only,
        "duplicate_of": stored.duplicate_of.original_id if stored.duplicate_of else None,
    }


def full(stored: StoredArticle) -> dict[str, Any]:
    """An article with its text and every enrichment."""
    return stored_article_dict(stored)


def feed_dict(feed: Feed) -> dict[str, Any]:
    """A followed feed with its last fetch state."""
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "site_url": feed.site_url,
        "last_fetched": feed.last_fetched.isoformat() if feed.last_fetched else None,
        "last_status": feed.last_status,
        "last_error": feed.last_error,
        "error_count": feed.error_count,
    }


def actor_summary_dict(summary: ActorSummary) -> dict[str, Any]:
    """An actor with its coverage."""
    actor = summary.actor
    return {
        "key": actor.key,
        "name": actor.name,
        "kind": actor.kind,
        "aliases": list(actor.aliases),
        "titles": list(actor.titles),
        "affiliation": actor.affiliation,
        "sector": actor.sector,
        "articles": summary.articles,
        "first_seen": summary.first_seen.isoformat() if summary.first_seen else None,
        "last_seen": summary.last_seen.isoformat() if summary.last_seen else None,
        "edited": summary.edited,
    }


def title_use_dict(use: TitleUse) -> dict[str, Any]:
    """A title an article gave an actor."""
    return {
        "title": use.title,
        "article_id": use.article_id,
        "published": use.published.isoformat() if use.published else None,
    }


def quote_record_dict(record: QuoteRecord) -> dict[str, Any]:
    """A quote with its speaker and article."""
    return {
        "speaker": record.speaker,
        "speaker_actor": record.quote.speaker_actor,
        "kind": record.quote.kind,
        "content": record.quote.content,
        "cue": record.quote.cue,
        "article": brief(record.article),
    }


def event_record_dict(record: EventRecord) -> dict[str, Any]:
    """An event with the names of its actors and its article."""
    data: dict[str, Any] = json_ready(record.event)  # asdict would deep-copy: slower
    data["actor_names"] = [record.names.get(k, k) for k in record.event.actors]
    data["recipient_names"] = [record.names.get(k, k) for k in record.event.recipients]
    data["evidence"] = record.article.article.text[record.event.start : record.event.end]
    data["article"] = brief(record.article)
    return data


def co_actor_dict(co: CoActor) -> dict[str, Any]:
    """Another actor named in the same articles."""
    return {"key": co.key, "name": co.name, "articles": co.articles}


def hit_dict(hit: SearchHit) -> dict[str, Any]:
    """A search result with its snippet's matches in ``[...]``."""
    snippet = hit.snippet.replace(HIGHLIGHT_START, "[").replace(HIGHLIGHT_END, "]")
    return brief(hit.article) | {"rank": hit.rank, "snippet": snippet}


def facet_dict(values: list[FacetValue]) -> list[dict[str, Any]]:
    """A facet's values with their counts."""
    return [{"value": v.value, "label": v.label, "count": v.count} for v in values]
