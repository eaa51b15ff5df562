"""Build the bundled demo corpus from the hand-written sources next to this file.

Run from the repository root:

    .venv/bin/python tools/demo_corpus/build.py

Reads `outlets.toml`, `articles/*.toml`, `scrapes/*.txt` (+ `.toml` sidecars), `feeds/*` and
`feeds.opml` (whatever exists), renders one realistic news page per article with the outlet's own
template (navigation, cookie banner, share bar, related blocks, comments, footer, scripts) and
writes everything under `src/newsdesk/demo/` together with `gold.json`, the answer key derived
from the sources. Stdlib only; deterministic; fails loudly (exit status 1) on a malformed source.
See SCHEMA.md for the source format.
"""

from __future__ import annotations

import html
import json
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "src" / "newsdesk" / "demo"

DATE_IN = ("json-ld", "meta", "text", "url", "none")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SHARE = "Share on"
ARTICLE_KEYS_REQUIRED = {
    "outlet",
    "url",
    "title",
    "section",
    "authors",
    "published",
    "date_in",
    "story",
    "body",
    "must_contain",
}
ARTICLE_KEYS_OPTIONAL = {
    "dek",
    "syndicated_from",
    "read_more",
    "read_more_after",
    "related_inside",
    "related_inside_heading",
    "related_outside",
    "related_outside_heading",
    "comments",
    "figure",
    "fetched_query",
    "actors",
    "quotes",
    "times",
    "events",
}
SCRAPE_KEYS_REQUIRED = {"title", "published", "story", "related_titles", "must_contain"}
SCRAPE_KEYS_OPTIONAL = {
    "authors",
    "published_source",
    "syndicated_from",
    "must_not_contain",
    "related_heading",
    "url",
    "site",
    "actors",
    "quotes",
    "times",
    "events",
}
OUTLET_KEYS = {
    "name",
    "domain",
    "template",
    "date_in",
    "language",
    "tagline",
    "nav",
    "cookie_text",
    "newsletter_heading",
    "newsletter_text",
    "copyright",
    "related_inside_heading",
    "related_outside_heading",
}

# Date-looking strings a page with `date_in = "none"` must not contain anywhere.
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
DATE_PATTERNS = {
    "iso": re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d"),
    "path": re.compile(r"/(?:19|20)\d\d/[01]?\d/[0-3]?\d(?:/|\b)"),
    "day-month-year": re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? {_MON},? (?:19|20)\d\d\b"),
    "month-day-year": re.compile(rf"\b{_MON} \d{{1,2}}(?:st|nd|rd|th)?,? (?:19|20)\d\d\b"),
    "numeric": re.compile(r"\b\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d\b"),
    "compact": re.compile(r"\b(?:19|20)\d\d[01]\d[0-3]\d\b"),
}
URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")
LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
STEM = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*$")

# Hand-written enrichment gold (`actors`, `quotes`, `times`, `events`); see SCHEMA.md.
ENRICHMENT = ("actors", "quotes", "times", "events")
ACTOR_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ACTOR_KINDS = ("person", "organisation", "government")
QUOTE_KINDS = ("direct", "reported")
QUOTE_WORDS = (4, 12)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY = r"(?:\d{4}|XXXX)-(?:\d\d-\d\d|W\d\d-\d|WXX-\d)"
TIMEX_VALUE = {
    # year, century/decade ("18", "201"), month, day, week, weekend, season, quarter
    "DATE": re.compile(
        rf"^(?:\d{{2,4}}|\d{{4}}-\d\d|{_DAY}|\d{{4}}-W\d\d(?:-WE)?|\d{{4}}-(?:SP|SU|FA|WI|Q[1-4])"
        r"|XXXX-\d\d-\d\d)$"
    ),
    # a day with a clock time or a part of the day
    "TIME": re.compile(rf"^{_DAY}T(?:\d\d:\d\d|MO|AF|EV|NI|DT)$"),
    # P30D, PT2H, P3Y, PXW (some weeks), PXDE (decades), PTXH (some hours)
    "DURATION": re.compile(r"^P(?:(?:\d+|X)(?:Y|M|W|D|DE)|T(?:\d+|X)(?:H|M|S))$"),
    "SET": re.compile(r"^P(?:\d+(?:Y|M|W|D)|T\d+(?:H|M))$"),
}
# PLOVER event types (as in the PLV data set) and the statuses of `newsdesk.model.EventStatus`.
EVENT_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "COOPERATE",
    "AID",
    "YIELD",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
EVENT_STATUSES = (
    "occurred",
    "ongoing",
    "planned",
    "proposed",
    "demanded",
    "conditional",
    "declined",
    "threatened",
    "denied",
    "hypothetical",
    "historical",
)
EVENT_KEYS = {"type", "actors", "recipients", "status", "date", "evidence"}
EVIDENCE_WORDS = (4, 15)


class SourceError(Exception):
    """A source file is malformed; the message names the file and the problem."""


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    domain: str
    template: str
    date_in: tuple[str, ...]
    tagline: str
    nav: tuple[str, ...]
    cookie_text: str
    newsletter_heading: str
    newsletter_text: str
    copyright: str
    related_inside_heading: str
    related_outside_heading: str


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    teaser: str = ""


@dataclass(frozen=True)
class Author:
    name: str
    role: str = ""


@dataclass(frozen=True)
class Block:
    kind: str  # "p" | "h" | "quote" | "list"
    lines: tuple[str, ...]

    @property
    def plain(self) -> str:
        return " ".join(plain_inline(line) for line in self.lines)


@dataclass(frozen=True)
class Figure:
    caption: str
    credit: str
    src: str
    after: int


@dataclass
class Article:
    stem: str
    source: Path
    outlet: Outlet
    url: str
    title: str
    dek: str
    section: str
    authors: list[Author]
    published: datetime | None
    date_in: str
    story: str
    syndicated_from: str
    blocks: list[Block]
    read_more: Link | None
    read_more_after: int
    related_inside: list[Link]
    related_inside_heading: str
    related_outside: list[Link]
    related_outside_heading: str
    comments: list[tuple[str, str]]
    figure: Figure | None
    fetched_query: str
    must_contain: list[str]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rel_path(self) -> str:
        return f"pages/{self.outlet.key}/{self.stem}.html"

    @property
    def page_url(self) -> str:
        url = self.url
        if self.outlet.template == "amp":
            scheme, rest = url.split("://", 1)
            host, _, path = rest.partition("/")
            url = f"{scheme}://{host}/amp/{path}"
        return f"{url}?{self.fetched_query}" if self.fetched_query else url

    @property
    def body_plain(self) -> str:
        return "\n".join(block.plain for block in self.blocks)


# --------------------------------------------------------------------------- helpers


