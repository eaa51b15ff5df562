"""Full-text search: FTS5 with BM25 ranking and highlighted snippets on SQLite."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, select, text

from newsdesk.model import (
    Article,
    RawKind,
    StoredArticle,
)
from newsdesk.store import codec, schema

HIGHLIGHT_START = "\x02"  # control characters never occur in clean text, so they mark
HIGHLIGHT_END = "\x03"  # highlights unambiguously; renderers turn them into markup


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the article, its BM25 rank (lower is better) and a snippet."""

    article: StoredArticle
    rank: float
    snippet: str


_a = schema.articles.c
BRIEF_COLUMNS = tuple(_a[name] for name in schema.BRIEF_FIELDS)


def brief_source(conn: Connection, alias: str = "articles") -> str:
    """``articles AS alias`` for the FROM clause of a query that reads only brief columns:
    on SQLite through the covering index (the planner would read the table by rowid)."""
    if conn.dialect.name == "sqlite":
        return f"articles AS {alias} INDEXED BY {schema.BRIEF_INDEX}"
    return f"articles AS {alias}"


def brief_articles(conn: Connection, ids: Collection[int]) -> dict[int, StoredArticle]:
    """Articles as lists show them, by id: identity, outlet, title, dates and duplicate link.

    Text and enrichments stay unread (empty in the records), so a list of twenty costs one
    indexed query instead of twenty JSON decodes of whole articles.
    """
    if not ids:
        return {}
    names = ", ".join(schema.BRIEF_FIELDS)
    query = (
        text(f"SELECT {names} FROM {brief_source(conn)} WHERE id IN :ids")
        .bindparams(bindparam("ids", expanding=True))
        .columns(*BRIEF_COLUMNS)  # typed results: dates come back as aware datetimes
    )
    rows = conn.execute(query, {"ids": list(ids)}).mappings()
    return {int(row["id"]): brief_from_row(row) for row in rows}


def brief_from_row(row: Any) -> StoredArticle:
    """A brief article (no text or enrichments) from a row of ``BRIEF_COLUMNS``."""
    article = Article(
        url=row["url"],
        source=row["source"],
        canonical_url=row["canonical_url"],
        raw_kind=RawKind(row["raw_kind"]),
        site=row["site"],
        domain=row["domain"],
        title=row["title"],
        published=codec.row_to_published(row),
        language=row["language"],
    )
    return codec.row_to_stored(row, article)


def fts_query(query: str) -> str:
    """A user's words as a safe FTS5 query: each word quoted, all of them required.

    Quoting stops FTS5 from reading user input as its query syntax (``AND``, ``-``, ``:``),
    and a trailing ``*`` on the last word matches prefixes as the user types.
    """
    words = re.findall(r"\w+", query)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search_articles(conn: Connection, query: str, *, limit: int) -> list[SearchHit]:
    """Articles matching every word of ``query``, title matches weighted 3x."""
    match = fts_query(query)
    if not match:
        return []
    ranked = conn.execute(
        text(
            "SELECT rowid, bm25(articles_fts, 3.0, 1.0) AS rank,"
            " snippet(articles_fts, 1, :start, :end, '…', 24) AS snippet"
            " FROM articles_fts WHERE articles_fts MATCH :match ORDER BY rank LIMIT :limit"
        ),
        {"match": match, "limit": limit, "start": HIGHLIGHT_START, "end": HIGHLIGHT_END},
    ).all()
    if not ranked:
        return []
    # Rows come back through the table so column types (aware datetimes) apply.
    rows = conn.execute(
        select(schema.articles).where(schema.articles.c.id.in_([r[0] for r in ranked]))
    ).mappings()
    by_id = {row["id"]: codec.row_to_article(row) for row in rows}
    return [
        SearchHit(article=by_id[rowid], rank=float(rank), snippet=str(snippet))
        for rowid, rank, snippet in ranked
        if rowid in by_id
    ]
