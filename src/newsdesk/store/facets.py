"""Faceted search: FTS5 matches narrowed by outlet, actor, event and date, with facet counts.

Facets are counted over the best ``FACET_POOL`` matches (by BM25) so a broad query over a
large store costs a bounded amount of work. Every value a user gives is a bound parameter;
the WHERE clause is assembled only from the constant fragments below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, select, text

from newsdesk.store import codec, schema
from newsdesk.store.search import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit, fts_query

FACET_POOL = 1000  # matches considered for facets and filters
FACET_SIZE = 12  # values shown per facet


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a search is narrowed to; None means no restriction."""

    outlet: str | None = None  # outlet domain
    actor: str | None = None  # actor key
    event_type: str | None = None
    status: str | None = None  # event status (with event_type: of the same event)
    date_from: str | None = None  # "YYYY-MM-DD", inclusive
    date_to: str | None = None

    def active(self) -> dict[str, str]:
        """The filters that are set, by name."""
        names = ("outlet", "actor", "event_type", "status", "date_from", "date_to")
        return {n: v for n in names if (v := getattr(self, n))}


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One value of a facet with how many matching articles have it."""

    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of filtered search results with the facets of everything that matched."""

    hits: list[SearchHit]
    total: int  # matches after filtering (within the pool)
    capped: bool  # True when the query matched more than the pool holds
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


_EVENT_CONDITIONS = {
    "event_type": "json_extract(e.value, '$.type') = :event_type",
    "status": "json_extract(e.value, '$.status') = :status",
}
_CONDITIONS = {
    "outlet": "a.domain = :outlet",
    "actor": (
        "EXISTS (SELECT 1 FROM article_actors aa"
        " WHERE aa.article_id = a.id AND aa.actor_key = :actor)"
    ),
    "date_from": "substr(a.published, 1, 10) >= :date_from",
    "date_to": "substr(a.published, 1, 10) <= :date_to",
}


def _filtered_cte(match: str, filters: SearchFilters) -> tuple[str, dict[str, Any]]:
    """``pool`` (best matches, or the newest articles without a query) and ``hit`` (filtered)."""
    params: dict[str, Any] = {"pool": FACET_POOL, **filters.active()}
    if match:
        pool = (
            "SELECT rowid AS id, bm25(articles_fts, 3.0, 1.0) AS rank FROM articles_fts"
            " WHERE articles_fts MATCH :match ORDER BY rank LIMIT :pool"
        )
        params["match"] = match
    else:
        pool = (
            "SELECT id, 0.0 AS rank FROM articles"
            " ORDER BY published IS NULL, published DESC, id LIMIT :pool"
        )
    where = [_CONDITIONS[name] for name in _CONDITIONS if name in params]
    event = [_EVENT_CONDITIONS[name] for name in _EVENT_CONDITIONS if name in params]
    if event:
        where.append(f"EXISTS (SELECT 1 FROM json_each(a.events) e WHERE {' AND '.join(event)})")
    condition = " AND ".join(where) or "1 = 1"
    cte = (
        f"WITH pool AS ({pool}),"
        " hit AS (SELECT a.id AS id, a.domain AS domain, a.site AS site, a.events AS events,"
        " a.published AS published, pool.rank AS rank"
        f" FROM pool JOIN articles a ON a.id = pool.id WHERE {condition}) "
    )
    return cte, params


