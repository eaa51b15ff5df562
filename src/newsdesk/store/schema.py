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
Index("ix_article_actors_article", article_actors.c.article_id)
