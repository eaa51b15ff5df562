"""An article's clean text as HTML paragraphs with its actors, quotes, dates, places and events
marked, each mark carrying its evidence in a tooltip shown on hover and on keyboard focus.

Text is escaped here and the finished fragment is passed through nh3 with a small allow-list,
so nothing a page contained can become markup.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from html import escape
from urllib.parse import quote as url_quote

import nh3
from markupsafe import Markup

from newsdesk.model import Article, Event, Mention, Place, Quote, TimeExpression

ALLOWED_TAGS = {"p", "span", "a", "q"}
ALLOWED_ATTRIBUTES = {
    "p": {"id"},
    "span": {"class", "tabindex", "aria-describedby", "role", "id", "data-kind"},
    "a": {"class", "href", "aria-describedby", "data-kind"},
    "q": {"class", "tabindex", "aria-describedby", "data-kind"},
}
PRIORITY = {"event": 4, "actor": 3, "time": 2, "place": 1}


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted span: where it is, what kind, its tooltip, and a link if any."""

    start: int
    end: int
    kind: str  # "actor", "time", "place", "event", "quote"
    tip: str
    href: str | None = None
    css: str = ""


def _actor_mark(article: Article, mention: Mention) -> Mark:
    actor = next((a for a in article.actors if a.key == mention.actor), None)
    name = actor.name if actor else mention.actor
    facts = [name]
    if mention.title or (actor and actor.titles):
        facts.append(mention.title or ", ".join(actor.titles if actor else ()))
    if actor and (actor.affiliation or actor.sector):
        facts.append(" · ".join(x for x in (actor.affiliation, actor.sector) if x))
    facts.append(f"written as {mention.kind}")
    href = f"/actors/{url_quote(mention.actor, safe='')}"
    return Mark(mention.start, mention.end, "actor", " — ".join(facts), href=href)


def _time_mark(time: TimeExpression) -> Mark:
    value = time.value or "unresolved"
    facts = [f"{time.type} {value}"]
    if time.granularity:
        facts.append(f"granularity {time.granularity}")
    if time.modifier:
        facts.append(f"modifier {time.modifier}")
    if time.anchored:
        facts.append("anchored on the publication date")
    return Mark(time.start, time.end, "time", ", ".join(facts))


def _place_mark(place: Place) -> Mark:
    where = ", ".join(
        x for x in (place.name, place.country if place.kind != "country" else None) if x
    )
    tip = f"{where} ({place.kind})"
    if place.latitude is not None and place.longitude is not None:
        tip += f" at {place.latitude:.2f}, {place.longitude:.2f}"
    return Mark(place.start, place.end, "place", tip)


def _event_mark(article: Article, event: Event) -> Mark:
    evidence = article.text[event.start : event.end].strip()
    label = event.summary or event.trigger
    when = f", {event.date}" if event.date else ""
    tip = f"{event.type} · {event.status}{when}: {label}. Evidence: “{evidence}”"
    return Mark(event.trigger_start, event.trigger_end, "event", tip, css=f"status-{event.status}")


def _quote_mark(article: Article, quote: Quote) -> Mark:
    names = {a.key: a.name for a in article.actors}
    speaker = names.get(quote.speaker_actor or "") or quote.speaker or "unattributed"
    cue = f", cue “{quote.cue}”" if quote.cue else ""
    return Mark(quote.start, quote.end, "quote", f"{quote.kind} quote by {speaker}{cue}")


def _non_overlapping(marks: list[Mark]) -> list[Mark]:
    """Marks that do not overlap, preferring higher priority and then longer spans."""
    chosen: list[Mark] = []
    starts: list[int] = []  # the chosen spans, by start (they never overlap)
    ends: list[int] = []
    ranked = sorted(marks, key=lambda m: (-PRIORITY.get(m.kind, 0), -(m.end - m.start), m.start))
    for mark in ranked:
        if mark.end <= mark.start:
            continue
        at = bisect_right(starts, mark.start)
        if (at and ends[at - 1] > mark.start) or (at < len(starts) and starts[at] < mark.end):
            continue  # overlaps the chosen span before it or after it
        starts.insert(at, mark.start)
        ends.insert(at, mark.end)
        chosen.append(mark)
    return sorted(chosen, key=lambda m: m.start)


