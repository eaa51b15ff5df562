"""The events stage: triggers, statuses, actors, roles, dates and merging, on the seed page and
on a status set of news sentences written for it (tests/stages/data/event_status.tsv)."""

from __future__ import annotations

import csv
import dataclasses
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.errors import ConfigError
from newsdesk.model import Actor, Article, DateSource, Event, EventStatus, Place, Published
from newsdesk.pipeline import Pipeline
from newsdesk.stages.actors import ActorStage
from newsdesk.stages.entities import EntityStage
from newsdesk.stages.events import (
    EXTRACTORS,
    EventStage,
    extract_events,
    load_lexicon,
    plover_code,
)
from newsdesk.stages.events.arguments import ActorIndex
from newsdesk.stages.events.dating import period
from newsdesk.stages.events.merging import merge_events
from newsdesk.stages.extract.plaintext import parse_scrape
from newsdesk.stages.places import PlaceStage
from newsdesk.stages.quotes import QuoteStage
from newsdesk.stages.times import TimeStage

STATUS_SET = Path(__file__).parent / "data" / "event_status.tsv"
PUBLISHED = Published(
    value=datetime(2025, 5, 15, tzinfo=UTC), source=DateSource.USER, confidence=1.0, date_only=True
)
# Measured 0.976 (241/247) on the status set, whose misses guided the rules (so the number is
# optimistic for unseen text); the floor sits just under it. Four of the six misses are rows
# labelled proposed for "called for" / "urged", which the corpus gold convention (SCHEMA.md)
# and the rules now read as demands.
STATUS_FLOOR = 0.96
ENRICH = (EntityStage(), ActorStage(), QuoteStage(), TimeStage(), PlaceStage())
STAGE = EventStage()


def analyse(text: str, published: Published = PUBLISHED) -> Article:
    """``text`` through the enrichment stages and the events stage, as the pipeline runs them."""
    article = Article(url="u", text=text, published=published)
    for stage in ENRICH:
        article = stage(article)
    return STAGE(article)


def assert_cites_sentence(article: Article, event: Event) -> None:
    text = article.text
    assert 0 <= event.start <= event.trigger_start < event.trigger_end <= event.end <= len(text)
    assert text[event.trigger_start : event.trigger_end] == event.trigger
    assert "\n" not in text[event.start : event.end].strip()
    assert event.status in {s.value for s in EventStatus}
    assert 0.0 < event.confidence <= 1.0


# ------------------------------------------------------------------------------ the seed page


@pytest.fixture(scope="module")
def seed_article(request: pytest.FixtureRequest) -> Article:
    seed: Path = request.getfixturevalue("seed")
    return analyse(parse_scrape(seed.read_text(encoding="utf-8")).text)


def find(article: Article, *, type: str, trigger: str | None = None, near: str = "") -> Event:
    """The one event of ``type`` (and trigger) whose sentence holds ``near``."""
    found = [
        e
        for e in article.events
        if e.type == type
        and (trigger is None or e.trigger == trigger)
        and near in article.text[e.start : e.end]
    ]
    assert len(found) == 1, [(e.type, e.trigger, e.status) for e in article.events]
    return found[0]


def test_seed_every_event_cites_its_sentence(seed_article: Article) -> None:
    assert seed_article.events
    for event in seed_article.events:
        assert_cites_sentence(seed_article, event)


def test_seed_putin_and_trump_decline_the_istanbul_talks(seed_article: Article) -> None:
    talks = find(seed_article, type="CONSULT", near="would not attend")
    assert talks.status == "declined"
    assert set(talks.actors) == {"vladimir-putin", "donald-trump"}
    assert talks.place == "Istanbul"
    assert talks.mentions >= 2  # "never officially confirmed attendance" is the same event


def test_seed_russian_delegation_led_by_medinsky_and_fomin(seed_article: Article) -> None:
    delegation = find(seed_article, type="CONSULT", trigger="delegation", near="Medinsky")
    assert delegation.status in {"planned", "occurred"}
    assert {(r.actor, r.role) for r in delegation.roles} == {
        ("vladimir-medinsky", "head of delegation"),
        ("alexander-fomin", "head of delegation"),
    }
    assert delegation.asserted_by == "russia-government"  # "the Kremlin confirmed …"


