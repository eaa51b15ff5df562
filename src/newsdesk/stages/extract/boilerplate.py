"""Page furniture inside the article container that trafilatura keeps: sign-up boxes, tag lines.

Sites drop newsletter boxes, cookie notices and share bars between paragraphs with class
names that say nothing ("css-nl"). They are found by what they hold (an e-mail field, a
button, a short call to action), not by their names.
"""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

from newsdesk.stages.extract.related import ShortTexts, candidates, elements, short_texts
from newsdesk.text import clean_line

_CALL_TO_ACTION = re.compile(
    r"\b(?:sign up|subscribe|newsletter|get our|delivered to your inbox|accept (?:all )?cookies"
    r"|cookie (?:policy|settings|preferences)|share (?:on|this)|copy link)\b",
    re.IGNORECASE,
)
TAG_LINE = re.compile(r"^(?:topics|tags|filed under|more about|categories)\s*:", re.IGNORECASE)
_BOX_TAGS = ("div", "section", "aside", "form", "figure", "ul", "p")
_MAX_BOX_CHARS = 400
_CONTROLS = XPath("//input[@type='email'] | //button | //form")
_TEXT_LENGTH = XPath("string-length(normalize-space())")
_TAG_LINE_TAGS = frozenset({"p", "div", "ul", "section"})
_MAX_BOX_DEPTH = 5


def prune_boilerplate(tree: HtmlElement, texts: ShortTexts | None = None) -> int:
    """Remove sign-up, consent and share boxes and tag lines from ``tree``; return how many."""
    if texts is None:
        texts = short_texts(tree, TAG_LINE)
    removed = 0
    for control in elements(_CONTROLS, tree):
        box = _box_around(control)
        if box is not None and _is_call_to_action(box):
            _drop(box)
            removed += 1
    for node in candidates(texts, TAG_LINE, _TAG_LINE_TAGS):
        if node.getparent() is None:
            continue
        if len(clean_line(node.text_content())) <= 200 and node.find(".//a[@href]") is not None:
            _drop(node)
            removed += 1
    return removed


def _box_around(node: HtmlElement) -> HtmlElement | None:
    """The largest short ancestor of a form control: the whole box, not the article."""
    best = None
    current: HtmlElement | None = node
    for _ in range(_MAX_BOX_DEPTH):
        if current is None or current.tag in ("body", "html", "article", "main"):
            break
        if current.tag in _BOX_TAGS or current.tag == "form":
            length = _TEXT_LENGTH(current)
            if isinstance(length, float) and length > _MAX_BOX_CHARS:
                break
            best = current
        current = current.getparent()
    return best


def _is_call_to_action(box: HtmlElement) -> bool:
    if box.xpath(".//input[@type='email']"):
        return True
    return bool(_CALL_TO_ACTION.search(clean_line(box.text_content())))


def _drop(node: HtmlElement) -> None:
    parent = node.getparent()
    if parent is not None:
        node.drop_tree()
