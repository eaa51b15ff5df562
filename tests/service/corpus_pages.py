"""Fixtures for tests over the sample corpus's pages: ingested once, a fresh copy per test.

A test module imports ``pages_db``, ``db`` and ``desk`` from here; its ``desk`` then stands for
a Newsdesk over its own copy of the ingested pages (the scrapes are left for a test to add).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.service import Newsdesk
from newsdesk.store import Store


@pytest.fixture(scope="session")
def pages_db(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """The corpus's pages ingested once for the whole run."""
    db = tmp_path_factory.mktemp("corpus-pages") / "pages.db"
    desk = Newsdesk.open(db)
    desk.ingest([str(corpus / "pages")])
    desk.close()
    return db


@pytest.fixture
def db(pages_db: Path, tmp_path: Path) -> Path:
    """A copy of the ingested pages this test may change."""
    copy = tmp_path / "pages.db"
    shutil.copy(pages_db, copy)
    return copy


@pytest.fixture
def desk(db: Path) -> Iterator[Newsdesk]:
    """A Newsdesk over this test's copy."""
    opened = Newsdesk(Store.open(db))
    yield opened
    opened.close()
