"""The LLM event extractor: prompt, cached reply, checked events, for one article at a time."""

from __future__ import annotations

import threading

from newsdesk.errors import StageError
from newsdesk.model import Article, Event
from newsdesk.stages.events_llm.cache import ResponseCache, cache_key
from newsdesk.stages.events_llm.client import ChatClient, LlmError
from newsdesk.stages.events_llm.prompt import build_messages
from newsdesk.stages.events_llm.reply import STAGE, ParsedReply, parse_reply
from newsdesk.stages.events_llm.settings import LlmSettings


class LlmEventExtractor:
    """Asks one chat endpoint for each article's events and keeps the ones the text backs.

    A reply is cached only once it parses, so a malformed answer is asked for again next time
    rather than replayed forever.
    """

    def __init__(
        self,
        settings: LlmSettings,
        *,
        client: ChatClient | None = None,
        cache: ResponseCache | None = None,
    ) -> None:
        self.settings = settings
        self.client = client if client is not None else ChatClient(settings)
        self.cache = cache if cache is not None else ResponseCache(settings.cache_path)

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self.client.close()

    def extract(self, article: Article) -> tuple[Event, ...]:
        """The checked events of ``article`` (``extractor == "llm"``)."""
        return self.extract_with_notes(article).events

    def extract_with_notes(self, article: Article) -> ParsedReply:
        """The checked events and a note for each event or part that was dropped."""
        if not article.text.strip():
            return ParsedReply(events=(), dropped=())
        settings = self.settings
        messages = build_messages(article, settings.max_text_chars)
        key = cache_key(settings.base_url, settings.model, messages)
        reply = self.cache.get(key) if settings.use_cache else None
        fresh = reply is None
        if reply is None:
            try:
                reply = self.client.complete(messages)
            except LlmError as exc:
                raise StageError(STAGE, article.source or article.url, str(exc)) from exc
        parsed = parse_reply(reply, article)
        if fresh and settings.use_cache:
            self.cache.put(key, reply, base_url=settings.base_url, model=settings.model)
        return parsed


_extractors: dict[LlmSettings, LlmEventExtractor] = {}
_extractors_lock = threading.Lock()


def shared_extractor(settings: LlmSettings) -> LlmEventExtractor:
    """One extractor per settings for the whole process, so its rate limit holds across calls."""
    with _extractors_lock:
        found = _extractors.get(settings)
        if found is None:
            found = _extractors[settings] = LlmEventExtractor(settings)
        return found


def extract_events_llm(article: Article, settings: LlmSettings | None = None) -> tuple[Event, ...]:
    """The events an OpenAI-compatible endpoint finds in ``article``, every span checked.

    Without ``settings`` the endpoint comes from ``NEWSDESK_LLM_BASE_URL``,
    ``NEWSDESK_LLM_MODEL`` and ``NEWSDESK_LLM_API_KEY``; ConfigError says what is missing.
    """
    return shared_extractor(settings or LlmSettings.from_env()).extract(article)
