"""Text normalisation: what every stored string satisfies."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from newsdesk.text import clean_line, clean_text, normalised_for_hash


@given(st.text())
def test_clean_text_is_idempotent_and_safe(raw: str) -> None:
    cleaned = clean_text(raw)
    assert clean_text(cleaned) == cleaned
    assert "\x00" not in cleaned
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in cleaned)
    assert unicodedata.is_normalized("NFC", cleaned)


def test_clean_text_keeps_paragraphs_and_folds_spacing() -> None:
    assert clean_text("  One\u00a0 two \r\n\r\n\r\n\tThree\x00 ") == "One two\n\nThree"


def test_clean_line_folds_newlines() -> None:
    assert clean_line("A\nheadline \t here") == "A headline here"


def test_normalised_for_hash_ignores_case_and_punctuation() -> None:
    assert normalised_for_hash("Hello, World!") == normalised_for_hash("hello world")
