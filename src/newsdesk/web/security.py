"""What keeps the reader safe to leave running: security headers with a strict CSP, CSRF
tokens on every state-changing request, and an access token when bound beyond loopback."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "newsdesk_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
TOKEN_COOKIE = "newsdesk_token"
TOKEN_HEADER = "x-newsdesk-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_BYTES = 2_000_000  # an OPML upload fits; anything larger is refused

# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _same(supplied: str | None, expected: str | None) -> bool:
    if not supplied or not expected:
        return False
    return hmac.compare_digest(supplied.encode(), expected.encode())


class SecurityMiddleware:
    """Adds the security headers, issues the CSRF cookie and checks every unsafe request.

    An unsafe request (POST, PUT, PATCH, DELETE) passes only when its Origin, if sent, is this
    server; it carries the CSRF token (form field or header) matching its cookie, or the
    access token in a header; and, when the app has an access token, it carries that token.
    """

    def __init__(self, app: ASGIApp, *, token: str | None = None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cookies = request.cookies
        csrf = cookies.get(CSRF_COOKIE)
        new_cookies: list[str] = []
        if not csrf or len(csrf) < 32:
            csrf = secrets.token_urlsafe(32)
            new_cookies.append(f"{CSRF_COOKIE}={csrf}; Path=/; HttpOnly; SameSite=Strict")
        scope.setdefault("state", {})["csrf_token"] = csrf
        offered = request.query_params.get("token")
        if self.token and offered is not None and _same(offered, self.token):
            new_cookies.append(f"{TOKEN_COOKIE}={offered}; Path=/; HttpOnly; SameSite=Strict")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                for cookie in new_cookies:
                    headers.append("set-cookie", cookie)
            await send(message)

        if request.method in SAFE_METHODS:
            await self.app(scope, receive, send_with_headers)
            return
        refusal, receive = await self._check_unsafe(scope, receive, request)
        if refusal is not None:
            await PlainTextResponse(refusal, status_code=403)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    async def _check_unsafe(
        self, scope: Scope, receive: Receive, request: Request
    ) -> tuple[str | None, Receive]:
        """Why the request is refused (None: it may go on), and how to read its body again."""
        headers = Headers(scope=scope)
        bearer = headers.get("authorization", "").removeprefix("Bearer ").strip() or None
        presented = bearer or headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE)
        if self.token and not _same(presented, self.token):
            return "this server needs its access token for changes", receive
        origin = headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != headers.get("host"):
            return "cross-origin request refused", receive
        if self.token and _same(bearer or headers.get(TOKEN_HEADER), self.token):
            return None, receive  # an API client holding the token needs no CSRF cookie
        expected = request.cookies.get(CSRF_COOKIE)
        if _same(headers.get(CSRF_HEADER), expected):
            return None, receive
        body, receive = await _buffered(receive)
        if body is None:
            return "request body too large", receive
        content_type = headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await Request(scope, receive).form()
            supplied = form.get(CSRF_FIELD)
            await form.close()
            receive = _replay(body, receive)  # the endpoint reads the body again
            if isinstance(supplied, str) and _same(supplied, expected):
                return None, receive
        return "missing or wrong CSRF token: reload the page and try again", receive


def _replay(body: bytes, then: Receive) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await then()

    return receive


async def _buffered(receive: Receive) -> tuple[bytes | None, Receive]:
    """The whole request body (None past the limit) and a receive that replays it."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message: dict[str, Any] = dict(await receive())
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None, receive
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    return body, _replay(body, receive)
