"""Event labels: who, the event's words with their object, and the status said as a verb."""

from __future__ import annotations

import pytest

from newsdesk.model import Actor, Article
from newsdesk.stages.events.labels import gerund, past, short_name, third
from tests.stages.enrich import seed_text
from tests.stages.test_events import analyse


@pytest.fixture(scope="module")
def seed_labels(request: pytest.FixtureRequest) -> dict[str, str]:
    article: Article = analyse(seed_text(request.getfixturevalue("seed")))
    return {e.summary: e.status for e in article.events}


def test_verb_forms() -> None:
    assert [third("hold talks"), third("carry out"), third("deny"), third("push")] == [
        "holds talks", "carries out", "denies", "pushes"]  # fmt: skip
    assert [past("hold talks"), past("plan"), past("agree to"), past("carry out")] == [
        "held talks", "planned", "agreed to", "carried out"]  # fmt: skip
    assert past("take part", participle=True) == "taken part"
    assert [gerund("attend"), gerund("meet"), gerund("plan")] == [
        "attending",
        "meeting",
        "planning",
    ]


def test_short_names() -> None:
    assert short_name(Actor(key="p", name="Vladimir Putin", kind="person")) == "Putin"
    gov = Actor(key="g", name="Government of the United States", kind="government")
    assert short_name(gov) == "United States"
    assert short_name(Actor(key="n", name="NATO", kind="organisation")) == "NATO"


@pytest.mark.parametrize(
    ("label", "status"),
    [
        ("Putin and Trump decline to attend peace talks in Istanbul", "declined"),
        ("Putin proposes direct negotiations with Ukraine", "proposed"),
        ("Medinsky and Fomin plan to lead the Russian delegation", "planned"),
        ("Zelenskyy would participate in direct negotiations only if Putin were also present",
         "conditional"),
        ("Trump proposes a possible 30-day ceasefire", "proposed"),
        ("Large prisoner exchange proposed", "proposed"),
        ("Trump threatens secondary sanctions on Russia", "threatened"),
    ],
)  # fmt: skip
def test_seed_labels_read_as_headlines(
    seed_labels: dict[str, str], label: str, status: str
) -> None:
    assert seed_labels.get(label) == status, sorted(seed_labels)


def test_no_label_says_someone(seed_labels: dict[str, str]) -> None:
    assert not [label for label in seed_labels if "someone" in label.lower()]
    assert all(label[:1].isupper() for label in seed_labels)
