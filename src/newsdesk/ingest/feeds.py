"""Feed bytes (RSS, RDF, Atom, JSON Feed) into typed entries; feedparser never fetches anything."""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import html
import io
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
from lxml import etree

from newsdesk.errors import InputError
from newsdesk.model import RawDocument, RawKind
from newsdesk.text import clean_line, clean_text

# Text an entry's content needs before newsdesk trusts it as the article instead of the page.
FULL_CONTENT_MIN_CHARS = 600
# ...and how much longer than the summary it must be, so a repeated teaser does not count.
FULL_CONTENT_SUMMARY_RATIO = 1.5

_JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/1(?:\.\d+)?/?\Z")
_PROLOG = re.compile(r"\A(?:\s*(?:<\?.*?\?>|<!--.*?-->))*\s*", re.DOTALL)
_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_ROOT_NAME = re.compile(r"\s*(?:<!doctype[^>]*>\s*)?<([A-Za-z_][\w:.-]*)", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "blockquote", "tr", "pre", "h1", "h2", "h3", "h4"})
# Byte order marks (UTF-32 LE first: it starts like UTF-16 LE), then BOM-less UTF-16 "<".
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"), (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"),
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedEntry:
    """One item of a feed; ``has_full_content`` says whether its page still needs fetching."""

    url: str | None  # absolute http(s) link, or the guid when that is a URL
    guid: str | None
    title: str | None = None
    published: datetime | None = None  # aware UTC; None when the feed gives no date
    authors: tuple[str, ...] = ()
    summary: str | None = None  # plain text
    content_html: str | None = None
    has_full_content: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedFeed:
    """A whole feed as newsdesk uses it; ``bozo_reason`` notes a problem it parsed past."""

    url: str
    title: str | None
    site_url: str | None
    entries: tuple[FeedEntry, ...] = ()
    bozo_reason: str | None = None


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
        return _parse_json_feed(body, url=url)
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
    version = str(_field(result, "version") or "")
    info = _field(result, "feed") or {}
    raw_entries = [e for e in _field(result, "entries") or [] if isinstance(e, dict)]
    problem = _field(result, "bozo_exception") if _field(result, "bozo") else None
    bozo_reason = (str(problem) or type(problem).__name__) if problem is not None else None
    title = _line(_field(info, "title"))
    if not version:
        if bozo_reason:
            raise InputError(url, f"not XML: {bozo_reason}")
        raise InputError(url, f"not a feed: the root element <{root}> is not RSS, RDF or Atom")
    if bozo_reason and not raw_entries and not title:
        raise InputError(url, f"not XML: {bozo_reason}")
    return ParsedFeed(
        url=url,
        title=title,
        site_url=_http_url(_field(info, "link"), url),
        entries=tuple(_feedparser_entry(e, url) for e in raw_entries),
        bozo_reason=bozo_reason,
    )


def _feedparser_entry(entry: dict[str, Any], base: str) -> FeedEntry:
    # feedparser resolves a permalink guid (the RSS default) and copies it to ``link``.
    guid = _line(_field(entry, "id"))
    url = _http_url(_field(entry, "link"), base) or _http_url(guid)
    published = _utc(_field(entry, "published_parsed")) or _utc(_field(entry, "updated_parsed"))
    people = _field(entry, "authors") or [{"name": _field(entry, "author")}]
    names = [_field(person, "name") or _field(person, "email") for person in people]
    # feedparser copies content into ``summary`` when there is none: only summary_detail is real.
    detail = _field(entry, "summary_detail")
    summary = _as_text(_field(detail, "value"), _field(detail, "type")) if detail else None
    parts = [p for p in _field(entry, "content") or [] if isinstance(_field(p, "value"), str)]
    parts.sort(key=lambda part: "html" not in str(_field(part, "type")))  # markup first
    content = _as_html(parts[0]["value"], _field(parts[0], "type")) if parts else None
    return _finish(
        FeedEntry(
            url=url,
            guid=guid,
            title=_line(_field(entry, "title")),
            published=published,
            authors=_names(names),
            summary=summary,
            content_html=content,
        )
    )


def _parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    try:
        data = json.loads(body.removeprefix(codecs.BOM_UTF8))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        raise InputError(url, f"not JSON: {exc}") from exc
    version = _field(data, "version")
    if not isinstance(version, str) or not _JSON_FEED_VERSION.match(version.strip()):
        raise InputError(url, "not a feed: JSON without a JSON Feed 1.x version")
    items = _field(data, "items")
    if not isinstance(items, list):
        raise InputError(url, "not a feed: JSON Feed without an items list")
    return ParsedFeed(
        url=url,
        title=_line(_field(data, "title")),
        site_url=_http_url(_field(data, "home_page_url"), url),
        entries=tuple(_json_entry(item, url) for item in items if isinstance(item, dict)),
    )


