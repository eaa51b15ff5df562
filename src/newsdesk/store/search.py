"""Full-text search: FTS5 with BM25 ranking and highlighted snippets on SQLite."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, select, text

from newsdesk.model import StoredArticle
from newsdesk.store import codec, schema

HIGHLIGHT_START = "\x02"  # control characters never occur in clean text, so they mark
HIGHLIGHT_END = "\x03"  # highlights unambiguously; renderers turn them into markup


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the article, its BM25 rank (lower is better) and a snippet."""

    article: StoredArticle
    rank: float
    snippet: str


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
