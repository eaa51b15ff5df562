"""The Newsdesk service: one method per use case, the only thing the CLI and the web call."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Unpack

from newsdesk.errors import FetchError, InputError, StageError
from newsdesk.ingest.feeds import FeedEntry, ParsedFeed, entry_to_raw_document, parse_feed
from newsdesk.ingest.fetch import Fetcher
from newsdesk.ingest.files import classify, count_items, iter_sources
from newsdesk.ingest.opml import export_opml, parse_opml
from newsdesk.model import Feed, ItemResult, Outcome, StoredArticle
from newsdesk.names import slug
from newsdesk.pipeline import Pipeline
from newsdesk.service.alerts import Watchlists
from newsdesk.service.events import EventView, find_events
from newsdesk.service.ingestion import (
    Ingestor,
    IngestReport,
    NoProgress,
    ProgressSink,
    StoredListener,
)
from newsdesk.service.offline import demo_corpus, with_hint
from newsdesk.service.stories import StoryDesk
from newsdesk.store import ActorSummary, SearchHit, Store, StoreStats, TitleUse
from newsdesk.store.events import EventFilters
from newsdesk.urls import canonical_url

_FEED_TYPES = ("rss", "atom", "xml", "feed+json", "application/json")


@dataclass(frozen=True, slots=True)
class ActorView:
    """An actor with its titles over time and the articles that name it."""

    summary: ActorSummary
    titles: tuple[TitleUse, ...]
    articles: tuple[StoredArticle, ...]


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article with what the store knows around it: its copies and its original."""

    stored: StoredArticle
    copies: tuple[StoredArticle, ...]
    original: StoredArticle | None


@dataclass(frozen=True, slots=True)
class OpmlImport:
    """What importing a feed list did."""

    added: tuple[Feed, ...]
    known: tuple[Feed, ...]
    errors: tuple[InputError, ...]


