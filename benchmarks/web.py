"""Load test of the web reader: 8 concurrent clients against `newsdesk serve` on 127.0.0.1.

The store is synthetic (``synthetic_store.py``: N articles recombined from the sample corpus,
cached under ``benchmarks/out/``). The server is the real command, ``newsdesk --db DB serve
--workers W``, in a subprocess; the load generator is an asyncio httpx client in this process
running ``--clients`` workers per target, each target bounded by ``--requests`` and ``--seconds``
(whichever comes first) after a short warm-up. For every page and its JSON twin it reports
p50/p95/p99 latency and requests per second. ``--profile`` then runs each target in-process
under cProfile and prints where the time goes.

    .venv/bin/python benchmarks/web.py                       # 50k articles (built once)
    .venv/bin/python benchmarks/web.py --workers 2           # two server processes
    .venv/bin/python benchmarks/web.py --articles 2000 --requests 200
    .venv/bin/python benchmarks/web.py --trivial             # the harness's own floor
    .venv/bin/python benchmarks/web.py --prepare             # `newsdesk prepare` first

Without ``--prepare`` the store's prepared views (pages and related lists kept by earlier
runs) are cleared first, so every page's first request builds it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from machine import describe
from newsdesk.store import Store
from synthetic_store import OUT, recluster, synthetic_store

console = Console()
SEARCHES = [
    "prisoner exchange", "Istanbul talks", "Medinsky", "sanctions package", "ceasefire",
    "Erdogan", "Eurovision", "Zelenskyy Putin meeting", "oil buyers", "Dolmabahce",
    "neutrality", "Taiwan bookstore",
]  # fmt: skip
BUDGET_MS = {"story": 100.0, "article": 100.0, "search": 200.0}  # p95 goals of issue 6
STOP = {"with", "from", "that", "this", "after", "over", "their", "into", "will", "says"}


@dataclass
class Target:
    """One page (or JSON twin) and the URLs the clients cycle through for it."""

    name: str
    paths: list[str]
    latencies: list[float] = field(default_factory=list)  # seconds, measured requests only
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed: float = 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "requests": len(self.latencies),
            "seconds": round(self.elapsed, 2),
            "rps": round(len(self.latencies) / self.elapsed, 1) if self.elapsed else None,
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "max_ms": round(max(self.latencies) * 1000, 1) if self.latencies else None,
            "statuses": dict(self.statuses),
            "distinct_urls": len(set(self.paths)),
        }


def targets_for(db: Path, *, seed: int) -> tuple[list[Target], dict[str, Any]]:
    """The pages to load and the URLs for each, sampled from the store."""
    rng = random.Random(seed)
    store = Store.open(db)
    try:
        stories = store.stories.stories()
        article_ids = list(store.article_ids())
        titles = [store.article(i).article.title or "" for i in rng.sample(article_ids, 400)]
    finally:
        store.close()
    picked = rng.sample(stories, min(40, len(stories)))
    sizes = sorted(s.article_count for s in picked)
    articles = [str(i) for i in rng.sample(article_ids, min(200, len(article_ids)))]
    searches = [f"q={q.replace(' ', '+')}" for q in SEARCHES]
    distinct = [f"q={q.replace(' ', '+')}" for q in fresh_queries(titles, rng)]
    facts = {
        "articles": len(article_ids),
        "stories": len(stories),
        "sampled_story_sizes": {"min": sizes[0], "median": sizes[len(sizes) // 2],
                                "max": sizes[-1]} if sizes else None,
    }  # fmt: skip
    pages = [
        ("front", ["/"]),
        ("front .json", ["/stories.json"]),
        ("story", [f"/stories/{s.id}" for s in picked]),
        ("story .json", [f"/stories/{s.id}.json" for s in picked]),
        ("article", [f"/articles/{i}" for i in articles]),
        ("article .json", [f"/articles/{i}.json" for i in articles]),
        ("search", [f"/search?{q}" for q in searches]),
        ("search .json", [f"/search.json?{q}" for q in searches]),
        ("search, new words", [f"/search?{q}" for q in distinct]),
    ]
    return [Target(name, paths) for name, paths in pages], facts


def fresh_queries(titles: list[str], rng: random.Random) -> list[str]:
    """Two-word queries from article titles, each asked once (no result cache can help)."""
    seen: set[str] = set()
    for title in titles:
        words = [w for w in re.findall(r"[A-Za-z]{4,}", title) if w.lower() not in STOP]
        if len(words) >= 2:
            query = " ".join(rng.sample(words, 2))
            if query.lower() not in seen:
                seen.add(query.lower())
    return sorted(seen)


def trivial_targets() -> list[Target]:
    """The same shape of load against a do-nothing app: what the harness itself costs."""
    return [Target("trivial", ["/"]), Target("trivial .json", ["/x.json"])]


async def load(base: str, target: Target, *, clients: int, requests: int, seconds: float,
               warmup: int) -> None:  # fmt: skip
    """Run ``clients`` workers on ``target`` until ``requests`` are measured or time is up."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:
        for path in target.paths[:warmup]:
            await client.get(path)
        issued = 0
        started = time.perf_counter()
        deadline = started + seconds

        async def worker(offset: int) -> None:
            nonlocal issued
            while issued < requests and time.perf_counter() < deadline:
                path = target.paths[(issued + offset) % len(target.paths)]
                issued += 1
                sent = time.perf_counter()
                response = await client.get(path)
                target.latencies.append(time.perf_counter() - sent)
                target.statuses[response.status_code] += 1

        await asyncio.gather(*(worker(n) for n in range(clients)))
        target.elapsed = time.perf_counter() - started


