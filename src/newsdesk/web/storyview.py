"""The story page's derived pieces: articles grouped by outlet with copies folded, the actor
graph, the map of places and the timeline strip, all from the service's story records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from newsdesk.model import StoredArticle
from newsdesk.service.reading import StoryView, Timeline
from newsdesk.web.charts import Graph, MapView, Strip, actor_graph, place_map, timeline_strip

GRAPH_ACTORS = 14
GRAPH_LINKS = 24  # the strongest links drawn; more turns the circle into a hairball


@dataclass(frozen=True, slots=True)
class OutletGroup:
    """One outlet's articles in a story; each original carries the copies that repeat it."""

    outlet: str
    originals: tuple[tuple[StoredArticle, tuple[StoredArticle, ...]], ...]
    copies_only: tuple[StoredArticle, ...]  # copies whose original is another outlet's

    @property
    def count(self) -> int:
        """How many articles the outlet has in the story."""
        return len(self.originals) + len(self.copies_only)


def outlet_name(stored: StoredArticle) -> str:
    """The outlet an article is grouped under."""
    return stored.article.site or stored.article.domain or "unknown outlet"


def outlet_groups(articles: tuple[StoredArticle, ...]) -> list[OutletGroup]:
    """Articles by outlet, most articles first; a syndicated copy folds under its original
    when both are in the story, else it is listed as that outlet's copy."""
    ids = {a.id for a in articles}
    copies: dict[int, list[StoredArticle]] = {}
    for stored in articles:
        if stored.duplicate_of and stored.duplicate_of.original_id in ids:
            copies.setdefault(stored.duplicate_of.original_id, []).append(stored)
    by_outlet: dict[
        str, tuple[list[tuple[StoredArticle, tuple[StoredArticle, ...]]], list[StoredArticle]]
    ] = {}
    for stored in articles:
        originals, loose = by_outlet.setdefault(outlet_name(stored), ([], []))
        if stored.duplicate_of is None:
            originals.append((stored, tuple(copies.get(stored.id, ()))))
        elif stored.duplicate_of.original_id not in ids:
            loose.append(stored)
    groups = [
        OutletGroup(outlet=name, originals=tuple(originals), copies_only=tuple(loose))
        for name, (originals, loose) in by_outlet.items()
        if originals or loose
    ]
    return sorted(groups, key=lambda g: (-len(g.originals), g.outlet))


def story_graph(articles: tuple[StoredArticle, ...]) -> Graph:
    """The story's most named actors, linked by how many original articles name both."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    together: Counter[tuple[str, str]] = Counter()
    for stored in articles:
        if stored.duplicate_of is not None:
            continue
        keys = sorted({a.key for a in stored.article.actors})
        for actor in stored.article.actors:
            names.setdefault(actor.key, actor.name)
        counts.update(keys)
        together.update(combinations(keys, 2))
    top = [(key, names[key], n) for key, n in counts.most_common(GRAPH_ACTORS)]
    chosen = {key for key, _, _ in top}
    links = [(a, b, n) for (a, b), n in together.items() if a in chosen and b in chosen]
    links.sort(key=lambda link: -link[2])
    return actor_graph(top, links[:GRAPH_LINKS])


def story_map(articles: tuple[StoredArticle, ...]) -> MapView:
    """Every resolved place the story's original articles mention, sized by mentions."""
    found: dict[str, tuple[float, float]] = {}
    mentions: Counter[str] = Counter()
    for stored in articles:
        if stored.duplicate_of is not None:
            continue
        for place in stored.article.places:
            if place.latitude is None or place.longitude is None:
                continue
            found.setdefault(place.name, (place.latitude, place.longitude))
            mentions[place.name] += 1
    places = [(name, lat, lon, mentions[name]) for name, (lat, lon) in found.items()]
    places.sort(key=lambda p: -p[3])
    return place_map(places[:25])


def story_strip(timeline: Timeline) -> Strip:
    """The timeline's entries as dots along the story's dates (background left out)."""
    entries = [
        (entry.when.first, entry.status, entry.label, entry.background, anchor(entry.key))
        for entry in timeline.entries
    ]
    # Background (years-old events) would squeeze the story's own weeks into a corner.
    current = [e for e in entries if not e[3]]
    return timeline_strip(current or entries)


def anchor(key: str) -> str:
    """An HTML id for a timeline entry key."""
    return "t-" + "".join(ch if ch.isalnum() else "-" for ch in key).strip("-")[:80]


def story_sections(view: StoryView) -> dict[str, object]:
    """Template context for the story page's side column: articles by outlet, actor graph and
    map (the timeline strip is drawn by :func:`story_strip`)."""
    return {
        "groups": outlet_groups(view.articles),
        "graph": story_graph(view.articles),
        "map": story_map(view.articles),
    }
