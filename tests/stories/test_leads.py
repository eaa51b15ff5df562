"""Leads: who an article is about, how a story's lead profile moves a score, and that the
profiles survive revisiting, saving and a state saved before leads existed."""

from __future__ import annotations

import pickle
from array import array
from datetime import UTC, datetime

import pytest

from newsdesk.model import Actor, Mention
from newsdesk.stories import state
from newsdesk.stories.cluster import Settings, StoryClusterer
from newsdesk.stories.documents import StoryDoc, lead_actors
from newsdesk.stories.similarity import Weights, lead_counts, lead_term

ARREST = "Chargers player arrested on suspicion of drunk driving after a traffic stop downtown."


def actor(key: str, kind: str = "person") -> Actor:
    return Actor(key=key, name=key.replace("-", " ").title(), kind=kind)


def mention(key: str, start: int) -> Mention:
    return Mention(actor=key, text=key, start=start, end=start + len(key))


def test_leads_are_the_people_named_most_earliest_first_on_a_tie() -> None:
    actors = [actor("a-j-smith"), actor("jamal-williams"), actor("san-diego-chargers", "org"),
              actor("vincent-jackson")]  # fmt: skip
    mentions = [mention("san-diego-chargers", 0), mention("san-diego-chargers", 40),
                mention("san-diego-chargers", 90), mention("vincent-jackson", 10),
                mention("jamal-williams", 20), mention("jamal-williams", 60),
                mention("a-j-smith", 70), mention("vincent-jackson", 80)]  # fmt: skip
    # Williams and Jackson are named twice each, Jackson first; the club, named most, is no person.
    assert lead_actors(actors, mentions) == ("jackson", "williams")


def test_an_article_naming_no_one_leads_with_its_organisations() -> None:
    actors = [actor("microsoft", "organisation"), actor("new-orleans-saints", "organisation")]
    mentions = [mention("new-orleans-saints", 5), mention("microsoft", 50),
                mention("microsoft", 80)]  # fmt: skip
    assert lead_actors(actors, mentions) == ("microsoft", "saints")
    assert lead_actors([], []) == ()


def test_the_lead_term_adds_for_the_same_people_and_takes_away_for_others() -> None:
    weights = Weights(leads=0.2, lead_floor=0.25)
    story = lead_counts(("bush",)) | {"thomas": 1}
    assert lead_term(weights, lead_counts(("bush",)), {"bush": 4}) == pytest.approx(0.2 * 0.75)
    assert lead_term(weights, lead_counts(("williams",)), story) == pytest.approx(-0.2 * 0.25)
    assert 0 < lead_term(weights, lead_counts(("thomas", "bush")), story) < 0.2 * 0.75
    assert lead_term(weights, {}, story) == 0.0
    assert lead_term(weights, lead_counts(("bush",)), {}) == 0.0
    assert lead_term(Weights(leads=0.0), lead_counts(("bush",)), story) == 0.0


def arrest(doc_id: int, *leads: str) -> StoryDoc:
    return StoryDoc(id=doc_id, title="Chargers player arrested", text=ARREST, published=None,
                    outlet=None, leads=leads)  # fmt: skip


def test_the_same_words_score_higher_with_the_same_lead_by_exactly_the_lead_weight() -> None:
    weights = Weights(leads=0.15, lead_floor=0.2)
    scores = {}
    for lead in ("jackson", "williams"):
        clusterer = StoryClusterer(settings=Settings(threshold=0.0, weights=weights))
        clusterer.add(arrest(1, "jackson"))
        scores[lead] = clusterer.add(arrest(2, lead)).score
    assert scores["jackson"] - scores["williams"] == pytest.approx(weights.leads, abs=1e-5)


def test_a_story_counts_the_leads_of_its_articles() -> None:
    clusterer = StoryClusterer(settings=Settings(threshold=0.0, revisit=False))
    clusterer.add(arrest(1, "jackson", "smith"))
    clusterer.add(arrest(2, "jackson"))
    story = clusterer.story_by_id[clusterer.story_of(1)]
    assert story.leads == {"jackson": 4, "smith": 1}
    assert clusterer.docs.leads_of(1) == ("jackson", "smith")
    assert clusterer.docs.leads_of(2) == ("jackson",)