class _Writer:
    """Writes marked-up text; numbers tooltips so each mark can point at its own."""

    def __init__(self, text: str, prefix: str) -> None:
        self.text = text
        self.prefix = prefix
        self.count = 0

    def plain(self, start: int, end: int) -> str:
        return escape(self.text[start:end], quote=False)

    def mark(self, mark: Mark, inner: str) -> str:
        self.count += 1
        tip_id = f"{self.prefix}{self.count}"
        tip = f'<span class="tip" role="tooltip" id="{tip_id}">{escape(mark.tip)}</span>'
        classes = escape(f"hl hl-{mark.kind} {mark.css}".strip())
        common = f'class="{classes}" data-kind="{mark.kind}" aria-describedby="{tip_id}"'
        if mark.href:
            return f'<a {common} href="{escape(mark.href)}">{inner}{tip}</a>'
        tag = "q" if mark.kind == "quote" else "span"
        return f'<{tag} {common} tabindex="0">{inner}{tip}</{tag}>'

    def run(self, start: int, end: int, marks: list[Mark]) -> str:
        """Text from ``start`` to ``end`` with the (non-overlapping) ``marks`` inside it."""
        out: list[str] = []
        at = start
        for mark in marks:
            if mark.start < at or mark.end > end:
                continue
            out.append(self.plain(at, mark.start))
            out.append(self.mark(mark, self.plain(mark.start, mark.end)))
            at = mark.end
        out.append(self.plain(at, end))
        return "".join(out)


def article_marks(article: Article) -> tuple[list[Mark], list[Mark]]:
    """(quotes, inner marks): quotes hold the other marks; inner marks never overlap."""
    inner = [_actor_mark(article, m) for m in article.mentions]
    inner += [_time_mark(t) for t in article.times]
    inner += [_place_mark(p) for p in article.places]
    inner += [_event_mark(article, e) for e in article.events]
    quotes: list[Mark] = []
    for mark in sorted((_quote_mark(article, q) for q in article.quotes), key=lambda m: m.start):
        if mark.end > mark.start and (not quotes or mark.start >= quotes[-1].end):
            quotes.append(mark)
    crossing = [
        m for m in inner if any(m.start < q.end and m.end > q.start and not (
            q.start <= m.start and m.end <= q.end) for q in quotes)
    ]  # fmt: skip
    return quotes, _non_overlapping([m for m in inner if m not in crossing])


def highlighted_paragraphs(article: Article, *, prefix: str = "tip") -> list[Markup]:
    """The article's paragraphs as sanitised HTML with every mark in place."""
    text = article.text
    quotes, inner = article_marks(article)
    writer = _Writer(text, prefix)
    paragraphs: list[Markup] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            html = _paragraph(writer, start, end, quotes, inner)
            clean = nh3.clean(
                f"<p>{html}</p>", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None
            )
            paragraphs.append(Markup(clean))  # sanitised by nh3 just above
        start = end + 1
    return paragraphs


def _paragraph(writer: _Writer, start: int, end: int, quotes: list[Mark], inner: list[Mark]) -> str:
    here = [m for m in inner if m.start >= start and m.end <= end]
    out: list[str] = []
    at = start
    for quote in quotes:
        q_start, q_end = max(quote.start, start), min(quote.end, end)
        if q_end <= q_start or q_start < at:
            continue
        out.append(writer.run(at, q_start, [m for m in here if m.end <= q_start]))
        inside = [m for m in here if m.start >= q_start and m.end <= q_end]
        out.append(writer.mark(quote, writer.run(q_start, q_end, inside)))
        at = q_end
    out.append(writer.run(at, end, [m for m in here if m.start >= at]))
    return "".join(out)
