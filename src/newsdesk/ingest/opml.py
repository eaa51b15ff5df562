"""OPML subscription lists in and out, read by a parser that fetches and expands nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from lxml import etree

from newsdesk.errors import InputError
from newsdesk.model import Feed
from newsdesk.text import clean_line
from newsdesk.urls import canonical_url

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FEED_TYPES = frozenset({"rss", "atom"})


@dataclass(frozen=True, slots=True, kw_only=True)
class OpmlFeed:
    """One subscription: the feed's address and what the list says about it."""

    xml_url: str
    title: str | None = None
    html_url: str | None = None
    category: str | None = None  # text of the enclosing outline, e.g. "Local"


@dataclass(frozen=True, slots=True, kw_only=True)
class OpmlResult:
    """The usable subscriptions of a list, and one error per outline that could not be used."""

    feeds: tuple[OpmlFeed, ...] = ()
    errors: tuple[InputError, ...] = ()


def parse_opml(body: bytes, *, origin: str) -> OpmlResult:
    """The feeds an OPML document lists; broken outlines are reported and the rest kept.

    Raises InputError when ``body`` is not an OPML document at all.
    """
    if not body.strip():
        raise InputError(origin, "not OPML: the body is empty")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(origin, f"not XML: {exc}") from exc
    if _local_name(root) != "opml":
        raise InputError(origin, f"not OPML: the root element is <{_local_name(root)}>")
    body_element = next((child for child in root if _local_name(child) == "body"), None)
    if body_element is None:
        raise InputError(origin, "not OPML: no <body> element")

    feeds: list[OpmlFeed] = []
    errors: list[InputError] = []
    seen: dict[str, str] = {}  # canonical URL -> where it was first listed
    for outline, category in _feed_outlines(body_element, None):
        attrs = _attributes(outline)
        where = f"{origin}:{outline.sourceline}" if outline.sourceline else origin
        label = attrs.get("text") or attrs.get("title") or "(untitled)"
        xml_url = attrs.get("xmlurl", "")
        if not xml_url:
            errors.append(InputError(where, f"outline {label!r} has type rss but no xmlUrl"))
            continue
        if not _is_http(xml_url):
            errors.append(
                InputError(where, f"outline {label!r}: {xml_url!r} is not an http(s) URL")
            )
            continue
        key = canonical_url(xml_url)
        if key in seen:
            errors.append(
                InputError(where, f"outline {label!r}: duplicate of the feed at {seen[key]}")
            )
            continue
        seen[key] = where
        title = clean_line(attrs.get("title") or attrs.get("text") or "") or None
        html_url = attrs.get("htmlurl", "")
        feeds.append(
            OpmlFeed(
                xml_url=xml_url,
                title=None if title == xml_url else title,
                html_url=html_url if _is_http(html_url) else None,
                category=category,
            )
        )
    return OpmlResult(feeds=tuple(feeds), errors=tuple(errors))


def export_opml(feeds: Sequence[Feed], *, title: str = "newsdesk feeds") -> str:
    """An OPML 2.0 document listing ``feeds``, which :func:`parse_opml` reads back."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = clean_line(_xml_safe(title))
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = etree.SubElement(root, "body")
    for feed in feeds:
        url = _xml_safe(feed.url.strip())
        name = clean_line(_xml_safe(feed.title or ""))
        attrs = {"type": "rss", "text": name or url}
        if name:
            attrs["title"] = name
        attrs["xmlUrl"] = url
        if feed.site_url:
            attrs["htmlUrl"] = _xml_safe(feed.site_url.strip())
        etree.SubElement(body, "outline", attrs)
    text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _feed_outlines(
    parent: etree._Element, category: str | None
) -> Iterator[tuple[etree._Element, str | None]]:
    """Each outline that stands for a feed, with the text of the outline that holds it."""
    for child in parent:
        if _local_name(child) != "outline":
            continue
        attrs = _attributes(child)
        if "xmlurl" in attrs or attrs.get("type", "").lower() in _FEED_TYPES:
            yield child, category
        elif len(child):
            text = clean_line(attrs.get("text") or attrs.get("title") or "") or None
            yield from _feed_outlines(child, text or category)


def _attributes(element: etree._Element) -> dict[str, str]:
    """Attributes by lower-cased local name: exporters disagree on ``xmlUrl`` vs ``xmlurl``."""
    return {
        etree.QName(key).localname.lower(): (
            value if isinstance(value, str) else value.decode()
        ).strip()
        for key, value in element.attrib.items()
    }


def _local_name(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _is_http(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
