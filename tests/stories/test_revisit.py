"""Revisiting young stories: a story that took in two distinct events splits, and saving
and reloading keeps the result, also from a state saved before revisiting existed."""

from __future__ import annotations

import pickle

from newsdesk.stories import state
from newsdesk.stories.cluster import Settings, StoryClusterer
from newsdesk.stories.documents import StoryDoc

SHARED = "storm flood river town rescue water homes evacuated"
FIRST = "Alderton dam breach Meyer engineers Tuesday levee collapse"
SECOND = "Brookvale bridge Okafor ferry capsized Sunday passengers missing"
# The settings revisiting added: a state saved before it has none of them.
REVISIT_SETTINGS = ("revisit", "revisit_stories", "revisit_floor", "young_size", "move_margin",
                    "split_below", "split_min", "revisit_merge")  # fmt: skip


def docs() -> list[StoryDoc]:
    made = []
    for n in range(8):
        own = FIRST if n % 2 == 0 else SECOND
        words = own.split()
        text = f"{SHARED} {own} {words[n % len(words)]} report {n}."
        made.append(StoryDoc(id=n + 1, title=own, text=text, published=None, outlet=None))
    return made


def test_two_events_taken_in_together_split_apart() -> None:
    settings = Settings(threshold=0.05, young_margin=0.0, merge_threshold=1.1)
    split = StoryClusterer(settings=settings)
    for doc in docs():
        split.add(doc)
    groups = {split.story_of(d.id) for d in docs() if d.id % 2 == 1}
    others = {split.story_of(d.id) for d in docs() if d.id % 2 == 0}
    assert len(groups) == 1
    assert len(others) == 1
    assert groups != others
    plain = StoryClusterer(settings=Settings(threshold=0.05, young_margin=0.0, revisit=False))
    for doc in docs():
        plain.add(doc)
    assert len({plain.story_of(d.id) for d in docs()}) == 1


def test_revisited_state_round_trips() -> None:
    settings = Settings(threshold=0.05, young_margin=0.0, merge_threshold=1.1)
    clusterer = StoryClusterer(settings=settings)
    for doc in docs()[:6]:
        clusterer.add(doc)
    again = StoryClusterer.from_bytes(clusterer.to_bytes(), vectors=clusterer.vectors)
    for doc in docs()[6:]:
        clusterer.add(doc)
        again.add(doc)
    assert clusterer.stories() == again.stories()
    assert [clusterer.story_of(d.id) for d in docs()] == [again.story_of(d.id) for d in docs()]


def test_a_state_saved_before_revisiting_loads_with_revisiting_on() -> None:
    settings = Settings(threshold=0.05, young_margin=0.0, merge_threshold=1.1)
    clusterer = StoryClusterer(settings=settings)
    for doc in docs()[:6]:
        clusterer.add(doc)
    payload = pickle.loads(clusterer.to_bytes()[len(state.MAGIC) :])
    for name in REVISIT_SETTINGS:
        del payload["settings"][name]
    older = state.MAGIC + pickle.dumps(payload)
    again = StoryClusterer.from_bytes(older, vectors=clusterer.vectors)
    assert again.settings == settings
    assert again.stories() == clusterer.stories()
    for doc in docs()[6:]:
        assert again.add(doc) == clusterer.add(doc)
    assert again.stories() == clusterer.stories()
