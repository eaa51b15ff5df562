"""Name folding: one key for the spellings of one name (Zelenskiy, Zelensky, Zelenskyy)."""

from __future__ import annotations

import re
import unicodedata

# Transliteration endings that vary between outlets: -skiy/-skyy/-skyi/-sky, -iy/-ii/-yi/-y.
_ENDINGS = ((re.compile(r"(?<=[ks])(?:iy|yy|yi|ij|ii|iy)$"), "y"), (re.compile(r"ii$"), "iy"))
_NON_WORD = re.compile(r"[^a-z0-9]+")


# Letters NFKD does not decompose into a base letter and a mark.
_PLAIN = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                        "ß": "ss", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th"})  # fmt: skip


def fold(name: str) -> str:
    """Lower-case ASCII form of a name with transliteration variants made equal."""
    text = unicodedata.normalize("NFKD", name.translate(_PLAIN))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").removesuffix("'s")
    words = []
    for word in re.findall(r"[a-z0-9'-]+", text):
        for pattern, replacement in _ENDINGS:
            word = pattern.sub(replacement, word)
        words.append(word)
    return " ".join(words)


def slug(name: str) -> str:
    """The key form of a name: folded words joined by hyphens."""
    return _NON_WORD.sub("-", fold(name)).strip("-")


def surname(name: str) -> str:
    """The folded last word of a name."""
    parts = fold(name).split()
    return parts[-1] if parts else ""
