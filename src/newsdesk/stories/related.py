"""Related articles done right: nearest coverage with a reason, never copies, never filler."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from newsdesk.model import Event, EventStatus, RelatedLink, StoredArticle
from newsdesk.stories.timeline import outlet_of, reported_at

# Below this clusterer similarity an article is filler, whatever else it shares.
MIN_SIMILARITY = 0.12
# Another story's article is related only within this many days, unless it is an earlier round.
WINDOW_DAYS = 30.0
# Event types that mean a meeting: a shared one makes an older story "an earlier round of talks".
MEETING_TYPES = frozenset({"CONSULT", "MEET"})

_STATUS_NOUN: dict[str, str] = {
    EventStatus.PROPOSED: "proposal",
    EventStatus.DEMANDED: "demand",
    EventStatus.THREATENED: "threat",
    EventStatus.DECLINED: "refusal",
    EventStatus.DENIED: "denial",
    EventStatus.CONDITIONAL: "offer",
    EventStatus.PLANNED: "plan",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedCandidate:
    """Another article the clusterer found near, with its story and that story's span."""

    stored: StoredArticle
    story_id: int
    score: float  # the clusterer's similarity to the article
    story_first: datetime | None = None
    story_last: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedPick:
    """One related article and why it was picked."""

    article_id: int
    title: str | None
    outlet: str | None
    published: datetime | None
    story_id: int
    score: float
    same_story: bool
    reason: str
    shared_actors: tuple[str, ...] = ()  # actor keys
    shared_events: tuple[str, ...] = ()  # labels: "the ceasefire proposal"


@dataclass(frozen=True, slots=True, kw_only=True)
class PageLinkCheck:
    """One link of the page's own related block, and what newsdesk makes of it."""

    title: str
    url: str | None
    article_id: int | None  # the stored article at that address, if any
    story_id: int | None
    same_story: bool
    picked: bool  # whether newsdesk's related picks include it


def shared_event_labels(mine: Sequence[Event], theirs: Sequence[Event]) -> list[str]:
    """Events both articles report (same type and trigger word), as short labels."""
    seen = {(e.type, e.trigger.casefold()) for e in theirs}
    labels: dict[str, None] = {}
    for event in mine:
        if (event.type, event.trigger.casefold()) in seen:
            noun = _STATUS_NOUN.get(event.status)
            word = event.trigger.casefold()
            labels[f"the {word} {noun}" if noun else f"the {word}"] = None
    return list(labels)


def _names(keys: Sequence[str], names: Mapping[str, str]) -> str:
    shown = [names.get(k, k) for k in keys[:3]]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def pick_related(
    target: StoredArticle,
    target_story: int,
    candidates: Sequence[RelatedCandidate],
    *,
    excluded: Collection[int] = (),
    story_first: datetime | None = None,
    k: int = 5,
    min_similarity: float = MIN_SIMILARITY,
    window_days: float = WINDOW_DAYS,
) -> list[RelatedPick]:
    """The top ``k`` related articles: the same story first, then other stories that share
    actors (and events) within ``window_days``, or earlier rounds with the same actors.

    ``excluded`` holds the target's copies and original, never returned; copies among the
    candidates are skipped too (their original stands for them). ``story_first`` is the
    target story's first publication, against which "earlier" is judged.
    """
    banned = {target.id, *excluded}
    mine = target.article
    my_actors = {a.key for a in mine.actors}
    names = {a.key: a.name for a in mine.actors}
    when = reported_at(target)
    same: list[RelatedPick] = []
    other: list[RelatedPick] = []
    for cand in sorted(candidates, key=lambda c: (-c.score, c.stored.id)):
        stored = cand.stored
        if stored.id in banned or stored.duplicate_of is not None or cand.score < min_similarity:
            continue
        banned.add(stored.id)
        theirs = stored.article
        shared = [a.key for a in theirs.actors if a.key in my_actors]
        events = shared_event_labels(mine.events, theirs.events)
        pick = _pick(cand, shared, events)
        if cand.story_id == target_story:
            same.append(replace(pick, reason="same story", same_story=True))
            continue
        shared_types = {e.type for e in mine.events} & {e.type for e in theirs.events}
        if len(shared) < 2 and not (shared and shared_types):
            continue
        gap = abs((reported_at(stored) - when).total_seconds()) / 86400
        older = (
            story_first is not None
            and cand.story_last is not None
            and cand.story_last < story_first - timedelta(days=1)
        )
        if older:
            reason = (
                "earlier round of the same talks"
                if shared_types & MEETING_TYPES
                else f"earlier round with {_names(shared, names)}"
            )
        elif gap <= window_days:
            reason = f"shares actors {_names(shared, names)}"
            if events:
                reason += f" and {events[0]}"
        else:
            continue
        other.append(replace(pick, reason=reason))
    return (same + other)[:k]


def _pick(cand: RelatedCandidate, shared: list[str], events: list[str]) -> RelatedPick:
    stored = cand.stored
    return RelatedPick(
        article_id=stored.id,
        title=stored.article.title,
        outlet=outlet_of(stored),
        published=stored.article.published.value,
        story_id=cand.story_id,
        score=cand.score,
        same_story=False,
        reason="",
        shared_actors=tuple(shared),
        shared_events=tuple(events),
    )


def compare_page_links(
    links: Sequence[RelatedLink],
    stored_at: Mapping[str, tuple[int, int | None]],
    target_story: int | None,
    picks: Sequence[RelatedPick],
) -> list[PageLinkCheck]:
    """How the page's own related block compares with newsdesk's picks: ``stored_at`` maps a
    link's URL to (article id, story id) for the links the store holds."""
    picked = {p.article_id for p in picks}
    checks = []
    for link in links:
        found = stored_at.get(link.url) if link.url else None
        article_id, story_id = found if found else (None, None)
        checks.append(
            PageLinkCheck(
                title=link.title,
                url=link.url,
                article_id=article_id,
                story_id=story_id,
                same_story=story_id is not None and story_id == target_story,
                picked=article_id is not None and article_id in picked,
            )
        )
    return checks


def picks_to_json(picks: Sequence[RelatedPick]) -> bytes:
    """Related picks as compact JSON, to keep them beyond this process."""
    rows = [asdict(p) | {"published": p.published.isoformat() if p.published else None}
            for p in picks]  # fmt: skip
    return json.dumps(rows, separators=(",", ":")).encode()


def picks_from_json(body: bytes) -> list[RelatedPick]:
    """The picks :func:`picks_to_json` wrote."""
    picks = []
    for row in json.loads(body):
        fields: dict[str, Any] = row | {
            "published": datetime.fromisoformat(row["published"]) if row["published"] else None,
            "shared_actors": tuple(row["shared_actors"]),
            "shared_events": tuple(row["shared_events"]),
        }
        picks.append(RelatedPick(**fields))
    return picks
