"""Choosing among a place name's gazetteer candidates, using the article's other places.

Every candidate gets a prior score (a country or continent name beats a city of that name, a
US state sits between; a city counts by population, a capital gets a bonus, an alternate name
a penalty). A first pass takes each name's best prior; the countries and US states those
choices point to become the context, and a second pass adds a bonus for candidates in the
context's countries, states and neighbouring countries. A name never counts towards its own
context, so "Paris" in an article about Texas is Paris, Texas, and "Georgia" among Tbilisi
and Armenia is the country. Confidence is the winner's share of the softmax of the scores
(so it falls as the choice gets closer), times 0.9 for an alternate name, 0.5 for a region
known only by its country, and the mention's own weight (the entity's confidence, 0.9 for a
scan hit).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.model import Place
from newsdesk.stages.places.gazetteer import Candidate, Gazetteer, Match, normalise

COUNTRY_PRIOR = 10.0
CONTINENT_PRIOR = 10.5  # "Antarctica" is a continent before it is a GeoNames country
REGION_PRIOR = 8.0
# A capital is more prominent than its population says, the more so the bigger its country:
# 1.5 plus half the log10 of the country's population in millions (Washington 2.8, Tripoli 1.9).
CAPITAL_BONUS = 1.5
ALTERNATE_PENALTY = 2.0
COUNTRY_CONTEXT = 3.0  # times the share of the article's places in the candidate's country
STATE_CONTEXT = 3.0  # for a US candidate whose state the article mentions
NEIGHBOUR_CONTEXT = 1.5  # for a country, times the share of places in its neighbours
ALTERNATE_QUALITY = 0.9
REGION_GUESS_QUALITY = 0.5  # "Donetsk region": only the country is known
# A town in a country none of the article's other places is in is more likely a namesake
# ("the Golden Gate" in Kyiv is not Golden Gate, Florida) when it is smaller than this, or
# than the second figure where several towns share the name: it is skipped.
LONE_STRAY_POPULATION = 50_000
SHARED_STRAY_POPULATION = 200_000
FACILITY_MIN_POPULATION = 100_000  # a FAC entity counts only when it is a big place's name

_DIRECTIONS = frozenset(
    {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
     "northern", "southern", "eastern", "western", "northeastern", "northwestern",
     "southeastern", "southwestern", "central", "upper", "lower", "greater"}
)  # fmt: skip
_REGION_WORDS = frozenset(
    {"region", "regions", "oblast", "oblasts", "province", "provinces", "governorate",
     "prefecture", "district", "territory", "krai", "state", "strip", "area", "border",
     "frontier", "countryside", "outskirts", "suburbs"}
)  # fmt: skip
_DEMONYM_ENDINGS = ("ian", "ians", "ean", "eans", "ese", "ish", "ans")
_DEMONYMS = frozenset(
    {"thai", "thais", "czech", "czechs", "swiss", "dutch", "greek", "greeks", "french", "arab",
     "arabs", "arabic", "lao", "khmer", "malay", "malays", "kurd", "kurds", "turk", "turks",
     "pole", "poles", "scot", "scots", "dane", "danes", "swede", "swedes", "finn", "finns",
     "serb", "serbs", "croat", "croats", "uzbek", "uzbeks", "kazakh", "kazakhs", "tatar",
     "tatars", "pashtun", "baloch", "iraqi", "iraqis", "israeli", "israelis", "pakistani",
     "pakistanis", "saudi", "saudis", "yemeni", "kuwaiti", "qatari", "emirati", "somali",
     "bengali", "nepali", "afghan", "afghans", "filipino", "filipinos"}
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceMention:
    """A span of the text that may name a place, and how sure we are that it is one."""

    text: str
    start: int
    end: int
    weight: float = 1.0  # the entity's confidence, or less for a plain-text scan hit
    facility: bool = False  # a FAC entity: only a big place's own name counts, no region guess


@dataclass(frozen=True, slots=True)
class _Option:
    candidate: Candidate
    prior: float
    quality: float


def resolve(mentions: Sequence[PlaceMention], gazetteer: Gazetteer) -> list[Place]:
    """One Place per mention that the gazetteer can resolve; the others are skipped."""
    options: dict[str, list[_Option]] = {}
    for mention in mentions:
        key = normalise(mention.text)
        if key not in options:
            options[key] = _options(mention, gazetteer)
    context = _Context()
    for key, found in options.items():
        if found:
            context.add(key, max(found, key=lambda o: o.prior).candidate)
    chosen: dict[str, tuple[_Option, float]] = {}
    for key, found in options.items():
        pick = _choose(found, context.without(key), gazetteer) if found else None
        if pick is not None:
            chosen[key] = pick
    places: list[Place] = []
    for mention in mentions:
        pick = chosen.get(normalise(mention.text))
        if pick is not None:
            option, share = pick
            confidence = round(share * option.quality * mention.weight, 3)
            places.append(_place(mention, option.candidate, confidence, gazetteer))
    return places


def _options(mention: PlaceMention, gazetteer: Gazetteer) -> list[_Option]:
    if not any(ch.isupper() for ch in mention.text):
        return []  # "the metro": place names are capitalised
    key = normalise(mention.text)
    matches = gazetteer.lookup(mention.text)
    if key in _DEMONYMS or key.endswith(_DEMONYM_ENDINGS):
        matches = tuple(m for m in matches if not m.alternate)  # "Ukrainian", "Thai": no place
    if mention.facility:
        return [
            _option(m, gazetteer)
            for m in matches
            if not m.alternate
            and (m.candidate.kind != "city" or m.candidate.population >= FACILITY_MIN_POPULATION)
        ]
    if matches:
        return [_option(m, gazetteer) for m in matches]
    return _guess_region(mention, gazetteer)


def _option(match: Match, gazetteer: Gazetteer) -> _Option:
    candidate = match.candidate
    if candidate.kind == "country":
        prior = COUNTRY_PRIOR
    elif candidate.kind == "continent":
        prior = CONTINENT_PRIOR
    elif candidate.kind == "region":
        prior = REGION_PRIOR
    else:
        prior = 1.2 * math.log10(max(candidate.population, 1000))
        if candidate.capital:
            country = gazetteer.country(candidate.country_code)
            people = max(country.population if country else 0, 100_000)
            prior += CAPITAL_BONUS + 0.5 * math.log10(people / 1_000_000)
    if match.alternate:
        prior -= ALTERNATE_PENALTY
    return _Option(candidate, prior, ALTERNATE_QUALITY if match.alternate else 1.0)


def _guess_region(mention: PlaceMention, gazetteer: Gazetteer) -> list[_Option]:
    """ "Donetsk region", "eastern Ukraine", "Kharkiv and Sumy regions": a region in the country
    of the place it is named after, without coordinates and with lower confidence."""
    words = normalise(mention.text).split()
    core = list(words)
    while core and core[0] in _DIRECTIONS:
        core.pop(0)
    while core and core[-1] in _REGION_WORDS:
        core.pop()
    if core[:2] == ["region", "of"]:
        core = core[2:]
    if not core or core == words:
        return []
    best: dict[str, _Option] = {}
    for part in " ".join(core).split(" and "):
        matches = gazetteer.lookup(part)
        if any(m.candidate.kind == "continent" for m in matches):
            return []  # "Southeast Asia", "Eastern Europe": no one country
        found = [_option(m, gazetteer) for m in matches if m.candidate.country_code]
        if not found:
            return []
        per_country: dict[str, _Option] = {}
        for option in found:
            code = option.candidate.country_code or ""
            if code not in per_country or option.prior > per_country[code].prior:
                per_country[code] = option
        best = per_country if not best else {c: o for c, o in best.items() if c in per_country}
        if not best:
            return []
    name = mention.text.strip()
    name = name[4:] if name.lower().startswith("the ") else name
    return [
        _Option(
            Candidate(name, "region", code, None, None, None, admin1=option.candidate.admin1),
            option.prior,
            REGION_GUESS_QUALITY * option.quality,
        )
        for code, option in best.items()
    ]


def _stray_town(candidate: Candidate, countries: Counter[str], floor: int) -> bool:
    return (
        candidate.kind == "city"
        and candidate.population < floor
        and not countries[candidate.country_code or ""]
    )


class _Context:
    """The countries and US states an article's places point to, counted per name."""

    def __init__(self) -> None:
        self.by_key: dict[str, tuple[str | None, str | None]] = {}

    def add(self, key: str, candidate: Candidate) -> None:
        state = candidate.admin1 if candidate.country_code == "US" else None
        self.by_key[key] = (candidate.country_code, state)

    def without(self, key: str) -> tuple[Counter[str], Counter[str]]:
        countries: Counter[str] = Counter()
        states: Counter[str] = Counter()
        for other, (country, state) in self.by_key.items():
            if other != key:
                if country:
                    countries[country] += 1
                if state:
                    states[state] += 1
        return countries, states


