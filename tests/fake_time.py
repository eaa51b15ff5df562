"""A clock that moves only when the code under test sleeps, for retry and rate-limit tests."""

from __future__ import annotations


class FakeTime:
    """Pass ``clock`` and ``sleep`` to the code under test; ``sleeps`` lists every wait asked."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
