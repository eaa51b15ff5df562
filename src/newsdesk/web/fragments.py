"""Parts of a page that every visitor sees alike, rendered once per version of what they show.

A story page of a thousand events takes a hundred milliseconds to render; its timeline, quotes,
events table, actor graph and article list change only when the story does, so they are kept
as rendered HTML under a *version* (the story's last update and the alias map) until it
changes: the latest in this process's memory, and every one in the store's prepared views, so
the other web workers, the next start and ``newsdesk prepare`` share them. A fragment template
must not read the request or the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from markupsafe import Markup
from starlette.templating import Jinja2Templates

from newsdesk.kept import LatestKept

KEPT_FRAGMENTS = 128


class Shelf(Protocol):
    """Where renderings outlive the process (the store's prepared views)."""

    def get(self, kind: str, key: str, version: str) -> bytes | None: ...

    def put(self, kind: str, key: str, version: str, body: bytes) -> bool: ...


class Fragments:
    """Rendered fragments by template name and key, each valid under one version."""

    def __init__(
        self, templates: Jinja2Templates, *, keep: int = KEPT_FRAGMENTS, shelf: Shelf | None = None
    ) -> None:
        self.templates = templates
        self.keep = keep
        self.shelf = shelf
        self._kept = LatestKept[tuple[str, str], tuple[str, Markup]]()

    def render(
        self, name: str, key: str, version: str, context: Callable[[], Mapping[str, Any]]
    ) -> Markup:
        """Template ``name`` for ``key`` as rendered under ``version``: from memory, else
        from the shelf, else rendered with the context ``context()`` builds (called only
        then) and kept in both."""
        slot = (name, key)
        kept = self._kept.get(slot)
        if kept is not None and kept[0] == version:
            return kept[1]
        body = self.shelf.get(name, key, version) if self.shelf else None
        if body is not None:
            markup = Markup(body.decode())
        else:
            markup = Markup(self.templates.get_template(name).render(context()))
            if self.shelf:
                self.shelf.put(name, key, version, str(markup).encode())
        self._kept.put(slot, (version, markup), keep=self.keep)
        return markup
