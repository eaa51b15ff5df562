"""The quotes stage against the hand-written quote gold of the sample corpus.

Floors sit just under today's measurement (2026-11-27: 90.5% of 549 gold quotes found, the
speaker right on 84.8% of the found ones whose gold speaker is an actor).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsdesk.ingest.decoding import decode_html, decode_text
from newsdesk.model import Article, RawKind
from newsdesk.pipeline import Pipeline

FOUND_FLOOR = 0.87
SPEAKER_FLOOR = 0.82


def test_quotes_match_the_gold(corpus: Path, gold: dict[str, dict[str, Any]]) -> None:
    pipeline = Pipeline.from_config(["extract", "language", "entities", "actors", "quotes"])
    total = found = with_actor = right = 0
    for case, expected in sorted(gold.items()):
        body = (corpus / case).read_bytes()
        if case.endswith(".txt"):
            kind, raw = RawKind.TEXT, decode_text(body)[0]
        else:
            kind, raw = RawKind.HTML, decode_html(body)[0]
        article = pipeline(Article(url=case, source=case, raw=raw, raw_kind=kind))
        keys = {a["key"] for a in expected["actors"]}
        for quote in expected["quotes"]:
            total += 1
            match = next((q for q in article.quotes if quote["content"] in q.content), None)
            if match is None:
                continue
            found += 1
            if quote["speaker"] in keys:
                with_actor += 1
                right += match.speaker_actor == quote["speaker"]
    assert found / total >= FOUND_FLOOR
    assert right / with_actor >= SPEAKER_FLOOR
