"""Events across articles: an index of every article's events, queried by actor, type, status,
date and article.

The full records stay where the article keeps them (the ``articles.events`` JSON column); the
``events`` table holds one row per event with the fields queries filter on, and
``event_actors`` one row per participant. Rows are written in the same transaction as their
article, so the index never disagrees with the articles.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, TypedDict, Unpack

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
)

from newsdesk.errors import ConfigError
from newsdesk.model import Event, EventRole, EventStatus
from newsdesk.store import codec, schema
from newsdesk.store.actors import ActorRepository

_STATUSES = tuple(s.value for s in EventStatus)


class EventFilters(TypedDict, total=False):
    """The filters of an event query, each optional; the ones given must all match."""

    actor: str | None  # an actor key here; the service also takes a name or an alias
    type: str | None  # a PLOVER type, any case
    status: str | None  # an EventStatus value, any case
    since: date | None
    article_ids: Collection[int] | None
    limit: int | None  # at most this many (100 when not given, None for all)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One stored event with the article it comes from; actor keys are canonical."""

    article_id: int
    position: int  # index into the article's events
    event: Event
    title: str | None
    site: str | None
    domain: str | None
    published: datetime | None
    names: dict[str, str]  # display name of every actor key the event names


def event_rows(
    article_id: int, events: Sequence[Event]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``events`` and ``event_actors`` rows of one article's events."""
    rows: list[dict[str, Any]] = []
    participants: list[dict[str, Any]] = []
    for position, event in enumerate(events):
        rows.append(
            {
                "article_id": article_id, "position": position, "type": event.type,
                "mode": event.mode, "cameo": event.cameo, "status": event.status,
                "date": event.date, "granularity": event.granularity, "place": event.place,
                "country_code": event.country_code, "summary": event.summary,
                "confidence": event.confidence, "asserted_by": event.asserted_by,
            }
        )  # fmt: skip
        for role, keys in (("actor", event.actors), ("recipient", event.recipients)):
            participants.extend(
                {"article_id": article_id, "position": position, "actor_key": key, "role": role}
                for key in dict.fromkeys(keys)
            )
    return rows, participants


def write_events(conn: Connection, article_id: int, events: Sequence[Event]) -> None:
    """Index an article's events (inside the caller's transaction)."""
    rows, participants = event_rows(article_id, events)
    if rows:
        conn.execute(insert(schema.events), rows)
    if participants:
        conn.execute(insert(schema.event_actors), participants)


def forget_events(conn: Connection, article_id: int) -> None:
    """Drop an article's index rows before it is indexed again (reprocessing)."""
    conn.execute(delete(schema.event_actors).where(schema.event_actors.c.article_id == article_id))
    conn.execute(delete(schema.events).where(schema.events.c.article_id == article_id))


def backfill_events(conn: Connection) -> int:
    """Index the events of every article stored before the index existed; returns how many."""
    a = schema.articles.c
    indexed = select(schema.events.c.article_id).distinct()
    rows = conn.execute(
        select(a.id, a.events).where(a.events != "[]", a.id.not_in(indexed)).order_by(a.id)
    )
    count = 0
    for article_id, stored in rows.all():
        events = codec.json_to_records(Event, stored)
        write_events(conn, int(article_id), events)
        count += len(events)
    return count


def _canonical(event: Event, aliases: dict[str, str]) -> Event:
    """``event`` with actor keys mapped through the user's merges and aliases."""
    if not aliases:
        return event

    def keys(found: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(aliases.get(k, k) for k in found))

    actors = keys(event.actors)
    return replace(
        event,
        actors=actors,
        recipients=tuple(k for k in keys(event.recipients) if k not in actors),
        roles=tuple(
            dict.fromkeys(
                EventRole(actor=aliases.get(r.actor, r.actor), role=r.role) for r in event.roles
            )
        ),
        asserted_by=aliases.get(event.asserted_by, event.asserted_by)
        if event.asserted_by
        else None,
    )


class EventRepository:
    """Reads the event index; the Store writes it with each article."""

    def __init__(self, engine: Engine, actors: ActorRepository) -> None:
        self.engine = engine
        self.actors = actors

    def count(self) -> int:
        """How many events are indexed."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.events)).scalar_one())

    def query(self, **filters: Unpack[EventFilters]) -> list[StoredEvent]:
        """Events matching every filter given, latest first.

        ``actor`` is an actor key; a merged-away key or an alias key finds the actor it now
        stands for, and the actor may be a doer or a recipient. ``type`` and ``status`` match in
        any case; a ``status`` that is no EventStatus value is a ConfigError. ``since`` keeps
        events dated on or after that day by their own date, where a month or year counts when
        it reaches the day ("2025-05" is kept for 2025-05-10); events without a calendar date go
        by their article's publication date. Order: event date (else publication day), newest
        first.
        """
        actor, type, status = filters.get("actor"), filters.get("type"), filters.get("status")
        since, article_ids = filters.get("since"), filters.get("article_ids")
        limit = filters.get("limit", 100)
        if status is not None and status.strip().lower() not in _STATUSES:
            raise ConfigError(f"unknown event status {status!r}: one of {', '.join(_STATUSES)}")
        e, ea, a = schema.events.c, schema.event_actors.c, schema.articles.c
        aliases = self.actors.alias_map()
        dated = and_(
            e.date.is_not(None),
            func.substr(e.date, 1, 1) >= "0",
            func.substr(e.date, 1, 1) <= "9",
            not_(e.date.contains("W")),
        )
        day = case((dated, e.date), else_=func.substr(a.published, 1, 10))
        stmt = (
            select(e.article_id, e.position, a.events, a.actors, a.title, a.site, a.domain,
                   a.published)
            .join(schema.articles, a.id == e.article_id)
            .order_by(day.desc().nulls_last(), e.article_id.desc(), e.position)
        )  # fmt: skip
        if actor:
            canonical = aliases.get(actor, actor)
            keys = {canonical} | {alias for alias, key in aliases.items() if key == canonical}
            stmt = stmt.where(
                exists().where(
                    ea.article_id == e.article_id,
                    ea.position == e.position,
                    ea.actor_key.in_(sorted(keys)),
                )
            )
        if type:
            stmt = stmt.where(e.type == type.strip().upper())
        if status:
            stmt = stmt.where(e.status == status.strip().lower())
        if since is not None:
            day_text = since.isoformat()
            midnight = datetime(since.year, since.month, since.day, tzinfo=UTC)
            reaches = e.date >= func.substr(literal(day_text), 1, func.length(e.date))
            stmt = stmt.where(or_(and_(dated, reaches), and_(not_(dated), a.published >= midnight)))
        if article_ids is not None:
            stmt = stmt.where(e.article_id.in_(sorted(set(article_ids))))
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            return self._stored(conn, rows, aliases)

    def _stored(
        self, conn: Connection, rows: Sequence[Any], aliases: dict[str, str]
    ) -> list[StoredEvent]:
        decoded: dict[int, tuple[tuple[Event, ...], dict[str, str]]] = {}
        picked: list[tuple[Any, Event, dict[str, str]]] = []
        for row in rows:
            if row.article_id not in decoded:
                names = {
                    aliases.get(item["key"], item["key"]): item["name"]
                    for item in json.loads(row.actors or "[]")
                }
                decoded[row.article_id] = (codec.json_to_records(Event, row.events), names)
            events, names = decoded[row.article_id]
            picked.append((row, _canonical(events[row.position], aliases), names))
        # A user's rename lives in the actor table and wins over the name the article used.
        keys = {k for _, event, _ in picked for k in _participants(event)}
        ac = schema.actors.c
        current = {
            str(k): str(n)
            for k, n in conn.execute(select(ac.key, ac.name).where(ac.key.in_(sorted(keys))))
        }
        return [
            StoredEvent(
                article_id=int(row.article_id), position=int(row.position), event=event,
                title=row.title, site=row.site, domain=row.domain, published=row.published,
                names={k: current.get(k) or names.get(k, k) for k in _participants(event)},
            )
            for row, event, names in picked
        ]  # fmt: skip


def _participants(event: Event) -> list[str]:
    """Every actor key an event names: doers, recipients, role holders, the asserting source."""
    found = [*event.actors, *event.recipients, *(r.actor for r in event.roles)]
    if event.asserted_by:
        found.append(event.asserted_by)
    return list(dict.fromkeys(found))
