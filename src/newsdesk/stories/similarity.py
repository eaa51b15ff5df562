"""How alike an article and a story are beyond words: shared actors, events, places, leads, time."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Weights:
    """How much each kind of evidence adds to the text cosine. The actor, event and place
    bonuses only ever add, and only between a dated doc and a dated story; the leads term
    adds when an article is about the people its story is about and takes ``leads *
    lead_floor`` away when it is about none of them."""

    actors: float = 0.3
    events: float = 0.2
    places: float = 0.1
    time_decay: float = 0.3  # share of the score lost at the far edge of the window
    leads: float = 0.1  # weight of how alike the doc's and the story's leads are ...
    lead_floor: float = 0.0  # ... above (adds) or below (takes away) this cosine
    # Share of the actor, event and place bonus kept when the doc or the story has no date:
    # the same people and places recur across years (two players of one club arrested a year
    # apart), and only the time window tells such stories apart.
    undated: float = 0.0


def overlap(doc_items: Collection[str], story_items: Mapping[str, int]) -> float:
    """Share of the doc's items that the story already has (0 when the doc has none)."""
    if not doc_items:
        return 0.0
    return sum(1 for item in doc_items if item in story_items) / len(doc_items)


def event_core(signature: str) -> str:
    """An event signature without place and date: the same act by the same sides."""
    kind, _, rest = signature.partition("|")
    participants = rest.split("|", 1)[0]
    return f"{kind}|{participants}"


def event_overlap(doc_events: Collection[str], story_events: Mapping[str, int]) -> float:
    """Share of the doc's events the story reports: full credit for the same signature, half
    for the same type and participants at another place or date."""
    if not doc_events:
        return 0.0
    cores = {event_core(e) for e in story_events}
    credit = 0.0
    for event in doc_events:
        if event in story_events:
            credit += 1.0
        elif event_core(event) in cores:
            credit += 0.5
    return credit / len(doc_events)


def gap_days(when: float | None, first: float | None, last: float | None) -> float:
    """Days between a time and a story's span, all POSIX seconds (0 inside the span, or when
    either side is unknown)."""
    if when is None or first is None or last is None:
        return 0.0
    if when < first:
        return (first - when) / SECONDS_PER_DAY
    if when > last:
        return (when - last) / SECONDS_PER_DAY
    return 0.0


def time_factor(gap: float, window_days: float, decay: float) -> float:
    """1 for a same-day article, falling linearly by ``decay`` at the window's edge, 0 beyond."""
    if gap > window_days:
        return 0.0
    return 1.0 - decay * max(0.0, gap - 1.0) / max(window_days - 1.0, 1e-9)


def bonus_share(weights: Weights, *times: float | None) -> float:
    """How much of the actor, event and place bonus counts: all of it when every time given
    (the doc's, the story's) is known, else ``weights.undated``."""
    return 1.0 if all(t is not None for t in times) else weights.undated


def bonus(
    weights: Weights,
    *,
    actors: Collection[str],
    events: Collection[str],
    places: Collection[str],
    story_actors: Mapping[str, int],
    story_events: Mapping[str, int],
    story_places: Mapping[str, int],
) -> float:
    """What shared actors, events and places add to a doc's text similarity with a story."""
    return (
        weights.actors * overlap(actors, story_actors)
        + weights.events * event_overlap(events, story_events)
        + weights.places * overlap(places, story_places)
    )


def lead_counts(leads: Iterable[str]) -> dict[str, int]:
    """A doc's leads as weights for a story's lead profile: 2 for its first, 1 for the rest."""
    counts: dict[str, int] = {}
    for n, lead in enumerate(leads):
        counts[lead] = counts.get(lead, 0) + (2 if n == 0 else 1)
    return counts


def lead_term(weights: Weights, doc: Mapping[str, int], story: Mapping[str, int]) -> float:
    """What the leads add to (or take from) a score: ``leads * (cosine - lead_floor)`` of the
    doc's and the story's lead profiles; 0 when either names no lead."""
    if not doc or not story or not weights.leads:
        return 0.0
    shared = sum(w * story.get(lead, 0) for lead, w in doc.items())
    norms = math.sqrt(sum(w * w for w in doc.values()) * sum(w * w for w in story.values()))
    return weights.leads * (shared / norms - weights.lead_floor)
