"""Finding a span the LLM quoted in the article: exactly, else with whitespace and quotes folded.

Models retype what they copy: line breaks become spaces, curly quotes straight ones, dashes
hyphens. Those differences are forgiven; any other difference means the span is not in the
text and whatever rests on it is dropped.
"""

from __future__ import annotations

import re
import unicodedata

_SINGLE_QUOTES = "'‘’‚`´"
_DOUBLE_QUOTES = '"“”„«»'
_DASHES = "-‐‑‒–—−"
_EQUIVALENTS: dict[str, str] = {
    **{c: "[" + re.escape(_SINGLE_QUOTES) + "]" for c in _SINGLE_QUOTES},
    **{c: "[" + re.escape(_DOUBLE_QUOTES) + "]" for c in _DOUBLE_QUOTES},
    **{c: "[" + re.escape(_DASHES) + "]" for c in _DASHES},
}


def loose_pattern(fragment: str) -> re.Pattern[str] | None:
    """A pattern matching ``fragment`` with any run of whitespace and any quote or dash form."""
    tokens = unicodedata.normalize("NFC", fragment).split()
    if not tokens:
        return None
    return re.compile(
        r"\s+".join("".join(_EQUIVALENTS.get(c, re.escape(c)) for c in token) for token in tokens)
    )


def locate(
    text: str, fragment: str, start: int = 0, end: int | None = None
) -> tuple[int, int] | None:
    """The first span of ``text[start:end]`` holding ``fragment`` (exact, else loose), or None.

    Surrounding whitespace of ``fragment`` is ignored; the span returned is in ``text``'s
    offsets, so ``text[span[0]:span[1]]`` is what the article really says.
    """
    stop = len(text) if end is None else end
    wanted = fragment.strip()
    if not wanted:
        return None
    found = text.find(wanted, start, stop)
    if found >= 0:
        return found, found + len(wanted)
    pattern = loose_pattern(wanted)
    match = pattern.search(text, start, stop) if pattern else None
    return (match.start(), match.end()) if match else None
