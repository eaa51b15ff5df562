"""Plain-text scrapes: the repeated title collapsed, the trailing recirculation block split off."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsdesk.model import DateSource, Published, RelatedLink
from newsdesk.stages.extract.dates import date_from_text
from newsdesk.stages.extract.metadata import split_authors
from newsdesk.stages.extract.related import is_recirculation_heading
from newsdesk.text import clean_line, clean_text


@dataclass(frozen=True, slots=True)
class ScrapedText:
    """What a plain-text scrape holds once its layout is undone."""

    title: str | None
    text: str
    related_links: tuple[RelatedLink, ...]
    published: Published = field(default_factory=Published)
    authors: tuple[str, ...] = ()


def _is_teaser(line: str) -> bool:
    """Teasers read as sentence fragments; headlines are short and capitalised."""
    words = line.split()
    if line.endswith(("…", "...", ".", "?", "!")) or len(words) > 16:
        return True
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised / max(len(words), 1) < 0.5


def parse_scrape(raw: str) -> ScrapedText:
    """Split a scrape into title, body and related links.

    The scrape's first line is its title; scrapers often write it twice. A line naming a
    recirculation block ("You May Also Like") after the body starts the related links:
    headline lines, each optionally followed by its teaser line.
    """
    lines = [clean_line(line) for line in clean_text(raw).split("\n")]
    content = [line for line in lines if line]
    if not content:
        return ScrapedText(title=None, text="", related_links=())
    title: str | None = content[0]
    start = 1
    while start < len(content) and content[start].casefold() == content[0].casefold():
        start += 1
    body_lines = content[start:]
    published = Published()
    authors: tuple[str, ...] = ()
    # A scrape may keep the page's dateline and byline as short lines under the title.
    while body_lines and len(body_lines[0]) <= 80:
        line = body_lines[0]
        found = date_from_text(line)
        is_dateline = len(line.split()) <= 8 and not line.endswith(".")
        if found and is_dateline and published.value is None:
            published = Published(
                value=found[0], source=DateSource.TEXT, confidence=0.6, date_only=found[1]
            )
        elif line.lower().startswith("by ") and not authors and (names := split_authors(line)):
            authors = tuple(names)
        else:
            break
        body_lines = body_lines[1:]
    related: list[RelatedLink] = []
    for index, line in enumerate(body_lines):
        if index > 0 and is_recirculation_heading(line):
            heading = line.rstrip(":")
            related = _pair_links(body_lines[index + 1 :], heading)
            body_lines = body_lines[:index]
            break
    text = "\n".join(body_lines)
    if len(content[0].split()) > 25 and not body_lines:  # no title line, only prose
        title, text = None, "\n".join(content)
    return ScrapedText(
        title=title,
        text=text,
        related_links=tuple(related),
        published=published,
        authors=authors,
    )


def _pair_links(lines: list[str], heading: str) -> list[RelatedLink]:
    links: list[RelatedLink] = []
    for line in lines:
        if links and links[-1].teaser is None and _is_teaser(line):
            last = links[-1]
            links[-1] = RelatedLink(title=last.title, teaser=line, block=heading)
        else:
            links.append(RelatedLink(title=line, block=heading))
    return links
