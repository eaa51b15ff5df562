"""Media types: which ones newsdesk takes as HTML or a feed, and reading a Content-Type header."""

from __future__ import annotations

__all__ = [
    "ACCEPT_HEADERS",
    "FEED_TYPES",
    "HTML_TYPES",
    "accepts",
    "parse_content_type",
    "sniffs_as",
]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml", "application/atom+xml", "application/rdf+xml",
        "application/x-rss+xml", "application/x-atom+xml", "application/feed+json",
        "application/xml", "text/xml", "application/json",
    }
)  # fmt: skip
ACCEPT_HEADERS: dict[str, str] = {
    "html": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/feed+json,"
    "application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,*/*;q=0.1",
    "any": "*/*",
}


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``(media type, charset)`` of a Content-Type header, both lower case."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def accepts(accept: str, media: str) -> bool:
    """Is ``media`` a type of what was asked for ("html", "feed" or "any")?"""
    if accept == "html":
        return media in HTML_TYPES
    if accept == "feed":
        return media in FEED_TYPES or media.endswith(("+xml", "+json"))
    return True


def sniffs_as(accept: str, body: bytes) -> bool:
    """Does a body sent without a Content-Type look like what was asked for?"""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if accept == "html":
        return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
            head.startswith(b"<!--") and b"<html" in head
        )
    if accept == "feed":
        return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:rdf", b"{"))
    return True
