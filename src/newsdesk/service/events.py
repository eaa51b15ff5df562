"""Event queries for readers: stored events with the article, outlet and date they come from."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from newsdesk.errors import ConfigError
from newsdesk.model import Event, EventStatus
from newsdesk.store import Store
from newsdesk.store.events import StoredEvent

_STATUSES = tuple(s.value for s in EventStatus)


@dataclass(frozen=True, slots=True)
class EventView:
    """One event as a reader sees it: the record, its article, and its participants' names."""

    article_id: int
    title: str | None
    outlet: str | None  # the site's name, else its domain
    published: datetime | None
    event: Event
    names: dict[str, str]  # actor key -> display name

    def name(self, key: str) -> str:
        """The display name of an actor key of this event."""
        return self.names.get(key, key)

    @property
    def actor_names(self) -> tuple[str, ...]:
        """Who did it."""
        return tuple(self.name(k) for k in self.event.actors)

    @property
    def recipient_names(self) -> tuple[str, ...]:
        """Whom it was done to or with."""
        return tuple(self.name(k) for k in self.event.recipients)


def _view(stored: StoredEvent) -> EventView:
    return EventView(
        article_id=stored.article_id,
        title=stored.title,
        outlet=stored.site or stored.domain,
        published=stored.published,
        event=stored.event,
        names=stored.names,
    )


def find_events(
    store: Store,
    *,
    actor: str | None = None,
    type: str | None = None,
    status: str | None = None,
    since: date | None = None,
    article_ids: Collection[int] | None = None,
    limit: int | None = 100,
) -> list[EventView]:
    """Stored events matching every filter given, latest first.

    ``actor`` may be a key, a merged-away key, or a name or alias in key form ("zelensky"),
    resolved as ``newsdesk actors show`` does (StoreError when it names no actor or several).
    ``status`` must be an EventStatus value. ``since`` goes by the event's own date, and by
    the article's publication date for events without one.
    """
    if status is not None and status.strip().lower() not in _STATUSES:
        raise ConfigError(f"unknown event status {status!r}: one of {', '.join(_STATUSES)}")
    key = store.actors.get(actor).actor.key if actor else None
    found = store.events.query(
        actor=key, type=type, status=status, since=since, article_ids=article_ids, limit=limit
    )
    return [_view(s) for s in found]
