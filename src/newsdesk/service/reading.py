"""Reads the web reader needs beyond the core service: faceted search, an actor's page, and
quotes and events gathered across articles for lists and exports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newsdesk.kept import LatestKept
from newsdesk.model import Event, Quote, StoredArticle
from newsdesk.service.desk import ActorView, ArticleView, Newsdesk
from newsdesk.service.storyviews import RelatedView, StoryListing, StoryView
from newsdesk.store import HIGHLIGHT_END, HIGHLIGHT_START, ActorSummary, SearchHit, TitleUse
from newsdesk.store.facets import RANK_WINDOW, FacetValue, SearchFilters, SearchPage
from newsdesk.stories.sayings import WhoSaidWhat
from newsdesk.stories.timeline import Citation, Timeline, TimelineEntry
from newsdesk.stories.whatsnew import WhatsNew

KEPT_SEARCHES = 256  # search result pages kept until the store's content changes

# The records the web reader shows, re-exported so it needs nothing below the service.
__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "RANK_WINDOW",
    "ActorPage",
    "ActorSummary",
    "ArticleView",
    "Citation",
    "CoActor",
    "EventRecord",
    "FacetValue",
    "QuoteRecord",
    "ReadingDesk",
    "RelatedView",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "StoryListing",
    "StoryView",
    "Timeline",
    "TimelineEntry",
    "TitleUse",
    "WhatsNew",
    "WhoSaidWhat",
]

EXPORT_PAGE = 500  # articles read per query while streaming an export


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """A quote with the article it comes from and its speaker's display name."""

    article: StoredArticle
    quote: Quote
    speaker: str | None  # the resolved actor's name, else the speaker as written


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An event with the article that reports it and the names of the actors in it."""

    article: StoredArticle
    event: Event
    names: dict[str, str]  # actor key -> name, for the event's actors and recipients


@dataclass(frozen=True, slots=True)
class CoActor:
    """Another actor named in the same articles, with how many articles they share."""

    key: str
    name: str
    articles: int


@dataclass(frozen=True, slots=True)
class ActorPage:
    """Everything the actor page shows."""

    view: ActorView
    quotes: tuple[QuoteRecord, ...]
    events: tuple[EventRecord, ...]
    co_actors: tuple[CoActor, ...]


def _names(stored: StoredArticle, aliases: dict[str, str]) -> dict[str, str]:
    return {aliases.get(a.key, a.key): a.name for a in stored.article.actors}


def quotes_of(
    articles: Iterable[StoredArticle], aliases: dict[str, str], *, speaker: str | None = None
) -> Iterator[QuoteRecord]:
    """The quotes in ``articles`` (only ``speaker``'s when given), in article order."""
    for stored in articles:
        names = _names(stored, aliases)
        for quote in stored.article.quotes:
            key = aliases.get(quote.speaker_actor or "", quote.speaker_actor)
            if speaker is not None and key != speaker:
                continue
            name = names.get(key or "") or quote.speaker
            yield QuoteRecord(article=stored, quote=quote, speaker=name)


def events_of(
    articles: Iterable[StoredArticle], aliases: dict[str, str], *, actor: str | None = None
) -> Iterator[EventRecord]:
    """The events in ``articles`` (only those ``actor`` takes part in, when given)."""
    for stored in articles:
        names = _names(stored, aliases)
        for event in stored.article.events:
            keys = {aliases.get(k, k) for k in (*event.actors, *event.recipients)}
            if actor is not None and actor not in keys:
                continue
            yield EventRecord(article=stored, event=event, names=names)


class ReadingDesk:
    """Read-only views over a Newsdesk for the web reader and its exports."""

    def __init__(self, desk: Newsdesk) -> None:
        self.desk = desk
        self.prepared = desk.store.prepared  # views built once and kept for every process
        self._searches = LatestKept[tuple[Any, ...], SearchPage]()  # under the content mark

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        with_facets: bool = True,
    ) -> SearchPage:
        """Full-text search narrowed by facets (every article, newest first, without words).
        The latest KEPT_SEARCHES pages are kept until anything they read changes (the store's
        content mark), in this process or another; without a mark nothing is kept."""
        facets = self.desk.store.facets
        filters = filters or SearchFilters()
        key = (query.strip(), filters, limit, offset, with_facets)
        mark = facets.mark()
        if mark is not None and (kept := self._searches.get(key, mark=mark)) is not None:
            return kept
        found = facets.search(query, filters, limit=limit, offset=offset, with_facets=with_facets)
        if mark is not None:
            self._searches.put(key, found, keep=KEPT_SEARCHES, mark=mark)
        return found

    def article(self, article_id: int) -> ArticleView:
        """One article in full with brief records (titles, outlets, links) of its copies and
        original: the article page decodes no other article."""
        stored = self.desk.store.article(article_id)
        original_id = stored.duplicate_of.original_id if stored.duplicate_of else None
        copies, original = self.desk.store.copies_and_original(article_id, original_id)
        return ArticleView(stored=stored, copies=tuple(copies), original=original)

    def actor_page(self, key: str, *, co_actors: int = 15) -> ActorPage:
        """An actor with titles over time, what they said, their events and who appears
        beside them."""
        view = self.desk.actor(key)
        key = view.summary.actor.key
        aliases = self.desk.store.actors.alias_map()
        shared: Counter[str] = Counter()
        names: dict[str, str] = {}
        for stored in view.articles:
            article_names = _names(stored, aliases)
            names.update(article_names)
            shared.update(k for k in article_names if k != key)
        return ActorPage(
            view=view,
            quotes=tuple(quotes_of(view.articles, aliases, speaker=key)),
            events=tuple(events_of(view.articles, aliases, actor=key)),
            co_actors=tuple(
                CoActor(key=k, name=names[k], articles=n) for k, n in shared.most_common(co_actors)
            ),
        )

    def all_articles(self) -> Iterator[StoredArticle]:
        """Every stored article, newest first, read a page at a time."""
        offset = 0
        while True:
            batch = self.desk.articles(limit=EXPORT_PAGE, offset=offset)
            yield from batch
            if len(batch) < EXPORT_PAGE:
                return
            offset += EXPORT_PAGE

    def articles_matching(self, query: str, filters: SearchFilters) -> Iterator[StoredArticle]:
        """The articles a search page lists (all of them, not one page), for exports."""
        if not query.strip() and not filters.active():
            yield from self.all_articles()
            return
        found = self.desk.store.facets.search(
            query, filters, limit=EXPORT_PAGE * 2, with_facets=False, full=True,
            pool=EXPORT_PAGE * 2,
        )  # fmt: skip
        for hit in found.hits:
            yield hit.article

    def quotes(
        self, articles: Iterable[StoredArticle], *, speaker: str | None = None
    ) -> Iterator[QuoteRecord]:
        """The quotes of ``articles`` (only ``speaker``'s, an actor key, when given)."""
        return quotes_of(articles, self.desk.store.actors.alias_map(), speaker=speaker)

    def events(self, articles: Iterable[StoredArticle]) -> Iterator[EventRecord]:
        """The events of ``articles``, actors named."""
        return events_of(articles, self.desk.store.actors.alias_map())
