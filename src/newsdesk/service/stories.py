"""Stories as a service: each stored article joins a story, and the views a reader needs.

An added article may also move earlier ones to another story, split one or end one (see
:mod:`newsdesk.stories.revisit`): the store follows, an ended story's id resolving to the story
that took its articles, and every story that gained or lost an article is recounted.

The clusterer's state is saved in the store every ``checkpoint_every`` assignments and when
the desk closes; on start it is loaded and any article stored after the last save is added
again in id order, so an interrupted run ends in the same stories as an uninterrupted one.
Each original article's term vector goes to the store's ``article_vectors`` (written in
batches, always before the state that covers it), not into that state. A story's views are
built from one read of its articles and kept until the story changes.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

from newsdesk.kept import LatestKept
from newsdesk.model import Article, ItemResult, StoredArticle
from newsdesk.service.related import RelatedFinder
from newsdesk.service.storyviews import (
    ReclusterReport,
    RelatedView,
    StoryListing,
    StoryPage,
    StoryView,
)
from newsdesk.store import Store
from newsdesk.store.stories import StoredStory, StoryMember
from newsdesk.stories.cluster import StoryClusterer
from newsdesk.stories.documents import StoryDoc, event_signature, lead_actors
from newsdesk.stories.sayings import WhoSaidWhat, who_said_what
from newsdesk.stories.summary import SummarySentence, central_title, summarise
from newsdesk.stories.timeline import Timeline, build_timeline
from newsdesk.stories.vectors import Sparse, decode, encode
from newsdesk.stories.whatsnew import Basis, WhatsNew, whats_new

# A story's activity: its original articles reported in the last days before the newest one.
ACTIVITY_DAYS = 3
SPARKLINE_DAYS = 14
TITLE_CANDIDATES = 60  # the latest originals whose headlines compete for the story's title
VECTOR_BATCH = 1000  # doc vectors held before they are written to the store
CACHED_PAGES = 64  # stories whose views are kept (until the story changes)
CACHED_LISTINGS = 8  # story lists (by since and limit) kept until the store's stories change


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
        leads=lead_actors(article.actors, article.mentions),
        duplicate_of=duplicate_of,
    )


class StoredVectors:
    """The clusterer's doc vectors in the store's ``article_vectors``: new ones are held and
    written in batches (:meth:`write`), reads look at the held ones first."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.held: dict[int, bytes] = {}

    def put(self, doc_id: int, vector: Mapping[int, float]) -> None:
        self.held[doc_id] = encode(vector)

    def get(self, doc_ids: Collection[int]) -> dict[int, Sparse]:
        blobs = {i: self.held[i] for i in doc_ids if i in self.held}
        blobs |= self.store.stories.vectors([i for i in doc_ids if i not in blobs])
        return {i: decode(blob) for i, blob in blobs.items()}

    def write(self) -> None:
        """Write the held vectors to the store."""
        self.store.stories.put_vectors(list(self.held.items()))
        self.held = {}


