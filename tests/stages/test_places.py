"""The places stage: offline gazetteer lookups, news forms, ambiguity by context, safe spans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.model import Article, Entity, Place
from newsdesk.stages.nlp import shared_parser
from newsdesk.stages.places import PlaceStage
from newsdesk.stages.places import gazetteer as gazetteer_module
from newsdesk.stages.places.gazetteer import normalise, shared_gazetteer

STAGE = PlaceStage()


def marked(text: str, label: str = "GPE") -> tuple[str, tuple[Entity, ...]]:
    """``"Talks in [Istanbul]"`` -> the plain text and an entity for each bracketed span."""
    plain, entities, pos = "", [], 0
    for match in re.finditer(r"\[([^\]]+)\]", text):
        plain += text[pos : match.start()]
        name = match.group(1)
        entities.append(
            Entity(text=name, start=len(plain), end=len(plain) + len(name), label=label)
        )
        plain += name
        pos = match.end()
    return plain + text[pos:], tuple(entities)


def places_of(text: str, label: str = "GPE", *, scan: bool = True) -> dict[str, Place]:
    plain, entities = marked(text, label)
    found = PlaceStage(scan=scan)(Article(url="u", text=plain, entities=entities)).places
    return {place.text: place for place in found}


def summary(place: Place) -> tuple[str, str, str | None]:
    return place.name, place.kind, place.country_code


def test_the_seed_page_resolves_its_places(seed: Path) -> None:
    text = seed.read_text()
    doc = shared_parser()(text)
    entities = tuple(
        Entity(text=e.text, start=e.start_char, end=e.end_char, label=e.label_) for e in doc.ents
    )
    article = STAGE(Article(url="u", text=text, entities=entities))
    found = {(p.text, summary(p)) for p in article.places}
    assert ("Istanbul", ("Istanbul", "city", "TR")) in found
    assert ("Moscow", ("Moscow", "city", "RU")) in found
    assert ("Kyiv", ("Kyiv", "city", "UA")) in found  # the model reads it as a PERSON
    assert ("Turkey", ("Turkey", "country", "TR")) in found
    assert ("Ukraine", ("Ukraine", "country", "UA")) in found
    assert ("Russia", ("Russia", "country", "RU")) in found
    assert ("U.S.", ("United States", "country", "US")) in found
    assert ("The United States", ("United States", "country", "US")) in found
    assert ("Europe", ("Europe", "continent", None)) in found
    assert not {p.text for p in article.places} & {"Ukrainian", "Russian", "Kremlin"}
    istanbul = next(p for p in article.places if p.text == "Istanbul")
    assert istanbul.geonameid == 745044
    assert istanbul.latitude == pytest.approx(41.01, abs=0.05)
    assert istanbul.longitude == pytest.approx(28.95, abs=0.05)


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("U.S.", ("United States", "country", "US")),
        ("US", ("United States", "country", "US")),
        ("the United States", ("United States", "country", "US")),
        ("America", ("United States", "country", "US")),
        ("USA", ("United States", "country", "US")),
        ("UK", ("United Kingdom", "country", "GB")),
        ("Britain", ("United Kingdom", "country", "GB")),
        ("Turkey", ("Turkey", "country", "TR")),
        ("Türkiye", ("Turkey", "country", "TR")),
        ("China", ("China", "country", "CN")),
        ("Russia", ("Russia", "country", "RU")),
        ("Ukraine", ("Ukraine", "country", "UA")),
        ("Kyiv", ("Kyiv", "city", "UA")),
        ("Kiev", ("Kyiv", "city", "UA")),
        ("Moscow", ("Moscow", "city", "RU")),
        ("Ankara", ("Ankara", "city", "TR")),
        ("Istanbul", ("Istanbul", "city", "TR")),
        ("Singapore", ("Singapore", "country", "SG")),
        ("Europe", ("Europe", "continent", None)),
        ("Texas", ("Texas", "region", "US")),
        ("Crimea", ("Crimea", "region", "UA")),
    ],
)
def test_news_forms_of_countries_and_capitals(form: str, expected: tuple[str, str, str]) -> None:
    place = places_of(f"Officials in [{form}] said so.")[form]
    assert summary(place) == expected
    assert place.confidence >= 0.9


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ("Leaders met in [Paris].", "Paris", ("Paris", "city", "FR")),
        (
            "From [Dallas], [Houston] and [Paris], [Texas], they came.",
            "Paris",
            ("Paris", "city", "US"),
        ),
        ("[Tbilisi] says [Georgia] and [Armenia] agree.", "Georgia", ("Georgia", "country", "GE")),
        ("Voters in [Atlanta], [Georgia] and [Florida].", "Georgia", ("Georgia", "region", "US")),
        ("[Washington] said it would not attend.", "Washington", ("Washington", "city", "US")),
        (
            "In [Seattle] and [Spokane], [Washington] voted.",
            "Washington",
            ("Washington", "region", "US"),
        ),
        ("Clashes in [Tripoli] again.", "Tripoli", ("Tripoli", "city", "LY")),
        ("From [Beirut] to [Tripoli], [Lebanon] went dark.", "Tripoli", ("Tripoli", "city", "LB")),
        ("Fans in [Birmingham] and [Manchester].", "Birmingham", ("Birmingham", "city", "GB")),
        (
            "In [Birmingham], [Alabama], and [Montgomery].",
            "Birmingham",
            ("Birmingham", "city", "US"),
        ),
        ("A port hit in [Odessa], [Ukraine].", "Odessa", ("Odesa", "city", "UA")),
        ("Oil in [Odessa], [Texas], and [Midland].", "Odessa", ("Odessa", "city", "US")),
        ("Markets in [New York] fell.", "New York", ("New York City", "city", "US")),
        ("[Mexico] imposed tariffs.", "Mexico", ("Mexico", "country", "MX")),
    ],
)
def test_ambiguous_names_follow_the_other_places(
    text: str, mention: str, expected: tuple[str, str, str]
) -> None:
    assert summary(places_of(text)[mention]) == expected


def test_washington_defaults_to_the_capital_with_its_coordinates() -> None:
    place = places_of("[Washington] has dispatched envoys.")["Washington"]
    assert place.latitude == pytest.approx(38.9, abs=0.1)
    assert place.longitude == pytest.approx(-77.0, abs=0.1)


def test_confidence_falls_with_ambiguity() -> None:
    assert places_of("[Turkey] agreed.")["Turkey"].confidence == 1.0
    caucasus = places_of("[Tbilisi] says [Georgia] and [Armenia] agree.")["Georgia"].confidence
    alone = places_of("[Georgia] agreed.")["Georgia"].confidence
    assert 0.5 < alone < caucasus <= 1.0


def test_unnamed_regions_resolve_to_their_country_with_less_confidence() -> None:
    found = places_of(
        "Shelling hit the [Donetsk region] and [eastern Ukraine]; the [Kharkiv and Sumy regions]"
        " and the [Kursk region] of [Russia] too, but not [Southeast Asia]."
    )
    for mention, code in [
        ("Donetsk region", "UA"),
        ("eastern Ukraine", "UA"),
        ("Kharkiv and Sumy regions", "UA"),
        ("Kursk region", "RU"),
    ]:
        place = found[mention]
        assert (place.kind, place.country_code) == ("region", code)
        assert place.latitude is None
        assert place.confidence <= 0.5
    assert "Southeast Asia" not in found


def test_an_unknown_name_is_skipped_and_the_rest_stays() -> None:
    found = places_of("Talks in [Istanbul], [Xqzzyville] and [the Dolmabahçe Palace], [Moscow].")
    assert set(found) == {"Istanbul", "Moscow"}


def test_demonyms_and_lower_case_words_are_no_places() -> None:
    assert places_of("The [Russian] side met the [Ukrainian] side.", "NORP") == {}
    assert places_of("The [Ukrainian] side, a [Thai] cook and the [metro] stopped.") == {}


def test_a_facility_counts_only_when_it_is_a_big_place() -> None:
    assert places_of("A stand near [the Golden Gate] in [Kyiv].", "FAC").keys() == {"Kyiv"}


def test_the_scan_finds_names_the_model_missed_but_not_inside_other_names() -> None:
    text = (
        "These are terms Kyiv now firmly rejects. U.S. officials and the United States agree. "
        "George Washington, the Washington Post and Latin America are no places; neither is us."
    )
    found = {(p.text, p.country_code) for p in STAGE(Article(url="u", text=text)).places}
    assert found == {("Kyiv", "UA"), ("U.S.", "US"), ("United States", "US")}
    assert {p.confidence for p in STAGE(Article(url="u", text=text)).places} == {0.9}


def test_a_capital_the_model_took_for_a_person_is_still_a_place() -> None:
    text = "The terms Kyiv now firmly rejects."
    kyiv = Entity(text="Kyiv", start=10, end=14, label="PERSON")
    (place,) = STAGE(Article(url="u", text=text, entities=(kyiv,))).places
    assert (place.name, place.confidence) == ("Kyiv", 0.7)
    assert PlaceStage(scan=False)(Article(url="u", text=text, entities=(kyiv,))).places == ()


def test_an_entity_whose_span_does_not_match_the_text_is_ignored() -> None:
    wrong = Entity(text="Moscow", start=0, end=6, label="GPE")
    assert STAGE(Article(url="u", text="Nothing here at all.", entities=(wrong,))).places == ()


def test_the_stage_declares_itself_and_keeps_the_rest_of_the_article() -> None:
    assert (PlaceStage.name, PlaceStage.version) == ("places", 1)
    assert PlaceStage.requires == {"text", "entities"}
    assert PlaceStage.provides == {"places"}
    plain, entities = marked("Talks in [Istanbul].")
    article = Article(url="u", title="T", text=plain, entities=entities)
    out = STAGE(article)
    assert (out.title, out.entities, len(out.places)) == ("T", entities, 1)


def test_the_gazetteer_loads_once_per_process() -> None:
    for text in ("In [Paris].", "In [Kyiv].", "In [Texas] and [Georgia]."):
        places_of(text)
    assert shared_gazetteer() is shared_gazetteer()
    assert gazetteer_module.LOADS == 1


@pytest.mark.parametrize(
    ("name", "key"),
    [("the U.S.", "us"), ("Kyïv's", "kyiv"), ("Türkiye", "turkiye"), ("Łódź", "lodz"),
     ("Washington, D.C.", "washington dc"), ("İstanbul", "istanbul")],
)  # fmt: skip
def test_names_are_folded_for_lookup(name: str, key: str) -> None:
    assert normalise(name) == key


def test_lookup_keeps_countries_clear_of_namesake_towns() -> None:
    assert [m.candidate.kind for m in shared_gazetteer().lookup("USA")] == ["country"]
    assert [m.candidate.kind for m in shared_gazetteer().lookup("China")] == ["country"]
    paris = shared_gazetteer().lookup("Paris")
    assert {m.candidate.country_code for m in paris} == {"FR", "US"}  # no Parys, South Africa
    (kiev,) = shared_gazetteer().lookup("Kiev")
    assert (kiev.candidate.name, kiev.alternate) == ("Kyiv", True)


NAMES = ["Istanbul", "Moscow", "Georgia", "Paris", "Texas", "Xqzzy", "Donetsk region", "Kyiv"]
FILLER = st.text(alphabet="abc XYZ.,'’-éİ\n", max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(FILLER, st.sampled_from(NAMES), st.sampled_from(["GPE", "LOC", "FAC"]))))
def test_every_place_span_indexes_into_the_text(pieces: list[tuple[str, str, str]]) -> None:
    text, entities = "", []
    for filler, name, label in pieces:
        text += filler + " "
        entities.append(Entity(text=name, start=len(text), end=len(text) + len(name), label=label))
        text += name
    article = STAGE(Article(url="u", text=text, entities=tuple(entities)))
    for place in article.places:
        assert text[place.start : place.end] == place.text
        assert 0.0 < place.confidence <= 1.0
    assert [p.start for p in article.places] == sorted(p.start for p in article.places)