def test_seed_us_delegation_of_rubio_witkoff_and_kellogg(seed_article: Article) -> None:
    delegation = find(seed_article, type="CONSULT", trigger="delegation", near="Rubio")
    assert delegation.status in {"planned", "occurred"}
    assert delegation.actors == ("united-states-government",)
    members = {r.actor for r in delegation.roles if r.role == "member of delegation"}
    assert members == {"marco-rubio", "steve-witkoff", "keith-kellogg"}


def test_seed_zelenskiy_participates_only_if_putin_attends(seed_article: Article) -> None:
    event = find(seed_article, type="CONSULT", near="only participate")
    assert event.status == "conditional"
    assert event.actors == ("volodymyr-zelensky",)
    assert event.condition == "only if Putin were also present"
    assert event.asserted_by == "volodymyr-zelensky"


def test_seed_ceasefire_advocated_by_trump(seed_article: Article) -> None:
    ceasefire = find(seed_article, type="YIELD", trigger="ceasefire", near="advocating")
    assert (ceasefire.status, ceasefire.mode, ceasefire.cameo) == ("proposed", "ceasefire", "0871")
    assert ceasefire.actors == ("donald-trump",)


def test_seed_prisoner_exchange_on_the_agenda(seed_article: Article) -> None:
    exchange = find(seed_article, type="YIELD", trigger="exchange")
    assert exchange.status == "proposed"
    assert exchange.mode == "release"
    assert exchange.asserted_by == "russia-government"  # "Kremlin sources said …"


def test_seed_secondary_sanctions_floated_by_trump(seed_article: Article) -> None:
    sanctions = find(seed_article, type="COERCE", trigger="sanctions")
    assert sanctions.status == "threatened"
    assert sanctions.actors == ("donald-trump",)
    assert sanctions.recipients == ("russia-government",)
    assert sanctions.condition == "if it is perceived to be obstructing peace efforts"
    targeting = find(seed_article, type="COERCE", trigger="targeting")
    assert targeting.status == "threatened"


def test_seed_march_2022_talks_are_history(seed_article: Article) -> None:
    attempt = find(seed_article, type="CONSULT", trigger="attempt")
    assert attempt.status == "historical"
    assert (attempt.date, attempt.granularity) == ("2022-03", "month")
    assert "collapsed" in seed_article.text[attempt.start : attempt.end]
    # the talks now planned, in the same sentence, are not history
    assert find(seed_article, type="CONSULT", trigger="talks", near="recall").status == "planned"


def test_seed_no_event_from_related_links(seed: Path, seed_article: Article) -> None:
    scrape = parse_scrape(seed.read_text(encoding="utf-8"))
    assert scrape.related_links  # the "You May Also Like" block exists and was split off
    assert "You May Also Like" not in seed_article.text
    body_end = len(seed_article.text)
    assert all(e.end <= body_end for e in seed_article.events)
    teasers = " ".join(f"{r.title} {r.teaser or ''}" for r in scrape.related_links)
    assert "Impose" in teasers  # "Taiwan to Impose Health Declaration Forms" is not an event
    assert all(e.trigger != "Impose" for e in seed_article.events)


# ------------------------------------------------------------------------------ status set


def status_rows() -> list[dict[str, str]]:
    with STATUS_SET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def event_for(article: Article, trigger: str) -> Event | None:
    """The event whose trigger is the word, else the one whose trigger is nearest to it (a
    light verb hands its event to its object: "sending missiles" is the missiles event)."""
    at = article.text.find(trigger)
    for event in article.events:
        if event.trigger_start <= at < event.trigger_end:
            return event
    return min(article.events, key=lambda e: abs(e.trigger_start - at), default=None)


def test_status_set_is_well_formed() -> None:
    rows = status_rows()
    assert len(rows) >= 220
    counts = Counter(r["status"] for r in rows)
    assert set(counts) == {s.value for s in EventStatus}
    assert min(counts.values()) >= 15
    assert len({r["sentence"] for r in rows}) == len(rows)
    for row in rows:
        assert row["trigger"] in row["sentence"], row


