"""Geometry for the reader's small server-drawn SVG charts: sparklines, the map of places, the
actor graph and the timeline strip. Templates draw the shapes; no chart needs JavaScript."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a sparkline: a day and its count, placed in the SVG's coordinates."""

    day: date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Sparkline:
    """Articles per day as bars in a ``width`` x ``height`` box."""

    bars: tuple[Bar, ...]
    width: int
    height: int
    first: date | None
    last: date | None
    peak: int

    @property
    def label(self) -> str:
        """What the chart shows, for people who cannot see it."""
        if not self.bars:
            return "no dated articles"
        total = sum(b.count for b in self.bars)
        return f"{total} articles from {self.first} to {self.last}, at most {self.peak} a day"


def sparkline(days: Iterable[date], *, width: int = 120, height: int = 28) -> Sparkline:
    """Bars for each day from the first to the last of ``days`` (gaps drawn as empty days)."""
    counts: dict[date, int] = {}
    for day in days:
        counts[day] = counts.get(day, 0) + 1
    if not counts:
        return Sparkline(bars=(), width=width, height=height, first=None, last=None, peak=0)
    first, last = min(counts), max(counts)
    span = (last - first).days + 1
    peak = max(counts.values())
    step = width / span
    bars = []
    for n in range(span):
        day = first + timedelta(days=n)
        count = counts.get(day, 0)
        h = max(1.0, (height - 2) * count / peak) if count else 0.0
        bars.append(
            Bar(day=day, count=count, x=round(n * step, 2), y=round(height - h, 2),
                width=round(max(step - 1, 1), 2), height=round(h, 2))
        )  # fmt: skip
    return Sparkline(
        bars=tuple(bars), width=width, height=height, first=first, last=last, peak=peak
    )


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A place on the map: its name, how often it is mentioned, and where it is drawn."""

    name: str
    count: int
    latitude: float
    longitude: float
    x: float
    y: float
    radius: float


@dataclass(frozen=True, slots=True)
class MapView:
    """Places on an equirectangular lon/lat grid fitted around them."""

    points: tuple[MapPoint, ...]
    width: int
    height: int
    meridians: tuple[tuple[float, int], ...]  # (x, longitude)
    parallels: tuple[tuple[float, int], ...]  # (y, latitude)


def place_map(
    places: Sequence[tuple[str, float, float, int]], *, width: int = 560, height: int = 320
) -> MapView:
    """A map of (name, latitude, longitude, mentions), framed to the places with a margin."""
    if not places:
        return MapView(points=(), width=width, height=height, meridians=(), parallels=())
    lats = [p[1] for p in places]
    lons = [p[2] for p in places]
    south, north = max(-85.0, min(lats) - 6), min(85.0, max(lats) + 6)
    west, east = max(-180.0, min(lons) - 10), min(180.0, max(lons) + 10)
    # Keep degrees square on the page: widen the narrower axis.
    scale = min(width / (east - west), height / (north - south))
    centre_lon, centre_lat = (west + east) / 2, (south + north) / 2
    west, east = centre_lon - width / scale / 2, centre_lon + width / scale / 2
    south, north = centre_lat - height / scale / 2, centre_lat + height / scale / 2
    peak = max(p[3] for p in places)

    def x_of(lon: float) -> float:
        return round((lon - west) * scale, 1)

    def y_of(lat: float) -> float:
        return round((north - lat) * scale, 1)

    step = 5 if east - west <= 60 else 10 if east - west <= 140 else 30
    meridians = tuple(
        (x_of(lon), lon) for lon in range(math.ceil(west / step) * step, int(east) + 1, step)
    )
    parallels = tuple(
        (y_of(lat), lat) for lat in range(math.ceil(south / step) * step, int(north) + 1, step)
    )
    points = tuple(
        MapPoint(name=name, count=count, latitude=lat, longitude=lon, x=x_of(lon), y=y_of(lat),
                 radius=round(4 + 8 * math.sqrt(count / peak), 1))
        for name, lat, lon, count in sorted(places, key=lambda p: -p[3])
    )  # fmt: skip
    return MapView(
        points=points, width=width, height=height, meridians=meridians, parallels=parallels
    )


@dataclass(frozen=True, slots=True)
class Node:
    """An actor in the graph, placed on a circle, sized by how often it appears."""

    key: str
    name: str
    weight: int
    x: float
    y: float
    radius: float
    anchor: str  # text-anchor for its label: "start" or "end"
    label_x: float


@dataclass(frozen=True, slots=True)
class Edge:
    """Two actors named together, with how many articles (or events) link them."""

    source: Node
    target: Node
    weight: int
    stroke: float


@dataclass(frozen=True, slots=True)
class Graph:
    """A circular layout of actors and the links between them."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    width: int
    height: int


