"""The extract stage: bodies without recirculation blocks, metadata with provenance, scrapes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.errors import InputError
from newsdesk.model import Article, DateSource, RawKind
from newsdesk.stages.extract import ExtractStage
from newsdesk.stages.extract.dates import date_from_text, date_from_url, parse_iso
from newsdesk.stages.extract.metadata import split_authors, strip_site_suffix
from newsdesk.stages.extract.plaintext import parse_scrape

PROSE = [
    "Negotiators from both countries arrived at the palace on the Bosphorus shortly after nine"
    " in the morning, greeted by the Turkish foreign minister who opened the session.",
    "Officials said the meeting lasted a little under two hours and ended with an agreement to"
    " exchange a thousand prisoners on each side in the coming days, the largest such swap.",
    "Both delegations promised to set out their ideas for a ceasefire in writing, although"
    " neither side described the tone of the discussion as warm or especially productive.",
    "The head of the visiting delegation told reporters afterwards that the next step should be"
    " a meeting of the two presidents, something the other side has so far not accepted.",
]


def page(
    *, head: str = "", inside: str = "", outside: str = "", paragraphs: list[str] = PROSE
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>
<nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li></ul></nav>
<main><article class="post"><h1>Talks end with prisoner swap deal</h1>
<div class="c-body">{body}{inside}</div></article>{outside}</main>
<footer><p>Copyright 2025 The Example Ledger. All rights reserved.</p></footer></body></html>"""


RELATED_INSIDE = """
<div class="c-list"><h3>You May Also Like</h3>
<div class="c-item"><a href="/2020/02/fitness-club">Fitness club shut over virus fears in Taipei</a>
<p>A member ignored a quarantine order and visited the gym anyway.</p></div>
<div class="c-item">
<a href="/2020/03/forecast">Island raises its growth forecast despite trade war</a>
<p>Statisticians expect exports of chips to hold up.</p></div>
</div>"""


def run(html: str, url: str = "https://www.ledger.example/world/talks") -> Article:
    stage = ExtractStage()
    return stage(Article(url=url, source="test.html", raw=html, raw_kind=RawKind.HTML))


def test_related_block_inside_article_container_is_split_off() -> None:
    article = run(page(inside=RELATED_INSIDE))
    assert "Fitness club" not in article.text
    assert "quarantine order" not in article.text
    assert article.text.endswith("so far not accepted.")
    titles = [r.title for r in article.related_links]
    assert titles == [
        "Fitness club shut over virus fears in Taipei",
        "Island raises its growth forecast despite trade war",
    ]
    first = article.related_links[0]
    assert first.teaser == "A member ignored a quarantine order and visited the gym anyway."
    assert first.url == "https://www.ledger.example/2020/02/fitness-club"
    assert first.block == "You May Also Like"


def test_inline_read_more_line_is_split_off() -> None:
    paragraphs = [
        *PROSE[:2],
        'Read more: <a href="/earlier">Kremlin names its delegation for the talks</a>',
        *PROSE[2:],
    ]
    article = run(page(paragraphs=paragraphs))
    assert "Kremlin names its delegation" not in article.text
    assert [r.title for r in article.related_links] == [
        "Kremlin names its delegation for the talks"
    ]
    assert all(p in article.text for p in PROSE)


def test_subheading_that_only_starts_like_a_block_name_stays() -> None:
    paragraphs = [PROSE[0], "<h2>Popular anger grows in the capital</h2>", *PROSE[1:]]
    article = run(page(paragraphs=paragraphs))
    assert article.related_links == ()
    assert all(p in article.text for p in PROSE)


def test_prose_with_inline_links_under_a_read_more_heading_is_kept() -> None:
    linked = [p.replace("meeting", '<a href="/m">meeting</a>') for p in PROSE]
    article = run(page(paragraphs=["<h4>Read more</h4>", *linked]))
    assert all(p in article.text for p in PROSE)


def test_metadata_from_json_ld_and_meta() -> None:
    head = """<title>Talks end with prisoner swap deal | The Example Ledger</title>
<link rel="canonical" href="https://www.ledger.example/world/talks?utm_source=rss">
<meta property="og:site_name" content="The Example Ledger">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Talks end with prisoner swap deal","datePublished":"2025-05-16T18:05:00+03:00",
"author":[{"@type":"Person","name":"Ayla Demir"},{"@type":"Person","name":"Tom Reyes"}]}</script>"""
    article = run(page(head=head), url="https://www.ledger.example/world/talks?utm_source=x")
    assert article.title == "Talks end with prisoner swap deal"
    assert article.authors == ("Ayla Demir", "Tom Reyes")
    assert article.site == "The Example Ledger"
    assert article.canonical_url == "https://www.ledger.example/world/talks"
    assert article.domain == "ledger.example"
    assert article.published.value == datetime(2025, 5, 16, 15, 5, tzinfo=UTC)
    assert article.published.source is DateSource.JSON_LD


