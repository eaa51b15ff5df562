"""What changed in a story since a reader last looked: only what was first reported after T."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from newsdesk.model import StoredArticle
from newsdesk.stories.sayings import Saying, who_said_what
from newsdesk.stories.timeline import (
    Citation,
    StatusChange,
    TimelineEntry,
    build_timeline,
    cite,
    originals_with_copies,
)


class Basis(StrEnum):
    """Which time says when something was first reported."""

    INGESTED = "ingested"  # when newsdesk stored the article: what a returning reader missed
    PUBLISHED = "published"  # the outlet's publication date (ingest time when it has none)


@dataclass(frozen=True, slots=True, kw_only=True)
class NewQuote:
    """A quote first reported after T, with who said it."""

    actor: str
    name: str
    saying: Saying


@dataclass(frozen=True, slots=True, kw_only=True)
class NewActor:
    """An actor the story names for the first time after T."""

    actor: str
    name: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatsNew:
    """Everything first reported after ``since``, judged by ``basis``, each citing articles."""

    since: datetime
    basis: Basis
    articles: tuple[Citation, ...]
    events: tuple[TimelineEntry, ...]
    changes: tuple[StatusChange, ...]
    quotes: tuple[NewQuote, ...]
    actors: tuple[NewActor, ...]

    @property
    def empty(self) -> bool:
        """Whether nothing at all is new."""
        return not (self.articles or self.events or self.changes or self.quotes or self.actors)


def reported(citation: Citation, basis: Basis) -> datetime:
    """When a cited article reported its content, by ``basis``."""
    if basis == Basis.PUBLISHED and citation.published is not None:
        return citation.published
    return citation.ingested_at


def first_reported(citations: Iterable[Citation], basis: Basis) -> datetime | None:
    """The earliest report among ``citations``."""
    return min((reported(c, basis) for c in citations), default=None)


def _after(citations: Iterable[Citation], since: datetime, basis: Basis) -> bool:
    first = first_reported(citations, basis)
    return first is not None and first > since


def whats_new(
    articles: Iterable[StoredArticle],
    since: datetime,
    *,
    basis: Basis = Basis.INGESTED,
    names: Mapping[str, str] | None = None,
) -> WhatsNew:
    """The events, status changes, quotes, actors and articles of a story first reported
    after ``since`` (aware UTC); something also reported before ``since`` is not new."""
    basis = Basis(basis)
    articles = list(articles)
    sources = [(s, cite(s, copies)) for s, copies in originals_with_copies(articles)]
    new_articles = [c for _, c in sources if reported(c, basis) > since]
    new_articles.sort(key=lambda c: (reported(c, basis), c.article_id))
    timeline = build_timeline(articles)
    events = [e for e in timeline.entries if _after(e.citations, since, basis)]
    changes = [c for c in timeline.changes if _after(c.citations, since, basis)]
    said = who_said_what(articles, names=names)
    quotes = [
        NewQuote(actor=speaker.actor, name=speaker.name, saying=saying)
        for speaker in said.actors
        for saying in speaker.quotes
        if _after(saying.citations, since, basis)
    ]
    quotes.sort(key=lambda q: (first_reported(q.saying.citations, basis), q.actor))
    naming: dict[str, list[Citation]] = {}
    shown: dict[str, str] = dict(names or {})
    for stored, citation in sources:
        for actor in stored.article.actors:
            naming.setdefault(actor.key, []).append(citation)
            shown.setdefault(actor.key, actor.name)
    actors = [
        NewActor(actor=key, name=shown[key], citations=tuple(cited))
        for key, cited in naming.items()
        if _after(cited, since, basis)
    ]
    actors.sort(key=lambda a: (first_reported(a.citations, basis), a.name))
    return WhatsNew(
        since=since,
        basis=basis,
        articles=tuple(new_articles),
        events=tuple(events),
        changes=tuple(changes),
        quotes=tuple(quotes),
        actors=tuple(actors),
    )