def test_status_accuracy_on_the_status_set() -> None:
    rows = status_rows()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[str] = []
    for row in rows:
        article = analyse(row["sentence"])
        event = event_for(article, row["trigger"])
        got = event.status if event else "none"
        total[row["status"]] += 1
        if got == row["status"]:
            right[row["status"]] += 1
        else:
            wrong.append(f"{row['status']} → {got}: {row['sentence']}")
        if event is not None:
            assert_cites_sentence(article, event)
    accuracy = sum(right.values()) / len(rows)
    per_status = ", ".join(f"{s} {right[s]}/{total[s]}" for s in sorted(total))
    assert accuracy >= STATUS_FLOOR, f"{accuracy:.3f}: {per_status}\n" + "\n".join(wrong)


# ------------------------------------------------------------------------------ rules, one by one


@pytest.mark.parametrize(
    ("sentence", "trigger", "status", "condition"),
    [
        ("Moscow will not attend the summit.", "summit", "declined", None),
        ("The Kremlin denied that troops had attacked the village.", "attacked", "denied", None),
        ("Ankara would only sign the deal if sanctions were lifted.", "deal", "conditional",
         "only if sanctions were lifted"),
        ("Unless Kyiv withdraws, Russia will keep attacking.", "attacking", "conditional",
         "Unless Kyiv withdraws"),
        ("The union has been advocating a general strike.", "strike", "proposed", None),
        ("Farmers demanded talks with the minister.", "talks", "demanded", None),
        ("Exporters could face new tariffs.", "tariffs", "threatened", None),
        ("The ministers are due to meet on Friday.", "meet", "planned", None),
        ("Protests are continuing in the capital.", "Protests", "ongoing", None),
        ("A truce would save lives.", "truce", "hypothetical", None),
        ("Police arrested the mayor in 2019.", "arrested", "historical", None),
        ("Police arrested the mayor on Tuesday.", "arrested", "occurred", None),
    ],
)  # fmt: skip
def test_status_rules(sentence: str, trigger: str, status: str, condition: str | None) -> None:
    event = event_for(analyse(sentence), trigger)
    assert event is not None
    assert (event.status, event.condition) == (status, condition)


@pytest.mark.parametrize(
    ("sentence", "trigger", "status", "code"),
    [
        ("Several ministers called for a ceasefire in Yemen.", "ceasefire", "demanded", "REQUEST"),
        ("Ghana and Nigeria want a ceasefire to come first.", "ceasefire", "demanded", "REQUEST"),
        ("The Kremlin will not attend the summit.", "summit", "declined", "REJECT"),
        ("Spain has not imposed sanctions on the junta.", "sanctions", "declined", "COERCE"),
        ("Ukraine rejects that framing.", "rejects", "declined", "REJECT"),
        ("Farmers could face new tariffs.", "tariffs", "threatened", "THREATEN"),
        ("The envoys are due to meet on Friday.", "meet", "planned", "CONSULT"),
        ("Turkey is ready to host talks.", "talks", "proposed", "CONSULT"),
        ("Nothing will change until the two leaders meet.", "meet", "hypothetical", "CONSULT"),
        ("Prices have tripled since the invasion.", "invasion", "historical", "ASSAULT"),
        ("Exports have collapsed since Russia invaded Ukraine.", "invaded", "historical",
         "ASSAULT"),
    ],
)  # fmt: skip
def test_status_and_plover_code(sentence: str, trigger: str, status: str, code: str) -> None:
    # The record keeps the action as its type; plover_code gives the relation PLOVER codes.
    event = event_for(analyse(sentence), trigger)
    assert event is not None
    assert (event.status, plover_code(event)) == (status, code)


def test_declining_to_say_is_no_refusal() -> None:
    article = analyse("The minister declined to say whether the king would attend the summit.")
    assert [(e.trigger, e.type, e.status) for e in article.events] == [
        ("summit", "CONSULT", "hypothetical")
    ]


