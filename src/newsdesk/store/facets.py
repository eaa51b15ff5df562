"""Faceted search: FTS5 matches narrowed by outlet, actor, event and date, with facet counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    TextClause,
    bindparam,
    func,
    select,
    text,
)

from newsdesk.store import codec, schema
from newsdesk.store.marks import change_mark
from newsdesk.store.search import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    SearchHit,
    brief_articles,
    brief_source,
    fts_query,
)

# Filters apply to every match; the page, the total and the facets then cover the best
# FACET_POOL filtered matches (by BM25; without words, the newest), so a broad query over a
# large store costs bounded work. User values are bound parameters; WHERE clauses are built
# only from the constant fragments below.
FACET_POOL = 300
FACET_SIZE = 12  # values shown per facet
# BM25 ranks only the newest RANK_WINDOW matches (by id): ranking costs per match, and a
# common word matches most of a large store.
RANK_WINDOW = 2000


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
    total: int  # matches after filtering, at most the pool (FACET_POOL)
    capped: bool  # True when more matched than the pool holds: facets count the pool only
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    windowed: bool = False  # True when only the newest RANK_WINDOW matches were ranked


# Conditions on ``articles a``: each value is a bound parameter, each condition can use an
# index (actors and events through their tables, dates through ix_articles_published).
_CONDITIONS = {
    "outlet": "a.domain = :outlet",
    "actor": "a.id IN (SELECT article_id FROM article_actors WHERE actor_key = :actor)",
    "date_from": "a.published >= :date_from",
    # Stored timestamps are ISO text ("2025-05-15T10:00:00+00:00"): "~" sorts after "T".
    "date_to": "a.published < :date_to || '~'",
}
_EVENT_CONDITIONS = {"event_type": "e.type = :event_type", "status": "e.status = :status"}


def _pool_query(match: str, filters: SearchFilters, size: int) -> tuple[str, dict[str, Any]]:
    """The one statement that selects the pool, (id, rank, matches ranked) rows passing
    ``filters``: with words, the ``size`` best by BM25 of the newest ``RANK_WINDOW``
    matches; without, the newest ``size`` articles."""
    params: dict[str, Any] = filters.active()
    where = [_CONDITIONS[name] for name in _CONDITIONS if name in params]
    event = [_EVENT_CONDITIONS[name] for name in _EVENT_CONDITIONS if name in params]
    if event:
        where.append(f"a.id IN (SELECT e.article_id FROM events e WHERE {' AND '.join(event)})")
    params["limit"] = size + 1  # one more than the pool tells whether more matched
    if not match:
        condition = " AND ".join(where) or "1 = 1"
        query = (
            f"SELECT a.id, 0.0, 0 FROM articles a WHERE {condition}"
            " ORDER BY a.published DESC, a.id DESC LIMIT :limit"
        )
        return query, params
    params |= {"match": match, "window": RANK_WINDOW}
    rank = "bm25(articles_fts, 3.0, 1.0)"  # title matches weigh three times
    if where:
        newest = (
            f"SELECT a.id AS id, {rank} AS r FROM articles_fts"
            " JOIN articles a ON a.id = articles_fts.rowid"
            f" WHERE articles_fts MATCH :match AND {' AND '.join(where)}"
            " ORDER BY articles_fts.rowid DESC LIMIT :window"
        )
    else:
        newest = (
            f"SELECT rowid AS id, {rank} AS r FROM articles_fts WHERE articles_fts MATCH :match"
            " ORDER BY rowid DESC LIMIT :window"
        )
    query = f"SELECT id, r, count(*) OVER () FROM ({newest}) ORDER BY r, id DESC LIMIT :limit"
    return query, params


@dataclass(frozen=True, slots=True)
class _Hit:
    """A pool member with what ordering and the outlet and date facets need."""

    id: int
    rank: float
    domain: str | None
    site: str | None
    published: str | None  # stored ISO text, UTC: its first ten characters are the day


def _ordered(hits: list[_Hit]) -> list[_Hit]:
    """Best rank first, then newest (undated last), then lowest id (stable sorts)."""
    hits = sorted(hits, key=lambda h: h.id)
    hits.sort(key=lambda h: h.published or "", reverse=True)
    hits.sort(key=lambda h: h.rank)
    return hits


class FacetRepository:
    """Filtered full-text search and its facet counts (SQLite FTS5)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def mark(self) -> int | None:
        """A counter that changes whenever anything a search reads does (articles, events,
        actors, outlets); None where the database keeps no such counter (PostgreSQL)."""
        with self.engine.connect() as conn:
            if conn.dialect.name != "sqlite":
                return None
            return change_mark(conn, "content")

    def search(
        self,
        query: str,
        filters: SearchFilters,
        *,
        limit: int = 20,
        offset: int = 0,
        with_facets: bool = True,
        full: bool = False,
        pool: int = FACET_POOL,
    ) -> SearchPage:
        """Matches of ``query`` (every article without one) narrowed by ``filters``.

        The pool (the best ``FACET_POOL`` matches) is selected once; ordering, totals and
        the outlet and date facets come from it in Python, actor and event facets from their
        indexed tables. Hits hold brief articles (no text or enrichments) unless ``full``.
        """
        match = fts_query(query)
        if query.strip() and not match:
            return SearchPage(hits=[], total=0, capped=False)
        statement, params = _pool_query(match, filters, pool)
        with self.engine.connect() as conn:
            rows = conn.execute(text(statement), params).all()
            windowed = bool(rows) and int(rows[0][2]) >= RANK_WINDOW
            capped = windowed or len(rows) > pool
            found = [(int(i), float(r)) for i, r, _ in rows[:pool]]
            hits = _ordered(self._pool_facts(conn, found[:pool]))
            shown = self._hits(conn, hits[offset : offset + limit], match, full=full)
            facets = self._facets(conn, hits) if with_facets else {}
        return SearchPage(
            hits=shown, total=len(hits), capped=capped, facets=facets, windowed=windowed
        )

    @staticmethod
    def _pool_facts(conn: Connection, pool: list[tuple[int, float]]) -> list[_Hit]:
        if not pool:
            return []
        ranks = dict(pool)
        # The raw published text (no datetime parsing): ordering and days need only that.
        # From the covering index of brief columns (no table rows read).
        query = text(
            f"SELECT id, domain, site, published FROM {brief_source(conn)} WHERE id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        rows = conn.execute(query, {"ids": list(ranks)})
        return [
            _Hit(id=int(i), rank=ranks[int(i)], domain=d, site=s, published=p)
            for i, d, s, p in rows
        ]

    @staticmethod
    def _hits(conn: Connection, shown: list[_Hit], match: str, *, full: bool) -> list[SearchHit]:
        if not shown:
            return []
        ids = [h.id for h in shown]
        a = schema.articles.c
        if full:
            rows = conn.execute(select(schema.articles).where(a.id.in_(ids))).mappings()
            by_id = {int(row["id"]): codec.row_to_article(row) for row in rows}
        else:
            by_id = brief_articles(conn, ids)
        snippets = _snippets(conn, match, ids) if match else {}
        missing = [i for i in ids if not snippets.get(i)]
        if missing:
            leads = conn.execute(select(a.id, func.substr(a.text, 1, 400)).where(a.id.in_(missing)))
            snippets.update({int(i): _lead(str(t)) for i, t in leads})
        return [
            SearchHit(article=by_id[h.id], rank=h.rank, snippet=snippets.get(h.id, ""))
            for h in shown
            if h.id in by_id
        ]

    @staticmethod
    def _facets(conn: Connection, hits: list[_Hit]) -> dict[str, list[FacetValue]]:
        outlets = Counter(h.domain for h in hits if h.domain)
        sites: dict[str, str] = {}
        for h in hits:
            if h.domain and h.site and (h.domain not in sites or h.site < sites[h.domain]):
                sites[h.domain] = h.site
        days = Counter(h.published[:10] for h in hits if h.published)
        facets = {
            "outlet": [
                FacetValue(value=d, label=sites.get(d, d), count=n)
                for d, n in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]
            ],
        }
        ids = [h.id for h in hits]
        for name, statement in _FACET_QUERIES.items():
            rows: Sequence[Any] = []
            if ids:
                rows = conn.execute(statement, {"ids": ids, "size": FACET_SIZE}).all()
            facets[name] = [
                FacetValue(value=str(v), label=str(label or v), count=int(n))
                for v, label, n in rows
                if v is not None
            ]
        facets["date"] = [
            FacetValue(value=d, label=d, count=n) for d, n in sorted(days.items(), reverse=True)
        ][:60]
        return facets