def _choose(
    options: list[_Option], context: tuple[Counter[str], Counter[str]], gazetteer: Gazetteer
) -> tuple[_Option, float] | None:
    countries, states = context
    total = sum(countries.values())
    if total >= 2:
        floor = SHARED_STRAY_POPULATION if len(options) > 1 else LONE_STRAY_POPULATION
        options = [o for o in options if not _stray_town(o.candidate, countries, floor)]
        if not options:
            return None
    scored: list[tuple[float, _Option]] = []
    for option in options:
        candidate = option.candidate
        score = option.prior
        if total and candidate.country_code:
            score += COUNTRY_CONTEXT * countries[candidate.country_code] / total
        if candidate.kind == "country" and total:
            near = sum(countries[n] for n in gazetteer.neighbours(candidate.country_code))
            score += NEIGHBOUR_CONTEXT * near / total
        if candidate.country_code == "US" and candidate.admin1 and states[candidate.admin1]:
            score += STATE_CONTEXT
        scored.append((score, option))
    top = max(score for score, _ in scored)
    weights = [math.exp(score - top) for score, _ in scored]
    best = max(range(len(scored)), key=lambda i: (scored[i][0], -i))
    return scored[best][1], weights[best] / sum(weights)


def _place(mention: PlaceMention, candidate: Candidate, confidence: float, gaz: Gazetteer) -> Place:
    country = gaz.country(candidate.country_code)
    return Place(
        text=mention.text,
        start=mention.start,
        end=mention.end,
        name=candidate.name,
        kind=candidate.kind,
        country_code=candidate.country_code,
        country=country.name if country else None,
        latitude=candidate.latitude,
        longitude=candidate.longitude,
        geonameid=candidate.geonameid,
        confidence=confidence,
    )
