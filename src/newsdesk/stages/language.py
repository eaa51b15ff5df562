"""The language stage: which language an article is written in, by an offline detector."""

from __future__ import annotations

import dataclasses
import functools
from typing import ClassVar

from newsdesk.model import Article


@functools.cache
def _identifier() -> object:
    # Loading the model takes ~0.3 s; do it once per process, and only when needed.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


class LanguageStage:
    """Set ``language`` to an ISO 639-1 code, or None when the text is too short to tell."""

    name: ClassVar[str] = "language"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset({"text"})
    provides: ClassVar[frozenset[str]] = frozenset({"language"})

    def __init__(self, *, min_chars: int = 40, min_probability: float = 0.6) -> None:
        self.min_chars = min_chars
        self.min_probability = min_probability

    def __call__(self, article: Article) -> Article:
        """Classify the first few thousand characters of the text."""
        return dataclasses.replace(article, language=self.detect(article.text))

    def detect(self, text: str) -> str | None:
        """The language code of ``text``, or None when unsure."""
        sample = text[:3000]
        if len(sample.strip()) < self.min_chars:
            return None
        code, probability = _identifier().classify(sample)  # type: ignore[attr-defined]
        return str(code) if float(probability) >= self.min_probability else None
