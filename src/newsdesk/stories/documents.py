"""The plain records the story clusterer reads and returns, so callers need no database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.model import Actor, Event, Mention

LEADS_PER_DOC = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDoc:
    """One article as story clustering sees it: its words, its date, and what it is about.

    ``events`` hold :func:`event_signature` strings; ``leads`` are who the article is about
    (:func:`lead_actors`); ``duplicate_of`` marks a syndicated copy, which joins its original's
    story and counts once.
    """

    id: int  # article id
    title: str
    text: str
    published: datetime | None  # aware UTC
    outlet: str | None
    actors: tuple[str, ...] = ()  # actor keys
    events: tuple[str, ...] = ()  # event signatures "TYPE|actor1,actor2|place|date"
    places: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()  # lead names, the article's main subject first
    duplicate_of: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """Where one added doc went: the story it joined or opened, any stories that ended because
    of it, and any earlier docs it made change story (see :mod:`newsdesk.stories.revisit`)."""

    doc_id: int
    story_id: int  # stable id: the id of the story's first doc
    new_story: bool
    score: float  # similarity to the story it joined (1.0 for copies, 0.0 for a new story)
    # Story ids that ended because of this doc: merged into story_id, or emptied by a
    # revisit into the story that took most of their members (the clusterer resolves them).
    merged: tuple[int, ...] = ()
    moved: tuple[int, ...] = ()  # earlier docs (copies too) that changed story because of it


def event_signature(event: Event) -> str:
    """The identity of an event across articles: type, participants, place and date.

    Participants (doers and recipients together) are sorted so two articles naming the same
    sides in another order agree; a missing place or date is an empty field.
    """
    participants = ",".join(sorted(set(event.actors) | set(event.recipients)))
    return f"{event.type}|{participants}|{event.place or ''}|{event.date or ''}"


def lead_name(key: str) -> str:
    """How a lead is compared across articles: the last word of its actor key, so the
    "Bush" of one article meets the "Reggie Bush" of the next."""
    return key.rsplit("-", 1)[-1]


def lead_actors(actors: Sequence[Actor], mentions: Sequence[Mention]) -> tuple[str, ...]:
    """Who an article is about: its people named most often (pronouns and titles resolved to
    them count), the earliest named first on a tie; organisations only when it names no one.
    At most :data:`LEADS_PER_DOC`, as :func:`lead_name` forms.

    Two articles on the same kind of event (two players arrested, two quakes) share their
    vocabulary and often name each other's people; the people they lead with tell them apart.
    """
    seen: dict[str, int] = {}
    first: dict[str, int] = {}
    for mention in mentions:
        seen[mention.actor] = seen.get(mention.actor, 0) + 1
        first[mention.actor] = min(first.get(mention.actor, mention.start), mention.start)
    people = [a for a in actors if a.kind == "person"]
    ranked = sorted(
        people or actors,
        key=lambda a: (-seen.get(a.key, 0), first.get(a.key, 1 << 62)),
    )
    return tuple(dict.fromkeys(lead_name(a.key) for a in ranked))[:LEADS_PER_DOC]