def actor_graph(
    actors: Sequence[tuple[str, str, int]],
    links: Iterable[tuple[str, str, int]],
    *,
    width: int = 560,
    height: int = 420,
) -> Graph:
    """Actors (key, name, weight) on a circle, heaviest at the top, joined by ``links``."""
    if not actors:
        return Graph(nodes=(), edges=(), width=width, height=height)
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 60
    peak = max(a[2] for a in actors)
    nodes: dict[str, Node] = {}
    for n, (key, name, weight) in enumerate(actors):
        angle = -math.pi / 2 + 2 * math.pi * n / len(actors)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        right = math.cos(angle) >= -1e-9
        size = 4 + 9 * math.sqrt(weight / peak)
        nodes[key] = Node(
            key=key, name=name, weight=weight, x=round(x, 1), y=round(y, 1),
            radius=round(size, 1), anchor="start" if right else "end",
            label_x=round(x + (size + 4) * (1 if right else -1), 1),
        )  # fmt: skip
    kept = [(a, b, w) for a, b, w in links if a in nodes and b in nodes and a != b]
    heaviest = max((w for _, _, w in kept), default=1)
    edges = tuple(
        Edge(source=nodes[a], target=nodes[b], weight=w,
             stroke=round(0.75 + 3.5 * w / heaviest, 2))
        for a, b, w in sorted(kept, key=lambda e: e[2])
    )  # fmt: skip
    return Graph(nodes=tuple(nodes.values()), edges=edges, width=width, height=height)


@dataclass(frozen=True, slots=True)
class StripDot:
    """One timeline entry on the overview strip."""

    x: float
    status: str
    label: str
    background: bool
    anchor: str  # id of the entry in the list below the strip


@dataclass(frozen=True, slots=True)
class Strip:
    """Timeline entries along a date axis, with a tick per week."""

    dots: tuple[StripDot, ...]
    ticks: tuple[tuple[float, str], ...]
    width: int
    height: int


def timeline_strip(
    entries: Sequence[tuple[date, str, str, bool, str]], *, width: int = 720, height: int = 56
) -> Strip:
    """Entries (day, status, label, background, anchor) along an axis from first to last day."""
    if not entries:
        return Strip(dots=(), ticks=(), width=width, height=height)
    first = min(e[0] for e in entries)
    last = max(e[0] for e in entries)
    days = max((last - first).days, 1)
    margin = 12

    def x_of(day: date) -> float:
        return round(margin + (width - 2 * margin) * (day - first).days / days, 1)

    dots = tuple(
        StripDot(x=x_of(day), status=status, label=f"{day}: {label} ({status})",
                 background=background, anchor=anchor)
        for day, status, label, background, anchor in entries
    )  # fmt: skip
    every = max(1, math.ceil(days / 8))
    ticks = tuple(
        (x_of(first + timedelta(days=n)), (first + timedelta(days=n)).strftime("%d %b"))
        for n in range(0, days + 1, every)
    )
    return Strip(dots=dots, ticks=ticks, width=width, height=height)
