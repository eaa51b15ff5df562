"""The story commands: stories, story, related and recluster, as tables and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from tests.service.pages import edited_paragraphs, html_page

runner = CliRunner()

BUDGET = [
    "Finance Minister Ilse Varga of Moravia presented the budget to parliament on Monday,"
    " saying the deficit would shrink by half over two years.",
    "Opposition leader Tomas Brandt called the plan a fantasy and said pensions would suffer,"
    " while farmers' groups warned of protests against the fuel tax.",
    "The vote on the budget is expected before the summer recess, officials in the capital said.",
]


def invoke(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    pages = {
        "a.html": html_page(domain="ledger.example", slug="swap"),
        "b.html": html_page(domain="signal.example", slug="swap"),  # the same wire text
        "c.html": html_page(domain="harbour.example", slug="swap", paragraphs=edited_paragraphs()),
        "d.html": html_page(
            domain="moravia.example", slug="budget", title="Moravia budget", paragraphs=BUDGET,
            date="2025-05-16T09:00:00+02:00",
        ),
    }  # fmt: skip
    for name, page in pages.items():
        (folder / name).write_text(page)
    path = folder / "news.db"
    invoke(path, "ingest", str(folder))
    return path


def stories_json(db: Path) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(invoke(db, "stories", "--json"))
    return data


def test_stories_json_lists_each_story_with_its_article_urls(db: Path) -> None:
    stories = stories_json(db)
    urls = [sorted(a["url"] for a in s["articles"]) for s in stories]  # type: ignore[attr-defined]
    assert sorted(urls) == [
        ["https://harbour.example/swap", "https://ledger.example/swap",
         "https://signal.example/swap"],
        ["https://moravia.example/budget"],
    ]  # fmt: skip
    swap = next(s for s in stories if s["article_count"] == 3)
    assert swap["independent_count"] == 1  # the copies count once
    assert swap["outlet_count"] == 3
    assert invoke(db, "stories", "--since", "2030-01-01", "--json").strip() == "[]"


def test_stories_table(db: Path) -> None:
    output = invoke(db, "stories")
    assert "Russia" in output
    assert "Moravia" in output
    assert "indep" in output


def test_story_views(db: Path) -> None:
    swap = next(s for s in stories_json(db) if s["article_count"] == 3)
    story_id = str(swap["id"])
    view = json.loads(invoke(db, "story", story_id, "--json"))
    assert len(view["articles"]) == 3
    assert view["summary"]
    for sentence in view["summary"]:
        assert sentence["article_id"] in {a["id"] for a in view["articles"]}
    assert "Articles" in invoke(db, "story", story_id)
    timeline = json.loads(invoke(db, "story", story_id, "--timeline", "--json"))
    assert "days" in timeline
    quotes = json.loads(invoke(db, "story", story_id, "--quotes", "--json"))
    assert "actors" in quotes
    new = json.loads(invoke(db, "story", story_id, "--since", "2000-01-01", "--json"))
    assert new["basis"] == "ingested"
    assert len(new["articles"]) == 1  # the original; its exact copy is folded into it
    later = invoke(db, "story", story_id, "--since", "2100-01-01", "--by", "published")
    assert "Nothing new" in later


def test_unknown_story_fails_cleanly(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "story", "9999"])
    assert result.exit_code == 1
    assert "no story" in result.output


def test_related_never_lists_copies(db: Path) -> None:
    data = json.loads(invoke(db, "related", "1", "--json"))
    assert data["article"] == 1
    assert all(p["article_id"] != 1 for p in data["related"])
    copies = {s["id"] for s in json.loads(invoke(db, "articles", "--json")) if s["duplicate_of"]}
    assert not copies & {p["article_id"] for p in data["related"]}
    assert "Related to 1" in invoke(db, "related", "1")


def test_recluster_keeps_the_stories(db: Path) -> None:
    before = stories_json(db)
    output = invoke(db, "recluster")
    assert "4 articles in 2 stories" in output
    after = stories_json(db)
    assert [(s["id"], s["article_count"]) for s in after] == [
        (s["id"], s["article_count"]) for s in before
    ]
