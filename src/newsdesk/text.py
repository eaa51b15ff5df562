"""Text normalisation shared by every layer, so SQLite and PostgreSQL see the same strings."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """NFC text without NUL, control characters or lone surrogates; paragraphs kept.

    Runs of horizontal white space fold to one space, lines are stripped, and more than one
    blank line folds to one. Idempotent: ``clean_text(clean_text(s)) == clean_text(s)``.
    """
    text = _LONE_SURROGATE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str) -> str:
    """A single-line value (title, author, teaser): ``clean_text`` with newlines folded."""
    return _SPACES.sub(" ", clean_text(text).replace("\n", " ")).strip()


def normalised_for_hash(text: str) -> str:
    """The form two texts share when they are the same article: case and spacing ignored."""
    return " ".join(re.findall(r"\w+", clean_text(text).casefold()))
