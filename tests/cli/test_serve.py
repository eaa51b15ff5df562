"""`newsdesk serve --workers N`: uvicorn gets the app factory's import string, and each worker
builds the reader from the database and token the command put in its environment."""

from __future__ import annotations

import asyncio
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from anyio import to_thread
from starlette.applications import Starlette
from typer.testing import CliRunner

from newsdesk.cli import app as cli_app

with warnings.catch_warnings():
    # Starlette 1.0's test client names an anyio alias that anyio now deprecates.
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient
from newsdesk.web.app import (
    ENV_ALLOW_PRIVATE,
    ENV_DB,
    ENV_THREADS,
    ENV_TOKEN,
    FACTORY,
    app_from_env,
    create_app,
)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    """What ``uvicorn.run`` was called with (nothing is served); the serve variables are
    restored afterwards."""
    for name in (ENV_DB, ENV_TOKEN, ENV_ALLOW_PRIVATE, ENV_THREADS):
        monkeypatch.setenv(name, "")  # recorded, so what serve sets is undone afterwards
        monkeypatch.delenv(name)
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append((app, kw)))
    return calls


def test_one_worker_serves_the_app_in_process(
    tmp_path: Path, runs: list[tuple[Any, dict[str, Any]]]
) -> None:
    result = CliRunner().invoke(cli_app, ["--db", str(tmp_path / "x.db"), "serve"], env={})
    assert result.exit_code == 0, result.output
    [(app, options)] = runs
    assert isinstance(app, Starlette)
    assert "workers" not in options


def test_workers_get_the_factory_and_its_environment(
    tmp_path: Path, runs: list[tuple[Any, dict[str, Any]]]
) -> None:
    db = tmp_path / "x.db"
    args = ["--db", str(db), "--allow-private", "serve", "--workers", "3", "--token", "s3cret"]
    result = CliRunner().invoke(cli_app, args, env={})
    assert result.exit_code == 0, result.output
    [(app, options)] = runs
    assert app == FACTORY
    assert options["factory"] is True
    assert options["workers"] == 3
    assert options["host"] == "127.0.0.1"
    assert db.exists()  # opened (and migrated) once before the workers start
    assert os.environ[ENV_DB] == str(db)
    assert os.environ[ENV_TOKEN] == "s3cret"
    assert os.environ[ENV_ALLOW_PRIVATE] == "1"
    assert os.environ[ENV_THREADS] == "2"  # the default


def test_workers_without_a_token_leave_none_behind(
    tmp_path: Path, runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_TOKEN, "stale")
    args = ["--db", str(tmp_path / "x.db"), "serve", "--workers", "2", "--threads", "1"]
    result = CliRunner().invoke(cli_app, args, env={})
    assert result.exit_code == 0, result.output
    assert ENV_TOKEN not in os.environ
    assert os.environ[ENV_ALLOW_PRIVATE] == "0"
    assert os.environ[ENV_THREADS] == "1"


def test_the_factory_builds_the_reader_from_its_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DB, str(tmp_path / "x.db"))
    monkeypatch.setenv(ENV_TOKEN, "s3cret")
    app = app_from_env()
    assert [m.kwargs for m in app.user_middleware] == [{"token": "s3cret"}]

    async def fetch() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return (await client.get("/stories.json")).status_code

    try:
        with ThreadPoolExecutor(1) as pool:  # its own loop, whatever other tests left running
            assert pool.submit(asyncio.run, fetch()).result() == 200
        assert app.state.desk.allow_private is False
    finally:
        app.state.desk.close()


def test_the_factory_needs_a_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DB, raising=False)
    with pytest.raises(RuntimeError, match=ENV_DB):
        app_from_env()


@pytest.mark.parametrize("threads", [1, 3])
def test_the_app_computes_as_many_requests_at_once_as_it_was_given_threads(
    tmp_path: Path, threads: int
) -> None:
    app = create_app(tmp_path / "x.db", threads=threads)

    async def tokens() -> float:
        return to_thread.current_default_thread_limiter().total_tokens

    with TestClient(app) as client:
        assert client.portal is not None
        assert client.portal.call(tokens) == threads
