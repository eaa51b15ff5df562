"""Running stages in order: built from names and options, checked when built, stamped when run."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping, Sequence
from typing import Any

from newsdesk.errors import ConfigError, PipelineError, StageError
from newsdesk.model import Article
from newsdesk.pipeline.registry import available_stages
from newsdesk.pipeline.stage import Stage

# Fields an article has before any stage ran: what ingest fills in.
INGEST_FIELDS: frozenset[str] = frozenset(
    {"url", "source", "raw_sha256", "raw_kind", "raw", "hints", "processed_by"}
)

# What `newsdesk extract` runs: the clean article and nothing slower.
EXTRACT_STAGES: tuple[str, ...] = ("extract", "language")
# What ingest and `newsdesk analyze` run: the article understood.
DEFAULT_STAGES: tuple[str, ...] = (
    *EXTRACT_STAGES, "entities", "actors", "quotes", "times", "places", "events",
)  # fmt: skip


class Pipeline:
    """An ordered list of stages, checked once, run on each article."""

    def __init__(self, stages: Sequence[Stage], *, given: frozenset[str] = INGEST_FIELDS) -> None:
        check_order(stages, given=given)
        self.stages: tuple[Stage, ...] = tuple(stages)

    @classmethod
    def from_config(
        cls,
        names: Sequence[str] = DEFAULT_STAGES,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        given: frozenset[str] = INGEST_FIELDS,
    ) -> Pipeline:
        """Build the stages named in ``names`` with their keyword options."""
        registry = available_stages()
        options = options or {}
        stages: list[Stage] = []
        for name in names:
            if name not in registry:
                raise ConfigError(f"unknown stage {name!r}; installed: {sorted(registry)}")
            stage_cls = registry[name]
            opts = dict(options.get(name, {}))
            accepted = set(inspect.signature(stage_cls).parameters)
            if unknown := set(opts) - accepted:
                raise ConfigError(f"stage {name!r} takes no option(s) {sorted(unknown)}")
            stages.append(stage_cls(**opts))
        return cls(stages, given=given)

    @property
    def stamps(self) -> tuple[str, ...]:
        """``name@version`` of every stage, the provenance a fresh article gets."""
        return tuple(f"{s.name}@{s.version}" for s in self.stages)

    def is_stale(self, article: Article, *, stage: str | None = None) -> bool:
        """True when a stage of this pipeline (or the named one) has not produced ``article``
        at its current version."""
        done = article.stage_versions()
        stages = [s for s in self.stages if stage is None or s.name == stage]
        if stage is not None and not stages:
            raise ConfigError(f"stage {stage!r} is not in this pipeline: {self.stamps}")
        return any(done.get(s.name) != s.version for s in stages)

    def __call__(self, article: Article) -> Article:
        """Run every stage; a failure raises :class:`StageError` naming the stage and item."""
        article = dataclasses.replace(article, processed_by=())
        for stage in self.stages:
            try:
                article = stage(article)
            except StageError:
                raise
            except Exception as exc:
                raise StageError(stage.name, article.source or article.url, str(exc)) from exc
            stamp = f"{stage.name}@{stage.version}"
            article = dataclasses.replace(article, processed_by=(*article.processed_by, stamp))
        return article


def check_order(stages: Sequence[Stage], *, given: frozenset[str] = INGEST_FIELDS) -> None:
    """Fail at build time if a stage reads a field that no earlier stage (or ``given``, what
    the articles already hold: ingest's fields by default) provides."""
    available = set(given)
    seen: set[str] = set()
    for stage in stages:
        if stage.name in seen:
            raise PipelineError(f"stage {stage.name!r} appears twice")
        seen.add(stage.name)
        if missing := stage.requires - available:
            raise PipelineError(f"stage {stage.name!r} needs {sorted(missing)} first")
        available |= stage.provides
