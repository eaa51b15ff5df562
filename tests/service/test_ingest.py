"""Ingest through the service: outcomes per item, deduplication, bad input, resumption."""

from __future__ import annotations

import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.model import Outcome
from newsdesk.service import Newsdesk
from tests.service.pages import PARAGRAPHS, edited_paragraphs, html_page


def outcomes(report: object) -> dict[str, Outcome]:
    return {Path(r.origin).name: r.outcome for r in report.results}  # type: ignore[attr-defined]


def test_ingest_stores_new_articles_and_is_idempotent(desk: Newsdesk, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(html_page(domain="ledger.example", slug="swap"))
    first = desk.ingest([str(tmp_path / "a.html")])
    assert outcomes(first) == {"a.html": Outcome.NEW}
    again = desk.ingest([str(tmp_path / "a.html")])
    assert outcomes(again) == {"a.html": Outcome.UNCHANGED}
    assert desk.stats().articles == 1
    stored = desk.articles()[0].article
    assert stored.title == "Russia and Ukraine agree prisoner swap in Istanbul"
    assert stored.canonical_url == "https://ledger.example/swap"
    assert [stamp.partition("@")[0] for stamp in stored.processed_by] == [
        "extract", "language", "entities", "actors", "quotes", "times", "places", "events",
    ]  # fmt: skip
    assert stored.processed_by == desk.pipeline.stamps
    assert "PERSON" not in {e.label for e in stored.entities} or stored.actors


def test_syndicated_and_edited_copies_link_to_the_original(desk: Newsdesk, tmp_path: Path) -> None:
    (tmp_path / "1-wire.html").write_text(html_page(domain="wire.example", slug="w"))
    (tmp_path / "2-copy.html").write_text(html_page(domain="daily.example", slug="c"))
    (tmp_path / "3-edit.html").write_text(
        html_page(
            domain="courier.example",
            slug="e",
            title="Istanbul talks yield swap of a thousand prisoners",
            paragraphs=edited_paragraphs(),
        )
    )
    (tmp_path / "4-other.html").write_text(
        html_page(domain="daily.example", slug="o", paragraphs=[p[::-1] for p in PARAGRAPHS])
    )
    report = desk.ingest([str(tmp_path)])
    assert outcomes(report) == {
        "1-wire.html": Outcome.NEW,
        "2-copy.html": Outcome.DUPLICATE,
        "3-edit.html": Outcome.NEAR_DUPLICATE,
        "4-other.html": Outcome.NEW,
    }
    by_name = {Path(r.origin).name: r for r in report.results}
    wire_id = by_name["1-wire.html"].article_id
    assert by_name["2-copy.html"].duplicate_of == wire_id
    assert by_name["3-edit.html"].duplicate_of == wire_id
    assert 0.6 <= (by_name["3-edit.html"].similarity or 0) < 1.0
    assert wire_id is not None
    view = desk.article(wire_id)
    assert len(view.copies) == 2


def test_same_article_twice_in_one_batch_is_stored_once(desk: Newsdesk, tmp_path: Path) -> None:
    page = html_page(domain="ledger.example", slug="swap")
    (tmp_path / "a.html").write_text(page)
    (tmp_path / "b.html").write_text(page.replace("</body>", "<!-- mirror --></body>"))
    report = desk.ingest([str(tmp_path / "a.html"), str(tmp_path / "b.html")])
    assert [r.outcome for r in report.results] == [Outcome.NEW, Outcome.UNCHANGED]
    assert desk.stats().articles == 1


def test_bad_inputs_fail_one_by_one_and_the_rest_goes_in(desk: Newsdesk, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "01-good.html").write_text(html_page(domain="ledger.example", slug="good"))
    (folder / "02-empty.html").write_bytes(b"")
    (folder / "03-garbage.html").write_bytes(bytes(range(256)) * 40)
    whole = gzip.compress(html_page(domain="x.example", slug="t").encode())
    (folder / "04-truncated.html.gz").write_bytes(whole[: len(whole) // 2])
    mislabelled = html_page(
        domain="cafe.example",
        slug="m",
        title="Café talks: naïve hopes – and “realism”",
        paragraphs=[
            "Waiters at a café near the palace said the crowd of reporters was the largest"
            " they had seen since the grain corridor talks, and ordered extra tea.",
            "A résumé of the day’s events, printed by the press office, ran to one page and"
            " named neither delegation’s members – a sign, one diplomat said, of caution.",
        ],
    ).encode("cp1252")
    (folder / "05-mislabelled.html").write_bytes(mislabelled)
    with (folder / "06-huge.html").open("wb") as huge:
        huge.truncate(50 * 1024 * 1024)
    (folder / "07-feed.xml").write_text("<rss version='2.0'><channel><title>x</channel>")
    (folder / "08-not-a-feed.rss").write_bytes(b"\x00\x01 definitely not xml")
    report = desk.ingest([str(folder)])
    got = outcomes(report)
    assert got["01-good.html"] is Outcome.NEW
    assert got["05-mislabelled.html"] is Outcome.NEW
    for bad in ("02-empty.html", "03-garbage.html", "04-truncated.html.gz", "06-huge.html",
                "08-not-a-feed.rss"):  # fmt: skip
        assert got[bad] is Outcome.FAILED, bad
    reasons = {Path(r.origin).name: r.reason or "" for r in report.failed}
    assert "empty" in reasons["02-empty.html"]
    assert "binary" in reasons["03-garbage.html"]
    assert "gzip" in reasons["04-truncated.html.gz"]
    assert "too large" in reasons["06-huge.html"]
    assert "XML" in reasons["08-not-a-feed.rss"]
    titles = {a.article.title for a in desk.articles()}
    assert "Café talks: naïve hopes – and “realism”" in titles
    assert desk.stats().failures == len(report.failed)


def test_opml_with_a_broken_entry_keeps_the_others(desk: Newsdesk, tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        """<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="Talks">
  <outline type="rss" text="Ledger" xmlUrl="https://ledger.example/feed.xml"/>
  <outline type="rss" text="Broken"/>
  <outline type="rss" text="Wire" xmlUrl="https://wire.example/rss"/>
</outline></body></opml>"""
    )
    result = desk.import_opml(opml)
    assert [f.url for f in result.added] == [
        "https://ledger.example/feed.xml",
        "https://wire.example/rss",
    ]
    assert len(result.errors) == 1
    assert "xmlUrl" in result.errors[0].reason
    exported = desk.export_opml()
    assert "https://wire.example/rss" in exported


def test_missing_path_is_a_failure_not_a_crash(desk: Newsdesk, tmp_path: Path) -> None:
    report = desk.ingest([str(tmp_path / "nope.html")])
    assert report.failed[0].reason == "no such file or folder"


def test_reprocess_redoes_only_stale_articles(desk: Newsdesk, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(html_page(domain="ledger.example", slug="swap"))
    desk.ingest([str(tmp_path)])
    assert desk.reprocess() == 0
    with desk.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE articles SET processed_by='[\"extract@0\"]', title='old'")
    assert desk.reprocess() == 1
    assert desk.articles()[0].article.title == "Russia and Ukraine agree prisoner swap in Istanbul"


@pytest.mark.slow
def test_kill_9_during_ingest_then_resume(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        paragraphs = [f"Story {i}: {p} Item number {i} in the series." for p in PARAGRAPHS]
        (folder / f"{i:03d}.html").write_text(
            html_page(domain=f"site{i % 7}.example", slug=f"s{i}", paragraphs=paragraphs)
        )
    db = tmp_path / "k.db"
    command = [sys.executable, "-m", "newsdesk", "--db", str(db), "ingest", str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
        if stored >= 5:
            break
        time.sleep(0.05)
    assert process.poll() is None, "ingest finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert 5 <= stored < 60
    rerun = subprocess.run(command, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    with sqlite3.connect(db) as conn:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT canonical_url) FROM articles"
        ).fetchone()
        raw = conn.execute("SELECT count(*) FROM raw_documents").fetchone()[0]
    assert total == distinct == 60
    assert raw == 60


def test_earlier_published_original_takes_over_its_copies(desk: Newsdesk, tmp_path: Path) -> None:
    # Files are read in name order, so the copies arrive before the wire story they copy.
    (tmp_path / "1-copy.html").write_text(
        html_page(domain="daily.example", slug="c", date="2025-05-16T19:00:00+03:00")
    )
    (tmp_path / "2-edit.html").write_text(
        html_page(domain="courier.example", slug="e", paragraphs=edited_paragraphs(),
                  date="2025-05-16T20:00:00+03:00")
    )  # fmt: skip
    (tmp_path / "3-wire.html").write_text(
        html_page(domain="wire.example", slug="w", date="2025-05-16T17:00:00+03:00")
    )
    report = desk.ingest([str(tmp_path)])
    assert [r.outcome for r in report.results] == [
        Outcome.NEW,
        Outcome.NEAR_DUPLICATE,
        Outcome.NEW,
    ]
    wire = report.results[2].article_id
    assert wire is not None
    view = desk.article(wire)
    assert view.stored.duplicate_of is None
    links = {c.article.domain: c.duplicate_of for c in view.copies}
    assert set(links) == {"daily.example", "courier.example"}
    daily = links["daily.example"]
    assert daily is not None
    assert daily.exact
    assert daily.similarity == 1.0
    courier = links["courier.example"]
    assert courier is not None
    assert not courier.exact
    assert 0.6 <= courier.similarity < 1.0
    # The index now holds the wire story: a later copy links to it directly.
    (tmp_path / "4-late.html").write_text(html_page(domain="late.example", slug="l"))
    late = desk.ingest([str(tmp_path / "4-late.html")]).results[0]
    assert late.duplicate_of == wire


def test_listeners_hear_each_stored_article_and_a_failing_one_is_logged(desk, corpus):
    from newsdesk.errors import StoreError

    heard: list[tuple[int, str | None]] = []

    def record(article_id, article, result):
        heard.append((article_id, result.outcome.value if result else None))

    def broken(article_id, article, result):
        raise StoreError("story index unavailable")

    desk.listeners.extend([broken, record])
    page = next((corpus / "pages").rglob("*.html"))
    report = desk.ingest([str(page)])
    [item] = report.results
    assert heard == [(item.article_id, "new")]
    failures = desk.store.failures()
    assert any("broken: story index unavailable" in reason for _, _, reason in failures)
    assert desk.store.article(item.article_id).article.text  # the article stays stored
