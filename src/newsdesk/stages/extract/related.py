"""Recirculation blocks ("You May Also Like", "Read more: ...") split off a page as related links.

Sites put these blocks inside the article container with neutral class names, where an
extractor keeps them as body text. They are found by what they say and how they are built,
not by class names: a heading that names a recirculation block followed by link items, an
in-body "Read more:" line, or a list of headline-length links with little other text.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from lxml.etree import XPath
from lxml.html import HtmlElement

from newsdesk.model import RelatedLink
from newsdesk.text import clean_line

_HEADINGS = (
    "you may also like", "you might also like", "you may like", "you might like",
    "related", "related articles", "related stories", "related news", "related content",
    "related coverage", "related links", "related reading", "related topics",
    "read more", "read also", "also read", "read next", "what to read next", "further reading",
    "more on this story", "more on this topic", "more from", "more stories", "more news",
    "more to read", "more in", "recommended", "recommended for you", "recommended stories",
    "recommended reading", "most popular", "most read", "most viewed", "popular now",
    "popular", "trending", "trending now", "don't miss", "do not miss", "see also", "top stories",
    "latest news", "latest stories", "editor's picks", "editors' picks", "around the web",
    "from our partners", "sponsored stories", "also on", "in other news", "elsewhere",
    "keep reading", "continue reading", "you may have missed", "we recommend",
)  # fmt: skip
# Headings that go on with a name: "More from The Ledger", "Also on Meridian Wire".
_HEADING_PREFIXES = ("more from", "more in", "more on", "also on", "latest from", "more about",
                     "related to", "stories from")  # fmt: skip
_HEADING_RE = re.compile(
    r"^(?:(?:"
    + "|".join(re.escape(h) for h in _HEADINGS)
    + r")"
    + r"|(?:"
    + "|".join(re.escape(h) for h in _HEADING_PREFIXES)
    + r")\b.{1,40})[.!]?$",
    re.IGNORECASE,
)
# The first words of a heading text node: a quick filter before the exact test.
HEADING_START = re.compile(
    r"^(?:" + "|".join(re.escape(h) for h in (*_HEADINGS, *_HEADING_PREFIXES)) + r")\b",
    re.IGNORECASE,
)
INLINE_PREFIX = re.compile(
    r"^\s*(?:read more|read also|also read|related|see also|more|watch|listen|recommended"
    r"|read next|further reading|don't miss)\s*[:>»|–—-]\s*",
    re.IGNORECASE,
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "header", "strong", "b", "span",
                           "p", "div", "dt", "summary", "label", "em"})  # fmt: skip
BLOCK_STARTS = (HEADING_START, INLINE_PREFIX)
_INLINE_TAGS = frozenset({"p", "div", "li", "aside"})
_CONTAINER_TAGS = frozenset({"div", "section", "aside", "ul", "ol", "nav", "footer", "article"})
_MIN_TITLE_CHARS = 12
# Candidates are preselected in C by XPath: short elements only, so the Python checks below
# run on a few dozen nodes per page instead of every element.
# Candidates are found through their text nodes, which XPath filters in C in one pass over
# the page; testing every element's text instead costs quadratic time on deep pages.
_SHORT_TEXTS = XPath(
    "//text()[string-length(normalize-space()) >= 3][string-length(normalize-space()) <= 220]"
)


def _owner(text: object, tags: frozenset[str]) -> HtmlElement | None:
    """The nearest element of ``tags`` holding a text node (not its tail), at most 3 up."""
    if getattr(text, "is_tail", True):
        return None
    node = text.getparent() if hasattr(text, "getparent") else None
    for _ in range(3):
        if not isinstance(node, HtmlElement):
            return None
        if node.tag in tags:
            return node
        node = node.getparent()
    return None


ShortTexts = list[tuple[Any, str]]


def short_texts(tree: HtmlElement, *patterns: re.Pattern[str]) -> ShortTexts:
    """The page's short text nodes (not tails) that start like one of ``patterns``, with their
    whitespace folded: found once per page, then shared by every block finder."""
    found: ShortTexts = []
    texts = _SHORT_TEXTS(tree)
    for text in texts if isinstance(texts, list) else []:
        if isinstance(text, str) and not getattr(text, "is_tail", True):
            folded = " ".join(text.split())
            if any(p.match(folded) for p in patterns):
                found.append((text, folded))
    return found


def candidates(
    texts: ShortTexts, pattern: re.Pattern[str], tags: frozenset[str]
) -> list[HtmlElement]:
    """Elements of ``tags`` owning a short text that matches ``pattern``, in page order."""
    found: list[HtmlElement] = []
    for text, folded in texts:
        if pattern.match(folded):
            owner = _owner(text, tags)
            if owner is not None and owner not in found:
                found.append(owner)
    return found


def elements(query: XPath, tree: HtmlElement) -> list[HtmlElement]:
    """The elements an XPath query selects (its result typed for the checker)."""
    result = query(tree)
    return [n for n in result if isinstance(n, HtmlElement)] if isinstance(result, list) else []


def _text(node: HtmlElement) -> str:
    return clean_line(node.text_content())


def is_recirculation_heading(text: str) -> bool:
    """True when ``text`` is the heading of a recirculation block ("Related Stories")."""
    text = clean_line(text).rstrip(":").strip()
    return 0 < len(text) <= 60 and bool(_HEADING_RE.match(text))


def _link_text_share(node: HtmlElement) -> tuple[int, int, int]:
    total = len(_text(node))
    links = [a for a in node.iterfind(".//a[@href]") if len(_text(a)) >= _MIN_TITLE_CHARS]
    link_chars = sum(len(_text(a)) for a in links)
    return total, link_chars, len(links)


def _block_for_heading(heading: HtmlElement) -> HtmlElement | None:
    """The largest ancestor (a few levels up) holding the heading and its link items only.

    Climbing stops at the first ancestor that is not link-dense: headline links with short
    teasers make up much of a recirculation block, while article prose has few links.
    """
    node = heading
    best: HtmlElement | None = None
    for _ in range(4):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        total, link_chars, count = _link_text_share(parent)
        plain = total - link_chars - len(_text(heading))
        dense = count >= 1 and link_chars >= 0.35 * total and plain <= 220 * count
        if not dense or total > 3000 or _has_prose(parent, heading) or _holds_page_parts(parent):
            break
        node = best = parent
    return best


def _holds_page_parts(node: HtmlElement) -> bool:
    """True when ``node`` holds the page's own structure: its headline, a main or article element,
    or a heading that is neither a linked headline nor another block's name."""
    if node.find(".//h1") is not None or node.find(".//main") is not None:
        return True
    if node.find(".//article") is not None and len(node.findall(".//article")) == 1:
        return True
    for heading in node.iter("h2", "h3", "h4"):
        if heading.find(".//a[@href]") is None and not is_recirculation_heading(_text(heading)):
            return True
    return False


