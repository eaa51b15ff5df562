"""The quotes stage: who said what, as direct quotes and reported speech tied to actors."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from newsdesk.model import Article, Quote
from newsdesk.stages.quotes.assemble import find_quotes
from newsdesk.stages.quotes.lexicon import CueLexicon, load_lexicon
from newsdesk.stages.quotes.parse import parse

__all__ = ["CueLexicon", "QuoteStage", "load_lexicon"]


class QuoteStage:
    """Fill ``quotes``: direct quotes (quotation marks) and reported speech (the parse), each
    with its cue, speaker phrase, the speaker's actor key from ``mentions``, the addressee's
    actor where one is named, and a confidence.

    Options: ``cue_file`` adds a cue file in the format of the bundled ``cues.txt``;
    ``extra_cues`` adds entries in the same format; ``min_words`` is the shortest quote
    without a cue that still counts as speech (shorter ones are scare quotes);
    ``keep_unattributed`` keeps quotes whose speaker was not found; ``model`` names the spaCy
    model (default: the shared one).
    """

    name: ClassVar[str] = "quotes"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset({"text", "actors", "mentions"})
    provides: ClassVar[frozenset[str]] = frozenset({"quotes"})

    def __init__(
        self,
        *,
        cue_file: str | Path | None = None,
        extra_cues: Iterable[str] = (),
        min_words: int = 3,
        keep_unattributed: bool = False,
        model: str | None = None,
    ) -> None:
        self.lexicon = load_lexicon(Path(cue_file) if cue_file else None, extra_cues)
        self.min_words = min_words
        self.keep_unattributed = keep_unattributed
        self.model = model

    def __call__(self, article: Article) -> Article:
        """Find the quotes of ``article.text``."""
        return dataclasses.replace(article, quotes=tuple(self.find(article)))

    def find(self, article: Article) -> list[Quote]:
        """The quotes of ``article`` in text order, without changing it."""
        if not article.text.strip():
            return []
        return find_quotes(
            parse(article.text, self.model),
            self.lexicon,
            article.actors,
            article.mentions,
            min_words=self.min_words,
            keep_unattributed=self.keep_unattributed,
        )