def esc(text: str) -> str:
    """Escape text content (quotes stay as they are, like most CMS output)."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def plain_inline(text: str) -> str:
    return LINK.sub(lambda m: m.group(1), text)


def inline(text: str) -> str:
    """Escape a line of body text, turning `[text](url)` into links."""
    out: list[str] = []
    pos = 0
    for m in LINK.finditer(text):
        out.append(esc(text[pos : m.start()]))
        out.append(f'<a href="{attr(m.group(2))}">{esc(m.group(1))}</a>')
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def json_ld(data: Any, indent: int | None = None) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return text.replace("</", "<\\/")


def utc_iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat()


def text_date(dt: datetime) -> str:
    offset = dt.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    zone = f"GMT{sign}{hours}" + (f":{mins:02d}" if mins else "")
    return f"{dt.day} {MONTHS[dt.month - 1]} {dt.year}, {dt:%H:%M} ({zone})"


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’.-]\w+)*", text))


def fail(path: Path, message: str) -> SourceError:
    try:
        shown = path.relative_to(ROOT)
    except ValueError:
        shown = path
    return SourceError(f"{shown}: {message}")


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise fail(path, f"invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise fail(path, f"not UTF-8: {exc}") from exc


def need_str(path: Path, data: dict[str, Any], key: str, *, empty_ok: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise fail(path, f"`{key}` must be a string, got {type(value).__name__}")
    if not empty_ok and not value.strip():
        raise fail(path, f"`{key}` must not be empty")
    if value != value.strip():
        raise fail(path, f"`{key}` has leading or trailing whitespace")
    return value


def check_keys(path: Path, data: dict[str, Any], required: set[str], optional: set[str]) -> None:
    missing = sorted(required - data.keys())
    if missing:
        raise fail(path, f"missing key(s): {', '.join(missing)}")
    unknown = sorted(data.keys() - required - optional)
    if unknown:
        raise fail(path, f"unknown key(s): {', '.join(unknown)} (typo? see SCHEMA.md)")


def check_url(path: Path, url: str, what: str) -> None:
    if not re.fullmatch(r"https?://[a-z0-9.-]+\.[a-z]+(/[^\s\"<>]*)?", url):
        raise fail(path, f"{what} is not an absolute http(s) URL: {url!r}")


def parse_links(path: Path, data: dict[str, Any], key: str) -> list[Link]:
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise fail(path, f"`{key}` must be an array of tables")
    links: list[Link] = []
    for i, item in enumerate(raw):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            raise fail(path, f"`{where}` must be a table with title/url/teaser")
        extra = sorted(item.keys() - {"title", "url", "teaser"})
        if extra:
            raise fail(path, f"`{where}` has unknown key(s): {', '.join(extra)}")
        title = need_str(path, item, "title")
        url = need_str(path, item, "url")
        check_url(path, url, f"`{where}.url`")
        teaser = need_str(path, item, "teaser", empty_ok=True)
        links.append(Link(title, url, teaser))
    return links


# --------------------------------------------------------------------------- loading


def load_outlets(path: Path) -> dict[str, Outlet]:
    data = load_toml(path)
    outlets: dict[str, Outlet] = {}
    for key, raw in data.items():
        if not isinstance(raw, dict):
            raise fail(path, f"`{key}` must be a table")
        check_keys(
            path,
            raw,
            OUTLET_KEYS - {"related_inside_heading", "related_outside_heading"},
            {"related_inside_heading", "related_outside_heading"},
        )
        template = need_str(path, raw, "template")
        if template not in TEMPLATES:
            raise fail(path, f"[{key}] unknown template {template!r}; have {sorted(TEMPLATES)}")
        date_in = raw["date_in"]
        if not isinstance(date_in, list) or not date_in or any(d not in DATE_IN for d in date_in):
            raise fail(path, f"[{key}] `date_in` must be a non-empty subset of {DATE_IN}")
        unsupported = sorted(set(date_in) - TEMPLATE_DATES[template])
        if unsupported:
            raise fail(path, f"[{key}] template {template!r} cannot carry dates in {unsupported}")
        nav = raw["nav"]
        if not isinstance(nav, list) or not all(isinstance(n, str) and n for n in nav):
            raise fail(path, f"[{key}] `nav` must be a list of section names")
        if raw.get("language") != "en":
            raise fail(path, f'[{key}] `language` must be "en"')
        domain = need_str(path, raw, "domain")
        if not domain.endswith(".example"):
            raise fail(path, f"[{key}] domain must be under .example: {domain!r}")
        outlets[key] = Outlet(
            key=key,
            name=need_str(path, raw, "name"),
            domain=domain,
            template=template,
            date_in=tuple(date_in),
            tagline=need_str(path, raw, "tagline"),
            nav=tuple(nav),
            cookie_text=need_str(path, raw, "cookie_text"),
            newsletter_heading=need_str(path, raw, "newsletter_heading"),
            newsletter_text=need_str(path, raw, "newsletter_text"),
            copyright=need_str(path, raw, "copyright"),
            related_inside_heading=raw.get("related_inside_heading")
            or TEMPLATE_HEADINGS[template][0],
            related_outside_heading=raw.get("related_outside_heading")
            or TEMPLATE_HEADINGS[template][1],
        )
    if not outlets:
        raise fail(path, "no outlets defined")
    return outlets


def parse_body(path: Path, body: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines()]
        if not lines or not lines[0]:
            continue
        if lines[0].startswith("## "):
            if len(lines) != 1:
                raise fail(path, f"subheading must be a block of its own: {lines[0]!r}")
            blocks.append(Block("h", (lines[0][3:].strip(),)))
        elif lines[0].startswith(">"):
            if not all(line.startswith(">") for line in lines):
                raise fail(path, f"every line of a blockquote must start with '>': {lines[0]!r}")
            blocks.append(Block("quote", tuple(line[1:].strip() for line in lines)))
        elif lines[0].startswith("- "):
            if not all(line.startswith("- ") for line in lines):
                raise fail(path, f"every line of a list must start with '- ': {lines[0]!r}")
            blocks.append(Block("list", tuple(line[2:].strip() for line in lines)))
        else:
            if any(line.startswith(("## ", "> ", "- ")) for line in lines[1:]):
                raise fail(path, f"markup line inside a paragraph: {chunk[:60]!r}")
            blocks.append(Block("p", (" ".join(lines),)))
    for block in blocks:
        for line in block.lines:
            if "](" in line and not LINK.search(line):
                raise fail(path, f"broken inline link: {line[:80]!r}")
            if "<" in line and re.search(r"</?[a-zA-Z]", line):
                raise fail(path, f"raw HTML in body (write plain text): {line[:80]!r}")
    if sum(1 for b in blocks if b.kind == "p") < 3:
        raise fail(path, "body needs at least three paragraphs")
    if blocks[-1].kind != "p":
        raise fail(path, "body must end with a paragraph")
    return blocks


def parse_datetime(path: Path, value: str, what: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError as exc:
        raise fail(path, f"{what} is not ISO-8601: {value!r}") from exc
    if dt.tzinfo is None:
        raise fail(path, f"{what} needs a UTC offset: {value!r}")
    return dt


def load_article(path: Path, outlets: dict[str, Outlet]) -> Article:
    stem = path.stem
    if not STEM.match(stem):
        raise fail(path, "file name must look like NN-lowercase-slug.toml")
    data = load_toml(path)
    check_keys(path, data, ARTICLE_KEYS_REQUIRED, ARTICLE_KEYS_OPTIONAL)

    outlet_key = need_str(path, data, "outlet")
    if outlet_key not in outlets:
        raise fail(path, f"unknown outlet {outlet_key!r}; have {sorted(outlets)}")
    outlet = outlets[outlet_key]

    url = need_str(path, data, "url")
    check_url(path, url, "`url`")
    if not url.startswith(f"https://{outlet.domain}/"):
        raise fail(path, f"`url` must be on https://{outlet.domain}/ (the outlet's domain)")
    if "?" in url or "#" in url:
        raise fail(path, "`url` is the clean canonical URL; put tracking in `fetched_query`")

    date_in = need_str(path, data, "date_in")
    if date_in not in DATE_IN:
        raise fail(path, f"`date_in` must be one of {DATE_IN}")
    if date_in not in outlet.date_in:
        raise fail(
            path,
            f"outlet {outlet_key!r} (template {outlet.template!r}) carries dates only in "
            f"{list(outlet.date_in)}, not {date_in!r}",
        )
    published_raw = need_str(path, data, "published", empty_ok=True)
    published = parse_datetime(path, published_raw, "`published`") if published_raw else None
    if published is None and date_in != "none":
        raise fail(path, f"`published` is empty but `date_in` is {date_in!r}")
    url_date = URL_DATE.search(url)
    if date_in == "url":
        if not url_date:
            raise fail(path, '`date_in = "url"` needs /YYYY/MM/DD/ in the URL path')
        assert published is not None
        if url_date.groups() != (f"{published:%Y}", f"{published:%m}", f"{published:%d}"):
            raise fail(path, "URL date does not match the local date of `published`")
    elif url_date and published is not None:
        # A dated URL is fine as a secondary source, but it must agree with `published`.
        days = {published.strftime("%Y%m%d"), published.astimezone(UTC).strftime("%Y%m%d")}
        if "".join(url_date.groups()) not in days:
            raise fail(path, "URL date does not match the date of `published`")

    authors_raw = data["authors"]
    if not isinstance(authors_raw, list):
        raise fail(path, "`authors` must be an array of {name, role} tables")
    authors: list[Author] = []
    for i, a in enumerate(authors_raw):
        if not isinstance(a, dict) or set(a) - {"name", "role"}:
            raise fail(path, f"`authors[{i}]` must be a table with `name` and optional `role`")
        authors.append(Author(need_str(path, a, "name"), need_str(path, a, "role", empty_ok=True)))

    body = data["body"]
    if not isinstance(body, str):
        raise fail(path, "`body` must be a string")
    blocks = parse_body(path, body)

    read_more: Link | None = None
    read_more_after = 0
    if "read_more" in data:
        links = parse_links(path, {"read_more": [data["read_more"]]}, "read_more")
        read_more = links[0]
        raw_after = data.get("read_more_after", 2)
        if not isinstance(raw_after, int) or not 1 <= raw_after < len(blocks):
            raise fail(path, f"`read_more_after` must be an integer in 1..{len(blocks) - 1}")
        read_more_after = raw_after
    elif "read_more_after" in data:
        raise fail(path, "`read_more_after` without `read_more`")

    comments: list[tuple[str, str]] = []
    raw_comments = data.get("comments", [])
    if not isinstance(raw_comments, list):
        raise fail(path, "`comments` must be an array of {author, text} tables")
    for i, c in enumerate(raw_comments):
        if not isinstance(c, dict) or set(c) != {"author", "text"}:
            raise fail(path, f"`comments[{i}]` must be a table with exactly `author` and `text`")
        comments.append((need_str(path, c, "author"), need_str(path, c, "text")))

    figure: Figure | None = None
    if "figure" in data:
        f = data["figure"]
        if not isinstance(f, dict) or set(f) - {"caption", "credit", "src", "after"}:
            raise fail(path, "`figure` must be a table with caption, credit, optional src/after")
        after = f.get("after", 0)
        if not isinstance(after, int) or not 0 <= after < len(blocks):
            raise fail(path, f"`figure.after` must be an integer in 0..{len(blocks) - 1}")
        src = need_str(path, f, "src", empty_ok=True) or (
            f"https://{outlet.domain}/media/{stem[3:]}.jpg"
        )
        check_url(path, src, "`figure.src`")
        figure = Figure(need_str(path, f, "caption"), need_str(path, f, "credit"), src, after)

    must_contain = data["must_contain"]
    if (
        not isinstance(must_contain, list)
        or not 2 <= len(must_contain) <= 4
        or not all(isinstance(s, str) and s.strip() for s in must_contain)
    ):
        raise fail(path, "`must_contain` must list 2-4 non-empty strings")

    fetched_query = need_str(path, data, "fetched_query", empty_ok=True)
    if fetched_query.startswith("?") or " " in fetched_query:
        raise fail(path, "`fetched_query` is the query string without '?', e.g. utm_source=x")

    article = Article(
        stem=stem,
        source=path,
        outlet=outlet,
        url=url,
        title=need_str(path, data, "title"),
        dek=need_str(path, data, "dek", empty_ok=True),
        section=need_str(path, data, "section"),
        authors=authors,
        published=published,
        date_in=date_in,
        story=need_str(path, data, "story"),
        syndicated_from=need_str(path, data, "syndicated_from", empty_ok=True),
        blocks=blocks,
        read_more=read_more,
        read_more_after=read_more_after,
        related_inside=parse_links(path, data, "related_inside"),
        related_inside_heading=need_str(path, data, "related_inside_heading", empty_ok=True)
        or outlet.related_inside_heading,
        related_outside=parse_links(path, data, "related_outside"),
        related_outside_heading=need_str(path, data, "related_outside_heading", empty_ok=True)
        or outlet.related_outside_heading,
        comments=comments,
        figure=figure,
        fetched_query=fetched_query,
        must_contain=list(must_contain),
    )
    check_article_text(article)
    article.extra = parse_enrichment(path, data, article.body_plain, published)
    return article


def boilerplate_strings(article: Article) -> list[str]:
    out = [article.outlet.cookie_text, article.outlet.newsletter_text, SHARE]
    out.extend(TEMPLATE_BOILERPLATE[article.outlet.template])
    return out


def must_not_contain(article: Article) -> list[str]:
    items: list[str] = []
    for link in [*article.related_inside, *article.related_outside]:
        items.append(link.title)
        if link.teaser:
            items.append(link.teaser)
    if article.read_more:
        items.append(article.read_more.title)
    items.extend(text for _, text in article.comments)
    items.extend(boilerplate_strings(article))
    return list(dict.fromkeys(items))


def check_article_text(article: Article) -> None:
    path = article.source
    body = article.body_plain
    for frag in article.must_contain:
        if frag not in body:
            raise fail(path, f"must_contain fragment not in body: {frag!r}")
    if not any(frag in article.blocks[-1].plain for frag in article.must_contain):
        raise fail(path, "one must_contain fragment must come from the LAST paragraph")
    for s in must_not_contain(article):
        if s in body:
            raise fail(path, f"body contains a string that must not be in the article: {s!r}")
    if not article.related_inside and not article.related_outside and not article.read_more:
        raise fail(path, "a page needs at least one related link (inside, outside or read_more)")
    texts = [article.title, article.dek, body]
    texts += [f"{link.title} {link.teaser}" for link in article.related_inside]
    texts += [f"{link.title} {link.teaser}" for link in article.related_outside]
    texts += [text for _, text in article.comments]
    if article.figure:
        texts += [article.figure.caption, article.figure.credit]
    for text in texts:
        if "\ufffd" in text or "\x00" in text:
            raise fail(path, "text contains replacement or NUL characters")


# --------------------------------------------------------------------------- enrichment gold


def _table_list(
    path: Path, data: dict[str, Any], name: str, keys: set[str]
) -> list[dict[str, Any]]:
    raw = data.get(name, [])
    if not isinstance(raw, list):
        raise fail(path, f"`{name}` must be an array of inline tables")
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) != keys:
            raise fail(path, f"`{name}[{i}]` must be a table with exactly {sorted(keys)}")
    return raw


def _occurrences(text: str, body: str) -> int:
    """How often `text` occurs in `body` as a whole phrase (not inside a longer word)."""
    return len(re.findall(rf"(?<![\w-]){re.escape(text)}(?![\w-])", body))


def parse_enrichment(
    path: Path, data: dict[str, Any], body: str, published: datetime | None
) -> dict[str, list[dict[str, Any]]]:
    """Validate the hand-written `actors`, `quotes`, `times` and `events` against the body they
    describe and return them for the gold file (source order kept; [] when a source has none)."""
    present = [name for name in ENRICHMENT if name in data]
    if present and len(present) != len(ENRICHMENT):
        missing = sorted(set(ENRICHMENT) - set(present))
        raise fail(path, f"enrichment gold needs all of {list(ENRICHMENT)}; missing {missing}")

    actors = _table_list(path, data, "actors", {"key", "name", "kind", "titles", "affiliation"})
    keys: set[str] = set()
    for i, a in enumerate(actors):
        where = f"actors[{i}]"
        key = need_str(path, a, "key")
        if not ACTOR_KEY.match(key):
            raise fail(path, f"`{where}.key` must be a lower-case ASCII slug: {key!r}")
        if key in keys:
            raise fail(path, f"`{where}.key` {key!r} is listed twice")
        keys.add(key)
        need_str(path, a, "name")
        need_str(path, a, "affiliation", empty_ok=True)
        if a["kind"] not in ACTOR_KINDS:
            raise fail(path, f"`{where}.kind` must be one of {ACTOR_KINDS}")
        if (a["kind"] == "government") != key.endswith("-government"):
            raise fail(path, f"`{where}`: governments, and only they, have keys ending -government")
        titles = a["titles"]
        if not isinstance(titles, list) or not all(isinstance(t, str) and t for t in titles):
            raise fail(path, f"`{where}.titles` must be a list of non-empty strings")
        if len(set(titles)) != len(titles):
            raise fail(path, f"`{where}.titles` lists a title twice")

    quotes = _table_list(path, data, "quotes", {"kind", "speaker", "content"})
    for i, q in enumerate(quotes):
        where = f"quotes[{i}]"
        if q["kind"] not in QUOTE_KINDS:
            raise fail(path, f"`{where}.kind` must be one of {QUOTE_KINDS}")
        content = need_str(path, q, "content")
        if content not in body:
            raise fail(path, f"`{where}.content` is not in the body: {content!r}")
        n = len(content.split())
        if not QUOTE_WORDS[0] <= n <= QUOTE_WORDS[1]:
            raise fail(
                path, f"`{where}.content` has {n} words (want {QUOTE_WORDS[0]}-{QUOTE_WORDS[1]})"
            )
        speaker = need_str(path, q, "speaker")
        if ACTOR_KEY.match(speaker) and speaker not in keys:
            # A key-like speaker must be an actor of this source, unless it is a single
            # lower-case word written in the body ("officials", "critics").
            if "-" in speaker or not _occurrences(speaker, body):
                raise fail(path, f"`{where}.speaker` {speaker!r} is not a key in `actors`")
        elif not ACTOR_KEY.match(speaker) and speaker not in body:
            raise fail(
                path, f"`{where}.speaker` is neither an actor key nor in the body: {speaker!r}"
            )

    times = _table_list(path, data, "times", {"text", "value", "type"})
    listed: dict[str, int] = {}
    for i, t in enumerate(times):
        where = f"times[{i}]"
        text = need_str(path, t, "text")
        listed[text] = listed.get(text, 0) + 1
        found = _occurrences(text, body)
        if listed[text] > found:
            raise fail(
                path, f"`{where}.text` {text!r} is listed {listed[text]}x, in the body {found}x"
            )
        kind = t["type"]
        if kind not in TIMEX_VALUE:
            raise fail(path, f"`{where}.type` must be one of {sorted(TIMEX_VALUE)}")
        value = need_str(path, t, "value", empty_ok=True)
        if not value:
            if published is not None:
                raise fail(path, f"`{where}.value` may be empty only in an undated source")
            continue
        if not TIMEX_VALUE[kind].match(value):
            raise fail(path, f"`{where}.value` {value!r} is not a TIMEX3 {kind} value")
        day = re.match(r"^(\d{4}-\d\d-\d\d)", value)
        named = [w for w in WEEKDAYS if w in text]
        if day and named:
            weekday = WEEKDAYS[datetime.fromisoformat(day.group(1)).weekday()]
            if weekday != named[0]:
                raise fail(path, f"`{where}`: {text!r} resolved to {value}, a {weekday}")
    events = parse_events(path, data, body, published, keys)
    return {"actors": actors, "quotes": quotes, "times": times, "events": events}


def parse_events(
    path: Path, data: dict[str, Any], body: str, published: datetime | None, keys: set[str]
) -> list[dict[str, Any]]:
    """Validate the hand-written `events` gold: PLOVER type, status, actor and recipient keys of
    this source's `actors`, a TIMEX3 date, and evidence (and condition) copied from the body."""
    raw = data.get("events", [])
    if not isinstance(raw, list):
        raise fail(path, "`events` must be an array of inline tables")
    seen: set[str] = set()
    for i, e in enumerate(raw):
        where = f"events[{i}]"
        if not isinstance(e, dict) or not EVENT_KEYS <= e.keys() <= EVENT_KEYS | {"condition"}:
            raise fail(
                path, f"`{where}` must be a table with {sorted(EVENT_KEYS)} (and `condition`)"
            )
        if e["type"] not in EVENT_TYPES:
            raise fail(path, f"`{where}.type` {e['type']!r} is not a PLOVER type {EVENT_TYPES}")
        status = e["status"]
        if status not in EVENT_STATUSES:
            raise fail(path, f"`{where}.status` {status!r} is not one of {EVENT_STATUSES}")
        for role in ("actors", "recipients"):
            names = e[role]
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise fail(path, f"`{where}.{role}` must be a list of actor keys")
            if len(set(names)) != len(names):
                raise fail(path, f"`{where}.{role}` lists a key twice")
            unknown = [n for n in names if n not in keys]
            if unknown:
                raise fail(path, f"`{where}.{role}`: {unknown} not keys in `actors`")
        both = set(e["actors"]) & set(e["recipients"])
        if both:
            raise fail(path, f"`{where}`: {sorted(both)} both actor and recipient")
        date = need_str(path, e, "date", empty_ok=True)
        if date and not (TIMEX_VALUE["DATE"].match(date) or TIMEX_VALUE["TIME"].match(date)):
            raise fail(path, f"`{where}.date` {date!r} is not a TIMEX3 DATE or TIME value")
        evidence = need_str(path, e, "evidence")
        found = body.count(evidence)
        if found != 1:
            raise fail(path, f"`{where}.evidence` is {found}x in the body (want 1): {evidence!r}")
        n = len(evidence.split())
        if not EVIDENCE_WORDS[0] <= n <= EVIDENCE_WORDS[1]:
            raise fail(
                path,
                f"`{where}.evidence` has {n} words (want {EVIDENCE_WORDS[0]}-{EVIDENCE_WORDS[1]})",
            )
        overlap = [x for x in seen if evidence in x or x in evidence]
        if overlap:
            raise fail(path, f"`{where}.evidence` overlaps an earlier event's: {overlap[0]!r}")
        seen.add(evidence)
        if (status == "conditional") != ("condition" in e):
            raise fail(path, f"`{where}`: a `condition` goes with, and only with, conditional")
        if "condition" in e:
            condition = need_str(path, e, "condition")
            if condition not in body:
                raise fail(path, f"`{where}.condition` is not in the body: {condition!r}")
    return raw