class StoryDesk:
    """Story assignment on ingest, and the story, timeline, quote and related views."""

    def __init__(self, store: Store, *, checkpoint_every: int = 25) -> None:
        self.store = store
        self.checkpoint_every = checkpoint_every
        self._clusterer: StoryClusterer | None = None
        self._vectors = StoredVectors(store)
        self._covered = 0  # the highest article id the clusterer holds
        self._unsaved = 0
        self._pages = LatestKept[int, tuple[datetime, StoryPage]]()  # by story, with version
        self._listings = LatestKept[tuple[datetime | None, int | None], list[StoryListing]]()
        self.finder = RelatedFinder(store, lambda: self.clusterer)

    # the clusterer ---------------------------------------------------------------------------

    @property
    def clusterer(self) -> StoryClusterer:
        """The clusterer, loaded from its saved state and caught up with the store."""
        if self._clusterer is None:
            saved = self.store.stories.load_state()
            vectors = self._vectors
            if saved is None:
                self._clusterer, self._covered = StoryClusterer(vectors=vectors), 0
            else:
                self._clusterer = StoryClusterer.from_bytes(saved[0], vectors=vectors)
                self._covered = saved[1]
                self._unsaved = len(vectors.held)  # an older state handed over its vectors
            behind = self.store.stories.articles_after(self._covered)
            links = self.store.stories.copy_links() if behind else {}
            for article_id in behind:
                self._add_stored(self.store.article(article_id), copy_links=links)
        return self._clusterer

    def load(self) -> None:
        """Load the clusterer and catch up with the store now (a second or so at 100k
        articles) rather than in the first request that needs it."""
        self.clusterer  # noqa: B018 - loading is the point

    def flush(self) -> None:
        """Save the clusterer's state if it changed since the last save (after the vectors of
        the articles it covers)."""
        self._vectors.write()
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
        stories = self.store.stories
        stories.assign(article_id, assignment.story_id, assignment.score, copy_of=duplicate_of)
        changed = {assignment.story_id}
        for story_id, docs in _grouped(assignment.moved, clusterer.story_of).items():
            left = stories.move(docs, story_id)
            changed |= {story_id, *(clusterer.resolve(i) for i in left)}
        for into, ended in _grouped(assignment.merged, clusterer.resolve).items():
            stories.merge(ended, into)
            changed.add(into)
        if refresh:
            for story_id in sorted(changed):
                self._refresh(story_id)
            self.finder.outdate(article_id)
        self._covered = max(self._covered, article_id)
        self._unsaved += 1
        if refresh and self._unsaved >= self.checkpoint_every:
            self.flush()
        elif len(self._vectors.held) >= VECTOR_BATCH:
            self._vectors.write()

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
        self.store.prepared.clear()
        self._vectors = StoredVectors(self.store)
        self._clusterer = StoryClusterer(vectors=self._vectors)
        self._covered, self._unsaved = 0, 0
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
        is judged by publication dates; ingest times count only when no article has a date.
        Ranked in the database; only the stories listed have their articles read. The list is
        kept until the store's fingerprint (:meth:`StoryRepository.fingerprint`) changes: an
        assignment, a merge or a refreshed story, in this process or another."""
        self.clusterer  # noqa: B018 - caught up with the store before reading it
        key = (since, limit)
        mark = self.store.stories.fingerprint()
        cached = self._listings.get(key, mark=mark)
        if cached is not None:
            return list(cached)
        listings = self._rank(since=since, limit=limit)
        self._listings.put(key, listings, keep=CACHED_LISTINGS, mark=mark)
        return list(listings)

    def _rank(self, *, since: datetime | None, limit: int | None) -> list[StoryListing]:
        ranked = self.store.stories.ranked(since=since, limit=limit, activity_days=ACTIVITY_DAYS)
        members = self.store.stories.members_of([story.id for story, _ in ranked])
        listings = []
        for story, recent in ranked:
            own = members.get(story.id, [])
            ids = {m.article_id for m in own}
            originals = [m for m in own if m.duplicate_of is None or m.duplicate_of not in ids]
            times = [m.published for m in originals if m.published]
            listings.append(
                StoryListing(
                    story=story, recent=recent, daily=_daily(times or _news_times(originals)),
                    members=tuple(own),
                )
            )  # fmt: skip
        return listings

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

    def record(self, story_id: int) -> StoredStory:
        """The live story's own row (title, counts, span, last update), without its articles."""
        return self.store.stories.story(self.resolve(story_id))

    def story_page(self, story_id: int) -> StoryPage:
        """The story, its timeline and who said what, from one read of its articles (kept
        until the story changes); a merged id shows the story it went into."""
        live = self.resolve(story_id)
        story = self.store.stories.story(live)
        cached = self._pages.get(live)
        if cached is None or cached[0] != story.updated_at:
            members = self.store.stories.members(live)
            articles = self._story_articles(members)
            view = StoryView(
                story=story, requested=live, merged=tuple(self.store.stories.merged_ids(live)),
                articles=tuple(articles), members=tuple(members),
                summary=tuple(summarise(articles)),
            )  # fmt: skip
            page = StoryPage(view=view, timeline=build_timeline(articles),
                             quotes=who_said_what(articles))  # fmt: skip
            cached = (story.updated_at, page)
            self._pages.put(live, cached, keep=CACHED_PAGES)
        page = cached[1]
        return replace(page, view=replace(page.view, requested=story_id))

    def _story_articles(self, members: list[StoryMember]) -> list[StoredArticle]:
        """A story's articles in member order: originals with what the views read, and
        syndicated copies of an article in the story as brief records only (every view
        folds them into their original and counts them once)."""
        present = {m.article_id for m in members}
        copies = {m.article_id for m in members if m.duplicate_of in present}
        full = self.store.stories.story_articles(
            [m.article_id for m in members if m.article_id not in copies]
        )
        found = {a.id: a for a in full} | self.store.briefs(copies)
        return [found[m.article_id] for m in members if m.article_id in found]

    def story(self, story_id: int) -> StoryView:
        """One story with its articles and summary; a merged id shows the story it went into.
        Its articles carry no entities, mentions or time expressions (no view reads them)."""
        return self.story_page(story_id).view

    def story_of(self, article_id: int) -> int | None:
        """The story an article is in."""
        return self._known_story(article_id)

    def timeline(self, story_id: int) -> Timeline:
        """The story's events by their own dates, background marked, status changes linked."""
        return self.story_page(story_id).timeline

    def quotes(self, story_id: int) -> WhoSaidWhat:
        """Who said what in the story, and the positions each actor took."""
        return self.story_page(story_id).quotes

    def summary(self, story_id: int) -> list[SummarySentence]:
        """A short extractive summary, each sentence citing its article."""
        return list(self.story_page(story_id).view.summary)

    def whats_new(
        self, story_id: int, since: datetime, *, basis: Basis = Basis.INGESTED
    ) -> WhatsNew:
        """What the story reported first after ``since``."""
        articles = self.store.stories.story_articles(self.article_ids(story_id))
        return whats_new(articles, since, basis=basis)

    def related(
        self, article_id: int, *, k: int = 5, stored: StoredArticle | None = None
    ) -> RelatedView:
        """The article's top ``k`` related articles with reasons, never itself or its copies
        (see :class:`newsdesk.service.related.RelatedFinder`). ``stored``: the article, when
        the caller has read it already."""
        return self.finder.related(article_id, k=k, stored=stored)


def _grouped(ids: Iterable[int], key: Callable[[int], int]) -> dict[int, list[int]]:
    """``ids`` by ``key`` (the story each went to), in their order."""
    groups: dict[int, list[int]] = {}
    for i in ids:
        groups.setdefault(key(i), []).append(i)
    return groups


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
