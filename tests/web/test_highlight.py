"""Highlight marks: the spans chosen never overlap and follow priority, then length."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from newsdesk.web.highlight import PRIORITY, Mark, _non_overlapping


def _by_scanning(marks: list[Mark]) -> list[Mark]:
    """The rule stated plainly: in rank order, keep each span that overlaps none kept."""
    chosen: list[Mark] = []
    ranked = sorted(marks, key=lambda m: (-PRIORITY.get(m.kind, 0), -(m.end - m.start), m.start))
    for mark in ranked:
        if mark.end > mark.start and all(
            mark.end <= c.start or mark.start >= c.end for c in chosen
        ):
            chosen.append(mark)
    return sorted(chosen, key=lambda m: m.start)


spans = st.builds(
    lambda start, length, kind: Mark(start, start + length, kind, f"{kind}@{start}"),
    st.integers(0, 60), st.integers(-2, 12), st.sampled_from(sorted(PRIORITY)),
)  # fmt: skip


@given(st.lists(spans, max_size=40))
def test_chosen_marks_never_overlap_and_follow_the_rule(marks: list[Mark]) -> None:
    chosen = _non_overlapping(marks)
    assert chosen == _by_scanning(marks)
    for before, after in pairwise(chosen):
        assert before.end <= after.start


def test_an_event_wins_over_a_longer_actor_span() -> None:
    event = Mark(5, 10, "event", "e")
    actor = Mark(0, 20, "actor", "a")
    inside = Mark(12, 15, "place", "p")
    assert _non_overlapping([actor, event, inside]) == [event, inside]