# --------------------------------------------------------------------------- shared parts


def render_blocks(article: Article, sub_tag: str, read_more: Callable[[Link], str]) -> list[str]:
    """Body blocks with the figure and the in-article read-more line spliced in."""
    out: list[str] = []
    for i, block in enumerate(article.blocks):
        if block.kind == "p":
            out.append(f"<p>{inline(block.lines[0])}</p>")
        elif block.kind == "h":
            out.append(f"<{sub_tag}>{inline(block.lines[0])}</{sub_tag}>")
        elif block.kind == "quote":
            lines = list(block.lines)
            cite = ""
            if len(lines) > 1 and lines[-1].startswith(("—", "--")):
                cite = lines.pop().lstrip("—-").strip()
            inner = "".join(f"<p>{inline(line)}</p>" for line in lines)
            if cite:
                inner += f"<footer>— <cite>{esc(cite)}</cite></footer>"
            out.append(f"<blockquote>{inner}</blockquote>")
        else:
            items = "".join(f"<li>{inline(line)}</li>" for line in block.lines)
            out.append(f"<ul>{items}</ul>")
        if article.figure and article.figure.after == i + 1 and i + 1 < len(article.blocks):
            out.append(FIGURE_SLOT)
        if article.read_more and article.read_more_after == i + 1:
            out.append(read_more(article.read_more))
    return out


FIGURE_SLOT = "<!--figure-->"


def place_figure(lines: list[str], figure_html: str) -> list[str]:
    return [figure_html if line == FIGURE_SLOT else line for line in lines]


def ago(i: int) -> str:
    hours = 1 + 3 * i
    return f"{hours} hour{'s' if hours != 1 else ''} ago"


