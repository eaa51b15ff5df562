"""The events stage: who did what to whom, when and where, and whether it really happened."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from newsdesk.errors import ConfigError
from newsdesk.model import Article, Event
from newsdesk.stages.events.extractor import extract_events
from newsdesk.stages.events.lexicon import EventLexicon, load_lexicon
from newsdesk.stages.events.relation import plover_code

__all__ = [
    "CONFIGURED",
    "EXTRACTORS",
    "EventLexicon",
    "EventStage",
    "extract_events",
    "load_lexicon",
    "plover_code",
]

Extractor = Callable[[Article], tuple[Event, ...]]


def extract_events_with_llm(article: Article) -> tuple[Event, ...]:
    """The optional LLM extractor (``newsdesk.stages.events_llm``), configured from the
    ``NEWSDESK_LLM_*`` variables; imported only when used, so the rules path never loads httpx."""
    from newsdesk.stages.events_llm import extract_events_llm

    return extract_events_llm(article)


def _llm_from_env() -> Extractor:
    """The LLM extractor for a stage being built: a missing endpoint is a ConfigError now,
    before any article is read; every stage with the same settings shares one rate limit."""
    from newsdesk.stages.events_llm import LlmSettings, shared_extractor

    return shared_extractor(LlmSettings.from_env()).extract


# Extractors by name: each takes the enriched article and returns its events. "rules" is the
# default, offline one; "llm" asks an OpenAI-compatible chat endpoint (off unless configured).
EXTRACTORS: dict[str, Extractor] = {"rules": extract_events, "llm": extract_events_with_llm}
# Extractors that need configuration, built when the stage is built so that a missing setting
# fails the pipeline at once.
CONFIGURED: dict[str, Callable[[], Extractor]] = {"llm": _llm_from_env}


class EventStage:
    """Fill ``events`` from ``text`` and the enrichment before it (actors and their mentions,
    quotes, times, places, the publication date).

    Options: ``extractor`` names an entry of :data:`EXTRACTORS` (default "rules"; "llm" needs
    ``NEWSDESK_LLM_BASE_URL`` and ``NEWSDESK_LLM_MODEL``, else a ConfigError);
    ``lexicon_file`` adds a TOML file shaped like the bundled ``data/triggers.toml`` and
    ``data/status.toml`` (its trigger groups and status cues); ``model`` names the spaCy model
    (default: the shared one, whose parse the earlier stages cached).
    """

    name: ClassVar[str] = "events"
    version: ClassVar[int] = 2  # 2: readable labels ("Putin declines to attend the talks")
    requires: ClassVar[frozenset[str]] = frozenset(
        {"text", "actors", "mentions", "quotes", "times", "places", "published"}
    )
    provides: ClassVar[frozenset[str]] = frozenset({"events"})

    def __init__(
        self,
        *,
        extractor: str = "rules",
        lexicon_file: str | Path | None = None,
        model: str | None = None,
    ) -> None:
        if extractor not in EXTRACTORS:
            raise ConfigError(
                f"unknown events extractor {extractor!r}; known: {sorted(EXTRACTORS)}"
            )
        self.extractor = extractor
        setup = CONFIGURED.get(extractor)
        self._run: Extractor | None = setup() if setup is not None else None
        self.lexicon_file = Path(lexicon_file) if lexicon_file else None
        self.model = model
        if self.lexicon_file is not None:
            load_lexicon(self.lexicon_file)  # a bad file fails when the pipeline is built

    def find(self, article: Article) -> tuple[Event, ...]:
        """The events of ``article``, without changing it."""
        if self.extractor == "rules":
            return extract_events(article, lexicon_file=self.lexicon_file, model=self.model)
        if self._run is not None:
            return self._run(article)
        return EXTRACTORS[self.extractor](article)

    def __call__(self, article: Article) -> Article:
        """``article`` with its events."""
        return dataclasses.replace(article, events=self.find(article))
