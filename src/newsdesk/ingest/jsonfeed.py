"""JSON Feed 1.x: its items read into the same entries as RSS and Atom, links made absolute."""

from __future__ import annotations

import codecs
import html
import json
import re
from typing import Any

from lxml import etree

from newsdesk.errors import InputError
from newsdesk.ingest.entries import (
    FeedEntry,
    ParsedFeed,
    as_html,
    as_line,
    as_text,
    as_utc,
    clean_names,
    field_of,
    finish_entry,
    html_fragment,
    http_url,
)

__all__ = ["parse_json_feed"]

_JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/1(?:\.\d+)?/?\Z")


def parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    """A JSON Feed 1.x document; InputError when the JSON is bad or is not a JSON Feed."""
    try:
        data = json.loads(body.removeprefix(codecs.BOM_UTF8))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        raise InputError(url, f"not JSON: {exc}") from exc
    version = field_of(data, "version")
    if not isinstance(version, str) or not _JSON_FEED_VERSION.match(version.strip()):
        raise InputError(url, "not a feed: JSON without a JSON Feed 1.x version")
    items = field_of(data, "items")
    if not isinstance(items, list):
        raise InputError(url, "not a feed: JSON Feed without an items list")
    return ParsedFeed(
        url=url,
        title=as_line(field_of(data, "title")),
        site_url=http_url(field_of(data, "home_page_url"), url),
        entries=tuple(_json_entry(item, url) for item in items if isinstance(item, dict)),
    )


def _json_entry(item: dict[str, Any], base: str) -> FeedEntry:
    guid = as_line(str(raw_id)) if isinstance(raw_id := field_of(item, "id"), str | int) else None
    url = (
        http_url(field_of(item, "url"), base)
        or http_url(guid)
        or http_url(field_of(item, "external_url"), base)
    )
    published = as_utc(field_of(item, "date_published")) or as_utc(field_of(item, "date_modified"))
    people = field_of(item, "authors")
    if not isinstance(people, list):  # JSON Feed 1.0 had a single ``author``
        people = [field_of(item, "author")]
    content = field_of(item, "content_html")
    content_html = _absolute_links(content, url or base) if isinstance(content, str) else None
    if content_html is None:
        content_html = as_html(field_of(item, "content_text"), "text/plain")
    return finish_entry(
        FeedEntry(
            url=url,
            guid=guid,
            title=as_line(field_of(item, "title")),
            published=published,
            authors=clean_names([field_of(person, "name") for person in people]),
            summary=as_text(field_of(item, "summary"), "text/plain"),
            content_html=content_html,
        )
    )


def _absolute_links(markup: str, base: str) -> str | None:
    """``markup`` with relative links and image sources resolved, as feedparser does for XML."""
    if (root := html_fragment(markup)) is None:
        return markup.strip() or None
    root.make_links_absolute(base, resolve_base_href=False, handle_failures="ignore")
    inner = [html.escape(root.text or "", quote=False)]
    inner.extend(etree.tostring(child, encoding="unicode", method="html") for child in root)
    return "".join(inner).strip()
