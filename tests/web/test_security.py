"""Security: headers and CSP, CSRF on every change, the access token off loopback, escaping of
hostile pages, and `newsdesk serve` refusing to listen beyond loopback without a token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from newsdesk.cli import app as cli_app
from newsdesk.service import Newsdesk
from newsdesk.web import create_app
from newsdesk.web.security import CSRF_COOKIE, is_loopback
from newsdesk.web.templating import http_url

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="Imported" type="rss" xmlUrl="https://imported.example/feed.xml"/>
</body></opml>"""


def csrf(client: TestClient) -> str:
    client.get("/feeds")
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


def hostile_id(web_desk: Newsdesk) -> int:
    hits = web_desk.search("hostile herald")
    assert hits, "the hostile page is in the test database"
    return hits[0].article.id


def test_every_response_carries_a_strict_csp(client: TestClient) -> None:
    for path in ("/", "/stories.json", "/static/app.css", "/articles/999999"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "object-src 'none'" in policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script_style_or_handlers(client: TestClient) -> None:
    story = client.get("/stories.json").json()["stories"][0]["id"]
    for path in ("/", f"/stories/{story}", "/articles", "/search?q=talks", "/feeds", "/actors"):
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert not re.search(r"\sstyle\s*=", html), path


def test_changes_without_the_csrf_token_are_refused(client: TestClient) -> None:
    refused = client.post("/feeds", data={"url": "https://nocsrf.example/feed"})
    assert refused.status_code == 403
    wrong = client.post("/feeds", data={"url": "https://x.example/f", "csrf_token": "nope" * 10})
    assert wrong.status_code == 403
    assert "https://nocsrf.example/feed" not in client.get("/feeds").text


def test_a_form_with_the_token_follows_a_feed(client: TestClient, web_desk: Newsdesk) -> None:
    token = csrf(client)
    added = client.post(
        "/feeds", data={"url": "https://csrf-ok.example/feed.xml", "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert added.status_code == 303
    assert any(f.url == "https://csrf-ok.example/feed.xml" for f in web_desk.feeds())
    removed = client.post(
        "/feeds/remove.json", data={"url": "https://csrf-ok.example/feed.xml"},
        headers={"x-csrf-token": token},
    )  # fmt: skip
    assert removed.json()["result"] == "removed"
    assert client.post("/feeds.json", data={"url": "ftp://x"}, headers={"x-csrf-token": token})\
        .status_code == 422  # fmt: skip


def test_opml_upload_passes_the_csrf_check_and_imports(
    client: TestClient, web_desk: Newsdesk
) -> None:
    token = csrf(client)
    imported = client.post(
        "/feeds/import.json", data={"csrf_token": token},
        files={"opml": ("feeds.opml", OPML, "text/x-opml")},
    )  # fmt: skip
    assert imported.status_code == 200, imported.text
    assert imported.json()["added"] == 1
    assert any(f.url == "https://imported.example/feed.xml" for f in web_desk.feeds())
    exported = client.get("/feeds.opml")
    assert "https://imported.example/feed.xml" in exported.text


def test_cross_origin_changes_are_refused(client: TestClient) -> None:
    token = csrf(client)
    response = client.post(
        "/feeds", data={"url": "https://evil.example/f", "csrf_token": token},
        headers={"origin": "https://evil.example"},
    )  # fmt: skip
    assert response.status_code == 403


def test_an_access_token_guards_every_change(web_desk: Newsdesk) -> None:
    guarded = create_app(web_desk, token="s3cret-token")
    with TestClient(guarded, base_url="http://192.0.2.7:8000") as visitor:
        token = csrf(visitor)
        blocked = visitor.post("/feeds.json", data={"url": "https://t.example/f"},
                               headers={"x-csrf-token": token})  # fmt: skip
        assert blocked.status_code == 403
        assert visitor.get("/stories.json").status_code == 200  # reading stays open
        api = visitor.post("/feeds.json", data={"url": "https://t.example/f"},
                           headers={"authorization": "Bearer s3cret-token"})  # fmt: skip
        assert api.json()["result"] == "added"
        visitor.get("/?token=s3cret-token")  # a browser gets the token once, as a cookie
        browser = visitor.post("/feeds/remove.json", data={"url": "https://t.example/f"},
                               headers={"x-csrf-token": token})  # fmt: skip
        assert browser.json()["result"] == "removed"


def test_hostile_article_is_escaped(client: TestClient, web_desk: Newsdesk) -> None:
    article_id = hostile_id(web_desk)
    html = client.get(f"/articles/{article_id}").text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", html)
    assert "javascript:" not in html
    assert "data:text/html" not in html
    assert "<iframe" not in html
    assert "<img" not in html
    assert "Hostile page &lt;script&gt;window.__pwned=&#39;title&#39;&lt;/script&gt;" in html
    assert 'mentions &lt;script&gt;alert("literal")&lt;/script&gt; must' in html
    assert client.get(f"/articles/{article_id}.json").json()["title"].startswith("Hostile page")


@pytest.mark.parametrize(
    ("url", "kept"),
    [("https://a.example/x", True), ("http://a.example", True), ("javascript:alert(1)", False),
     (" JavaScript:alert(1)", False), ("data:text/html,x", False), ("vbscript:x", False),
     ("//evil.example", False), ("", False), (None, False)],
)  # fmt: skip
def test_only_http_links_are_rendered(url: str | None, kept: bool) -> None:
    assert (http_url(url) is not None) is kept


def test_serve_refuses_a_public_address_without_a_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli_app, ["--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0"], env={}
    )
    assert result.exit_code == 2
    assert "token" in result.output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("192.168.1.4", False), ("::", False), ("example.org", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
