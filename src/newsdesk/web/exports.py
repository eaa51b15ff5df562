"""Exports: articles, events and quotes as CSV, JSON or JSONL, streamed row by row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from starlette.responses import StreamingResponse

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def csv_lines(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[str]:
    """A header line, then one CSV line per row (lists joined with "; ")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(row.get(c)) for c in columns])
        yield buffer.getvalue()


def json_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, default=str) + "\n"


def json_array(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array written one element at a time."""
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False, default=str)
        first = False
    yield "\n]\n"


def export_response(
    rows: Iterable[dict[str, Any]], columns: tuple[str, ...], fmt: str, filename: str
) -> StreamingResponse:
    """``rows`` streamed in ``fmt`` ("csv", "json" or "jsonl") as a download."""
    if fmt == "csv":
        body = csv_lines(rows, columns)
    elif fmt == "jsonl":
        body = json_lines(rows)
    else:
        body = json_array(rows)
    return StreamingResponse(
        body,
        media_type=FORMATS[fmt],
        headers={"content-disposition": f'attachment; filename="{filename}.{fmt}"'},
    )