def byline_names(authors: list[Author], link_prefix: str | None) -> str:
    names = []
    for a in authors:
        if link_prefix is None:
            names.append(esc(a.name))
        else:
            names.append(f'<a href="{link_prefix}{slugify(a.name)}" rel="author">{esc(a.name)}</a>')
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def person_list(authors: list[Author], domain: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for a in authors:
        person: dict[str, Any] = {"@type": "Person", "name": a.name}
        if a.role:
            person["jobTitle"] = a.role
        person["url"] = f"https://{domain}/authors/{slugify(a.name)}"
        out.append(person)
    return out


def description(article: Article) -> str:
    if article.dek:
        return article.dek
    first = article.blocks[0].plain
    return first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "..."


def nav_items(outlet: Outlet, li_class: str = "") -> str:
    cls = f' class="{li_class}"' if li_class else ""
    return "".join(f'<li{cls}><a href="/{slugify(n)}/">{esc(n)}</a></li>' for n in outlet.nav)


def link_items(links: list[Link], item_class: str, teaser_tag: str = "p") -> list[str]:
    out = []
    for link in links:
        teaser = f"<{teaser_tag}>{esc(link.teaser)}</{teaser_tag}>" if link.teaser else ""
        out.append(
            f'<div class="{item_class}"><a href="{attr(link.url)}">{esc(link.title)}</a>'
            f"{teaser}</div>"
        )
    return out


def ordered_links(links: list[Link], ol_class: str) -> str:
    items = "".join(f'<li><a href="{attr(link.url)}">{esc(link.title)}</a></li>' for link in links)
    return f'<ol class="{ol_class}">{items}</ol>'


ANALYTICS = """<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date());
  gtag('config', '{tag}', {{ 'anonymize_ip': true, 'content_group': '{group}' }});
</script>"""


# --------------------------------------------------------------------------- templates


def t_wire(a: Article) -> str:
    """(a) <article> with JSON-LD NewsArticle, OpenGraph, clean canonical, utm-tagged og:url."""
    o = a.outlet
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": description(a),
        "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
        "articleSection": a.section,
    }
    if a.date_in == "json-ld":
        assert a.published is not None
        ld["datePublished"] = a.published.isoformat()
        ld["dateModified"] = a.published.isoformat()
    ld["author"] = person_list(a.authors, o.domain)
    ld["publisher"] = {
        "@type": "Organization",
        "name": o.name,
        "logo": {"@type": "ImageObject", "url": f"https://{o.domain}/static/logo-600x60.png"},
    }
    if a.figure:
        ld["image"] = [a.figure.src]
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(a.title)} | {esc(o.name)}</title>",
        f'<meta name="description" content="{attr(description(a))}">',
        f'<link rel="canonical" href="{attr(a.url)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{attr(a.title)}">',
        f'<meta property="og:description" content="{attr(description(a))}">',
        f'<meta property="og:url" content="{attr(a.page_url)}">',
        f'<meta property="og:site_name" content="{attr(o.name)}">',
    ]
    if a.figure:
        head.append(f'<meta property="og:image" content="{attr(a.figure.src)}">')
    head += [
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="twitter:site" content="@meridianwire">',
        '<link rel="stylesheet" href="/static/css/site.7c1e0d.css">',
        '<script type="application/ld+json">',
        json_ld(ld, indent=2),
        "</script>",
        "</head>",
    ]
    section_slug = slugify(a.section)
    body = [
        '<body class="template-article">',
        '<div id="onetrust-banner" class="consent" role="dialog" aria-label="Cookie consent">',
        f'  <p class="consent__text">{esc(o.cookie_text)} '
        '<a href="/legal/cookies">Cookie policy</a></p>',
        '  <button class="consent__accept">Accept all cookies</button>',
        '  <button class="consent__settings">Cookie settings</button>',
        "</div>",
        '<a class="skip-link" href="#main">Skip to main content</a>',
        '<header class="site-header">',
        f'  <a class="site-header__logo" href="/">{esc(o.name)}</a>',
        f'  <nav class="site-nav" aria-label="Main"><ul>{nav_items(o)}</ul></nav>',
        '  <div class="site-header__tools"><a href="/search">Search</a> '
        '<a href="/account/sign-in">Sign in</a></div>',
        "</header>",
        '<main id="main">',
        '<nav class="breadcrumb" aria-label="Breadcrumb"><ol>'
        f'<li><a href="/">Home</a></li><li><a href="/{section_slug}/">{esc(a.section)}</a></li>'
        "</ol></nav>",
        '<div class="layout">',
        '<article class="story">',
        '  <header class="story__header">',
        f'    <a class="story__kicker" href="/{section_slug}/">{esc(a.section)}</a>',
        f"    <h1>{esc(a.title)}</h1>",
    ]
    if a.dek:
        body.append(f'    <p class="story__standfirst">{esc(a.dek)}</p>')
    if a.authors:
        body.append(f'    <p class="story__byline">By {byline_names(a.authors, "/authors/")}</p>')
    body += [
        '    <ul class="share" aria-label="Share this article">',
        f'      <li><a href="https://x.example/intent/post?url={attr(a.url)}">{SHARE} X</a></li>',
        f'      <li><a href="https://facebook.example/sharer?u={attr(a.url)}">{SHARE} Facebook'
        "</a></li>",
        '      <li><button class="share__copy">Copy link</button></li>',
        "    </ul>",
        "  </header>",
    ]
    fig = ""
    if a.figure:
        fig = (
            f'<figure class="story__image"><img src="{attr(a.figure.src)}" '
            f'alt="{attr(a.figure.caption)}" width="1200" height="800" loading="lazy">'
            f"<figcaption>{esc(a.figure.caption)} "
            f'<span class="credit">{esc(a.figure.credit)}</span></figcaption></figure>'
        )
        if a.figure.after == 0:
            body.append("  " + fig)

    def rm(link: Link) -> str:
        return (
            f'<p class="read-more"><strong>Read more:</strong> <a href="{attr(link.url)}">'
            f"{esc(link.title)}</a></p>"
        )

    body.append('  <div class="story__body">')
    body += ["    " + line for line in place_figure(render_blocks(a, "h2", rm), fig)]
    body.append("  </div>")
    if a.related_inside:
        body.append('  <div class="c-list">')
        body.append(f"    <h3>{esc(a.related_inside_heading)}</h3>")
        body += ["    " + x for x in link_items(a.related_inside, "c-list__item")]
        body.append("  </div>")
    body += [
        f'  <p class="story__topics">Topics: <a href="/{section_slug}/">{esc(a.section)}</a></p>',
        "</article>",
        '<aside class="rail">',
        '  <div class="ad-slot" data-slot="rail-top">Advertisement</div>',
    ]
    if a.related_outside:
        body.append('  <section class="most-read">')
        body.append(f"    <h2>{esc(a.related_outside_heading)}</h2>")
        body.append("    " + ordered_links(a.related_outside, "most-read__list"))
        body.append("  </section>")
    body += [
        "</aside>",
        "</div>",
        '<section class="newsletter-promo">',
        f"  <h2>{esc(o.newsletter_heading)}</h2>",
        f"  <p>{esc(o.newsletter_text)}</p>",
        '  <form action="/newsletters/subscribe" method="post"><input type="email" '
        'name="email" placeholder="Email address"><button>Sign up</button></form>',
        "</section>",
    ]
    body += comments_block(a, "comments", "h2", "Comments")
    body += [
        "</main>",
        '<footer class="site-footer">',
        f"  <p>{esc(o.tagline)}</p>",
        '  <ul class="site-footer__links"><li><a href="/about">About us</a></li>'
        '<li><a href="/legal/terms">Terms of use</a></li>'
        '<li><a href="/legal/privacy">Privacy statement</a></li>'
        '<li><a href="/legal/cookies">Cookie settings</a></li>'
        '<li><a href="/contact">Contact</a></li></ul>',
        f'  <p class="copyright">{esc(o.copyright)}</p>',
        "</footer>",
        ANALYTICS.format(tag="G-MERIDIAN0", group=a.section),
        '<script src="https://cdn.meridianwire.example/js/ads.min.js" async></script>',
        "</body>",
        "</html>",
    ]
    return "\n".join(head + body) + "\n"


def comments_block(a: Article, cls: str, heading_tag: str, heading: str) -> list[str]:
    if not a.comments:
        return []
    out = [f'<section class="{cls}" id="comments">']
    out.append(f"  <{heading_tag}>{heading} ({len(a.comments)})</{heading_tag}>")
    for i, (author, text) in enumerate(a.comments):
        out.append(
            f'  <div class="{cls}__item"><span class="{cls}__author">{esc(author)}</span> '
            f'<span class="{cls}__time">{ago(i)}</span><p>{esc(text)}</p>'
            f'<a class="{cls}__reply" href="#reply">Reply</a></div>'
        )
    out.append("</section>")
    return out


