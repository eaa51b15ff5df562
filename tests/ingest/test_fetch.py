"""The polite fetcher against a real local server: robots, address policy, redirects, retries."""

from __future__ import annotations

import ipaddress
import time
from datetime import UTC

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.errors import BlockedError, FetchError
from newsdesk.ingest.addresses import AddressPolicy, address_problem
from newsdesk.ingest.fetch import DEFAULT_USER_AGENT, Fetcher
from newsdesk.model import RawKind
from tests.fake_time import FakeTime

from .httpserver import Route, TestServer, chunks_of, redirect

HTML = b"<!DOCTYPE html><html><head><title>t</title></head><body>story</body></html>"


@pytest.fixture
def server():
    srv = TestServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make(server, fake):
    """Build fetchers that may reach the test server (and only it), with fake time."""
    made: list[Fetcher] = []

    def build(**options) -> Fetcher:
        defaults = {
            "allowed_hosts": frozenset({server.host_port}),
            "clock": fake.clock,
            "sleep": fake.sleep,
            "min_interval": 0.0,
        }
        fetcher = Fetcher(**(defaults | options))
        made.append(fetcher)
        return fetcher

    yield build
    for fetcher in made:
        fetcher.close()


class RecordingTransport(httpx.BaseTransport):
    """Passes requests to a real transport and remembers every URL that got one."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.urls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


# -- plain fetches and conditional GET ----------------------------------------------------


def test_plain_200_reports_response_and_sends_user_agent(server, make):
    server.routes["/story"] = Route(
        headers={
            "Content-Type": "text/html; charset=UTF-8",
            "ETag": '"abc"',
            "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT",
        },
        body=HTML,
    )
    result = make().fetch(server.url("/story"))
    assert result.status == 200
    assert result.body == HTML
    assert (result.content_type, result.charset) == ("text/html", "utf-8")
    assert (result.etag, result.last_modified) == ('"abc"', "Wed, 21 Oct 2015 07:28:00 GMT")
    assert result.url == result.requested_url == server.url("/story")
    assert not result.not_modified
    assert result.fetched_at.tzinfo is UTC
    page_request = next(s for s in server.seen if s.path == "/story")
    assert page_request.headers["user-agent"] == DEFAULT_USER_AGENT
    assert "text/html" in page_request.headers["accept"]


def test_result_becomes_a_raw_document(server, make):
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = Route(headers={"Content-Type": "text/html; charset=latin-1"}, body=HTML)
    raw = make().fetch(server.url("/a")).to_raw_document(kind=RawKind.TEXT)
    assert raw.origin == server.url("/a")
    assert raw.url == server.url("/b")
    assert (raw.body, raw.kind, raw.encoding, raw.content_type) == (
        HTML,
        RawKind.TEXT,
        "latin-1",
        "text/html",
    )
    assert raw.fetched_at is not None


def test_conditional_get_returns_not_modified(server, make):
    server.routes["/story"] = Route(etag='"v1"', headers={"Content-Type": "text/html"}, body=HTML)
    fetcher = make()
    first = fetcher.fetch(server.url("/story"))
    assert first.status == 200
    assert first.body == HTML
    again = fetcher.fetch(
        server.url("/story"), etag='"v1"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT"
    )
    assert again.not_modified
    assert again.status == 304
    assert again.body == b""
    assert again.etag == '"v1"'
    assert again.last_modified == "Wed, 21 Oct 2015 07:28:00 GMT"  # kept from the request
    sent = server.seen[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert "if-none-match" not in server.seen[0].headers


def test_fetcher_closes_its_own_client_but_not_an_injected_one(server):
    with Fetcher(allowed_hosts=frozenset({server.host_port}), min_interval=0) as own:
        own.fetch(server.url("/"), accept="any")
    assert own._client.is_closed
    with httpx.Client() as client:
        with Fetcher(
            client=client, allowed_hosts=frozenset({server.host_port}), min_interval=0
        ) as lent:
            lent.fetch(server.url("/"), accept="any")
        assert not client.is_closed


# -- robots.txt --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "robots",
    [
        "User-agent: *\nDisallow: /private/\n",
        "User-agent: otherbot\nDisallow: /\n\nUser-agent: newsdesk\nDisallow: /private\n",
    ],
)
def test_robots_disallow_blocks_without_requesting_the_page(server, make, robots):
    server.routes["/robots.txt"] = Route(
        headers={"Content-Type": "text/plain"}, body=robots.encode()
    )
    fetcher = make()
    with pytest.raises(BlockedError, match=r"robots\.txt") as caught:
        fetcher.fetch(server.url("/private/page"))
    assert caught.value.item == server.url("/private/page")
    assert server.hits["/private/page"] == 0
    assert fetcher.fetch(server.url("/public")).status == 200
    assert server.hits["/robots.txt"] == 1  # cached per origin


def test_robots_is_checked_on_every_redirect_hop(server, make):
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /private/\n")
    server.routes["/open"] = redirect("/private/page")
    with pytest.raises(BlockedError, match=r"robots\.txt"):
        make().fetch(server.url("/open"))
    assert server.hits["/private/page"] == 0


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (503, False)])
def test_robots_status_decides_when_there_are_no_rules(server, make, status, allowed):
    server.routes["/robots.txt"] = Route(status=status, body=b"")
    fetcher = make(retries=0)
    if allowed:
        assert fetcher.fetch(server.url("/page")).status == 200
    else:
        with pytest.raises(BlockedError, match="HTTP 503"):
            fetcher.fetch(server.url("/page"))
        assert server.hits["/page"] == 0


def test_robots_can_be_ignored(server, make):
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /\n")
    assert make(respect_robots=False).fetch(server.url("/page")).status == 200
    assert server.hits["/robots.txt"] == 0


# -- address policy ----------------------------------------------------------------------


def test_loopback_refused_unless_allowed(server, make):
    with pytest.raises(BlockedError, match=r"loopback address 127\.0\.0\.1"):
        make(allowed_hosts=frozenset()).fetch(server.url("/"))
    with pytest.raises(BlockedError, match="loopback"):  # another port of the same host
        make(allowed_hosts=frozenset({"127.0.0.1:1"})).fetch(server.url("/"))
    assert sum(server.hits.values()) == 0
    assert make(allowed_hosts=frozenset(), allow_private=True).fetch(server.url("/")).status == 200


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://10.255.255.1/", r"private address 10\.255\.255\.1"),
        ("http://169.254.169.254/latest/meta-data/", r"link-local address 169\.254\.169\.254"),
        ("http://[::ffff:10.0.0.1]/", r"private address ::ffff:10\.0\.0\.1"),
        ("http://localhost:{port}/", "localhost resolves to loopback address"),
        ("http://0.0.0.0:{port}/", "unspecified address"),
    ],
)
def test_redirect_to_private_address_refused_before_connecting(server, target, reason):
    port = server.server_address[1]
    server.routes["/go"] = redirect(target.format(port=port))
    transport = RecordingTransport()
    with (
        httpx.Client(transport=transport) as client,
        Fetcher(
            client=client, allowed_hosts=frozenset({server.host_port}), min_interval=0, timeout=1
        ) as f,
    ):
        with pytest.raises(BlockedError, match=reason) as caught:
            f.fetch(server.url("/go"))
        assert caught.value.item == server.url("/go")
        assert "robots" not in str(caught.value)  # refused by the address policy itself
    assert transport.urls  # the allowed server itself was reached ...
    assert all(url.startswith(server.origin + "/") for url in transport.urls)  # ... nothing else


@pytest.mark.parametrize(
    "url", ["ftp://example.com/file", "file:///etc/passwd", "javascript:alert(1)", "/relative"]
)
def test_non_http_scheme_refused(make, url):
    with pytest.raises(BlockedError, match="only http and https"):
        make().fetch(url)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.0.0.5", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:a00:5::1", "private"),  # 6to4 wrapping 10.0.0.5
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
        ("64:ff9b::5db8:d822", None),  # NAT64 of a public address
    ],
)
def test_address_classification(address, kind):
    problem = address_problem(address)
    if kind is None:
        assert problem is None
    else:
        assert problem is not None
        assert problem.startswith(f"{kind} address")


def test_policy_names_the_host_and_checks_every_resolved_address():
    policy = AddressPolicy(resolver=lambda host, port: ["93.184.216.34", "10.0.0.5"])
    with pytest.raises(
        BlockedError, match=r"news\.example resolves to private address 10\.0\.0\.5"
    ):
        policy.check("https://news.example/story")
    AddressPolicy(resolver=lambda host, port: ["93.184.216.34"]).check("https://news.example/")


def test_policy_reports_unresolvable_host_as_fetch_error_not_blocked():
    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(FetchError, match=r"cannot resolve host nowhere\.example") as caught:
        AddressPolicy(resolver=fail).check("http://nowhere.example/")
    assert not isinstance(caught.value, BlockedError)


@given(st.ip_addresses(v=4))
def test_ipv4_mapped_form_is_judged_like_the_ipv4_address(ip: ipaddress.IPv4Address):
    mapped = ipaddress.IPv6Address(f"::ffff:{ip}")
    assert (address_problem(str(mapped)) is None) == (address_problem(str(ip)) is None)


# -- redirects ---------------------------------------------------------------------------


def test_redirect_chain_followed_and_final_url_reported(server, make):
    server.routes["/a"] = redirect("/b", status=301)
    server.routes["/b"] = redirect(server.url("/dir/c"), status=307)
    server.routes["/dir/c"] = redirect("d", status=308)  # relative to /dir/
    server.routes["/dir/d"] = Route(body=HTML)
    result = make().fetch(server.url("/a"))
    assert result.url == server.url("/dir/d")
    assert result.requested_url == server.url("/a")
    assert result.body == HTML
    assert [server.hits[p] for p in ("/a", "/b", "/dir/c", "/dir/d")] == [1, 1, 1, 1]


def test_redirect_limit_exceeded(server, make):
    server.routes["/loop"] = redirect("/loop")
    with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
        make(max_redirects=3).fetch(server.url("/loop"))
    assert server.hits["/loop"] == 4  # the first request and three redirects


def test_redirect_without_location_fails(server, make):
    server.routes["/r"] = Route(status=302, headers={}, body=b"")
    with pytest.raises(FetchError, match="without a Location"):
        make().fetch(server.url("/r"))


# -- size caps and content types ---------------------------------------------------------


def test_size_cap_from_content_length_before_reading(server, make):
    server.routes["/big"] = Route(
        headers={"Content-Type": "text/html", "Content-Length": "50000000"}, body=b"<html>"
    )
    with pytest.raises(FetchError, match="Content-Length 50000000 is over 10000000 bytes"):
        make().fetch(server.url("/big"))


def test_size_cap_while_streaming_without_content_length(server, make):
    total = 50_000_000
    server.routes["/stream"] = Route(body=chunks_of(total))
    started = time.monotonic()
    with pytest.raises(FetchError, match="body is over 10000000 bytes") as caught:
        make().fetch(server.url("/stream"))
    assert caught.value.status == 200
    assert server.stream_done.wait(5)
    assert server.bytes_sent["/stream"] < total - 10_000_000  # hung up well before the end
    assert time.monotonic() - started < 3


def test_small_cap_applies_to_small_bodies_too(server, make):
    server.routes["/page"] = Route(body=chunks_of(5000, size=100))
    with pytest.raises(FetchError, match="over 1000 bytes"):
        make(max_bytes=1000).fetch(server.url("/page"))


def test_wrong_content_type_refused(server, make):
    server.routes["/doc.pdf"] = Route(headers={"Content-Type": "application/pdf"}, body=b"%PDF")
    with pytest.raises(FetchError, match="content type application/pdf") as caught:
        make().fetch(server.url("/doc.pdf"))
    assert not isinstance(caught.value, BlockedError)
    assert server.url("/doc.pdf") in str(caught.value)


@pytest.mark.parametrize(
    ("accept", "content_type", "body", "ok"),
    [
        ("html", "application/xhtml+xml", HTML, True),
        ("html", None, b"\n  " + HTML, True),
        ("html", None, b"%PDF-1.7", False),
        ("html", "application/rss+xml", b"<rss/>", False),
        ("feed", "application/rss+xml; charset=utf-8", b"<rss/>", True),
        ("feed", "application/atom+xml", b"<feed/>", True),
        ("feed", "text/xml", b"<rss/>", True),
        ("feed", "application/feed+json", b"{}", True),
        ("feed", "application/json", b"{}", True),
        ("feed", None, b'<?xml version="1.0"?><rss/>', True),
        ("feed", "text/html", HTML, False),
        ("any", "application/pdf", b"%PDF", True),
    ],
)
def test_content_type_by_accept(server, make, accept, content_type, body, ok):
    headers = {} if content_type is None else {"Content-Type": content_type}
    server.routes["/x"] = Route(headers=headers, body=body)
    fetcher = make()
    if ok:
        assert fetcher.fetch(server.url("/x"), accept=accept).body == body
    else:
        with pytest.raises(FetchError, match=r"content type|does not look like"):
            fetcher.fetch(server.url("/x"), accept=accept)


# -- errors, retries, timeouts -----------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_client_errors_fail_at_once_with_status(server, make, fake, status):
    server.routes["/gone"] = Route(status=status, body=b"no")
    with pytest.raises(FetchError, match=f"HTTP {status}") as caught:
        make().fetch(server.url("/gone"))
    assert caught.value.status == status
    assert caught.value.item == server.url("/gone")
    assert server.hits["/gone"] == 1
    assert fake.sleeps == []


def test_503_then_200_is_retried_with_backoff(server, make, fake):
    server.routes["/flaky"] = [Route(status=503, body=b""), Route(body=HTML)]
    result = make(retries=2, backoff=0.5).fetch(server.url("/flaky"))
    assert result.status == 200
    assert server.hits["/flaky"] == 2
    assert fake.sleeps == [0.5]


def test_persistent_500_gives_up_after_retries(server, make, fake):
    server.routes["/down"] = Route(status=500, body=b"")
    with pytest.raises(FetchError, match="HTTP 500") as caught:
        make(retries=2, backoff=0.5).fetch(server.url("/down"))
    assert caught.value.status == 500
    assert server.hits["/down"] == 3
    assert fake.sleeps == [0.5, 1.0]


def test_retry_after_is_honoured(server, make, fake):
    server.routes["/busy"] = [Route(status=429, headers={"Retry-After": "3"}), Route(body=HTML)]
    assert make().fetch(server.url("/busy")).status == 200
    assert fake.sleeps == [3.0]


def test_retry_after_beyond_cap_gives_up_instead_of_waiting(server, make, fake):
    server.routes["/busy"] = Route(status=503, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match="HTTP 503") as caught:
        make(max_retry_after=60).fetch(server.url("/busy"))
    assert caught.value.status == 503
    assert server.hits["/busy"] == 1
    assert fake.sleeps == []


def test_read_timeout_is_retried_then_reported(server, make, fake):
    server.routes["/slow"] = Route(body=HTML, delay=5)
    started = time.monotonic()
    with pytest.raises(FetchError, match="Timeout"):
        make(timeout=0.2, retries=1).fetch(server.url("/slow"))
    assert time.monotonic() - started < 2
    assert server.hits["/slow"] == 2
    assert fake.sleeps == [0.5]


def test_connection_refused_is_a_fetch_error(make, fake):
    with TestServer() as closed:  # bound, then closed: nothing listens on that port any more
        url = closed.url("/")
        host_port = closed.host_port
    with pytest.raises(FetchError, match="network error"):
        make(allowed_hosts=frozenset({host_port}), retries=1).fetch(url)
    assert fake.sleeps == [0.5]


# -- rate limit --------------------------------------------------------------------------


def test_rate_limiter_spaces_requests_to_one_host(server, make, fake):
    fetcher = make(min_interval=1.0, respect_robots=False)
    fetcher.fetch(server.url("/one"))
    assert fake.sleeps == []
    fetcher.fetch(server.url("/two"))
    assert fake.sleeps == [pytest.approx(1.0)]
    fake.now += 5  # time passes on its own: no need to wait
    fetcher.fetch(server.url("/three"))
    assert fake.sleeps == [pytest.approx(1.0)]


def test_robots_crawl_delay_raises_the_interval(server, make, fake):
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nCrawl-delay: 5\n")
    fetcher = make(min_interval=1.0)
    fetcher.fetch(server.url("/one"))  # robots.txt then the page, one second apart
    fetcher.fetch(server.url("/two"))
    assert fake.sleeps == [pytest.approx(1.0), pytest.approx(5.0)]
