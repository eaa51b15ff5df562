"""Parts of a page that every visitor sees alike, rendered once per version of what they show.

A story page of a thousand events takes a hundred milliseconds to render; its timeline, quotes,
events table, actor graph and article list change only when the story does, so they are kept
as rendered HTML until their key (the story's version and the filters asked for) changes. A
fragment template must not read the request or the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from markupsafe import Markup
from starlette.templating import Jinja2Templates

from newsdesk.kept import LatestKept

KEPT_FRAGMENTS = 128


class Fragments:
    """A bounded store of rendered fragments by template name and key."""

    def __init__(self, templates: Jinja2Templates, *, keep: int = KEPT_FRAGMENTS) -> None:
        self.templates = templates
        self.keep = keep
        self._kept = LatestKept[tuple[str, Hashable], Markup]()

    def render(self, name: str, key: Hashable, context: Callable[[], Mapping[str, Any]]) -> Markup:
        """Template ``name`` rendered with the context ``context()`` builds (called only when
        nothing is kept for ``key``), or the rendering kept for ``key``."""
        slot = (name, key)
        kept = self._kept.get(slot)
        if kept is None:
            kept = Markup(self.templates.get_template(name).render(context()))
            self._kept.put(slot, kept, keep=self.keep)
        return kept
