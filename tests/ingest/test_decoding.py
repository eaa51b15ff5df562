"""Decoding page bytes: labels are used only when the bytes agree with them."""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.ingest import decoding
from newsdesk.ingest.decoding import decode_html, decode_text

PHRASE = "\u201ccaf\u00e9 \u2013 na\u00efve\u201d, the editor\u2019s note"  # “café – naïve”


def page(body: str, *, head: str = '<meta charset="utf-8">') -> str:
    return (
        f"<!doctype html><html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"
    )


@pytest.fixture
def no_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("charset_normalizer must not run here")

    monkeypatch.setattr(decoding, "from_bytes", refuse)


@pytest.mark.usefixtures("no_detector")
def test_utf8_page_is_decoded_without_the_detector() -> None:
    html = page(PHRASE + " Zürich 東京")
    assert decode_html(html.encode("utf-8")) == (html, "utf-8")
    assert decode_html(html.encode("utf-8"), declared="utf-8") == (html, "utf-8")


@pytest.mark.usefixtures("no_detector")
@pytest.mark.parametrize(
    ("bom", "codec", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_byte_order_mark_wins_over_labels(bom: bytes, codec: str, expected: str) -> None:
    html = page(PHRASE, head='<meta charset="iso-8859-2">')
    assert decode_html(bom + html.encode(codec), declared="koi8-r") == (html, expected)


def test_mislabelled_cp1252_page_decodes_right() -> None:
    html = page(PHRASE)  # says utf-8, but the bytes below are windows-1252
    text, encoding = decode_html(html.encode("cp1252"))
    assert text == html
    assert PHRASE in text
    assert encoding == "cp1252"


def test_mislabelled_latin1_page_prefers_cp1252() -> None:
    html = page("Café naïve déjà vu à la carte")
    assert decode_html(html.encode("latin-1"), declared="utf-8") == (html, "cp1252")


@pytest.mark.usefixtures("no_detector")
@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "us-ascii"])
def test_latin1_label_decodes_as_cp1252(label: str) -> None:
    html = page(
        PHRASE, head=f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
    )
    assert decode_html(html.encode("cp1252")) == (html, "cp1252")


@pytest.mark.usefixtures("no_detector")
def test_cp1252_undefined_bytes_become_c1_controls() -> None:
    text, encoding = decode_html(b"<p>a\x81b\x93c\x94</p>", declared="iso-8859-1")
    assert (text, encoding) == ("<p>a\x81b\u201cc\u201d</p>", "cp1252")


@pytest.mark.usefixtures("no_detector")
def test_http_charset_comes_before_meta() -> None:
    html = page("Привет, мир: новости дня", head='<meta charset="utf-8">')
    body = html.encode("cp1251")
    assert decode_html(body, declared="windows-1251") == (html, "cp1251")
    assert decode_html(body, declared="text/html; charset=windows-1251") == (html, "cp1251")


@pytest.mark.usefixtures("no_detector")
def test_meta_and_xml_declaration_labels() -> None:
    html = page(
        "Москва сегодня", head='<meta http-equiv="content-type" content="text/html;charset=KOI8-R">'
    )
    assert decode_html(html.encode("koi8-r")) == (html, "koi8-r")
    xhtml = '<?xml version="1.0" encoding="ISO-8859-15"?><html><p>12 \u20ac</p></html>'
    assert decode_html(xhtml.encode("iso-8859-15")) == (xhtml, "iso8859-15")


@pytest.mark.usefixtures("no_detector")
def test_valid_utf8_wins_over_a_legacy_label() -> None:
    html = page(PHRASE, head='<meta charset="windows-1252">')
    assert decode_html(html.encode("utf-8"), declared="iso-8859-1") == (html, "utf-8")


def test_utf16_meta_label_means_utf8_and_junk_labels_are_ignored() -> None:
    html = page("plain ascii", head='<meta charset="utf-16">')
    assert decode_html(html.encode("ascii")) == (html, "utf-8")
    body = b"<p>caf\\u00e9 +AGE- d\xe9j\xe0 vu \x93ok\x94</p>"
    for label in ("base64", "unicode_escape", "utf-7", "no-such-charset"):
        text, encoding = decode_html(body, declared=label)
        assert (text, encoding) == ("<p>caf\\u00e9 +AGE- déjà vu “ok”</p>", "cp1252")


@pytest.mark.usefixtures("no_detector")
def test_bomless_utf16_with_http_label() -> None:
    html = page("Weather in Paris")
    assert decode_html(html.encode("utf-16-le"), declared="utf-16-le") == (html, "utf-16-le")


@pytest.mark.usefixtures("no_detector")
def test_iso_2022_jp_with_label() -> None:
    html = page("東京のニュース", head='<meta charset="iso-2022-jp">')
    assert decode_html(html.encode("iso-2022-jp")) == (html, "iso2022_jp")


@pytest.mark.usefixtures("no_detector")
def test_utf8_page_with_stray_cp1252_bytes_is_repaired() -> None:
    good = "Zürich — “quoted” naïve café " * 5
    body = page(good).encode("utf-8").replace(b"</p>", b" editor\x92s note</p>")
    text, encoding = decode_html(body)
    assert encoding == "utf-8+cp1252"
    assert good in text
    assert "editor\u2019s note" in text


def test_undecodable_bytes_raise_value_error() -> None:
    garbage = random.Random(0).randbytes(4096)
    with pytest.raises(ValueError, match="cannot decode"):
        decode_html(garbage, declared="utf-8")
    with pytest.raises(ValueError, match="cannot decode"):
        decode_text(garbage)


@pytest.mark.usefixtures("no_detector")
def test_decode_text_utf8_and_bom() -> None:
    assert decode_text("naïve café\n".encode()) == ("naïve café\n", "utf-8")
    assert decode_text(codecs.BOM_UTF8 + b"plain") == ("plain", "utf-8")
    assert decode_text(b"") == ("", "utf-8")


def test_decode_text_legacy_falls_back_to_cp1252() -> None:
    text = "The minister\u2019s “café – naïve” remark was reported on Monday.\n" * 3
    assert decode_text(text.encode("cp1252")) == (text, "cp1252")


def test_decode_text_guesses_cyrillic() -> None:
    text = "Президент объявил о новых мерах поддержки экономики страны.\n" * 3
    assert decode_text(text.encode("cp1251")) == (text, "cp1251")


@given(st.text())
def test_any_utf8_page_round_trips(body: str) -> None:
    html = '<meta charset="utf-8">' + body
    assert decode_html(html.encode("utf-8")) == (html, "utf-8")


@given(st.text().filter(lambda s: not s.startswith("\ufeff")))
def test_any_utf8_text_round_trips(body: str) -> None:
    assert decode_text(body.encode("utf-8")) == (body, "utf-8")
