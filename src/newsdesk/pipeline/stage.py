"""The stage protocol: what a per-article step declares about itself so a pipeline can check it."""

from __future__ import annotations

from typing import ClassVar, Protocol

from newsdesk.model import Article


class Stage(Protocol):
    """A per-article step: declares what it reads and writes and a version, then transforms.

    Bump ``version`` whenever the output for the same input changes; stored articles record
    ``name@version`` so ``newsdesk reprocess`` re-runs only what is stale.
    """

    name: ClassVar[str]
    version: ClassVar[int]
    requires: ClassVar[frozenset[str]]
    provides: ClassVar[frozenset[str]]

    def __call__(self, article: Article) -> Article:
        """Return ``article`` with the fields in ``provides`` filled in."""
        ...
