"""``prepare`` builds every story page and related list once; a reader then builds nothing; and
the app loads what its first request would otherwise wait for."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app as cli_app
from newsdesk.service import Newsdesk
from newsdesk.web import create_app
from newsdesk.web.prepare import prepare

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient


def _copy(web_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "prepared.db"
    shutil.copyfile(web_db, copy)
    return copy


def _pages(db: Path, paths: list[str]) -> dict[str, str]:
    desk = Newsdesk.open(db)
    try:
        with TestClient(create_app(desk), base_url="http://127.0.0.1:8000") as client:
            return {p: _steady(client.get(p).text) for p in paths}
    finally:
        desk.close()


def _steady(html: str) -> str:
    """The page without the server's clock (the "what's new" box remembers the visit) and
    the visitor's CSRF token."""
    html = re.sub(r'"X-CSRF-Token": "[^"]*"', "", html)
    return re.sub(r'data-now="[^"]*"', "", html)


def test_a_prepared_store_serves_story_pages_and_related_without_building(
    web_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unprepared = _copy(web_db, tmp_path)
    prepared = tmp_path / "second.db"
    shutil.copyfile(unprepared, prepared)
    desk = Newsdesk.open(prepared)
    seen: list[tuple[str, int, int]] = []
    try:
        report = prepare(desk, step=lambda what, done, of: seen.append((what, done, of)))
        story_ids = [x.story.id for x in desk.stories.stories(limit=None)]
        article_ids = desk.store.article_ids()
        originals = [i for i in article_ids if desk.store.article(i).duplicate_of is None]
    finally:
        desk.close()
    assert report.stories == len(story_ids) > 1
    assert report.related == len(originals) < len(article_ids)  # a copy shows its original's
    assert seen[-1] == ("related articles", len(originals), len(originals))

    reader = Newsdesk.open(prepared)  # a fresh worker: nothing in its memory
    try:

        def nothing_built(*args: object, **kwargs: object) -> None:
            raise AssertionError("built what prepare kept")

        monkeypatch.setattr(reader.stories, "story_page", nothing_built)
        monkeypatch.setattr(reader.stories.finder, "_pick", nothing_built)
        with TestClient(create_app(reader), base_url="http://127.0.0.1:8000") as client:
            for story_id in story_ids:
                assert client.get(f"/stories/{story_id}").status_code == 200
                assert client.get(f"/stories/{story_id}.json").status_code == 200
            for article_id in article_ids:
                assert client.get(f"/articles/{article_id}").status_code == 200
    finally:
        reader.close()

    # What was kept is what an unprepared reader builds for itself.
    paths = [f"/stories/{i}" for i in story_ids] + [f"/stories/{i}.json" for i in story_ids]
    paths += [f"/articles/{i}" for i in article_ids[:12]]
    assert _pages(prepared, paths) == _pages(unprepared, paths)


def test_a_second_prepare_only_checks(web_db: Path, tmp_path: Path) -> None:
    db = _copy(web_db, tmp_path)
    desk = Newsdesk.open(db)
    try:
        prepare(desk)
        kept = desk.store.prepared.keys("story_primary.html")
        again = prepare(desk)
        assert desk.store.prepared.keys("story_primary.html") == kept
        assert again.stories == len(kept)
        assert again.related == 0  # every kept list is current
        listing = desk.stories.stories(limit=None)[0]
        desk.stories._refresh(listing.story.id)  # the story changed (a new member, say)
        originals = [m for m in listing.members if m.duplicate_of is None]
        assert prepare(desk, stories=False).related == len(originals) > 0
    finally:
        desk.close()


def test_the_command_reports_what_it_prepared(web_db: Path, tmp_path: Path) -> None:
    db = _copy(web_db, tmp_path)
    result = CliRunner().invoke(cli_app, ["--db", str(db), "prepare", "--no-related"])
    assert result.exit_code == 0, result.output
    desk = Newsdesk.open(db)
    try:
        stories = len(desk.stories.stories(limit=None))
        assert desk.store.prepared.keys("related") == set()
        assert len(desk.store.prepared.keys("story_secondary.html")) == stories
    finally:
        desk.close()
    assert f"{stories} story pages ready; 0 related lists found" in result.output


def test_the_app_loads_the_story_clusterer_before_its_first_request(web_db: Path) -> None:
    desk = Newsdesk.open(web_db)
    try:
        assert desk.stories._clusterer is None
        with TestClient(create_app(desk), base_url="http://127.0.0.1:8000"):
            assert desk.stories._clusterer is not None  # loaded at startup, nothing asked yet
    finally:
        desk.close()
