"""The events lexicons as data: trigger words with their PLOVER type, and the status cues."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from newsdesk.errors import ConfigError

PLOVER_TYPES = frozenset(
    {
        "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "YIELD", "REQUEST", "ACCUSE",
        "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    }
)  # fmt: skip


_PREPOSITIONS = frozenset({"on", "in", "for", "with", "of", "over", "against", "to", "at"})


@dataclass(frozen=True, slots=True)
class Phrase:
    """A cue of one or more lemmas: ``head`` is the word the parse token must be, ``rest`` the
    words that must hang below it ("call for": head "call", rest ("for",))."""

    head: str
    rest: tuple[str, ...] = ()

    @classmethod
    def of(cls, text: str, *, head_last: bool = False) -> Phrase:
        """Read "lay down" (verbs: head first) or "prisoner exchange" (nouns: head last)."""
        words = text.lower().split()
        if not words:
            raise ConfigError("an empty word in an events lexicon")
        if head_last and len(words) > 1 and words[-2] != "of" and words[-1] not in _PREPOSITIONS:
            return cls(words[-1], tuple(words[:-1]))
        return cls(words[0], tuple(words[1:]))


@dataclass(frozen=True, slots=True)
class EventKind:
    """What a trigger word names: a PLOVER type, its mode and a CAMEO code."""

    type: str
    mode: str | None
    cameo: str | None


@dataclass(frozen=True, slots=True)
class StatusCue:
    """The words that give an event one status (see ``data/status.toml``)."""

    status: str
    frames: tuple[Phrase, ...] = ()
    modifiers: tuple[Phrase, ...] = ()
    subject_frames: tuple[Phrase, ...] = ()
    hostile: bool = False
    same_agent: bool = False
    otherwise: str | None = None
    via: frozenset[str] = frozenset()  # only frames reached through these dependencies


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """Trigger verbs and nouns by head lemma (longest phrase first) and the status cues."""

    verbs: dict[str, list[tuple[Phrase, EventKind]]]
    nouns: dict[str, list[tuple[Phrase, EventKind]]]
    light_verbs: frozenset[str]
    cues: tuple[StatusCue, ...]
    hostile_types: frozenset[str]
    negations: frozenset[str]
    condition_marks: tuple[Phrase, ...]
    reporting: frozenset[str]
    historical_days: int
    words: dict[str, EventKind] = field(default_factory=dict)  # surface words, for baselines
    coding: dict[str, Any] = field(default_factory=dict)  # status → PLOVER code of the sentence
    relation: dict[str, Any] = field(default_factory=dict)  # status → PLOVER code of a record
    inherent: dict[str, str] = field(default_factory=dict)  # type → status it carries itself
    silent: frozenset[str] = frozenset()  # "declined to say": complements that void a trigger


def _phrases(values: Any, where: str, *, head_last: bool = False) -> tuple[Phrase, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(Phrase.of(v, head_last=head_last) for v in values)


def _add(table: dict[str, list[tuple[Phrase, EventKind]]], phrase: Phrase, kind: EventKind) -> None:
    entries = [e for e in table.get(phrase.head, []) if e[0] != phrase]
    entries.append((phrase, kind))
    entries.sort(key=lambda e: -len(e[0].rest))  # longest first; later files win on ties
    table[phrase.head] = entries


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read events lexicon {path}: {exc}") from exc


def _read_groups(data: dict[str, Any], source: str, lexicon: EventLexicon) -> None:
    for n, group in enumerate(data.get("group", [])):
        where = f"{source} group {n + 1}"
        kind_type = str(group.get("type", "")).upper()
        if kind_type not in PLOVER_TYPES:
            raise ConfigError(f"{where}: {kind_type!r} is not a PLOVER type")
        kind = EventKind(kind_type, group.get("mode") or None, group.get("cameo") or None)
        for phrase in _phrases(group.get("verbs", []), where):
            _add(lexicon.verbs, phrase, kind)
        for phrase in _phrases(group.get("nouns", []), where, head_last=True):
            _add(lexicon.nouns, phrase, kind)
        for word in [*group.get("verbs", []), *group.get("nouns", [])]:
            if " " not in word:
                lexicon.words.setdefault(word.lower(), kind)


def _read_cues(data: dict[str, Any], source: str) -> tuple[StatusCue, ...]:
    cues = []
    for n, entry in enumerate(data.get("status", [])):
        where = f"{source} status {n + 1}"
        cues.append(
            StatusCue(
                status=str(entry["name"]),
                frames=_phrases(entry.get("frames", []), where),
                modifiers=_phrases(entry.get("modifiers", []), where),
                subject_frames=_phrases(entry.get("subject_frames", []), where),
                hostile=bool(entry.get("hostile", False)),
                same_agent=bool(entry.get("same_agent", False)),
                otherwise=entry.get("otherwise") or None,
                via=frozenset(entry.get("via", [])),
            )
        )
    return tuple(cues)


def _bundled(name: str) -> Path:
    return Path(str(files("newsdesk.stages.events").joinpath("data", name)))


@functools.cache
def load_lexicon(extra: Path | None = None) -> EventLexicon:
    """The bundled lexicons, plus a user file of the same shape: its trigger groups are added
    (and win on the same word), its ``[[status]]`` cues are tried before the bundled ones."""
    triggers = _read(_bundled("triggers.toml"))
    status = _read(_bundled("status.toml"))
    lexicon = EventLexicon(
        verbs={},
        nouns={},
        light_verbs=frozenset(triggers.get("light_verbs", [])),
        silent=frozenset(triggers.get("silent_complements", [])),
        cues=_read_cues(status, "status.toml"),
        hostile_types=frozenset(status.get("hostile_types", [])),
        negations=frozenset(status.get("negations", [])),
        condition_marks=_phrases(status.get("condition_marks", []), "condition_marks"),
        reporting=frozenset(status.get("reporting", [])),
        historical_days=int(status.get("historical_days", 183)),
        coding=dict(status.get("coding", {})),
        relation=dict(status.get("relation", {})),
        inherent={str(k).upper(): str(v) for k, v in status.get("inherent", {}).items()},
    )
    _read_groups(triggers, "triggers.toml", lexicon)
    if extra is None:
        return lexicon
    user = _read(extra)
    _read_groups(user, str(extra), lexicon)
    return EventLexicon(
        verbs=lexicon.verbs,
        nouns=lexicon.nouns,
        light_verbs=lexicon.light_verbs | frozenset(user.get("light_verbs", [])),
        cues=(*_read_cues(user, str(extra)), *lexicon.cues),
        hostile_types=lexicon.hostile_types,
        negations=lexicon.negations,
        condition_marks=lexicon.condition_marks,
        reporting=lexicon.reporting,
        historical_days=lexicon.historical_days,
        words=lexicon.words,
        coding=lexicon.coding,
        relation=lexicon.relation,
        inherent=lexicon.inherent,
        silent=lexicon.silent,
    )