def test_title_suffix_stripped_from_title_tag() -> None:
    head = (
        "<title>Talks end with prisoner swap deal - Example Ledger</title>"
        '<meta property="og:site_name" content="Example Ledger">'
    )
    html = page(head=head).replace("<h1>Talks end with prisoner swap deal</h1>", "")
    assert run(html).title == "Talks end with prisoner swap deal"


def test_no_date_is_reported_as_none_not_invented() -> None:
    article = run(page(), url="https://www.ledger.example/world/talks")
    assert article.published.value is None
    assert article.published.source is DateSource.NONE


def test_date_from_url_and_byline_text() -> None:
    assert run(page(), url="https://x.example/2025/05/14/story").published.source is DateSource.URL
    byline = '<p class="byline">By Ayla Demir. Published 14 May 2025, 21:40</p>'
    article = run(page(paragraphs=[byline, *PROSE]))
    assert article.published.value == datetime(2025, 5, 14, 21, 40, tzinfo=UTC)
    assert article.published.source is DateSource.TEXT


def test_page_without_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        run("<html><body><nav><a href='/'>Home</a></nav></body></html>")


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Ayla Demir, Senior Correspondent and Tom Reyes", ["Ayla Demir", "Tom Reyes"]),
        ("Ayla Demir | Meridian Wire", ["Ayla Demir"]),
        ("Staff reporter", []),
        ("By Maria de Souza in Istanbul", ["Maria de Souza"]),
        ("Jan Kowalski & Olena Shevchenko", ["Jan Kowalski", "Olena Shevchenko"]),
    ],
)
def test_split_authors(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Talks end | The Ledger", "The Ledger", "Talks end"),
        ("Delegations meet in Istanbul | Meridian Wire", None, "Delegations meet in Istanbul"),
        (
            "Hopes – and realism – in Istanbul - Meridian Wire",
            "Meridian Wire",
            "Hopes – and realism – in Istanbul",
        ),
        ("Talks open – and stall", None, "Talks open – and stall"),
        ("Russia, Ukraine: what comes next", None, "Russia, Ukraine: what comes next"),
    ],
)
def test_strip_site_suffix(title: str, site: str | None, expected: str) -> None:
    assert strip_site_suffix(title, site) == expected


def test_date_parsers() -> None:
    assert parse_iso("2025-05-14T21:40:00Z") == (datetime(2025, 5, 14, 21, 40, tzinfo=UTC), False)
    assert parse_iso("2025-05-14") == (datetime(2025, 5, 14, tzinfo=UTC), True)
    assert parse_iso("yesterday") is None
    assert date_from_url("https://x.example/news/20250514/a") == datetime(2025, 5, 14, tzinfo=UTC)
    assert date_from_text("Updated May 14, 2025 9:40 pm GMT+3") == (
        datetime(2025, 5, 14, 18, 40, tzinfo=UTC),
        False,
    )
    assert date_from_text("no date here") is None


def test_seed_scrape_title_once_body_and_related_links(seed: Path) -> None:
    scrape = parse_scrape(seed.read_text(encoding="utf-8"))
    assert scrape.title == "Russia Ukraine peace talks"
    assert "Russia Ukraine peace talks" not in scrape.text
    assert scrape.text.endswith("more decisive negotiations.")
    assert len(scrape.related_links) == 4
    assert all(link.teaser for link in scrape.related_links)
    for link in scrape.related_links:
        assert link.title not in scrape.text
        assert link.teaser is not None
        assert link.teaser not in scrape.text
    assert "You May Also Like" not in scrape.text
    assert "Yawei" not in scrape.text
    assert "Taiwan" not in scrape.text


def test_sign_up_box_and_tag_line_inside_the_body_are_dropped() -> None:
    box = (
        '<div class="css-nl"><strong>Signal Boost</strong><p>Fast news, free every weekday.</p>'
        '<input type="email" aria-label="Email"><button>Sign up</button></div>'
    )
    tags = '<p class="x">Topics: <a href="/world/">World</a>, <a href="/t">Türkiye</a></p>'
    article = run(page(paragraphs=[PROSE[0], box, *PROSE[1:], tags]))
    assert "Fast news" not in article.text
    assert "Topics" not in article.text
    assert all(p in article.text for p in PROSE)
