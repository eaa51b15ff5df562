"""The quotes stage: quotation marks, direct and reported speech, speakers and their actors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import ConfigError
from newsdesk.model import Actor, Article, Mention, Quote
from newsdesk.stages.extract.plaintext import parse_scrape
from newsdesk.stages.quotes import QuoteStage
from newsdesk.stages.quotes.lexicon import bundled_lexicon, load_lexicon
from newsdesk.stages.quotes.marks import find_quoted

STAGE = QuoteStage()
PEOPLE = {
    "volodymyr-zelenskyy": ("Volodymyr Zelenskyy", "person"),
    "vladimir-putin": ("Vladimir Putin", "person"),
    "andrii-sybiha": ("Andrii Sybiha", "person"),
    "marco-rubio": ("Marco Rubio", "person"),
    "dmitry-peskov": ("Dmitry Peskov", "person"),
    "kremlin": ("Kremlin", "government"),
}


def article(text: str, names: dict[str, str] | None = None) -> Article:
    """An article whose mentions are every occurrence of each name in ``names`` (text -> key)."""
    mentions = []
    for name, key in (names or {}).items():
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            mentions.append(Mention(actor=key, text=name, start=start, end=end))
            start = text.find(name, end)
    keys = {m.actor for m in mentions}
    actors = tuple(Actor(key=k, name=PEOPLE[k][0], kind=PEOPLE[k][1]) for k in sorted(keys))
    ordered = tuple(sorted(mentions, key=lambda m: m.start))
    return Article(url="u", text=text, actors=actors, mentions=ordered)


def quotes(text: str, names: dict[str, str] | None = None, **options: object) -> list[Quote]:
    stage = QuoteStage(**options) if options else STAGE  # type: ignore[arg-type]
    found = stage(article(text, names)).quotes
    assert_spans_index(text, found)
    return list(found)


def assert_spans_index(text: str, found: tuple[Quote, ...] | list[Quote]) -> None:
    for q in found:
        assert text[q.start : q.end] == q.content
        assert q.content.strip() == q.content
        assert q.content
        if q.speaker is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker  # type: ignore[misc]
        if q.cue_start is not None:
            assert q.cue_end is not None
            assert q.cue_start < q.cue_end
        assert q.kind in {"direct", "reported"}
        assert 0.0 < q.confidence <= 1.0


def one(found: list[Quote], containing: str) -> Quote:
    matches = [q for q in found if containing in q.content]
    assert len(matches) == 1, [q.content for q in found]
    return matches[0]


# ------------------------------------------------------------------------------ the seed page


@pytest.fixture(scope="module")
def seed_quotes(request: pytest.FixtureRequest) -> tuple[str, list[Quote]]:
    seed: Path = request.getfixturevalue("seed")
    text = parse_scrape(seed.read_text(encoding="utf-8")).text
    names = {
        "Volodymyr Zelenskiy": "volodymyr-zelenskyy",
        "Zelenskiy stated": "volodymyr-zelenskyy",
        "Putin": "vladimir-putin",
        "Andrii Sybiha": "andrii-sybiha",
        "Rubio": "marco-rubio",
        "Kremlin": "kremlin",
    }
    art = article(text, names)
    # Mentions name only the person, as the actors stage writes them.
    fixed = tuple(
        dataclasses.replace(m, text="Zelenskiy", end=m.start + len("Zelenskiy"))
        if m.text == "Zelenskiy stated"
        else m
        for m in art.mentions
    )
    found = STAGE(dataclasses.replace(art, mentions=fixed)).quotes
    assert_spans_index(text, found)
    return text, list(found)


def test_seed_direct_quote_is_zelenskiys_through_he(seed_quotes: tuple[str, list[Quote]]) -> None:
    _, found = seed_quotes
    q = one(found, "The answers to all questions about this war… are in Moscow")
    assert (q.kind, q.cue, q.speaker) == ("direct", "say", "he")
    assert q.speaker_actor == "volodymyr-zelenskyy"  # not Putin, mentioned in between


def test_seed_reported_speech(seed_quotes: tuple[str, list[Quote]]) -> None:
    text, found = seed_quotes
    stated = one(found, "he would only participate in direct negotiations if Putin were")
    assert (stated.kind, stated.cue, stated.speaker) == ("reported", "state", "Zelenskiy")
    assert stated.speaker_actor == "volodymyr-zelenskyy"
    assert text[stated.cue_start : stated.cue_end] == "stated"  # type: ignore[misc]

    sybiha = one(found, "early coordination with Rubio focused on")
    assert (sybiha.kind, sybiha.cue) == ("reported", "according to")
    assert sybiha.speaker == "Ukrainian Foreign Minister Andrii Sybiha"
    assert sybiha.speaker_actor == "andrii-sybiha"

    kremlin = one(found, "the Russian delegation would be led by presidential adviser")
    assert (kremlin.kind, kremlin.cue, kremlin.speaker) == ("reported", "confirm", "the Kremlin")
    assert kremlin.speaker_actor == "kremlin"
    assert not kremlin.content.startswith("that")

    sources = one(found, "the agenda might also include proposals")
    assert (sources.kind, sources.speaker, sources.cue) == ("reported", "Kremlin sources", "say")


def test_seed_partial_quote_and_no_quote_from_the_related_block(
    seed_quotes: tuple[str, list[Quote]],
) -> None:
    _, found = seed_quotes
    partial = one(found, "without preconditions")
    assert (partial.kind, partial.speaker_actor) == ("direct", "vladimir-putin")
    assert not [q for q in found if "Fitness" in q.content or "Taiwan" in q.content]


# --------------------------------------------------------------------------- direct quotes


def test_quote_split_by_its_cue_gives_two_quotes_with_one_speaker() -> None:
    text = "“The talks,” Peskov said on Friday, “will resume on Monday in the palace.”"
    found = quotes(text, {"Peskov": "dmitry-peskov"})
    assert [q.content for q in found] == ["The talks", "will resume on Monday in the palace."]
    assert {(q.kind, q.cue, q.cue_start, q.speaker_actor) for q in found} == {
        ("direct", "say", text.index("said"), "dmitry-peskov")
    }


def test_partial_quote_inside_a_sentence() -> None:
    text = "Peskov dismissed the offer on Friday and called it a “theatrical gesture” by Kyiv."
    q = one(quotes(text, {"Peskov": "dmitry-peskov"}), "theatrical gesture")
    assert (q.kind, q.content, q.cue, q.speaker) == (
        "direct",
        "theatrical gesture",
        "call",
        "Peskov",
    )


def test_scare_quotes_and_titles_are_not_speech() -> None:
    text = "The so-called “peace plan” was printed in “Pravda” on Monday morning."
    assert quotes(text) == []


def test_quote_running_over_two_paragraphs_is_one_quote() -> None:
    text = (
        "The minister spoke for an hour.\n"
        "“We came here to talk, not to posture for the cameras.\n"
        "“We will stay as long as it takes,” the minister said."
    )
    (q,) = quotes(text)
    assert q.content.startswith("We came here to talk")
    assert q.content.endswith("as it takes")
    assert "\n" in q.content
    assert q.speaker == "the minister"


def test_quoted_sentence_after_an_attributed_one_continues_it() -> None:
    text = (
        "“We are ready to meet,” Sybiha told reporters in Antalya. "
        "“The only question is whether Moscow is ready too.”"
    )
    first, second = quotes(text, {"Sybiha": "andrii-sybiha"})
    assert second.content.startswith("The only question")
    assert (second.speaker_actor, second.cue_start) == ("andrii-sybiha", first.cue_start)
    assert second.confidence < first.confidence


def test_single_quotes_and_apostrophes() -> None:
    text = "Russia’s envoy said the plan was ‘a dead end for everyone’ and didn't elaborate."
    q = one([q for q in quotes(text) if q.kind == "direct"], "dead end")
    assert (q.kind, q.content) == ("direct", "a dead end for everyone")
    assert find_quoted("Ukraine’s and Russia’s teams met at the Ciragan's gate.") == []
    (q,) = find_quoted("In the ’90s he said ‘never’ and the Ukrainians’ view held.")
    assert (q.start, q.end, q.single) == (21, 26, True)


def test_unattributed_quotes_are_kept_only_on_request() -> None:
    text = "“Nobody here believes the war will end this year.”"
    assert quotes(text) == []
    (q,) = quotes(text, keep_unattributed=True)
    assert (q.speaker, q.cue, q.confidence) == (None, None, 0.4)


# -------------------------------------------------------------------------- reported speech


def test_said_that_and_addressees() -> None:
    text = (
        "Sybiha told Rubio that Kyiv would accept a ceasefire. Peskov told reporters it was early."
    )
    names = {"Sybiha": "andrii-sybiha", "Rubio": "marco-rubio", "Peskov": "dmitry-peskov"}
    found = quotes(text, names)
    told = one(found, "Kyiv would accept a ceasefire")
    assert (told.kind, told.cue, told.speaker_actor) == ("reported", "tell", "andrii-sybiha")
    assert told.addressee_actor == "marco-rubio"
    early = one(found, "it was early")
    assert (early.speaker_actor, early.addressee_actor) == ("dmitry-peskov", None)


def test_parenthetical_cue_and_according_to_at_the_end() -> None:
    text = (
        "The delegations will meet again on Monday, Peskov said. "
        "The prisoners were exchanged at the border, according to the Kremlin."
    )
    found = quotes(text, {"Peskov": "dmitry-peskov", "Kremlin": "kremlin"})
    assert one(found, "The delegations will meet again on Monday").speaker_actor == "dmitry-peskov"
    q = one(found, "The prisoners were exchanged at the border")
    assert (q.cue, q.speaker, q.speaker_actor) == ("according to", "the Kremlin", "kremlin")


def test_negated_and_withheld_speech_is_not_a_quote() -> None:
    text = "Putin did not say who would lead the team. Peskov declined to say whether he would go."
    assert quotes(text, {"Putin": "vladimir-putin", "Peskov": "dmitry-peskov"}) == []


def test_nested_report_belongs_to_the_outer_speaker() -> None:
    text = "Peskov said Putin told Erdogan that the talks could start on Thursday."
    (q,) = quotes(text, {"Peskov": "dmitry-peskov", "Putin": "vladimir-putin"})
    assert q.speaker_actor == "dmitry-peskov"
    assert q.content.startswith("Putin told")


def test_dateline_is_not_the_speaker() -> None:
    text = "KYIV (Reuters) — Foreign Minister Andrii Sybiha said on Friday that talks must wait."
    (q,) = quotes(text, {"Andrii Sybiha": "andrii-sybiha"})
    assert q.speaker == "Foreign Minister Andrii Sybiha"
    assert q.speaker_actor == "andrii-sybiha"


# -------------------------------------------------------------------- speakers and actors


def test_pronoun_without_mention_goes_to_the_last_speaker_in_reach() -> None:
    text = (
        "Zelenskyy stated he would go only if Putin came.\n“We have waited long enough,” he said."
    )
    names = {"Zelenskyy": "volodymyr-zelenskyy", "Putin": "vladimir-putin"}
    q = one(quotes(text, names), "We have waited long enough")
    assert (q.speaker, q.speaker_actor) == ("he", "volodymyr-zelenskyy")


def test_pronoun_goes_to_a_main_clause_subject_before_a_nearer_name() -> None:
    text = "Sybiha met Rubio in Antalya after Putin left. “It was useful,” she said."
    names = {"Sybiha": "andrii-sybiha", "Rubio": "marco-rubio", "Putin": "vladimir-putin"}
    assert one(quotes(text, names), "It was useful").speaker_actor == "andrii-sybiha"


def test_pronoun_out_of_reach_or_plural_stays_unresolved() -> None:
    text = "Putin spoke.\nThe weather was cold.\nThe sea was grey.\n“It is over,” he said."
    assert one(quotes(text, {"Putin": "vladimir-putin"}), "It is over").speaker_actor is None
    text = "Sybiha and Rubio met. “We agree on the plan,” they said."
    names = {"Sybiha": "andrii-sybiha", "Rubio": "marco-rubio"}
    assert one(quotes(text, names), "We agree").speaker_actor is None


def test_a_pronoun_mention_from_the_actors_stage_wins() -> None:
    text = "Putin met Zelenskyy. “It was useful,” he said."
    art = article(text, {"Putin": "vladimir-putin", "Zelenskyy": "volodymyr-zelenskyy"})
    he = text.index("he said")
    pronoun = Mention(actor="volodymyr-zelenskyy", text="he", start=he, end=he + 2, kind="pronoun")
    art = dataclasses.replace(art, mentions=(*art.mentions, pronoun))
    (q,) = STAGE(art).quotes
    assert q.speaker_actor == "volodymyr-zelenskyy"


def test_relative_pronoun_speaker_resolves_to_its_antecedent() -> None:
    text = "Peskov, who told reporters that the list was final, left for Istanbul on Thursday."
    (q,) = quotes(text, {"Peskov": "dmitry-peskov"})
    assert (q.speaker, q.speaker_actor, q.content) == ("who", "dmitry-peskov", "the list was final")


# ----------------------------------------------------------------------------- the lexicon


def test_cue_lexicon_extends_from_options_and_files(tmp_path: Path) -> None:
    text = "Peskov grumbled that the hotel was too far from the palace."
    assert quotes(text) == []
    assert one(quotes(text, extra_cues=["grumble"]), "the hotel").cue == "grumble"
    cue_file = tmp_path / "cues.txt"
    cue_file.write_text("# mine\n[verbs]\ngrumble\n[phrases]\nin the words of\n", "utf-8")
    found = quotes(text + " Talks will go on, in the words of Sybiha.", cue_file=cue_file)
    assert {q.cue for q in found} == {"grumble", "in the words of"}


def test_bad_cue_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown section"):
        load_lexicon(extra=["[nouns]"])
    with pytest.raises(ConfigError, match="cannot read"):
        load_lexicon(tmp_path / "missing.txt")
    lexicon = bundled_lexicon()
    assert {"say", "tell", "according to"} <= set(lexicon.verbs) | {
        " ".join(p) for p in lexicon.phrases
    }
    assert "addressee" in lexicon.verbs["tell"]


# ------------------------------------------------------------------------------- the stage


def test_stage_declares_itself_and_changes_only_quotes() -> None:
    assert (QuoteStage.name, QuoteStage.version) == ("quotes", 1)
    assert QuoteStage.requires == {"text", "actors", "mentions"}
    assert QuoteStage.provides == {"quotes"}
    before = article("“We are ready,” Peskov said.", {"Peskov": "dmitry-peskov"})
    after = STAGE(before)
    assert dataclasses.replace(after, quotes=()) == before
    assert len(after.quotes) == 1
    assert STAGE(Article(url="u", text="  ")).quotes == ()


# --------------------------------------------------------------------------------- properties

PIECES = [
    "“We will not give up,” he said.",
    "Peskov told reporters that the talks ",
    "‘a dead end’ ",
    "Russia’s ",
    '"Enough" ',
    "according to Sybiha, ",
    "“It is over.\n",
    "“",
    "”",
    "'",
    "\n",
    "she added",
    ", ",
    ". ",
    "whatever happens ",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_every_span_indexes_into_the_text(parts: list[str]) -> None:
    text = "".join(parts)
    names = {"Peskov": "dmitry-peskov", "Sybiha": "andrii-sybiha"}
    found = quotes(text, names, keep_unattributed=True)
    assert [q.start for q in found] == sorted(q.start for q in found)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .,:\n“”‘’\"'«»", max_size=60))
def test_quoted_spans_lie_inside_their_marks(text: str) -> None:
    for q in find_quoted(text):
        assert 0 <= q.outer_start < q.start <= q.end <= q.outer_end <= len(text)
        assert text[q.start : q.end].strip() == text[q.start : q.end]
