"""Event queries for readers: stored events with the article, outlet and date they come from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Unpack

from newsdesk.model import Event
from newsdesk.store import Store
from newsdesk.store.events import EventFilters, StoredEvent


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


def find_events(store: Store, **filters: Unpack[EventFilters]) -> list[EventView]:
    """Stored events matching every filter given, latest first (see ``EventRepository.query``).

    ``actor`` may be a key, a merged-away key, or a name or alias in key form ("zelensky"),
    resolved as ``newsdesk actors show`` does (StoreError when it names no actor or several).
    ``status`` must be an EventStatus value. ``since`` goes by the event's own date, and by
    the article's publication date for events without one.
    """
    actor = filters.get("actor")
    if actor:
        filters["actor"] = store.actors.get(actor).actor.key
    return [_view(s) for s in store.events.query(**filters)]
