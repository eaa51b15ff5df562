"""LatestKept: the latest values by key, bounded, dropped when their mark moves."""

from __future__ import annotations

from newsdesk.kept import LatestKept


def test_the_least_recently_used_goes_first() -> None:
    kept = LatestKept[str, int]()
    kept.put("a", 1, keep=2)
    kept.put("b", 2, keep=2)
    assert kept.get("a") == 1  # "a" is now the most recent
    kept.put("c", 3, keep=2)
    assert kept.get("b") is None
    assert (kept.get("a"), kept.get("c")) == (1, 3)
    assert len(kept) == 2


def test_a_new_mark_empties_it_and_a_stale_put_is_ignored() -> None:
    kept = LatestKept[str, int]()
    assert kept.get("a", mark=1) is None
    kept.put("a", 1, keep=8, mark=1)
    assert kept.get("a", mark=1) == 1
    assert kept.get("a", mark=2) is None  # the mark moved: everything went
    kept.put("a", 10, keep=8, mark=1)  # found under the old mark: not kept
    assert kept.get("a", mark=2) is None
    kept.put("a", 20, keep=8, mark=2)
    assert kept.get("a", mark=2) == 20
