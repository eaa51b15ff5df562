"""Read local files and folders (HTML, text, JSON records, WARC) into RawDocuments, one per item."""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, cast

from newsdesk.errors import InputError
from newsdesk.ingest.limits import CHUNK_SIZE, reading, too_large, why
from newsdesk.ingest.warc import read_warc
from newsdesk.model import RawDocument, RawKind

__all__ = ["classify", "count_items", "iter_sources"]

Item = RawDocument | InputError
_SNIFF = 8192
_EXTENSIONS = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text", ".json": "json",
    ".jsonl": "jsonl", ".warc": "warc", ".rss": "feed", ".atom": "feed", ".opml": "opml",
}  # fmt: skip
_SNIFFED = (".xml", ".rdf", ".json")
_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_XML_PREAMBLE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S | re.I)
_MARKUP = re.compile(rb"<[!?/A-Za-z]")
# Bytes no text file holds: C0 controls except tab, LF, VT, FF, CR; and DEL.
_CONTROL = bytes([*range(0, 9), *range(14, 32), 0x7F])
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def classify(path: Path) -> str:
    """What a file holds: "html", "text", "json", "jsonl", "warc", "feed", "opml" or "unknown".

    By extension, looking through ``.gz``; ``.xml`` and ``.rdf`` by their root element (rss,
    rdf:RDF, feed → "feed"; opml → "opml"; html → "html"); ``.json`` holding a JSON Feed is a
    "feed". An unreadable ``.xml`` file is "unknown".
    """
    return _classify(path)[0]


def count_items(paths: Sequence[Path]) -> int:
    """About how many items :func:`iter_sources` yields, cheaply, for a progress-bar total.

    A file counts 1, except an uncompressed ``.jsonl``, which counts its lines; a JSON list or
    a WARC counts 1 however many records it holds, so the total can run low.
    """
    total = 0
    for path in _walk(paths):
        if isinstance(path, InputError):
            total += 1
        elif path.name.lower().endswith(".jsonl"):
            total += max(_count_lines(path), 1)
        elif classify(path) not in ("feed", "opml"):
            total += 1
    return total


def iter_sources(paths: Sequence[Path], *, max_bytes: int = 10_000_000) -> Iterator[Item]:
    """One RawDocument per usable item, or one InputError per bad one; never raises for an item.

    Folders are walked recursively in name order, skipping hidden entries, files of types
    newsdesk does not read, and symlinked folders. Feeds and OPML files are skipped: other
    modules read them. ``max_bytes``
    caps one document: a file (decompressed, for ``.gz``), a JSONL line, a WARC record.
    """
    for path in _walk(paths):
        if isinstance(path, InputError):
            yield path
            continue
        kind, why = _classify(path)
        reader = _READERS.get(kind)
        if kind in ("feed", "opml"):
            continue
        if reader is None:
            yield InputError(str(path), why or "unsupported file type")
            continue
        try:
            yield from reader(path, max_bytes)
        except InputError as err:
            yield err


def _classify(path: Path) -> tuple[str, str | None]:
    """The file's kind, and for "unknown" a reason better than "unsupported file type"."""
    suffix = os.path.splitext(path.name.lower().removesuffix(".gz"))[1]
    if suffix not in _SNIFFED:
        return _EXTENSIONS.get(suffix, "unknown"), None
    try:
        with _open(path) as fh:
            head = fh.read(_SNIFF)
    except (OSError, EOFError, zlib.error) as exc:
        return ("json", None) if suffix == ".json" else ("unknown", f"unreadable: {why(exc)}")
    if suffix == ".json":
        return ("feed" if _JSON_FEED.search(head) else "json"), None
    match = _XML_ROOT.search(_XML_PREAMBLE.sub(b"", head))
    root = match.group(1).decode("ascii") if match else ""
    local = root.rpartition(":")[2].lower()
    if local in ("rss", "rdf", "feed"):
        return "feed", None
    if local in ("opml", "html"):
        return local, None
    return "unknown", f"unsupported file type: XML with root <{root}>"


def _walk(paths: Sequence[Path]) -> Iterator[Path | InputError]:
    for path in paths:
        if path.is_dir():
            yield from _walk_folder(path)
        elif path.is_file():
            yield path
        else:
            yield InputError(str(path), "not a regular file" if path.exists() else "not found")


