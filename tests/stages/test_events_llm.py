"""The LLM event extractor against a chat-completions server on 127.0.0.1 with canned replies."""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import ConfigError, StageError
from newsdesk.model import Actor, Article, Mention, Place, Published
from newsdesk.stages.events_llm import (
    ChatClient,
    LlmError,
    LlmEventExtractor,
    LlmSettings,
    default_cache_dir,
    extract_events_llm,
    parse_reply,
)
from newsdesk.stages.events_llm.prompt import system_message
from newsdesk.stages.events_llm.reply import ActorIndex
from newsdesk.stages.events_llm.spans import locate
from tests.fake_time import FakeTime
from tests.ingest.httpserver import Route, TestServer

TEXT = (
    "Russian President Vladimir Putin will not attend the talks in Istanbul on Thursday,\n"
    "the Kremlin said. Zelenskiy’s aides said he would travel to Türkiye only if Putin were"
    " present. In March 2022, talks in Istanbul collapsed after a few weeks."
)


def _span(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


def _article() -> Article:
    putin, kremlin, zelenskiy = "vladimir-putin", "government-of-russia", "volodymyr-zelenskiy"
    mentions = (
        Mention(actor=putin, text="Vladimir Putin", start=_span("Vladimir Putin")[0],
                end=_span("Vladimir Putin")[1]),
        Mention(actor=kremlin, text="Kremlin", kind="alias", start=_span("Kremlin")[0],
                end=_span("Kremlin")[1]),
    )  # fmt: skip
    return Article(
        url="https://ledger.example/putin-istanbul",
        source="pages/putin-istanbul.html",
        title="Putin will not attend",
        published=Published(value=datetime(2025, 5, 14, 9, 0, tzinfo=UTC)),
        text=TEXT,
        actors=(
            Actor(key=putin, name="Vladimir Putin", kind="person"),
            Actor(key=kremlin, name="Government of Russia", kind="government"),
            Actor(key=zelenskiy, name="Volodymyr Zelenskiy", kind="person"),
        ),
        mentions=mentions,
        places=(
            Place(
                text="Istanbul",
                start=TEXT.index("Istanbul"),
                end=TEXT.index("Istanbul") + 8,
                name="Istanbul",
                kind="city",
                country_code="TR",
            ),
        ),
    )


# What the canned model answers: good events, retyped spans, and things it made up.
EVENTS: list[dict[str, Any]] = [
    {  # the line break in the text is a space here: found once whitespace is folded
        "type": "reject", "mode": "meet", "status": "declined",
        "evidence": "Russian President Vladimir Putin will not attend the talks in Istanbul on"
        " Thursday, the Kremlin said.",
        "trigger": "will not attend", "actors": ["Putin"], "recipients": [],
        "date": "2025-05-15", "date_text": "Thursday", "place": "Istanbul",
        "asserted_by": "the Kremlin", "summary": "Putin declines the Istanbul talks",
        "confidence": 0.9,
    },
    {  # a straight apostrophe for the text's curly one
        "type": "CONSULT", "mode": "visit", "status": "conditional",
        "evidence": "Zelenskiy's aides said he would travel to Türkiye only if Putin were present.",
        "trigger": "travel", "actors": ["Zelenskiy"], "recipients": ["Vladimir Putin"],
        "condition": "only if Putin were present", "roles": [{"actor": "Zelenskiy",
                                                              "role": "president"}],
    },
    {  # historical, with an actor the article does not have
        "type": "CONSULT", "status": "historical",
        "evidence": "In March 2022, talks in Istanbul collapsed after a few weeks.",
        "trigger": "talks", "actors": ["Sergei Lavrov"], "date": "2022-03",
        "date_text": "March 2022",
    },
    {  # made up: no such sentence
        "type": "AGREE", "status": "occurred",
        "evidence": "Putin and Zelenskiy signed a peace deal in Istanbul.", "trigger": "signed",
    },
    {  # the trigger is not in its sentence
        "type": "CONSULT", "status": "planned",
        "evidence": "In March 2022, talks in Istanbul collapsed after a few weeks.",
        "trigger": "summit",
    },
    {"type": "MEET", "status": "planned", "evidence": "the Kremlin said.", "trigger": "said"},
    {"type": "CONSULT", "status": "rumoured", "evidence": "the Kremlin said.", "trigger": "said"},
    {  # a condition the text never states
        "type": "CONSULT", "status": "conditional", "trigger": "travel",
        "evidence": "Zelenskiy’s aides said he would travel to Türkiye only if Putin were present.",
        "condition": "unless the ceasefire holds",
    },
]  # fmt: skip


def completion(content: str) -> bytes:
    return json.dumps(
        {"id": "x", "object": "chat.completion",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                      "finish_reason": "stop"}]}
    ).encode()  # fmt: skip


