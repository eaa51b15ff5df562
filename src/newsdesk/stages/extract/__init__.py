"""The extract stage: raw HTML, plain-text scrapes and JSON records become clean articles."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from newsdesk.errors import InputError
from newsdesk.model import Article, DateSource, Published, RawKind
from newsdesk.stages.extract.dates import parse_iso
from newsdesk.stages.extract.metadata import split_authors, strip_site_suffix
from newsdesk.stages.extract.page import extract_page
from newsdesk.stages.extract.plaintext import parse_scrape
from newsdesk.stages.extract.record import read_record, record_authors
from newsdesk.text import clean_line, clean_text
from newsdesk.urls import canonical_url, domain_of

__all__ = ["ExtractStage"]


class ExtractStage:
    """Fill title, text, authors, published, site, canonical URL and related links."""

    name: ClassVar[str] = "extract"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset({"raw", "raw_kind", "url", "hints"})
    provides: ClassVar[frozenset[str]] = frozenset(
        {"title", "text", "authors", "published", "site", "domain", "canonical_url",
         "related_links"}
    )  # fmt: skip

    def __init__(self, *, favor_precision: bool = True, min_text_chars: int = 25) -> None:
        self.favor_precision = favor_precision
        self.min_text_chars = min_text_chars

    def __call__(self, article: Article) -> Article:
        """Extract ``article.raw`` according to its kind; InputError when nothing is there."""
        if article.raw_kind is RawKind.TEXT:
            extracted = self._scrape(article)
        elif article.raw_kind is RawKind.RECORD:
            extracted = self._record(article)
        else:
            extracted = self._html(article)
        extracted = _apply_hints(extracted)
        if len(extracted.text) < self.min_text_chars:
            raise InputError(article.source or article.url, "no article text found")
        canonical = canonical_url(extracted.canonical_url or extracted.url)
        return dataclasses.replace(
            extracted,
            canonical_url=canonical,
            domain=extracted.domain or domain_of(canonical),
        )

    def _html(self, article: Article) -> Article:
        page = extract_page(
            article.raw, url=article.url or None, favor_precision=self.favor_precision
        )
        if page is None:
            raise InputError(article.source or article.url, "not HTML: no document in the markup")
        meta = page.metadata
        return dataclasses.replace(
            article,
            title=meta.title,
            text=page.text,
            authors=meta.authors,
            published=meta.published,
            site=meta.site,
            canonical_url=meta.canonical_url or "",
            related_links=page.related_links,
        )

    def _scrape(self, article: Article) -> Article:
        scrape = parse_scrape(article.raw)
        return dataclasses.replace(
            article,
            title=scrape.title,
            text=scrape.text,
            related_links=scrape.related_links,
            published=scrape.published,
            authors=scrape.authors,
        )

    def _record(self, article: Article) -> Article:
        record = read_record(article.raw, item=article.source or article.url)
        title = record.get("title")
        site = record.get("site") or record.get("source")
        published = Published()
        if isinstance(record.get("published"), str) and (parsed := parse_iso(record["published"])):
            published = Published(
                value=parsed[0], source=DateSource.RECORD, confidence=0.9, date_only=parsed[1]
            )
        return dataclasses.replace(
            article,
            title=clean_line(title) if isinstance(title, str) else None,
            text=clean_text(record["text"]),
            authors=tuple(clean_line(a) for a in record_authors(record)),
            published=published,
            site=clean_line(site) if isinstance(site, str) else None,
            canonical_url=record["url"] if isinstance(record.get("url"), str) else "",
        )


def _apply_hints(article: Article) -> Article:
    """Fill what the page lacked from what its container (feed item, record) said."""
    hints = dict(article.hints)
    changes: dict[str, object] = {}
    if not article.title and hints.get("title"):
        changes["title"] = strip_site_suffix(clean_line(hints["title"]), article.site)
    if not article.site and hints.get("site"):
        changes["site"] = clean_line(hints["site"])
    if not article.authors and hints.get("author"):
        changes["authors"] = tuple(split_authors(hints["author"]))
    if article.published.value is None and hints.get("published"):
        parsed = parse_iso(hints["published"])
        if parsed:
            source = {"feed": DateSource.FEED, "user": DateSource.USER}.get(
                hints.get("container", ""), DateSource.RECORD
            )
            changes["published"] = Published(
                value=parsed[0], source=source, confidence=0.85, date_only=parsed[1]
            )
    if not article.canonical_url and hints.get("url"):
        changes["canonical_url"] = hints["url"]
    return dataclasses.replace(article, **changes) if changes else article  # type: ignore[arg-type]
