"""Views built once and kept in the database, so every web worker and the next start share them.

A web worker that builds a story page or an article's related list keeps the result here
under a *version*: a string the reader derives from the live data (a story's last update, the
alias map). A reader uses a row only when its version still matches; writers that know they
outdated rows (a new article near them) drop them. Keeping is best effort: when the database
is busy with another writer the view is simply not kept, and the page is still served. The web
reader writes behind: a thread of its own writes the rows in batches, so no request waits for
the write lock. Bodies are compressed (zlib's fastest level: HTML and JSON shrink several
times for a millisecond).
"""

from __future__ import annotations

import queue
import threading
import time
import zlib
from collections.abc import Collection
from contextlib import suppress
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from newsdesk.store import schema

KEY_CHUNK = 500  # keys per DELETE ... IN (...)
BUSY_WAIT_MS = 200  # how long keeping a view waits for another writer (SQLite)
STORE_WAIT_MS = 10_000  # how long any other write waits for another writer (SQLite)
WRITE_BEHIND_ROWS = 256  # rows a writer thread may be behind before views go unkept
WRITE_BATCH = 32  # rows the writer thread writes per transaction
CLOSE_WAIT_S = 10.0  # how long closing the store waits for the writer thread


Row = tuple[str, str, str, bytes]  # kind, key, version, body (not yet compressed)


class PreparedViews:
    """Bytes by (kind, key), valid under a version string."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: queue.Queue[Row | None] | None = None
        self._writer: threading.Thread | None = None

    def get(self, kind: str, key: str, version: str) -> bytes | None:
        """The body kept for (kind, key) if it was made under ``version``, else None."""
        p = schema.prepared_views.c
        query = select(p.body).where(p.kind == kind, p.key == key, p.version == version)
        with self.engine.connect() as conn:
            body = conn.execute(query).scalar()
        return None if body is None else zlib.decompress(body)

    def put(self, kind: str, key: str, version: str, body: bytes) -> bool:
        """Keep ``body`` for (kind, key) under ``version``, replacing what was there. False
        when nothing will be kept: the database stayed locked by another writer, or (writing
        behind) the writer is WRITE_BEHIND_ROWS behind."""
        row = (kind, key, version, body)
        if self._queue is not None:
            try:
                self._queue.put_nowait(row)
            except queue.Full:
                return False
            return True
        return self._write([row], wait_ms=BUSY_WAIT_MS)

    def write_behind(self) -> None:
        """From now on :meth:`put` hands rows to a writer thread and returns at once, so a
        request never waits for the write lock or the compression (the web reader does
        this); :meth:`flush` waits for the rows handed over so far."""
        if self._writer is None:
            self._queue = queue.Queue(maxsize=WRITE_BEHIND_ROWS)
            self._writer = threading.Thread(
                target=self._write_queued, name="newsdesk-prepared-views", daemon=True
            )
            self._writer.start()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every row handed to the writer thread is written (or given up); False
        if ``timeout`` seconds passed first."""
        if self._queue is None:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._queue.all_tasks_done.wait(left)
        return True

    def close(self, timeout: float = CLOSE_WAIT_S) -> None:
        """Write what is queued and stop the writer thread, waiting at most ``timeout``
        seconds (the thread is a daemon: what it has not written by then is not kept)."""
        if self._queue is not None and self._writer is not None:
            with suppress(queue.Full):  # a writer that far behind is not waited for
                self._queue.put(None, timeout=timeout)
            self._writer.join(timeout)
            self._queue, self._writer = None, None

    def _write_queued(self) -> None:
        assert self._queue is not None
        rows = self._queue
        while True:
            batch = [rows.get()]
            while len(batch) < WRITE_BATCH:
                try:
                    batch.append(rows.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write([r for r in batch if r is not None], wait_ms=STORE_WAIT_MS)
            except SQLAlchemyError:
                pass  # best effort: those views are built again when next asked for
            finally:
                for _ in batch:
                    rows.task_done()
            if None in batch:
                return

    def _write(self, rows: list[Row], *, wait_ms: int) -> bool:
        """Replace the rows in one transaction (the last of several for one key wins),
        waiting at most ``wait_ms`` for the lock."""
        latest = {(kind, key): (version, body) for kind, key, version, body in rows}
        if not latest:
            return True
        p = schema.prepared_views.c
        made = datetime.now(UTC)
        values = [{"kind": kind, "key": key, "version": version,
                   "body": zlib.compress(body, 1), "made_at": made}
                  for (kind, key), (version, body) in latest.items()]  # fmt: skip
        sqlite = self.engine.dialect.name == "sqlite"
        with self.engine.connect() as conn:
            if sqlite and wait_ms != STORE_WAIT_MS:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
                conn.commit()  # ends the transaction the pragma began
            try:
                with conn.begin():
                    for row in values:
                        conn.execute(
                            delete(schema.prepared_views).where(
                                p.kind == row["kind"], p.key == row["key"]
                            )
                        )
                    conn.execute(insert(schema.prepared_views), values)
            except OperationalError:
                return False
            finally:
                if sqlite and wait_ms != STORE_WAIT_MS:
                    conn.exec_driver_sql(f"PRAGMA busy_timeout={STORE_WAIT_MS}")
                    conn.commit()
        return True

    def keys(self, kind: str) -> set[str]:
        """The keys kept for ``kind`` (under any version)."""
        p = schema.prepared_views.c
        with self.engine.connect() as conn:
            return set(conn.execute(select(p.key).where(p.kind == kind)).scalars())

    def versions(self, kind: str) -> dict[str, str]:
        """The version each key of ``kind`` was kept under."""
        p = schema.prepared_views.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(p.key, p.version).where(p.kind == kind))
            return {str(k): str(v) for k, v in rows}

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
