"""The entities stage: spaCy's named entities with the label errors it makes on news fixed.

The small English model types titles as organisations ("Deputy *Defence* Minister",
"Secretary of *State*"), country adjectives as places ("Ukrainian"), and the same surname as a
person in one sentence and an organisation in the next ("Zelenskiy"). Fixes, in order:
entities inside a title before a person are dropped; demonyms become NORP; a name that is a
person's full name or surname elsewhere in the article becomes PERSON (document-level
consistency); names in results and standings lines are typed as teams, nations or athletes
(``entity_fixes.tables``); surnames of the article's people and repeats of its names that the
model missed are added; a surname found alone takes in the first name before it.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any, ClassVar

from newsdesk.model import Article, Entity
from newsdesk.stages.actors.known import known_actors
from newsdesk.stages.actors.titles import lexicon, title_before
from newsdesk.stages.entity_fixes.tables import fix_tables
from newsdesk.stages.nlp import shared_parser
from newsdesk.stages.places.gazetteer import shared_gazetteer

_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_SEPARATORS = frozenset({"-", "–", "—", "(", ")", "/", "|"})
_NUMBERISH = re.compile(r"[\d.,:;/+\-–()%]+")
# An organisation inside a title keeps its label: "State Department spokesman".
_ORG_NOUNS = frozenset(
    {"department", "council", "ministry", "house", "office", "party", "committee", "commission",
     "agency", "bank", "court", "parliament", "assembly", "union", "organization",
     "organisation", "service", "command", "staff"}
)  # fmt: skip
_COMPANY_ENDINGS = frozenset(
    {"corp", "corporation", "inc", "co", "ltd", "plc", "sa", "ag", "nv", "llc", "group",
     "holdings", "gmbh", "bhd", "spa", "company", "airlines", "motors", "bank"}
)  # fmt: skip
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord", "prof"})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
KEPT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)


class EntityStage:
    """Fill ``entities`` with typed spans, corrected for the model's usual news errors."""

    name: ClassVar[str] = "entities"
    version: ClassVar[int] = 2
    requires: ClassVar[frozenset[str]] = frozenset({"text"})
    provides: ClassVar[frozenset[str]] = frozenset({"entities"})

    def __init__(self, *, model: str | None = None) -> None:
        self.model = model

    def __call__(self, article: Article) -> Article:
        """Parse the text and keep corrected entities."""
        if not article.text:
            return dataclasses.replace(article, entities=())
        doc = shared_parser(self.model)(article.text)
        return dataclasses.replace(article, entities=tuple(fix_entities(doc, self.model)))


def fix_entities(doc: Any, model: str | None = None) -> list[Entity]:
    """The document's entities with title, demonym, table and consistency fixes applied;
    ``model`` names the pipeline whose word lists tell common words from names."""
    lex = lexicon()
    titles = []
    for ent in doc.ents:
        if ent.label_ == "PERSON" and (title := title_before(doc, ent.start)) is not None:
            titles.append((title.start, title.end))
    lowered_words = {t.text for t in doc if t.is_lower}
    people_names = _person_names(doc, lowered_words)
    firms = _firm_names(doc)
    for firm in firms & people_names.keys():
        if not any(firm in name.split() for name in people_names if " " in name):
            del people_names[firm]  # "Bre-X" of "Bre-X Minerals Ltd" is no surname
    found: list[Entity] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        in_title = any(s <= start and end <= e for s, e in titles)
        if in_title and ent.label_ != "PERSON" and ent[-1].lower_ not in _ORG_NOUNS:
            continue  # "Defence" in "Deputy Defence Minister": part of a title, not an org
        label, source = ent.label_, "model"
        lowered = ent.text.lower()
        known = known_actors().find(ent.text)
        if (
            label in ("PERSON", "GPE") and " " not in ent.text and ent.text in firms
            and known is None
            and not any(ent.text in name.split() for name in people_names if " " in name)
        ):  # fmt: skip
            label, source = "ORG", "rule"  # "Barrick" after "Barrick Gold Corp"
        elif label == "PERSON" and (not_a_person := _not_a_person(ent, known, lowered_words)):
            if not_a_person == "drop":
                continue
            label, source = not_a_person, "rule"
        elif (
            label in ("GPE", "ORG", "PERSON")
            and lowered in lex.demonyms
            and " " not in lowered
            and not (ent.text.isupper() or "." in ent.text)  # "U.S.", "UK" are countries
        ):
            label, source = "NORP", "rule"
        elif label in ("ORG", "GPE", "NORP") and _is_person_name(ent.text, people_names):
            label, source = "PERSON", "rule"
        for piece in _pieces(ent, label):
            trimmed = piece.start_char != start or piece.end_char != end
            kind = "rule" if trimmed else source
            found.append(
                Entity(text=piece.text, start=piece.start_char, end=piece.end_char, label=label,
                       source=kind, confidence=0.85 if kind == "model" else 0.75)
            )  # fmt: skip
    found = fix_tables(doc, found, model)
    found.extend(_missed_surnames(doc, found, people_names))
    found.extend(_repeats(doc, found))
    return sorted(_with_first_names(doc, found), key=lambda e: (e.start, e.end))


