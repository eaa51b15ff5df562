"""The pipeline: order checked when built, options checked, provenance stamped, errors named."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from newsdesk.errors import ConfigError, PipelineError, StageError
from newsdesk.model import Article
from newsdesk.pipeline import Pipeline, available_stages
from newsdesk.pipeline.registry import validate_stage_class


class _Upper:
    name: ClassVar[str] = "upper"
    version: ClassVar[int] = 3
    requires: ClassVar[frozenset[str]] = frozenset({"text"})
    provides: ClassVar[frozenset[str]] = frozenset({"title"})

    def __call__(self, article: Article) -> Article:
        return dataclasses.replace(article, title=article.text.upper())


class _Text:
    name: ClassVar[str] = "text"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset({"raw"})
    provides: ClassVar[frozenset[str]] = frozenset({"text"})

    def __call__(self, article: Article) -> Article:
        return dataclasses.replace(article, text=article.raw.strip())


class _Broken(_Text):
    name: ClassVar[str] = "broken"

    def __call__(self, article: Article) -> Article:
        raise RuntimeError("boom")


def test_pipeline_checks_order_when_built() -> None:
    with pytest.raises(PipelineError, match="'upper' needs \\['text'\\]"):
        Pipeline([_Upper()])


def test_pipeline_refuses_a_stage_twice() -> None:
    with pytest.raises(PipelineError, match="twice"):
        Pipeline([_Text(), _Text()])


def test_pipeline_runs_in_order_and_stamps_versions() -> None:
    pipeline = Pipeline([_Text(), _Upper()])
    out = pipeline(Article(url="u", raw="  hello "))
    assert out.title == "HELLO"
    assert out.processed_by == ("text@1", "upper@3")
    assert not pipeline.is_stale(out)
    assert pipeline.is_stale(dataclasses.replace(out, processed_by=("text@1", "upper@2")))


def test_stage_failure_names_stage_and_item() -> None:
    pipeline = Pipeline([_Broken()])
    with pytest.raises(StageError, match=r"stage 'broken' failed on page\.html: boom"):
        pipeline(Article(url="u", source="page.html", raw="x"))


def test_built_in_stages_are_registered_through_entry_points() -> None:
    stages = available_stages()
    assert {"extract", "language"} <= set(stages)


def test_from_config_rejects_unknown_stage_and_option() -> None:
    with pytest.raises(ConfigError, match="unknown stage 'nope'"):
        Pipeline.from_config(["nope"])
    with pytest.raises(ConfigError, match="takes no option"):
        Pipeline.from_config(["extract"], {"extract": {"colour": "red"}})


def test_registry_validates_declared_fields() -> None:
    class Bad(_Text):
        provides: ClassVar[frozenset[str]] = frozenset({"not_a_field"})

    with pytest.raises(ConfigError, match="unknown Article fields"):
        validate_stage_class("text", Bad)
    with pytest.raises(ConfigError, match="loads a stage named"):
        validate_stage_class("other", _Text)