def _has_prose(node: HtmlElement, heading: HtmlElement) -> bool:
    """A long paragraph without links means the container is the article itself."""
    for p in node.iterfind(".//p"):
        if p is heading:
            continue
        if len(_text(p)) > 280 and not p.find(".//a[@href]") is not None:
            return True
    return False


def _links_in(block: HtmlElement, base_url: str | None, heading: str) -> list[RelatedLink]:
    found: list[RelatedLink] = []
    seen: set[str] = set()
    for a in block.iterfind(".//a[@href]"):
        title = _text(a)
        href = (a.get("href") or "").strip()
        if len(title) < _MIN_TITLE_CHARS or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base_url, href) if base_url else href
        if url in seen:
            continue
        seen.add(url)
        found.append(RelatedLink(title=title, url=url, teaser=_teaser(a, block), block=heading))
    return found


def _teaser(link: HtmlElement, block: HtmlElement) -> str | None:
    """Text of the link's item that is not the link: the teaser line under a headline."""
    item = link
    while item.getparent() is not None and item.getparent() is not block:
        parent = item.getparent()
        assert parent is not None
        if len(parent.findall(".//a[@href]")) > 1:
            break
        item = parent
    rest = _text(item).replace(_text(link), "", 1).strip(" -–—|:")
    if not rest:
        sibling = item.getnext()
        if sibling is not None and sibling.find(".//a[@href]") is None:
            rest = _text(sibling)
    return rest or None if len(rest) <= 400 else rest[:400]


def _remove(node: HtmlElement) -> None:
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    if tail and tail.strip():
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def split_related(
    tree: HtmlElement, *, base_url: str | None, texts: ShortTexts | None = None
) -> tuple[RelatedLink, ...]:
    """Remove recirculation blocks from ``tree`` in place and return their links."""
    if texts is None:
        texts = short_texts(tree, *BLOCK_STARTS)
    related: list[RelatedLink] = []
    for node in candidates(texts, HEADING_START, _HEADING_TAGS):
        text = _text(node)
        if not is_recirculation_heading(text) or not _attached(node, tree):
            continue
        block = _block_for_heading(node)
        if block is None:
            # A heading followed by sibling items: take the heading and the link siblings.
            siblings = []
            sibling = node.getnext()
            while sibling is not None and (sibling.tag not in {"h1", "h2", "h3", "h4"}):
                total, link_chars, count = _link_text_share(sibling)
                if count == 0 or link_chars < 0.4 * max(total, 1):
                    break
                siblings.append(sibling)
                sibling = sibling.getnext()
            if not siblings:
                continue
            for sib in siblings:
                related.extend(_links_in(sib, base_url, text.rstrip(":")))
                _remove(sib)
            _remove(node)
            continue
        related.extend(_links_in(block, base_url, text.rstrip(":")))
        _remove(block)
    related.extend(_split_inline(tree, base_url, texts))
    return tuple(related)


def _split_inline(tree: HtmlElement, base_url: str | None, texts: ShortTexts) -> list[RelatedLink]:
    """In-body lines such as "Read more: <a>Earlier story</a>"."""
    found: list[RelatedLink] = []
    for p in candidates(texts, INLINE_PREFIX, _INLINE_TAGS):
        if len(p) > 4 or not _attached(p, tree):
            continue
        text = _text(p)
        if len(text) > 220 or not INLINE_PREFIX.match(text):
            continue
        links = [a for a in p.iterfind(".//a[@href]") if len(_text(a)) >= _MIN_TITLE_CHARS]
        if len(links) != 1 or len(_text(links[0])) < 0.5 * len(INLINE_PREFIX.sub("", text)):
            continue
        href = links[0].get("href") or ""
        url = urljoin(base_url, href) if base_url else href
        found.append(RelatedLink(title=_text(links[0]), url=url, block="Read more"))
        _remove(p)
    return found


def _attached(node: HtmlElement, tree: HtmlElement) -> bool:
    root = node
    while root.getparent() is not None:
        parent = root.getparent()
        assert parent is not None
        root = parent
    return root is tree
