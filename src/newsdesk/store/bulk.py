"""Bulk loading: many articles and their actors in one transaction, for synthetic stores.

``Store.add_article`` and ``ActorRepository.record`` commit each article on its own, which is
what ingest needs (an interrupted run loses one item at most) but costs a transaction and a
read-modify-write per actor per article. Loading a large prepared set (the web benchmark's
50k-article store) goes through :func:`add_articles` instead: the same rows, with the same
actor merging rules, written in one transaction per batch.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from newsdesk.model import Article, DuplicateLink
from newsdesk.store import codec, schema
from newsdesk.store.events import write_events
from newsdesk.store.store import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class BulkArticle:
    """One article to load, with what the store keeps beside it. ``copy_of`` names an
    earlier item of the same batch (by position) this one is a copy of."""

    article: Article
    text_hash: str
    minhash: bytes | None = None
    duplicate_of: DuplicateLink | None = None
    copy_of: int | None = None
    similarity: float = 1.0


def add_articles(store: Store, items: Sequence[BulkArticle]) -> list[int]:
    """Insert ``items``, index their events and record their actors in one transaction;
    return their ids."""
    now = datetime.now(UTC)
    ids: list[int] = []
    outlets: dict[str, int | None] = {}
    # Clones share their enrichment tuples: each distinct tuple is serialised once per call
    # (keyed by identity, which ``items`` keeps alive until the call returns).
    serialised: dict[int, str] = {}
    bare: dict[str, Any] = {name: () for name in codec.ENRICHMENT_TYPES}
    with store.engine.begin() as conn:
        for item in items:
            link = item.duplicate_of
            if item.copy_of is not None:
                link = DuplicateLink(
                    original_id=ids[item.copy_of], similarity=item.similarity, exact=False
                )
            domain = item.article.domain
            if domain not in outlets and domain:
                outlets[domain] = Store._outlet_id(conn, domain, item.article.site)
            row = codec.article_to_row(dataclasses.replace(item.article, **bare)) | {
                "text_hash": item.text_hash,
                "minhash": item.minhash,
                "duplicate_of": link.original_id if link else None,
                "similarity": link.similarity if link else None,
                "duplicate_exact": int(link.exact) if link else 0,
                "ingested_at": now,
                "updated_at": now,
                "outlet_id": outlets.get(domain) if domain else None,
            }
            for name in codec.ENRICHMENT_TYPES:
                records = getattr(item.article, name)
                if id(records) not in serialised:
                    serialised[id(records)] = codec.records_to_json(records)
                row[name] = serialised[id(records)]
            key = conn.execute(insert(schema.articles).values(**row)).inserted_primary_key
            assert key is not None
            ids.append(int(key[0]))
            write_events(conn, ids[-1], item.article.events)
        _record_actors(conn, [(i, item.article) for i, item in zip(ids, items, strict=True)])
    return ids


def _union(first: Sequence[str], second: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _record_actors(conn: Connection, stored: Sequence[tuple[int, Article]]) -> None:
    """``ActorRepository.record`` for many articles: rows folded in memory, written once."""
    a = schema.actors.c
    keys = sorted({actor.key for _, article in stored for actor in article.actors})
    known: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
        rows = conn.execute(select(schema.actors).where(a.key.in_(keys[start : start + 500])))
        for found in rows.mappings():
            known[found["key"]] = dict(found)
    fresh: dict[str, dict[str, Any]] = {}
    changed: set[str] = set()
    links: list[dict[str, Any]] = []
    for article_id, article in stored:
        when = article.published.value or datetime.now(UTC)
        for actor in article.actors:
            titles = json.dumps(list(actor.titles), ensure_ascii=False)
            links.append({"article_id": article_id, "actor_key": actor.key, "titles": titles})
            row = fresh.get(actor.key) or known.get(actor.key)
            if row is None:
                fresh[actor.key] = {
                    "key": actor.key, "name": actor.name, "kind": actor.kind,
                    "aliases": json.dumps(list(actor.aliases), ensure_ascii=False),
                    "titles": titles, "affiliation": actor.affiliation, "sector": actor.sector,
                    "edited": 0, "first_seen": when, "last_seen": when,
                }  # fmt: skip
                continue
            row["aliases"] = json.dumps(_union(json.loads(row["aliases"]), actor.aliases))
            row["titles"] = json.dumps(_union(json.loads(row["titles"]), actor.titles))
            row["first_seen"] = min(row["first_seen"], when)
            row["last_seen"] = max(row["last_seen"], when)
            if not row["edited"]:
                row["affiliation"] = row["affiliation"] or actor.affiliation
                row["sector"] = row["sector"] or actor.sector
            if actor.key in known:
                changed.add(actor.key)
    if fresh:
        conn.execute(insert(schema.actors), list(fresh.values()))
    for key in sorted(changed):
        values = {k: v for k, v in known[key].items() if k != "key"}
        conn.execute(update(schema.actors).where(a.key == key).values(**values))
    if links:
        conn.execute(insert(schema.article_actors), links)
