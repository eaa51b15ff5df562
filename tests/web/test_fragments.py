"""The fragment store: one rendering per key and version, shared through a shelf, bounded."""

from __future__ import annotations

from jinja2 import DictLoader, Environment
from starlette.templating import Jinja2Templates

from newsdesk.web.fragments import Fragments


class DictShelf:
    """A shelf in a dict, as the store's prepared views behave."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], tuple[str, bytes]] = {}

    def get(self, kind: str, key: str, version: str) -> bytes | None:
        row = self.rows.get((kind, key))
        return row[1] if row and row[0] == version else None

    def put(self, kind: str, key: str, version: str, body: bytes) -> bool:
        self.rows[(kind, key)] = (version, body)
        return True


def fragments(keep: int = 8, shelf: DictShelf | None = None) -> Fragments:
    env = Environment(loader=DictLoader({"part.html": "<p>{{ word }}</p>"}), autoescape=True)
    return Fragments(Jinja2Templates(env=env), keep=keep, shelf=shelf)


def test_a_fragment_is_rendered_once_per_version() -> None:
    store, built = fragments(), []

    def context(word: str) -> dict[str, str]:
        built.append(word)
        return {"word": word}

    first = store.render("part.html", "story 1", "v1", lambda: context("<one>"))
    again = store.render("part.html", "story 1", "v1", lambda: context("two"))
    assert str(first) == str(again) == "<p>&lt;one&gt;</p>"  # escaped, and kept
    assert built == ["<one>"]
    changed = store.render("part.html", "story 1", "v2", lambda: context("two"))
    assert str(changed) == "<p>two</p>"
    other = store.render("part.html", "story 2", "v2", lambda: context("three"))
    assert str(other) == "<p>three</p>"
    assert built == ["<one>", "two", "three"]


def test_the_store_keeps_only_the_latest_fragments() -> None:
    store = fragments(keep=2)
    for n in range(3):
        store.render("part.html", str(n), "v", lambda n=n: {"word": str(n)})
    calls: list[int] = []
    store.render("part.html", "0", "v", lambda: calls.append(0) or {"word": "again"})
    assert calls == [0]  # the oldest was let go


def test_another_process_reads_the_shelf_and_keeps_it_in_step() -> None:
    shelf = DictShelf()
    fragments(shelf=shelf).render("part.html", "s", "v1", lambda: {"word": "<b>"})
    calls: list[str] = []

    def context(word: str) -> dict[str, str]:
        calls.append(word)
        return {"word": word}

    other = fragments(shelf=shelf)  # another worker: nothing in its memory
    assert str(other.render("part.html", "s", "v1", lambda: context("x"))) == "<p>&lt;b&gt;</p>"
    assert calls == []  # from the shelf, still escaped once, not twice
    assert str(other.render("part.html", "s", "v2", lambda: context("new"))) == "<p>new</p>"
    assert shelf.get("part.html", "s", "v2") == b"<p>new</p>"  # a new version replaces it
    assert calls == ["new"]
