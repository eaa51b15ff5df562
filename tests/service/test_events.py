"""Event queries through the Newsdesk service: views with article, outlet and names."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsdesk.errors import ConfigError, StoreError
from newsdesk.service import Newsdesk
from newsdesk.service.events import EventView
from tests.store.test_events import fill


def test_events_come_with_their_article_and_participants(desk: Newsdesk) -> None:
    articles = fill(desk.store)
    views = desk.events()
    assert len(views) == 5
    assert all(isinstance(v, EventView) for v in views)
    first = views[0]
    assert first.event == articles[0].events[0]
    assert (first.article_id, first.title, first.outlet) == (
        1, "Putin will not attend", "The Bosphorus Ledger"
    )  # fmt: skip
    assert first.published == datetime(2025, 5, 12, 10, 0, tzinfo=UTC)
    assert first.actor_names == ("Vladimir Putin",)
    conditional = views[1]
    assert conditional.actor_names == ("Volodymyr Zelenskiy",)
    assert conditional.recipient_names == ("Vladimir Putin",)
    courier = [v for v in views if v.article_id == 2]
    assert {v.outlet for v in courier} == {"courier.example"}  # no site name: the domain


def test_actor_may_be_a_name_in_key_form(desk: Newsdesk) -> None:
    fill(desk.store)
    assert [(v.article_id, v.event.type) for v in desk.events(actor="putin")] == [
        (1, "REJECT"),
        (1, "CONSULT"),
    ]
    with pytest.raises(StoreError, match="no actor 'nobody'"):
        desk.events(actor="nobody")


def test_filters_reach_the_store(desk: Newsdesk) -> None:
    fill(desk.store)
    assert [v.event.status for v in desk.events(type="threaten")] == ["threatened"]
    assert [v.event.type for v in desk.events(status="proposed")] == ["YIELD"]
    assert [v.article_id for v in desk.events(since=date(2025, 5, 13))] == [1]
    assert {v.article_id for v in desk.events(article_ids=[2])} == {2}
    assert len(desk.events(limit=3)) == 3


def test_unknown_status_is_refused_with_the_choices(desk: Newsdesk) -> None:
    with pytest.raises(ConfigError, match="unknown event status 'happened': one of occurred"):
        desk.events(status="happened")