def t_story_body(a: Article) -> str:
    """(b) div.story-body layout, meta tags only, "<Headline> | Outlet" title."""
    o = a.outlet
    head = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr">',
        "<head>",
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        f"<title>{esc(a.title)} | {esc(o.name)}</title>",
        f'<meta name="description" content="{attr(description(a))}">',
    ]
    if a.authors:
        head.append(f'<meta name="author" content="{attr(", ".join(x.name for x in a.authors))}">')
    if a.date_in == "meta":
        assert a.published is not None
        head.append(f'<meta property="article:published_time" content="{a.published.isoformat()}">')
    head += [
        f'<meta property="article:section" content="{attr(a.section)}">',
        f'<meta property="og:site_name" content="{attr(o.name)}">',
        f'<meta property="og:title" content="{attr(a.title)}">',
        f'<meta property="og:description" content="{attr(description(a))}">',
        f'<meta property="og:url" content="{attr(a.url)}">',
        '<meta property="og:type" content="article">',
        f'<link rel="canonical" href="{attr(a.url)}">',
        '<link rel="stylesheet" href="/assets/css/ledger.min.css?v=312">',
        "</head>",
    ]
    body = [
        "<body>",
        '<div class="gdpr-bar" id="gdpr">',
        f"  <span>{esc(o.cookie_text)}</span>",
        '  <a href="/cookie-policy">Details</a> <button class="gdpr-ok">OK</button>',
        "</div>",
        '<div class="top-strip"><span class="city">Istanbul</span> '
        '<a href="/e-paper">E-paper</a> <a href="/subscribe">Subscribe</a></div>',
        '<header class="masthead">',
        f'  <div class="logo"><a href="/">{esc(o.name)}</a><small>{esc(o.tagline)}</small></div>',
        f'  <ul class="menu">{nav_items(o, "menu-item")}</ul>',
        "</header>",
        '<div class="container">',
        '  <div class="breadcrumb"><a href="/">Home</a> › '
        f'<a href="/{slugify(a.section)}/">{esc(a.section)}</a></div>',
        '  <div class="row">',
        '  <div class="col-main">',
        f'    <h1 class="story-title">{esc(a.title)}</h1>',
    ]
    if a.dek:
        body.append(f'    <h2 class="story-spot">{esc(a.dek)}</h2>')
    meta_bits = []
    if a.authors:
        meta_bits.append(f'<span class="byline">{byline_names(a.authors, "/writer/")}</span>')
        roles = [x.role for x in a.authors if x.role]
        if roles:
            meta_bits.append(f'<span class="role">{esc(roles[0])}</span>')
    meta_bits.append(f'<span class="cat">{esc(a.section)}</span>')
    body.append(f'    <div class="story-meta">{" | ".join(meta_bits)}</div>')
    body += [
        '    <div class="share-tools">',
        f'      <a class="s-x" href="https://x.example/share?u={attr(a.url)}">{SHARE} X</a>',
        f'      <a class="s-fb" href="https://facebook.example/share?u={attr(a.url)}">'
        f"{SHARE} Facebook</a>",
        '      <a class="s-copy" href="#copy">Copy link</a>',
        "    </div>",
    ]
    fig = ""
    if a.figure:
        fig = (
            f'<div class="story-image"><img src="{attr(a.figure.src)}" '
            f'alt="{attr(a.figure.caption)}"><span class="caption">{esc(a.figure.caption)}'
            f'</span> <span class="photo-credit">{esc(a.figure.credit)}</span></div>'
        )
        if a.figure.after == 0:
            body.append("    " + fig)

    def rm(link: Link) -> str:
        href = attr(link.url)
        return f'<p class="inline-rel">Read more: <a href="{href}">{esc(link.title)}</a></p>'

    body.append('    <div class="story-body">')
    body += ["      " + line for line in place_figure(render_blocks(a, "h3", rm), fig)]
    if a.related_inside:
        body.append('      <div class="c-list">')
        body.append(f"        <h3>{esc(a.related_inside_heading)}</h3>")
        body += ["        " + x for x in link_items(a.related_inside, "c-item", "span")]
        body.append("      </div>")
    body.append("    </div>")
    body.append(
        f'    <div class="tags"><a href="/tag/{slugify(a.section)}">{esc(a.section)}</a> '
        '<a href="/tag/diplomacy">Diplomacy</a></div>'
    )
    body += ["    " + x for x in comments_block(a, "yorum", "h4", "Reader comments")]
    body += [
        "  </div>",
        '  <div class="col-side">',
    ]
    if a.related_outside:
        body.append('    <div class="widget trending">')
        body.append(f"      <h4>{esc(a.related_outside_heading)}</h4>")
        body.append("      " + ordered_links(a.related_outside, "widget-list"))
        body.append("    </div>")
    body += [
        '    <div class="widget newsletter-box">',
        f"      <h4>{esc(o.newsletter_heading)}</h4>",
        f"      <p>{esc(o.newsletter_text)}</p>",
        '      <input type="email" placeholder="E-mail"> <button>Subscribe</button>',
        "    </div>",
        '    <div class="widget ad">Advertisement</div>',
        "  </div>",
        "  </div>",
        "</div>",
        '<footer class="site-footer">',
        '  <div class="footer-links"><a href="/about">About</a> · <a href="/contact">Contact</a>'
        ' · <a href="/privacy">Privacy policy</a> · <a href="/kvkk">Data protection notice</a>'
        ' · <a href="/cookie-policy">Cookie policy</a></div>',
        f"  <p>{esc(o.copyright)}</p>",
        "</footer>",
        ANALYTICS.format(tag="G-LEDGER00", group=a.section),
        '<script>var _ledger_pv = { section: "' + attr(a.section) + '", paywall: false };</script>',
        "</body>",
        "</html>",
    ]
    return "\n".join(head + body) + "\n"


DISPATCH_DONATE = "Our newsroom is funded by readers. Become a member and keep Ukraine in the news."


