"""Stories in the database: each story's facts, which article is in which, and the clusterer.

``article_stories`` holds the story each article was put in, updated when a later article
merges two stories or moves it to another; ``stories`` keeps a row per story id ever used, a
merged (or emptied) one pointing at the story it went into; ``story_state`` holds the
clusterer's own state so it is not rebuilt on every start, with the highest article id that
state has seen; ``article_vectors`` keeps each original article's term vector apart from
that state, read only for related articles.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, insert, select, text, update

from newsdesk.errors import StoreError
from newsdesk.model import StoredArticle
from newsdesk.store import codec, schema
from newsdesk.store.marks import change_mark
from newsdesk.store.search import brief_source

_CLUSTERER = "clusterer"
# Enrichment no story view reads (and the largest to decode): left empty by story_articles.
_UNREAD = frozenset({"entities", "mentions", "times"})
_READ = [c for c in schema.articles.c if c.name not in _UNREAD | {"minhash"}]
# What a related-article candidate needs besides its headline and date: actors and events.
_BRIEF_UNREAD = _UNREAD | {"quotes", "places", "related_links", "hints"}
_BRIEF_READ = [c for c in _READ if c.name not in _BRIEF_UNREAD | {"text"}]
_UNREAD_EMPTY = dict.fromkeys(_UNREAD, "[]")
_BRIEF_EMPTY = dict.fromkeys(_BRIEF_UNREAD, "[]") | {"text": ""}
_LEAN_EMPTY = {"actors": "[]", "events": "[]"}  # decoded lean by codec.lean_* instead


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story as the store holds it."""

    id: int
    title: str | None
    first_seen: datetime | None
    last_seen: datetime | None
    article_count: int  # every article, copies included
    outlet_count: int  # distinct outlets, copies included
    independent_count: int  # distinct outlets among original articles
    merged_into: int | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoryMember:
    """An article of a story with the facts listings need (no text)."""

    article_id: int
    story_id: int
    score: float
    title: str | None
    outlet: str | None  # domain, else site name
    url: str
    published: datetime | None
    ingested_at: datetime
    duplicate_of: int | None

    @property
    def reported(self) -> datetime:
        """Its publication, else when it was ingested."""
        return self.published or self.ingested_at


def _story(row: Any) -> StoredStory:
    return StoredStory(
        id=int(row["id"]),
        title=row["title"],
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        article_count=int(row["article_count"]),
        outlet_count=int(row["outlet_count"]),
        independent_count=int(row["independent_count"]),
        merged_into=row["merged_into"],
        updated_at=row["updated_at"],
    )