def _json_entry(item: dict[str, Any], base: str) -> FeedEntry:
    guid = _line(str(raw_id)) if isinstance(raw_id := _field(item, "id"), str | int) else None
    url = (
        _http_url(_field(item, "url"), base)
        or _http_url(guid)
        or _http_url(_field(item, "external_url"), base)
    )
    published = _utc(_field(item, "date_published")) or _utc(_field(item, "date_modified"))
    people = _field(item, "authors")
    if not isinstance(people, list):  # JSON Feed 1.0 had a single ``author``
        people = [_field(item, "author")]
    content = _field(item, "content_html")
    content_html = _absolute_links(content, url or base) if isinstance(content, str) else None
    if content_html is None:
        content_html = _as_html(_field(item, "content_text"), "text/plain")
    return _finish(
        FeedEntry(
            url=url,
            guid=guid,
            title=_line(_field(item, "title")),
            published=published,
            authors=_names([_field(person, "name") for person in people]),
            summary=_as_text(_field(item, "summary"), "text/plain"),
            content_html=content_html,
        )
    )


def _finish(entry: FeedEntry) -> FeedEntry:
    """``entry`` with ``has_full_content`` decided from its content and summary."""
    text, summary = _as_text(entry.content_html, "text/html") or "", entry.summary
    full = len(text) >= FULL_CONTENT_MIN_CHARS and (
        not summary
        or summary == text  # the feed repeats the whole body as its summary
        or len(text) >= FULL_CONTENT_SUMMARY_RATIO * len(summary)
    )
    return dataclasses.replace(entry, has_full_content=full)


def _names(values: list[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in map(_line, values) if name))


def _field(container: Any, key: str) -> Any:
    """``container[key]`` for a plain or feedparser dict, else None; skips FeedParserDict's
    aliases, whose ``updated`` → ``published`` fallback raises a DeprecationWarning."""
    return dict.get(container, key) if isinstance(container, dict) else None


def _line(value: Any) -> str | None:
    return (clean_line(value) or None) if isinstance(value, str) else None


def _http_url(value: Any, base: str | None = None) -> str | None:
    """``value`` as an absolute http(s) URL (resolved against ``base``), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    url = urljoin(base, value.strip()) if base else value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _utc(value: Any) -> datetime | None:
    """feedparser's (UTC) struct_time or a JSON Feed's RFC 3339 string (no offset: UTC)."""
    try:
        if isinstance(value, time.struct_time):
            return datetime(*value[:6], tzinfo=UTC)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.strip())
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        pass
    return None


def _as_html(value: Any, kind: Any) -> str | None:
    """Entry content as HTML: markup kept as is, plain text escaped into paragraphs."""
    if not isinstance(value, str) or not value.strip():
        return None
    if isinstance(kind, str) and kind.startswith("text/plain"):
        paragraphs = re.split(r"\n\s*\n", value.strip())
        return "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs if p.strip())
    return value.strip()


def _absolute_links(markup: str, base: str) -> str | None:
    """``markup`` with relative links and image sources resolved, as feedparser does for XML."""
    if (root := _fragment(markup)) is None:
        return markup.strip() or None
    root.make_links_absolute(base, resolve_base_href=False, handle_failures="ignore")
    inner = [html.escape(root.text or "", quote=False)]
    inner.extend(etree.tostring(child, encoding="unicode", method="html") for child in root)
    return "".join(inner).strip()


def _as_text(value: Any, kind: Any) -> str | None:
    """Readable text of a summary or content, markup dropped and paragraphs kept."""
    if not isinstance(value, str):
        return None
    if isinstance(kind, str) and kind.startswith("text/plain"):
        return clean_text(value) or None
    if (root := _fragment(clean_text(value))) is None:
        return clean_text(value) or None
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return clean_text(root.text_content()) or None


def _head_text(body: bytes) -> str:
    """The first bytes decoded well enough to see what kind of document this is."""
    head = body[:2048]
    codec = next((codec for mark, codec in _MARKS if head.startswith(mark)), "latin-1")
    return head.decode(codec, errors="ignore")


def _fragment(markup: str) -> lxml.html.HtmlElement | None:
    """``markup`` parsed as the children of one ``<div>``; None when lxml cannot read it."""
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):  # empty, or characters XML cannot hold
        return None
