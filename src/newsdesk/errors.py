"""The exceptions newsdesk raises, in one tree so callers can catch at the level they need.

NewsdeskError
├── ConfigError           bad configuration or options (a stage option it does not take)
├── PipelineError         stages in an order that cannot run (reads a field nothing wrote)
├── StageError            a stage failed on one article (names the stage and the article)
├── InputError            one input item cannot be used (empty, garbage, not a feed, ...)
│   └── FetchError        an HTTP fetch failed or was refused
│       └── BlockedError  refused by policy: robots.txt, private address, scheme
├── ModelNotFoundError    an NLP model the config names is not installed
└── StoreError            the database cannot do what was asked (unknown id, bad schema)
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error newsdesk raises on purpose."""


class ConfigError(NewsdeskError):
    """The configuration or a stage's options are wrong."""


class PipelineError(NewsdeskError):
    """The pipeline's stages cannot run in the configured order."""


class StageError(NewsdeskError):
    """A stage raised on one article; the batch goes on without it."""

    def __init__(self, stage: str, item: str, reason: str) -> None:
        super().__init__(f"stage {stage!r} failed on {item}: {reason}")
        self.stage = stage
        self.item = item
        self.reason = reason


class InputError(NewsdeskError):
    """One input item cannot be used; ``item`` names it and the message says why."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason


class FetchError(InputError):
    """An HTTP fetch failed (network error, status, size cap, content type)."""

    def __init__(self, item: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(item, reason)
        self.status = status


class BlockedError(FetchError):
    """A fetch refused by policy before any request: robots.txt, private address, scheme."""


class ModelNotFoundError(NewsdeskError):
    """A model named in the configuration is not installed."""


class StoreError(NewsdeskError):
    """The store cannot answer: an unknown id, a schema newer than this code."""