def _snippets(conn: Connection, match: str, ids: list[int]) -> dict[int, str]:
    """Highlighted passages of the shown hits. The last word's prefix form makes FTS5 build
    its whole doclist for each statement, so the words as typed go first (one cheap
    statement), and only hits they miss (the user is mid-word) take the prefix form, one
    rowid each."""
    statement = text(
        "SELECT rowid, snippet(articles_fts, 1, :start, :end, '…', 24) FROM articles_fts"
        " WHERE articles_fts MATCH :match AND rowid IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    marks = {"start": HIGHLIGHT_START, "end": HIGHLIGHT_END}
    exact = match.removesuffix("*")
    found = conn.execute(statement, marks | {"match": exact, "ids": ids})
    snippets = {int(r[0]): str(r[1]) for r in found}
    for article_id in ids:
        if exact != match and article_id not in snippets:
            row = conn.execute(statement, marks | {"match": match, "ids": [article_id]}).first()
            if row is not None:
                snippets[article_id] = str(row[1])
    return snippets


def _facet_query(sql: str) -> TextClause:
    return text(sql).bindparams(bindparam("ids", expanding=True))


_FACET_QUERIES = {
    "actor": _facet_query(
        # Counted from the covering index first; only the top keys read their actor row.
        "SELECT g.actor_key, act.name, g.n FROM (SELECT actor_key,"
        " count(DISTINCT article_id) AS n FROM article_actors WHERE article_id IN :ids"
        " GROUP BY actor_key ORDER BY n DESC, actor_key LIMIT :size) g"
        " LEFT JOIN actors act ON act.key = g.actor_key ORDER BY g.n DESC, g.actor_key"
    ),
    "event_type": _facet_query(
        "SELECT type, NULL, count(DISTINCT article_id) AS n FROM events"
        " WHERE article_id IN :ids GROUP BY type ORDER BY n DESC, type LIMIT :size"
    ),
    "status": _facet_query(
        "SELECT status, NULL, count(DISTINCT article_id) AS n FROM events"
        " WHERE article_id IN :ids GROUP BY status ORDER BY n DESC, status LIMIT :size"
    ),
}


def _lead(body: str, size: int = 200) -> str:
    """The opening words of a text, cut at a word boundary."""
    if len(body) <= size:
        return body
    return body[:size].rsplit(" ", 1)[0] + " …"
