"""Turn a page's bytes into text, trusting charset labels only as far as the bytes agree."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode_html", "decode_text"]

# How far into a page the <meta charset> / XML-declaration prescan looks.
_PRESCAN_BYTES = 4096
# A charset_normalizer match this close to the best one counts as equally plausible.
_PLAUSIBLE_CHAOS = 0.06

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG Encoding Standard: these labels name a superset decoder in browsers, and pages
# rely on it (an "iso-8859-1" page with curly quotes is really windows-1252).
_WHATWG_SUPERSET = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
# Codecs a page must never be able to pick for itself.
_REFUSED = frozenset(
    {"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"}
)
# The five bytes windows-1252 leaves undefined; WHATWG maps them to the C1 controls.
_CP1252_HOLES = {b: chr(b) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_CP1252_TABLE = {b: _CP1252_HOLES.get(b) or bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)}


def decode_html(body: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; return ``(text, encoding_used)``.

    Order: a byte-order mark; then the ``declared`` charset (the HTTP ``Content-Type``
    parameter, or the whole header value) and the ``<meta charset>`` / ``http-equiv`` /
    XML-declaration label in the first 4 KB, each used only if the bytes are valid in it;
    then a guess (:func:`decode_text`'s order). ISO-8859-1 and ASCII labels decode as
    windows-1252, as browsers do. Bytes that are valid, non-ASCII UTF-8 decode as UTF-8
    whatever the label says: that is what a mislabelled modern page looks like.

    ``encoding_used`` is a Python codec name, or ``"utf-8+cp1252"`` for a UTF-8 page with a
    few stray windows-1252 bytes, each repaired on its own.

    Raises ``ValueError`` when no encoding fits (binary content). This function does not
    know which item it decodes, so callers wrap the error in an ``InputError`` naming it.
    """
    bom = _bom(body)
    if bom is not None:
        encoding, size = bom
        try:
            return body[size:].decode(encoding), encoding
        except UnicodeDecodeError:
            body = body[size:]  # a lying BOM: judge the rest on its own
    # The common case, fast: valid UTF-8 is UTF-8. NULs may be BOM-less UTF-16 and ESC
    # bytes ISO-2022, which are also valid UTF-8, so those go through the labels first.
    if b"\x00" not in body and b"\x1b" not in body:
        text = _utf8(body)
        if text is not None:
            return text, "utf-8"
    for encoding in _labels(body, declared):
        decoded = _decode_as(body, encoding)
        if decoded is not None:
            return decoded, encoding
    return _guess(body)


def decode_text(body: bytes) -> tuple[str, str]:
    """Decode a plain-text document; return ``(text, encoding_used)``.

    Order: a byte-order mark, strict UTF-8, UTF-8 with a few stray windows-1252 bytes
    repaired, then charset_normalizer's best guess, preferring windows-1252 whenever it is
    as plausible as the best guess. Raises ``ValueError`` when nothing fits; callers wrap it.
    """
    bom = _bom(body)
    if bom is not None:
        encoding, size = bom
        try:
            return body[size:].decode(encoding), encoding
        except UnicodeDecodeError:
            body = body[size:]
    return _guess(body)


def _bom(body: bytes) -> tuple[str, int] | None:
    for mark, encoding in _BOMS:
        if body.startswith(mark):
            return encoding, len(mark)
    return None


def _utf8(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _labels(body: bytes, declared: str | None) -> list[str]:
    """The usable encodings the HTTP header and the page itself claim, strongest first."""
    found: list[str] = []
    if declared:
        match = re.search(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", declared, re.I)
        name = _codec(match.group(1) if match else declared.strip(), from_page=False)
        if name is not None:
            found.append(name)
    head = body[:_PRESCAN_BYTES]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        label = pattern.search(head)
        if label:
            name = _codec(label.group(1).decode("ascii"), from_page=True)
            if name is not None and name not in found:
                found.append(name)
    return found


def _codec(label: str, *, from_page: bool) -> str | None:
    """The Python codec a charset label means, WHATWG-adjusted; None if unusable."""
    try:
        name = codecs.lookup(label.strip().lower()).name
        b"a".decode(name)  # LookupError for bytes-to-bytes codecs such as base64
    except LookupError:
        return None
    except UnicodeError:
        pass  # "a" alone is not valid UTF-16; the codec is still a text codec
    if name in _REFUSED:
        return None
    if name == "utf-8-sig":
        return "utf-8"
    # A page that could state its own label in ASCII is not UTF-16 (WHATWG prescan rule).
    if from_page and name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return _WHATWG_SUPERSET.get(name, name)


def _decode_as(body: bytes, encoding: str) -> str | None:
    """``body`` decoded strictly as ``encoding``, or None when the bytes are not valid in it."""
    if encoding == "cp1252":
        return _cp1252(body)
    try:
        return body.decode(encoding)
    except UnicodeDecodeError:
        return None


def _cp1252(body: bytes) -> str:
    """The WHATWG windows-1252 decoder, which, unlike Python's, accepts every byte."""
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError:
        return body.decode("latin-1").translate(_CP1252_TABLE)


def _guess(body: bytes) -> tuple[str, str]:
    text = _utf8(body)
    if text is not None:
        return text, "utf-8"
    text = _utf8_with_repairs(body)
    if text is not None:
        return text, "utf-8+cp1252"
    return _detect(body)


def _utf8_with_repairs(body: bytes) -> str | None:
    """UTF-8 text with a few stray windows-1252 bytes pasted in (a common CMS accident).

    Used only when valid multi-byte UTF-8 clearly outweighs the invalid bytes: a genuine
    windows-1252 page has next to no valid multi-byte sequences.
    """
    escaped = body.decode("utf-8", errors="surrogateescape")
    invalid = len(_ESCAPED_BYTE.findall(escaped))
    # Each invalid byte stays one character; each valid multi-byte character shrinks by 1-3.
    continuation_bytes = len(body) - len(escaped)
    if continuation_bytes < 2 * invalid:
        return None
    return _ESCAPED_BYTE.sub(lambda m: _cp1252(bytes([ord(m.group()) - 0xDC00])), escaped)


def _detect(body: bytes) -> tuple[str, str]:
    """charset_normalizer's best guess, preferring windows-1252 when it fits as well."""
    matches = list(from_bytes(body))
    if not matches:
        raise ValueError("cannot decode: the bytes fit no known text encoding")
    best = min(m.chaos for m in matches)
    for match in matches:
        plausible = match.chaos <= best + _PLAUSIBLE_CHAOS
        if plausible and "cp1252" in (match.encoding, *match.could_be_from_charset):
            return _cp1252(body), "cp1252"
    for match in matches:
        encoding = codecs.lookup(match.encoding).name
        if encoding in ("iso8859-1", "ascii"):
            return _cp1252(body), "cp1252"
        decoded = _decode_as(body, encoding)
        if decoded is not None:
            return decoded, encoding
    raise ValueError("cannot decode: no guessed encoding decodes the whole document")
