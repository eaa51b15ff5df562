"""The PLOVER event types the LLM may answer with, their modes and matching CAMEO codes."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class EventType:
    """One PLOVER type as ``plover.toml`` describes it."""

    name: str
    cameo: str
    description: str
    modes: tuple[tuple[str, str], ...]  # (mode, CAMEO code)

    def cameo_for(self, mode: str | None) -> str:
        """The CAMEO code of the type, or of one of its modes."""
        return dict(self.modes).get(mode or "", self.cameo)


@cache
def plover_types() -> dict[str, EventType]:
    """Every accepted type by name, in the file's order."""
    text = files("newsdesk.stages.events_llm").joinpath("plover.toml").read_text(encoding="utf-8")
    return {
        name: EventType(
            name=name,
            cameo=str(entry["cameo"]),
            description=str(entry["description"]),
            modes=tuple((str(m), str(c)) for m, c in entry.get("modes", {}).items()),
        )
        for name, entry in tomllib.loads(text).items()
    }
