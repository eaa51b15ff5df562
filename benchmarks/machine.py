"""Describe the machine a benchmark ran on, in one place for every script in this folder."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def cpu_model() -> str | None:
    """The CPU's model name from /proc/cpuinfo, else ``platform.processor()``, else None."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def versions(packages: Sequence[str]) -> dict[str, str | None]:
    """The installed version of each package, None when it is not installed."""
    found: dict[str, str | None] = {}
    for package in packages:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def git_commit() -> str | None:
    """``git describe --always --dirty`` of this repository, None outside a git checkout."""
    try:
        return (
            subprocess.run(
                ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.CalledProcessError):
        return None


def loadavg() -> list[float] | None:
    """The 1, 5 and 15 minute load averages, None where the platform has none."""
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def describe(packages: Sequence[str]) -> dict[str, Any]:
    """Where and with what the numbers were measured."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "versions": versions(packages),
        "git": git_commit(),
        "loadavg": loadavg(),
    }
