"""Canonical URLs: tracking stripped, identity stable."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.provisional import urls

from newsdesk.urls import canonical_url, domain_of


@given(urls())
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


@given(st.text())
def test_canonical_url_never_raises_on_text(text: str) -> None:
    # urllib rejects some malformed netlocs (bad ports, brackets) with ValueError; nothing else.
    with contextlib.suppress(ValueError):
        canonical_url(text)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://WWW.Example.org:443/a//b?utm_source=x&id=3&fbclid=1#top",
            "https://www.example.org/a/b?id=3",
        ),
        ("http://example.org", "http://example.org/"),
        ("http://example.org:8080/x?b=2&a=1", "http://example.org:8080/x?a=1&b=2"),
        ("file:///tmp/a.html", "file:///tmp/a.html"),
    ],
)
def test_canonical_url_examples(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_domain_of_drops_www() -> None:
    assert domain_of("https://www.Example.org/x") == "example.org"
    assert domain_of("file:///tmp/x") is None
