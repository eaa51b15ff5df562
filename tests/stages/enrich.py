"""Helpers for enrichment-stage tests: the seed text and a one-call run of the stages."""

from __future__ import annotations

from pathlib import Path

from newsdesk.model import Article
from newsdesk.stages.actors import ActorStage
from newsdesk.stages.entities import EntityStage
from newsdesk.stages.extract.plaintext import parse_scrape


def seed_text(seed: Path) -> str:
    return parse_scrape(seed.read_text(encoding="utf-8")).text


def enrich(text: str) -> Article:
    return ActorStage()(EntityStage()(Article(url="u", text=text)))


def span_of(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)
