"""Online story clustering: order invariance, copies, merges, the window, state, sample corpus."""

from __future__ import annotations

import pickle
from array import array
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.model import Article, Event
from newsdesk.stories.cluster import Settings, StoryClusterer
from newsdesk.stories.documents import StoryDoc, event_signature
from newsdesk.stories.state import MAGIC
from newsdesk.stories.vectors import MemoryVectors, decode, encode

START = datetime(2025, 5, 10, 9, 0, tzinfo=UTC)

TOPICS = {
    "talks": (
        "Russian and Ukrainian delegations meet in Istanbul for peace talks",
        "Delegations from Moscow and Kyiv met at Dolmabahce palace in Istanbul. Medinsky led the "
        "Russian side and Umerov the Ukrainian side; a prisoner exchange was agreed.",
    ),
    "storm": (
        "Typhoon Haikui floods Kaohsiung harbour and grounds flights",
        "Typhoon Haikui brought record rain to Kaohsiung, flooding the harbour district. Airlines "
        "grounded flights and the Central Weather Bureau warned of landslides in Pingtung.",
    ),
    "song": (
        "Eurovision final in Basel crowns Austrian singer JJ",
        "The Eurovision Song Contest final in Basel ended with a win for the Austrian "
        "countertenor JJ, whose ballad Wasted Love topped the jury vote at St. Jakobshalle.",
    ),
}


def doc(n: int, topic: str, *, days: float = 0.0, **extra: Any) -> StoryDoc:
    """A small article on ``topic``, its words varied by ``n`` so no two are identical."""
    title, text = TOPICS[topic]
    return StoryDoc(
        id=n,
        title=title,
        text=f"{text} Update {n}: reporters filed dispatch number {n}.",
        published=START + timedelta(days=days, minutes=n),
        outlet=f"outlet-{n % 3}",
        **extra,
    )


BATCH = [doc(n, topic, days=n / 10) for n, topic in enumerate(["talks", "storm", "song"] * 4)]


def partition(clusterer: StoryClusterer) -> dict[int, list[int]]:
    return {sid: sorted(members) for sid, members in clusterer.stories().items()}


def test_batch_groups_each_topic_into_one_story() -> None:
    clusterer = StoryClusterer()
    clusterer.add_many(BATCH)
    groups = sorted(sorted(m) for m in partition(clusterer).values())
    assert groups == [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]]


@settings(max_examples=25, deadline=None)
@given(st.permutations(BATCH))
def test_batch_result_is_invariant_to_input_order(shuffled: list[StoryDoc]) -> None:
    reference = StoryClusterer()
    expected = reference.add_many(BATCH)
    clusterer = StoryClusterer()
    got = clusterer.add_many(shuffled)
    assert partition(clusterer) == partition(reference)
    assert sorted(got, key=lambda a: a.doc_id) == sorted(expected, key=lambda a: a.doc_id)


def test_story_id_is_the_first_docs_id_and_runs_are_deterministic() -> None:
    first, second = StoryClusterer(), StoryClusterer()
    first.add_many(BATCH)
    second.add_many(BATCH)
    assert set(partition(first)) == {0, 1, 2}
    assert first.to_bytes() == second.to_bytes()


def test_copy_joins_its_original_and_leaves_the_centroid_alone() -> None:
    clusterer = StoryClusterer()
    clusterer.add_many(BATCH)
    story = clusterer.story_by_id[clusterer.story_of(0)]
    before = (story.centroid_terms.tobytes(), story.centroid_weights.tobytes(), story.originals)
    copy = StoryDoc(id=50, title="Wire copy", text="Unrelated words about cooking pasta.",
                    published=START, outlet="reprinter", duplicate_of=3)  # fmt: skip
    assignment = clusterer.add(copy)
    assert (assignment.story_id, assignment.score, assignment.new_story) == (0, 1.0, False)
    after = (story.centroid_terms.tobytes(), story.centroid_weights.tobytes(), story.originals)
    assert after == before
    assert clusterer.story_of(50) == 0
    assert 50 in clusterer.stories()[0]


