"""HTML pages to clean articles: one parse, metadata, recirculation split off, trafilatura body."""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from newsdesk.model import RelatedLink
from newsdesk.stages.extract.boilerplate import TAG_LINE, prune_boilerplate
from newsdesk.stages.extract.metadata import PageMetadata, read_metadata
from newsdesk.stages.extract.related import BLOCK_STARTS, short_texts, split_related
from newsdesk.text import clean_text


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """The parts of an HTML page newsdesk keeps."""

    metadata: PageMetadata
    text: str
    related_links: tuple[RelatedLink, ...]


def parse_html(html: str) -> HtmlElement | None:
    """The lxml tree trafilatura itself would build, or None for markup with no document."""
    tree = load_html(html)
    return tree if isinstance(tree, HtmlElement) else None


def extract_page(
    html: str, *, url: str | None, favor_precision: bool = True, split_blocks: bool = True
) -> ExtractedPage | None:
    """Extract ``html``; None when the page holds no document at all.

    The tree is parsed once. Metadata is read before anything is removed, recirculation
    blocks are cut out so they can never reach the body, and trafilatura extracts the body
    from what is left (it copies the tree it is given).
    """
    tree = parse_html(html)
    if tree is None:
        return None
    metadata = read_metadata(tree, url=url)
    base = metadata.canonical_url or url
    related: tuple[RelatedLink, ...] = ()
    if split_blocks:
        texts = short_texts(tree, *BLOCK_STARTS, TAG_LINE)
        related = split_related(tree, base_url=base, texts=texts)
        prune_boilerplate(tree, texts)
    document = bare_extraction(
        tree,
        url=base,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    body = getattr(document, "text", None) or ""
    if not body.strip() and favor_precision:
        # Precision mode sometimes keeps nothing of a page the default mode reads fully;
        # an empty body is never the better answer, so try once more without it.
        document = bare_extraction(
            tree, url=base, favor_precision=False, include_comments=False,
            include_tables=True, with_metadata=False,
        )  # fmt: skip
        body = getattr(document, "text", None) or ""
    text = clean_text(body)
    first_line = text.split("\n", 1)[0]
    if metadata.title and first_line == metadata.title:
        text = text[len(first_line) :].lstrip()  # the headline repeated as the first line
    return ExtractedPage(metadata=metadata, text=text, related_links=related)
