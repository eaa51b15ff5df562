"""Ordered schema migrations, each applied once and recorded in ``schema_migrations``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, select, text

from newsdesk.errors import StoreError
from newsdesk.store import schema
from newsdesk.store.events import backfill_events


def _initial(conn: Connection) -> None:
    schema.metadata.create_all(conn, checkfirst=True)


def _fts(conn: Connection) -> None:
    """Full-text index over title and text, kept in step with ``articles`` by triggers."""
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL: tsvector index, added with that backend
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
            "title, text, content='articles', content_rowid='id',"
            " tokenize='porter unicode61 remove_diacritics 2')"
        )
    )
    conn.execute(
        text(
            "CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN"
            " INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
            " END"
        )
    )
    conn.execute(
        text(
            "CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN"
            " INSERT INTO articles_fts(articles_fts, rowid, title, text)"
            " VALUES ('delete', old.id, old.title, old.text); END"
        )
    )
    conn.execute(
        text(
            "CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text"
            " ON articles BEGIN"
            " INSERT INTO articles_fts(articles_fts, rowid, title, text)"
            " VALUES ('delete', old.id, old.title, old.text);"
            " INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);"
            " END"
        )
    )


def _enrichment_columns(conn: Connection) -> None:
    """JSON columns for what the enrichment stages find (databases made before they existed)."""
    have = {c["name"] for c in inspect(conn).get_columns("articles")}
    for name in schema.ENRICHMENT_FIELDS:
        if name not in have:
            conn.execute(text(f"ALTER TABLE articles ADD COLUMN {name} TEXT NOT NULL DEFAULT '[]'"))


def _events_index(conn: Connection) -> None:
    """The event index tables, filled from the events articles already hold."""
    schema.events.create(conn, checkfirst=True)
    schema.event_actors.create(conn, checkfirst=True)
    backfill_events(conn)


def _story_speed(conn: Connection) -> None:
    """Doc vectors out of the clusterer's state, the front page's order columns (filled from
    the stories' articles) and indexes for copies and recent originals."""
    schema.article_vectors.create(conn, checkfirst=True)
    have = {c["name"] for c in inspect(conn).get_columns("stories")}
    for name in ("latest_original", "latest_original_ingest"):
        if name not in have:
            conn.execute(text(f"ALTER TABLE stories ADD COLUMN {name} VARCHAR(32)"))
    for index in (
        next(i for i in schema.articles.indexes if i.name == name)
        for name in ("ix_articles_duplicate_of", "ix_articles_published_copy")
    ):
        index.create(conn, checkfirst=True)
    for column, field in (("latest_original", "published"), ("latest_original_ingest",
                                                             "ingested_at")):  # fmt: skip
        conn.execute(
            text(
                f"UPDATE stories SET {column} = (SELECT max(a.{field}) FROM article_stories t"
                " JOIN articles a ON a.id = t.article_id LEFT JOIN article_stories o"
                " ON o.article_id = a.duplicate_of AND o.story_id = t.story_id"
                " WHERE t.story_id = stories.id AND (a.duplicate_of IS NULL"
                " OR o.article_id IS NULL))"
            )
        )


def _change_marks(conn: Connection) -> None:
    """Change counters over the story tables and the searched content, bumped by triggers on
    every row written."""
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL: readers fall back to reading the tables themselves
    schema.change_marks.create(conn, checkfirst=True)
    for mark, tables in schema.MARKED_TABLES.items():
        conn.execute(
            text("INSERT OR IGNORE INTO change_marks (name, changes) VALUES (:n, 0)"), {"n": mark}
        )
        for table in tables:
            for action in ("INSERT", "UPDATE", "DELETE"):
                conn.execute(
                    text(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_mark_{action.lower()}"
                        f" AFTER {action} ON {table} BEGIN UPDATE change_marks"
                        f" SET changes = changes + 1 WHERE name = '{mark}'; END"
                    )
                )


def _brief_index(conn: Connection) -> None:
    """The covering index that lists read articles from (reads the whole table once)."""
    next(i for i in schema.articles.indexes if i.name == schema.BRIEF_INDEX).create(
        conn, checkfirst=True
    )


def _facet_indexes(conn: Connection) -> None:
    """Covering indexes for the search facets, in place of the article-id indexes they
    extend."""
    for table, name in (("events", "ix_events_article_facets"),
                        ("article_actors", "ix_article_actors_article_key")):  # fmt: skip
        next(i for i in schema.metadata.tables[table].indexes if i.name == name).create(
            conn, checkfirst=True
        )
    conn.execute(text("DROP INDEX IF EXISTS ix_events_article"))
    conn.execute(text("DROP INDEX IF EXISTS ix_article_actors_article"))


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "initial tables", _initial),
    (2, "full-text index", _fts),
    (3, "enrichment columns", _enrichment_columns),
    (4, "actors across articles", _initial),
    (5, "events column", _enrichment_columns),
    (6, "events index", _events_index),
    (7, "stories", _initial),
    (8, "watchlists", _initial),
    (9, "faster stories", _story_speed),
    (10, "change counters", _change_marks),
    (11, "covering index for article lists", _brief_index),
    (12, "covering indexes for search facets", _facet_indexes),
    (13, "prepared views", _initial),
)


def migrate(engine: Engine) -> list[int]:
    """Apply every migration not yet recorded; return the versions applied."""
    with engine.begin() as conn:
        schema.schema_migrations.create(conn, checkfirst=True)
        done = set(conn.execute(select(schema.schema_migrations.c.version)).scalars())
    newest = max(v for v, _, _ in MIGRATIONS)
    if done and max(done) > newest:
        raise StoreError(
            f"database schema version {max(done)} is newer than this newsdesk ({newest})"
        )
    applied = []
    for version, name, step in MIGRATIONS:
        if version in done:
            continue
        with engine.begin() as conn:
            step(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=version, name=name, applied_at=datetime.now(UTC)
                )
            )
        applied.append(version)
    return applied