def t_microdata(a: Article) -> str:
    """(c) schema.org microdata, no JSON-LD; the date is only in the visible byline text."""
    o = a.outlet
    path = a.url.split(o.domain, 1)[1]
    head = [
        "<!DOCTYPE html>",
        '<html lang="en-US">',
        "<head>",
        '<meta charset="UTF-8">',
        f"<title>{esc(a.title)} - {esc(o.name)}</title>",
        f'<link rel="canonical" href="{attr(path)}">',
        f'<meta property="og:url" content="{attr(a.url)}">',
        f'<meta property="og:title" content="{attr(a.title)}">',
        f'<meta property="og:site_name" content="{attr(o.name)}">',
        '<meta property="og:type" content="article">',
        f'<meta name="twitter:title" content="{attr(a.title)}">',
        "<link rel='stylesheet' id='theme-css' href='/wp-content/themes/dispatch/style.css' "
        "type='text/css' media='all'>",
        "</head>",
    ]
    body = [
        '<body class="post-template-default single single-post">',
        '<header class="header">',
        f'  <a class="header__logo" href="/">{esc(o.name)}</a>',
        f'  <nav class="header__menu"><ul class="menu">{nav_items(o, "menu-item")}</ul></nav>',
        '  <a class="header__donate button" href="/support-us">Support us</a>',
        "</header>",
        f'<div class="donate-strip">{esc(DISPATCH_DONATE)} <a href="/membership">Join</a></div>',
        '<main class="site-main">',
        '<ol class="breadcrumbs" itemscope itemtype="https://schema.org/BreadcrumbList">'
        '<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">'
        '<a itemprop="item" href="/"><span itemprop="name">Home</span></a>'
        '<meta itemprop="position" content="1"></li>'
        '<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">'
        f'<a itemprop="item" href="/{slugify(a.section)}/"><span itemprop="name">'
        f'{esc(a.section)}</span></a><meta itemprop="position" content="2"></li></ol>',
        '<div class="wrap">',
        '<div class="post" itemscope itemtype="https://schema.org/NewsArticle">',
        f'  <meta itemprop="mainEntityOfPage" content="{attr(a.url)}">',
        f'  <h1 class="post__title" itemprop="headline">{esc(a.title)}</h1>',
    ]
    if a.dek:
        body.append(f'  <div class="post__lead" itemprop="description">{esc(a.dek)}</div>')
    byline = []
    for x in a.authors:
        role = ""
        if x.role:
            role = f' <span class="post__role" itemprop="jobTitle">{esc(x.role)}</span>'
        byline.append(
            '<span class="post__author" itemprop="author" itemscope '
            'itemtype="https://schema.org/Person">'
            f'<a itemprop="url" href="/author/{slugify(x.name)}/">'
            f'<span itemprop="name">{esc(x.name)}</span></a>{role}</span>'
        )
    if a.date_in == "text":
        assert a.published is not None
        byline.append(f'<span class="post__date">Published {esc(text_date(a.published))}</span>')
    if byline:
        body.append('  <div class="post__byline">' + " ".join(byline) + "</div>")
    body.append(
        '  <div itemprop="publisher" itemscope itemtype="https://schema.org/Organization">'
        f'<meta itemprop="name" content="{attr(o.name)}"></div>'
    )
    fig = ""
    if a.figure:
        fig = (
            '<figure class="wp-block-image" itemprop="image" itemscope '
            'itemtype="https://schema.org/ImageObject">'
            f'<img itemprop="url" src="{attr(a.figure.src)}" alt="{attr(a.figure.caption)}">'
            f'<figcaption itemprop="caption">{esc(a.figure.caption)} '
            f"<em>{esc(a.figure.credit)}</em></figcaption></figure>"
        )
        if a.figure.after == 0:
            body.append("  " + fig)

    def rm(link: Link) -> str:
        return (
            f'<p><strong>Read more: <a href="{attr(link.url)}">{esc(link.title)}</a></strong></p>'
        )

    body.append('  <div class="post__content entry-content" itemprop="articleBody">')
    body += ["    " + line for line in place_figure(render_blocks(a, "h3", rm), fig)]
    body.append("  </div>")
    if a.related_inside:
        body.append('  <div class="c-list c-list--more">')
        body.append(f"    <h3>{esc(a.related_inside_heading)}</h3>")
        body += ["    " + x for x in link_items(a.related_inside, "c-list__row")]
        body.append("  </div>")
    body += [
        '  <div class="post__share">',
        f'    <a href="https://x.example/intent?url={attr(a.url)}">{SHARE} X</a>',
        f'    <a href="https://facebook.example/sharer?u={attr(a.url)}">{SHARE} Facebook</a>',
        '    <a href="#" class="copy-link">Copy link</a>',
        "  </div>",
        "</div>",
        '<aside class="sidebar">',
    ]
    if a.related_outside:
        body.append('  <div class="block-popular">')
        body.append(f"    <h3>{esc(a.related_outside_heading)}</h3>")
        body.append("    " + ordered_links(a.related_outside, "popular-list"))
        body.append("  </div>")
    body += [
        '  <div class="newsletter">',
        f"    <h3>{esc(o.newsletter_heading)}</h3>",
        f"    <p>{esc(o.newsletter_text)}</p>",
        '    <form><input type="email" placeholder="Your email"><button>Subscribe</button></form>',
        "  </div>",
        "</aside>",
        "</div>",
    ]
    body += comments_block(a, "comment", "h3", "Discussion")
    body += [
        "</main>",
        '<footer class="footer">',
        '  <ul class="footer__menu"><li><a href="/about-us/">About us</a></li>'
        '<li><a href="/editorial-policy/">Editorial policy</a></li>'
        '<li><a href="/privacy-policy/">Privacy policy</a></li>'
        '<li><a href="/contacts/">Contacts</a></li></ul>',
        f'  <p class="footer__copy">{esc(o.copyright)}</p>',
        "</footer>",
        '<div class="cc-window cc-banner" role="dialog">',
        f'  <span class="cc-message">{esc(o.cookie_text)}</span>',
        '  <a class="cc-btn cc-dismiss">Got it!</a>',
        "</div>",
        '<script type="text/javascript" id="dispatch-stats">',
        '  (function(){var s=document.createElement("script");s.async=true;',
        '  s.src="https://stats.dniprodispatch.example/count.js";',
        "  document.head.appendChild(s);})();",
        "</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(head + body) + "\n"


def t_url_date(a: Article) -> str:
    """(d) app-style markup with hashed class names; the date appears only in the URL path."""
    o = a.outlet
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "author": [{"@type": "Person", "name": x.name} for x in a.authors],
        "publisher": {"@type": "Organization", "name": o.name},
        "mainEntityOfPage": a.url,
    }
    next_data = {
        "props": {
            "pageProps": {
                "section": a.section,
                "slug": a.url.rstrip("/").rsplit("/", 1)[-1],
                "paywall": False,
                "ads": {"targeting": {"section": slugify(a.section), "type": "article"}},
            }
        },
        "page": "/[section]/[...slug]",
        "buildId": "sig-web-41",
    }
    head = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{esc(a.title)} - {esc(o.name)}</title>",
        f'<meta name="description" content="{attr(description(a))}">',
        f'<link rel="canonical" href="{attr(a.url)}">',
        f'<meta property="og:url" content="{attr(a.url)}">',
        f'<meta property="og:title" content="{attr(a.title)}">',
        f'<meta property="og:site_name" content="{attr(o.name)}">',
        f'<script type="application/ld+json">{json_ld(ld)}</script>',
        '<link rel="preload" href="/_next/static/css/4a1d8e2.css" as="style">',
        "</head>",
    ]
    body = [
        '<body><div id="__next">',
        '<div class="css-9x1k2c" data-testid="consent-banner"><p class="css-1p0x2a">'
        f'{esc(o.cookie_text)}</p><button class="css-b1">Accept</button>'
        '<button class="css-b2">Reject non-essential</button></div>',
        '<header class="css-h3a8w1"><a class="css-logo" href="/" aria-label="'
        f'{attr(o.name)} home">{esc(o.name)}</a><nav class="css-n4v"><ul class="css-u1">'
        f"{nav_items(o, 'css-li7')}</ul></nav></header>",
        '<main class="css-m41n">',
        '<div class="css-crumbs" data-testid="breadcrumbs"><a href="/">Home</a><span>/</span>'
        f'<a href="/{slugify(a.section)}/">{esc(a.section)}</a></div>',
        '<div class="css-1n2h3k" data-testid="article">',
        f'<h1 class="css-hd7q" data-testid="headline">{esc(a.title)}</h1>',
    ]
    if a.dek:
        body.append(f'<p class="css-dek0">{esc(a.dek)}</p>')
    if a.authors:
        body.append(
            f'<div class="css-by9" data-testid="byline">By {byline_names(a.authors, "/people/")}'
            "</div>"
        )
    body.append(
        '<div class="css-shr" role="group">'
        f'<button aria-label="{SHARE} X" class="css-s1">{SHARE} X</button>'
        f'<button aria-label="{SHARE} Facebook" class="css-s2">{SHARE} Facebook</button>'
        '<button aria-label="Copy link" class="css-s3">Copy link</button></div>'
    )
    fig = ""
    if a.figure:
        fig = (
            f'<figure class="css-fig"><picture><img src="{attr(a.figure.src)}" '
            f'alt="{attr(a.figure.caption)}" decoding="async"></picture><figcaption '
            f'class="css-cap">{esc(a.figure.caption)}<span class="css-credit"> '
            f"{esc(a.figure.credit)}</span></figcaption></figure>"
        )
        if a.figure.after == 0:
            body.append(fig)

    def rm(link: Link) -> str:
        return f'<p class="css-rm">Read more: <a href="{attr(link.url)}">{esc(link.title)}</a></p>'

    blocks = place_figure(render_blocks(a, "h2", rm), fig)
    # Inline newsletter promo in the middle of the body, as app-style sites do.
    promo = (
        '<div class="css-nl" data-testid="inline-newsletter">'
        f"<strong>{esc(o.newsletter_heading)}</strong><p>{esc(o.newsletter_text)}</p>"
        '<input type="email" aria-label="Email"><button>Sign up</button></div>'
    )
    para_idx = [i for i, line in enumerate(blocks) if line.startswith("<p>")]
    if len(para_idx) >= 4:
        blocks.insert(para_idx[len(para_idx) // 2] + 1, promo)
    else:
        blocks.append(promo)
    body.append('<div class="css-b0dy" data-testid="article-body">')
    body += blocks
    body.append("</div>")
    if a.related_inside:
        body.append('<div class="c-list">')
        body.append(f"<h3>{esc(a.related_inside_heading)}</h3>")
        body += link_items(a.related_inside, "css-rel")
        body.append("</div>")
    body.append("</div>")
    if a.related_outside:
        body.append('<aside class="css-trend" data-testid="trending">')
        body.append(f"<h2>{esc(a.related_outside_heading)}</h2>")
        body.append(ordered_links(a.related_outside, "css-trend-list"))
        body.append("</aside>")
    body += comments_block(a, "css-cmt", "h2", "Comments")
    body += [
        "</main>",
        '<footer class="css-ftr"><nav><a href="/about">About</a><a href="/careers">Careers</a>'
        '<a href="/terms">Terms of service</a><a href="/privacy">Privacy policy</a>'
        '<a href="/privacy#do-not-sell">Do not sell or share my personal information</a></nav>'
        f"<p>{esc(o.copyright)}</p></footer>",
        "</div>",
        f'<script id="__NEXT_DATA__" type="application/json">{json_ld(next_data)}</script>',
        ANALYTICS.format(tag="G-SIGNAL000", group=a.section),
        '<script async src="/_next/static/chunks/main-8f3a.js"></script>',
        "</body></html>",
    ]
    return "\n".join(head + body) + "\n"


AMP_BOILERPLATE = (
    "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
    "animation:-amp-start 8s steps(1,end) 0s 1 normal both}@keyframes -amp-start{from{visibility:"
    "hidden}to{visibility:visible}}</style><noscript><style amp-boilerplate>body{-webkit-animation:"
    "none;animation:none}</style></noscript>"
)


def t_amp(a: Article) -> str:
    """(e) AMP-style minimal page: JSON-LD, amp-img, amp-consent, canonical to the full page."""
    o = a.outlet
    ld: dict[str, Any] = {
        "@context": "http://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": a.url,
        "headline": a.title,
    }
    if a.figure:
        ld["image"] = {"@type": "ImageObject", "url": a.figure.src, "width": 1200, "height": 675}
    if a.date_in == "json-ld":
        assert a.published is not None
        ld["datePublished"] = a.published.isoformat()
    ld["author"] = (
        person_list(a.authors, o.domain)
        if len(a.authors) != 1
        else {
            "@type": "Person",
            "name": a.authors[0].name,
        }
    )
    ld["publisher"] = {
        "@type": "Organization",
        "name": o.name,
        "logo": {"@type": "ImageObject", "url": f"https://{o.domain}/amp-logo.png"},
    }
    head = [
        "<!doctype html>",
        '<html amp lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<script async src="https://cdn.ampproject.org/v0.js"></script>',
        '<script async custom-element="amp-consent" '
        'src="https://cdn.ampproject.org/v0/amp-consent-0.1.js"></script>',
        '<script async custom-element="amp-analytics" '
        'src="https://cdn.ampproject.org/v0/amp-analytics-0.1.js"></script>',
        f"<title>{esc(a.title)} | {esc(o.name)}</title>",
        f'<link rel="canonical" href="{attr(a.url)}">',
        '<meta name="viewport" content="width=device-width">',
        f'<script type="application/ld+json">{json_ld(ld)}</script>',
        AMP_BOILERPLATE,
        "<style amp-custom>body{font-family:Georgia,serif}.amp-title{font-size:1.6rem}"
        ".c-list a{display:block}</style>",
        "</head>",
    ]
    body = [
        "<body>",
        '<amp-consent id="site-consent" layout="nodisplay">',
        f'  <div class="consent-ui" id="consent-ui"><p>{esc(o.cookie_text)}</p>'
        '<button on="tap:site-consent.accept">Accept</button>'
        '<button on="tap:site-consent.reject">Decline</button></div>',
        "</amp-consent>",
        '<header class="amp-header">',
        f'  <a href="https://{o.domain}/" class="amp-logo">{esc(o.name)}</a>',
        '  <button class="menu-btn" on="tap:nav.toggle">Menu</button>',
        "</header>",
        f'<nav id="nav" class="amp-nav"><ul>{nav_items(o)}</ul></nav>',
        f'<div class="amp-crumb"><a href="/">Home</a> › <a href="/{slugify(a.section)}/">'
        f"{esc(a.section)}</a></div>",
        '<div class="amp-wp-article">',
        f'  <h1 class="amp-title">{esc(a.title)}</h1>',
    ]
    if a.dek:
        body.append(f'  <p class="amp-excerpt">{esc(a.dek)}</p>')
    if a.authors:
        parts = []
        for x in a.authors:
            parts.append(
                esc(x.name) + (f' <span class="amp-role">{esc(x.role)}</span>' if x.role else "")
            )
        body.append('  <div class="amp-byline">' + " / ".join(parts) + "</div>")
    fig = ""
    if a.figure:
        fig = (
            f'<figure class="amp-fig"><amp-img src="{attr(a.figure.src)}" width="1200" '
            f'height="675" layout="responsive" alt="{attr(a.figure.caption)}"></amp-img>'
            f"<figcaption>{esc(a.figure.caption)} ({esc(a.figure.credit)})</figcaption></figure>"
        )
        if a.figure.after == 0:
            body.append("  " + fig)

    def rm(link: Link) -> str:
        return f'<p class="rm">Read more: <a href="{attr(link.url)}">{esc(link.title)}</a></p>'

    body.append('  <div class="amp-content">')
    body += ["    " + line for line in place_figure(render_blocks(a, "h2", rm), fig)]
    body.append("  </div>")
    body.append(
        f'  <div class="amp-share"><amp-social-share type="twitter" aria-label="{SHARE} X">'
        f'</amp-social-share><amp-social-share type="facebook" aria-label="{SHARE} Facebook">'
        f"</amp-social-share><span>{SHARE} X / Facebook / Copy link</span></div>"
    )
    if a.related_inside:
        body.append('  <div class="c-list">')
        body.append(f"    <h3>{esc(a.related_inside_heading)}</h3>")
        body += ["    " + x for x in link_items(a.related_inside, "c-list__it")]
        body.append("  </div>")
    body.append("</div>")
    if a.related_outside:
        body.append('<div class="amp-popular">')
        body.append(f"  <h4>{esc(a.related_outside_heading)}</h4>")
        body.append("  " + ordered_links(a.related_outside, "amp-popular__list"))
        body.append("</div>")
    body += [
        '<div class="amp-newsletter">',
        f"  <h4>{esc(o.newsletter_heading)}</h4>",
        f"  <p>{esc(o.newsletter_text)}</p>",
        f'  <a href="https://{o.domain}/newsletters">Sign up</a>',
        "</div>",
    ]
    if a.comments:
        body += comments_block(a, "amp-cmt", "h4", "Comments")
        body.append(
            f'<p class="amp-cmt-more"><a href="{attr(a.url)}#comments">'
            "View all comments on the full site</a></p>"
        )
    body += [
        '<footer class="amp-footer">',
        f'  <a href="{attr(a.url)}">View full site</a> · <a href="/privacy">Privacy</a> · '
        '<a href="/terms">Terms &amp; conditions</a> · <a href="/contact-us">Contact us</a>',
        f"  <p>{esc(o.copyright)}</p>",
        "</footer>",
        '<amp-analytics type="gtag" data-credentials="include">',
        '<script type="application/json">{"vars":{"gtag_id":"G-HARBOUR00","config":'
        '{"G-HARBOUR00":{"groups":"default"}}}}</script>',
        "</amp-analytics>",
        "</body>",
        "</html>",
    ]
    return "\n".join(head + body) + "\n"


COURIER_METER = "You have 3 free articles left this month. Subscribe for unlimited access."


def glued_byline(authors: list[Author]) -> str:
    parts = [f"{x.name}, {x.role}" if x.role else x.name for x in authors]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def t_glued_byline(a: Article) -> str:
    """(f) broadsheet: byline "By Name, Senior Correspondent and Name2", JSON-LD @graph or meta."""
    o = a.outlet
    head = [
        "<!DOCTYPE html>",
        '<html lang="en-GB" class="no-js">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(a.title)} - {esc(o.name)}</title>",
        f'<link rel="canonical" href="{attr(a.url)}">',
        f'<meta property="og:url" content="{attr(a.url)}">',
        f'<meta property="og:title" content="{attr(a.title)}">',
        f'<meta property="og:description" content="{attr(description(a))}">',
        f'<meta property="og:site_name" content="{attr(o.name)}">',
    ]
    if a.date_in == "meta":
        assert a.published is not None
        head.append(f'<meta property="article:published_time" content="{a.published.isoformat()}">')
    article_node: dict[str, Any] = {
        "@type": "NewsArticle",
        "@id": f"{a.url}#article",
        "headline": a.title,
        "isPartOf": {"@id": f"{a.url}#webpage"},
        "publisher": {"@id": f"https://{o.domain}/#organization"},
        "articleSection": [a.section],
        "inLanguage": "en-GB",
    }
    if a.date_in == "json-ld":
        assert a.published is not None
        article_node["datePublished"] = a.published.isoformat()
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Organization",
                "@id": f"https://{o.domain}/#organization",
                "name": o.name,
                "url": f"https://{o.domain}/",
            },
            {"@type": "WebPage", "@id": f"{a.url}#webpage", "url": a.url, "name": a.title},
            article_node,
        ],
    }
    head += [
        f'<script type="application/ld+json" class="schema-graph">{json_ld(graph)}</script>',
        '<link rel="stylesheet" href="/static/courier.css">',
        "</head>",
    ]
    body = [
        '<body class="article-page">',
        '<div id="cmp" class="cmp-modal" role="dialog" aria-modal="true">',
        f'  <div class="cmp-modal__body"><h2>Your privacy</h2><p>{esc(o.cookie_text)}</p>',
        '  <button class="cmp-accept">Accept and continue</button> '
        '<button class="cmp-reject">Reject</button> <a href="/privacy/purposes">Purposes</a>'
        "</div>",
        "</div>",
        '<header class="masthead">',
        '  <div class="masthead__edition">Edition: <a href="/eu">Europe</a> | <a href="/uk">UK</a>'
        ' | <a href="/intl">International</a></div>',
        f'  <a class="masthead__title" href="/">{esc(o.name)}</a>',
        f'  <nav class="masthead__nav"><ul>{nav_items(o)}</ul></nav>',
        "</header>",
        f'<div class="meter" role="status">{esc(COURIER_METER)}</div>',
        '<div class="page">',
        '<div class="article-container">',
        f'  <div class="crumbs"><a href="/">Home</a> / <a href="/{slugify(a.section)}/">'
        f"{esc(a.section)}</a></div>",
        f'  <h1 class="headline">{esc(a.title)}</h1>',
    ]
    if a.dek:
        body.append(f'  <p class="standfirst">{esc(a.dek)}</p>')
    if a.authors:
        body.append(f'  <p class="byline">By {esc(glued_byline(a.authors))}</p>')
    fig = ""
    if a.figure:
        fig = (
            f'<figure class="lead-image"><img src="{attr(a.figure.src)}" '
            f'alt="{attr(a.figure.caption)}"><figcaption>{esc(a.figure.caption)} '
            f"<small>{esc(a.figure.credit)}</small></figcaption></figure>"
        )
        if a.figure.after == 0:
            body.append("  " + fig)

    def rm(link: Link) -> str:
        href = attr(link.url)
        return f'<p class="rm"><b>Read more:</b> <a href="{href}">{esc(link.title)}</a></p>'

    body.append('  <div class="article-text">')
    body += ["    " + line for line in place_figure(render_blocks(a, "h3", rm), fig)]
    body.append("  </div>")
    body.append(
        '  <div class="sharebar"><span>Share this article</span> '
        f'<a href="https://x.example/share?url={attr(a.url)}">{SHARE} X</a> '
        f'<a href="https://facebook.example/share?u={attr(a.url)}">{SHARE} Facebook</a> '
        '<button>Copy link</button> <a href="/gift">Gift this article</a></div>'
    )
    if a.related_inside:
        body.append('  <div class="c-list">')
        body.append(f"    <h3>{esc(a.related_inside_heading)}</h3>")
        body += ["    " + x for x in link_items(a.related_inside, "c-list__entry")]
        body.append("  </div>")
    body.append("</div>")
    body.append('<aside class="sidebar">')
    if a.related_outside:
        body.append(f'  <h3 class="sidebar__title">{esc(a.related_outside_heading)}</h3>')
        body.append("  " + ordered_links(a.related_outside, "sidebar__list"))
    body += [
        '  <div class="newsletter-signup">',
        f"    <h3>{esc(o.newsletter_heading)}</h3>",
        f"    <p>{esc(o.newsletter_text)}</p>",
        '    <form action="/newsletters"><input type="email" placeholder="Email address">'
        "<button>Sign up</button></form>",
        "  </div>",
        "</aside>",
        "</div>",
    ]
    body += comments_block(a, "conversation", "h2", "Join the conversation")
    body += [
        '<footer class="site-footer">',
        '  <ul><li><a href="/about">About the Courier</a></li><li><a href="/complaints">'
        "Complaints &amp; corrections</a></li><li><a href="
        '"/terms">Terms &amp; conditions</a></li><li><a href="/privacy">Privacy notice</a></li>'
        '<li><a href="/privacy/settings">Privacy settings</a></li></ul>',
        f"  <p>{esc(o.copyright)}</p>",
        "</footer>",
        ANALYTICS.format(tag="G-COURIER0", group=a.section),
        '<script type="text/plain" data-consent="marketing" '
        'src="https://ads.continentalcourier.example/prebid.js"></script>',
        "</body>",
        "</html>",
    ]
    return "\n".join(head + body) + "\n"


