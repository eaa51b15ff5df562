"""Feed entry types and value cleaning, shared by the RSS/Atom and the JSON Feed parsers."""

from __future__ import annotations

import dataclasses
import html
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from newsdesk.text import clean_line, clean_text

__all__ = [
    "FULL_CONTENT_MIN_CHARS",
    "FULL_CONTENT_SUMMARY_RATIO",
    "FeedEntry",
    "ParsedFeed",
    "as_html",
    "as_line",
    "as_text",
    "as_utc",
    "clean_names",
    "field_of",
    "finish_entry",
    "html_fragment",
    "http_url",
]

# Text an entry's content needs before newsdesk trusts it as the article instead of the page.
FULL_CONTENT_MIN_CHARS = 600
# ...and how much longer than the summary it must be, so a repeated teaser does not count.
FULL_CONTENT_SUMMARY_RATIO = 1.5
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "blockquote", "tr", "pre", "h1", "h2", "h3", "h4"})


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


def finish_entry(entry: FeedEntry) -> FeedEntry:
    """``entry`` with ``has_full_content`` decided from its content and summary."""
    text, summary = as_text(entry.content_html, "text/html") or "", entry.summary
    full = len(text) >= FULL_CONTENT_MIN_CHARS and (
        not summary
        or summary == text  # the feed repeats the whole body as its summary
        or len(text) >= FULL_CONTENT_SUMMARY_RATIO * len(summary)
    )
    return dataclasses.replace(entry, has_full_content=full)


def clean_names(values: list[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in map(as_line, values) if name))


def field_of(container: Any, key: str) -> Any:
    """``container[key]`` for a plain or feedparser dict, else None; skips FeedParserDict's
    aliases, whose ``updated`` → ``published`` fallback raises a DeprecationWarning."""
    return dict.get(container, key) if isinstance(container, dict) else None


def as_line(value: Any) -> str | None:
    return (clean_line(value) or None) if isinstance(value, str) else None


def http_url(value: Any, base: str | None = None) -> str | None:
    """``value`` as an absolute http(s) URL (resolved against ``base``), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    url = urljoin(base, value.strip()) if base else value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def as_utc(value: Any) -> datetime | None:
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


def as_html(value: Any, kind: Any) -> str | None:
    """Entry content as HTML: markup kept as is, plain text escaped into paragraphs."""
    if not isinstance(value, str) or not value.strip():
        return None
    if isinstance(kind, str) and kind.startswith("text/plain"):
        paragraphs = re.split(r"\n\s*\n", value.strip())
        return "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs if p.strip())
    return value.strip()


def as_text(value: Any, kind: Any) -> str | None:
    """Readable text of a summary or content, markup dropped and paragraphs kept."""
    if not isinstance(value, str):
        return None
    if isinstance(kind, str) and kind.startswith("text/plain"):
        return clean_text(value) or None
    if (root := html_fragment(clean_text(value))) is None:
        return clean_text(value) or None
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return clean_text(root.text_content()) or None


def html_fragment(markup: str) -> lxml.html.HtmlElement | None:
    """``markup`` parsed as the children of one ``<div>``; None when lxml cannot read it."""
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):  # empty, or characters XML cannot hold
        return None
