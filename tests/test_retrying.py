"""The shared retry policy: Retry-After parsing, which answers retry, and how long to wait."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.retrying import RetryPolicy, retry_after_seconds

NOW = datetime(2025, 5, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("Wed, 14 May 2025 12:01:30 GMT", 90.0),
        ("Wed, 14 May 2025 11:00:00 GMT", 0.0),  # a date in the past: no wait
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_takes_delta_seconds_or_an_http_date(
    header: str | None, seconds: float | None
) -> None:
    assert retry_after_seconds(header, now=NOW) == seconds


def test_429_and_5xx_are_retried_while_attempts_are_left() -> None:
    policy = RetryPolicy(retries=2)
    assert [policy.should_retry(s, 0) for s in (429, 500, 503, 404, 401, 200)] == [
        True, True, True, False, False, False,
    ]  # fmt: skip
    assert policy.should_retry(503, 1)
    assert not policy.should_retry(503, 2)
    assert policy.gives_up(2)


def test_the_wait_is_the_backoff_or_a_longer_retry_after_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff=0.5, max_retry_after=60)
    assert [policy.backoff_delay(a) for a in range(3)] == [0.5, 1.0, 2.0]
    assert policy.delay(0, None) == 0.5
    assert policy.delay(1, 3.0) == 3.0
    assert policy.delay(2, 0.1) == 2.0
    assert policy.delay(0, 60.0) == 60.0
    assert policy.delay(0, 61.0) is None
