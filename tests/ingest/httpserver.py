"""A scriptable HTTP server on 127.0.0.1 for network tests that must never leave the machine."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Body = bytes | Callable[[], Iterable[bytes]]  # a callable streams chunks without Content-Length


@dataclass
class Route:
    """One scripted answer: status, headers and body, after an optional delay."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    body: Body = b"<html><body>ok</body></html>"
    delay: float = 0.0  # seconds to wait before answering (cut short when the server stops)
    etag: str | None = None  # when the request's If-None-Match equals it, answer 304


def redirect(location: str, status: int = 302) -> Route:
    """A route that redirects to ``location``."""
    return Route(status=status, headers={"Location": location}, body=b"")


def chunks_of(total: int, size: int = 65536) -> Callable[[], Iterator[bytes]]:
    """A streamed body of ``total`` bytes made lazily, ``size`` bytes at a time."""

    def generate() -> Iterator[bytes]:
        sent = 0
        while sent < total:
            n = min(size, total - sent)
            yield b"x" * n
            sent += n

    return generate


@dataclass
class Seen:
    """One request the server received: path, headers (lower-case names), body, arrival."""

    path: str
    headers: dict[str, str]
    body: bytes = b""  # what a POST sent
    at: float = 0.0  # time.monotonic() when the request arrived

    def json(self) -> Any:
        """The body read as JSON."""
        return json.loads(self.body)


class TestServer(ThreadingHTTPServer):
    """Serves ``routes`` (path → Route, or a list of Routes answered in turn, the last repeating)
    to GET and POST alike.

    Other paths get ``fallback`` (a small HTML page), except /robots.txt which is a 404.
    ``hits`` counts requests per path; ``seen`` keeps them in order; ``bytes_sent`` records
    how much of each streamed body went out before the client hung up.
    """

    __test__ = False  # not a pytest test class
    daemon_threads = False
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route | list[Route]] = {}
        self.fallback = Route(body=b"<html><body>any page</body></html>")
        self.hits: Counter[str] = Counter()
        self.seen: list[Seen] = []
        self.bytes_sent: dict[str, int] = {}
        self.stream_done = threading.Event()
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.01})

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def host_port(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.origin + path

    def start(self) -> TestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()  # joins the handler threads (block_on_close)
        self._thread.join()

    def next_route(self, seen: Seen) -> Route | None:
        """Record the request and pick its answer (None: 404)."""
        path = seen.path
        with self.lock:
            self.hits[path] += 1
            self.seen.append(seen)
            script = self.routes.get(path)
            if isinstance(script, list):
                return script.pop(0) if len(script) > 1 else script[0]
            if script is None and path != "/robots.txt":
                return self.fallback
            return script

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-body is what several tests do on purpose: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: TestServer
    protocol_version = "HTTP/1.0"  # one request per connection; a body may end at close

    def log_message(self, format: str, *args: object) -> None:
        """No access log on the test output."""

    def do_GET(self) -> None:
        self._answer(time.monotonic(), b"")

    def do_POST(self) -> None:
        at = time.monotonic()
        self._answer(at, self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _answer(self, at: float, body: bytes) -> None:
        path = self.path
        headers = {k.lower(): v for k, v in self.headers.items()}
        route = self.server.next_route(Seen(path, headers, body, at))
        if route is None:
            route = Route(status=404, body=b"not found")
        if route.delay and self.server.stopping.wait(route.delay):
            return
        if route.etag is not None and self.headers.get("If-None-Match") == route.etag:
            route = Route(status=304, headers={"ETag": route.etag}, body=b"")
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if isinstance(route.body, bytes):
            if "Content-Length" not in route.headers:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)
            return
        self.end_headers()
        sent = 0
        try:
            for chunk in route.body():
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the client hung up, as a size-capped fetcher should
        finally:
            self.server.bytes_sent[path] = sent
            self.server.stream_done.set()