def _with_first_names(doc: Any, found: list[Entity]) -> list[Entity]:
    """A person found by the surname alone takes in the untagged proper noun right before it
    ("Tim Stimpson" where the model found "Stimpson"): not a stop word, title or other name."""
    lex = lexicon()
    covered = [(e.start, e.end) for e in found]
    grown = []
    for ent in found:
        span = doc.char_span(ent.start, ent.end) if ent.label == "PERSON" else None
        if span is not None and len(span) == 1 and span.start > 0:
            before = doc[span.start - 1]
            if (
                before.pos_ == "PROPN" and before.is_title and not before.is_stop
                and before.ent_type_ == "" and not lex.is_title_word(before.text)
                and before.text.rstrip(".").lower() not in _HONORIFICS
                and not any(s <= before.idx < e for s, e in covered)
            ):  # fmt: skip
                ent = dataclasses.replace(
                    ent, text=before.text_with_ws + ent.text, start=before.idx, source="rule",
                    confidence=0.75,
                )  # fmt: skip
        grown.append(ent)
    return grown


def _firm_names(doc: Any) -> set[str]:
    """First words of the article's company names ("Barrick" of "Barrick Gold Corp")."""
    return {
        ent.text.split()[0]
        for ent in doc.ents
        if ent.label_ == "ORG" and " " in ent.text and ent[-1].lower_.strip(".") in _COMPANY_ENDINGS
    }


def _repeats(doc: Any, found: list[Entity]) -> list[Entity]:
    """Untagged repeats of a name the article tags with one type elsewhere (also in capitals):
    the model often finds "Newmont" once and misses it twice."""
    types: dict[str, set[str]] = {}
    for entity in found:
        if entity.label in ("PERSON", "ORG", "GPE", "LOC"):
            types.setdefault(entity.text, set()).add(entity.label)
    starts = {t.idx for t in doc}
    ends = {t.idx + len(t.text) for t in doc}
    taken = [(e.start, e.end) for e in found] + [(e.start_char, e.end_char) for e in doc.ents]
    title_words, text = lexicon(), doc.text
    added: list[Entity] = []
    for name in sorted(types, key=len, reverse=True):
        if len(types[name]) != 1 or len(name) < 3 or title_words.is_title_word(name):
            continue
        label = next(iter(types[name]))
        forms = {name, name.upper()} if len(name) > 3 else {name}
        for form in forms:
            for match in re.finditer(re.escape(form), text):
                start, end = match.span()
                if start not in starts or end not in ends:
                    continue
                if any(a < end and start < b for a, b in taken):
                    continue
                taken.append((start, end))
                added.append(
                    Entity(text=form, start=start, end=end, label=label, source="rule",
                           confidence=0.7)
                )  # fmt: skip
    return added