def prepare_store(db: Path, newsdesk: Path, *, run: bool) -> dict[str, Any]:
    """Run ``newsdesk prepare`` on the store (what it took), or clear what an earlier run kept,
    so the load test starts from the state it reports."""
    if not run:
        store = Store.open(db)
        try:
            cleared = store.prepared.clear()
        finally:
            store.close()
        console.print(f"prepared views cleared ({cleared} rows)")
        return {"prepare": False, "cleared_rows": cleared}
    started = time.perf_counter()
    subprocess.run([str(newsdesk), "--db", str(db), "prepare"], check=True)
    seconds = time.perf_counter() - started
    store = Store.open(db)
    try:
        kept = {kind: len(store.prepared.keys(kind))
                for kind in ("related", "story_primary.html", "json")}  # fmt: skip
    finally:
        store.close()
    console.print(f"newsdesk prepare took {seconds:.1f} s; kept {kept}")
    return {"prepare": True, "seconds": round(seconds, 1), "kept": kept}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(command: list[str], base: str, probe: str) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command``, wait until ``probe`` answers 200, and stop it afterwards."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise SystemExit(f"server exited with {process.returncode}:\n{stderr}")
            try:
                if httpx.get(base + probe, timeout=30).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not answer within 120 s")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_trivial(port: int) -> None:
    """A do-nothing Starlette app on 127.0.0.1 (``--trivial``): the harness's floor."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route

    def page(request: Any) -> HTMLResponse:
        return HTMLResponse("<!doctype html><title>ok</title><p>ok</p>")

    def data(request: Any) -> JSONResponse:
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/", page), Route("/x.json", data)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def profile(db: Path, targets: list[Target], *, calls: int, show: int) -> dict[str, str]:
    """Each target's first URLs run in-process under cProfile; the top functions by
    cumulative time. Starlette runs sync endpoints in a thread pool, where cProfile cannot
    see them, so here they run inline on the event loop's thread instead."""
    import starlette.routing

    from newsdesk.web import create_app

    async def inline(func: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    starlette.routing.run_in_threadpool = inline  # type: ignore[assignment]
    app = create_app(db)

    async def fetch(paths: list[str]) -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for path in paths:
                (await client.get(path)).raise_for_status()

    reports: dict[str, str] = {}
    for target in targets:
        paths = [target.paths[n % len(target.paths)] for n in range(calls)]
        asyncio.run(fetch(paths[:1]))  # warm caches the same way the load test did
        profiler = cProfile.Profile()
        profiler.enable()
        asyncio.run(fetch(paths))
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(r"newsdesk|sqlalchemy/engine/base.py.*execute\b|jinja2", show)
        reports[target.name] = out.getvalue()
    return reports


def sequential(db: Path, targets: list[Target], *, per_target: int) -> list[dict[str, Any]]:
    """One request at a time, in-process (no server, no other clients): each target's first
    ``per_target`` URLs asked twice, cold (first time, nothing kept) then warm, so the cost
    of the work itself shows apart from queueing."""
    import starlette.routing

    from newsdesk.web import create_app

    async def inline(func: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    starlette.routing.run_in_threadpool = inline  # type: ignore[assignment]
    app = create_app(db)
    rows: list[dict[str, Any]] = []

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for target in targets:
                for rounds in ("cold", "warm"):
                    timed = Target(f"{target.name} ({rounds})", target.paths[:per_target])
                    for path in timed.paths:
                        started = time.perf_counter()
                        response = await client.get(path)
                        response.raise_for_status()
                        timed.statuses[response.status_code] += 1
                        timed.latencies.append(time.perf_counter() - started)
                        timed.elapsed += timed.latencies[-1]
                    rows.append(timed.summary())

    asyncio.run(run())
    return rows


def table(results: list[dict[str, Any]], title: str) -> Table:
    shown = Table(title=title)
    for column in ("page", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "status"):
        shown.add_column(column, justify="left" if column in ("page", "status") else "right")
    for r in results:
        budget = BUDGET_MS.get(re.split(r"[ ,]", r["name"])[0])
        p95 = f"{r['p95_ms']:.1f}"
        if budget is not None:
            p95 = f"[{'green' if r['p95_ms'] < budget else 'red'}]{p95}[/] (<{budget:.0f})"
        statuses = " ".join(f"{k}×{v}" for k, v in sorted(r["statuses"].items()))
        shown.add_row(r["name"], str(r["requests"]), f"{r['rps']}", f"{r['p50_ms']:.1f}", p95,
                      f"{r['p99_ms']:.1f}", f"{r['max_ms']:.1f}", statuses)  # fmt: skip
    return shown


def run_load(command: list[str], base: str, targets: list[Target],
             args: argparse.Namespace) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """Start the server, load each target in turn, stop it; the summaries and server pid."""
    with server(command, base, targets[0].paths[0]) as process:
        for target in targets:
            asyncio.run(load(base, target, clients=args.clients, requests=args.requests,
                             seconds=args.seconds, warmup=args.warmup))  # fmt: skip
            console.print(f"  {target.name}: {len(target.latencies)} requests")
        return [t.summary() for t in targets], process.pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000, help="synthetic store size")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per page")
    parser.add_argument("--seconds", type=float, default=30.0, help="time bound per page")
    parser.add_argument("--warmup", type=int, default=8, help="unmeasured requests per page")
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    parser.add_argument("--recluster", action="store_true", help="assign its stories again")
    parser.add_argument("--trivial", action="store_true", help="load a do-nothing app instead")
    parser.add_argument("--profile", action="store_true", help="cProfile each page afterwards")
    parser.add_argument("--sequential", type=int, metavar="N",
                        help="time N URLs a page in-process, one by one, cold, warm")  # fmt: skip
    parser.add_argument("--prepare", action="store_true",
                        help="run `newsdesk prepare` on the store first (timed); without it"
                             " the store's prepared views are cleared")  # fmt: skip
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="neither prepare nor clear: use the prepared views as they are",
    )
    parser.add_argument("--only", help="comma-separated page names to load (e.g. search)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    parser.add_argument("--threads", type=int, help="requests each worker computes at once"
                        " (serve --threads; its default when not given)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json-out", type=Path, help="write the results as JSON here")
    parser.add_argument("--serve-trivial", type=int, help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()
    if args.serve_trivial:
        serve_trivial(args.serve_trivial)
        return

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    if args.trivial:
        command = [sys.executable, __file__, "--serve-trivial", str(port)]
        targets, facts, db = trivial_targets(), {}, None
    else:
        db = synthetic_store(args.articles, console.print, rebuild=args.rebuild)
        if args.recluster and not args.rebuild:
            recluster(db, console.print)
        newsdesk = Path(sys.executable).with_name("newsdesk")
        prepared = {"as_is": True} if args.as_is else prepare_store(db, newsdesk, run=args.prepare)
        targets, facts = targets_for(db, seed=args.seed)
        facts["prepared"] = prepared
        command = [str(newsdesk), "--db", str(db), "serve", "--port", str(port),
                   "--workers", str(args.workers)]  # fmt: skip
        if args.threads:
            command += ["--threads", str(args.threads)]
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        targets = [t for t in targets if t.name in wanted]
    if args.sequential and db:
        rows = sequential(db, targets, per_target=args.sequential)
        console.print(table(rows, f"{args.articles} articles, in-process, one request at a time"))
        if args.json_out:
            args.json_out.parent.mkdir(parents=True, exist_ok=True)
            record = {"machine": describe(["starlette", "httpx", "sqlalchemy", "jinja2"]),
                      "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
                      "store": facts, "results": rows}  # fmt: skip
            args.json_out.write_text(json.dumps(record, indent=2, default=str) + "\n")
        return
    console.print(f"serving on {base}; {facts}")
    results, server_pid = run_load(command, base, targets, args)
    title = "trivial app" if args.trivial else f"{args.articles} articles, {args.workers} workers"
    console.print(table(results, f"{title}, {args.clients} clients"))
    profiles = profile(db, targets, calls=20, show=25) if args.profile and db else {}
    for name, text in profiles.items():
        console.print(f"[bold]{name}[/] (20 sequential requests in-process)")
        print(text)
    if args.json_out:
        record = {
            "machine": describe(["starlette", "uvicorn", "httpx", "sqlalchemy", "jinja2"]),
            "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
            "settings": {k: v for k, v in vars(args).items() if k not in ("json_out",)}
            | {"server_pid": server_pid, "cpu_count": os.cpu_count()},
            "store": facts,
            "results": results,
            "profiles": profiles,
        }
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(record, indent=2, default=str) + "\n")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    main()
