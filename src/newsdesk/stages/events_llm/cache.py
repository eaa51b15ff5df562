"""LLM replies kept on disk, one JSON file per prompt, so a repeated run asks the endpoint nothing.

The key is the sha256 of (base URL, model, prompt): another endpoint or model never answers
from this one's cache. Files are written to a temporary name and renamed, so a reader never
sees half a file; an unreadable file counts as a miss and is overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.stages.events_llm.client import Message


def cache_key(base_url: str, model: str, messages: Sequence[Message]) -> str:
    """The content address of one request."""
    material = json.dumps(
        [base_url.rstrip("/"), model, list(messages)], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class ResponseCache:
    """A folder of cached replies: ``<dir>/<key[:2]>/<key>.json``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, key: str) -> Path:
        """Where the reply for ``key`` lives."""
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        """The cached reply for ``key``, or None."""
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        reply = data.get("reply") if isinstance(data, dict) else None
        return reply if isinstance(reply, str) else None

    def put(self, key: str, reply: str, *, base_url: str, model: str) -> None:
        """Keep ``reply`` for ``key`` (atomically replacing any older file)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "base_url": base_url,
            "model": model,
            "cached_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "reply": reply,
        }
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(record, out, ensure_ascii=False)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