def test_revisiting_keeps_each_story_s_leads_those_of_its_members() -> None:
    shared = "storm flood river town rescue water homes evacuated"
    events = {
        "meyer": "Alderton dam breach engineers Tuesday levee collapse",
        "okafor": "Brookvale bridge ferry capsized Sunday passengers missing",
    }
    settings = Settings(threshold=0.05, young_margin=0.0, merge_threshold=1.1)
    clusterer = StoryClusterer(settings=settings)
    docs = []
    for n in range(10):
        lead = "meyer" if n % 2 == 0 else "okafor"
        words = events[lead].split()
        text = f"{shared} {events[lead]} {words[n % len(words)]} report {n}."
        docs.append(StoryDoc(id=n + 1, title=events[lead], text=text, published=None,
                             outlet=None, leads=(lead,)))  # fmt: skip
        clusterer.add(docs[-1])
    assert {clusterer.story_of(d.id) for d in docs if d.leads == ("meyer",)} != {
        clusterer.story_of(d.id) for d in docs if d.leads == ("okafor",)
    }
    for sid, members in clusterer.stories().items():
        expected: dict[str, int] = {}
        for m in members:
            for lead, weight in lead_counts(clusterer.docs.leads_of(m)).items():
                expected[lead] = expected.get(lead, 0) + weight
        assert clusterer.story_by_id[sid].leads == expected


def test_leads_round_trip_through_a_saved_state() -> None:
    clusterer = StoryClusterer(settings=Settings(threshold=0.0))
    clusterer.add(arrest(1, "jackson", "smith"))
    clusterer.add(arrest(2, "williams"))
    again = StoryClusterer.from_bytes(clusterer.to_bytes(), vectors=clusterer.vectors)
    assert again.docs.leads_of(1) == ("jackson", "smith")
    assert again.docs.leads_of(2) == ("williams",)
    for sid in clusterer.stories():
        assert again.story_by_id[sid].leads == clusterer.story_by_id[sid].leads
    assert again.add(arrest(3, "jackson")) == clusterer.add(arrest(3, "jackson"))


def test_a_state_saved_before_leads_loads_with_none_and_learns_them() -> None:
    clusterer = StoryClusterer(settings=Settings(threshold=0.0))
    clusterer.add(arrest(1))  # no leads: every story's lead list is empty
    clusterer.add(arrest(2))
    payload = pickle.loads(clusterer.to_bytes()[len(state.MAGIC) :])
    payload["format"] = 2
    del payload["docs"]["leads"]
    del payload["settings"]["weights"]["leads"], payload["settings"]["weights"]["lead_floor"]
    ends = array("q", payload["stories"]["item_ends"])
    payload["stories"]["item_ends"] = array("q", (e for n, e in enumerate(ends) if n % 4 != 3))
    payload["stories"]["item_ends"] = payload["stories"]["item_ends"].tobytes()
    older = state.MAGIC + pickle.dumps(payload)
    again = StoryClusterer.from_bytes(older, vectors=clusterer.vectors)
    assert again.stories() == clusterer.stories()
    assert again.docs.leads_of(1) == ()
    sid = again.story_of(1)
    assert again.story_by_id[sid].leads == {}
    assert again.story_by_id[sid].actors == clusterer.story_by_id[sid].actors
    again.add(arrest(3, "jackson"))
    assert again.story_by_id[again.story_of(3)].leads == {"jackson": 2}
    reloaded = StoryClusterer.from_bytes(again.to_bytes(), vectors=again.vectors)
    assert reloaded.story_by_id[reloaded.story_of(3)].leads == {"jackson": 2}


def test_shared_actors_count_only_between_dated_articles() -> None:
    """Undated, the same people and places recur across years and tell nothing; dated, the
    bonus counts (``Weights.undated`` 1.0 brings it back for undated ones)."""
    day = datetime(2025, 5, 15, tzinfo=UTC)
    second = "Police stopped the Chargers lineman downtown and charged him with drunk driving."

    def score(weights: Weights, published: datetime | None) -> float:
        clusterer = StoryClusterer(settings=Settings(threshold=0.0, weights=weights))
        for n, text in ((1, ARREST), (2, second)):
            doc = StoryDoc(id=n, title="Chargers", text=text, published=published, outlet=None,
                           actors=("san-diego-chargers",))  # fmt: skip
            found = clusterer.add(doc)
        return found.score

    weights = Weights(actors=0.3, events=0.0, places=0.0)
    undated, dated = score(weights, None), score(weights, day)
    assert 0.0 < undated < 0.6
    assert dated - undated == pytest.approx(0.3, abs=1e-5)
    assert score(Weights(actors=0.3, events=0.0, places=0.0, undated=1.0), None) == dated
