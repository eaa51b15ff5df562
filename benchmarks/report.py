"""Write a benchmark's numbers to the file its --json-out names, the same way for every script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console


def write_json_out(report: dict[str, Any], path: Path | None, out: Console) -> None:
    """Write ``report`` as JSON to ``path`` (its folder made) and say so; no path, no file."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False), "utf-8")
    out.print(f"numbers written to {path}")
