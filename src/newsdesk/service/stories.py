"""Stories as a service: each stored article joins a story, and the views a reader needs.

The clusterer's state is saved in the store every ``checkpoint_every`` assignments and when
the desk closes; on start it is loaded and any article stored after the last save is added
again in id order, so an interrupted run ends in the same stories as an uninterrupted one.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newsdesk.errors import StoreError
from newsdesk.model import Article, ItemResult, StoredArticle
from newsdesk.store import Store
from newsdesk.store.stories import StoredStory, StoryMember
from newsdesk.stories.cluster import StoryClusterer
from newsdesk.stories.documents import StoryDoc, event_signature
from newsdesk.stories.related import (
    PageLinkCheck,
    RelatedCandidate,
    RelatedPick,
    compare_page_links,
    pick_related,
)
from newsdesk.stories.sayings import WhoSaidWhat, who_said_what
from newsdesk.stories.summary import SummarySentence, central_title, summarise
from newsdesk.stories.timeline import Timeline, build_timeline
from newsdesk.stories.whatsnew import Basis, WhatsNew, whats_new
from newsdesk.urls import canonical_url

# A story's activity: its original articles reported in the last days before the newest one.
ACTIVITY_DAYS = 3
SPARKLINE_DAYS = 14
TITLE_CANDIDATES = 60  # the latest originals whose headlines compete for the story's title


@dataclass(frozen=True, slots=True)
class StoryListing:
    """A story in the list: its facts, recent activity and articles per day."""

    story: StoredStory
    recent: int  # original articles in the ACTIVITY_DAYS before the newest article stored
    daily: tuple[tuple[date, int], ...]  # original articles per day, up to its last one
    members: tuple[StoryMember, ...]


@dataclass(frozen=True, slots=True)
class StoryView:
    """One story: its facts, its articles (oldest first) and a short cited summary."""

    story: StoredStory
    requested: int  # the id asked for; differs from story.id when it was merged away
    merged: tuple[int, ...]  # story ids merged into this one
    articles: tuple[StoredArticle, ...]
    members: tuple[StoryMember, ...]
    summary: tuple[SummarySentence, ...]


@dataclass(frozen=True, slots=True)
class RelatedView:
    """An article's related picks, and how the page's own related block compares."""

    article: StoredArticle
    story_id: int | None
    picks: tuple[RelatedPick, ...]
    page_links: tuple[PageLinkCheck, ...]


@dataclass(frozen=True, slots=True)
class ReclusterReport:
    """What rebuilding the stories from scratch did."""

    articles: int
    stories: int
    seconds: float


def story_doc(article_id: int, article: Article, duplicate_of: int | None) -> StoryDoc:
    """The clusterer's view of an article."""
    return StoryDoc(
        id=article_id,
        title=article.title or "",
        text=article.text,
        published=article.published.value,
        outlet=article.domain or article.site,
        actors=tuple(dict.fromkeys(a.key for a in article.actors)),
        events=tuple(dict.fromkeys(event_signature(e) for e in article.events)),
        places=tuple(dict.fromkeys(p.name for p in article.places)),
        duplicate_of=duplicate_of,
    )


