"""Turning the LLM's JSON into Event records, keeping only what the article really says.

Every span the model quotes (evidence sentence, trigger, condition, date words) is looked up
in ``Article.text``; an event whose evidence or trigger is not there is dropped, as is one
with a type or status outside the record. Actor names resolve to the article's actors
through their names, aliases and mentions; a name that matches none is dropped, not guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from newsdesk.errors import StageError
from newsdesk.model import Article, Event, EventRole, EventStatus, Place
from newsdesk.names import fold, surname
from newsdesk.stages.events_llm.ontology import plover_types
from newsdesk.stages.events_llm.spans import locate

EXTRACTOR = "llm"
STAGE = "events"
_FENCE = re.compile(r"```(?:json)?\s*(.*?)\s*```", re.DOTALL)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2}))?$")
_STATUSES = frozenset(s.value for s in EventStatus)
_NAME_KINDS = frozenset({"name", "alias"})  # mentions that spell the actor out


@dataclass(frozen=True, slots=True)
class ParsedReply:
    """The events kept and, for each one dropped, why."""

    events: tuple[Event, ...]
    dropped: tuple[str, ...]


class ActorIndex:
    """Names an article uses for its actors, folded, mapped to actor keys."""

    def __init__(self, article: Article) -> None:
        names: dict[str, set[str]] = {}
        surnames: dict[str, set[str]] = {}
        for actor in article.actors:
            for name in (actor.name, *actor.aliases):
                names.setdefault(fold(name), set()).add(actor.key)
            names.setdefault(fold(actor.key.replace("-", " ")), set()).add(actor.key)
            if actor.kind == "person":
                surnames.setdefault(surname(actor.name), set()).add(actor.key)
        for mention in article.mentions:
            if mention.kind in _NAME_KINDS:
                names.setdefault(fold(mention.text), set()).add(mention.actor)
        self._names = names
        self._surnames = surnames

    def key(self, name: object) -> str | None:
        """The key of the one actor ``name`` can mean, or None."""
        if not isinstance(name, str) or not name.strip():
            return None
        folded = fold(name)
        bare = folded.removeprefix("the ")  # "the Kremlin" is the actor the text calls Kremlin
        unhyphenated = fold(name.replace("-", " "))  # a key given for a name
        lookups = [(self._names, f) for f in (folded, bare, unhyphenated)]
        for table, form in [*lookups, (self._surnames, surname(name))]:
            keys = table.get(form, set())
            if len(keys) == 1:
                return next(iter(keys))
            if len(keys) > 1:
                return None  # ambiguous: better no actor than the wrong one
        return None

    def keys(self, names: object) -> tuple[tuple[str, ...], list[str]]:
        """Keys for a list of names (order kept, repeats removed) and the names not resolved."""
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list):
            return (), []
        found: dict[str, None] = {}
        unknown: list[str] = []
        for name in names:
            key = self.key(name)
            if key is None:
                unknown.append(str(name))
            else:
                found[key] = None
        return tuple(found), unknown


def load_reply(content: str, item: str) -> list[Any]:
    """The list of raw event objects in a reply; StageError naming ``item`` if it is not JSON."""
    try:
        data = json.loads(content)
    except ValueError as exc:
        fenced = _FENCE.search(content)  # a model that wrapped its JSON in a Markdown block
        try:
            data = json.loads(fenced.group(1)) if fenced else None
        except ValueError:
            data = None
        if data is None:
            raise StageError(STAGE, item, f"the LLM reply is not valid JSON ({exc})") from None
    if isinstance(data, dict):
        data = data.get("events", [])
    if not isinstance(data, list):
        raise StageError(STAGE, item, "the LLM reply holds no list of events")
    return data


def parse_reply(content: str, article: Article) -> ParsedReply:
    """The events of one reply, checked against ``article``."""
    item = article.source or article.url
    actors = ActorIndex(article)
    kept: list[Event] = []
    dropped: list[str] = []
    for number, raw in enumerate(load_reply(content, item), start=1):
        if not isinstance(raw, dict):
            dropped.append(f"event {number}: not an object")
            continue
        event, notes = _event(raw, article, actors)
        if event is not None:
            kept.append(event)
        dropped.extend(f"event {number}: {note}" for note in notes)
    return ParsedReply(events=merge_repeats(kept), dropped=tuple(dropped))


def _event(
    raw: Mapping[str, Any], article: Article, actors: ActorIndex
) -> tuple[Event | None, list[str]]:
    """One checked event (or None) and notes on what was dropped: the event or some parts."""
    text = article.text
    kind = plover_types().get(str(raw.get("type") or "").strip().upper())
    if kind is None:
        return None, [f"unknown type {raw.get('type')!r}"]
    status = str(raw.get("status") or "").strip().lower()
    if status not in _STATUSES:
        return None, [f"unknown status {raw.get('status')!r}"]
    evidence = locate(text, _text(raw.get("evidence")))
    if evidence is None:
        return None, [f"evidence not in the text: {_text(raw.get('evidence'))[:80]!r}"]
    trigger = locate(text, _text(raw.get("trigger")), *evidence)
    if trigger is None:
        return None, [f"trigger {_text(raw.get('trigger'))!r} not in its evidence sentence"]
    notes: list[str] = []
    condition = None
    if _text(raw.get("condition")):
        span = locate(text, _text(raw["condition"]), *evidence) or locate(
            text, _text(raw["condition"])
        )
        if span is None:
            return None, [f"condition not in the text: {_text(raw['condition'])[:80]!r}"]
        condition = text[span[0] : span[1]]
    doers, unknown_doers = actors.keys(raw.get("actors"))
    receivers, unknown_receivers = actors.keys(raw.get("recipients"))
    for name in unknown_doers + unknown_receivers:
        notes.append(f"actor {name!r} is none of the article's actors")
    mode = str(raw.get("mode") or "").strip().lower() or None
    if mode not in dict(kind.modes):
        mode = None
    when, granularity, date_text = _date(raw, text, evidence)
    if raw.get("date") and when is None:
        notes.append(f"date {raw.get('date')!r} not backed by the text")
    place = _place(raw.get("place"), article)
    event = Event(
        type=kind.name,
        mode=mode,
        cameo=kind.cameo_for(mode),
        status=status,
        start=evidence[0],
        end=evidence[1],
        trigger=text[trigger[0] : trigger[1]],
        trigger_start=trigger[0],
        trigger_end=trigger[1],
        actors=doers,
        recipients=tuple(k for k in receivers if k not in doers),
        roles=_roles(raw.get("roles"), actors),
        place=place.name if place else None,
        country_code=place.country_code if place else None,
        date=when,
        granularity=granularity,
        date_text=date_text,
        condition=condition,
        asserted_by=actors.key(raw.get("asserted_by")),
        summary=_text(raw.get("summary"))[:160],
        extractor=EXTRACTOR,
        confidence=_confidence(raw.get("confidence")),
    )
    return event, notes


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _confidence(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.5
    return min(1.0, max(0.0, float(value)))


def _date(
    raw: Mapping[str, Any], text: str, evidence: tuple[int, int]
) -> tuple[str | None, str | None, str | None]:
    """(value, granularity, words) when the date is well formed and its words are in the text."""
    value = _text(raw.get("date"))
    words = _text(raw.get("date_text"))
    shape = _DATE.match(value)
    if shape is None or not words or not _real_date(*shape.groups()):
        return None, None, None
    span = locate(text, words, *evidence) or locate(text, words)
    if span is None:
        return None, None, None
    _, month, day, week = shape.groups()
    granularity = "day" if day else "month" if month else "week" if week else "year"
    return value, granularity, text[span[0] : span[1]]


def _real_date(year: str, month: str | None, day: str | None, week: str | None) -> bool:
    """Whether the TIMEX3 parts name a real calendar month, day or ISO week."""
    try:
        if week:
            date.fromisocalendar(int(year), int(week), 1)
        else:
            date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def _place(name: object, article: Article) -> Place | None:
    """The article's resolved place that ``name`` names, if any."""
    if not isinstance(name, str) or not name.strip():
        return None
    wanted = fold(name)
    for place in article.places:
        if wanted in (fold(place.text), fold(place.name)):
            return place
    return None


def _roles(raw: object, actors: ActorIndex) -> tuple[EventRole, ...]:
    if not isinstance(raw, list):
        return ()
    roles: dict[tuple[str, str], EventRole] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        key = actors.key(entry.get("actor"))
        role = _text(entry.get("role"))
        if key and role:
            roles[(key, role)] = EventRole(actor=key, role=role)
    return tuple(roles.values())


def merge_repeats(events: list[Event]) -> tuple[Event, ...]:
    """One event per (type, status, actors, recipients, date), counting its mentions."""
    merged: dict[tuple[object, ...], Event] = {}
    for event in sorted(events, key=lambda e: (e.start, e.trigger_start)):
        identity = (event.type, event.status, event.actors, event.recipients, event.date)
        first = merged.get(identity)
        if first is None:
            merged[identity] = event
            continue
        merged[identity] = replace(
            first,
            mentions=first.mentions + event.mentions,
            roles=tuple(dict.fromkeys([*first.roles, *event.roles])),
            condition=first.condition or event.condition,
            place=first.place or event.place,
            country_code=first.country_code if first.place else event.country_code,
            confidence=max(first.confidence, event.confidence),
        )
    return tuple(merged.values())
