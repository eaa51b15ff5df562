"""Watchlists: the watches a user keeps and the alerts they fired, one row per watch and article.

An alert row is written (claimed) before its delivery is attempted, under a unique
(watch, article) index: an article can fire a watch once, even when ingest runs twice or a
delivery is retried, and a failed delivery stays visible with its error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsdesk.errors import StoreError
from newsdesk.store import schema

WatchKind = Literal["actor", "keyword", "event"]
WATCH_KINDS: tuple[WatchKind, ...] = ("actor", "keyword", "event")


@dataclass(frozen=True, slots=True, kw_only=True)
class Watch:
    """Something a user follows and the address alerts about it go to."""

    id: int
    kind: WatchKind
    value: str  # an actor key, a phrase, or an event type
    notify: str  # a webhook (http/https) or apprise URL
    status: str | None = None  # event watches: only events with this status fire
    created_at: datetime
    active: bool = True

    def describe(self) -> str:
        """The watch as a person would say it: "event CONSULT (planned)"."""
        status = f" ({self.status})" if self.status else ""
        return f"{self.kind} {self.value}{status}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """One firing of a watch for one article, with how its delivery went."""

    id: int
    watch_id: int
    article_id: int
    matched: str
    fired_at: datetime
    delivered: bool
    error: str | None


def _watch(row: Any) -> Watch:
    return Watch(
        id=int(row["id"]),
        kind=row["kind"],
        value=row["value"],
        notify=row["notify"],
        status=row["status"],
        created_at=row["created_at"],
        active=bool(row["active"]),
    )


def _alert(row: Any) -> Alert:
    return Alert(
        id=int(row["id"]),
        watch_id=int(row["watch_id"]),
        article_id=int(row["article_id"]),
        matched=row["matched"],
        fired_at=row["fired_at"],
        delivered=bool(row["delivered"]),
        error=row["error"],
    )


class WatchlistRepository:
    """Reads and writes the ``watches`` and ``alerts`` tables."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # watches ---------------------------------------------------------------------------------

    def add(self, kind: WatchKind, value: str, notify: str, *, status: str | None = None) -> Watch:
        """Keep a new, active watch and return it."""
        if kind not in WATCH_KINDS:
            raise StoreError(f"unknown watch kind {kind!r} (one of {', '.join(WATCH_KINDS)})")
        if status is not None and kind != "event":
            raise StoreError("only event watches take a status")
        if not value.strip() or not notify.strip():
            raise StoreError("a watch needs a value and a notify URL")
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(schema.watches).values(
                    kind=kind, value=value, status=status, notify=notify,
                    created_at=datetime.now(UTC), active=1,
                )
            )  # fmt: skip
            key = result.inserted_primary_key
            assert key is not None
        return self.get(int(key[0]))

    def get(self, watch_id: int) -> Watch:
        """One watch; StoreError when there is none with that id."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(schema.watches).where(schema.watches.c.id == watch_id))
                .mappings()
                .first()
            )
        if row is None:
            raise StoreError(f"no watch with id {watch_id}")
        return _watch(row)

    def watches(self, *, active_only: bool = False) -> list[Watch]:
        """Every watch (or only the active ones), oldest first."""
        w = schema.watches.c
        query = select(schema.watches).order_by(w.id)
        if active_only:
            query = query.where(w.active == 1)
        with self.engine.connect() as conn:
            return [_watch(r) for r in conn.execute(query).mappings()]

    def set_active(self, watch_id: int, active: bool) -> Watch:
        """Pause or resume a watch; its past alerts stay."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(schema.watches)
                .where(schema.watches.c.id == watch_id)
                .values(active=int(active))
            )
        if not result.rowcount:
            raise StoreError(f"no watch with id {watch_id}")
        return self.get(watch_id)

    def remove(self, watch_id: int) -> bool:
        """Forget a watch and its alerts; True when there was one."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.alerts).where(schema.alerts.c.watch_id == watch_id))
            result = conn.execute(delete(schema.watches).where(schema.watches.c.id == watch_id))
            return bool(result.rowcount)

    # alerts ----------------------------------------------------------------------------------

    def claim(self, watch_id: int, article_id: int, matched: str) -> int | None:
        """Record that ``article_id`` fired ``watch_id`` (not yet delivered) and return the
        alert's id; None when this pair fired before, so the caller must not deliver again."""
        try:
            with self.engine.begin() as conn:
                result = conn.execute(
                    insert(schema.alerts).values(
                        watch_id=watch_id, article_id=article_id, matched=matched,
                        fired_at=datetime.now(UTC), delivered=0, error=None,
                    )
                )  # fmt: skip
        except IntegrityError:
            if self.fired(watch_id, [article_id]):
                return None
            raise StoreError(f"no watch {watch_id} or no article {article_id}") from None
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def fired(self, watch_id: int, article_ids: list[int]) -> bool:
        """Whether ``watch_id`` already fired for any of ``article_ids``."""
        if not article_ids:
            return False
        a = schema.alerts.c
        query = select(a.id).where(a.watch_id == watch_id, a.article_id.in_(article_ids)).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def record_delivery(self, alert_id: int, *, error: str | None) -> None:
        """Mark an alert delivered, or keep why its delivery failed (``error``)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.alerts)
                .where(schema.alerts.c.id == alert_id)
                .values(delivered=int(error is None), error=error)
            )

    def alerts(self, *, watch_id: int | None = None, limit: int = 50) -> list[Alert]:
        """The latest alerts, newest first, of one watch or of all."""
        a = schema.alerts.c
        query = select(schema.alerts).order_by(a.id.desc()).limit(limit)
        if watch_id is not None:
            query = query.where(a.watch_id == watch_id)
        with self.engine.connect() as conn:
            return [_alert(r) for r in conn.execute(query).mappings()]