CHAT = "/v1/chat/completions"
JSON = {"Content-Type": "application/json"}


def answer(
    status: int = 200,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    delay: float = 0.0,
) -> Route:
    """One scripted answer of the chat endpoint: the completion of EVENTS unless told."""
    return Route(
        status=status,
        headers=JSON | (headers or {}),
        body=completion(json.dumps({"events": EVENTS})) if body is None else body,
        delay=delay,
    )


@pytest.fixture
def server() -> Iterator[TestServer]:
    """A server speaking just enough of POST /v1/chat/completions; other paths are a 404."""
    srv = TestServer()
    srv.routes[CHAT] = answer()
    srv.fallback = answer(status=404, body=b'{"error": {"message": "no such route"}}')
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def settings(server: TestServer, tmp_path: Path) -> LlmSettings:
    return LlmSettings(
        base_url=server.url("/v1"), model="test-model", api_key="sk-test-123",
        min_interval=0.0, backoff=0.0, cache_dir=tmp_path / "llm-cache",
    )  # fmt: skip


def test_spans_are_checked_and_made_up_events_dropped(settings: LlmSettings) -> None:
    article = _article()
    extractor = LlmEventExtractor(settings)
    parsed = extractor.extract_with_notes(article)
    extractor.close()
    events = {(e.type, e.status): e for e in parsed.events}
    assert set(events) == {("REJECT", "declined"), ("CONSULT", "conditional"),
                           ("CONSULT", "historical")}  # fmt: skip
    for event in parsed.events:
        assert event.extractor == "llm"
        assert TEXT[event.trigger_start : event.trigger_end] == event.trigger
        assert event.start <= event.trigger_start < event.trigger_end <= event.end

    declined = events[("REJECT", "declined")]
    assert TEXT[declined.start : declined.end] == TEXT[: TEXT.index("said.") + 5]
    assert "\n" in TEXT[declined.start : declined.end]  # the text's own line break, kept
    assert declined.trigger == "will not attend"
    assert (declined.mode, declined.cameo) == ("meet", "125")
    assert declined.actors == ("vladimir-putin",)
    assert declined.asserted_by == "government-of-russia"
    assert (declined.date, declined.granularity, declined.date_text) == (
        "2025-05-15", "day", "Thursday"
    )  # fmt: skip
    assert (declined.place, declined.country_code) == ("Istanbul", "TR")

    conditional = events[("CONSULT", "conditional")]
    assert TEXT[conditional.start : conditional.end].startswith("Zelenskiy’s aides")
    assert conditional.condition == "only if Putin were present"
    assert conditional.actors == ("volodymyr-zelenskiy",)
    assert conditional.recipients == ("vladimir-putin",)
    assert [(r.actor, r.role) for r in conditional.roles] == [("volodymyr-zelenskiy", "president")]
    assert conditional.cameo == "042"

    historical = events[("CONSULT", "historical")]
    assert (historical.date, historical.granularity) == ("2022-03", "month")
    assert historical.actors == ()  # Sergei Lavrov is not one of the article's actors

    notes = "\n".join(parsed.dropped)
    assert "evidence not in the text: 'Putin and Zelenskiy signed" in notes
    assert "trigger 'summit' not in its evidence sentence" in notes
    assert "unknown type 'MEET'" in notes
    assert "unknown status 'rumoured'" in notes
    assert "condition not in the text: 'unless the ceasefire holds'" in notes
    assert "actor 'Sergei Lavrov' is none of the article's actors" in notes


def test_request_asks_for_the_record_with_the_key_as_bearer(
    server: TestServer, settings: LlmSettings
) -> None:
    extract_events_llm(_article(), settings)
    (request,) = server.seen
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test-123"
    body = request.json()
    assert body["model"] == "test-model"
    assert body["response_format"] == {"type": "json_object"}
    system, user = body["messages"]
    assert system["role"] == "system"
    assert user["role"] == "user"
    assert TEXT in user["content"]
    assert "Vladimir Putin" in user["content"]
    assert "Published: 2025-05-14" in user["content"]
    assert "sk-test-123" not in repr(settings)


def test_no_key_no_authorization_header(server: TestServer, tmp_path: Path) -> None:
    keyless = LlmSettings(base_url=server.url("/v1"), model="m", cache_dir=tmp_path, min_interval=0)
    with ChatClient(keyless) as client:
        client.complete([{"role": "user", "content": "hi"}])
    assert "authorization" not in server.seen[0].headers


