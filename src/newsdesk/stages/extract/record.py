"""JSON records that already carry clean text: their fields become the article's."""

from __future__ import annotations

import json
from typing import Any

from newsdesk.errors import InputError


def read_record(raw: str, *, item: str) -> dict[str, Any]:
    """The record in ``raw``; an InputError naming ``item`` when it is not a usable object."""
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(item, f"not JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(record, dict):
        raise InputError(item, "a record must be a JSON object")
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        raise InputError(item, "record has no text")
    return record


def record_authors(record: dict[str, Any]) -> tuple[str, ...]:
    """Authors as a record gives them: a string, a list of strings or of {name} objects."""
    value = record.get("authors", record.get("author"))
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, list):
        names = [v.get("name") if isinstance(v, dict) else v for v in value]
        return tuple(n for n in names if isinstance(n, str) and n.strip())
    return ()
