"""A user's actor edits reach every key an article holds: actors, mentions, quotes, events."""

from __future__ import annotations

from newsdesk.model import Actor, Article, Event, EventRole, Quote
from newsdesk.service.actoredits import apply_actor_edits


def test_edits_map_event_actors_recipients_roles_and_asserter() -> None:
    article = Article(
        url="https://example.org/a",
        text="Vargova met Brandt. Vargova said the talks went well.",
        actors=(
            Actor(key="ilse-vargova", name="Ilse Vargova", kind="person"),
            Actor(key="tomas-brandt", name="Tomas Brandt", kind="person"),
        ),
        quotes=(
            Quote(kind="reported", content="the talks went well", start=33, end=52,
                  speaker_actor="ilse-vargova"),
        ),
        events=(
            Event(type="CONSULT", status="occurred", start=0, end=19, trigger="met",
                  trigger_start=8, trigger_end=11, actors=("ilse-vargova",),
                  recipients=("tomas-brandt",),
                  roles=(EventRole(actor="ilse-vargova", role="finance minister"),),
                  asserted_by="ilse-vargova"),
        ),
    )  # fmt: skip
    edited = apply_actor_edits(article, {"ilse-vargova": "ilse-varga"})
    [event] = edited.events
    assert event.actors == ("ilse-varga",)
    assert event.recipients == ("tomas-brandt",)
    assert event.roles == (EventRole(actor="ilse-varga", role="finance minister"),)
    assert event.asserted_by == "ilse-varga"
    assert edited.quotes[0].speaker_actor == "ilse-varga"


def test_no_edits_leave_the_article_as_it_is() -> None:
    article = Article(url="https://example.org/b", text="Nothing happened.")
    assert apply_actor_edits(article, {}) is article