PLOVER = "AGREE CONSULT SUPPORT COOPERATE AID YIELD REQUEST ACCUSE REJECT THREATEN PROTEST"
STATUSES = "occurred ongoing planned proposed demanded conditional declined threatened denied"


def test_prompt_names_every_type_and_status() -> None:
    prompt = system_message()
    for name in [*PLOVER.split(), "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]:
        assert f"  {name}: " in prompt
    for status in [*STATUSES.split(), "hypothetical", "historical"]:
        assert f"  {status}: " in prompt


def test_cache_hit_avoids_a_second_request(server: TestServer, settings: LlmSettings) -> None:
    first = LlmEventExtractor(settings).extract(_article())
    again = LlmEventExtractor(settings).extract(_article())  # a new process would be the same
    assert len(server.seen) == 1
    assert again == first
    assert len(list(settings.cache_path.rglob("*.json"))) == 1
    other_model = LlmSettings(base_url=settings.base_url, model="other-model",
                              cache_dir=settings.cache_dir, min_interval=0)  # fmt: skip
    LlmEventExtractor(other_model).extract(_article())
    assert len(server.seen) == 2  # another model never answers from this one's cache


def test_invalid_json_names_the_article_and_is_not_cached(
    server: TestServer, settings: LlmSettings
) -> None:
    server.routes[CHAT] = [answer(body=completion("Here are the events: {type: CONSULT"))]
    for _ in range(2):
        with pytest.raises(StageError, match=r"pages/putin-istanbul\.html.*not valid JSON"):
            LlmEventExtractor(settings).extract(_article())
    assert len(server.seen) == 2
    assert not list(settings.cache_path.rglob("*.json"))


def test_fenced_json_and_bare_lists_are_read() -> None:
    fenced = "Here they are:\n```json\n" + json.dumps({"events": EVENTS[:1]}) + "\n```\n"
    assert len(parse_reply(fenced, _article()).events) == 1
    assert len(parse_reply(json.dumps(EVENTS[:2]), _article()).events) == 2
    with pytest.raises(StageError, match="no list of events"):
        parse_reply('"just a string"', _article())


def test_repeats_of_one_event_merge() -> None:
    twice = [EVENTS[0], dict(EVENTS[0], trigger="attend", confidence=0.95)]
    (event,) = parse_reply(json.dumps(twice), _article()).events
    assert event.mentions == 2
    assert event.confidence == 0.95


def test_timeout_gives_a_clear_error(server: TestServer, tmp_path: Path) -> None:
    server.routes[CHAT] = [answer(delay=5.0)]
    slow = LlmSettings(base_url=server.url("/v1"), model="m", timeout=0.3, min_interval=0,
                       cache_dir=tmp_path)  # fmt: skip
    started = time.monotonic()
    with ChatClient(slow) as client, pytest.raises(LlmError, match=r"did not answer within 0\.3 s"):
        client.complete([{"role": "user", "content": "hi"}])
    assert time.monotonic() - started < 3.0
    assert len(server.seen) == 1  # a timeout is not retried
    with pytest.raises(StageError, match=r"putin-istanbul\.html.*within 0\.3 s"):
        LlmEventExtractor(slow).extract(_article())


def test_rate_limit_spaces_requests(server: TestServer, tmp_path: Path) -> None:
    spaced = LlmSettings(base_url=server.url("/v1"), model="m", min_interval=0.4,
                         use_cache=False, cache_dir=tmp_path)  # fmt: skip
    with ChatClient(spaced) as client:
        for _ in range(3):
            client.complete([{"role": "user", "content": "hi"}])
    arrivals = [r.at for r in server.seen]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(gaps) == 2
    assert min(gaps) >= 0.38, gaps


def test_429_is_retried_after_what_retry_after_asks(
    server: TestServer, settings: LlmSettings
) -> None:
    busy = b'{"error": {"message": "rate limited"}}'
    server.routes[CHAT] = [
        answer(status=429, body=busy, headers={"Retry-After": "2"}),
        answer(status=503, body=b"overloaded"),
        answer(),
    ]
    fake = FakeTime(100.0)
    patient = LlmSettings(base_url=settings.base_url, model="m", backoff=0.5, min_interval=0,
                          cache_dir=settings.cache_dir)  # fmt: skip
    with ChatClient(patient, clock=fake.clock, sleep=fake.sleep) as client:
        reply = client.complete([{"role": "user", "content": "hi"}])
    assert json.loads(reply)["events"] == EVENTS
    assert len(server.seen) == 3
    assert fake.sleeps == [2.0, 1.0]  # Retry-After, then the backoff doubled for attempt 2


def test_retries_give_up_with_the_status(server: TestServer, tmp_path: Path) -> None:
    server.routes[CHAT] = [answer(status=429, body=b'{"error": {"message": "quota exceeded"}}')]
    fake = FakeTime(100.0)
    limited = LlmSettings(base_url=server.url("/v1"), model="m", retries=2, backoff=0.1,
                          min_interval=0, cache_dir=tmp_path)  # fmt: skip
    with (
        ChatClient(limited, clock=fake.clock, sleep=fake.sleep) as client,
        pytest.raises(LlmError, match=r"HTTP 429 after 3 attempts: quota exceeded"),
    ):
        client.complete([{"role": "user", "content": "hi"}])
    assert len(server.seen) == 3
    server.routes[CHAT] = [answer(status=429, body=b"", headers={"Retry-After": "3600"})]
    with (
        ChatClient(limited, clock=fake.clock, sleep=fake.sleep) as client,
        pytest.raises(LlmError, match="asks to wait 3600 s"),
    ):
        client.complete([{"role": "user", "content": "hi"}])


def test_client_errors_are_not_retried(server: TestServer, settings: LlmSettings) -> None:
    server.routes[CHAT] = [answer(status=401, body=b'{"error": {"message": "invalid api key"}}')]
    with ChatClient(settings) as client, pytest.raises(LlmError, match="HTTP 401: invalid api"):
        client.complete([{"role": "user", "content": "hi"}])
    assert len(server.seen) == 1


def test_missing_configuration_is_a_clear_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("NEWSDESK_LLM_BASE_URL", "NEWSDESK_LLM_MODEL", "NEWSDESK_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="set NEWSDESK_LLM_BASE_URL and NEWSDESK_LLM_MODEL"):
        extract_events_llm(_article())
    monkeypatch.setenv("NEWSDESK_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    with pytest.raises(ConfigError, match="set NEWSDESK_LLM_MODEL"):
        LlmSettings.from_env()
    monkeypatch.setenv("NEWSDESK_LLM_MODEL", "llama")
    monkeypatch.setenv("NEWSDESK_LLM_API_KEY", "k")
    monkeypatch.setenv("NEWSDESK_LLM_TIMEOUT", "12.5")
    loaded = LlmSettings.from_env()
    assert (loaded.endpoint, loaded.model, loaded.api_key, loaded.timeout) == (
        "http://127.0.0.1:9/v1/chat/completions", "llama", "k", 12.5
    )  # fmt: skip
    monkeypatch.setenv("NEWSDESK_LLM_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="NEWSDESK_LLM_TIMEOUT='soon'"):
        LlmSettings.from_env()
    with pytest.raises(ConfigError, match="not an http"):
        LlmSettings(base_url="localhost:8080", model="m")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG layout")
def test_cache_defaults_to_the_user_cache_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/tmp/xdg-cache")
    settings = LlmSettings(base_url="https://llm.example/v1", model="m")
    assert settings.cache_path == Path("/tmp/xdg-cache/newsdesk/llm")
    assert default_cache_dir({}) == Path.home() / ".cache" / "newsdesk" / "llm"


def test_locate_forgives_whitespace_quotes_and_dashes_only() -> None:
    text = "He said:\n“We will  not go” — and left."
    assert locate(text, 'said: "We will not go" - and') == (3, text.index(" and") + 4)
    assert locate(text, "We will not go") is not None
    assert locate(text, "We shall not go") is None
    assert locate(text, "   ") is None
    assert locate(text, "left", 0, 10) is None


def test_actor_names_resolve_only_when_one_actor_fits() -> None:
    article = _article()
    index = ActorIndex(article)
    assert index.key("Vladimir Putin") == "vladimir-putin"
    assert index.key("vladimir-putin") == "vladimir-putin"  # a key for a name
    assert index.key("PUTIN") == "vladimir-putin"  # surname of a person
    assert index.key("the Kremlin") == "government-of-russia"  # a mention, article dropped
    assert index.key("Zelenskyy") == "volodymyr-zelenskiy"  # a transliteration variant
    assert index.key("Sergei Lavrov") is None
    assert index.key(42) is None
    two_putins = dataclasses.replace(
        article,
        actors=(*article.actors, Actor(key="lyudmila-putin", name="Lyudmila Putin", kind="person")),
        mentions=(),
    )
    assert ActorIndex(two_putins).key("Putin") is None  # ambiguous: no actor, not a guess