class StoryDesk:
    """Story assignment on ingest, and the story, timeline, quote and related views."""

    def __init__(self, store: Store, *, checkpoint_every: int = 25) -> None:
        self.store = store
        self.checkpoint_every = checkpoint_every
        self._clusterer: StoryClusterer | None = None
        self._covered = 0  # the highest article id the clusterer holds
        self._unsaved = 0

    # the clusterer ---------------------------------------------------------------------------

    @property
    def clusterer(self) -> StoryClusterer:
        """The clusterer, loaded from its saved state and caught up with the store."""
        if self._clusterer is None:
            saved = self.store.stories.load_state()
            if saved is None:
                self._clusterer, self._covered = StoryClusterer(), 0
            else:
                self._clusterer, self._covered = StoryClusterer.from_bytes(saved[0]), saved[1]
            links = self.store.stories.copy_links()
            for article_id in self.store.article_ids():
                if article_id > self._covered:
                    self._add_stored(self.store.article(article_id), copy_links=links)
        return self._clusterer

    def flush(self) -> None:
        """Save the clusterer's state if it changed since the last save."""
        if self._clusterer is not None and self._unsaved:
            self.store.stories.save_state(self._clusterer.to_bytes(), self._covered)
            self._unsaved = 0

    def __call__(self, article_id: int, article: Article, result: ItemResult | None) -> None:
        """The ingest listener: put a stored article in its story (a reprocessed one keeps
        its story; its story's title and counts are recomputed)."""
        known = self._known_story(article_id)  # loading may catch up, adding this very one
        if known is not None:
            self._refresh(known)
            return
        if result is not None:
            self._add(article_id, article, result.duplicate_of)
        else:
            self._add_stored(self.store.article(article_id))

    def _known_story(self, article_id: int) -> int | None:
        try:
            return self.clusterer.story_of(article_id)
        except KeyError:
            return None

    def _add_stored(
        self,
        stored: StoredArticle,
        *,
        refresh: bool = True,
        copy_links: dict[int, int | None] | None = None,
    ) -> None:
        """Add a stored article as it was added when stored: as a copy of the original it had
        then (recorded with its assignment), not of one that took over later."""
        links = self.store.stories.copy_links() if copy_links is None else copy_links
        if stored.id in links:
            original = links[stored.id]
        else:
            link = stored.duplicate_of
            original = link.original_id if link and link.original_id < stored.id else None
        self._add(stored.id, stored.article, original, refresh=refresh)

    def _add(
        self, article_id: int, article: Article, duplicate_of: int | None, *, refresh: bool = True
    ) -> None:
        clusterer = self._clusterer
        assert clusterer is not None
        assignment = clusterer.add(story_doc(article_id, article, duplicate_of))
        self.store.stories.assign(
            article_id, assignment.story_id, assignment.score, copy_of=duplicate_of
        )
        self.store.stories.merge(assignment.merged, assignment.story_id)
        if refresh:
            self._refresh(assignment.story_id)
        self._covered = max(self._covered, article_id)
        self._unsaved += 1
        if refresh and self._unsaved >= self.checkpoint_every:
            self.flush()

    def _refresh(self, story_id: int) -> StoredStory:
        members = self.store.stories.members(story_id)
        ids = {m.article_id for m in members}
        originals = [m for m in members if m.duplicate_of is None or m.duplicate_of not in ids]
        titles = [(m.article_id, m.title or "") for m in originals[-TITLE_CANDIDATES:]]
        best = central_title(titles)
        title = next((t for i, t in titles if i == best), None)
        return self.store.stories.refresh(story_id, title)

    def recluster(self) -> ReclusterReport:
        """Forget every story and add every article again in id order: the same stories the
        online path made for the same input order."""
        started = time.perf_counter()
        links = self.store.stories.copy_links()
        self.store.stories.clear()
        self._clusterer, self._covered, self._unsaved = StoryClusterer(), 0, 0
        ids = self.store.article_ids()
        for article_id in ids:
            self._add_stored(self.store.article(article_id), refresh=False, copy_links=links)
        live = self._clusterer.stories()
        for story_id in live:
            self._refresh(story_id)
        self.flush()
        return ReclusterReport(
            articles=len(ids), stories=len(live), seconds=time.perf_counter() - started
        )

    # reading ---------------------------------------------------------------------------------

    def stories(
        self, *, since: datetime | None = None, limit: int | None = 50
    ) -> list[StoryListing]:
        """Live stories, most active first: original articles published in the ACTIVITY_DAYS
        before the newest publication stored, then the latest publication, then size. Activity
        is judged by publication dates; ingest times count only when no article has a date."""
        self.clusterer  # noqa: B018 - caught up with the store before reading it
        found = self.store.stories.stories(since=since)
        members = self.store.stories.members_of([s.id for s in found])
        everyone = [m for own in members.values() for m in own]
        dated = any(m.published for m in everyone)
        clock = [m.published if dated else m.ingested_at for m in everyone]
        newest = max((t for t in clock if t), default=None)
        listings = []
        order: dict[int, tuple[int, float]] = {}
        for story in found:
            own = members.get(story.id, [])
            ids = {m.article_id for m in own}
            originals = [m for m in own if m.duplicate_of is None or m.duplicate_of not in ids]
            times = [t for m in originals if (t := m.published if dated else m.ingested_at)]
            recent = 0
            if newest is not None:
                cutoff = newest - timedelta(days=ACTIVITY_DAYS)
                recent = sum(1 for t in times if t >= cutoff)
            listings.append(
                StoryListing(
                    story=story, recent=recent, daily=_daily(times or _news_times(originals)),
                    members=tuple(own),
                )
            )  # fmt: skip
            order[story.id] = (-recent, -max(times).timestamp() if times else 0.0)
        listings.sort(key=lambda x: (*order[x.story.id], -x.story.article_count, x.story.id))
        return listings if limit is None else listings[:limit]

    def resolve(self, story_id: int) -> int:
        """The live story an id stands for (a merged id resolves to the story it went into)."""
        self.clusterer  # noqa: B018 - caught up with the store before reading it
        self.store.stories.story(story_id)  # StoreError when there never was such a story
        return self.store.stories.resolve(story_id)

    def article_ids(self, story_id: int) -> list[int]:
        """The ids of a story's articles, copies included, oldest report first."""
        return [m.article_id for m in self.store.stories.members(self.resolve(story_id))]

    def articles(self, story_id: int) -> list[StoredArticle]:
        """A story's articles, oldest report first."""
        return [self.store.article(i) for i in self.article_ids(story_id)]

    def story(self, story_id: int) -> StoryView:
        """One story with its articles and summary; a merged id shows the story it went into."""
        live = self.resolve(story_id)
        articles = self.articles(live)
        merged = tuple(self.store.stories.merged_ids(live))
        return StoryView(
            story=self.store.stories.story(live),
            requested=story_id,
            merged=merged,
            articles=tuple(articles),
            members=tuple(self.store.stories.members(live)),
            summary=tuple(summarise(articles)),
        )

    def story_of(self, article_id: int) -> int | None:
        """The story an article is in."""
        return self._known_story(article_id)

    def timeline(self, story_id: int) -> Timeline:
        """The story's events by their own dates, background marked, status changes linked."""
        return build_timeline(self.articles(story_id))

    def quotes(self, story_id: int) -> WhoSaidWhat:
        """Who said what in the story, and the positions each actor took."""
        return who_said_what(self.articles(story_id))

    def summary(self, story_id: int) -> list[SummarySentence]:
        """A short extractive summary, each sentence citing its article."""
        return summarise(self.articles(story_id))

    def whats_new(
        self, story_id: int, since: datetime, *, basis: Basis = Basis.INGESTED
    ) -> WhatsNew:
        """What the story reported first after ``since``."""
        return whats_new(self.articles(story_id), since, basis=basis)

    def related(self, article_id: int, *, k: int = 5) -> RelatedView:
        """The article's top ``k`` related articles with reasons, never itself or its copies."""
        stored = self.store.article(article_id)
        clusterer = self.clusterer
        if self._known_story(article_id) is None:
            raise StoreError(f"article {article_id} is in no story yet: run `newsdesk recluster`")
        root = stored.duplicate_of.original_id if stored.duplicate_of else article_id
        excluded = {root, *self.store.copies_of(root), *self.store.copies_of(article_id)}
        story_id = clusterer.story_of(article_id)
        spans: dict[int, StoredStory] = {}

        def span(sid: int) -> StoredStory:
            if sid not in spans:
                spans[sid] = self.store.stories.story(sid)
            return spans[sid]

        candidates = []
        for other, score in clusterer.similar(article_id, k=max(4 * k, 20)):
            if other in excluded or other == article_id:
                continue
            other_story = clusterer.story_of(other)
            candidates.append(
                RelatedCandidate(
                    stored=self.store.article(other), story_id=other_story, score=score,
                    story_first=span(other_story).first_seen,
                    story_last=span(other_story).last_seen,
                )
            )  # fmt: skip
        picks = pick_related(
            stored, story_id, candidates, excluded=excluded,
            story_first=span(story_id).first_seen, k=k,
        )  # fmt: skip
        found: dict[str, tuple[int, int | None]] = {}
        for link in stored.article.related_links:
            if link.url and (known := self.store.article_id_for_url(canonical_url(link.url))):
                found[link.url] = (known, self.store.stories.story_of(known))
        checks = compare_page_links(stored.article.related_links, found, story_id, picks)
        return RelatedView(
            article=stored, story_id=story_id, picks=tuple(picks), page_links=tuple(checks)
        )


def _news_times(members: list[StoryMember]) -> list[datetime]:
    """When the articles came out: publication dates, or ingest times when none has one."""
    return [m.published for m in members if m.published] or [m.ingested_at for m in members]


def _daily(times: list[datetime]) -> tuple[tuple[date, int], ...]:
    """Articles per day over the last SPARKLINE_DAYS of a story, zero days included."""
    if not times:
        return ()
    counts = Counter(t.date() for t in times)
    last = max(counts)
    first = max(min(counts), last - timedelta(days=SPARKLINE_DAYS - 1))
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return tuple((day, counts.get(day, 0)) for day in days)
