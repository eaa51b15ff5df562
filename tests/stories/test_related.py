"""Related picks: never the article or its copies, same story first, a reason, no filler."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.model import (
    Actor,
    Article,
    DuplicateLink,
    Event,
    Published,
    RelatedLink,
    StoredArticle,
)
from newsdesk.stories.related import RelatedCandidate, compare_page_links, pick_related

NAMES = {"putin": "Vladimir Putin", "zelensky": "Volodymyr Zelensky", "erdogan": "Erdoğan"}


def stored(
    article_id: int,
    day: str,
    actors: tuple[str, ...] = ("putin", "zelensky"),
    *,
    copy_of: int | None = None,
    events: tuple[Event, ...] = (),
) -> StoredArticle:
    article = Article(
        url=f"https://x.example/{article_id}", title=f"article {article_id}", site="Ledger",
        published=Published(value=datetime.fromisoformat(day).replace(tzinfo=UTC)),
        actors=tuple(Actor(key=k, name=NAMES.get(k, k), kind="person") for k in actors),
        events=events,
    )  # fmt: skip
    link = DuplicateLink(original_id=copy_of, similarity=1.0, exact=True) if copy_of else None
    return StoredArticle(
        id=article_id, article=article, ingested_at=datetime(2025, 6, 1, tzinfo=UTC),
        duplicate_of=link,
    )  # fmt: skip


def candidate(s: StoredArticle, story: int, score: float, **span: datetime) -> RelatedCandidate:
    return RelatedCandidate(stored=s, story_id=story, score=score, **span)  # type: ignore[arg-type]


def ceasefire(status: str) -> Event:
    return Event(
        type="PROPOSE", status=status, start=0, end=5, trigger="ceasefire", trigger_start=0,
        trigger_end=9, actors=("putin",),
    )  # fmt: skip


def test_never_the_article_its_copies_or_filler_and_same_story_first() -> None:
    target = stored(1, "2025-05-11")
    copy = stored(2, "2025-05-11", copy_of=1)
    other_story = stored(3, "2025-05-12")
    same_story = stored(4, "2025-05-13")
    filler = stored(5, "2025-05-12")
    candidates = [
        candidate(target, 10, 0.99),
        candidate(copy, 10, 0.98),
        candidate(other_story, 20, 0.60),
        candidate(same_story, 10, 0.30),
        candidate(filler, 10, 0.01),
    ]
    picks = pick_related(target, 10, candidates, excluded={2}, k=5)
    assert [p.article_id for p in picks] == [4, 3]
    assert picks[0].reason == "same story"
    assert picks[0].same_story
    assert picks[1].reason == "shares actors Vladimir Putin and Volodymyr Zelensky"


def test_a_copy_among_the_candidates_is_skipped_even_when_not_excluded() -> None:
    target = stored(1, "2025-05-11")
    foreign_copy = stored(7, "2025-05-11", copy_of=6)
    picks = pick_related(target, 10, [candidate(foreign_copy, 10, 0.9)])
    assert picks == []


def test_other_stories_need_shared_actors_and_the_time_window() -> None:
    target = stored(1, "2025-05-11")
    one_actor = stored(3, "2025-05-12", ("putin", "erdogan-2"))
    far_later = stored(4, "2025-09-30")
    picks = pick_related(target, 10, [candidate(one_actor, 20, 0.5), candidate(far_later, 30, 0.5)])
    assert picks == []


def test_shared_events_are_named_in_the_reason() -> None:
    target = stored(1, "2025-05-11", events=(ceasefire("proposed"),))
    other = stored(3, "2025-05-12", events=(ceasefire("proposed"),))
    (pick,) = pick_related(target, 10, [candidate(other, 20, 0.5)])
    assert pick.reason.endswith("and the ceasefire proposal")
    assert pick.shared_events == ("the ceasefire proposal",)


def test_an_older_story_with_the_same_actors_is_an_earlier_round() -> None:
    target = stored(1, "2025-05-11")
    old = stored(3, "2022-03-29")
    span = {"story_first": datetime(2022, 3, 29, tzinfo=UTC),
            "story_last": datetime(2022, 3, 30, tzinfo=UTC)}  # fmt: skip
    (pick,) = pick_related(
        target, 10, [candidate(old, 20, 0.4, **span)],
        story_first=datetime(2025, 5, 10, tzinfo=UTC),
    )  # fmt: skip
    assert pick.reason.startswith("earlier round")


def test_k_limits_the_picks() -> None:
    target = stored(1, "2025-05-11")
    others = [candidate(stored(i, "2025-05-12"), 10, 0.5 - i / 100) for i in range(2, 12)]
    picks = pick_related(target, 10, others, k=3)
    assert [p.article_id for p in picks] == [2, 3, 4]


def test_page_links_compared_with_the_picks() -> None:
    target = stored(1, "2025-05-11")
    picks = pick_related(target, 10, [candidate(stored(4, "2025-05-12"), 10, 0.5)])
    links = (
        RelatedLink(title="In the store, same story", url="https://x.example/4"),
        RelatedLink(title="In the store, elsewhere", url="https://x.example/9"),
        RelatedLink(title="Not stored", url="https://elsewhere.example/a"),
        RelatedLink(title="No address"),
    )
    checks = compare_page_links(
        links, {"https://x.example/4": (4, 10), "https://x.example/9": (9, 30)}, 10, picks
    )
    assert [(c.article_id, c.same_story, c.picked) for c in checks] == [
        (4, True, True), (9, False, False), (None, False, False), (None, False, False),
    ]  # fmt: skip