class Newsdesk:
    """newsdesk's use cases over one store and one pipeline."""

    def __init__(
        self,
        store: Store,
        *,
        pipeline: Pipeline | None = None,
        fetcher: Fetcher | None = None,
        allow_private: bool = False,
    ) -> None:
        self.store = store
        self.pipeline = pipeline or Pipeline.from_config()
        self._fetcher = fetcher
        self.allow_private = allow_private
        self._ingestor: Ingestor | None = None
        # Told about each stored or reprocessed article (story assignment, alerts).
        self.listeners: list[StoredListener] = []
        self._stories = StoryDesk(store)
        self.listeners.append(self._stories)
        self._watchlists = Watchlists(store, allow_private=allow_private)
        self.listeners.append(self._watchlists.send_alerts)

    @classmethod
    def open(cls, db: str | Path, *, allow_private: bool = False) -> Newsdesk:
        """A desk over the database at ``db`` (created and migrated as needed)."""
        return cls(Store.open(db), allow_private=allow_private)

    def close(self) -> None:
        """Release the database and the HTTP client."""
        self._stories.flush()
        if self._fetcher is not None:
            self._fetcher.close()
        self.store.close()

    @property
    def ingestor(self) -> Ingestor:
        """The ingest engine, built on first use (it loads the near-duplicate index)."""
        if self._ingestor is None:
            self._ingestor = Ingestor(self.store, self.pipeline, self.listeners)
        return self._ingestor

    @property
    def watchlists(self) -> Watchlists:
        """Watches (an actor, a keyword, an event type) and the alerts ingest sends for them."""
        return self._watchlists

    @property
    def stories(self) -> StoryDesk:
        """Stories: articles grouped as they are stored, timelines, quotes, related articles."""
        return self._stories

    @property
    def fetcher(self) -> Fetcher:
        """The polite HTTP fetcher, created on first network use."""
        if self._fetcher is None:
            self._fetcher = Fetcher(allow_private=self.allow_private)
        return self._fetcher

    # actors -----------------------------------------------------------------------------------

    def actors(self, *, query: str | None = None, limit: int = 100) -> list[ActorSummary]:
        """Actors across articles, most covered first."""
        return self.store.actors.summaries(query=query, limit=limit)

    def actor(self, key: str) -> ActorView:
        """One actor: its record, titles over time, and the articles naming it."""
        summary = self.store.actors.get(key)
        key = summary.actor.key
        articles = tuple(self.store.article(i) for i in self.store.actors.article_ids(key))
        return ActorView(
            summary=summary, titles=tuple(self.store.actors.titles(key)), articles=articles
        )

    def merge_actors(self, into: str, other: str) -> ActorView:
        """Make ``other`` the same actor as ``into``, now and for later articles."""
        self.store.actors.merge(into, other)
        return self.actor(into)

    def alias_actor(self, key: str, alias: str) -> ActorView:
        """Let ``alias`` name the actor in later articles."""
        self.store.actors.add_alias(key, slug(alias), alias)
        return self.actor(key)

    def rename_actor(self, key: str, name: str) -> ActorView:
        """Give the actor a new display name."""
        self.store.actors.rename(key, name)
        return self.actor(key)

    # ingest -------------------------------------------------------------------------------------

    def ingest(
        self, sources: Sequence[str], *, progress: ProgressSink | None = None
    ) -> IngestReport:
        """Ingest files, folders, page URLs, feed URLs, feed files and OPML lists."""
        sink = progress or NoProgress()
        report = IngestReport()
        paths = [Path(s) for s in sources if "://" not in s]
        sink.expect(count_items(paths) + sum(1 for s in sources if "://" in s))
        for source in sources:
            if "://" in source:
                for result in self._ingest_url(source, sink):
                    sink.done(report.add(result))
                continue
            for result in self._ingest_path(Path(source), sink):
                sink.done(report.add(result))
        return report

    def _ingest_path(self, path: Path, sink: ProgressSink) -> Iterator[ItemResult]:
        if not path.exists():
            yield self.ingestor.fail(str(path), "no such file or folder")
            return
        if path.is_file() and classify(path) == "opml":
            yield from self._ingest_opml(path, sink)
            return
        if path.is_file() and classify(path) == "feed":
            try:
                feed = parse_feed(path.read_bytes(), url=path.resolve().as_uri())
            except InputError as exc:
                yield self.ingestor.fail(str(path), exc.reason)
                return
            yield from self._ingest_feed_entries(feed, sink)
            return
        if path.is_dir():
            for feed_file in sorted(path.rglob("*")):
                if feed_file.is_file() and classify(feed_file) == "feed":
                    yield from self._ingest_path(feed_file, sink)
        for item in iter_sources([path]):
            if isinstance(item, InputError):
                yield self.ingestor.fail(item.item, item.reason)
            else:
                yield self.ingestor.ingest(item)

    def _ingest_url(self, url: str, sink: ProgressSink) -> Iterator[ItemResult]:
        try:
            fetched = self.fetcher.fetch(url, accept="any")
        except FetchError as exc:
            yield self.ingestor.fail(url, exc.reason)
            return
        media = (fetched.content_type or "").lower()
        if any(kind in media for kind in _FEED_TYPES) or fetched.body.lstrip()[:5] == b"<?xml":
            try:
                feed = parse_feed(fetched.body, url=fetched.url, encoding=fetched.charset)
            except InputError as exc:
                if "html" not in media:
                    yield self.ingestor.fail(url, exc.reason)
                    return
            else:
                yield from self._ingest_feed_entries(feed, sink)
                return
        yield self.ingestor.ingest(fetched.to_raw_document())

    def _ingest_opml(self, path: Path, sink: ProgressSink) -> Iterator[ItemResult]:
        imported = self.import_opml(path)
        for error in imported.errors:
            yield self.ingestor.fail(error.item, error.reason)
        for feed in imported.added + imported.known:
            yield from self._poll(feed, sink)

    def _ingest_feed_entries(self, feed: ParsedFeed, sink: ProgressSink) -> Iterator[ItemResult]:
        sink.expect(len(feed.entries))
        for entry in feed.entries:
            yield self._ingest_entry(entry, feed)

    def _ingest_entry(self, entry: FeedEntry, feed: ParsedFeed) -> ItemResult:
        item = f"{feed.url}#{entry.guid or entry.url}"
        if entry.url and (known := self.store.article_id_for_url(canonical_url(entry.url))):
            return ItemResult(origin=item, outcome=Outcome.UNCHANGED, article_id=known)
        if entry.has_full_content:
            doc = entry_to_raw_document(entry, feed)
            return self.ingestor.ingest(with_hint(doc, "container", "feed"))
        if not entry.url:
            return self.ingestor.fail(item, "entry has neither full content nor a link")
        try:
            fetched = self.fetcher.fetch(entry.url, accept="html")
        except FetchError as exc:
            return self.ingestor.fail(entry.url, exc.reason)
        doc = fetched.to_raw_document()
        facts = [("title", entry.title), ("site", feed.title), ("container", "feed")]
        if entry.published:
            facts.append(("published", entry.published.isoformat()))
        for key, value in facts:
            if value:
                doc = with_hint(doc, key, value)
        return self.ingestor.ingest(doc)

    # feeds ------------------------------------------------------------------------------------

    def add_feed(self, url: str, *, title: str | None = None) -> tuple[Feed, bool]:
        """Follow a feed (not fetched until ``update``); returns it and whether it was new."""
        return self.store.add_feed(Feed(url=url, title=title))

    def feeds(self) -> list[Feed]:
        """Followed feeds with their fetch state."""
        return self.store.feeds()

    def remove_feed(self, url: str) -> bool:
        """Stop following a feed."""
        return self.store.remove_feed(url)

    def import_opml(self, path: Path) -> OpmlImport:
        """Follow every feed an OPML file lists; broken entries are reported, the rest kept."""
        result = parse_opml(path.read_bytes(), origin=str(path))
        added: list[Feed] = []
        known: list[Feed] = []
        for entry in result.feeds:
            feed, new = self.store.add_feed(
                Feed(url=entry.xml_url, title=entry.title, site_url=entry.html_url),
                category=entry.category,
            )
            (added if new else known).append(feed)
        return OpmlImport(added=tuple(added), known=tuple(known), errors=result.errors)

    def export_opml(self) -> str:
        """Every followed feed as an OPML 2.0 document."""
        return export_opml(self.store.feeds())

    def update_feeds(self, *, progress: ProgressSink | None = None) -> IngestReport:
        """Poll every followed feed once (conditional GET) and ingest new entries."""
        sink = progress or NoProgress()
        report = IngestReport()
        for feed in self.store.feeds():
            for result in self._poll(feed, sink):
                sink.done(report.add(result))
        return report

    def _poll(self, feed: Feed, sink: ProgressSink) -> Iterator[ItemResult]:
        now = datetime.now(UTC)
        try:
            fetched = self.fetcher.fetch(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, accept="feed"
            )
            parsed = None if fetched.not_modified else parse_feed(fetched.body, url=feed.url)
        except InputError as exc:
            status = exc.status if isinstance(exc, FetchError) else None
            self.store.record_fetch(
                _replace_feed(
                    feed, last_fetched=now, last_status=status, last_error=exc.reason,
                    error_count=feed.error_count + 1,
                )
            )  # fmt: skip
            yield self.ingestor.fail(feed.url, exc.reason)
            return
        self.store.record_fetch(
            _replace_feed(
                feed,
                title=(parsed.title if parsed else None) or feed.title,
                site_url=(parsed.site_url if parsed else None) or feed.site_url,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                last_fetched=now,
                last_status=fetched.status,
                last_error=None,
                error_count=0,
            )
        )
        if parsed is not None:
            yield from self._ingest_feed_entries(parsed, sink)

    # reading ----------------------------------------------------------------------------------

    def articles(self, *, limit: int | None = 50, offset: int = 0) -> list[StoredArticle]:
        """Stored articles, newest publication first."""
        return self.store.articles(limit=limit, offset=offset)

    def article(self, article_id: int) -> ArticleView:
        """One article with its copies and, for a copy, its original."""
        stored = self.store.article(article_id)
        copies = tuple(self.store.article(i) for i in self.store.copies_of(article_id))
        original = (
            self.store.article(stored.duplicate_of.original_id) if stored.duplicate_of else None
        )
        return ArticleView(stored=stored, copies=copies, original=original)

    def events(self, **filters: Unpack[EventFilters]) -> list[EventView]:
        """Stored events by actor, PLOVER type, status, date and article, latest first."""
        return find_events(self.store, **filters)

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search, best first."""
        return self.store.search(query, limit=limit)

    def stats(self) -> StoreStats:
        """What the store holds."""
        return self.store.stats()

    def failures(self, *, limit: int = 100) -> list[tuple[datetime, str, str]]:
        """The latest ingest failures with their reasons."""
        return self.store.failures(limit=limit)

    def reprocess(
        self,
        *,
        force: bool = False,
        stage: str | None = None,
        progress: ProgressSink | None = None,
    ) -> int:
        """Re-run the pipeline on articles a stale stage produced (any stage, or ``stage``);
        returns how many were redone."""
        sink = progress or NoProgress()
        ids = self.store.article_ids()
        sink.expect(len(ids))
        changed = 0
        for article_id in ids:
            try:
                done = self.ingestor.reprocess(article_id, force=force, stage=stage)
            except (InputError, StageError) as exc:
                self.store.log(str(article_id), Outcome.FAILED, reason=str(exc))
                done = False
            changed += done
            sink.done(
                ItemResult(
                    origin=str(article_id),
                    outcome=Outcome.NEW if done else Outcome.UNCHANGED,
                    article_id=article_id,
                )
            )
        return changed

    def demo(self, *, progress: ProgressSink | None = None) -> IngestReport:
        """Ingest the bundled sample corpus and follow its feed list (nothing is fetched)."""
        corpus = demo_corpus()
        sources = [str(corpus / part) for part in ("pages", "scrapes", "feeds")]
        report = self.ingest([s for s in sources if Path(s).exists()], progress=progress)
        if (corpus / "feeds.opml").exists():
            self.import_opml(corpus / "feeds.opml")
        return report


def _replace_feed(feed: Feed, **changes: object) -> Feed:
    return replace(feed, **changes)  # type: ignore[arg-type]