def test_a_demand_belongs_to_the_one_who_makes_it() -> None:
    event = event_for(analyse("Macron urged Putin to accept a truce."), "accept")
    assert event is not None
    assert (event.status, plover_code(event)) == ("demanded", "REQUEST")
    assert (event.actors, event.recipients) == (("emmanuel-macron",), ("vladimir-putin",))


def test_capitals_and_pronouns_stand_for_governments() -> None:
    kyiv = event_for(analyse("Ukraine wants peace. Kyiv rejected the Russian plan."), "rejected")
    assert kyiv is not None
    assert kyiv.actors == ("ukraine-government",)
    sold = event_for(analyse("Turkey is ready to host talks. It has sold drones to Ukraine."),
                     "sold")  # fmt: skip
    assert sold is not None
    assert sold.actors == ("turkey-government",)


def test_actor_index_reach_and_kinds() -> None:
    actors = [Actor(key="g", name="G", kind="government", affiliation="Ruritania"),
              Actor(key="p", name="P", kind="person")]  # fmt: skip
    place = Place(text="Ruritania", start=0, end=9, name="Ruritania", kind="country")
    index = ActorIndex(actors, [], [place])
    assert index.within(0, 20) == ["g"]
    assert index.recent(50, frozenset({"government"})) == "g"
    assert index.recent(50, frozenset({"person"})) is None
    assert index.recent(2000, frozenset({"government"})) is None  # beyond a paragraph


def test_date_from_the_sentence_and_history_from_the_window() -> None:
    event = event_for(analyse("The ministers met in Geneva in March 2022."), "met")
    assert event is not None
    assert (event.date, event.granularity, event.date_text) == ("2022-03", "month", "March 2022")
    assert (event.status, event.place) == ("historical", "Geneva")
    recent = event_for(analyse("The ministers met in Geneva in March 2025."), "met")
    assert recent is not None
    assert recent.status == "occurred"


def test_no_publication_date_means_no_history_by_date() -> None:
    article = analyse("The ministers met in Geneva in March 2022.", Published())
    event = event_for(article, "met")
    assert event is not None
    assert event.status == "occurred"
    assert event.date == "2022-03"


def test_speaker_asserts_events_inside_quotes() -> None:
    article = analyse('"Russia attacked our cities," Zelensky said on Monday.')
    event = event_for(article, "attacked")
    assert event is not None
    assert event.asserted_by is not None
    assert event.asserted_by in {a.key for a in article.actors}


def test_government_metonym_is_an_actor() -> None:
    article = analyse("The Kremlin rejected the proposal on Monday.")
    event = event_for(article, "rejected")
    assert event is not None
    assert event.type == "REJECT"
    assert event.actors == ("russia-government",)


def test_merge_same_type_shared_actor_compatible_date() -> None:
    base = Event(
        type="CONSULT", status="declined", start=0, end=10, trigger="attend", trigger_start=0,
        trigger_end=6, actors=("a",), date="2025-05", confidence=0.6,
    )  # fmt: skip
    better = dataclasses.replace(
        base, start=20, end=30, trigger_start=20, trigger_end=26, actors=("a", "b"),
        date="2025-05-15", confidence=0.8,
    )  # fmt: skip
    other_status = dataclasses.replace(base, status="proposed")
    other_date = dataclasses.replace(base, date="2024-01")
    merged = merge_events([base, better, other_status, other_date])
    assert len(merged) == 3
    first = merged[0]
    assert first.start in {0, 20}
    folded = next(e for e in merged if e.mentions == 2)
    assert (folded.start, folded.actors, folded.date) == (20, ("a", "b"), "2025-05-15")


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [("2022-03", "2022-03-01", "2022-03-31"), ("2025-05-15", "2025-05-15", "2025-05-15"),
     ("2025-W19-WE", "2025-05-05", "2025-05-11"), ("2019", "2019-01-01", "2019-12-31")],
)  # fmt: skip
def test_period_of_timex_values(value: str, first: str, last: str) -> None:
    span = period(value)
    assert span is not None
    assert (span[0].isoformat(), span[1].isoformat()) == (first, last)