def test_similar_never_returns_the_doc_or_any_copy_and_puts_its_story_first() -> None:
    clusterer = StoryClusterer()
    clusterer.add_many(BATCH)
    clusterer.add(StoryDoc(id=50, title="t", text="x", published=START, outlet="o", duplicate_of=0))
    for query in (0, 50):
        found = [doc_id for doc_id, _ in clusterer.similar(query, k=5)]
        assert 0 not in found
        assert 50 not in found
        assert set(found[:3]) == {3, 6, 9}  # the rest of its story first
        assert len(found) <= 5  # unrelated stories are not used as filler


def test_late_article_merges_two_stories_and_both_ids_stay_resolvable() -> None:
    loose = Settings(threshold=0.45, young_margin=0.0, merge_threshold=0.3, merge_centroids=0.2)
    clusterer = StoryClusterer(settings=loose)
    harbour = "Dockers strike at Rotterdam harbour over wages; cranes idle, ships wait offshore."
    airport = "Baggage handlers strike at Schiphol airport over wages; flights cancelled."
    a = clusterer.add(StoryDoc(id=1, title="Rotterdam dockers strike", text=harbour,
                               published=START, outlet="a"))  # fmt: skip
    b = clusterer.add(StoryDoc(id=2, title="Schiphol handlers strike", text=airport,
                               published=START, outlet="b"))  # fmt: skip
    assert a.new_story
    assert b.new_story
    both = f"{harbour} {airport}"
    bridge = clusterer.add(StoryDoc(id=3, title="Dutch strikes: Rotterdam and Schiphol",
                                    text=both, published=START, outlet="c"))  # fmt: skip
    assert bridge.merged == (2,)
    assert bridge.story_id == 1
    assert clusterer.resolve(2) == clusterer.resolve(1) == 1
    assert {sid: sorted(m) for sid, m in clusterer.stories().items()} == {1: [1, 2, 3]}
    assert {clusterer.story_of(d) for d in (1, 2, 3)} == {1}
    reloaded = StoryClusterer.from_bytes(clusterer.to_bytes())
    assert reloaded.resolve(2) == 1


def test_window_closes_old_stories() -> None:
    clusterer = StoryClusterer(window_days=30)
    clusterer.add(doc(1, "talks"))
    clusterer.add(doc(2, "talks", days=5))
    late = clusterer.add(doc(3, "talks", days=5 + 31))
    assert clusterer.story_of(2) == 1
    assert late.new_story
    assert late.story_id == 3
    undated = clusterer.add(StoryDoc(id=4, title=TOPICS["talks"][0], text=TOPICS["talks"][1],
                                     published=None, outlet="x"))  # fmt: skip
    assert undated.story_id == 3  # judged against the latest date seen: the old story is closed


def test_state_round_trip_continues_exactly() -> None:
    clusterer = StoryClusterer()
    clusterer.add_many(BATCH[:9])
    vectors = MemoryVectors()
    vectors.blobs = dict(clusterer.vectors.blobs)  # type: ignore[attr-defined]
    reloaded = StoryClusterer.from_bytes(clusterer.to_bytes(), vectors=vectors)
    assert partition(reloaded) == partition(clusterer)
    assert reloaded.similar(4, 3) == clusterer.similar(4, 3)
    assert [reloaded.add(d) for d in BATCH[9:]] == [clusterer.add(d) for d in BATCH[9:]]
    assert reloaded.to_bytes() == clusterer.to_bytes()
    assert reloaded.similar(11, 3) == clusterer.similar(11, 3)


def test_state_leaves_doc_vectors_to_their_source() -> None:
    clusterer = StoryClusterer()
    clusterer.add_many(BATCH)
    reloaded = StoryClusterer.from_bytes(clusterer.to_bytes())  # no vectors given
    assert partition(reloaded) == partition(clusterer)
    with pytest.raises(KeyError, match="no vector"):
        reloaded.similar(4, 3)
    held = clusterer.vectors.get([d.id for d in BATCH])
    assert held
    assert all(decode(encode(v)) == v for v in held.values())


