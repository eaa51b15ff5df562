"""Stories in the database: each story's facts, which article is in which, and the clusterer.

``article_stories`` holds the story each article was put in, updated when a later article
merges two stories; ``stories`` keeps a row per story id ever used, a merged one pointing at
the story it went into; ``story_state`` holds the clusterer's own state so it is not rebuilt
on every start, with the highest article id that state has seen.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from newsdesk.errors import StoreError
from newsdesk.store import schema

_CLUSTERER = "clusterer"


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
        t, a = schema.article_stories.c, schema.articles.c
        query = select(
            t.article_id, t.story_id, t.score, a.title, a.domain, a.site, a.canonical_url,
            a.published, a.ingested_at, a.duplicate_of,
        ).join(schema.articles, a.id == t.article_id)  # fmt: skip
        if story_ids is not None:
            query = query.where(t.story_id.in_(list(story_ids)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
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
        """Forget every story, assignment and saved state (before reclustering)."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.article_stories))
            conn.execute(delete(schema.stories))
            conn.execute(delete(schema.story_state))