@pytest.mark.parametrize("value", [None, "P30D", "PRESENT_REF", "XXXX-WXX-1"])
def test_period_of_non_dates_is_none(value: str | None) -> None:
    assert period(value) is None


def test_user_lexicon_adds_triggers_and_cues(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[group]]\ntype = "PROTEST"\nmode = "demo"\ncameo = "141"\nverbs = ["picket"]\n'
        '[[status]]\nname = "proposed"\nframes = ["moot"]\n',
        encoding="utf-8",
    )
    stage = EventStage(lexicon_file=extra)
    article = dataclasses.replace(analyse("Nurses picketed the hospital on Monday."), events=())
    assert not EventStage()(article).events
    picket = stage(article).events
    assert [(e.type, e.trigger) for e in picket] == [("PROTEST", "picketed")]
    assert load_lexicon(extra).verbs["picket"][0][1].cameo == "141"


def test_bad_lexicon_and_unknown_extractor_are_config_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[group]]\ntype = "HUG"\nverbs = ["hug"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="HUG"):
        EventStage(lexicon_file=bad)
    with pytest.raises(ConfigError, match=r"unknown events extractor 'hug'.*'llm', 'rules'"):
        EventStage(extractor="hug")


LLM_ENV = ("NEWSDESK_LLM_BASE_URL", "NEWSDESK_LLM_MODEL", "NEWSDESK_LLM_API_KEY")


def test_llm_extractor_without_configuration_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)
    assert "llm" in EXTRACTORS
    with pytest.raises(ConfigError, match="NEWSDESK_LLM_BASE_URL and NEWSDESK_LLM_MODEL"):
        EventStage(extractor="llm")


def test_llm_extractor_is_built_from_the_environment_and_shared(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from newsdesk.stages.events_llm import LlmEventExtractor, LlmSettings, shared_extractor

    monkeypatch.setenv("NEWSDESK_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("NEWSDESK_LLM_MODEL", "tiny")
    monkeypatch.setenv("NEWSDESK_LLM_CACHE_DIR", str(tmp_path))
    seen: list[LlmEventExtractor] = []
    marker = Event(type="AID", status="occurred", start=0, end=1, trigger="x", trigger_start=0,
                   trigger_end=1, extractor="llm")  # fmt: skip

    def fake(self: LlmEventExtractor, article: Article) -> tuple[Event, ...]:
        seen.append(self)
        return (marker,)

    monkeypatch.setattr(LlmEventExtractor, "extract", fake)
    first, second = EventStage(extractor="llm"), EventStage(extractor="llm")
    article = Article(url="u", text="Nothing happens here.")
    assert first(article).events == (marker,)
    assert second(article).events == (marker,)
    # one extractor, and so one rate limit, for every stage with the same settings
    assert seen == [shared_extractor(LlmSettings.from_env())] * 2
    assert seen[0].settings.cache_path == tmp_path


def test_rules_path_does_not_import_the_llm_client() -> None:
    code = (
        "import sys\n"
        "from newsdesk.stages.events import EventStage\n"
        "EventStage()\n"
        "print('newsdesk.stages.events_llm' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_registry_routes_to_the_named_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    marker = Event(type="AID", status="occurred", start=0, end=1, trigger="x", trigger_start=0,
                   trigger_end=1, extractor="fake")  # fmt: skip
    monkeypatch.setitem(EXTRACTORS, "fake", lambda article: (marker,))
    article = Article(url="u", text="Nothing happens here.")
    assert EventStage(extractor="fake")(article).events == (marker,)
    assert EXTRACTORS["rules"] is extract_events


def test_empty_text_has_no_events() -> None:
    assert EventStage()(Article(url="u", text="")).events == ()


def test_stage_is_registered_and_declares_its_fields() -> None:
    pipeline = Pipeline.from_config(
        ["extract", "language", "entities", "actors", "quotes", "times", "places", "events"]
    )
    assert pipeline.stamps[-1].startswith("events@")
    assert EventStage.provides == frozenset({"events"})