def test_a_format_1_state_loads_and_hands_over_its_vectors() -> None:
    clusterer = StoryClusterer()
    clusterer.add_many(BATCH)
    payload = pickle.loads(clusterer.to_bytes()[len(MAGIC) :])
    docs = payload["docs"]  # format 1 kept each doc's vector in the doc table
    ends, terms, weights = array("q"), array("i"), array("f")
    held = clusterer.vectors.get(array("q", docs["ids"]).tolist())
    for doc_id in array("q", docs["ids"]):
        vector = held.get(doc_id, {})
        for term in sorted(vector):
            terms.append(term)
            weights.append(vector[term])
        ends.append(len(terms))
    docs |= {"ends": ends.tobytes(), "terms": terms.tobytes(), "weights": weights.tobytes()}
    payload["stories"] = [story.to_record() for story in clusterer.story_by_id.values()]
    for name in ("index", "actor_index"):
        index = getattr(clusterer, name)
        payload[name] = {key: array("q", sids).tobytes() for key, sids in index.items()}
    payload["format"] = 1
    vectors = MemoryVectors()
    old = StoryClusterer.from_bytes(MAGIC + pickle.dumps(payload), vectors=vectors)
    assert partition(old) == partition(clusterer)
    assert vectors.get(held) == held
    assert old.similar(4, 3) == clusterer.similar(4, 3)
    assert old.to_bytes() == clusterer.to_bytes()


def test_state_refuses_foreign_or_code_carrying_bytes() -> None:
    with pytest.raises(ValueError, match="not a saved"):
        StoryClusterer.from_bytes(b"hello")
    with pytest.raises(ValueError, match="corrupt"):
        StoryClusterer.from_bytes(MAGIC + pickle.dumps(print))


def test_event_signature_sorts_participants() -> None:
    event = Event(type="CONSULT", status="occurred", start=0, end=1, trigger="met",
                  trigger_start=0, trigger_end=1, actors=("ukraine",), recipients=("russia",),
                  place="Istanbul", date="2025-05-16")  # fmt: skip
    assert event_signature(event) == "CONSULT|russia,ukraine|Istanbul|2025-05-16"
    bare = Event(type="THREATEN", status="threatened", start=0, end=1, trigger="t",
                 trigger_start=0, trigger_end=1)  # fmt: skip
    assert event_signature(bare) == "THREATEN|||"


# ------------------------------------------------------------------------- sample corpus


def corpus_docs(cases: list[str], analysed: list[tuple[dict[str, Any], Article]]) -> list[StoryDoc]:
    """The sample corpus as StoryDocs: ids in gold order, copies linked as the gold says."""
    number = {case: n for n, case in enumerate(cases)}
    return [
        StoryDoc(
            id=n,
            title=article.title or "",
            text=article.text,
            published=article.published.value,
            outlet=article.site,
            actors=tuple(a.key for a in article.actors),
            events=tuple(event_signature(e) for e in article.events),
            places=tuple(p.name for p in article.places),
            duplicate_of=number.get(entry.get("syndicated_from") or ""),
        )
        for n, (entry, article) in enumerate(analysed)
    ]


@pytest.fixture(scope="module")
def corpus_stories(
    gold: dict[str, dict[str, Any]],
    analysed_corpus: list[tuple[dict[str, Any], Article]],
) -> tuple[list[str], StoryClusterer]:
    """Gold story label per doc id, and the clusterer after the whole corpus as one batch."""
    cases = sorted(gold)  # the order analysed_corpus follows
    clusterer = StoryClusterer()
    clusterer.add_many(corpus_docs(cases, analysed_corpus))
    return [gold[case]["story"] for case in cases], clusterer


def test_sample_corpus_istanbul_2025_is_one_story(
    corpus_stories: tuple[list[str], StoryClusterer],
) -> None:
    labels, clusterer = corpus_stories
    found = {clusterer.story_of(n) for n, label in enumerate(labels) if label == "istanbul-2025"}
    assert len(found) == 1


def test_sample_corpus_keeps_2022_talks_and_unrelated_stories_apart(
    corpus_stories: tuple[list[str], StoryClusterer],
) -> None:
    labels, clusterer = corpus_stories
    story_labels: dict[int, set[str]] = {}
    for n, label in enumerate(labels):
        story_labels.setdefault(clusterer.story_of(n), set()).add(label)
    assert all(len(found) == 1 for found in story_labels.values()), story_labels
    of_2022 = {clusterer.story_of(n) for n, label in enumerate(labels) if label == "istanbul-2022"}
    assert len(of_2022) == 1
