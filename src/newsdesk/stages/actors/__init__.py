"""The actors stage: people, organisations and governments, merged across mentions with titles."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from newsdesk.model import Article
from newsdesk.stages.actors.coref import resolve_descriptions, resolve_pronouns
from newsdesk.stages.actors.resolve import ActorBuilder
from newsdesk.stages.nlp import shared_parser

__all__ = ["ActorStage"]


class ActorStage:
    """Fill ``actors`` (one per person or organisation) and ``mentions`` (every span naming one).

    Person names merge by full name, surname and spelling variant; titles come from the words
    before a name or an appositive; "the Kremlin" and a capital acting as subject ("Kyiv
    rejects") resolve to governments; pronouns and descriptions ("the Ukrainian president")
    resolve to the most salient fitting person.
    """

    name: ClassVar[str] = "actors"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset({"text", "entities"})
    provides: ClassVar[frozenset[str]] = frozenset({"actors", "mentions"})

    def __init__(self, *, model: str | None = None, pronouns: bool = True) -> None:
        self.model = model
        self.pronouns = pronouns

    def __call__(self, article: Article) -> Article:
        """Build the article's actors from its entities and parse."""
        if not article.text:
            return dataclasses.replace(article, actors=(), mentions=())
        doc = shared_parser(self.model)(article.text)
        builder = ActorBuilder(doc)
        builder.add_people([e for e in article.entities if e.label == "PERSON"])
        builder.add_organisations([e for e in article.entities if e.label in ("ORG", "GPE")])
        mentions = [m for c in builder.clusters.values() for m in c.mentions]
        if self.pronouns:
            mentions += resolve_pronouns(doc, builder.clusters)
        mentions += resolve_descriptions(article.text, builder.clusters)
        taken: set[tuple[int, int]] = set()
        unique = []
        for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
            if (mention.start, mention.end) not in taken:
                taken.add((mention.start, mention.end))
                unique.append(mention)
        actors = tuple(c.actor() for c in builder.clusters.values())
        return dataclasses.replace(article, actors=actors, mentions=tuple(unique))
