"""A small chat-completions client: one POST per prompt, rate-limited, timed out, retried."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from newsdesk.errors import NewsdeskError
from newsdesk.retrying import RetryPolicy, retry_after_seconds
from newsdesk.spacing import RequestSpacer
from newsdesk.stages.events_llm.settings import LlmSettings

Message = dict[str, str]  # {"role": "system" | "user", "content": "..."}


class LlmError(NewsdeskError):
    """The chat endpoint could not answer: timeout, refused connection, HTTP error, bad body."""


class ChatClient:
    """Sends chat messages to one OpenAI-compatible endpoint and returns the reply text.

    A 429 or 5xx answer is retried ``settings.retries`` times after an exponential backoff, or
    what Retry-After asks when that is longer (up to ``settings.max_retry_after``, see
    :class:`~newsdesk.retrying.RetryPolicy`); every attempt waits its turn under
    ``settings.min_interval``. A timeout is not retried: a server too slow once is
    usually too slow again, and the caller should hear about it promptly.
    """

    def __init__(
        self,
        settings: LlmSettings,
        *,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        spacer: RequestSpacer | None = None,
    ) -> None:
        self.settings = settings
        self._owns_http = http is None
        self._http = http if http is not None else httpx.Client()
        self._sleep = sleep
        self._spacer = spacer if spacer is not None else RequestSpacer(clock, sleep)
        self.retry = RetryPolicy(
            retries=settings.retries,
            backoff=settings.backoff,
            max_retry_after=settings.max_retry_after,
        )
        self.requests = 0  # HTTP requests sent, retries included

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this one created it."""
        if self._owns_http:
            self._http.close()

    def payload(self, messages: Sequence[Message]) -> dict[str, Any]:
        """The request body for ``messages``."""
        body: dict[str, Any] = {
            "model": self.settings.model,
            "messages": list(messages),
            "temperature": self.settings.temperature,
        }
        if self.settings.json_mode:
            body["response_format"] = {"type": "json_object"}
        return body

    def complete(self, messages: Sequence[Message]) -> str:
        """The assistant's reply to ``messages``; LlmError when none can be had."""
        settings = self.settings
        headers = {"Accept": "application/json"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        body = self.payload(messages)
        attempt = 0
        while True:
            self._spacer.wait(settings.endpoint, settings.min_interval)
            response = self._post(body, headers)
            if not self.retry.should_retry(response.status_code, attempt):
                break
            self._sleep(self._retry_wait(response, attempt))
            attempt += 1
        if response.status_code != 200:
            raise LlmError(
                f"{settings.endpoint} answered HTTP {response.status_code}"
                + (f" after {attempt + 1} attempts" if attempt else "")
                + _detail(response)
            )
        return _reply_text(response, settings.endpoint)

    def _post(self, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        endpoint = self.settings.endpoint
        self.requests += 1
        try:
            return self._http.post(
                endpoint, json=body, headers=headers, timeout=self.settings.timeout
            )
        except httpx.TimeoutException:
            raise LlmError(
                f"{endpoint} did not answer within {self.settings.timeout:g} s"
                " (raise NEWSDESK_LLM_TIMEOUT for a slow model)"
            ) from None
        except httpx.TransportError as exc:
            raise LlmError(f"cannot reach {endpoint}: {exc}") from exc

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float:
        asked = retry_after_seconds(response.headers.get("retry-after"))
        wait = self.retry.delay(attempt, asked)
        if wait is None:
            raise LlmError(
                f"{self.settings.endpoint} answered HTTP {response.status_code} and asks to wait"
                f" {asked:g} s, longer than the {self.retry.max_retry_after:g} s allowed"
            )
        return wait


def _detail(response: httpx.Response) -> str:
    """The error message an OpenAI-style error body carries, else the start of the body."""
    try:
        data = response.json()
    except ValueError:
        text = response.text.strip()
        return f": {text[:200]}" if text else ""
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return f": {error['message'][:200]}"
    if isinstance(error, str):
        return f": {error[:200]}"
    return ""


def _reply_text(response: httpx.Response, endpoint: str) -> str:
    try:
        data = response.json()
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LlmError(f"{endpoint} sent a body that is not a chat completion") from None
    if not isinstance(content, str):
        raise LlmError(f"{endpoint} sent a chat completion without text content")
    return content
