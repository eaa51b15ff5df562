"""Finding stages: built-ins and plugins register alike under the newsdesk.stages entry points."""

from __future__ import annotations

import functools
from importlib.metadata import entry_points

from newsdesk.errors import ConfigError
from newsdesk.model import ARTICLE_FIELDS
from newsdesk.pipeline.stage import Stage

ENTRY_POINT_GROUP = "newsdesk.stages"


def validate_stage_class(entry_name: str, cls: type[Stage]) -> None:
    """Refuse a stage whose name differs from its entry point or that names unknown fields."""
    for attr in ("name", "version", "requires", "provides"):
        if not hasattr(cls, attr):
            raise ConfigError(f"stage {entry_name!r} does not declare {attr!r}")
    if cls.name != entry_name:
        raise ConfigError(f"entry point {entry_name!r} loads a stage named {cls.name!r}")
    unknown = (cls.requires | cls.provides) - ARTICLE_FIELDS
    if unknown:
        raise ConfigError(f"stage {entry_name!r} names unknown Article fields {sorted(unknown)}")


@functools.cache
def available_stages() -> dict[str, type[Stage]]:
    """Every installed stage class by name, validated once per process."""
    found: dict[str, type[Stage]] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        cls = entry.load()
        validate_stage_class(entry.name, cls)
        found[entry.name] = cls
    return found
