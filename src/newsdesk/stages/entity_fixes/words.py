"""Common English words, to tell "Attendance", "Wheat" or "SOCCER" from a name.

The English pipelines ship WordNet's word lists in their lemmatizer (``lemma_index``); a word
there, in lower case or as the plural of one, is a common word unless a gazetteer or the known
actors say it is a name ("Reading", "Turkey"). Nothing is downloaded: the lists come with the
model, and a pipeline without them simply has no common words.
"""

from __future__ import annotations

import functools

from newsdesk.stages.nlp import shared_parser

_POS = ("noun", "verb", "adj", "adv")


@functools.cache
def _dictionary(model: str | None) -> frozenset[str]:
    nlp = shared_parser(model).nlp
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(word for pos in _POS for word in index.get(pos, ()) if word.isalpha())


@functools.cache
def _noun_rules(model: str | None) -> tuple[tuple[str, str], ...]:
    lookups = getattr(shared_parser(model).nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_rules"):
        return ()
    rules = lookups.get_table("lemma_rules").get("noun", ())
    return tuple((old, new) for old, new in rules)


def is_common_word(word: str, model: str | None = None) -> bool:
    """Whether ``word`` (one word, any case) is in the model's English word list, or is the
    plural of a word there ("Oats", "Heifers")."""
    words = _dictionary(model)
    if not words:
        return False
    lowered = word.lower()
    if lowered in words:
        return True
    return any(
        lowered.endswith(old) and lowered[: len(lowered) - len(old)] + new in words
        for old, new in _noun_rules(model)
    )
