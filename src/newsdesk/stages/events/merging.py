"""Folding the mentions of one event within an article into a single event."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from newsdesk.model import Event


def compatible_dates(a: str | None, b: str | None) -> bool:
    """Dates that can name the same time: either unknown, or one a prefix of the other
    ("2025-05" and "2025-05-14")."""
    if a is None or b is None:
        return True
    return a.startswith(b) or b.startswith(a)


def same_event(a: Event, b: Event) -> bool:
    """Same type, a shared actor, the same status and compatible dates."""
    if a.type != b.type or not set(a.actors) & set(b.actors):
        return False
    return a.status == b.status and compatible_dates(a.date, b.date)


def _fold(kept: Event, other: Event) -> Event:
    best, rest = (kept, other) if kept.confidence >= other.confidence else (other, kept)
    return dataclasses.replace(
        best,
        actors=tuple(dict.fromkeys((*best.actors, *rest.actors))),
        recipients=tuple(
            k for k in dict.fromkeys((*best.recipients, *rest.recipients)) if k not in best.actors
        ),
        roles=tuple(dict.fromkeys((*best.roles, *rest.roles))),
        place=best.place or rest.place,
        country_code=best.country_code if best.place else rest.country_code,
        date=best.date or rest.date,
        granularity=best.granularity if best.date else rest.granularity,
        date_text=best.date_text if best.date else rest.date_text,
        condition=best.condition or rest.condition,
        mentions=best.mentions + rest.mentions,
    )


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Events in text order with the mentions of one event merged into the first that has the
    best evidence (highest confidence, earliest on ties)."""
    merged: list[Event] = []
    for event in events:
        for n, kept in enumerate(merged):
            if same_event(kept, event):
                merged[n] = _fold(kept, event)
                break
        else:
            merged.append(event)
    return sorted(merged, key=lambda e: (e.start, e.trigger_start))
