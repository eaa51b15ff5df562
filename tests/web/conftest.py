"""Web fixtures: one demo database (with a hostile page), one app, one uvicorn server and one
headless Chromium per test session.

Ingesting the demo corpus runs the whole NLP pipeline (tens of seconds), so the database is
built once and kept in pytest's cache under a fingerprint of the corpus and of newsdesk's
code below the web layer; each session works on a fresh copy of it.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette

with warnings.catch_warnings():
    # Starlette 1.0's test client names an anyio alias that anyio now deprecates.
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

from newsdesk.service import Newsdesk, demo_corpus
from newsdesk.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = Path(__file__).with_name("hostile.html")
PACKAGE = Path(__file__).resolve().parents[2] / "src" / "newsdesk"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    sources = [p for p in sorted(demo_corpus().rglob("*")) if p.is_file()]
    sources += [p for p in sorted(PACKAGE.rglob("*.py")) if "web" not in p.parts]
    sources.append(HOSTILE)
    for path in sources:
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _build(target: Path) -> None:
    partial = target.with_suffix(".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    desk = Newsdesk.open(partial)
    try:
        desk.demo()
        desk.ingest([str(HOSTILE)])
        desk.stories.stories(limit=1)  # stories are assigned and saved with the database
    finally:
        desk.close()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(target)


@pytest.fixture(scope="session")
def web_db(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo database (plus the hostile page) for this session."""
    cache = pytestconfig.cache
    folder = cache.mkdir("newsdesk-web") if cache else tmp_path_factory.mktemp("cache")
    built = folder / f"demo-{_fingerprint()}.db"
    if not built.exists():
        for old in folder.glob("demo-*.db"):
            old.unlink()
        _build(built)
    copy = tmp_path_factory.mktemp("web") / "newsdesk.db"
    shutil.copyfile(built, copy)
    return copy


@pytest.fixture(scope="session")
def web_desk(web_db: Path) -> Iterator[Newsdesk]:
    desk = Newsdesk.open(web_db)
    desk.stories.stories(limit=1)  # load the clusterer before threads share the desk
    yield desk
    desk.close()


@pytest.fixture(scope="session")
def app(web_desk: Newsdesk) -> Starlette:
    return create_app(web_desk)


@pytest.fixture(scope="session")
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server(app: Starlette) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1 in a background thread; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session (Debian's package; `make browser` installs it)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A fresh browser page; every dialog it opens is recorded in ``page.dialogs``."""
    from playwright.sync_api import Browser, Dialog

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=server)
    opened = context.new_page()
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", record)
    opened.dialogs = dialogs  # type: ignore[attr-defined]
    yield opened
    context.close()