_FACET_QUERIES = {
    "outlet": (
        "SELECT domain, min(site), count(*) AS n FROM hit WHERE domain IS NOT NULL"
        " GROUP BY domain ORDER BY n DESC, domain LIMIT :size"
    ),
    "actor": (
        "SELECT aa.actor_key, max(act.name), count(DISTINCT hit.id) AS n FROM hit"
        " JOIN article_actors aa ON aa.article_id = hit.id"
        " JOIN actors act ON act.key = aa.actor_key"
        " GROUP BY aa.actor_key ORDER BY n DESC, aa.actor_key LIMIT :size"
    ),
    "event_type": (
        "SELECT json_extract(e.value, '$.type') AS v, NULL, count(DISTINCT hit.id) AS n"
        " FROM hit, json_each(hit.events) e GROUP BY v ORDER BY n DESC, v LIMIT :size"
    ),
    "status": (
        "SELECT json_extract(e.value, '$.status') AS v, NULL, count(DISTINCT hit.id) AS n"
        " FROM hit, json_each(hit.events) e GROUP BY v ORDER BY n DESC, v LIMIT :size"
    ),
    "date": (
        "SELECT substr(published, 1, 10) AS v, NULL, count(*) AS n FROM hit"
        " WHERE published IS NOT NULL GROUP BY v ORDER BY v DESC LIMIT 60"
    ),
}


class FacetRepository:
    """Filtered full-text search and its facet counts (SQLite FTS5)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def search(
        self,
        query: str,
        filters: SearchFilters,
        *,
        limit: int = 20,
        offset: int = 0,
        with_facets: bool = True,
    ) -> SearchPage:
        """Matches of ``query`` (every article without one) narrowed by ``filters``."""
        match = fts_query(query)
        if query.strip() and not match:
            return SearchPage(hits=[], total=0, capped=False)
        cte, params = _filtered_cte(match, filters)
        with self.engine.connect() as conn:
            pool_size = int(
                conn.execute(text(cte + "SELECT count(*) FROM pool"), params).scalar_one()
            )
            total = int(conn.execute(text(cte + "SELECT count(*) FROM hit"), params).scalar_one())
            ranked = conn.execute(
                text(cte + "SELECT id, rank FROM hit ORDER BY rank,"
                     " published IS NULL, published DESC, id LIMIT :limit OFFSET :offset"),
                params | {"limit": limit, "offset": offset},
            ).all()  # fmt: skip
            hits = self._hits(conn, [(int(i), float(r)) for i, r in ranked], match)
            facets = self._facets(conn, cte, params) if with_facets else {}
        return SearchPage(hits=hits, total=total, capped=pool_size >= FACET_POOL, facets=facets)

    @staticmethod
    def _hits(conn: Connection, ranked: list[tuple[int, float]], match: str) -> list[SearchHit]:
        if not ranked:
            return []
        ids = [i for i, _ in ranked]
        rows = conn.execute(select(schema.articles).where(schema.articles.c.id.in_(ids)))
        by_id = {row["id"]: codec.row_to_article(row) for row in rows.mappings()}
        snippets: dict[int, str] = {}
        if match:
            placeholders = ", ".join(f":id{n}" for n in range(len(ids)))
            found = conn.execute(
                text(
                    "SELECT rowid, snippet(articles_fts, 1, :start, :end, '…', 24)"
                    " FROM articles_fts WHERE articles_fts MATCH :match"
                    f" AND rowid IN ({placeholders})"
                ),
                {"match": match, "start": HIGHLIGHT_START, "end": HIGHLIGHT_END}
                | {f"id{n}": i for n, i in enumerate(ids)},
            )
            snippets = {int(r[0]): str(r[1]) for r in found}
        hits = []
        for article_id, rank in ranked:
            stored = by_id.get(article_id)
            if stored is None:
                continue
            snippet = snippets.get(article_id) or _lead(stored.article.text)
            hits.append(SearchHit(article=stored, rank=rank, snippet=snippet))
        return hits

    @staticmethod
    def _facets(conn: Connection, cte: str, params: dict[str, Any]) -> dict[str, list[FacetValue]]:
        facets: dict[str, list[FacetValue]] = {}
        for name, query in _FACET_QUERIES.items():
            rows = conn.execute(text(cte + query), params | {"size": FACET_SIZE}).all()
            facets[name] = [
                FacetValue(value=str(v), label=str(label or v), count=int(n))
                for v, label, n in rows
                if v is not None
            ]
        return facets


def _lead(body: str, size: int = 200) -> str:
    """The opening words of a text, cut at a word boundary."""
    if len(body) <= size:
        return body
    return body[:size].rsplit(" ", 1)[0] + " …"
