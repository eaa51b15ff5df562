"""Project rules checked by tests: stages documented and tested, docstrings, tidy exports."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from newsdesk.pipeline import available_stages

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "newsdesk"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "demo" not in p.parts)


@pytest.mark.parametrize("name", sorted(available_stages()))
def test_every_stage_has_tests_and_docs(name: str) -> None:
    assert (ROOT / "tests" / "stages" / f"test_{name}.py").exists()
    assert f"\n## {name}\n" in (ROOT / "docs" / "stages.md").read_text()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_why_it_exists(path: Path) -> None:
    docstring = ast.get_docstring(ast.parse(path.read_text()))
    assert docstring, f"{path} has no module docstring"
    assert len(docstring.splitlines()[0]) <= 100


def test_no_junk_drawer_modules() -> None:
    assert not [p for p in MODULES if p.stem in {"utils", "helpers", "misc", "common"}]


@pytest.mark.parametrize(
    "module",
    ["newsdesk", "newsdesk.pipeline", "newsdesk.store", "newsdesk.service", "newsdesk.dedup"],
)
def test_public_exports_are_importable(module: str) -> None:
    # Their order is ruff's RUF022 (isort style), checked by `make lint`.
    imported = importlib.import_module(module)
    exported = imported.__all__
    assert len(set(exported)) == len(exported)
    for name in exported:
        assert hasattr(imported, name)
