"""Feed bytes (RSS, RDF, Atom, JSON Feed) into typed entries; feedparser never fetches anything."""

from __future__ import annotations

import codecs
import hashlib
import html
import io
import re
from typing import Any

import feedparser

from newsdesk.errors import InputError
from newsdesk.ingest.entries import (
    FULL_CONTENT_MIN_CHARS,
    FULL_CONTENT_SUMMARY_RATIO,
    FeedEntry,
    ParsedFeed,
    as_html,
    as_line,
    as_text,
    as_utc,
    clean_names,
    field_of,
    finish_entry,
    http_url,
)
from newsdesk.ingest.jsonfeed import parse_json_feed
from newsdesk.model import RawDocument, RawKind

__all__ = [
    "FULL_CONTENT_MIN_CHARS",
    "FULL_CONTENT_SUMMARY_RATIO",
    "FeedEntry",
    "ParsedFeed",
    "entry_to_raw_document",
    "parse_feed",
]

_PROLOG = re.compile(r"\A(?:\s*(?:<\?.*?\?>|<!--.*?-->))*\s*", re.DOTALL)
_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_ROOT_NAME = re.compile(r"\s*(?:<!doctype[^>]*>\s*)?<([A-Za-z_][\w:.-]*)", re.IGNORECASE)
# Byte order marks (UTF-32 LE first: it starts like UTF-16 LE), then BOM-less UTF-16 "<".
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"), (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"),
)  # fmt: skip


def parse_feed(body: bytes, *, url: str, encoding: str | None = None) -> ParsedFeed:
    """Parse feed ``body`` fetched from ``url``; raise InputError when it is not a feed at all.

    ``encoding`` is the charset the server declared, if any; otherwise the XML declaration,
    the byte order mark and detection decide. Relative links resolve against ``url``.
    """
    head = _head_text(body)
    start = head.lstrip()
    if not start:
        raise InputError(url, "not a feed: the body is empty")
    if "\x00" in head:
        raise InputError(url, "not XML: binary data")
    if start.startswith(("{", "[")):
        return parse_json_feed(body, url=url)
    if not start.startswith("<"):
        raise InputError(url, f"not XML: starts with {start[:24]!r}")
    start = _PROLOG.sub("", start, count=1)
    if _HTML_START.match(start):
        raise InputError(url, "not a feed: looks like an HTML page")
    root = match.group(1) if (match := _ROOT_NAME.match(start)) else None
    return _parse_xml_feed(body, url=url, encoding=encoding, root=root)


def entry_to_raw_document(entry: FeedEntry, feed: ParsedFeed) -> RawDocument:
    """A feed entry's own content as an HTML raw document, with what the feed knew as hints."""
    key = entry.guid or entry.url
    if key is None:
        digest = hashlib.sha256(f"{entry.title}\n{entry.content_html}".encode(errors="replace"))
        key = f"sha256:{digest.hexdigest()[:16]}"
    origin = f"{feed.url}#{key}"
    if entry.content_html is None:
        raise InputError(origin, "the entry carries no content; fetch its page instead")
    title = html.escape(entry.title or "")
    heading = f"<h1>{title}</h1>\n" if title else ""
    document = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><article>\n{heading}{entry.content_html}\n"
        "</article></body></html>\n"
    )
    published = entry.published.isoformat() if entry.published else None
    facts = [("title", entry.title), ("published", published)]
    facts += [("author", author) for author in entry.authors] + [("site", feed.title)]
    return RawDocument(
        kind=RawKind.HTML,
        origin=origin,
        url=entry.url,
        body=document.encode("utf-8", errors="replace"),
        content_type="text/html; charset=utf-8",
        encoding="utf-8",
        hints=tuple((key, value) for key, value in facts if value),
    )


def _parse_xml_feed(body: bytes, *, url: str, encoding: str | None, root: str | None) -> ParsedFeed:
    # A stream, never bytes or str: feedparser treats a string as a URL or a file name.
    # Content-Location gives relative links their base; an XML content type keeps it
    # from flagging the (absent) HTTP header as a problem.
    content_type = "application/xml" + (f"; charset={encoding}" if encoding else "")
    headers = {"content-location": url, "content-type": content_type}
    try:
        result = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except ValueError as exc:  # its lenient parser chokes on e.g. "&#xD800;"
        raise InputError(url, f"not XML: {type(exc).__name__}: {exc}") from exc
    version = str(field_of(result, "version") or "")
    info = field_of(result, "feed") or {}
    raw_entries = [e for e in field_of(result, "entries") or [] if isinstance(e, dict)]
    problem = field_of(result, "bozo_exception") if field_of(result, "bozo") else None
    bozo_reason = (str(problem) or type(problem).__name__) if problem is not None else None
    title = as_line(field_of(info, "title"))
    if not version:
        if bozo_reason:
            raise InputError(url, f"not XML: {bozo_reason}")
        raise InputError(url, f"not a feed: the root element <{root}> is not RSS, RDF or Atom")
    if bozo_reason and not raw_entries and not title:
        raise InputError(url, f"not XML: {bozo_reason}")
    return ParsedFeed(
        url=url,
        title=title,
        site_url=http_url(field_of(info, "link"), url),
        entries=tuple(_feedparser_entry(e, url) for e in raw_entries),
        bozo_reason=bozo_reason,
    )


def _feedparser_entry(entry: dict[str, Any], base: str) -> FeedEntry:
    # feedparser resolves a permalink guid (the RSS default) and copies it to ``link``.
    guid = as_line(field_of(entry, "id"))
    url = http_url(field_of(entry, "link"), base) or http_url(guid)
    published = as_utc(field_of(entry, "published_parsed")) or as_utc(
        field_of(entry, "updated_parsed")
    )
    people = field_of(entry, "authors") or [{"name": field_of(entry, "author")}]
    names = [field_of(person, "name") or field_of(person, "email") for person in people]
    # feedparser copies content into ``summary`` when there is none: only summary_detail is real.
    detail = field_of(entry, "summary_detail")
    summary = as_text(field_of(detail, "value"), field_of(detail, "type")) if detail else None
    parts = [p for p in field_of(entry, "content") or [] if isinstance(field_of(p, "value"), str)]
    parts.sort(key=lambda part: "html" not in str(field_of(part, "type")))  # markup first
    content = as_html(parts[0]["value"], field_of(parts[0], "type")) if parts else None
    return finish_entry(
        FeedEntry(
            url=url,
            guid=guid,
            title=as_line(field_of(entry, "title")),
            published=published,
            authors=clean_names(names),
            summary=summary,
            content_html=content,
        )
    )


def _head_text(body: bytes) -> str:
    """The first bytes decoded well enough to see what kind of document this is."""
    head = body[:2048]
    codec = next((codec for mark, codec in _MARKS if head.startswith(mark)), "latin-1")
    return head.decode(codec, errors="ignore")
