"""Feed parsing: every format newsdesk follows, relative links, dates, and what is not a feed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import InputError
from newsdesk.ingest.feeds import (
    FULL_CONTENT_MIN_CHARS,
    FeedEntry,
    ParsedFeed,
    entry_to_raw_document,
    parse_feed,
)
from newsdesk.model import RawKind

DATA = Path(__file__).parent / "data"
COURIER = "https://courier.example.com/feeds/all.xml"
GAZETTE = "https://gazette.example.net/rss"
REVIEW = "https://review.example.org/blog/atom.xml"
WIRE = "https://wire.example.com/feed.json"
LANTERN = "https://lantern.example.com/feed.xml"
FIXTURES = [
    ("rss2_content.xml", COURIER),
    ("rss1.rdf", GAZETTE),
    ("atom.xml", REVIEW),
    ("jsonfeed.json", WIRE),
    ("rss_summary_only.xml", LANTERN),
]
LONG_TEXT = " ".join(["The harbour board met again to discuss the pier."] * 20)


def load(name: str, url: str) -> ParsedFeed:
    return parse_feed((DATA / name).read_bytes(), url=url)


def rss(items: str, *, channel: str = "<title>Inline</title>") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel>{channel}{items}</channel></rss>"
    ).encode()


def test_rss2_with_content_encoded() -> None:
    feed = load("rss2_content.xml", COURIER)
    assert feed.url == COURIER
    assert feed.title == "The Harbour Courier"
    assert feed.site_url == "https://courier.example.com/"
    assert feed.bozo_reason is None
    ferry, market, fog = feed.entries

    assert ferry.url == "https://courier.example.com/2025/06/ferry-timetable"
    assert ferry.guid == "courier-2025-0601"
    assert ferry.title == "Ferry timetable changes after pier repairs"
    assert ferry.published == datetime(2025, 6, 3, 7, 30, tzinfo=UTC)
    assert ferry.authors == ("Mara Velt",)
    assert ferry.summary == "The morning ferry leaves twenty minutes later from Monday."
    assert ferry.content_html is not None
    assert 'src="https://courier.example.com/img/pier.jpg"' in ferry.content_html
    assert 'href="https://courier.example.com/about/timetables"' in ferry.content_html
    assert ferry.has_full_content

    # A permalink guid is the link; no pubDate means no date, never "now".
    assert market.url == "https://courier.example.com/2025/06/market-hall"
    assert market.published is None
    assert market.authors == ("Ilse Namur",)
    assert market.summary == "The vote on the market hall moves to July."
    assert market.content_html is None
    assert not market.has_full_content

    assert fog.title == "Fog expected & light winds"
    assert fog.published == datetime(2025, 6, 4, 5, 0, tzinfo=UTC)
    assert fog.summary is None  # feedparser's copy of the content is not a summary
    assert fog.content_html == "<p>Thick fog over the bay until noon.</p>"
    assert not fog.has_full_content  # too short to be the article


def test_rss1_rdf() -> None:
    feed = load("rss1.rdf", GAZETTE)
    assert feed.title == "Valley Gazette"
    assert feed.site_url == "https://gazette.example.net/"
    fair, bridge = feed.entries
    assert fair.url == "https://gazette.example.net/news/orchard-fair"
    assert fair.title == "Orchard fair returns to the old mill"
    assert fair.published == datetime(2024, 9, 14, 16, 15, tzinfo=UTC)  # dc:date, +02:00
    assert fair.authors == ("Pieter Lom",)
    assert fair.summary == "Forty growers have signed up for this year's fair."
    assert bridge.published is None
    assert not fair.has_full_content


def test_atom_resolves_xml_base_and_prefers_published() -> None:
    feed = load("atom.xml", REVIEW)
    assert feed.title == "Northern Lights Review"
    assert feed.site_url == "https://review.example.org/blog/"
    winter, chart, undated = feed.entries
    assert winter.url == "https://review.example.org/blog/posts/winter-nights"
    assert winter.guid == "tag:review.example.org,2025:winter-nights"
    assert winter.published == datetime(2025, 1, 31, 2, 45, tzinfo=UTC)
    assert winter.authors == ("Oda Kristen", "Lauri Sten")
    assert winter.has_full_content
    assert winter.content_html is not None
    assert 'href="https://review.example.org/visit"' in winter.content_html
    assert chart.published == datetime(2025, 1, 20, 9, 0, tzinfo=UTC)  # only <updated>
    assert chart.summary == "A short note on the new chart."
    assert undated.published is None
    assert undated.url == "https://review.example.org/blog/posts/undated"


def test_json_feed_1_1() -> None:
    feed = load("jsonfeed.json", WIRE)
    assert feed.title == "Pocket Wire"
    assert feed.site_url == "https://wire.example.com/"
    assert feed.bozo_reason is None
    tram, library = feed.entries
    assert tram.url == "https://wire.example.com/stories/tram-line"
    assert tram.guid == "wire-1001"
    assert tram.published == datetime(2025, 9, 6, 8, 0, tzinfo=UTC)
    assert tram.authors == ("Rosa Feld", "Jan Okafor")
    assert tram.summary == "The line cuts the trip from the station to twelve minutes."
    assert tram.content_html is not None
    assert 'href="https://wire.example.com/timetables"' in tram.content_html
    assert tram.has_full_content
    assert library.guid == "1002"  # a number in the wild, a string here
    assert library.published is None
    assert library.content_html == (
        "<p>The central library will stay open until nine on weekdays.</p>"
    )
    assert not library.has_full_content


def test_json_feed_1_0_with_single_author_and_bad_date() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1",
            "title": "Old Wire",
            "items": [
                {
                    "id": "https://old.example.com/a",
                    "title": "A & B",
                    "author": {"name": "Kai Lund"},
                    "date_published": "last Tuesday",
                    "date_modified": "2024-05-01T10:00:00",
                    "content_text": "First paragraph.\n\nSecond <paragraph>.",
                },
                {"id": "x", "external_url": "../linked/story"},
                "not an item",
            ],
        }
    ).encode()
    feed = parse_feed(body, url="https://old.example.com/feeds/feed.json")
    first, second = feed.entries
    assert first.url == "https://old.example.com/a"  # the id is a URL
    assert first.authors == ("Kai Lund",)
    assert first.published == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert first.content_html == "<p>First paragraph.</p>\n<p>Second &lt;paragraph&gt;.</p>"
    assert second.url == "https://old.example.com/linked/story"


def test_summary_only_feed_needs_its_pages() -> None:
    feed = load("rss_summary_only.xml", LANTERN)
    assert feed.title == "The Daily Lantern"
    assert [e.title for e in feed.entries] == [
        "Bakers protest rising flour prices",
        "School choir wins regional prize",
    ]
    assert all(not e.has_full_content and e.content_html is None for e in feed.entries)
    assert feed.entries[1].summary == "The choir sang three songs in four languages."


@pytest.mark.parametrize(("name", "url"), FIXTURES)
def test_dates_are_aware_utc_or_none_and_links_absolute(name: str, url: str) -> None:
    for entry in load(name, url).entries:
        assert entry.published is None or entry.published.utcoffset() == timedelta(0)
        assert entry.url is not None
        assert entry.url.startswith(("https://", "http://"))


def test_full_content_against_summary() -> None:
    long_html = f"<p>{LONG_TEXT}</p>"
    assert len(LONG_TEXT) >= FULL_CONTENT_MIN_CHARS
    teaser = f"<description>{LONG_TEXT[:100]}</description>"
    same = f"<description>{LONG_TEXT}</description>"
    nearly = f"<description>{LONG_TEXT[:-50]}</description>"
    content = f"<content:encoded><![CDATA[{long_html}]]></content:encoded>"
    items = "".join(
        f"<item><link>https://x.example.com/{n}</link>{summary}{content}</item>"
        for n, summary in enumerate([teaser, same, nearly, ""])
    )
    flags = [
        e.has_full_content for e in parse_feed(rss(items), url="https://x.example.com/").entries
    ]
    assert flags == [True, True, False, True]


def test_links_must_be_web_urls_and_guid_is_a_fallback() -> None:
    items = (
        "<item><title>a</title><link>javascript:alert(1)</link>"
        "<guid isPermaLink='false'>https://x.example.com/a</guid></item>"
        "<item><title>b</title><guid isPermaLink='false'>b-123</guid></item>"
    )
    first, second = parse_feed(rss(items), url="https://x.example.com/feed").entries
    assert first.url == "https://x.example.com/a"
    assert second.url is None
    assert second.guid == "b-123"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ((DATA / "page.html").read_bytes(), "not a feed: looks like an HTML page"),
        (b'<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">'
         b"<html><head><title>t</title></head></html>", "not a feed: looks like an HTML page"),
        ((DATA / "not_xml.bin").read_bytes(), "not XML: binary data"),
        (b"", "not a feed: the body is empty"),
        (b"\xef\xbb\xbf \n\t", "not a feed: the body is empty"),
        (b"Hello, this is plain text.", "not XML: starts with 'Hello"),
        (b"<rss version='2.0'><channel><item", "not XML: "),
        (b"<?xml version='1.0'?><catalog/>", "not a feed: the root element <catalog> is not"),
        (b'{"version": "1.0", "items": []}', "not a feed: JSON without a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', "not a feed: JSON Feed without"),
        (b"{oops", "not JSON: "),
        (b"[" * 100_000, "not JSON: "),
    ],
)  # fmt: skip
def test_not_a_feed(body: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_feed(body, url="https://x.example.com/feed")
    assert caught.value.item == "https://x.example.com/feed"
    assert caught.value.reason.startswith(reason)


@pytest.mark.parametrize("body", [b"/etc/hostname", b"https://example.com/feed.xml"])
def test_a_body_is_never_a_path_or_url_to_open(body: bytes) -> None:
    with pytest.raises(InputError, match="not XML"):
        parse_feed(body, url="https://x.example.com/feed")


def test_truncated_feed_parses_with_a_bozo_note() -> None:
    body = rss("<item><title>kept</title><link>/k</link></item>")[:-20]
    feed = parse_feed(body, url="https://x.example.com/feed")
    assert feed.title == "Inline"
    assert [e.url for e in feed.entries] == ["https://x.example.com/k"]
    assert feed.bozo_reason


def test_encodings() -> None:
    latin = "<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel>"
    latin += "<title>Caf\xe9 Gazette</title></channel></rss>"
    assert parse_feed(latin.encode("latin-1"), url="https://x.example.com/").title == "Café Gazette"
    utf16 = "<rss version='2.0'><channel><title>Ünïcode</title></channel></rss>".encode("utf-16")
    assert parse_feed(utf16, url="https://x.example.com/").title == "Ünïcode"
    undeclared = "<rss version='2.0'><channel><title>Ça va</title></channel></rss>"
    body = undeclared.encode("cp1252")
    assert parse_feed(body, url="https://x.example.com/", encoding="cp1252").title == "Ça va"


def test_entry_to_raw_document() -> None:
    feed = load("atom.xml", REVIEW)
    doc = entry_to_raw_document(feed.entries[0], feed)
    assert doc.kind is RawKind.HTML
    assert doc.origin == f"{REVIEW}#tag:review.example.org,2025:winter-nights"
    assert doc.url == "https://review.example.org/blog/posts/winter-nights"
    assert doc.hint("title") == "A winter of long nights at the observatory"
    assert doc.hint("published") == "2025-01-31T02:45:00+00:00"
    assert [v for k, v in doc.hints if k == "author"] == ["Oda Kristen", "Lauri Sten"]
    assert doc.hint("site") == "Northern Lights Review"
    text = doc.body.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<title>A winter of long nights at the observatory</title>" in text
    assert "Volunteers at the hill observatory" in text


def test_entry_to_raw_document_escapes_and_names_anonymous_entries() -> None:
    feed = ParsedFeed(url="https://x.example.com/feed", title=None, site_url=None)
    entry = FeedEntry(url=None, guid=None, title="<Q&A>", content_html="<p>body</p>")
    doc = entry_to_raw_document(entry, feed)
    assert doc.origin.startswith("https://x.example.com/feed#sha256:")
    assert "<title>&lt;Q&amp;A&gt;</title>" in doc.body.decode()
    assert doc.hint("site") is None
    assert doc.hint("published") is None
    with pytest.raises(InputError, match="no content"):
        entry_to_raw_document(FeedEntry(url="https://x.example.com/a", guid="a"), feed)


FEEDISH = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.binary(max_size=200).map(lambda tail: rss("<item><title>t</title>")[:60] + tail),
    st.text(
        alphabet=st.sampled_from(list("<>/=\"'&;#! ?abcdeilmnrstux{}[]:,01")), max_size=200
    ).map(lambda s: b"<rss version='2.0'><channel><item>" + s.encode()),
)


@settings(max_examples=300, deadline=None)
@given(FEEDISH)
def test_any_bytes_give_a_feed_or_an_input_error(body: bytes) -> None:
    try:
        feed = parse_feed(body, url="https://x.example.com/feed")
    except InputError:
        return
    for entry in feed.entries:
        assert entry.published is None or entry.published.tzinfo is UTC
        assert entry.url is None or entry.url.startswith(("http://", "https://"))
