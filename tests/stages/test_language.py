"""The language stage: an offline detector, None when unsure."""

from __future__ import annotations

import pytest

from newsdesk.model import Article
from newsdesk.stages.language import LanguageStage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The delegations met in Istanbul on Friday for the first direct talks in three years.",
            "en",
        ),
        ("Les délégations se sont réunies vendredi à Istanbul pour des pourparlers directs.", "fr"),
        ("Die Delegationen trafen sich am Freitag in Istanbul zu direkten Gesprächen.", "de"),
        (
            "Heyetler cuma günü İstanbul'da üç yıl aradan sonra ilk doğrudan görüşmeler"
            " için bir araya geldi.",
            "tr",
        ),
        ("Too short", None),
    ],
)
def test_language_stage_detects(text: str, expected: str | None) -> None:
    assert LanguageStage()(Article(url="u", text=text)).language == expected
