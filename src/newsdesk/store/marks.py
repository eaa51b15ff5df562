"""Change counters that SQLite triggers keep, so a cache can tell in one read that it is stale."""

from __future__ import annotations

from sqlalchemy import Connection, select

from newsdesk.store import schema


def change_mark(conn: Connection, name: str) -> int:
    """The change counter ``name`` of :data:`schema.MARKED_TABLES` (SQLite only)."""
    m = schema.change_marks.c
    return int(conn.execute(select(m.changes).where(m.name == name)).scalar_one())
