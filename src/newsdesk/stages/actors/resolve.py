"""From entity spans to actors: names merged by surname and spelling, titles attached, metonyms
("the Kremlin", "Kyiv rejects") resolved to governments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from newsdesk.model import Actor, Entity, Mention
from newsdesk.names import fold, slug, surname
from newsdesk.stages.actors.known import KnownActor, known_actors
from newsdesk.stages.actors.titles import Title, title_before, title_in_apposition

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass
class Cluster:
    """Everything one article says about one actor, before it is frozen into records."""

    key: str
    kind: str
    known: KnownActor | None = None
    names: Counter[str] = field(default_factory=Counter)
    titles: list[Title] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def actor(self) -> Actor:
        """The frozen actor record."""
        full = [n for n in self.names if len(n.split()) > 1]
        name = self.known.name if self.known else max(full or self.names, key=len)
        title_texts = list(dict.fromkeys(t.text for t in self.titles if t.text))
        affiliations = Counter(t.affiliation for t in self.titles if t.affiliation)
        sectors = Counter(t.sector for t in self.titles if t.sector)
        affiliation = affiliations.most_common(1)[0][0] if affiliations else None
        sector = sectors.most_common(1)[0][0] if sectors else None
        if self.known:
            affiliation = affiliation or self.known.affiliation
            sector = self.known.sector if self.known.sector and not sector else sector
        return Actor(
            key=self.key,
            name=name,
            kind=self.kind,
            aliases=tuple(sorted(n for n in self.names if n != name)),
            titles=tuple(title_texts),
            affiliation=affiliation,
            sector=sector,
            confidence=0.9 if self.known else 0.75,
        )


class ActorBuilder:
    """Collects clusters for one document."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.known = known_actors()
        self.clusters: dict[str, Cluster] = {}
        self.by_surname: dict[str, set[str]] = {}

    def cluster(self, key: str, kind: str, known: KnownActor | None) -> Cluster:
        """The cluster for ``key``, created on first use."""
        if key not in self.clusters:
            self.clusters[key] = Cluster(key=key, kind=kind, known=known)
        return self.clusters[key]

    def add_people(self, people: list[Entity]) -> None:
        """Person entities: full names first, so a lone surname finds its full name."""
        for entity in people:
            if len(entity.text.split()) > 1:
                known = self._known_person(entity.text)
                key = known.key if known else slug(entity.text)
                self.by_surname.setdefault(surname(entity.text), set()).add(key)
        for entity in people:
            self._add_person(entity)

    def _known_person(self, name: str) -> KnownActor | None:
        known = self.known.find(name)
        return known if known is not None and known.kind == "person" else None

    def _add_person(self, entity: Entity) -> None:
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        lone = len(entity.text.split()) == 1
        known = self._known_person(entity.text)
        if lone and len(self.by_surname.get(fold(entity.text), ())) == 1:
            key = next(iter(self.by_surname[fold(entity.text)]))
            known = self.known.by_key.get(key)
        else:
            key = known.key if known else slug(entity.text)
        cluster = self.cluster(key, "person", known)
        cluster.names[entity.text.removesuffix("'s").removesuffix("’s")] += 1
        title = None
        if span is not None:
            title = title_before(self.doc, span.start) or title_in_apposition(span)
            title = title or self._coordinated_title(span)
        if title is not None and (title.text or title.affiliation):
            cluster.titles.append(title)
        cluster.mentions.append(
            Mention(
                actor=key, text=entity.text, start=entity.start, end=entity.end,
                kind="alias" if lone else "name", title=title.text if title else None,
                confidence=entity.confidence,
            )
        )  # fmt: skip

    def _coordinated_title(self, span: Any) -> Title | None:
        """ "senior envoys Steve Witkoff and Keith Kellogg": Kellogg shares the plural title."""
        root = span.root
        if root.dep_ != "conj":
            return None
        head = root.head
        ent = next((e for e in self.doc.ents if e.start <= head.i < e.end), None)
        if ent is None:
            return None
        title = title_before(self.doc, ent.start)
        return title if title is not None and title.plural else None

    def add_organisations(self, entities: list[Entity]) -> None:
        """Organisations, and places acting as governments ("Moscow has offered few ...")."""
        for entity in entities:
            if entity.label == "ORG":
                known = self.known.find(entity.text)
                text = entity.text.removeprefix("the ").removeprefix("The ")
                key = known.key if known else slug(text)
                kind = known.kind if known else "organisation"
                self._add_mention(key, kind, known, entity, "name")
            elif entity.label == "GPE" and self._acts(entity):
                known = self.known.find(entity.text)
                if known is not None and known.kind == "government":
                    self._add_mention(known.key, "government", known, entity, "alias")

    def _acts(self, entity: Entity) -> bool:
        """A place that is the subject of a verb speaks or acts as its government."""
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        return root.dep_ in _SUBJECT_DEPS and root.head.pos_ in ("VERB", "AUX")

    def _add_mention(
        self, key: str, kind: str, known: KnownActor | None, entity: Entity, mention_kind: str
    ) -> None:
        cluster = self.cluster(key, kind, known)
        cluster.names[entity.text.removeprefix("the ").removeprefix("The ")] += 1
        cluster.mentions.append(
            Mention(actor=key, text=entity.text, start=entity.start, end=entity.end,
                    kind=mention_kind, confidence=entity.confidence)
        )  # fmt: skip
