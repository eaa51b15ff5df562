"""Terminal views of what the enrichment stages found: actors, quotes, times, places, events."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.table import Table

from newsdesk.cli.events import STATUS_STYLE
from newsdesk.model import Article


def actors_table(article: Article) -> Table | None:
    """The article's actors with titles, affiliation, sector and how often they are named."""
    if not article.actors:
        return None
    counts: dict[str, int] = {}
    for mention in article.mentions:
        counts[mention.actor] = counts.get(mention.actor, 0) + 1
    table = Table(title="Actors")
    for column in ("actor", "kind", "titles", "affiliation", "sector", "mentions"):
        table.add_column(column, overflow="fold")
    for actor in sorted(article.actors, key=lambda a: -counts.get(a.key, 0)):
        table.add_row(
            f"[bold]{escape(actor.name)}[/]",
            actor.kind,
            escape("; ".join(actor.titles)),
            escape(actor.affiliation or ""),
            escape(actor.sector or ""),
            str(counts.get(actor.key, 0)),
        )
    return table


def quotes_table(article: Article) -> Table | None:
    """Who said what."""
    if not article.quotes:
        return None
    names = {a.key: a.name for a in article.actors}
    table = Table(title="Quotes")
    for column in ("speaker", "kind", "cue", "content"):
        table.add_column(column, overflow="fold")
    for quote in article.quotes:
        speaker = names.get(quote.speaker_actor or "", quote.speaker or "?")
        table.add_row(escape(speaker), quote.kind, escape(quote.cue or ""), escape(quote.content))
    return table


def times_table(article: Article) -> Table | None:
    """Time expressions with their normalised values."""
    if not article.times:
        return None
    table = Table(title="Times")
    for column in ("text", "type", "value", "granularity", "mod"):
        table.add_column(column)
    for time in article.times:
        table.add_row(
            escape(time.text), time.type, time.value or "[dim]unresolved[/]",
            time.granularity or "", time.modifier or "",
        )  # fmt: skip
    return table


def places_table(article: Article) -> Table | None:
    """Places resolved with the gazetteer."""
    if not article.places:
        return None
    table = Table(title="Places")
    for column in ("text", "place", "kind", "country", "lat, lon"):
        table.add_column(column)
    seen: set[tuple[str, str]] = set()
    for place in article.places:
        if (place.text, place.name) in seen:
            continue
        seen.add((place.text, place.name))
        where = (
            f"{place.latitude:.2f}, {place.longitude:.2f}"
            if place.latitude is not None and place.longitude is not None
            else ""
        )
        table.add_row(
            escape(place.text), escape(place.name), place.kind, escape(place.country or ""), where
        )
    return table


def events_table(article: Article) -> Table | None:
    """Who did what to whom, when and where, and whether it happened."""
    if not article.events:
        return None
    names = {a.key: a.name for a in article.actors}
    table = Table(title="Events")
    for column in ("status", "type", "actors → recipients", "trigger", "date", "place", "detail"):
        table.add_column(column, overflow="fold")
    for event in article.events:
        who = ", ".join(names.get(k, k) for k in event.actors) or "?"
        if event.recipients:
            who += " → " + ", ".join(names.get(k, k) for k in event.recipients)
        detail = [f"if: {event.condition}"] if event.condition else []
        if event.asserted_by:
            detail.append(f"says {names.get(event.asserted_by, event.asserted_by)}")
        detail.extend(f"{names.get(r.actor, r.actor)}: {r.role}" for r in event.roles)
        table.add_row(
            f"[{STATUS_STYLE.get(event.status, 'white')}]{event.status}[/]",
            escape(event.type + (f"/{event.mode}" if event.mode else "")),
            escape(who), escape(event.trigger), escape(event.date or ""),
            escape(event.place or ""), escape("; ".join(detail)),
        )  # fmt: skip
    return table


def enrichment_view(article: Article) -> Group:
    """Every enrichment table the article has something for."""
    tables = [
        t
        for t in (
            actors_table(article),
            quotes_table(article),
            times_table(article),
            places_table(article),
            events_table(article),
        )
        if t is not None
    ]
    return Group(*tables)
