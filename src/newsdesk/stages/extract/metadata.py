"""Page metadata from JSON-LD, OpenGraph and meta tags: title, authors, date, site, canonical."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml.etree import XPath
from lxml.html import HtmlElement

from newsdesk.model import DateSource, Published
from newsdesk.stages.extract.dates import date_from_text, date_from_url, parse_iso
from newsdesk.stages.extract.related import elements
from newsdesk.text import clean_line

_ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
     "OpinionNewsArticle", "LiveBlogPosting", "ReviewNewsArticle", "BackgroundNewsArticle",
     "ScholarlyArticle", "TechArticle", "Report", "WebPage"}
)  # fmt: skip
_DATE_METAS = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "date", "pubdate", "publishdate", "publish-date", "published_time",
    "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date", "sailthru.date",
    "parsely-pub-date", "article.published", "cxenseparse:recs:publishtime", "publication_date",
    "published", "date.published", "article_date_original", "original-publish-date",
)  # fmt: skip
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—•·:]\s+")
# Words that make a byline fragment a job, a desk or a place rather than a person.
_ROLE_WORDS = frozenset(
    [
        "correspondent",
        "editor",
        "reporter",
        "writer",
        "staff",
        "bureau",
        "chief",
        "senior",
        "contributor",
        "contributing",
        "columnist",
        "analyst",
        "producer",
        "desk",
        "news",
        "agency",
        "team",
        "newsroom",
        "service",
        "wire",
        "international",
        "diplomatic",
        "political",
        "economics",
        "foreign",
        "defence",
        "defense",
        "affairs",
        "associate",
        "deputy",
        "managing",
        "special",
        "photographer",
        "photos",
        "video",
        "in",
        "at",
        "for",
        "from",
        "updated",
        "published",
    ]
)
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:by|words by|written by|reporting by|von|par)\s*[:\-]?\s+", re.I
)
# "Name in Istanbul", "Name at the United Nations": the place is not part of the name.
_DATELINE = re.compile(r"\s+(?:in|at|from)\s+(?:the\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}$")
_CLASS_BYLINE = (
    "//*[contains(@class, 'byline') or contains(@data-testid, 'byline')"
    " or contains(@class, 'author') or @itemprop='author']"
)
# Names in comment threads, footers and sidebars are not the article's authors.
_NOT_BYLINE = (
    "ancestor-or-self::*[contains(@class, 'comment') or contains(@id, 'comment')"
    " or self::footer or self::aside or self::nav]"
)


# Elements that carry a visible publication date: dated bylines, datelines, "posted" stamps.
# Classes that merely contain "date" inside "update" are left out.
_DATE_PLACES = XPath(
    "//*[self::time or contains(@class,'byline') or contains(@class,'dateline')"
    " or contains(@class,'publish') or contains(@class,'posted') or contains(@class,'author')"
    " or contains(@class,'meta') or contains(@class,'time')"
    " or (contains(@class,'date') and not(contains(@class,'update')))]"
    "[string-length(normalize-space()) < 200]"
)


@dataclass(slots=True)
class PageMetadata:
    """Everything newsdesk reads off a page besides its body."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: Published = field(default_factory=Published)
    site: str | None = None
    canonical_url: str | None = None


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "null")
        except json.JSONDecodeError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                if "@graph" in item and isinstance(item["@graph"], list):
                    stack.extend(item["@graph"])
                yield item
            elif isinstance(item, list):
                stack.extend(item)


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", [])
    return {value} if isinstance(value, str) else {v for v in value if isinstance(v, str)}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _metas(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and key.lower() not in found:
            found[key.lower()] = content.strip()
    return found


_NAME_PARTICLES = frozenset({"de", "van", "von", "der", "al", "bin", "da", "di", "le", "la"})


def _is_role(word: str) -> bool:
    return word.lower().strip(".,") in _ROLE_WORDS


def split_authors(raw: str) -> list[str]:
    """Person names out of a byline: "By A, Senior Correspondent and B" gives ["A", "B"]."""
    raw = _BYLINE_PREFIX.sub("", clean_line(raw))
    raw = re.sub(r"\s*\|.*$", "", raw)  # "Name | Outlet"
    names = []
    for part in re.split(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|/)\s*", raw):
        part = re.sub(r"\s*\(.*?\)\s*", " ", part).strip(" .:-–—")
        part = _DATELINE.sub("", part)
        words = part.split()
        had = len(words)
        # Job titles and desks sit before or after a name: "Senior Correspondent", "Reporter".
        while words and _is_role(words[-1]):
            words.pop()
        while words and _is_role(words[0]):
            words.pop(0)
        if len(words) == 1 and had > 1:
            continue  # what is left of "Brussels Correspondent" is a place, not a person
        if not 1 <= len(words) <= 5 or words[0].startswith(("http", "@")):
            continue
        if any(_is_role(w) for w in words):
            continue
        if not all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words):
            continue
        names.append(" ".join(words))
    return names


