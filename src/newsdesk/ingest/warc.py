"""WARC archives: the HTML responses of a web crawl's records, read record by record under a cap."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsdesk.errors import InputError
from newsdesk.ingest.content_types import HTML_TYPES
from newsdesk.ingest.limits import CHUNK_SIZE, reading, too_large
from newsdesk.model import RawDocument, RawKind

__all__ = ["read_warc"]

Item = RawDocument | InputError
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def read_warc(path: Path, cap: int) -> Iterator[Item]:
    """The HTML responses of a WARC; damage yields an InputError after the good records."""
    item = str(path)
    with reading(item):
        if path.stat().st_size == 0:
            raise InputError(item, "empty file")
        with path.open("rb") as fh:
            archive = ArchiveIterator(fh)
            try:
                end = yield from _warc_records(archive, item, cap)
            finally:
                archive.close()
            fh.seek(end)  # warcio stops quietly at a record cut inside its headers
            if fh.read(CHUNK_SIZE).strip():
                raise InputError(f"{item}#{end}", "truncated or corrupt WARC: unreadable data")


def _warc_records(archive: Any, item: str, cap: int) -> Generator[Item, None, int]:
    """Yield the HTML responses' items; return the offset where the last whole record ends."""
    end = 0
    try:
        for record in archive:
            headers = record.rec_headers
            if not record.rec_type or (  # what warcio makes of headers cut short
                record.format.startswith("warc") and not headers.get_header("Content-Length")
            ):
                origin = f"{item}#{archive.get_record_offset()}"
                raise InputError(origin, "truncated or corrupt WARC: incomplete headers")
            made = _warc_document(record, cap)
            offset = archive.get_record_offset()  # reads the record to its end
            origin = f"{item}#{offset}"
            if getattr(record.raw_stream, "limit", 0) > 0:
                raise InputError(origin, "truncated WARC: the record ends early")
            end = offset + archive.get_record_length()
            if isinstance(made, str):
                yield InputError(origin, made)
            elif made is not None:
                yield dataclasses.replace(made, origin=origin)
    except InputError:
        raise
    except Exception as exc:  # warcio raises many types on a damaged archive
        first = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "")
        if not isinstance(exc, ArchiveLoadFailed):  # warcio tripping over a damaged record
            first = f"unparsable record ({type(exc).__name__}: {first})"
        raise InputError(f"{item}#{end}", f"corrupt WARC: {first[:200]}") from exc
    return end


def _warc_document(record: Any, cap: int) -> RawDocument | str | None:
    """The record as a document (origin still blank), a reason it is bad, or None to skip it.

    Only successful (2xx) HTTP responses with an HTML content type are documents.
    """
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return None
    header = http.get_header("Content-Type") or ""
    content_type = header.partition(";")[0].strip().lower()
    if content_type not in HTML_TYPES or not (http.get_statuscode() or "").startswith("2"):
        return None
    stream, chunks, total = record.content_stream(), [], 0
    while chunk := stream.read(CHUNK_SIZE):  # warcio's reads stop short at buffer boundaries
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            return too_large(f"over {cap:,}", cap)
    body = b"".join(chunks)
    if not body.strip():
        return "empty response body"
    charset = _CHARSET.search(header)
    return RawDocument(
        origin="", body=body, kind=RawKind.HTML, content_type=content_type,
        url=(record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ") or None,
        encoding=charset.group(1).lower() if charset else None,
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
    )  # fmt: skip


def _warc_date(value: str | None) -> datetime | None:
    try:
        parsed = datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