def _walk_folder(folder: Path) -> Iterator[Path | InputError]:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield InputError(str(folder), f"unreadable folder: {why(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk_folder(Path(entry.path))
        elif entry.is_file() and _known_suffix(entry.name):
            yield Path(entry.path)
        elif entry.is_symlink() and not entry.is_dir():
            yield InputError(entry.path, "broken symbolic link")


def _known_suffix(name: str) -> bool:
    """Whether a file found in a folder walk is one newsdesk reads; other files (a README,
    images, the database itself) are passed over silently, unlike a file named explicitly."""
    suffix = os.path.splitext(name.lower().removesuffix(".gz"))[1]
    return suffix in _EXTENSIONS or suffix in _SNIFFED


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _read(path: Path, cap: int) -> bytes:
    """The whole file, decompressed, at most ``cap`` bytes; InputError if more, or empty."""
    with reading(str(path)):
        size = path.stat().st_size  # before reading: a huge file costs nothing to refuse
        if size > cap:
            raise InputError(str(path), too_large(f"{size:,}", cap))
        with _open(path) as fh:
            body = fh.read(cap + 1)  # gzip decompresses at most this much
    if len(body) > cap:
        raise InputError(str(path), too_large(f"over {cap:,}", cap))
    if not body.strip():
        raise InputError(str(path), "empty file")
    return body


def _binary(body: bytes) -> bool:
    """NUL bytes or many control bytes near the start: not text in any ASCII-based encoding."""
    sample = body[:_SNIFF]
    if sample.startswith(_UTF16_BOMS):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return b"\x00" in sample or controls > len(sample) // 20


def _read_page(path: Path, cap: int, kind: RawKind) -> Iterator[Item]:
    body, item = _read(path, cap), str(path)
    what = "HTML" if kind is RawKind.HTML else "text"
    if _binary(body):
        raise InputError(item, f"not {what}: binary content")
    utf16 = body.startswith(_UTF16_BOMS)
    if kind is RawKind.HTML and not utf16 and not _MARKUP.search(body[:_SNIFF]):
        raise InputError(item, "not HTML: no markup")
    content_type = "text/plain" if kind is RawKind.TEXT else "text/html"
    if ".xhtml" in path.name.lower():
        content_type = "application/xhtml+xml"
    yield RawDocument(origin=item, body=body, kind=kind, content_type=content_type)


def _read_json(path: Path, cap: int) -> Iterator[Item]:
    body = _read(path, cap)
    try:
        value = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InputError(str(path), f"invalid JSON: {exc}") from exc
    records = value if isinstance(value, list) else [value]
    if not records:
        raise InputError(str(path), "no records: the JSON list is empty")
    for number, record in enumerate(records, start=1):
        yield _record(f"{path}#{number}", record)


def _read_jsonl(path: Path, cap: int) -> Iterator[Item]:
    """One item per non-blank line; a bad line is an InputError for that line alone."""
    number, yielded = 0, False
    with reading(str(path)), _open(path) as fh:
        while line := fh.readline(cap + 1):
            number, origin = number + 1, f"{path}#{number + 1}"
            if len(line) > cap and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest of the long line
                    line = fh.readline(CHUNK_SIZE)
                item: Item | None = InputError(origin, too_large(f"over {cap:,}", cap))
            elif not line.strip():
                item = None
            else:
                try:
                    item = _record(origin, json.loads(line))
                except (ValueError, RecursionError) as exc:
                    item = InputError(origin, f"invalid JSON: {exc}")
            if item is not None:
                yielded = True
                yield item
    if not yielded:
        raise InputError(str(path), "empty file")


def _record(origin: str, record: Any) -> Item:
    """One JSON record: an HTML document if it carries html, else a RECORD of its own JSON."""
    if not isinstance(record, dict):
        return InputError(origin, "not a JSON object")
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        body, kind, content_type = html, RawKind.HTML, "text/html"
    elif isinstance(text, str) and text.strip():
        body, kind = json.dumps(record, ensure_ascii=False), RawKind.RECORD
        content_type = "application/json"
    else:
        return InputError(origin, "record has neither text nor html")
    return RawDocument(
        origin=origin, body=body.encode("utf-8", errors="replace"),  # lone surrogates → "?"
        kind=kind, url=_scalar(record.get("url")), content_type=content_type,
        encoding="utf-8", hints=_hints(record),
    )  # fmt: skip


def _scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _hints(record: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The record's facts as hints; each author becomes its own ("author", name) pair."""
    fields = (("url", "url"), ("title", "title"), ("published", "published"),
              ("published", "date"), ("site", "site"))  # fmt: skip
    hints: list[tuple[str, str]] = []
    for key, field in fields:
        value = _scalar(record.get(field))
        if value is not None and key not in dict(hints):
            hints.append((key, value))
    for field in ("author", "authors"):
        people = record.get(field)
        for person in people if isinstance(people, list) else [people]:
            name = _scalar(person.get("name") if isinstance(person, dict) else person)
            if name is not None:
                hints.append(("author", name))
    return tuple(hints)


def _count_lines(path: Path) -> int:
    lines, last = 0, b""
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                lines, last = lines + chunk.count(b"\n"), chunk
    except OSError:
        return 1
    return lines + (1 if last and not last.endswith(b"\n") else 0)


_READERS: dict[str, Callable[[Path, int], Iterator[Item]]] = {
    "html": lambda path, cap: _read_page(path, cap, RawKind.HTML),
    "text": lambda path, cap: _read_page(path, cap, RawKind.TEXT),
    "json": _read_json,
    "jsonl": _read_jsonl,
    "warc": read_warc,
}
