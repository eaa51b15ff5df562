"""Actors across articles: one row per actor, their titles over time, and a user's edits.

Articles keep the actor keys their stages produced. A merge or an alias adds a row to
``actor_aliases``; every later article has its keys mapped through it before it is recorded,
and readers map stored keys through it too, so an edit holds for old and new articles alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update

from newsdesk.errors import StoreError
from newsdesk.model import Actor
from newsdesk.names import slug
from newsdesk.store import schema


@dataclass(frozen=True, slots=True)
class ActorSummary:
    """An actor with how much coverage it has."""

    actor: Actor
    articles: int
    first_seen: datetime | None
    last_seen: datetime | None
    edited: bool


@dataclass(frozen=True, slots=True)
class TitleUse:
    """A title an article gave an actor, with the article's date."""

    title: str
    article_id: int
    published: datetime | None


def _row_actor(row: Any) -> Actor:
    return Actor(
        key=row["key"],
        name=row["name"],
        kind=row["kind"],
        aliases=tuple(json.loads(row["aliases"])),
        titles=tuple(json.loads(row["titles"])),
        affiliation=row["affiliation"],
        sector=row["sector"],
    )


def _union(first: Sequence[str], second: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


class ActorRepository:
    """Reads and writes the actor tables."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def alias_map(self) -> dict[str, str]:
        """Every alias key and merged-away key with the actor key it stands for."""
        t = schema.actor_aliases.c
        with self.engine.connect() as conn:
            return {str(a): str(k) for a, k in conn.execute(select(t.alias, t.actor_key))}

    def record(self, article_id: int, actors: Sequence[Actor], published: datetime | None) -> None:
        """Add an article's actors (keys already mapped through the aliases)."""
        a = schema.actors.c
        now = published or datetime.now(UTC)
        with self.engine.begin() as conn:
            for actor in actors:
                row = (
                    conn.execute(select(schema.actors).where(a.key == actor.key)).mappings().first()
                )
                if row is None:
                    conn.execute(
                        insert(schema.actors).values(
                            key=actor.key, name=actor.name, kind=actor.kind,
                            aliases=json.dumps(list(actor.aliases), ensure_ascii=False),
                            titles=json.dumps(list(actor.titles), ensure_ascii=False),
                            affiliation=actor.affiliation, sector=actor.sector, edited=0,
                            first_seen=now, last_seen=now,
                        )
                    )  # fmt: skip
                else:
                    values: dict[str, Any] = {
                        "aliases": json.dumps(_union(json.loads(row["aliases"]), actor.aliases)),
                        "titles": json.dumps(_union(json.loads(row["titles"]), actor.titles)),
                        "first_seen": min(row["first_seen"], now),
                        "last_seen": max(row["last_seen"], now),
                    }
                    if not row["edited"]:
                        values["affiliation"] = row["affiliation"] or actor.affiliation
                        values["sector"] = row["sector"] or actor.sector
                    conn.execute(update(schema.actors).where(a.key == actor.key).values(**values))
                conn.execute(
                    insert(schema.article_actors).values(
                        article_id=article_id, actor_key=actor.key,
                        titles=json.dumps(list(actor.titles), ensure_ascii=False),
                    )
                )  # fmt: skip

    def forget_article(self, article_id: int) -> None:
        """Drop an article's actor rows before it is recorded again (reprocessing)."""
        aa = schema.article_actors.c
        with self.engine.begin() as conn:
            conn.execute(delete(schema.article_actors).where(aa.article_id == article_id))

    def summaries(self, *, query: str | None = None, limit: int = 100) -> list[ActorSummary]:
        """Actors by how many articles name them."""
        a, aa = schema.actors.c, schema.article_actors.c
        count = func.count(aa.article_id.distinct()).label("n")
        stmt = (
            select(schema.actors, count)
            .join(schema.article_actors, aa.actor_key == a.key, isouter=True)
            .group_by(a.key)
            .order_by(count.desc(), a.name)
            .limit(limit)
        )
        if query:
            stmt = stmt.where(a.name.ilike(f"%{query}%") | a.aliases.ilike(f"%{query}%"))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).mappings().all()
        return [
            ActorSummary(actor=_row_actor(r), articles=int(r["n"]), first_seen=r["first_seen"],
                         last_seen=r["last_seen"], edited=bool(r["edited"]))
            for r in rows
        ]  # fmt: skip

    def get(self, key: str) -> ActorSummary:
        """One actor by its key, a merged-away key, or a name or alias in key form
        ("zelensky" finds "volodymyr-zelensky" when only one actor fits)."""
        key = self.alias_map().get(key, key)
        everyone = self.summaries(limit=1_000_000)
        for test in (
            lambda s: s.actor.key == key,
            lambda s: key in {slug(n) for n in (s.actor.name, *s.actor.aliases)},
            lambda s: key in s.actor.key.split("-"),
        ):
            found = [s for s in everyone if test(s)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                names = ", ".join(s.actor.key for s in found[:5])
                raise StoreError(f"{key!r} could be any of {names}: use the full key")
        raise StoreError(f"no actor {key!r}")

    def titles(self, key: str) -> list[TitleUse]:
        """The titles each article gave the actor, oldest article first."""
        aa, ar = schema.article_actors.c, schema.articles.c
        stmt = (
            select(aa.titles, aa.article_id, ar.published)
            .join(schema.articles, ar.id == aa.article_id)
            .where(aa.actor_key == key)
            .order_by(ar.published.is_(None), ar.published, aa.article_id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            TitleUse(title=title, article_id=int(article_id), published=published)
            for titles, article_id, published in rows
            for title in json.loads(titles)
        ]

    def article_ids(self, key: str) -> list[int]:
        """The articles that name the actor."""
        aa = schema.article_actors.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(aa.article_id).distinct().where(aa.actor_key == key).order_by(aa.article_id)
            )
            return [int(i) for i in rows.scalars()]

    def merge(self, into: str, other: str) -> None:
        """Make ``other`` the same actor as ``into``: its articles, aliases and titles move."""
        keep, gone = self.get(into).actor, self.get(other).actor
        if keep.key == gone.key:
            raise StoreError(f"{into!r} and {other!r} are already one actor")
        a, aa, al = schema.actors.c, schema.article_actors.c, schema.actor_aliases.c
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.actors).where(a.key == keep.key).values(
                    aliases=json.dumps(_union(keep.aliases, [gone.name, *gone.aliases])),
                    titles=json.dumps(_union(keep.titles, gone.titles)), edited=1,
                )
            )  # fmt: skip
            conn.execute(update(schema.article_actors).where(aa.actor_key == gone.key)
                         .values(actor_key=keep.key))  # fmt: skip
            conn.execute(update(schema.actor_aliases).where(al.actor_key == gone.key)
                         .values(actor_key=keep.key))  # fmt: skip
            conn.execute(delete(schema.actor_aliases).where(al.alias == gone.key))
            conn.execute(insert(schema.actor_aliases).values(alias=gone.key, actor_key=keep.key))
            conn.execute(delete(schema.actors).where(a.key == gone.key))

    def add_alias(self, key: str, alias_key: str, alias_name: str) -> None:
        """Let a name (by its key form) stand for the actor in later articles."""
        actor = self.get(key).actor
        a, al = schema.actors.c, schema.actor_aliases.c
        with self.engine.begin() as conn:
            conn.execute(delete(schema.actor_aliases).where(al.alias == alias_key))
            conn.execute(insert(schema.actor_aliases).values(alias=alias_key, actor_key=actor.key))
            conn.execute(
                update(schema.actors).where(a.key == actor.key).values(
                    aliases=json.dumps(_union(actor.aliases, [alias_name])), edited=1
                )
            )  # fmt: skip

    def rename(self, key: str, name: str) -> None:
        """Give the actor a new display name; the old one stays as an alias."""
        actor = self.get(key).actor
        a = schema.actors.c
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.actors).where(a.key == actor.key).values(
                    name=name, aliases=json.dumps(_union(actor.aliases, [actor.name])), edited=1
                )
            )  # fmt: skip
