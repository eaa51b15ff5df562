"""The records that flow through newsdesk: one frozen, typed value per thing a user cares about.

Invariants (checked by hypothesis tests, relied on by every layer):

- every ``datetime`` is timezone-aware UTC;
- ``Article.text`` is NFC-normalised and holds no NUL and no lone surrogate
  (see :func:`newsdesk.text.clean_text`);
- collections are tuples, so a record really is immutable; a stage returns
  ``dataclasses.replace(article, ...)``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class DateSource(StrEnum):
    """Where a publication date came from, strongest evidence first."""

    JSON_LD = "json-ld"
    META = "meta"
    FEED = "feed"
    RECORD = "record"
    URL = "url"
    TEXT = "text"
    GUESS = "guess"
    USER = "user"  # supplied by the user (`newsdesk analyze --published`)
    NONE = "none"


class RawKind(StrEnum):
    """What a raw document holds, which decides how it is extracted."""

    HTML = "html"
    TEXT = "text"
    RECORD = "record"


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """Bytes exactly as newsdesk received them, kept so any article can be re-extracted.

    ``origin`` names where the bytes came from (a path, a URL, ``file.warc.gz#3``) and is
    what error messages show. ``url`` is the document's own address when one is known.
    """

    origin: str
    body: bytes
    kind: RawKind = RawKind.HTML
    url: str | None = None
    content_type: str | None = None
    encoding: str | None = None
    fetched_at: datetime | None = None
    # Facts a container already knew (a feed item's title and date, a JSON record's fields).
    hints: tuple[tuple[str, str], ...] = ()

    @property
    def sha256(self) -> str:
        """Content address of the raw bytes: the key of the raw-document store."""
        return hashlib.sha256(self.body).hexdigest()

    def hint(self, key: str) -> str | None:
        """The value a container gave for ``key``, if any."""
        for k, v in self.hints:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedLink:
    """One entry of a recirculation block ("You May Also Like", "Read more") split off a page."""

    title: str
    url: str | None = None
    teaser: str | None = None
    block: str | None = None  # the block's heading, e.g. "You May Also Like"


@dataclass(frozen=True, slots=True, kw_only=True)
class Published:
    """A publication date with its provenance; ``value`` is None when no date was found."""

    value: datetime | None = None
    source: DateSource = DateSource.NONE
    confidence: float = 0.0
    date_only: bool = False  # True when the source gave a day without a time of day


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A named-entity mention: ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...
    confidence: float = 1.0
    source: str = "model"  # "model", or "rule" when newsdesk corrected the model


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A span of text that refers to an actor: a name, a title, an alias or a pronoun."""

    actor: str  # the key of an Actor of the same article
    text: str
    start: int
    end: int
    kind: str = "name"  # "name", "alias", "title", "pronoun", "description"
    title: str | None = None  # a title written with this mention ("Deputy Defence Minister")
    confidence: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """A person or organisation as one article presents it; merged across articles in the store.

    ``key`` is stable for the same actor across articles ("volodymyr-zelenskyy"), so the store
    can merge them and honour a user's edits.
    """

    key: str
    name: str
    kind: str  # "person", "organisation", "government"
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # as of the article's date, e.g. "Secretary of State"
    affiliation: str | None = None  # a country or organisation
    sector: str | None = None  # government, military, opposition, business, media, ...
    confidence: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """Who said what: a direct quote or reported speech, with spans into the text."""

    kind: str  # "direct" or "reported"
    content: str
    start: int
    end: int
    cue: str | None = None  # lemma of the cue verb or phrase: "say", "according to"
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None  # the speaker as written ("he", "Zelenskiy")
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_actor: str | None = None  # key of the resolved Actor
    addressee_actor: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """A time expression normalised TIMEX3-style, anchored on the publication date."""

    text: str
    start: int
    end: int
    type: str  # DATE, TIME, DURATION, SET
    value: str | None  # "2025-05-14", "2025-W20", "2022-03", "P30D", "XXXX-WXX-4"; None: unresolved
    granularity: str | None = None  # "day", "week", "month", "year", "minute", ...
    modifier: str | None = None  # TIMEX3 mod: "START", "MID", "END", "APPROX", ...
    anchored: bool = False  # True when the value depends on the publication date
    confidence: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """A place mention resolved with an offline gazetteer."""

    text: str
    start: int
    end: int
    name: str  # the gazetteer's name: "Istanbul", "Türkiye"
    kind: str  # "country", "city", "region", "continent"
    country_code: str | None = None  # ISO 3166-1 alpha-2
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    confidence: float = 1.0


class EventStatus(StrEnum):
    """Whether an event really happened, as the text presents it."""

    OCCURRED = "occurred"
    ONGOING = "ongoing"
    PLANNED = "planned"
    PROPOSED = "proposed"
    DEMANDED = "demanded"
    CONDITIONAL = "conditional"
    DECLINED = "declined"
    THREATENED = "threatened"
    DENIED = "denied"
    HYPOTHETICAL = "hypothetical"
    HISTORICAL = "historical"


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRole:
    """An actor's part in an event as the text states it ("head of delegation")."""

    actor: str  # key of an Actor of the same article
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Who did what to whom, when and where, and whether it really happened.

    ``type`` is a PLOVER event type ("CONSULT", "THREATEN", ...) with its ``mode``; ``cameo``
    the matching CAMEO code. ``start``/``end`` span the evidence sentence in ``Article.text``
    and ``trigger_start``/``trigger_end`` the word that names the event. Mentions of the same
    event within an article are merged; ``mentions`` counts them.
    """

    type: str
    status: str  # an EventStatus value
    start: int
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int
    mode: str | None = None
    cameo: str | None = None
    actors: tuple[str, ...] = ()  # keys of the Actors doing it
    recipients: tuple[str, ...] = ()  # keys of the Actors it is done to or with
    roles: tuple[EventRole, ...] = ()
    place: str | None = None  # gazetteer name of the resolved Place
    country_code: str | None = None
    date: str | None = None  # TIMEX3 value, "2025-05-15", "2022-03"
    granularity: str | None = None
    date_text: str | None = None  # the time expression the date came from
    condition: str | None = None  # for conditional events: "only if Putin were present"
    asserted_by: str | None = None  # key of the quoted speaker; None: the outlet itself
    summary: str = ""  # a short label: "Putin declines to attend the Istanbul talks"
    mentions: int = 1
    extractor: str = "rules"  # "rules" or "llm"
    confidence: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """The clean article: the one record every stage reads and writes.

    ``url`` is the address the article was found at; ``canonical_url`` the page's own canonical
    address with tracking parameters stripped, which is its identity in the store.
    """

    url: str
    source: str = ""  # where newsdesk got it: a path, a feed URL, a WARC member
    canonical_url: str = ""
    raw_sha256: str | None = None
    raw_kind: RawKind = RawKind.HTML
    raw: str = field(default="", repr=False)  # decoded raw document; never stored with the article
    hints: tuple[tuple[str, str], ...] = ()  # facts the container knew (feed item, JSON record)
    site: str | None = None  # outlet name, e.g. "The Bosphorus Ledger"
    domain: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: Published = field(default_factory=Published)
    language: str | None = None
    text: str = ""
    related_links: tuple[RelatedLink, ...] = ()
    entities: tuple[Entity, ...] = ()
    actors: tuple[Actor, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    processed_by: tuple[str, ...] = ()  # "extract@1": provenance for `newsdesk reprocess`

    def stage_versions(self) -> dict[str, int]:
        """Which version of each stage produced this record."""
        versions: dict[str, int] = {}
        for stamp in self.processed_by:
            name, _, version = stamp.partition("@")
            versions[name] = int(version)
        return versions


ARTICLE_FIELDS: frozenset[str] = frozenset(f.name for f in dataclasses.fields(Article))


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateLink:
    """An article found to copy another one: a syndicated wire copy or an edited near-copy."""

    original_id: int
    similarity: float
    exact: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredArticle:
    """An article as the store holds it: the record plus the store's own facts about it."""

    id: int
    article: Article
    ingested_at: datetime
    duplicate_of: DuplicateLink | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed:
    """A feed newsdesk follows, with the state of its last fetch."""

    url: str
    title: str | None = None
    site_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    error_count: int = 0
    id: int | None = None


class Outcome(StrEnum):
    """What happened to one ingested item."""

    NEW = "new"
    UNCHANGED = "unchanged"  # same URL or same content already stored: a no-op
    DUPLICATE = "duplicate"  # exact copy of another outlet's article, linked to it
    NEAR_DUPLICATE = "near-duplicate"  # edited copy, linked with its similarity
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemResult:
    """The per-item outcome of an ingest, shown in the summary table and the ingest log."""

    origin: str
    outcome: Outcome
    article_id: int | None = None
    title: str | None = None
    reason: str | None = None
    duplicate_of: int | None = None
    similarity: float | None = None
