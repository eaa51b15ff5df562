"""The command line: thin commands, JSON output, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from tests.service.pages import html_page

runner = CliRunner()


def invoke(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.output


def test_extract_seed_prints_the_promised_fields(seed: Path) -> None:
    result = runner.invoke(app, ["extract", str(seed)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    for key in ("source", "url", "title", "authors", "published", "published_source", "site",
                "language", "text", "related_links"):  # fmt: skip
        assert key in record
    assert record["title"] == "Russia Ukraine peace talks"
    assert record["published"] is None
    assert record["published_source"] == "none"
    assert record["text"].count("Russia Ukraine peace talks") == 0
    assert len(record["related_links"]) == 4


def test_extract_jsonl_and_errors(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(html_page(domain="ledger.example", slug="a"))
    (tmp_path / "b.html").write_bytes(b"")
    result = runner.invoke(app, ["extract", "--format", "jsonl", str(tmp_path)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["canonical_url"] for r in lines] == ["https://ledger.example/a"]
    assert "b.html: empty file" in result.stderr


def test_ingest_exit_codes(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    (tmp_path / "good.html").write_text(html_page(domain="ledger.example", slug="a"))
    (tmp_path / "bad.html").write_bytes(b"")
    code, output = invoke(db, "ingest", str(tmp_path / "good.html"))
    assert code == 0, output
    assert "new" in output
    code, output = invoke(db, "ingest", str(tmp_path / "good.html"), str(tmp_path / "bad.html"))
    assert code == 1
    assert "empty file" in output
    code, _ = invoke(db, "ingest")
    assert code == 2
    code, _ = invoke(db, "no-such-command")
    assert code == 2


def test_articles_article_and_search_json(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    (tmp_path / "a.html").write_text(html_page(domain="ledger.example", slug="a"))
    assert invoke(db, "ingest", str(tmp_path / "a.html"))[0] == 0
    code, output = invoke(db, "articles", "--json")
    listed = json.loads(output)
    assert code == 0
    assert len(listed) == 1
    assert "text" not in listed[0]
    code, output = invoke(db, "article", str(listed[0]["id"]), "--json")
    shown = json.loads(output)
    assert shown["title"] == "Russia and Ukraine agree prisoner swap in Istanbul"
    assert shown["published"] == "2025-05-16T14:00:00+00:00"
    assert shown["published_source"] == "meta"
    code, output = invoke(db, "search", "prisoners exchange", "--json")
    hits = json.loads(output)
    assert code == 0
    assert hits[0]["id"] == listed[0]["id"]
    assert "[" in hits[0]["snippet"]
    code, output = invoke(db, "article", "999")
    assert code == 1
    assert "no article with id 999" in output
    code, output = invoke(db, "search", "delegations")
    assert code == 0
    assert "Russia and Ukraine agree" in output


def test_feeds_add_list_export_import_remove(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert invoke(db, "feeds", "add", "https://ledger.example/feed.xml")[0] == 0
    assert invoke(db, "feeds", "add", "ftp://nope")[0] == 2
    code, output = invoke(db, "feeds", "list", "--json")
    assert [f["url"] for f in json.loads(output)] == ["https://ledger.example/feed.xml"]
    out = tmp_path / "feeds.opml"
    assert invoke(db, "feeds", "export", "--output", str(out))[0] == 0
    other = tmp_path / "other.db"
    code, output = invoke(other, "feeds", "import", str(out))
    assert code == 0
    assert "1 feeds added" in output
    assert invoke(other, "feeds", "remove", "https://ledger.example/feed.xml")[0] == 0
    assert invoke(other, "feeds", "remove", "https://ledger.example/feed.xml")[0] == 1


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_DB", str(tmp_path / "env.db"))
    (tmp_path / "a.html").write_text(html_page(domain="ledger.example", slug="a"))
    result = runner.invoke(app, ["ingest", str(tmp_path / "a.html")])
    assert result.exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_module_entry_point_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "ingest" in result.stdout
    assert "extract" in result.stdout
