"""Screenshots of the reader's main pages (front, story, article, actor, search) for the README.

    .venv/bin/python tools/screenshots.py [--db newsdesk.db] [--out docs/screenshots]

Without an existing database it ingests the demo corpus into a temporary one first. Needs
Debian's chromium at /usr/bin/chromium (`make browser`).
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from newsdesk.service import Newsdesk
from newsdesk.web import create_app

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(desk: Newsdesk) -> tuple[str, uvicorn.Server, threading.Thread]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(desk), host="127.0.0.1", port=port,
                                           log_level="warning"))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def targets(desk: Newsdesk) -> dict[str, str]:
    """The page to shoot for each screenshot name."""
    stories = desk.stories.stories(limit=None)
    istanbul = [s for s in stories if "istanbul" in (s.story.title or "").lower()] or stories
    story = max(istanbul, key=lambda s: s.story.article_count).story.id
    articles = desk.stories.articles(story)
    article = max(articles, key=lambda a: len(a.article.quotes) + len(a.article.events)).id
    actor = desk.actors(query="zelensk", limit=1)[0].actor.key
    return {
        "front": "/",
        "story": f"/stories/{story}",
        "article": f"/articles/{article}",
        "actor": f"/actors/{actor}",
        "search": "/search?q=prisoner+exchange",
    }


def shoot(page: Page, url: str, path: Path) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path), full_page=False)
    print(f"{path} ({path.stat().st_size // 1024} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=None, help="an ingested database")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db
        if db is None or not db.exists():
            db = Path(scratch) / "demo.db"
            print("ingesting the demo corpus ...")
            Newsdesk.open(db).demo()
        desk = Newsdesk.open(db)
        base, server, thread = serve(desk)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium,
                                                     args=CHROMIUM_ARGS)  # fmt: skip
                wide = browser.new_page(viewport={"width": 1280, "height": 900})
                for name, path in targets(desk).items():
                    shoot(wide, base + path, args.out / f"{name}.png")
                phone = browser.new_page(viewport={"width": 390, "height": 844},
                                         color_scheme="dark", device_scale_factor=2)  # fmt: skip
                shoot(phone, base + targets(desk)["story"], args.out / "story-phone-dark.png")
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            desk.close()


if __name__ == "__main__":
    main()
