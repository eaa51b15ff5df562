"""The Store: every read and write of newsdesk's data, taking and returning model records."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select, update
from sqlalchemy.engine import make_url

from newsdesk.errors import StoreError
from newsdesk.model import Article, DuplicateLink, Feed, Outcome, RawDocument, StoredArticle
from newsdesk.store import codec, schema
from newsdesk.store.actors import ActorRepository
from newsdesk.store.events import EventRepository, forget_events, write_events
from newsdesk.store.facets import FacetRepository
from newsdesk.store.migrations import migrate
from newsdesk.store.prepared import STORE_WAIT_MS, PreparedViews
from newsdesk.store.search import SearchHit, brief_articles, search_articles
from newsdesk.store.stories import StoryRepository
from newsdesk.store.watchlists import WatchlistRepository


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Counts for a summary line."""

    articles: int
    originals: int
    duplicates: int
    outlets: int
    feeds: int
    raw_documents: int
    failures: int


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the web reader) work while an ingest writes; NORMAL is durable in WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={STORE_WAIT_MS}")
    cursor.close()


class Store:
    """newsdesk's data behind one object; SQLite by default, any SQLAlchemy URL otherwise."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        migrate(engine)
        self.actors = ActorRepository(engine)
        self.events = EventRepository(engine, self.actors)
        self.facets = FacetRepository(engine)
        self.prepared = PreparedViews(engine)
        self.stories = StoryRepository(engine)
        self.watchlists = WatchlistRepository(engine)

    @classmethod
    def open(cls, target: str | Path) -> Store:
        """Open (and create or migrate) the database at a path or SQLAlchemy URL."""
        target = str(target)
        url = target if "://" in target else f"sqlite:///{Path(target).expanduser()}"
        if make_url(url).get_backend_name() == "sqlite":
            engine = create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        return cls(engine)

    def close(self) -> None:
        """Write what is still queued and release every connection."""
        self.prepared.close()
        self.engine.dispose()

    # raw documents ---------------------------------------------------------------------------

    def save_raw(self, doc: RawDocument) -> str:
        """Keep ``doc`` (compressed) unless its bytes are stored already; return its sha256."""
        row = codec.raw_to_row(doc)
        with self.engine.begin() as conn:
            exists = conn.execute(
                select(schema.raw_documents.c.sha256).where(
                    schema.raw_documents.c.sha256 == row["sha256"]
                )
            ).first()
            if exists is None:
                conn.execute(insert(schema.raw_documents).values(**row))
        return str(row["sha256"])

    def raw(self, sha256: str) -> RawDocument:
        """The raw document with this content address."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    select(schema.raw_documents).where(schema.raw_documents.c.sha256 == sha256)
                )
                .mappings()
                .first()
            )
        if row is None:
            raise StoreError(f"no raw document {sha256}")
        return codec.row_to_raw(row)

    # articles --------------------------------------------------------------------------------

    def article_id_for_raw(self, sha256: str) -> int | None:
        """The article extracted from these exact bytes, if any."""
        found = self._scalar(
            select(schema.articles.c.id).where(schema.articles.c.raw_sha256 == sha256).limit(1)
        )
        return None if found is None else int(found)

    def article_id_for_url(self, url: str) -> int | None:
        """The article stored under this canonical or fetched URL, if any."""
        a = schema.articles.c
        found = self._scalar(select(a.id).where(a.canonical_url == url).limit(1))
        if found is None:
            found = self._scalar(select(a.id).where(a.url == url).limit(1))
        return None if found is None else int(found)

    def article_ids_for_urls(self, urls: Collection[str]) -> dict[str, int]:
        """:meth:`article_id_for_url` for many URLs in two queries; those not stored are left
        out."""
        a = schema.articles.c
        wanted = list(dict.fromkeys(urls))
        found: dict[str, int] = {}
        with self.engine.connect() as conn:
            for column in (a.canonical_url, a.url):
                missing = [u for u in wanted if u not in found]
                if not missing:
                    break
                rows = conn.execute(
                    select(column, func.min(a.id)).where(column.in_(missing)).group_by(column)
                )
                found.update((str(u), int(i)) for u, i in rows)
        return found

    def articles_with_text_hash(self, text_hash: str) -> list[tuple[int, str | None]]:
        """(id, domain) of articles whose normalised text hashes to ``text_hash``, oldest first."""
        a = schema.articles.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.id, a.domain).where(a.text_hash == text_hash).order_by(a.id)
            ).all()
        return [(int(r[0]), r[1]) for r in rows]

    def add_article(
        self,
        article: Article,
        *,
        text_hash: str,
        minhash: bytes | None,
        duplicate_of: DuplicateLink | None = None,
    ) -> int:
        """Insert a new article (its raw document must be saved); return its id."""
        now = datetime.now(UTC)
        row = codec.article_to_row(article) | {
            "text_hash": text_hash,
            "minhash": minhash,
            "duplicate_of": duplicate_of.original_id if duplicate_of else None,
            "similarity": duplicate_of.similarity if duplicate_of else None,
            "duplicate_exact": int(duplicate_of.exact) if duplicate_of else 0,
            "ingested_at": now,
            "updated_at": now,
        }
        with self.engine.begin() as conn:
            row["outlet_id"] = self._outlet_id(conn, article.domain, article.site)
            result = conn.execute(insert(schema.articles).values(**row))
            key = result.inserted_primary_key
            assert key is not None
            write_events(conn, int(key[0]), article.events)
            return int(key[0])

    def replace_article(self, article_id: int, article: Article, *, text_hash: str) -> None:
        """Overwrite an article's extracted fields after reprocessing; links stay."""
        row = codec.article_to_row(article) | {
            "text_hash": text_hash,
            "updated_at": datetime.now(UTC),
        }
        row.pop("canonical_url")  # identity does not move under an article
        with self.engine.begin() as conn:
            row["outlet_id"] = self._outlet_id(conn, article.domain, article.site)
            conn.execute(
                update(schema.articles).where(schema.articles.c.id == article_id).values(**row)
            )
            forget_events(conn, article_id)
            write_events(conn, article_id, article.events)

    def article(self, article_id: int) -> StoredArticle:
        """One stored article; StoreError when there is none with that id."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(schema.articles).where(schema.articles.c.id == article_id))
                .mappings()
                .first()
            )
        if row is None:
            raise StoreError(f"no article with id {article_id}")
        return codec.row_to_article(row)

    def articles(
        self, *, limit: int | None = 50, offset: int = 0, newest_first: bool = True
    ) -> list[StoredArticle]:
        """Stored articles by publication date (unknown dates last)."""
        a = schema.articles.c
        order = [a.published.is_(None), a.published.desc() if newest_first else a.published, a.id]
        query = select(schema.articles).order_by(*order).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [codec.row_to_article(r) for r in conn.execute(query).mappings()]

    def copies_of(self, article_id: int) -> list[int]:
        """Ids of the stored copies (syndicated or near) linked to ``article_id``."""
        a = schema.articles.c
        with self.engine.connect() as conn:
            ids = conn.execute(select(a.id).where(a.duplicate_of == article_id).order_by(a.id))
            return [int(i) for i in ids.scalars()]

    def briefs(self, article_ids: Collection[int]) -> dict[int, StoredArticle]:
        """Brief records (identity, outlet, title, dates, duplicate link; no text or
        enrichments) by id, from the covering index."""
        with self.engine.connect() as conn:
            return brief_articles(conn, article_ids)

    def copies_and_original(
        self, article_id: int, original_id: int | None
    ) -> tuple[list[StoredArticle], StoredArticle | None]:
        """Brief records (no text or enrichments) of an article's copies, oldest first, and of
        its original, read in one indexed query."""
        a = schema.articles.c
        with self.engine.connect() as conn:  # the ids from the copy index, then brief rows
            ids = list(conn.execute(select(a.id).where(a.duplicate_of == article_id)).scalars())
            found = brief_articles(conn, [*ids, *([] if original_id is None else [original_id])])
        copies = [found[i] for i in sorted(ids) if i in found and i != original_id]
        return copies, found.get(original_id) if original_id is not None else None

    def copy_facts(self, article_id: int) -> tuple[str, bytes | None]:
        """(text hash, stored signature) of one article, for comparing copies."""
        a = schema.articles.c
        with self.engine.connect() as conn:
            row = conn.execute(select(a.text_hash, a.minhash).where(a.id == article_id)).first()
        if row is None:
            raise StoreError(f"no article with id {article_id}")
        return str(row[0]), None if row[1] is None else bytes(row[1])

    def relink_copies(self, links: dict[int, DuplicateLink]) -> None:
        """Point each article in ``links`` at a new original (one transaction)."""
        a = schema.articles.c
        with self.engine.begin() as conn:
            for article_id, link in links.items():
                conn.execute(
                    update(schema.articles)
                    .where(a.id == article_id)
                    .values(
                        duplicate_of=link.original_id,
                        similarity=link.similarity,
                        duplicate_exact=int(link.exact),
                        updated_at=datetime.now(UTC),
                    )
                )

    def minhashes(self) -> Iterator[tuple[int, bytes]]:
        """(id, signature) of every original article, for rebuilding the near-duplicate index."""
        a = schema.articles.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.id, a.minhash).where(a.duplicate_of.is_(None), a.minhash.is_not(None))
            )
            for article_id, signature in rows:
                yield int(article_id), bytes(signature)

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and texts, best first, with highlighted snippets."""
        with self.engine.connect() as conn:
            return search_articles(conn, query, limit=limit)

    # ingest log ------------------------------------------------------------------------------

    def log(
        self,
        origin: str,
        outcome: Outcome,
        *,
        reason: str | None = None,
        article_id: int | None = None,
        raw_sha256: str | None = None,
    ) -> None:
        """Record what happened to one ingested item."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(schema.ingest_log).values(
                    at=datetime.now(UTC),
                    origin=origin,
                    outcome=outcome.value,
                    reason=reason,
                    article_id=article_id,
                    raw_sha256=raw_sha256,
                )
            )

    def failures(self, *, limit: int = 100) -> list[tuple[datetime, str, str]]:
        """The latest failures: (when, item, reason)."""
        log = schema.ingest_log.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(log.at, log.origin, log.reason)
                .where(log.outcome == Outcome.FAILED.value)
                .order_by(log.id.desc())
                .limit(limit)
            ).all()
        return [(r[0], r[1], r[2] or "") for r in rows]

    # feeds -----------------------------------------------------------------------------------

    def add_feed(self, feed: Feed, *, category: str | None = None) -> tuple[Feed, bool]:
        """Follow ``feed``; returns the stored feed and whether it was new."""
        existing = self.feed(feed.url)
        if existing is not None:
            return existing, False
        with self.engine.begin() as conn:
            conn.execute(
                insert(schema.feeds).values(
                    url=feed.url,
                    title=feed.title,
                    site_url=feed.site_url,
                    category=category,
                    added_at=datetime.now(UTC),
                )
            )
        stored = self.feed(feed.url)
        assert stored is not None
        return stored, True

    def feed(self, url: str) -> Feed | None:
        """The followed feed with this URL, if any."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(schema.feeds).where(schema.feeds.c.url == url))
                .mappings()
                .first()
            )
        return codec.row_to_feed(row) if row else None

    def feeds(self) -> list[Feed]:
        """Every followed feed, in the order they were added."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.feeds).order_by(schema.feeds.c.id)).mappings()
            return [codec.row_to_feed(r) for r in rows]

    def remove_feed(self, url: str) -> bool:
        """Stop following a feed; its articles stay. True when there was one."""
        with self.engine.begin() as conn:
            result = conn.execute(schema.feeds.delete().where(schema.feeds.c.url == url))
            return bool(result.rowcount)

    def record_fetch(self, feed: Feed) -> None:
        """Save a feed's fetch state (ETag, Last-Modified, status, error)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.feeds)
                .where(schema.feeds.c.url == feed.url)
                .values(
                    title=feed.title,
                    site_url=feed.site_url,
                    etag=feed.etag,
                    last_modified=feed.last_modified,
                    last_fetched=feed.last_fetched,
                    last_status=feed.last_status,
                    last_error=feed.last_error,
                    error_count=feed.error_count,
                )
            )

    # summaries -------------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        """How much the store holds."""
        a = schema.articles.c
        count = func.count()
        return StoreStats(
            articles=self._scalar(select(count).select_from(schema.articles)) or 0,
            originals=self._scalar(select(count).where(a.duplicate_of.is_(None))) or 0,
            duplicates=self._scalar(select(count).where(a.duplicate_of.is_not(None))) or 0,
            outlets=self._scalar(select(count).select_from(schema.outlets)) or 0,
            feeds=self._scalar(select(count).select_from(schema.feeds)) or 0,
            raw_documents=self._scalar(select(count).select_from(schema.raw_documents)) or 0,
            failures=self._scalar(
                select(count).where(schema.ingest_log.c.outcome == Outcome.FAILED.value)
            )
            or 0,
        )

    def article_ids(self) -> Sequence[int]:
        """Every article id, oldest first."""
        with self.engine.connect() as conn:
            ids = conn.execute(select(schema.articles.c.id).order_by(schema.articles.c.id))
            return [int(i) for i in ids.scalars()]

    # internals -------------------------------------------------------------------------------

    def _scalar(self, query: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    @staticmethod
    def _outlet_id(conn: Any, domain: str | None, name: str | None) -> int | None:
        if not domain:
            return None
        o = schema.outlets.c
        found = conn.execute(select(o.id, o.name).where(o.domain == domain)).first()
        if found is not None:
            if name and not found[1]:
                conn.execute(update(schema.outlets).where(o.id == found[0]).values(name=name))
            return int(found[0])
        result = conn.execute(insert(schema.outlets).values(domain=domain, name=name))
        return int(result.inserted_primary_key[0])
