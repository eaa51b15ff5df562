"""The bundled table of known actors: aliases and metonyms that resolve to one actor key."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from newsdesk.names import fold


@dataclass(frozen=True, slots=True)
class KnownActor:
    """One entry of ``known_actors.toml``."""

    key: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    affiliation: str | None
    sector: str | None


@dataclass(frozen=True, slots=True)
class KnownActors:
    """Lookups by folded alias; a surname maps to a person only when it is unambiguous."""

    by_key: dict[str, KnownActor]
    by_alias: dict[str, KnownActor]

    def find(self, name: str) -> KnownActor | None:
        """The known actor a name, alias or metonym refers to."""
        folded = fold(name.removeprefix("the ").removeprefix("The "))
        return self.by_alias.get(folded)


@functools.cache
def known_actors() -> KnownActors:
    """The bundled table, read once."""
    data: dict[str, Any] = tomllib.loads(
        files("newsdesk.stages.actors").joinpath("known_actors.toml").read_text(encoding="utf-8")
    )
    by_key: dict[str, KnownActor] = {}
    by_alias: dict[str, KnownActor] = {}
    for key, entry in data.items():
        actor = KnownActor(
            key=key,
            name=entry["name"],
            kind=entry["kind"],
            aliases=tuple(entry.get("aliases", ())),
            affiliation=entry.get("affiliation"),
            sector=entry.get("sector"),
        )
        by_key[key] = actor
        for alias in (actor.name, *actor.aliases):
            by_alias.setdefault(fold(alias), actor)
    return KnownActors(by_key=by_key, by_alias=by_alias)