TEMPLATES: dict[str, Callable[[Article], str]] = {
    "wire": t_wire,
    "story-body": t_story_body,
    "microdata": t_microdata,
    "url-date": t_url_date,
    "amp": t_amp,
    "glued-byline": t_glued_byline,
}
TEMPLATE_DATES: dict[str, set[str]] = {
    "wire": {"json-ld", "none"},
    "story-body": {"meta", "none"},
    "microdata": {"text", "none"},
    "url-date": {"url", "none"},
    "amp": {"json-ld", "none"},
    "glued-byline": {"json-ld", "meta", "none"},
}
# Default (inside, outside) related-block headings when neither source nor outlet sets one.
TEMPLATE_HEADINGS: dict[str, tuple[str, str]] = {
    "wire": ("Read more", "Most read"),
    "story-body": ("Related", "Trending"),
    "microdata": ("More on this story", "Most popular"),
    "url-date": ("Recommended", "Trending"),
    "amp": ("You May Also Like", "Most popular"),
    "glued-byline": ("You May Also Like", "Most popular"),
}
# Template-specific boilerplate sentences that must never end up in an extracted article.
TEMPLATE_BOILERPLATE: dict[str, tuple[str, ...]] = {
    "wire": (),
    "story-body": (),
    "microdata": (DISPATCH_DONATE,),
    "url-date": (),
    "amp": ("View all comments on the full site",),
    "glued-byline": (COURIER_METER,),
}


# --------------------------------------------------------------------------- checks on output


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts))


def check_page(a: Article, page: str) -> None:
    text = visible_text(page)
    for frag in a.must_contain:
        if re.sub(r"\s+", " ", frag) not in text:
            raise fail(a.source, f"rendered page lost must_contain fragment {frag!r}")
    if a.date_in in ("none", "url"):
        scan = page
        if a.date_in == "url":
            scan = re.sub(r'(?:href|content)="[^"]*"', "", page)
            scan = scan.replace(a.url, "")
        for name, pattern in DATE_PATTERNS.items():
            m = pattern.search(scan)
            if m:
                raise fail(
                    a.source,
                    f"date_in={a.date_in!r} but the page shows a date ({name}): {m.group(0)!r} "
                    f"near {scan[max(0, m.start() - 60) : m.end() + 20]!r}",
                )
        for marker in ("datePublished", "article:published_time", "<time"):
            if marker in page:
                raise fail(a.source, f"date_in={a.date_in!r} but the page contains {marker!r}")
    if page.count("<h1") != 1:
        raise fail(a.source, "rendered page must have exactly one <h1>")


# --------------------------------------------------------------------------- scrapes


