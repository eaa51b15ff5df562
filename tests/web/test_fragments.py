"""The fragment store: one rendering per key, rebuilt when the key changes, bounded."""

from __future__ import annotations

from jinja2 import DictLoader, Environment
from starlette.templating import Jinja2Templates

from newsdesk.web.fragments import Fragments


def fragments(keep: int = 8) -> tuple[Fragments, list[str]]:
    env = Environment(loader=DictLoader({"part.html": "<p>{{ word }}</p>"}), autoescape=True)
    built: list[str] = []
    return Fragments(Jinja2Templates(env=env), keep=keep), built


def test_a_fragment_is_rendered_once_per_key() -> None:
    store, built = fragments()

    def context(word: str) -> dict[str, str]:
        built.append(word)
        return {"word": word}

    first = store.render("part.html", ("story", 1), lambda: context("<one>"))
    again = store.render("part.html", ("story", 1), lambda: context("two"))
    assert str(first) == str(again) == "<p>&lt;one&gt;</p>"  # escaped, and kept
    assert built == ["<one>"]
    changed = store.render("part.html", ("story", 2), lambda: context("two"))
    assert str(changed) == "<p>two</p>"
    assert built == ["<one>", "two"]


def test_the_store_keeps_only_the_latest_fragments() -> None:
    store, _ = fragments(keep=2)
    for n in range(3):
        store.render("part.html", n, lambda n=n: {"word": str(n)})
    calls: list[int] = []
    store.render("part.html", 0, lambda: calls.append(0) or {"word": "again"})
    assert calls == [0]  # the oldest was let go
