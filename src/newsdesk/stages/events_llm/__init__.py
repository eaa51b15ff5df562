"""The optional LLM event extractor: events from any OpenAI-compatible chat endpoint.

This is the one stage that talks to the network (hence its exemption from the rule keeping
httpx inside ``newsdesk.ingest``): a user who has a chat model, hosted or local, can point
newsdesk at it instead of, or beside, the offline rule-based extractor. It is off by default;
nothing calls it unless the user configures an endpoint, and the default install and tests
never need one. It never trusts the model: every span it returns is found in the article or
the event is dropped, and actors must be the article's own.
"""

from newsdesk.stages.events_llm.cache import ResponseCache, cache_key
from newsdesk.stages.events_llm.client import ChatClient, LlmError
from newsdesk.stages.events_llm.extractor import (
    LlmEventExtractor,
    extract_events_llm,
    shared_extractor,
)
from newsdesk.stages.events_llm.reply import ParsedReply, parse_reply
from newsdesk.stages.events_llm.settings import LlmSettings, default_cache_dir

__all__ = [
    "ChatClient",
    "LlmError",
    "LlmEventExtractor",
    "LlmSettings",
    "ParsedReply",
    "ResponseCache",
    "cache_key",
    "default_cache_dir",
    "extract_events_llm",
    "parse_reply",
    "shared_extractor",
]
