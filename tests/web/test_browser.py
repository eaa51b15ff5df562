"""The reader in a real headless Chromium: stories, timeline, search, keyboard, tooltips, dark
mode, and a hostile article that must run nothing."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from newsdesk.service import Newsdesk

expect: Any = pytest.importorskip("playwright.sync_api").expect


def csp_errors(page: Any) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


def istanbul_story_id(client: TestClient) -> int:
    stories = client.get("/stories.json").json()["stories"]
    found = [s for s in stories if "istanbul" in (s["title"] or "").lower()]
    return int(max(found, key=lambda s: s["article_count"])["id"])


def test_front_page_lists_stories(page: Any, client: TestClient) -> None:
    violations = csp_errors(page)
    page.goto("/")
    expect(page).to_have_title("Stories · newsdesk")
    count = len(client.get("/stories.json").json()["stories"])
    expect(page.locator(".story-item")).to_have_count(count)
    expect(page.locator(".story-item svg.spark").first).to_be_visible()
    assert not violations  # htmx and our script run under the CSP without complaint


def test_story_page_shows_its_timeline(page: Any, client: TestClient) -> None:
    story = istanbul_story_id(client)
    timeline = client.get(f"/stories/{story}.json").json()["timeline"]
    page.goto(f"/stories/{story}")
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    entries = sum(len(day["entries"]) for day in timeline["days"])
    expect(page.locator("#timeline .entry")).to_have_count(entries)
    if entries:
        first = timeline["days"][0]["entries"][0]
        expect(page.locator("#timeline .entry .badge").first).to_have_text(first["status"])
    expect(page.get_by_role("heading", name="Who said what")).to_be_visible()


def test_search_finds_an_article(page: Any) -> None:
    page.goto("/search")
    page.get_by_label("Words to find").fill("prisoner exchange")
    hits = page.locator("#results .hit")
    expect(hits.first).to_be_visible()  # htmx swapped the results in as the user typed
    expect(hits.first.locator("mark").first).to_be_visible()
    assert "q=prisoner" in page.url
    hits.first.locator("a.item-title").click()
    expect(page.locator("#article-body")).to_be_visible()


def test_keyboard_shortcuts(page: Any) -> None:
    page.goto("/")
    items = page.locator("main [data-item]")
    page.keyboard.press("j")
    expect(items.nth(0)).to_have_class("item story-item selected")
    page.keyboard.press("j")
    expect(items.nth(1)).to_have_class("item story-item selected")
    page.keyboard.press("k")
    expect(items.nth(0)).to_have_class("item story-item selected")
    page.keyboard.press("/")
    expect(page.locator("#q-global")).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.locator("dialog#help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("dialog#help")).to_be_hidden()


def test_evidence_shows_on_keyboard_focus(page: Any, web_desk: Newsdesk) -> None:
    article = next(a for a in web_desk.articles(limit=30) if a.article.quotes and a.article.times)
    page.goto(f"/articles/{article.id}")
    mark = page.locator("#article-body .hl-time").first
    tip = mark.locator(".tip")
    expect(tip).to_be_hidden()
    mark.focus()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(article.article.times[0].type)


def test_dark_mode_follows_the_system(page: Any) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
    assert max(channels) < 80, background
    page.emulate_media(color_scheme="light")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert min(int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]) > 200


def test_hostile_article_runs_nothing(page: Any, web_desk: Newsdesk) -> None:
    hostile = web_desk.search("hostile herald")[0].article
    article_id = hostile.id
    page.goto(f"/articles/{article_id}")
    expect(page.locator("h1")).to_contain_text("<script>")  # shown as text
    body = page.locator("#article-body")
    body.hover()
    body.click(position={"x": 5, "y": 5})
    for link in page.locator("#article-body a").all():
        link.focus()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() == f"{hostile.article.title} · newsdesk"  # no script retitled it
    assert page.dialogs == []  # no alert() ran
    assert page.locator("main script, main iframe, main img").count() == 0
