"""The times stage: time expressions found, normalised TIMEX3-style and anchored on the
publication day; relative ones left unresolved when there is no publication date."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.model import Article, DateSource, Published, TimeExpression
from newsdesk.stages.times import TimeStage, anchor_day, find_times

THURSDAY = date(2025, 5, 15)  # the seed page's publication day


def published(day: date | None) -> Published:
    if day is None:
        return Published()
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return Published(value=moment, source=DateSource.META, confidence=1.0, date_only=True)


def times(text: str, day: date | None = THURSDAY) -> dict[str, TimeExpression]:
    """The expressions of ``text`` by their text, through the stage as the pipeline runs it."""
    article = TimeStage()(Article(url="u", text=text, published=published(day)))
    return {t.text: t for t in article.times}


def only(text: str, day: date | None = THURSDAY) -> TimeExpression:
    found = list(times(text, day).values())
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------------- the seed page


def test_seed_page(seed: Path) -> None:
    text = seed.read_text("utf-8")
    found = times(text)
    for t in found.values():
        assert text[t.start : t.end] == t.text
    thursday = found["Thursday"]
    assert (thursday.type, thursday.value, thursday.anchored) == ("DATE", "2025-05-15", True)
    late = found["late Wednesday"]
    assert (late.value, late.modifier, late.granularity) == ("2025-05-14", "END", "day")
    weekend = found["the weekend"]  # "over the weekend": the preposition stays out
    assert (weekend.value, weekend.granularity) == ("2025-W19-WE", "weekend")
    assert text[weekend.start - 5 : weekend.end] == "over the weekend"
    assert (found["March 2022"].value, found["March 2022"].anchored) == ("2022-03", False)
    assert (found["30-day"].type, found["30-day"].value) == ("DURATION", "P30D")
    assert (found["nightly"].type, found["nightly"].value) == ("SET", "XXXX-XX-XXTNI")
    assert found["2020"].value == "2020"  # "Economic Forecast For 2020" in the related block


def test_seed_page_without_a_publication_date(seed: Path) -> None:
    found = times(seed.read_text("utf-8"), None)
    assert found["Thursday"].value is None
    assert found["Thursday"].anchored
    assert found["the weekend"].value is None
    assert found["March 2022"].value == "2022-03"
    assert found["30-day"].value == "P30D"


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expression", "value", "granularity"),
    [
        ("Talks opened on 15 May 2025.", "15 May 2025", "2025-05-15", "day"),
        ("Talks opened on the 15th of May.", "the 15th of May", "2025-05-15", "day"),
        ("Talks opened on May 15, 2025.", "May 15, 2025", "2025-05-15", "day"),
        ("Talks opened on Thursday, May 15.", "Thursday, May 15", "2025-05-15", "day"),
        ("Filed 2025-05-15 by the court.", "2025-05-15", "2025-05-15", "day"),
        ("Signed on 5/14/2025 in Kyiv.", "5/14/2025", "2025-05-14", "day"),
        ("An attempt in March 2022 failed.", "March 2022", "2022-03", "month"),
        ("A record set in 2020 stands.", "2020", "2020", "year"),
        ("Exports grew in the 1990s.", "the 1990s", "199", "decade"),
        ("Exports grew in the mid-1990s.", "the mid-1990s", "199", "decade"),
        ("The worst war of the 20th century.", "the 20th century", "19", "century"),
        ("Profit fell in the third quarter of 2024.", "the third quarter of 2024", "2024-Q3",
         "quarter"),
        ("Sales rose in the first half of 2024.", "the first half of 2024", "2024-H1", "half"),
        ("Shops close on Christmas Day 2024.", "Christmas Day 2024", "2024-12-25", "day"),
    ],
)  # fmt: skip
def test_written_dates(text: str, expression: str, value: str, granularity: str) -> None:
    found = times(text)[expression]
    assert (found.type, found.value, found.granularity) == ("DATE", value, granularity)


def test_a_date_without_its_year_takes_the_anchors() -> None:
    assert times("The deadline passed on May 2.")["May 2"].value == "2025-05-02"
    assert times("The summit opens on June 3.")["June 3"].value == "2025-06-03"
    assert times("He left on Dec. 20.", date(2025, 1, 6))["Dec. 20"].value == "2024-12-20"
    assert times("It was agreed in January.")["January"].value == "2025-01"
    assert times("It will be signed in January.")["January"].value == "2026-01"


def test_impossible_dates_are_not_dates() -> None:
    assert "30 February 2025" not in times("Due on 30 February 2025 or later.")
    assert "Feb. 30" not in times("Due Feb. 30.")
    assert "April 31" not in times("Due April 31.")


def test_a_lone_may_or_march_needs_a_date_context() -> None:
    assert "May" not in times("Officials said talks May resume.")
    assert times("Talks resumed in May.")["May"].value == "2025-05"
    assert "March" not in times("Thousands March on the capital.")


# ------------------------------------------------------------------------- weekdays


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        # past tense looks back (the anchor's own day included), future tense ahead
        ("Talks dimmed on Thursday as both sides stayed away.", "Thursday", "2025-05-15"),
        ("Delegates arrived on Friday.", "Friday", "2025-05-09"),
        ("Delegates will arrive on Friday.", "Friday", "2025-05-16"),
        ("Delegates are expected to arrive on Monday.", "Monday", "2025-05-19"),
        ("The team planned to leave on Saturday.", "Saturday", "2025-05-17"),
        ("Kyiv has said on Tuesday it would not attend.", "Tuesday", "2025-05-13"),
        ("The vote went ahead on Wednesday.", "Wednesday", "2025-05-14"),
        # "last" and "next" skip the anchor's own day
        ("He spoke last Thursday.", "last Thursday", "2025-05-08"),
        ("He spoke last Tuesday.", "last Tuesday", "2025-05-13"),
        ("They meet next Monday.", "next Monday", "2025-05-19"),
        ("They meet next Thursday.", "next Thursday", "2025-05-22"),
        # "since" points back even next to a future verb
        ("Fighting will not stop, as it has not since Monday.", "Monday", "2025-05-12"),
        # "until" names a deadline, even in a past-tense sentence
        ("We have given them until Monday, an official said.", "Monday", "2025-05-19"),
    ],
)
def test_weekdays_follow_the_tense(text: str, expression: str, value: str) -> None:
    found = times(text)[expression]
    assert (found.type, found.value, found.granularity, found.anchored) == (
        "DATE",
        value,
        "day",
        True,
    )


def test_parts_of_days() -> None:
    night = times("Drones struck Kyiv on Wednesday night.")["Wednesday night"]
    assert (night.type, night.value, night.granularity) == ("TIME", "2025-05-14TNI", "part-of-day")
    late = times("The Kremlin confirmed late Wednesday that it would attend.")["late Wednesday"]
    assert (late.type, late.value, late.modifier) == ("DATE", "2025-05-14", "END")
    early = times("Sirens sounded early Tuesday.")["early Tuesday"]
    assert (early.value, early.modifier) == ("2025-05-13", "START")
    assert times("The talks resume this morning.")["this morning"].value == "2025-05-15TMO"
    assert times("Shelling went on last night.")["last night"].value == "2025-05-14TNI"


@pytest.mark.parametrize(
    ("text", "value", "type_"),
    [
        ("The talks begin today.", "2025-05-15", "DATE"),
        ("The talks began yesterday.", "2025-05-14", "DATE"),
        ("The talks begin tomorrow.", "2025-05-16", "DATE"),
        ("The talks begin tonight.", "2025-05-15TNI", "TIME"),
        ("The talks began yesterday morning.", "2025-05-14TMO", "TIME"),
    ],
)
def test_today_yesterday_tomorrow_tonight(text: str, value: str, type_: str) -> None:
    found = only(text)
    assert (found.value, found.type, found.anchored) == (value, type_, True)


# ----------------------------------------------------------------- weeks, months, years


@pytest.mark.parametrize(
    ("text", "day", "value", "modifier"),
    [
        ("Putin proposed talks over the weekend.", THURSDAY, "2025-W19-WE", None),
        ("Putin proposed talks over the weekend.", date(2025, 5, 18), "2025-W20-WE", None),
        ("Putin proposed talks over the weekend.", date(2025, 5, 19), "2025-W20-WE", None),
        ("Talks will resume over the weekend.", THURSDAY, "2025-W20-WE", None),
        ("Talks resume this weekend.", THURSDAY, "2025-W20-WE", None),
        ("Talks resumed last weekend.", THURSDAY, "2025-W19-WE", None),
        ("Talks resume this week.", THURSDAY, "2025-W20", None),
        ("Talks resumed last week.", THURSDAY, "2025-W19", None),
        ("Talks resume next week.", THURSDAY, "2025-W21", None),
        ("Talks resume this week.", date(2021, 1, 1), "2020-W53", None),
        ("Talks resumed earlier this month.", THURSDAY, "2025-05", "START"),
        ("Talks resume later this month.", THURSDAY, "2025-05", "END"),
        ("Talks resumed last month.", THURSDAY, "2025-04", None),
        ("Talks resumed last month.", date(2025, 1, 9), "2024-12", None),
        ("Talks resume next month.", THURSDAY, "2025-06", None),
        ("Talks resumed this year.", THURSDAY, "2025", None),
        ("Talks resumed earlier this year.", THURSDAY, "2025", "START"),
        ("Talks failed last year.", THURSDAY, "2024", None),
        ("Talks resume early next year.", THURSDAY, "2026", "START"),
        ("Talks resumed last summer.", THURSDAY, "2024-SU", None),
        ("Talks resume this summer.", THURSDAY, "2025-SU", None),
        ("Talks resumed last April.", THURSDAY, "2025-04", None),
        ("Talks resumed last June.", THURSDAY, "2024-06", None),
        ("Talks failed three years ago.", THURSDAY, "2022", None),
        ("Talks failed two weeks ago.", THURSDAY, "2025-W18", None),
        ("Talks failed three days ago.", THURSDAY, "2025-05-12", None),
        ("Talks failed about two years ago.", THURSDAY, "2023", "APPROX"),
        ("Talks failed more than three years ago.", THURSDAY, "2022", "BEFORE"),
    ],
)
def test_periods_relative_to_the_anchor(
    text: str, day: date, value: str, modifier: str | None
) -> None:
    found = only(text, day)
    assert (found.type, found.value, found.modifier, found.anchored) == (
        "DATE",
        value,
        modifier,
        True,
    )


def test_vague_references() -> None:
    assert only("A deal is expected in the coming days.").value == "FUTURE_REF"
    assert only("Kyiv now firmly rejects the terms.").value == "PRESENT_REF"
    assert only("Officials recently hinted at sanctions.").value == "PAST_REF"
    assert only("Officials hinted at sanctions years ago.").value == "PAST_REF"


def test_expressions_read_against_the_last_one_mentioned() -> None:
    november = date(2025, 11, 1)
    text = "Profit rose in the third quarter. Net was $5 million a year ago, against $4 million."
    found = times(text, november)
    assert found["the third quarter"].value == "2025-Q3"
    assert found["a year ago"].value == "2024-Q3"  # the year-ago quarter, not just 2024
    text = "Sales rose in the third quarter from a year earlier, and rose a year earlier too."
    assert [t.value for t in times(text, november).values()] == ["2025-Q3", "2024-Q3"]
    text = (
        "The talks began on March 3, 2019. Two days later they broke down. That year ended badly."
    )
    found = times(text, None)
    assert (found["Two days later"].value, found["Two days later"].anchored) == (
        "2019-03-05",
        False,
    )
    assert (found["That year"].value, found["That year"].anchored) == ("2019", False)


# ------------------------------------------------------------------ durations and sets


@pytest.mark.parametrize(
    ("text", "expression", "value", "modifier"),
    [
        ("Trump backs a possible 30-day ceasefire.", "30-day", "P30D", None),
        ("The meeting lasted two hours.", "two hours", "PT2H", None),
        ("The war has lasted more than three years.", "more than three years", "P3Y", "MORE_THAN"),
        ("Talks went on for at least 72 hours.", "at least 72 hours", "PT72H", "EQUAL_OR_MORE"),
        ("The siege lasted two and a half years.", "two and a half years", "P2Y6M", None),
        ("The flight took 5 1/2 hours.", "5 1/2 hours", "PT5H30M", None),
        ("They waited half an hour.", "half an hour", "PT30M", None),
        ("The truce held for several weeks.", "several weeks", "PXW", None),
        ("Output fell over the past two months.", "the past two months", "P2M", None),
        ("Peace was elusive for two decades.", "two decades", "P20Y", None),
        ("Prices rose for a week or so.", "a week or so", "P1W", "APPROX"),
    ],
)
def test_durations(text: str, expression: str, value: str, modifier: str | None) -> None:
    found = times(text)[expression]
    assert (found.type, found.value, found.modifier, found.anchored) == (
        "DURATION",
        value,
        modifier,
        False,
    )


def test_ages_and_fractions_are_not_durations() -> None:
    assert times("A 46-year-old soldier was hurt.") == {}
    assert times("He won a second term.") == {}
    assert times("About three-quarters of the vote was counted.") == {}


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        ("He spoke during his nightly address.", "nightly", "XXXX-XX-XXTNI"),
        ("The bulletin is published weekly.", "weekly", "P1W"),
        ("Rates are reviewed annually.", "annually", "P1Y"),
        ("Patrols run every weekday.", "every weekday", "XXXX-WXX-1..5"),
        ("Markets open every Monday.", "every Monday", "XXXX-WXX-1"),
        ("Buses leave every two hours.", "every two hours", "PT2H"),
        ("The cabinet meets on Fridays.", "Fridays", "XXXX-WXX-5"),
        ("The board meets twice a year.", "twice a year", "P1Y"),
        ("The plant costs $5 million a year to run.", "a year", "P1Y"),
    ],
)
def test_sets(text: str, expression: str, value: str) -> None:
    found = times(text)[expression]
    assert (found.type, found.value) == ("SET", value)


# -------------------------------------------------------------------------- clock times


def test_clock_times_take_the_day_their_sentence_names() -> None:
    found = times("The Kremlin confirmed late Wednesday, at 21:40, that talks start at 9:40 pm.")
    assert (found["21:40"].type, found["21:40"].value) == ("TIME", "2025-05-14T21:40")
    assert found["9:40 pm"].value == "2025-05-14T21:40"
    assert only("Talks start at 9 a.m. GMT.").value == "2025-05-15T09:00"
    assert only("Polls close at 8 p.m. Sunday.").value == "2025-05-11T20:00"
    assert only("Polls will close at 8 p.m. Sunday.").value == "2025-05-18T20:00"
    assert only("The deadline is noon.").value == "2025-05-15T12:00"


def test_clock_times_need_a_day() -> None:
    found = only("Talks start at 9:40 pm.", None)
    assert (found.type, found.value, found.anchored) == ("TIME", None, True)
    assert times("Kyiv won 3.45 to 2.10 on points.") == {}
    assert "25:99" not in times("The score was 25:99.")


# ---------------------------------------------------------------------------- the stage


def test_the_stage_declares_what_it_reads_and_writes() -> None:
    assert TimeStage.name == "times"
    assert TimeStage.version == 1
    assert TimeStage.requires == frozenset({"text", "published"})
    assert TimeStage.provides == frozenset({"times"})
    article = Article(url="u", text="Talks began on Thursday.", published=published(THURSDAY))
    result = TimeStage()(article)
    assert result.text == article.text
    assert result.times == (
        TimeExpression(
            text="Thursday",
            start=15,
            end=23,
            type="DATE",
            value="2025-05-15",
            granularity="day",
            anchored=True,
            confidence=0.9,
        ),
    )
    low = TimeStage(min_confidence=0.95)(article)
    assert low.times == ()


def test_the_anchor_is_the_utc_calendar_day() -> None:
    late_evening = datetime(2025, 5, 15, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert anchor_day(Published(value=late_evening)) == date(2025, 5, 16)
    assert anchor_day(Published()) is None


# ---------------------------------------------------------------------- property tests

_FRAGMENTS = [
    "Thursday", "last Friday", "next Sunday night", "late Wednesday", "over the weekend",
    "this week", "last week", "next week", "earlier this month", "next month", "last year",
    "15 May 2025", "May 15", "Feb 29", "Feb. 29, 2023", "30 February", "31 April 2024",
    "29 February 2024", "December 31", "January 1", "March 2022", "the 1990s", "the '00s",
    "in 2099", "the 21st century", "the 99th century", "1/1/00", "13/13/2020", "31/4/2021",
    "2/29/2023", "9999-12-31", "0000-00-00", "2025-13-45", "21:40", "9:40 pm", "25:99",
    "12:60 pm", "midnight", "noon Saturday", "three years ago", "9999 years ago",
    "3000 centuries ago", "99999 days ago", "a year earlier", "two weeks later", "that week",
    "the following month", "the third quarter", "Q4", "the first half", "summer", "last winter",
    "next fall", "this spring", "Christmas", "Easter", "Thanksgiving", "Good Friday",
    "30-day", "two and a half years", "every weekday", "nightly", "twice a week", "$5 a year",
    "the year-earlier quarter", "the 1988 period", "year-end", "the coming days", "now",
]  # fmt: skip
_texts = st.lists(
    st.one_of(
        st.sampled_from(_FRAGMENTS),
        st.text(max_size=12),
        st.integers(min_value=0, max_value=10**6).map(lambda n: f"{n} days ago"),
        st.integers(min_value=0, max_value=10**5).map(lambda n: f"{n} years ago"),
    ),
    max_size=12,
).map(" ".join)
_anchors = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 12, 30)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _check_day(value: str) -> None:
    found = _DAY.fullmatch(value[:10])
    assert found, value
    date(int(found[1]), int(found[2]), int(found[3]))  # raises on month 13, day 32, Feb 30


def check_value(expression: TimeExpression) -> None:
    """Parse a produced value back, so an impossible date fails the test."""
    value = expression.value
    if value is None:
        return
    if expression.type == "DATE":
        if value in ("PRESENT_REF", "PAST_REF", "FUTURE_REF") or re.fullmatch(r"\d{2,4}", value):
            return
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            _check_day(value)
        elif week := re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value):
            date.fromisocalendar(int(week[1]), int(week[2]), 1)
        elif month := re.fullmatch(r"(\d{4})-(\d{2})", value):
            date(int(month[1]), int(month[2]), 1)
        else:
            assert re.fullmatch(r"\d{4}-(Q[1-4]|H[12]|SP|SU|FA|WI)", value), value
    elif expression.type == "TIME":
        _check_day(value)
        clock = value[10:]
        if clock not in ("TMO", "TAF", "TEV", "TNI", "TMI", "TDT"):
            hour, minute = re.fullmatch(r"T(\d{2}):(\d{2})", clock).groups()  # type: ignore[union-attr]
            assert 0 <= int(minute) < 60
            assert int(hour) < 24 or clock == "T24:00"
    elif expression.type == "DURATION":
        assert re.fullmatch(r"P(T?[\dX.]+[A-Z]+)+", value), value
    else:
        assert expression.type == "SET"
        assert value.startswith(("P", "XXXX")), value


@settings(max_examples=300, deadline=None)
@given(text=_texts, moment=_anchors)
def test_any_text_on_any_anchor_gives_valid_spans_and_values(text: str, moment: datetime) -> None:
    found = find_times(text, anchor_day(Published(value=moment)))
    for expression in found:
        assert text[expression.start : expression.end] == expression.text
        assert expression.type in ("DATE", "TIME", "DURATION", "SET")
        check_value(expression)
    assert [t.start for t in found] == sorted(t.start for t in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@settings(max_examples=100, deadline=None)
@given(text=_texts)
def test_without_an_anchor_relative_values_stay_unresolved(text: str) -> None:
    for expression in find_times(text, None):
        if expression.anchored:
            assert expression.value is None or not re.match(r"\d{4}", expression.value)


@pytest.mark.parametrize(
    "day", [date(1, 1, 1), date(2, 1, 1), date(9998, 12, 31), date(9999, 12, 31)]
)
def test_the_ends_of_the_calendar_do_not_break_it(day: date) -> None:
    text = ". ".join(
        [*_FRAGMENTS, "9999-12-31 and the following Friday", "0001-01-01, a week earlier"]
    )
    for expression in find_times(text, day):
        check_value(expression)
