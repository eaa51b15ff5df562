"""OPML import and export: categories, broken outlines reported, safe parsing, round trips."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from newsdesk.errors import InputError
from newsdesk.ingest.opml import OpmlFeed, export_opml, parse_opml
from newsdesk.model import Feed
from newsdesk.text import clean_line
from newsdesk.urls import canonical_url

DATA = Path(__file__).parent / "data"


def opml(outlines: str, *, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<opml version="2.0">'
        f"<head><title>t</title></head><body>{outlines}</body></opml>"
    ).encode()


def test_nested_categories_and_a_broken_entry() -> None:
    result = parse_opml((DATA / "subscriptions.opml").read_bytes(), origin="subs.opml")
    assert result.feeds == (
        OpmlFeed(
            xml_url="https://courier.example.com/feeds/all.xml",
            title="The Harbour Courier",
            html_url="https://courier.example.com/",
            category="Local",
        ),
        OpmlFeed(
            xml_url="https://gazette.example.net/rss", title="Valley Gazette", category="Local"
        ),
        OpmlFeed(
            xml_url="https://wire.example.com/feed.json",
            title="Pocket Wire & Friends",
            html_url="https://wire.example.com/",
            category="News",
        ),
        OpmlFeed(
            xml_url="https://review.example.org/blog/atom.xml",
            title="Northern Lights Review",
            category="Science",
        ),
        OpmlFeed(xml_url="https://lantern.example.com/feed.xml", title="The Daily Lantern"),
    )
    (error,) = result.errors
    assert isinstance(error, InputError)
    assert error.item == "subs.opml:17"
    assert error.reason == "outline 'Broken Outlet' has type rss but no xmlUrl"


def test_bad_scheme_and_duplicates_are_reported_and_the_rest_kept() -> None:
    body = opml(
        '<outline type="rss" text="A" xmlUrl="https://a.example.com/feed"/>'
        '<outline type="rss" text="FTP" xmlUrl="ftp://files.example.com/feed"/>'
        '<outline type="rss" text="Again" xmlUrl="HTTPS://A.example.com/feed?utm_source=x"/>'
        '<outline type="rss" text="B" xmlUrl="http://b.example.com/rss" htmlUrl="javascript:x"/>'
        '<outline text="A note, not a feed"/>'
    )
    result = parse_opml(body, origin="list.opml")
    assert [f.xml_url for f in result.feeds] == [
        "https://a.example.com/feed",
        "http://b.example.com/rss",
    ]
    assert result.feeds[1].html_url is None
    reasons = [e.reason for e in result.errors]
    assert reasons == [
        "outline 'FTP': 'ftp://files.example.com/feed' is not an http(s) URL",
        "outline 'Again': duplicate of the feed at list.opml:1",
    ]


def test_attribute_case_and_untitled_feeds() -> None:
    body = opml(
        '<outline text="Tech"><outline xmlurl="https://t.example.com/rss" htmlurl="https://t.example.com/"/>'
        '<outline type="rss" text="https://u.example.com/rss" xmlUrl="https://u.example.com/rss"/>'
        "</outline>"
    )
    first, second = parse_opml(body, origin="o").feeds
    assert first == OpmlFeed(
        xml_url="https://t.example.com/rss", html_url="https://t.example.com/", category="Tech"
    )
    assert second.title is None  # the URL repeated as text is no title


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not OPML: the body is empty"),
        (b"\x00\xffgarbage", "not XML: "),
        (b"<opml><body><outline", "not XML: "),
        ((DATA / "rss_summary_only.xml").read_bytes(), "not OPML: the root element is <rss>"),
        (b'<opml version="2.0"><head/></opml>', "not OPML: no <body> element"),
    ],
)
def test_not_opml(body: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_opml(body, origin="x.opml")
    assert caught.value.item == "x.opml"
    assert caught.value.reason.startswith(reason)


def test_external_entities_are_never_read() -> None:
    doctype = '<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    body = opml(
        '<outline type="rss" text="&secret;" xmlUrl="https://a.example.com/f"/>', doctype=doctype
    )
    with pytest.raises(InputError, match="not XML"):
        parse_opml(body, origin="x.opml")


def test_entity_expansion_bomb_is_refused() -> None:
    entities = '<!ENTITY l0 "lollollollollol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    body = opml(
        '<outline type="rss" text="&l9;" xmlUrl="https://a.example.com/f"/>',
        doctype=f"<!DOCTYPE opml [{entities}]>",
    )
    with pytest.raises(InputError, match="not XML"):
        parse_opml(body, origin="x.opml")


def test_export_is_valid_opml_2() -> None:
    feeds = [
        Feed(
            url="https://a.example.com/f?x=1&y=2",
            title="Q&A <Tech>",
            site_url="https://a.example.com/",
        ),
        Feed(url="http://b.example.com/rss"),
    ]
    text = export_opml(feeds, title="My feeds")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.fromstring(text.encode())
    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "My feeds"
    created = parsedate_to_datetime(root.findtext("head/dateCreated") or "")
    assert created.utcoffset() is not None
    first, second = root.findall("body/outline")
    assert dict(first.attrib) == {
        "type": "rss",
        "text": "Q&A <Tech>",
        "title": "Q&A <Tech>",
        "xmlUrl": "https://a.example.com/f?x=1&y=2",
        "htmlUrl": "https://a.example.com/",
    }
    assert dict(second.attrib) == {
        "type": "rss",
        "text": "http://b.example.com/rss",
        "xmlUrl": "http://b.example.com/rss",
    }
    parsed = parse_opml(text.encode(), origin="export.opml")
    assert parsed.errors == ()
    assert [(f.xml_url, f.title, f.html_url) for f in parsed.feeds] == [
        ("https://a.example.com/f?x=1&y=2", "Q&A <Tech>", "https://a.example.com/"),
        ("http://b.example.com/rss", None, None),
    ]


SPECIAL = st.sampled_from([*"&<>\"'\t\n;=?#%", "&amp;", "]]>", "é", "😀", "\x07", "\ufffe"])
TITLES = st.one_of(st.none(), st.lists(st.one_of(SPECIAL, st.text(max_size=5))).map("".join))
HOSTS = st.from_regex(r"[a-z][a-z0-9-]{0,10}\.example\.(com|org)", fullmatch=True)
PATHS = st.lists(st.one_of(SPECIAL, st.sampled_from(list("abc/-_.~:@!$()*+,"))), max_size=12)
URLS = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{''.join(path)}",
    st.sampled_from(["http", "https"]),
    HOSTS,
    PATHS.map(lambda parts: [p for p in parts if not p.isspace() and p not in "#\t\n\x07\ufffe"]),
)
FEEDS = st.lists(
    st.builds(Feed, url=URLS, title=TITLES, site_url=st.one_of(st.none(), URLS)),
    max_size=8,
    unique_by=lambda feed: canonical_url(feed.url),
)


@settings(max_examples=150, deadline=None)
@given(FEEDS, st.text(max_size=20))
def test_export_parse_round_trip(feeds: list[Feed], list_title: str) -> None:
    result = parse_opml(export_opml(feeds, title=list_title).encode(), origin="rt.opml")
    assert result.errors == ()
    assert [f.xml_url for f in result.feeds] == [feed.url for feed in feeds]
    assert [f.html_url for f in result.feeds] == [feed.site_url for feed in feeds]
    expected = [clean_line((feed.title or "").replace("\ufffe", "")) or None for feed in feeds]
    assert [f.title for f in result.feeds] == expected
    assert all(f.category is None for f in result.feeds)
