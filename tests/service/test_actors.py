"""Actors across articles: merged by key, edits (merge, alias, rename) honoured later."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.errors import StoreError
from newsdesk.service import Newsdesk
from tests.service.pages import html_page

FIRST = [
    "Finance Minister Ilse Varga of Moravia presented the budget to parliament on Monday,"
    " saying the deficit would shrink by half over two years.",
    "Opposition leader Tomas Brandt called the plan a fantasy. Varga said she expected"
    " the vote to pass before the summer recess.",
]
SECOND = [
    "Finance Minister Ilse Vargova defended her budget again on Tuesday before a"
    " committee of the Moravian parliament that has yet to decide.",
    "Vargova told the committee that pension spending would be protected in every year of"
    " the plan, and that taxes on fuel would not rise.",
]


def page(tmp_path: Path, name: str, paragraphs: list[str], slug: str) -> Path:
    path = tmp_path / name
    path.write_text(
        html_page(domain="moravia.example", slug=slug, title=name, paragraphs=paragraphs)
    )
    return path


def test_actors_merge_across_articles_with_titles_over_time(desk: Newsdesk, tmp_path: Path) -> None:
    desk.ingest([str(page(tmp_path, "a.html", FIRST, "a"))])
    varga = desk.actor("ilse-varga")
    assert varga.summary.actor.titles == ("Finance Minister",)
    assert [a.id for a in varga.articles] == [1]
    assert [t.title for t in varga.titles] == ["Finance Minister"]
    assert "tomas-brandt" in {s.actor.key for s in desk.actors()}


def test_merge_and_alias_hold_for_later_articles(desk: Newsdesk, tmp_path: Path) -> None:
    desk.ingest([str(page(tmp_path, "a.html", FIRST, "a"))])
    desk.ingest([str(page(tmp_path, "b.html", SECOND, "b"))])
    assert {"ilse-varga", "ilse-vargova"} <= {s.actor.key for s in desk.actors()}
    merged = desk.merge_actors("ilse-varga", "ilse-vargova")
    assert [a.id for a in merged.articles] == [1, 2]
    assert "Ilse Vargova" in merged.summary.actor.aliases
    assert desk.actor("ilse-vargova").summary.actor.key == "ilse-varga"  # old key still resolves
    third = page(
        tmp_path, "c.html", [p.replace("Tuesday", "Friday") + " Again." for p in SECOND], "c"
    )
    desk.ingest([str(third)])
    keys = {s.actor.key for s in desk.actors()}
    assert "ilse-vargova" not in keys
    assert [a.id for a in desk.actor("ilse-varga").articles] == [1, 2, 3]
    stored = desk.article(3).stored.article
    assert "ilse-varga" in {a.key for a in stored.actors}
    assert all(m.actor != "ilse-vargova" for m in stored.mentions)


def test_alias_and_rename(desk: Newsdesk, tmp_path: Path) -> None:
    desk.ingest([str(page(tmp_path, "a.html", FIRST, "a"))])
    desk.alias_actor("ilse-varga", "Ilse Vargova")
    desk.ingest([str(page(tmp_path, "b.html", SECOND, "b"))])
    assert [a.id for a in desk.actor("ilse-varga").articles] == [1, 2]
    renamed = desk.rename_actor("ilse-varga", "Ilse Varga-Novak")
    assert renamed.summary.actor.name == "Ilse Varga-Novak"
    assert renamed.summary.edited
    with pytest.raises(StoreError, match="no actor"):
        desk.actor("nobody-at-all")


def test_actors_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "x.db")
    assert (
        runner.invoke(
            app, ["--db", db, "ingest", str(page(tmp_path, "a.html", FIRST, "a"))]
        ).exit_code
        == 0
    )
    listed = runner.invoke(app, ["--db", db, "actors", "list"])
    assert listed.exit_code == 0
    assert "Ilse Varga" in listed.output
    shown = runner.invoke(app, ["--db", db, "actors", "show", "varga", "--json"])
    assert shown.exit_code == 0
    assert '"key": "ilse-varga"' in shown.output
    assert (
        runner.invoke(app, ["--db", db, "actors", "rename", "ilse-varga", "I. Varga"]).exit_code
        == 0
    )
    assert runner.invoke(app, ["--db", db, "actors", "show", "nobody"]).exit_code == 1