class StoryRepository:
    """Reads and writes the story tables."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # assignments -----------------------------------------------------------------------------

    def assign(
        self, article_id: int, story_id: int, score: float, *, copy_of: int | None = None
    ) -> None:
        """Put an article in a story (moving it if it was in another); ``copy_of`` is the
        original it was clustered as a copy of."""
        t = schema.article_stories.c
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(delete(schema.article_stories).where(t.article_id == article_id))
            conn.execute(
                insert(schema.article_stories).values(
                    article_id=article_id,
                    story_id=story_id,
                    score=score,
                    assigned_at=now,
                    copy_of=copy_of,
                )
            )

    def move(self, article_ids: Collection[int], story_id: int) -> set[int]:
        """Put assigned articles in another story, each keeping its score and the original it
        was clustered as a copy of; returns the stories they were in."""
        t = schema.article_stories.c
        ids = list(article_ids)
        left: set[int] = set()
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                found = conn.execute(select(t.story_id).where(t.article_id.in_(chunk)))
                left.update(int(i) for i in found.scalars())
                conn.execute(
                    update(schema.article_stories)
                    .where(t.article_id.in_(chunk))
                    .values(story_id=story_id, assigned_at=now)
                )
        return left

    def merge(self, merged: Collection[int], into: int) -> None:
        """Move the articles of the ``merged`` stories into ``into``; the old ids stay
        resolvable through ``merged_into``."""
        if not merged:
            return
        t, s = schema.article_stories.c, schema.stories.c
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.article_stories)
                .where(t.story_id.in_(list(merged)))
                .values(story_id=into)
            )
            for story_id in merged:
                known = conn.execute(select(s.id).where(s.id == story_id)).first()
                if known is None:
                    conn.execute(insert(schema.stories).values(id=story_id, updated_at=now))
            # Stories merged earlier into one of these now point at the survivor too.
            conn.execute(
                update(schema.stories)
                .where(s.id.in_(list(merged)) | s.merged_into.in_(list(merged)))
                .values(merged_into=into, updated_at=now)
            )

    def copy_links(self) -> dict[int, int | None]:
        """Article id -> the original it was clustered as a copy of (None: as an original)."""
        t = schema.article_stories.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.article_id, t.copy_of)).all()
        return {int(a): None if c is None else int(c) for a, c in rows}

    def articles_after(self, article_id: int) -> list[int]:
        """The ids of the articles stored after ``article_id``, oldest first."""
        a = schema.articles.c
        with self.engine.connect() as conn:
            ids = conn.execute(select(a.id).where(a.id > article_id).order_by(a.id)).scalars()
            return [int(i) for i in ids]

    def story_of(self, article_id: int) -> int | None:
        """The story an article is in, if it was assigned one."""
        t = schema.article_stories.c
        with self.engine.connect() as conn:
            found = conn.execute(select(t.story_id).where(t.article_id == article_id)).scalar()
        return None if found is None else self.resolve(int(found))

    def resolve(self, story_id: int) -> int:
        """The live story a (possibly merged) story id stands for."""
        s = schema.stories.c
        seen = {story_id}
        with self.engine.connect() as conn:
            while True:
                into = conn.execute(select(s.merged_into).where(s.id == story_id)).scalar()
                if into is None or into in seen:
                    return story_id
                story_id = int(into)
                seen.add(story_id)

    def merged_ids(self, story_id: int) -> list[int]:
        """The story ids merged into ``story_id``."""
        s = schema.stories.c
        with self.engine.connect() as conn:
            ids = conn.execute(select(s.id).where(s.merged_into == story_id).order_by(s.id))
            return [int(i) for i in ids.scalars()]

    def members(self, story_id: int) -> list[StoryMember]:
        """The articles of a story, oldest report first."""
        found = self.members_of([story_id])
        return found.get(story_id, [])

    def members_of(self, story_ids: Collection[int] | None = None) -> dict[int, list[StoryMember]]:
        """The articles of several stories (every story when None), oldest report first."""
        with self.engine.connect() as conn:
            # Text SQL for the covering index hint (the brief columns only, see brief_source).
            statement = (
                "SELECT t.article_id, t.story_id, t.score, a.title, a.domain, a.site,"
                " a.canonical_url, a.published, a.ingested_at, a.duplicate_of"
                f" FROM article_stories t JOIN {brief_source(conn, 'a')} ON a.id = t.article_id"
            )
            t, a = schema.article_stories.c, schema.articles.c
            typed = (t.article_id, t.story_id, t.score, a.title, a.domain, a.site,
                     a.canonical_url, a.published, a.ingested_at, a.duplicate_of)  # fmt: skip
            if story_ids is None:
                query = text(statement).columns(*typed)
                rows = conn.execute(query).mappings().all()
            else:
                query = (
                    text(statement + " WHERE t.story_id IN :ids")
                    .bindparams(bindparam("ids", expanding=True))
                    .columns(*typed)
                )
                rows = conn.execute(query, {"ids": list(story_ids)}).mappings().all()
        result: dict[int, list[StoryMember]] = {}
        for r in rows:
            member = StoryMember(
                article_id=int(r["article_id"]), story_id=int(r["story_id"]),
                score=float(r["score"]), title=r["title"], outlet=r["domain"] or r["site"],
                url=r["canonical_url"], published=r["published"], ingested_at=r["ingested_at"],
                duplicate_of=r["duplicate_of"],
            )  # fmt: skip
            result.setdefault(member.story_id, []).append(member)
        for members in result.values():
            members.sort(key=lambda m: (m.reported, m.article_id))
        return result

    # stories ---------------------------------------------------------------------------------

    def refresh(self, story_id: int, title: str | None) -> StoredStory:
        """Recount a story's facts from its articles and save them with ``title``."""
        members = self.members(story_id)
        ids = {m.article_id for m in members}
        originals = [m for m in members if m.duplicate_of is None or m.duplicate_of not in ids]
        # Publication dates when any article has one: an ingest time is not news time.
        times = [m.published for m in members if m.published] or [m.ingested_at for m in members]
        values: dict[str, Any] = {
            "latest_original": max((m.published for m in originals if m.published), default=None),
            "latest_original_ingest": max((m.ingested_at for m in originals), default=None),
            "title": title,
            "first_seen": min(times, default=None),
            "last_seen": max(times, default=None),
            "article_count": len(members),
            "outlet_count": len({m.outlet for m in members if m.outlet}),
            "independent_count": len({m.outlet for m in originals if m.outlet}),
            "merged_into": None,
            "updated_at": datetime.now(UTC),
        }
        s = schema.stories.c
        with self.engine.begin() as conn:
            known = conn.execute(select(s.id).where(s.id == story_id)).first()
            if known is None:
                conn.execute(insert(schema.stories).values(id=story_id, **values))
            else:
                conn.execute(update(schema.stories).where(s.id == story_id).values(**values))
        return self.story(story_id)

    def story(self, story_id: int) -> StoredStory:
        """One story by id (a merged id gives its row, with ``merged_into`` set)."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(schema.stories).where(schema.stories.c.id == story_id))
                .mappings()
                .first()
            )
        if row is None:
            raise StoreError(f"no story with id {story_id}")
        return _story(row)

    def stories(self, *, since: datetime | None = None) -> list[StoredStory]:
        """Live stories (not merged away), latest activity first; ``since``: only stories
        with an article reported at or after it."""
        s = schema.stories.c
        query = select(schema.stories).where(s.merged_into.is_(None), s.article_count > 0)
        if since is not None:
            query = query.where(s.last_seen >= since)
        query = query.order_by(s.last_seen.desc(), s.id)
        with self.engine.connect() as conn:
            return [_story(r) for r in conn.execute(query).mappings()]

    def fingerprint(self) -> tuple[Any, ...]:
        """A cheap mark of the story tables that changes whenever an article is assigned,
        moved or unassigned or a story is written, so a ranking read under one mark holds
        while the mark does. On SQLite it is the change counter triggers keep (one row);
        elsewhere the count, highest id and a checksum of the article-story pairs with the
        stories' count and latest ``updated_at`` (one pass over the covering index)."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                return ("changes", change_mark(conn, "stories"))
            s, t = schema.stories.c, schema.article_stories.c
            query = select(
                select(func.count()).select_from(schema.article_stories).scalar_subquery(),
                select(func.max(t.article_id)).scalar_subquery(),
                select(func.total(t.story_id * t.article_id)).scalar_subquery(),
                select(func.count()).select_from(schema.stories).scalar_subquery(),
                select(func.max(s.updated_at)).scalar_subquery(),
            )
            return tuple(conn.execute(query).one())

    def ranked(
        self, *, since: datetime | None, limit: int | None, activity_days: float
    ) -> list[tuple[StoredStory, int]]:
        """Live stories, most active first, each with its activity: the original articles
        reported in the ``activity_days`` before the newest report of any story; then the
        latest original report, the article count and the id. Reports are publication dates,
        or ingest times when no article has a date. ``since``: only stories seen since."""
        s, t, a = schema.stories.c, schema.article_stories.c, schema.articles.c
        o = schema.article_stories.alias("o")
        with self.engine.connect() as conn:
            dated = conn.execute(select(a.id).where(a.published.is_not(None)).limit(1)).first()
            clock = a.published if dated else a.ingested_at
            latest = s.latest_original if dated else s.latest_original_ingest
            newest = conn.execute(
                select(clock).join(schema.article_stories, t.article_id == a.id)
                .where(clock.is_not(None)).order_by(clock.desc()).limit(1)
            ).scalar()  # fmt: skip
            cutoff = (newest or datetime.max.replace(tzinfo=UTC)) - timedelta(activity_days)
            recent = (
                select(t.story_id, func.count().label("recent"))
                .select_from(schema.articles)
                .join(schema.article_stories, t.article_id == a.id)
                .outerjoin(o, (o.c.article_id == a.duplicate_of) & (o.c.story_id == t.story_id))
                .where(clock >= cutoff, a.duplicate_of.is_(None) | o.c.article_id.is_(None))
                .group_by(t.story_id)
                .subquery()
            )
            activity = func.coalesce(recent.c.recent, 0)
            query = (
                select(schema.stories, activity.label("activity"))
                .outerjoin(recent, recent.c.story_id == s.id)
                .where(s.merged_into.is_(None), s.article_count > 0)
                .order_by(activity.desc(), latest.is_(None), latest.desc(),
                          s.article_count.desc(), s.id)
            )  # fmt: skip
            if since is not None:
                query = query.where(s.last_seen >= since)
            if limit is not None:
                query = query.limit(limit)
            rows = conn.execute(query).mappings().all()
        return [(_story(r), int(r["activity"])) for r in rows]

    def story_articles(
        self, article_ids: Sequence[int], *, brief: bool = False
    ) -> list[StoredArticle]:
        """The articles a story view reads, in the order given, in one query: without the
        entities, mentions and time expressions (empty), which no story view uses. ``brief``
        reads only what a related-article candidate shows: headline, source, date, and lean
        actors (key, name, kind) and events (type, status, trigger and spans) without their
        participants; text, quotes, places and the page's links are left empty."""
        a = schema.articles.c
        columns, empty = (_BRIEF_READ, _BRIEF_EMPTY) if brief else (_READ, _UNREAD_EMPTY)
        found: dict[int, StoredArticle] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(article_ids), 500):
                chunk = list(article_ids[start : start + 500])
                for row in conn.execute(select(*columns).where(a.id.in_(chunk))).mappings():
                    if brief:
                        stored = codec.row_to_article(dict(row) | empty | _LEAN_EMPTY)
                        stored = replace(stored, article=replace(
                            stored.article, actors=codec.lean_actors(row["actors"]),
                            events=codec.lean_events(row["events"]),
                        ))  # fmt: skip
                    else:
                        stored = codec.row_to_article(dict(row) | empty)
                    found[stored.id] = stored
        return [found[i] for i in article_ids if i in found]

    # doc vectors -----------------------------------------------------------------------------

    def put_vectors(self, vectors: Sequence[tuple[int, bytes]]) -> None:
        """Keep articles' encoded term vectors, replacing any they had (one transaction)."""
        if not vectors:
            return
        v = schema.article_vectors.c
        ids = [article_id for article_id, _ in vectors]
        with self.engine.begin() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                conn.execute(delete(schema.article_vectors).where(v.article_id.in_(chunk)))
            conn.execute(
                insert(schema.article_vectors),
                [{"article_id": i, "vector": blob} for i, blob in dict(vectors).items()],
            )

    def vectors(self, article_ids: Collection[int]) -> dict[int, bytes]:
        """The encoded term vectors kept for ``article_ids`` (those without one left out)."""
        v = schema.article_vectors.c
        ids = list(article_ids)
        found: dict[int, bytes] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                query = select(v.article_id, v.vector).where(
                    v.article_id.in_(ids[start : start + 500])
                )
                found.update((int(i), bytes(blob)) for i, blob in conn.execute(query))
        return found

    # the clusterer's state -------------------------------------------------------------------

    def save_state(self, data: bytes, covered_through: int) -> None:
        """Keep the clusterer's state, which holds every article up to ``covered_through``."""
        st = schema.story_state.c
        values = {"data": data, "covered_through": covered_through, "saved_at": datetime.now(UTC)}
        with self.engine.begin() as conn:
            conn.execute(delete(schema.story_state).where(st.name == _CLUSTERER))
            conn.execute(insert(schema.story_state).values(name=_CLUSTERER, **values))

    def load_state(self) -> tuple[bytes, int] | None:
        """The saved clusterer state and the highest article id it holds, if any."""
        st = schema.story_state.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(st.data, st.covered_through).where(st.name == _CLUSTERER)
            ).first()
        return None if row is None else (bytes(row[0]), int(row[1]))

    def clear(self) -> None:
        """Forget every story, assignment, saved state and doc vector (before reclustering)."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.article_stories))
            conn.execute(delete(schema.stories))
            conn.execute(delete(schema.story_state))
            conn.execute(delete(schema.article_vectors))
