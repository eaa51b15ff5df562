"""Views built once and kept in the database, so every web worker and the next start share them.

A web worker that builds a story page or an article's related list keeps the result here
under a *version*: a string the reader derives from the live data (a story's last update, the
alias map). A reader uses a row only when its version still matches; writers that know they
outdated rows (a new article near them) drop them. Keeping is best effort: when the database
is busy with another writer the view is simply not kept, and the page is still served. Bodies
are compressed (zlib's fastest level: HTML and JSON shrink several times for a millisecond).
"""

from __future__ import annotations

import zlib
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import OperationalError

from newsdesk.store import schema

KEY_CHUNK = 500  # keys per DELETE ... IN (...)
BUSY_WAIT_MS = 200  # how long keeping a view waits for another writer (SQLite)
STORE_WAIT_MS = 10_000  # how long any other write waits for another writer (SQLite)


class PreparedViews:
    """Bytes by (kind, key), valid under a version string."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, kind: str, key: str, version: str) -> bytes | None:
        """The body kept for (kind, key) if it was made under ``version``, else None."""
        p = schema.prepared_views.c
        query = select(p.body).where(p.kind == kind, p.key == key, p.version == version)
        with self.engine.connect() as conn:
            body = conn.execute(query).scalar()
        return None if body is None else zlib.decompress(body)

    def put(self, kind: str, key: str, version: str, body: bytes) -> bool:
        """Keep ``body`` for (kind, key) under ``version``, replacing what was there; False
        (nothing kept) when the database stayed locked by another writer."""
        p = schema.prepared_views.c
        row = {"kind": kind, "key": key, "version": version, "body": zlib.compress(body, 1),
               "made_at": datetime.now(UTC)}  # fmt: skip
        sqlite = self.engine.dialect.name == "sqlite"
        with self.engine.connect() as conn:
            if sqlite:  # wait briefly, not the store's usual ten seconds, for another writer
                conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_WAIT_MS}")
                conn.commit()  # ends the transaction the pragma began
            try:
                with conn.begin():
                    conn.execute(delete(schema.prepared_views).where(p.kind == kind, p.key == key))
                    conn.execute(insert(schema.prepared_views).values(**row))
            except OperationalError:
                return False
            finally:
                if sqlite:
                    conn.exec_driver_sql(f"PRAGMA busy_timeout={STORE_WAIT_MS}")
                    conn.commit()
        return True

    def keys(self, kind: str) -> set[str]:
        """The keys kept for ``kind`` (under any version)."""
        p = schema.prepared_views.c
        with self.engine.connect() as conn:
            return set(conn.execute(select(p.key).where(p.kind == kind)).scalars())

    def drop(self, kind: str, keys: Collection[str]) -> None:
        """Forget the views of ``kind`` kept for ``keys``."""
        p = schema.prepared_views.c
        wanted = list(keys)
        with self.engine.begin() as conn:
            for start in range(0, len(wanted), KEY_CHUNK):
                chunk = wanted[start : start + KEY_CHUNK]
                conn.execute(delete(schema.prepared_views).where(p.kind == kind, p.key.in_(chunk)))

    def clear(self, kind: str | None = None) -> int:
        """Forget every view (of ``kind``, when given); how many rows went."""
        p = schema.prepared_views.c
        statement = delete(schema.prepared_views)
        if kind is not None:
            statement = statement.where(p.kind == kind)
        with self.engine.begin() as conn:
            return int(conn.execute(statement).rowcount)
