"""Reading local files and folders into RawDocuments, with one InputError per bad item."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.errors import InputError
from newsdesk.ingest import files
from newsdesk.ingest.files import classify, count_items, iter_sources
from newsdesk.model import RawDocument, RawKind

HTML = (
    b"<!doctype html><html><head><title>Harbour reopens</title></head>"
    b"<body><p>Ships are back.</p></body></html>"
)
RSS = b'<?xml version="1.0"?>\n<!-- a feed -->\n<rss version="2.0"><channel></channel></rss>'
OPML = b'<?xml version="1.0"?><opml version="2.0"><body/></opml>'


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def one(path: Path, **kwargs: int) -> RawDocument | InputError:
    items = list(iter_sources([path], **kwargs))
    assert len(items) == 1, items
    return items[0]


def failure(path: Path, **kwargs: int) -> str:
    item = one(path, **kwargs)
    assert isinstance(item, InputError), item
    assert item.item.startswith(str(path))
    return item.reason


# --- plain files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.html", "b.HTM", "c.xhtml", "d.html.gz", "e.htm.gz"])
def test_html_file(tmp_path: Path, name: str) -> None:
    data = gzip.compress(HTML) if name.endswith(".gz") else HTML
    path = write(tmp_path / name, data)
    doc = one(path)
    assert isinstance(doc, RawDocument)
    assert (doc.kind, doc.origin, doc.url, doc.body) == (RawKind.HTML, str(path), None, HTML)


@pytest.mark.parametrize("name", ["story.txt", "story.txt.gz"])
def test_text_file(tmp_path: Path, name: str) -> None:
    text = "Harbour reopens\n\nShips are back, said the mayor’s office.\n".encode()
    path = write(tmp_path / name, gzip.compress(text) if name.endswith(".gz") else text)
    doc = one(path)
    assert isinstance(doc, RawDocument)
    assert (doc.kind, doc.body, doc.content_type) == (RawKind.TEXT, text, "text/plain")


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    assert failure(write(tmp_path / "empty.html", data)) == "empty file"
    assert failure(write(tmp_path / "empty.txt.gz", gzip.compress(data))) == "empty file"


def test_binary_garbage_named_html(tmp_path: Path) -> None:
    garbage = random.Random(1).randbytes(5000)
    assert failure(write(tmp_path / "x.html", garbage)) == "not HTML: binary content"
    assert failure(write(tmp_path / "x.txt", garbage)) == "not text: binary content"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    assert failure(write(tmp_path / "y.html", png)) == "not HTML: binary content"
    prose = b"Just words, no tags at all.\n" * 10
    assert failure(write(tmp_path / "z.html", prose)) == "not HTML: no markup"


def test_truncated_and_corrupt_gzip(tmp_path: Path) -> None:
    packed = gzip.compress(HTML * 50)
    reason = failure(write(tmp_path / "cut.html.gz", packed[: len(packed) // 2]))
    assert reason.startswith("truncated gzip: ")
    reason = failure(write(tmp_path / "plain.html.gz", HTML))
    assert reason.startswith("corrupt gzip: ")
    bad_crc = packed[:-8] + bytes(8)
    assert failure(write(tmp_path / "crc.html.gz", bad_crc)).startswith("corrupt gzip: ")


def test_size_cap_checks_stat_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: costs no disk and is never read
    assert failure(path) == "too large: 52,428,800 bytes > cap 10,000,000"


def test_size_cap_on_decompressed_gzip(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.html.gz", gzip.compress(b"<p>" + b"a" * 50_000))
    assert path.stat().st_size < 1000
    assert failure(path, max_bytes=1000) == "too large: over 1,000 bytes > cap 1,000"
    assert isinstance(one(path, max_bytes=60_000), RawDocument)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.html", HTML)
    real_open = files._open

    def deny(p: Path) -> io.BufferedReader:
        if p == path:
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p)  # type: ignore[return-value]

    monkeypatch.setattr(files, "_open", deny)
    assert failure(path) == "unreadable: Permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_by_mode(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.html", HTML)
    path.chmod(0)
    try:
        assert failure(path) == "unreadable: Permission denied"
    finally:
        path.chmod(0o644)


def test_missing_path(tmp_path: Path) -> None:
    assert failure(tmp_path / "nope.html") == "not found"


# --- classification and folders -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.html", HTML, "html"),
        ("a.XHTML", HTML, "html"),
        ("a.htm.gz", b"", "html"),
        ("a.txt", b"", "text"),
        ("a.json", b"[]", "json"),
        ("a.jsonl", b"", "jsonl"),
        ("a.warc", b"", "warc"),
        ("a.warc.gz", b"", "warc"),
        ("a.rss", b"", "feed"),
        ("a.atom", b"", "feed"),
        ("a.opml", b"", "opml"),
        ("a.xml", RSS, "feed"),
        ("a.xml", b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "feed"),
        ("a.rdf", b"<?xml version='1.0'?><rdf:RDF></rdf:RDF>", "feed"),
        ("a.xml", b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        ("a.xml", OPML, "opml"),
        ("a.xml", b"<!DOCTYPE html><html><body/></html>", "html"),
        ("a.xml", b"<sitemap/>", "unknown"),
        ("a.json", b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "feed"),
        ("a.pdf", b"%PDF-1.4", "unknown"),
        ("README", b"hi", "unknown"),
    ],
)
def test_classify(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    assert classify(write(tmp_path / name, data)) == kind


def test_classify_sniffs_gzipped_xml(tmp_path: Path) -> None:
    assert classify(write(tmp_path / "feed.xml.gz", gzip.compress(RSS))) == "feed"


def test_folder_walk_order_skips_hidden_feeds_and_unread_types(tmp_path: Path) -> None:
    write(tmp_path / "b.html", HTML)
    write(tmp_path / "a" / "z.txt", b"A story.\n")
    write(tmp_path / "a" / "deep" / "y.html", HTML)
    write(tmp_path / ".git" / "index.html", HTML)
    write(tmp_path / ".hidden.html", HTML)
    write(tmp_path / "c.xml", RSS)
    write(tmp_path / "c.opml", OPML)
    write(tmp_path / "d.rss", RSS)
    write(tmp_path / "e.pdf", b"%PDF-1.4")
    write(tmp_path / "f.xml", b"<urlset/>")
    items = list(iter_sources([tmp_path]))
    assert [i.origin if isinstance(i, RawDocument) else i.item for i in items] == [
        str(tmp_path / "a" / "deep" / "y.html"),
        str(tmp_path / "a" / "z.txt"),
        str(tmp_path / "b.html"),
        str(tmp_path / "f.xml"),
    ]
    assert isinstance(items[3], InputError)
    assert items[3].reason == "unsupported file type: XML with root <urlset>"
    assert count_items([tmp_path]) == 4
    named = list(iter_sources([tmp_path / "e.pdf"]))
    assert isinstance(named[0], InputError)
    assert named[0].reason == "unsupported file type"


def test_good_items_around_bad_ones_still_come_through(tmp_path: Path) -> None:
    write(tmp_path / "1.html", HTML)
    write(tmp_path / "2.html", b"")
    write(tmp_path / "3.html.gz", gzip.compress(HTML)[:20])
    write(tmp_path / "4.html", random.Random(2).randbytes(300))
    write(tmp_path / "5.html", HTML)
    paths = [tmp_path, tmp_path / "missing.txt", tmp_path / "5.html"]
    items = list(iter_sources(paths))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["RawDocument", *["InputError"] * 3, "RawDocument", "InputError", "RawDocument"]


# --- JSON records -------------------------------------------------------------------------

RECORD_HTML = {
    "url": "https://ledger.example/harbour",
    "title": "Harbour reopens",
    "html": "<html><body><p>Ships are back — café open.</p></body></html>",
    "published": "2024-05-01T08:00:00Z",
    "authors": ["Ada Byron", {"name": "Ben Okri"}],
    "site": "The Ledger",
}
RECORD_TEXT = {
    "url": "https://ledger.example/tide",
    "title": "Tide",
    "text": "High tide.",
    "author": "Cy",
}


def test_json_list_of_records(tmp_path: Path) -> None:
    records = [RECORD_HTML, RECORD_TEXT, {"title": "no body"}, 7]
    path = write(tmp_path / "batch.json", json.dumps(records).encode())
    html, text, empty, number = list(iter_sources([path]))
    assert isinstance(html, RawDocument)
    assert (html.kind, html.origin, html.url) == (RawKind.HTML, f"{path}#1", RECORD_HTML["url"])
    assert html.body == str(RECORD_HTML["html"]).encode("utf-8")
    assert html.hints == (
        ("url", "https://ledger.example/harbour"),
        ("title", "Harbour reopens"),
        ("published", "2024-05-01T08:00:00Z"),
        ("site", "The Ledger"),
        ("author", "Ada Byron"),
        ("author", "Ben Okri"),
    )
    assert isinstance(text, RawDocument)
    assert (text.kind, text.origin, text.hint("author")) == (RawKind.RECORD, f"{path}#2", "Cy")
    assert json.loads(text.body.decode("utf-8")) == RECORD_TEXT
    assert isinstance(empty, InputError)
    assert (empty.item, empty.reason) == (f"{path}#3", "record has neither text nor html")
    assert isinstance(number, InputError)
    assert (number.item, number.reason) == (f"{path}#4", "not a JSON object")


def test_json_single_record_and_bad_files(tmp_path: Path) -> None:
    doc = one(write(tmp_path / "one.json", json.dumps(RECORD_TEXT).encode()))
    assert isinstance(doc, RawDocument)
    assert doc.origin.endswith("one.json#1")
    assert failure(write(tmp_path / "bad.json", b'{"url": ')).startswith("invalid JSON: ")
    assert failure(write(tmp_path / "none.json", b"[]")) == "no records: the JSON list is empty"


def test_jsonl_with_a_broken_line(tmp_path: Path) -> None:
    lines = [
        json.dumps(RECORD_HTML),
        '{"url": "https://x.example", "text": ',  # cut short
        "",
        "[1, 2]",
        json.dumps(RECORD_TEXT, ensure_ascii=False),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines).encode())
    items = list(iter_sources([path]))
    assert [
        (type(i).__name__, i.origin if isinstance(i, RawDocument) else i.item) for i in items
    ] == [
        ("RawDocument", f"{path}#1"),
        ("InputError", f"{path}#2"),
        ("InputError", f"{path}#4"),
        ("RawDocument", f"{path}#5"),
    ]
    assert isinstance(items[1], InputError)
    assert items[1].reason.startswith("invalid JSON")
    assert count_items([path]) == 5


def test_jsonl_line_over_the_cap_and_gzip(tmp_path: Path) -> None:
    long = json.dumps({"text": "x" * 5000})
    data = "\n".join([long, json.dumps(RECORD_TEXT)]).encode()
    path = write(tmp_path / "big.jsonl.gz", gzip.compress(data))
    first, second = list(iter_sources([path], max_bytes=1000))
    assert isinstance(first, InputError)
    assert (first.item, first.reason) == (f"{path}#1", "too large: over 1,000 bytes > cap 1,000")
    assert isinstance(second, RawDocument)
    assert second.origin == f"{path}#2"
    assert failure(write(tmp_path / "blank.jsonl", b"\n\n")) == "empty file"


# --- WARC ---------------------------------------------------------------------------------

PAGES = [
    (
        "https://ledger.example/a",
        "text/html; charset=ISO-8859-1",
        "200 OK",
        b"<html><p>A</p></html>",
    ),
    ("https://ledger.example/logo.png", "image/png", "200 OK", b"\x89PNG\r\n\x1a\n" + bytes(40)),
    ("https://ledger.example/gone", "text/html", "404 Not Found", b"<html>missing</html>"),
    ("https://ledger.example/b", "application/xhtml+xml", "200 OK", b"<html><p>B</p></html>" * 200),
]


def make_warc(path: Path, *, compress: bool) -> Path:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for number, (url, content_type, status, body) in enumerate(PAGES):
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            date = f"2024-03-0{number + 1}T12:30:00Z"
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )  # fmt: skip
            writer.write_record(record)
    return path


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses(tmp_path: Path, name: str) -> None:
    path = make_warc(tmp_path / name, compress=name.endswith(".gz"))
    a, b = list(iter_sources([path]))
    assert isinstance(a, RawDocument)
    assert isinstance(b, RawDocument)
    assert (a.kind, a.url, a.body) == (RawKind.HTML, PAGES[0][0], PAGES[0][3])
    assert (a.content_type, a.encoding) == ("text/html", "iso-8859-1")
    assert a.fetched_at == datetime(2024, 3, 1, 12, 30, tzinfo=UTC)
    assert (b.url, b.body, b.content_type, b.encoding) == (
        PAGES[3][0],
        PAGES[3][3],
        PAGES[3][1],
        None,
    )
    assert b.fetched_at == datetime(2024, 3, 4, 12, 30, tzinfo=UTC)
    offset_a, offset_b = (int(d.origin.rpartition("#")[2]) for d in (a, b))
    assert a.origin.startswith(f"{path}#")
    assert 0 < offset_a < offset_b < path.stat().st_size
    assert count_items([path]) == 1


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path, name: str) -> None:
    whole = make_warc(tmp_path / f"whole-{name}", compress=name.endswith(".gz")).read_bytes()
    path = write(tmp_path / name, whole[:-60])  # inside the last (large) record
    first, error = list(iter_sources([path]))
    assert isinstance(first, RawDocument)
    assert first.url == PAGES[0][0]
    assert isinstance(error, InputError)
    assert "truncated" in error.reason
    assert error.item.startswith(f"{path}#")


def test_warc_cut_inside_record_headers(tmp_path: Path) -> None:
    whole = make_warc(tmp_path / "whole.warc", compress=False).read_bytes()
    cut = whole.index(b"WARC/1", whole.index(b"ledger.example/gone")) + 40  # the 4th record's head
    first, error = list(iter_sources([write(tmp_path / "cut.warc", whole[:cut])]))
    assert isinstance(first, RawDocument)
    assert isinstance(error, InputError)
    assert error.reason == "truncated or corrupt WARC: incomplete headers"
    assert error.item == f"{tmp_path / 'cut.warc'}#{whole.rindex(b'WARC/1', 0, cut)}"


def test_warc_record_over_the_cap_and_garbage_warc(tmp_path: Path) -> None:
    path = make_warc(tmp_path / "crawl.warc.gz", compress=True)
    small, big = list(iter_sources([path], max_bytes=1000))
    assert isinstance(small, RawDocument)
    assert isinstance(big, InputError)
    assert big.reason == "too large: over 1,000 bytes > cap 1,000"
    assert failure(write(tmp_path / "junk.warc", b"hello, not a warc\n")).startswith(
        "corrupt WARC: "
    )
    assert failure(write(tmp_path / "empty.warc.gz", b"")) == "empty file"