def load_scrape(txt: Path, stems: dict[str, str]) -> tuple[str, dict[str, Any], str]:
    sidecar = txt.with_suffix(".toml")
    if not sidecar.exists():
        raise fail(txt, f"missing sidecar {sidecar.name}")
    try:
        text = txt.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise fail(txt, f"not UTF-8: {exc}") from exc
    meta = load_toml(sidecar)
    check_keys(sidecar, meta, SCRAPE_KEYS_REQUIRED, SCRAPE_KEYS_OPTIONAL)
    title = need_str(sidecar, meta, "title")
    published_raw = need_str(sidecar, meta, "published", empty_ok=True)
    published = parse_datetime(sidecar, published_raw, "`published`") if published_raw else None
    source = need_str(sidecar, meta, "published_source", empty_ok=True) or (
        "text" if published else "none"
    )
    if source not in DATE_IN:
        raise fail(sidecar, f"`published_source` must be one of {DATE_IN}")
    if (published is None) != (source == "none"):
        raise fail(sidecar, "`published_source` is 'none' exactly when `published` is empty")
    related = meta["related_titles"]
    if not isinstance(related, list) or not all(isinstance(r, str) and r for r in related):
        raise fail(sidecar, "`related_titles` must be a list of strings")
    must = meta["must_contain"]
    if not isinstance(must, list) or not must or not all(isinstance(s, str) and s for s in must):
        raise fail(sidecar, "`must_contain` must be a non-empty list of strings")
    authors = meta.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(x, str) and x for x in authors):
        raise fail(sidecar, "`authors` must be a list of names")

    lines = text.splitlines()
    heading = need_str(sidecar, meta, "related_heading", empty_ok=True) or "You May Also Like"
    cut = len(lines)
    if related:
        idx = [i for i, line in enumerate(lines) if line.strip() == heading]
        if idx:
            cut = idx[-1]
        else:
            first = [i for i, line in enumerate(lines) if line.strip() == related[0]]
            if not first:
                raise fail(txt, f"related title {related[0]!r} not found as a line")
            cut = first[-1]
    body = "\n".join(lines[:cut])
    tail = [line.strip() for line in lines[cut:] if line.strip() and line.strip() != heading]
    for r in related:
        if r not in tail:
            raise fail(txt, f"related title {r!r} is not in the trailing related block")
    for frag in must:
        if frag not in body:
            raise fail(txt, f"must_contain fragment not in the body: {frag!r}")
    not_contain = list(meta.get("must_not_contain", []))
    if not all(isinstance(s, str) and s for s in not_contain):
        raise fail(sidecar, "`must_not_contain` must be a list of strings")
    not_contain = list(dict.fromkeys([*not_contain, *tail]))
    for s in not_contain:
        if s in body:
            raise fail(txt, f"body contains must_not_contain string {s!r}")
    synd = need_str(sidecar, meta, "syndicated_from", empty_ok=True)
    if synd and synd not in stems:
        raise fail(sidecar, f"`syndicated_from` {synd!r} is not a known source stem")
    url = need_str(sidecar, meta, "url", empty_ok=True)
    if url:
        check_url(sidecar, url, "`url`")
    enrichment = parse_enrichment(sidecar, meta, body, published)
    rel = f"scrapes/{txt.name}"
    gold = {
        "url": url or None,
        "canonical_url": url or None,
        "site": need_str(sidecar, meta, "site", empty_ok=True) or None,
        "title": title,
        "authors": list(authors),
        "published": utc_iso(published) if published else None,
        "published_source": source,
        "related_link_count": len(related),
        "related_titles": list(related),
        "story": need_str(sidecar, meta, "story"),
        "syndicated_from": stems[synd] if synd else None,
        "must_contain": list(must),
        "must_not_contain": not_contain,
        **enrichment,
    }
    return rel, gold, text


# --------------------------------------------------------------------------- build


def article_gold(a: Article, stems: dict[str, str]) -> dict[str, Any]:
    if a.date_in == "none":
        published, source = None, "none"
    elif a.date_in == "url":
        m = URL_DATE.search(a.url)
        assert m is not None
        y, mo, d = (int(x) for x in m.groups())
        published, source = datetime(y, mo, d, tzinfo=UTC).isoformat(), "url"
    else:
        assert a.published is not None
        published, source = utc_iso(a.published), a.date_in
    related = [x.title for x in a.related_inside]
    related += [x.title for x in a.related_outside]
    if a.read_more:
        related.append(a.read_more.title)
    if a.syndicated_from and a.syndicated_from not in stems:
        raise fail(a.source, f"`syndicated_from` {a.syndicated_from!r} is not a known source stem")
    return {
        "url": a.page_url,
        "canonical_url": a.url,
        "site": a.outlet.name,
        "title": a.title,
        "authors": [x.name for x in a.authors],
        "published": published,
        "published_source": source,
        "related_link_count": len(related),
        "related_titles": related,
        "story": a.story,
        "syndicated_from": stems[a.syndicated_from] if a.syndicated_from else None,
        "must_contain": list(a.must_contain),
        "must_not_contain": must_not_contain(a),
        **a.extra,
    }


class BuildErrors(Exception):
    """Every problem found in the sources, one line each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def build() -> dict[Path, bytes]:
    """Everything the build writes, as {path: content}; raises BuildErrors listing every
    malformed source (the build never writes a partial corpus)."""
    errors: list[str] = []

    def attempt(fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except SourceError as exc:
            errors.append(str(exc))
            return None

    try:
        outlets = load_outlets(HERE / "outlets.toml")
    except SourceError as exc:
        raise BuildErrors([str(exc)]) from exc
    files: dict[Path, bytes] = {}
    gold: dict[str, Any] = {}

    art_dir = HERE / "articles"
    article_paths = sorted(art_dir.glob("*.toml")) if art_dir.exists() else []
    for p in sorted(art_dir.iterdir()) if art_dir.exists() else []:
        if p.suffix != ".toml" and not p.name.startswith("."):
            errors.append(str(fail(p, "unexpected file in articles/ (only NN-slug.toml)")))
    # Stems come from file names so that one broken file does not cascade into others.
    stems: dict[str, str] = {}
    numbers: dict[str, str] = {}
    for p in article_paths:
        if p.stem[:2] in numbers:
            errors.append(
                str(fail(p, f"number {p.stem[:2]} is also used by {numbers[p.stem[:2]]}"))
            )
        numbers[p.stem[:2]] = p.name
    articles: list[Article] = []
    for p in article_paths:
        a = attempt(partial(load_article, p, outlets))
        if a is not None:
            articles.append(a)
            stems[a.stem] = a.rel_path
    seen_urls: dict[str, str] = {}
    for a in articles:
        if a.url in seen_urls:
            errors.append(str(fail(a.source, f"url already used by {seen_urls[a.url]}")))
        seen_urls[a.url] = a.stem
        if a.syndicated_from == a.stem:
            errors.append(str(fail(a.source, "an article cannot be syndicated from itself")))

    scrape_dir = HERE / "scrapes"
    scrape_txts = sorted(scrape_dir.glob("*.txt")) if scrape_dir.exists() else []
    for txt in scrape_txts:
        if txt.stem in stems:
            errors.append(str(fail(txt, f"stem {txt.stem!r} collides with an article")))
        stems[txt.stem] = f"scrapes/{txt.name}"
    if scrape_dir.exists():
        for side in sorted(scrape_dir.glob("*.toml")):
            if not side.with_suffix(".txt").exists():
                errors.append(str(fail(side, "sidecar without a matching .txt scrape")))

    for a in articles:

        def render(a: Article = a) -> None:
            page = TEMPLATES[a.outlet.template](a)
            check_page(a, page)
            gold[a.rel_path] = article_gold(a, stems)
            files[OUT / a.rel_path] = page.encode("utf-8")

        attempt(render)

    for txt in scrape_txts:
        result = attempt(partial(load_scrape, txt, stems))
        if result is not None:
            rel, entry, text = result
            files[OUT / rel] = text.encode("utf-8")
            gold[rel] = entry

    feed_dir = HERE / "feeds"
    if feed_dir.exists():
        for feed in sorted(feed_dir.iterdir()):
            if feed.name.startswith(".") or not feed.is_file():
                continue
            attempt(partial(check_xml, feed))
            files[OUT / "feeds" / feed.name] = feed.read_bytes()
    opml = HERE / "feeds.opml"
    if opml.exists():
        attempt(partial(check_xml, opml))
        files[OUT / "feeds.opml"] = opml.read_bytes()

    if errors:
        raise BuildErrors(errors)
    text = json.dumps(gold, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    files[OUT / "gold.json"] = text.encode("utf-8")
    return files


def check_xml(path: Path) -> None:
    try:
        ET.fromstring(path.read_bytes())
    except ET.ParseError as exc:
        raise fail(path, f"not well-formed XML: {exc}") from exc


MANAGED = ("pages", "scrapes", "feeds")


def write(files: dict[Path, bytes]) -> tuple[int, int, int]:
    written = unchanged = removed = 0
    for path, content in sorted(files.items()):
        if path.exists() and path.read_bytes() == content:
            unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written += 1
    # Remove stale outputs from earlier builds (only in directories this script owns).
    for sub in MANAGED:
        base = OUT / sub
        if not base.exists():
            continue
        for path in sorted(base.rglob("*"), reverse=True):
            if path.is_file() and path not in files:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    if (OUT / "feeds.opml").exists() and OUT / "feeds.opml" not in files:
        (OUT / "feeds.opml").unlink()
        removed += 1
    return written, unchanged, removed


def warn_lengths(files: dict[Path, bytes]) -> None:
    for p in sorted((HERE / "articles").glob("*.toml")):
        body = tomllib.loads(p.read_text(encoding="utf-8")).get("body", "")
        n = word_count(LINK.sub(lambda m: m.group(1), body))
        if not 300 <= n <= 650:
            print(
                f"build.py: warning: {p.relative_to(ROOT)}: body has {n} words (want 300-650)",
                file=sys.stderr,
            )


def main() -> int:
    try:
        files = build()
    except BuildErrors as exc:
        for line in exc.errors:
            print(f"build.py: error: {line}", file=sys.stderr)
        print(f"build.py: {len(exc.errors)} error(s); nothing written", file=sys.stderr)
        return 1
    warn_lengths(files)
    written, unchanged, removed = write(files)
    pages = sum(1 for p in files if "pages" in p.relative_to(OUT).parts)
    print(
        f"demo corpus: {pages} pages, {len(files) - pages - 1} other files; "
        f"{written} written, {unchanged} unchanged, {removed} stale removed -> "
        f"{OUT.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
