"""Where the optional LLM extractor finds its endpoint: explicit settings or the environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from newsdesk.errors import ConfigError

ENV_BASE_URL = "NEWSDESK_LLM_BASE_URL"
ENV_MODEL = "NEWSDESK_LLM_MODEL"
ENV_API_KEY = "NEWSDESK_LLM_API_KEY"
ENV_CACHE_DIR = "NEWSDESK_LLM_CACHE_DIR"
ENV_TIMEOUT = "NEWSDESK_LLM_TIMEOUT"
ENV_MIN_INTERVAL = "NEWSDESK_LLM_MIN_INTERVAL"


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user cache folder for LLM replies, following each platform's convention."""
    env = os.environ if environ is None else environ
    if sys.platform == "win32" and env.get("LOCALAPPDATA"):
        base = Path(env["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "newsdesk" / "llm"


@dataclass(frozen=True, slots=True, kw_only=True)
class LlmSettings:
    """One OpenAI-compatible chat endpoint and how politely newsdesk uses it.

    ``base_url`` is the API root the endpoint paths hang from ("https://api.openai.com/v1",
    "http://localhost:11434/v1"); ``api_key`` may be None for local servers that take none.
    """

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)  # never in logs or tracebacks
    timeout: float = 60.0  # seconds for one request, connect to last byte
    min_interval: float = 1.0  # seconds between the starts of two requests to one endpoint
    retries: int = 3  # extra attempts after a 429 or a 5xx answer
    backoff: float = 1.0  # first wait when the server gives no Retry-After; doubles each time
    max_retry_after: float = 120.0  # a longer Retry-After gives up instead of waiting
    cache_dir: Path | None = None  # None: default_cache_dir()
    use_cache: bool = True
    json_mode: bool = True  # send response_format json_object (some servers reject it)
    temperature: float = 0.0
    max_text_chars: int = 24_000  # longer article texts are cut at a paragraph break

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"LLM base URL {self.base_url!r} is not an http(s) URL")
        if not self.model.strip():
            raise ConfigError("LLM model name is empty")
        if self.timeout <= 0:
            raise ConfigError(f"LLM timeout must be positive, not {self.timeout}")
        if self.min_interval < 0 or self.retries < 0 or self.backoff < 0:
            raise ConfigError("LLM min_interval, retries and backoff must not be negative")

    @property
    def endpoint(self) -> str:
        """The chat-completions URL."""
        return self.base_url.rstrip("/") + "/chat/completions"

    @property
    def cache_path(self) -> Path:
        """The folder replies are cached in."""
        return self.cache_dir if self.cache_dir is not None else default_cache_dir()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LlmSettings:
        """Settings from ``NEWSDESK_LLM_*`` variables; ConfigError names what is missing."""
        env = os.environ if environ is None else environ
        missing = [name for name in (ENV_BASE_URL, ENV_MODEL) if not env.get(name, "").strip()]
        if missing:
            raise ConfigError(
                "the LLM event extractor is not configured: set "
                + " and ".join(missing)
                + f" (and {ENV_API_KEY} if the endpoint needs a key)"
            )
        cache_dir = env.get(ENV_CACHE_DIR, "").strip()
        return cls(
            base_url=env[ENV_BASE_URL].strip(),
            model=env[ENV_MODEL].strip(),
            api_key=env.get(ENV_API_KEY, "").strip() or None,
            timeout=_seconds(env, ENV_TIMEOUT, 60.0),
            min_interval=_seconds(env, ENV_MIN_INTERVAL, 1.0),
            cache_dir=Path(cache_dir).expanduser() if cache_dir else None,
        )


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number of seconds") from None
