"""Who said what in a story: quotes grouped by speaker, and the positions each actor took."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.model import EventStatus, StoredArticle
from newsdesk.stories.timeline import (
    Citation,
    cite,
    event_label,
    originals_with_copies,
    reported_at,
)

# The statuses that say where an actor stands, rather than what happened.
POSITION_STATUSES = frozenset(
    {
        EventStatus.PROPOSED,
        EventStatus.DECLINED,
        EventStatus.DEMANDED,
        EventStatus.THREATENED,
        EventStatus.DENIED,
        EventStatus.CONDITIONAL,
    }
)

_QUOTE_MARKS = re.compile(r"[\"'“”‘’«»„]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Saying:
    """One thing an actor said; the same words in several articles are one saying."""

    content: str
    kind: str  # "direct" or "reported"
    first_reported: datetime
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """A stance an actor took, read from an event they are an actor of."""

    status: str  # proposed, declined, demanded, threatened, denied, conditional
    type: str
    label: str
    date: str | None  # the event's TIMEX3 date
    condition: str | None
    first_reported: datetime
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorSayings:
    """Everything one actor said and every position they took in a story."""

    actor: str  # actor key
    name: str
    quotes: tuple[Saying, ...]
    positions: tuple[Position, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class WhoSaidWhat:
    """A story's speakers, most quoted first, and how many quotes had no resolved speaker."""

    actors: tuple[ActorSayings, ...]
    unattributed: int


def quote_key(content: str) -> str:
    """The form under which two reports of the same words are one saying."""
    return _SPACE.sub(" ", _QUOTE_MARKS.sub("", content)).strip(" .,;:").casefold()


@dataclass(slots=True)
class _Gathered:
    first: datetime
    kind: str
    content: str
    label: str = ""
    date: str | None = None
    condition: str | None = None
    type: str = ""
    citations: list[Citation] = field(default_factory=list)

    def cite(self, citation: Citation, when: datetime) -> None:
        if all(c.article_id != citation.article_id for c in self.citations):
            self.citations.append(citation)
        self.first = min(self.first, when)


def who_said_what(
    articles: Iterable[StoredArticle], *, names: Mapping[str, str] | None = None
) -> WhoSaidWhat:
    """Quotes grouped by speaker and positions per actor; ``names`` overrides display names
    (a user's renames); otherwise the name the earliest article gave the actor is used."""
    quotes: dict[str, dict[str, _Gathered]] = {}
    positions: dict[str, dict[tuple[str, str, str], _Gathered]] = {}
    known: dict[str, str] = {}
    unattributed = 0
    for stored, copies in originals_with_copies(articles):
        article = stored.article
        citation, when = cite(stored, copies), reported_at(stored)
        for actor in article.actors:
            known.setdefault(actor.key, actor.name)
        for quote in article.quotes:
            if quote.speaker_actor is None:
                unattributed += 1
                continue
            said = quotes.setdefault(quote.speaker_actor, {})
            key = quote_key(quote.content)
            if key not in said:
                said[key] = _Gathered(first=when, kind=quote.kind, content=quote.content)
            said[key].cite(citation, when)
        for event in article.events:
            if event.status not in POSITION_STATUSES:
                continue
            for actor_key in dict.fromkeys(event.actors):
                taken = positions.setdefault(actor_key, {})
                pkey = (event.type, event.status, event.date or "")
                if pkey not in taken:
                    taken[pkey] = _Gathered(
                        first=when, kind=event.status, content="", label=event_label(event),
                        date=event.date, condition=event.condition, type=event.type,
                    )  # fmt: skip
                taken[pkey].cite(citation, when)
    names = names or {}
    result = []
    for actor_key in dict.fromkeys([*quotes, *positions]):
        quoted = sorted(quotes.get(actor_key, {}).values(), key=lambda g: (g.first, g.content))
        stances = sorted(positions.get(actor_key, {}).values(), key=lambda g: (g.first, g.label))
        result.append(
            ActorSayings(
                actor=actor_key,
                name=names.get(actor_key) or known.get(actor_key) or actor_key,
                quotes=tuple(
                    Saying(content=g.content, kind=g.kind, first_reported=g.first,
                           citations=tuple(g.citations))
                    for g in quoted
                ),
                positions=tuple(
                    Position(status=g.kind, type=g.type, label=g.label, date=g.date,
                             condition=g.condition, first_reported=g.first,
                             citations=tuple(g.citations))
                    for g in stances
                ),
            )
        )  # fmt: skip
    # Most quoted first: every article reporting a saying counts.
    result.sort(key=lambda a: (-sum(len(q.citations) for q in a.quotes), -len(a.positions), a.name))
    return WhoSaidWhat(actors=tuple(result), unattributed=unattributed)
