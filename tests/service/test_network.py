"""Ingest over HTTP through the service, against a server on 127.0.0.1 only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsdesk.ingest.fetch import Fetcher
from newsdesk.model import DateSource, Outcome
from newsdesk.service import Newsdesk
from newsdesk.store import Store
from tests.ingest.httpserver import Route, TestServer, redirect
from tests.service.pages import PARAGRAPHS, html_page

HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server() -> Iterator[TestServer]:
    srv = TestServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def net_desk(store: Store, server: TestServer) -> Iterator[Newsdesk]:
    fetcher = Fetcher(allowed_hosts=frozenset({server.host_port}), min_interval=0.0, retries=0)
    desk = Newsdesk(store, fetcher=fetcher)
    yield desk
    desk.close()


def summary_feed(server: TestServer) -> bytes:
    items = "".join(
        f"""<item><title>Story {i}</title><link>{server.url(f"/story/{i}")}</link>
<guid>{server.url(f"/story/{i}")}</guid><pubDate>Fri, 16 May 2025 1{i}:00:00 GMT</pubDate>
<description>Short teaser {i}.</description></item>"""
        for i in range(2)
    )
    return (
        f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Test Ledger</title>
<link>{server.origin}</link><description>d</description>{items}</channel></rss>"""
    ).encode()


def story(i: int) -> bytes:
    paragraphs = [f"Report {i}. {p}" for p in PARAGRAPHS]
    if i == 1:
        paragraphs = [p[::-1] for p in paragraphs]  # a different story, not a copy
    page = html_page(domain="ledger.example", slug=f"story/{i}", paragraphs=paragraphs)
    return page.replace(
        '<meta property="article:published_time" content="2025-05-16T17:00:00+03:00">', ""
    ).encode()


def test_ingest_page_url(net_desk: Newsdesk, server: TestServer) -> None:
    server.routes["/a"] = Route(headers=HTML, body=story(0))
    report = net_desk.ingest([server.url("/a")])
    assert [r.outcome for r in report.results] == [Outcome.NEW]
    stored = net_desk.articles()[0]
    assert stored.article.source == server.url("/a")
    assert stored.article.raw_sha256 is not None


def test_summary_feed_fetches_full_pages_and_uses_feed_dates(
    net_desk: Newsdesk, server: TestServer
) -> None:
    server.routes["/feed.xml"] = Route(
        headers={"Content-Type": "application/rss+xml"}, body=summary_feed(server)
    )
    for i in range(2):
        server.routes[f"/story/{i}"] = Route(headers=HTML, body=story(i))
    report = net_desk.ingest([server.url("/feed.xml")])
    assert [r.outcome for r in report.results] == [Outcome.NEW, Outcome.NEW]
    assert server.hits["/story/0"] == server.hits["/story/1"] == 1
    dates = {a.article.published.source for a in net_desk.articles()}
    assert dates == {DateSource.FEED}
    again = net_desk.ingest([server.url("/feed.xml")])
    assert {r.outcome for r in again.results} == {Outcome.UNCHANGED}
    assert server.hits["/story/0"] == 1  # known URLs are not fetched again


def test_followed_feed_is_polled_with_conditional_get(
    net_desk: Newsdesk, server: TestServer
) -> None:
    server.routes["/feed.xml"] = Route(
        headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'},
        body=summary_feed(server),
        etag='"v1"',
    )
    for i in range(2):
        server.routes[f"/story/{i}"] = Route(headers=HTML, body=story(i))
    net_desk.add_feed(server.url("/feed.xml"))
    first = net_desk.update_feeds()
    assert first.counts()[Outcome.NEW] == 2
    feed = net_desk.feeds()[0]
    assert (feed.title, feed.etag, feed.last_status, feed.error_count) == (
        "Test Ledger", '"v1"', 200, 0,
    )  # fmt: skip
    second = net_desk.update_feeds()
    assert second.results == []
    assert net_desk.feeds()[0].last_status == 304
    assert server.seen[-1].headers.get("if-none-match") == '"v1"'


def test_feed_fetch_errors_are_recorded_on_the_feed(net_desk: Newsdesk, server: TestServer) -> None:
    server.routes["/gone.xml"] = Route(status=410, body=b"")
    net_desk.add_feed(server.url("/gone.xml"))
    report = net_desk.update_feeds()
    assert report.failed
    assert "410" in (report.failed[0].reason or "")
    feed = net_desk.feeds()[0]
    assert feed.error_count == 1
    assert "410" in (feed.last_error or "")


def test_redirect_to_private_address_is_refused(net_desk: Newsdesk, server: TestServer) -> None:
    server.routes["/jump"] = redirect("http://169.254.169.254/latest/meta-data/")
    report = net_desk.ingest([server.url("/jump")])
    assert report.failed
    assert "169.254.169.254" in (report.failed[0].reason or "")
    assert net_desk.stats().articles == 0


def test_feed_url_that_is_not_a_feed_fails_clearly(net_desk: Newsdesk, server: TestServer) -> None:
    server.routes["/feed.xml"] = Route(
        headers={"Content-Type": "application/rss+xml"}, body=b"this is not xml at all"
    )
    report = net_desk.ingest([server.url("/feed.xml")])
    assert report.failed
    assert "not XML" in (report.failed[0].reason or "")