def _not_a_person(ent: Any, known: Any, lowered_words: set[str]) -> str | None:
    """Why a PERSON entity is not a person: the label it should have, "drop", or None.

    A capital or country of the known-actors table or the gazetteer ("Kyiv", "Austria"), a
    place after a preposition ("in Kherson"), a name after "the" ("the Bosphorus"), or a
    capitalised common word that the text also writes in lower case ("Demands").
    """
    if known is not None and known.kind == "government":
        return "GPE"
    if known is not None:
        return None
    first = ent.doc[ent.start - 1] if ent.start > 0 else None
    if first is not None and first.lower_ == "the":
        return "LOC"
    if len(ent) == 1:
        if ent.text.lower() in lowered_words:
            return "drop"
        kinds = {m.candidate.kind for m in shared_gazetteer().lookup(ent.text)}
        if "country" in kinds:
            return "GPE"
        if kinds and ent.root.dep_ == "pobj":
            return "GPE"
    return None


def _pieces(ent: Any, label: str) -> list[Any]:
    """The entity's span with the model's usual boundary errors undone.

    Split at line breaks and spaced separators ("Kyiv - Moscow"); no leading "the" ("the
    Kremlin" is "Kremlin"), trailing possessive, number or punctuation, or (for a person)
    leading title words; pieces without a capital letter are dropped.
    """
    doc, lex = ent.doc, lexicon()
    runs: list[list[Any]] = [[]]
    for token in ent:
        spaced = token.i > 0 and doc[token.i - 1].whitespace_ and token.whitespace_
        if token.is_space or "\n" in token.text or (token.text in _SEPARATORS and spaced):
            runs.append([])
        else:
            runs[-1].append(token)
    pieces = []
    for tokens in runs:
        while tokens and tokens[0].is_punct:
            tokens = tokens[1:]
        if len(tokens) > 1 and tokens[0].lower_ == "the" and tokens[1].text != "Hague":
            tokens = tokens[1:]
        while (
            label == "PERSON" and len(tokens) > 1 and tokens[0].is_title
            and lex.is_title_word(tokens[0].text)
        ):  # fmt: skip
            tokens = tokens[1:]
        while tokens and (
            tokens[-1].text in _POSSESSIVE
            or tokens[-1].is_punct
            or _NUMBERISH.fullmatch(tokens[-1].text)
        ):
            tokens = tokens[:-1]
        if tokens and any(c.isupper() for t in tokens for c in t.text):
            pieces.append(doc[tokens[0].i : tokens[-1].i + 1])
    return pieces


def _person_names(doc: Any, lowered_words: set[str]) -> Counter[str]:
    """Full names and surnames the model tagged as people, with how often."""
    names: Counter[str] = Counter()
    known = known_actors()
    for ent in doc.ents:
        found = known.find(ent.text)
        if found is not None and found.kind != "person":
            continue  # "Kyiv" tagged as a person is a capital, and not a surname to spread
        if ent.label_ == "PERSON" and _not_a_person(ent, found, lowered_words):
            continue  # "Austria" once tagged a person must not make its other mentions people
        if ent.label_ == "PERSON" and ent.text[:1].isupper():
            names[ent.text] += 1
            parts = ent.text.split()
            while len(parts) > 2 and parts[-1].strip(".").lower() in _NAME_SUFFIXES:
                parts.pop()  # "John Mills Jr": the surname is Mills
            if len(parts) > 1:
                names[parts[-1]] += 1
    return names


def _is_person_name(text: str, people: Counter[str]) -> bool:
    text = text.removeprefix("the ").removesuffix("'s").strip()
    return (bool(text) and people[text] > 0 and " " not in text) or text in people


def _missed_surnames(doc: Any, found: list[Entity], people: Counter[str]) -> list[Entity]:
    """Capitalised tokens equal to a surname of the article's people that no entity covers."""
    surnames = {name for name in people if " " not in name and len(name) > 2}
    covered = [(e.start, e.end) for e in found]
    added = []
    for token in doc:
        if token.text in surnames and token.is_title and token.ent_type_ == "":
            start, end = token.idx, token.idx + len(token.text)
            if not any(s <= start < e for s, e in covered):
                added.append(
                    Entity(text=token.text, start=start, end=end, label="PERSON",
                           source="rule", confidence=0.7)
                )  # fmt: skip
    return added
