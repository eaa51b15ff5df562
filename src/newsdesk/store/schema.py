"""The database tables, written once in SQLAlchemy Core for SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes as ISO-8601 text: SQLite's DateTime would silently drop the zone."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: newsdesk stores aware UTC only")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


ENRICHMENT_FIELDS = ("entities", "actors", "mentions", "quotes", "times", "places", "events")

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

raw_documents = Table(
    "raw_documents",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("origin", Text, nullable=False),
    Column("url", Text),
    Column("content_type", String(200)),
    Column("encoding", String(64)),
    Column("fetched_at", UTCDateTime),
    Column("size", Integer, nullable=False),
    Column("hints", Text, nullable=False, default="[]"),  # JSON pairs
    Column("body", LargeBinary, nullable=False),  # zlib-compressed bytes
)

outlets = Table(
    "outlets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("domain", String(255), nullable=False, unique=True),
    Column("name", String(255)),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("outlet_id", Integer, ForeignKey("outlets.id")),
    Column("site", String(255)),
    Column("domain", String(255)),
    Column("title", Text),
    Column("authors", Text, nullable=False, default="[]"),
    Column("published", UTCDateTime),
    Column("published_source", String(16), nullable=False, default="none"),
    Column("published_confidence", Float, nullable=False, default=0.0),
    Column("published_date_only", Integer, nullable=False, default=0),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("related_links", Text, nullable=False, default="[]"),
    Column("raw_sha256", String(64), ForeignKey("raw_documents.sha256")),
    Column("raw_kind", String(16), nullable=False, default="html"),
    Column("hints", Text, nullable=False, default="[]"),
    Column("processed_by", Text, nullable=False, default="[]"),
    # What the enrichment stages found, as JSON lists of records (spans into ``text``).
    *(Column(name, Text, nullable=False, default="[]") for name in ENRICHMENT_FIELDS),
    Column("minhash", LargeBinary),
    Column("duplicate_of", Integer, ForeignKey("articles.id")),
    Column("similarity", Float),
    Column("duplicate_exact", Integer, nullable=False, default=0),
    Column("ingested_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
Index("ix_articles_text_hash", articles.c.text_hash)
Index("ix_articles_raw", articles.c.raw_sha256)
Index("ix_articles_url", articles.c.url)
Index("ix_articles_published", articles.c.published)
# What lists show of an article (store.search.BRIEF_COLUMNS) as a covering index: several of
# these columns sit after the text and the enrichment JSON in the row, so reading them from
# the table walks the row's overflow pages (100x slower on a cold 50k store than this index).
BRIEF_FIELDS = (
    "id", "url", "canonical_url", "source", "site", "domain", "title", "published",
    "published_source", "published_confidence", "published_date_only", "language", "raw_kind",
    "duplicate_of", "similarity", "duplicate_exact", "ingested_at",
)  # fmt: skip
BRIEF_INDEX = "ix_articles_brief"
Index(BRIEF_INDEX, *(articles.c[name] for name in BRIEF_FIELDS))

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("site_url", Text),
    Column("category", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_fetched", UTCDateTime),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("error_count", Integer, nullable=False, default=0),
    Column("added_at", UTCDateTime, nullable=False),
)

ingest_log = Table(
    "ingest_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("origin", Text, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("reason", Text),
    Column("article_id", Integer),
    Column("raw_sha256", String(64)),
)
Index("ix_ingest_log_origin", ingest_log.c.origin)

actors = Table(
    "actors",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("aliases", Text, nullable=False, default="[]"),
    Column("titles", Text, nullable=False, default="[]"),
    Column("affiliation", Text),
    Column("sector", String(40)),
    Column("edited", Integer, nullable=False, default=0),  # a user's edit wins over extraction
    Column("first_seen", UTCDateTime),
    Column("last_seen", UTCDateTime),
)

actor_aliases = Table(
    "actor_aliases",
    metadata,
    Column("alias", String(200), primary_key=True),  # a key form that stands for the actor
    Column("actor_key", String(200), nullable=False),
)

article_actors = Table(
    "article_actors",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("actor_key", String(200), nullable=False),
    Column("titles", Text, nullable=False, default="[]"),
)
Index("ix_article_actors_key", article_actors.c.actor_key)
# Covers the actor facet of a search (the article's actor keys without reading the rows).
Index("ix_article_actors_article_key", article_actors.c.article_id, article_actors.c.actor_key)

# Watchlists: what a user follows (an actor, a keyword, an event type) and where to tell them.
watches = Table(
    "watches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # "actor", "keyword" or "event"
    Column("value", Text, nullable=False),  # actor key, phrase, or event type
    Column("status", String(32)),  # event watches only: an EventStatus value to require
    Column("notify", Text, nullable=False),  # webhook or apprise URL
    Column("created_at", UTCDateTime, nullable=False),
    Column("active", Integer, nullable=False, default=1),
)

# One row per (watch, article) that fired, so an article never alerts twice for one watch.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watch_id", Integer, ForeignKey("watches.id"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("matched", Text, nullable=False, default=""),  # what in the article matched
    Column("fired_at", UTCDateTime, nullable=False),
    Column("delivered", Integer, nullable=False, default=0),
    Column("error", Text),
)
Index("ux_alerts_watch_article", alerts.c.watch_id, alerts.c.article_id, unique=True)
Index("ix_alerts_article", alerts.c.article_id)

# Stories: articles grouped online by the story clusterer (newsdesk.stories).
stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # the clusterer's story id
    Column("title", Text),
    Column("first_seen", UTCDateTime),
    Column("last_seen", UTCDateTime),
    Column("article_count", Integer, nullable=False, default=0),
    Column("outlet_count", Integer, nullable=False, default=0),
    Column("independent_count", Integer, nullable=False, default=0),
    Column("merged_into", Integer),  # set when a later article merged this story into another
    Column("updated_at", UTCDateTime, nullable=False),
    # The latest publication (and ingest) of its original articles: the front page's order.
    Column("latest_original", UTCDateTime),
    Column("latest_original_ingest", UTCDateTime),
)
Index("ix_stories_last_seen", stories.c.last_seen)

article_stories = Table(
    "article_stories",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("story_id", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("assigned_at", UTCDateTime, nullable=False),
    # The original it was added as a copy of, as dedup saw it then (a later original can take
    # over): a recluster replays the same input.
    Column("copy_of", Integer),
)
Index("ix_article_stories_story", article_stories.c.story_id)

# Change counters kept by SQLite triggers, so a cache learns of any change in one read:
# "stories" counts writes to the story tables (story list, related articles), "content" to
# articles and what search and its facets read.
change_marks = Table(
    "change_marks",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("changes", Integer, nullable=False, default=0),
)
MARKED_TABLES = {
    "stories": ("stories", "article_stories"),
    "content": ("articles", "events", "event_actors", "actors", "actor_aliases",
                "article_actors", "outlets"),
}  # fmt: skip

story_state = Table(
    "story_state",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),  # StoryClusterer.to_bytes()
    Column("covered_through", Integer, nullable=False),  # the highest article id it holds
    Column("saved_at", UTCDateTime, nullable=False),
)

# Each original article's term vector as the story clusterer made it (its vocabulary's term
# ids): read for related articles, kept out of the clusterer's saved state.
article_vectors = Table(
    "article_vectors",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # newsdesk.stories.vectors.encode()
)
# Copies of an article (related, the article page) and recent originals (the front page).
Index("ix_articles_duplicate_of", articles.c.duplicate_of)
Index("ix_articles_published_copy", articles.c.published, articles.c.duplicate_of)

# Events indexed for queries; the full records stay in ``articles.events`` (JSON), and a row
# here is (article_id, position) into that list.
events = Table(
    "events",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("position", Integer, primary_key=True),  # index into the article's events
    Column("type", String(20), nullable=False),
    Column("mode", String(40)),
    Column("cameo", String(8)),
    Column("status", String(20), nullable=False),
    Column("date", String(40)),  # TIMEX3 value: "2025-05-15", "2022-03", "2025-W20"
    Column("granularity", String(20)),
    Column("place", Text),
    Column("country_code", String(2)),
    Column("summary", Text, nullable=False, default=""),
    Column("confidence", Float, nullable=False, default=1.0),
    Column("asserted_by", String(200)),
)
Index("ix_events_type", events.c.type)
Index("ix_events_status", events.c.status)
Index("ix_events_date", events.c.date)
# Covers the event-type and status facets of a search (no row reads).
Index("ix_events_article_facets", events.c.article_id, events.c.type, events.c.status)

event_actors = Table(
    "event_actors",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("actor_key", String(200), nullable=False),
    Column("role", String(20), nullable=False),  # "actor" or "recipient"
)
Index("ix_event_actors_key", event_actors.c.actor_key)
Index("ix_event_actors_event", event_actors.c.article_id, event_actors.c.position)

# Views built once and kept for every process (the web workers, the next start): a story
# page's rendered sections, an article's related list. A row is used only while its
# ``version`` matches what the reader computes from the live data; writers drop rows they
# know they outdated.
prepared_views = Table(
    "prepared_views",
    metadata,
    Column("kind", String(40), primary_key=True),  # "related", "story_primary.html", ...
    Column("key", String(200), primary_key=True),
    Column("version", String(200), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("made_at", UTCDateTime, nullable=False),
)
