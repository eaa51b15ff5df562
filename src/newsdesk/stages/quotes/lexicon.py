"""The cue lexicon: which verbs and phrases attribute speech, read from a user-extendable file."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.errors import ConfigError
from newsdesk.stages.quotes.parse import Parse, Tok

BUNDLED = Path(__file__).with_name("cues.txt")
FLAGS = frozenset({"addressee", "infinitive", "object"})
_PARTICLE_DEPS = ("prt", "prep")


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue found in the text: its lemma ("say", "point out"), span and flags."""

    lemma: str
    start: int
    end: int
    token: int  # the index of the cue's head token
    flags: frozenset[str] = frozenset()
    particle: int | None = None  # the index of its particle or preposition ("call [for]")


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """Cue verbs (lemma, or lemma and particle, with flags) and source phrases."""

    verbs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    phrases: tuple[tuple[str, ...], ...] = ()

    def extended(self, lines: Iterable[str], origin: str = "extra cues") -> CueLexicon:
        """A lexicon with ``lines`` (in the file's format) added to this one."""
        verbs = dict(self.verbs)
        phrases = list(self.phrases)
        section = "verbs"
        for number, raw in enumerate(lines, 1):
            line = raw.split("#", 1)[0].strip().lower()
            if not line:
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
                if section not in {"verbs", "phrases"}:
                    raise ConfigError(f"{origin}:{number}: unknown section [{section}]")
                continue
            words = line.split()
            if section == "phrases":
                if tuple(words) not in phrases:
                    phrases.append(tuple(words))
                continue
            flags = frozenset(w for w in words if w in FLAGS)
            lemma = " ".join(w for w in words if w not in FLAGS)
            if len(lemma.split()) > 2:
                raise ConfigError(
                    f"{origin}:{number}: a cue verb is a lemma and a particle at most"
                )
            verbs[lemma] = verbs.get(lemma, frozenset()) | flags
        return CueLexicon(verbs=verbs, phrases=tuple(phrases))

    def verb_cue(self, parse: Parse, tok: Tok) -> Cue | None:
        """The cue that ``tok`` heads when it is a verb of the lexicon, else None."""
        if tok.pos != "VERB":
            return None
        for part in _particles(parse, tok):
            phrase = f"{tok.lemma} {part.lower}"
            if phrase in self.verbs:
                end = part.end if part.i == tok.i + 1 else tok.end
                return Cue(phrase, tok.start, end, tok.i, self.verbs[phrase], part.i)
        if tok.lemma in self.verbs:
            return Cue(tok.lemma, tok.start, tok.end, tok.i, self.verbs[tok.lemma])
        return None

    def phrase_at(self, parse: Parse, i: int) -> Cue | None:
        """The source phrase ("according to") starting at token ``i``, if any."""
        for phrase in self.phrases:
            last = i + len(phrase) - 1
            if last >= len(parse.toks):
                continue
            if all(parse.toks[i + k].lower == word for k, word in enumerate(phrase)):
                toks = parse.toks
                return Cue(" ".join(phrase), toks[i].start, toks[last].end, i)
        return None


def _particles(parse: Parse, verb: Tok) -> list[Tok]:
    """The verb's particles and prepositions, and the "for" of a "for X to Y" clause under it
    ("called for the US to step up …")."""
    found = list(parse.children(verb.i, *_PARTICLE_DEPS))
    for clause in parse.children(verb.i, "advcl", "ccomp"):
        found.extend(m for m in parse.children(clause.i, "mark") if m.i < clause.i)
    return found


def read_lexicon(path: Path) -> list[str]:
    """The lines of a cue file, with a clear error when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read cue file {path}: {exc.strerror}") from exc


@functools.cache
def bundled_lexicon() -> CueLexicon:
    """The lexicon shipped with newsdesk (``cues.txt`` next to this module)."""
    return CueLexicon().extended(read_lexicon(BUNDLED), origin=str(BUNDLED))


def load_lexicon(cue_file: Path | None = None, extra: Iterable[str] = ()) -> CueLexicon:
    """The bundled lexicon, extended by a user's cue file and extra entries."""
    lexicon = bundled_lexicon()
    if cue_file is not None:
        lexicon = lexicon.extended(read_lexicon(cue_file), origin=str(cue_file))
    extra = list(extra)
    if extra:
        lexicon = lexicon.extended(extra)
    return lexicon
