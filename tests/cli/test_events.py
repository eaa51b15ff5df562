"""``newsdesk events`` (table, JSON, CSV, filters) and events in ``newsdesk article``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.cli import events as events_cli
from newsdesk.cli.enrichment import events_table
from newsdesk.store import Store
from tests.store.test_events import corpus, fill

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "events.db"
    store = Store.open(path)
    fill(store)
    store.close()
    return path


def invoke(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_table_shows_status_type_participants_and_article(db: Path) -> None:
    code, out, _ = invoke(db, "events")
    assert code == 0, out
    lines = [line for line in out.splitlines() if "declined" in line]
    assert len(lines) == 1
    for cell in ("2025-05-15", "REJECT", "Vladimir Putin", "Putin declines"):
        assert cell in lines[0]
    assert "Volodymyr Zelenskiy → Vladimir Putin" in out
    code, out, _ = invoke(db, "events", "--status", "denied")
    assert (code, out.strip()) == (0, "no events match")


def test_json_lists_events_with_filters(db: Path) -> None:
    code, out, _ = invoke(db, "events", "--json", "--actor", "putin")
    assert code == 0
    listed = json.loads(out)
    assert [(e["article_id"], e["type"], e["status"]) for e in listed] == [
        (1, "REJECT", "declined"),
        (1, "CONSULT", "conditional"),
    ]
    assert listed[1]["condition"] == "only if Putin came"
    assert listed[1]["recipient_names"] == ["Vladimir Putin"]
    assert listed[0]["outlet"] == "The Bosphorus Ledger"
    assert listed[0]["published"] == "2025-05-12T10:00:00+00:00"
    code, out, _ = invoke(db, "events", "--json", "--type", "YIELD", "--since", "2025-05")
    assert [e["summary"] for e in json.loads(out)] == [""]
    code, out, _ = invoke(db, "events", "--json", "--since", "2025-05-13")
    assert [e["date"] for e in json.loads(out)] == ["2025-05-15"]


def test_csv_has_one_row_per_event(db: Path) -> None:
    code, out, _ = invoke(db, "events", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5
    assert list(rows[0]) == list(events_cli.CSV_COLUMNS)
    threat = next(r for r in rows if r["type"] == "THREATEN")
    assert threat["actor_names"] == "Donald J. Trump"
    assert threat["recipients"] == "government-of-russia"
    assert threat["status"] == "threatened"


def test_bad_options_exit_with_a_message(db: Path) -> None:
    code, _, err = invoke(db, "events", "--status", "happened")
    assert code == 1
    assert "unknown event status 'happened'" in err
    code, _, err = invoke(db, "events", "--actor", "nobody")
    assert code == 1
    assert "no actor 'nobody'" in err
    code, _, err = invoke(db, "events", "--since", "last week")
    assert code == 2
    assert "not a date" in err
    code, _, err = invoke(db, "events", "--json", "--csv")
    assert code == 2
    assert "not both" in err


def test_story_filter_uses_the_story_article_ids(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events_cli, "story_article_ids", lambda desk, story_id: [2])
    code, out, _ = invoke(db, "events", "--json", "--story", "7")
    assert code == 0
    assert {e["article_id"] for e in json.loads(out)} == {2}


def test_story_ids_come_from_desk_stories_when_there_are_stories(
    capsys: pytest.CaptureFixture[str],
) -> None:
    desk = SimpleNamespace(stories=SimpleNamespace(article_ids=lambda story_id: [story_id, 9]))
    assert events_cli.story_article_ids(desk, 4) == [4, 9]  # type: ignore[arg-type]
    with pytest.raises(typer.Exit) as stopped:
        events_cli.story_article_ids(SimpleNamespace(), 4)  # type: ignore[arg-type]
    assert stopped.value.exit_code == 1


def test_article_view_shows_its_events(db: Path) -> None:
    code, out, _ = invoke(db, "article", "1")
    assert code == 0, out
    assert "Events" in out
    assert "declined" in out
    assert "if: only if Putin came" in out
    table = events_table(corpus()[0])
    assert table is not None
    assert table.row_count == 3
    console = Console(width=200, record=True)
    console.print(table)
    assert "Volodymyr Zelenskiy: president" in console.export_text()
    assert events_table(corpus()[2]) is None