def _dedupe(names: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


def strip_site_suffix(title: str, site: str | None) -> str:
    """``"Headline | Site"`` → ``"Headline"``; keeps dashes and colons that belong to a headline.

    The tail after the last separator goes when it names the site, or when the separator is
    one that headlines do not use (``|``, ``•``, ``·``) and the tail is short.
    """
    matches = list(_TITLE_SEPARATORS.finditer(title))
    if not matches:
        return title
    last = matches[-1]
    head, tail = title[: last.start()].strip(), title[last.end() :].strip()
    if not head:
        return title
    tail_key = tail.casefold().removeprefix("the ")
    site_key = (site or "").casefold().removeprefix("the ")
    if site_key and (tail_key in site_key or site_key in tail_key):
        return head
    if last.group().strip() in "|•·" and len(tail.split()) <= 4:
        return head
    return title


def read_metadata(tree: HtmlElement, *, url: str | None) -> PageMetadata:
    """Metadata of the page in ``tree``, strongest source first for each field."""
    meta = _metas(tree)
    found = PageMetadata()
    ld_title = ld_date = ld_site = ld_url = None
    ld_authors: list[str] = []
    for obj in _json_ld_objects(tree):
        types = _types(obj)
        if types & _ARTICLE_TYPES:
            ld_title = ld_title or obj.get("headline") or obj.get("name")
            ld_date = ld_date or obj.get("datePublished") or obj.get("dateCreated")
            ld_authors = ld_authors or _names(obj.get("author"))
            ld_site = ld_site or next(iter(_names(obj.get("publisher"))), None)
            page = obj.get("mainEntityOfPage")
            ld_url = (
                ld_url or obj.get("url") or (page.get("@id") if isinstance(page, dict) else page)
            )
        elif types & {"WebSite", "Organization", "NewsMediaOrganization"} and not ld_site:
            ld_site = obj.get("name") if isinstance(obj.get("name"), str) else None

    site = meta.get("og:site_name") or ld_site or meta.get("application-name")
    found.site = clean_line(site) if site else None

    title = ld_title if isinstance(ld_title, str) else None
    title = title or meta.get("og:title") or meta.get("twitter:title")
    if not title:
        h1 = tree.find(".//h1")
        title = h1.text_content() if h1 is not None else None
    if not title:
        tag = tree.find(".//title")
        title = tag.text_content() if tag is not None else None
    if title:
        found.title = strip_site_suffix(clean_line(title), found.site) or None

    canonical = None
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href")
            break
    found.canonical_url = _canonical(canonical, meta.get("og:url"), ld_url, url)

    authors = _authors(tree, meta, ld_authors)
    found.authors = _dedupe([clean_line(a) for a in authors if a.strip()])
    found.published = _published(tree, meta, ld_date, [u for u in (url, found.canonical_url) if u])
    return found


def _canonical(link: str | None, og_url: str | None, ld_url: Any, url: str | None) -> str | None:
    """The page's own address: ``rel=canonical``, else og:url, else JSON-LD, made absolute.

    A relative canonical link is resolved against an absolute og:url or JSON-LD URL first,
    then against the fetched URL when that is on the web (a local file's path is no base).
    """
    candidates = [c.strip() for c in (link, og_url, ld_url) if isinstance(c, str) and c.strip()]
    if not candidates:
        return None
    bases = [c for c in candidates if c.startswith(("http://", "https://"))]
    if url and url.startswith(("http://", "https://")):
        bases.append(url)
    first = candidates[0]
    if first.startswith(("http://", "https://")):
        return first
    return urljoin(bases[0], first) if bases else None


def _authors(tree: HtmlElement, meta: dict[str, str], ld_authors: list[str]) -> list[str]:
    """Authors from the strongest source that names any: JSON-LD, microdata, meta, byline."""
    if ld_authors:
        return [name for raw in ld_authors for name in (split_authors(raw) or [raw])]
    outside = f"not({_NOT_BYLINE})"
    names = [
        node.text_content()
        for node in tree.xpath(f"//*[@itemprop='author'][{outside}]//*[@itemprop='name']")
    ]
    if names:
        return names
    for key in ("author", "article:author", "parsely-author", "dc.creator"):
        value = meta.get(key, "")
        if value and not value.startswith("http") and (found := split_authors(value)):
            return found
    links = [a.text_content() for a in tree.xpath(f"//a[@rel='author'][{outside}]")]
    if links:
        return [name for raw in links for name in split_authors(raw)]
    for node in tree.xpath(f"{_CLASS_BYLINE}[{outside}]")[:4]:
        if found := split_authors(node.text_content()):
            return found
    return []


def _published(tree: HtmlElement, meta: dict[str, str], ld_date: Any, urls: list[str]) -> Published:
    if isinstance(ld_date, str) and (parsed := parse_iso(ld_date)):
        return Published(
            value=parsed[0], source=DateSource.JSON_LD, confidence=0.95, date_only=parsed[1]
        )
    for key in _DATE_METAS:
        if key in meta and (parsed := parse_iso(meta[key]) or date_from_text(meta[key])):
            return Published(
                value=parsed[0], source=DateSource.META, confidence=0.9, date_only=parsed[1]
            )
    for node in tree.iterfind(".//time[@datetime]"):
        if parsed := parse_iso(node.get("datetime") or ""):
            return Published(
                value=parsed[0], source=DateSource.META, confidence=0.8, date_only=parsed[1]
            )
    for url in urls:
        if day := date_from_url(url):
            return Published(value=day, source=DateSource.URL, confidence=0.7, date_only=True)
    for node in elements(_DATE_PLACES, tree)[:40]:
        text = node.text_content()
        if len(text) < 200 and (parsed := date_from_text(text)):
            return Published(
                value=parsed[0], source=DateSource.TEXT, confidence=0.6, date_only=parsed[1]
            )
    return Published()
