"""Conversions between model records and table rows; the only place that knows both shapes."""

from __future__ import annotations

import dataclasses
import json
import zlib
from collections.abc import Mapping
from typing import Any

from newsdesk.model import (
    Actor,
    Article,
    DateSource,
    DuplicateLink,
    Entity,
    Event,
    EventRole,
    Feed,
    Mention,
    Place,
    Published,
    Quote,
    RawDocument,
    RawKind,
    RelatedLink,
    StoredArticle,
    TimeExpression,
)


def pairs_to_json(pairs: tuple[tuple[str, str], ...]) -> str:
    return json.dumps([list(p) for p in pairs], ensure_ascii=False)


def json_to_pairs(value: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in json.loads(value or "[]"))


# The record type stored in each enrichment column.
ENRICHMENT_TYPES: dict[str, type[Any]] = {
    "entities": Entity,
    "actors": Actor,
    "mentions": Mention,
    "quotes": Quote,
    "times": TimeExpression,
    "places": Place,
    "events": Event,
}

# Records nested inside an enrichment record, by field name.
NESTED_TYPES: dict[str, type[Any]] = {"roles": EventRole}


def records_to_json(records: tuple[Any, ...]) -> str:
    """Frozen records as a JSON list of objects (tuples become lists)."""
    return json.dumps([dataclasses.asdict(r) for r in records], ensure_ascii=False)


def json_to_records(cls: type[Any], value: str | None) -> tuple[Any, ...]:
    """The records a JSON list holds; list fields become tuples again."""
    if not value or value == "[]":
        return ()
    lists = _TUPLE_FIELDS.get(cls)
    if lists is None:
        lists = _TUPLE_FIELDS[cls] = _tuple_fields(cls)
    records = []
    for item in json.loads(value):
        for name in lists:
            held = item.get(name)
            if isinstance(held, list):
                item[name] = _nested(name, held)
        records.append(cls(**item))
    return tuple(records)


_TUPLE_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def lean_actors(value: str | None) -> tuple[Actor, ...]:
    """An article's actors with key, name and kind only (lists of related articles)."""
    return tuple(
        Actor(key=a["key"], name=a["name"], kind=a["kind"]) for a in json.loads(value or "[]")
    )


def lean_events(value: str | None) -> tuple[Event, ...]:
    """An article's events without participants, roles, place or date (lists of related
    articles compare types and trigger words only)."""
    return tuple(
        Event(
            type=e["type"],
            status=e["status"],
            start=e["start"],
            end=e["end"],
            trigger=e["trigger"],
            trigger_start=e["trigger_start"],
            trigger_end=e["trigger_end"],
        )
        for e in json.loads(value or "[]")
    )


def _tuple_fields(cls: type[Any]) -> tuple[str, ...]:
    """The fields of a record class declared as tuples (JSON gives them back as lists)."""
    return tuple(
        f.name for f in dataclasses.fields(cls) if str(f.type).replace(" ", "").startswith("tuple[")
    )


def _nested(name: str, values: list[Any]) -> tuple[Any, ...]:
    nested = NESTED_TYPES.get(name)
    if nested is None:
        return tuple(values)
    return tuple(nested(**v) for v in values)


def raw_to_row(doc: RawDocument) -> dict[str, Any]:
    return {
        "sha256": doc.sha256,
        "kind": doc.kind.value,
        "origin": doc.origin,
        "url": doc.url,
        "content_type": doc.content_type,
        "encoding": doc.encoding,
        "fetched_at": doc.fetched_at,
        "size": len(doc.body),
        "hints": pairs_to_json(doc.hints),
        "body": zlib.compress(doc.body, 6),
    }


def row_to_raw(row: Mapping[Any, Any]) -> RawDocument:
    return RawDocument(
        origin=row["origin"],
        body=zlib.decompress(row["body"]),
        kind=RawKind(row["kind"]),
        url=row["url"],
        content_type=row["content_type"],
        encoding=row["encoding"],
        fetched_at=row["fetched_at"],
        hints=json_to_pairs(row["hints"]),
    )


def article_to_row(article: Article) -> dict[str, Any]:
    """The article's own columns; the store adds ids, hashes and duplicate links."""
    return {
        "url": article.url,
        "canonical_url": article.canonical_url or article.url,
        "source": article.source,
        "site": article.site,
        "domain": article.domain,
        "title": article.title,
        "authors": json.dumps(list(article.authors), ensure_ascii=False),
        "published": article.published.value,
        "published_source": article.published.source.value,
        "published_confidence": article.published.confidence,
        "published_date_only": int(article.published.date_only),
        "language": article.language,
        "text": article.text,
        "related_links": json.dumps(
            [
                {"title": r.title, "url": r.url, "teaser": r.teaser, "block": r.block}
                for r in article.related_links
            ],
            ensure_ascii=False,
        ),
        "raw_sha256": article.raw_sha256,
        "raw_kind": article.raw_kind.value,
        "hints": pairs_to_json(article.hints),
        "processed_by": json.dumps(list(article.processed_by)),
        **{name: records_to_json(getattr(article, name)) for name in ENRICHMENT_TYPES},
    }


def row_to_article(row: Mapping[Any, Any]) -> StoredArticle:
    enrichment: dict[str, Any] = {
        name: json_to_records(cls, row[name]) for name, cls in ENRICHMENT_TYPES.items()
    }
    article = Article(
        url=row["url"],
        source=row["source"],
        canonical_url=row["canonical_url"],
        raw_sha256=row["raw_sha256"],
        raw_kind=RawKind(row["raw_kind"]),
        hints=json_to_pairs(row["hints"]),
        site=row["site"],
        domain=row["domain"],
        title=row["title"],
        authors=tuple(json.loads(row["authors"])),
        published=row_to_published(row),
        language=row["language"],
        text=row["text"],
        related_links=tuple(RelatedLink(**r) for r in json.loads(row["related_links"])),
        processed_by=tuple(json.loads(row["processed_by"])),
        **enrichment,
    )
    return row_to_stored(row, article)


def row_to_published(row: Mapping[Any, Any]) -> Published:
    """The publication date and its provenance from an article row."""
    return Published(
        value=row["published"],
        source=DateSource(row["published_source"]),
        confidence=row["published_confidence"],
        date_only=bool(row["published_date_only"]),
    )


def row_to_stored(row: Mapping[Any, Any], article: Article) -> StoredArticle:
    """``article`` with the store's facts from its row: id, ingest time, duplicate link."""
    duplicate = None
    if row["duplicate_of"] is not None:
        duplicate = DuplicateLink(
            original_id=row["duplicate_of"],
            similarity=row["similarity"] or 0.0,
            exact=bool(row["duplicate_exact"]),
        )
    return StoredArticle(
        id=row["id"], article=article, ingested_at=row["ingested_at"], duplicate_of=duplicate
    )


def row_to_feed(row: Mapping[Any, Any]) -> Feed:
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        site_url=row["site_url"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_fetched=row["last_fetched"],
        last_status=row["last_status"],
        last_error=row["last_error"],
        error_count=row["error_count"],
    )
