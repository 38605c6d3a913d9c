"""One test per rule of the temporal tagger; offsets are checked against the text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dragoman.records import TimeExpr
from dragoman.time import TimeTagger, estimate_published, time_expr_range

#: A Friday, as in the example article of 2024-05-31.
PUBLISHED = date(2024, 5, 31)
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


@pytest.fixture(scope="module")
def tagger() -> TimeTagger:
    return TimeTagger()


def only(tagger: TimeTagger, text: str, phrase: str, published: date | None = PUBLISHED):
    """The expression tagged exactly on ``phrase`` (its offsets checked against the text)."""
    found = tagger.tag(text, published)
    for expr in found:
        assert text[expr.start : expr.end] == expr.text
    matches = [e for e in found if e.text == phrase]
    assert matches, f"{phrase!r} not tagged in {text!r}: {[e.text for e in found]}"
    expr = matches[0]
    assert expr.start == text.index(phrase)
    return expr


def test_on_thursday_is_the_thursday_before_a_friday_paper(tagger):
    text = "Bogdanov met in Moscow on Thursday with relatives of the hostages."
    expr = only(tagger, text, "Thursday")
    assert (expr.type, expr.value, expr.precision) == ("DATE", "2024-05-30", "day")
    assert (expr.date_start, expr.date_end) == (date(2024, 5, 30), date(2024, 5, 30))


def test_weekday_of_the_publication_day_is_that_day(tagger):
    assert only(tagger, "Talks opened on Friday.", "Friday").value == "2024-05-31"


def test_weekday_in_a_future_clause_looks_forward(tagger):
    text = "The minister will travel to Cairo on Tuesday."
    assert only(tagger, text, "Tuesday").value == "2024-06-04"


def test_weekday_part_of_day_is_a_time(tagger):
    expr = only(tagger, "Shelling resumed on Tuesday morning.", "Tuesday morning")
    assert (expr.type, expr.value) == ("TIME", "2024-05-28TMO")


@pytest.mark.parametrize(
    ("phrase", "value", "start", "end"),
    [
        ("early December", "2023-12", date(2023, 12, 1), date(2023, 12, 10)),
        ("mid-December", "2023-12", date(2023, 12, 11), date(2023, 12, 20)),
        ("late December", "2023-12", date(2023, 12, 21), date(2023, 12, 31)),
    ],
)
def test_vague_part_of_a_month(tagger, phrase, value, start, end):
    text = f"The calls followed meetings held in {phrase}."
    expr = only(tagger, text, phrase, date(2024, 1, 15))
    assert (expr.value, expr.date_start, expr.date_end, expr.precision) == (
        value,
        start,
        end,
        "range",
    )


def test_vague_part_of_a_year(tagger):
    expr = only(tagger, "Production should start by mid-2011.", "mid-2011")
    assert (expr.value, expr.date_start, expr.date_end) == (
        "2011",
        date(2011, 5, 1),
        date(2011, 8, 31),
    )


def test_end_of_the_year(tagger):
    expr = only(tagger, "A deal is expected by the end of the year.", "the end of the year")
    assert expr.value == "2024"
    assert expr.date_end == date(2024, 12, 31)
    assert expr.date_start.month == 9


def test_last_week(tagger):
    expr = only(tagger, "Envoys met last week in Doha.", "last week")
    assert (expr.value, expr.precision) == ("2024-W21", "week")
    assert (expr.date_start, expr.date_end) == (date(2024, 5, 20), date(2024, 5, 26))


def test_next_month(tagger):
    assert only(tagger, "Elections are due next month.", "next month").value == "2024-06"


def test_two_days_ago(tagger):
    expr = only(tagger, "The convoy was attacked two days ago.", "two days ago")
    assert (expr.type, expr.value) == ("DATE", "2024-05-29")


def test_earlier_this_month(tagger):
    expr = only(tagger, "Troops withdrew earlier this month.", "earlier this month")
    assert expr.value == "2024-05"
    assert (expr.date_start, expr.date_end) == (date(2024, 5, 1), PUBLISHED)


def test_this_year_and_last_year(tagger):
    text = "Exports fell this year after rising last year."
    assert only(tagger, text, "this year").value == "2024"
    assert only(tagger, text, "last year").value == "2023"


def test_today_yesterday_tomorrow(tagger):
    text = "Talks began yesterday, continue today and end tomorrow."
    assert only(tagger, text, "yesterday").value == "2024-05-30"
    assert only(tagger, text, "today").value == "2024-05-31"
    assert only(tagger, text, "tomorrow").value == "2024-06-01"


def test_month_day_without_year_in_a_later_month_is_the_past_one(tagger):
    text = "On March 28, a report revealed that Hamas had no idea where they were."
    expr = only(tagger, text, "March 28")
    assert (expr.value, expr.precision) == ("2024-03-28", "day")


def test_month_day_without_year_nearest_to_publication(tagger):
    text = "He said the vote was held on December 20."
    assert only(tagger, text, "December 20", date(2024, 1, 5)).value == "2023-12-20"


def test_full_dates(tagger):
    text = "It was signed on March 28, 2024, ratified 28 March 2024 and logged 2024-05-31."
    assert only(tagger, text, "March 28, 2024").value == "2024-03-28"
    assert only(tagger, text, "28 March 2024").value == "2024-03-28"
    assert only(tagger, text, "2024-05-31").value == "2024-05-31"


def test_numeric_date_read_by_dateparser(tagger):
    assert only(tagger, "The blast on 7/8/07 killed four.", "7/8/07").value == "2007-07-08"


def test_month_year_and_bare_year(tagger):
    text = "The plant closed in May 2008 and reopened in 2010."
    expr = only(tagger, text, "May 2008")
    assert (expr.value, expr.date_start, expr.date_end) == (
        "2008-05",
        date(2008, 5, 1),
        date(2008, 5, 31),
    )
    assert only(tagger, text, "2010").precision == "year"


def test_may_as_a_verb_is_not_a_month(tagger):
    found = tagger.tag("Theresa May said the talks may resume.", PUBLISHED)
    assert found == []


def test_the_1990s(tagger):
    expr = only(tagger, "Relations soured in the 1990s.", "the 1990s")
    assert (expr.value, expr.precision, expr.date_start) == ("199", "decade", date(1990, 1, 1))


def test_century(tagger):
    expr = only(tagger, "A border drawn in the 19th century.", "the 19th century")
    assert (expr.value, expr.precision) == ("18", "century")


def test_season(tagger):
    expr = only(
        tagger, "Fighting intensified in the spring of 2023 and in winter 2022.", "winter 2022"
    )
    assert (expr.value, expr.date_start, expr.date_end) == (
        "2022-WI",
        date(2022, 12, 1),
        date(2023, 2, 28),
    )


def test_quarter(tagger):
    text = "Output fell in the first quarter of 2009."
    assert only(tagger, text, "the first quarter of 2009").value == "2009-Q1"


def test_for_three_years_is_a_duration_without_the_preposition(tagger):
    expr = only(tagger, "The siege lasted for three years.", "three years")
    assert (expr.type, expr.value, expr.date_start) == ("DURATION", "P3Y", None)


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("A truce of 48 hours was agreed.", "48 hours", "PT48H"),
        ("The war lasted a decade.", "a decade", "P10Y"),
        ("He served nearly five months in jail.", "nearly five months", "P5M"),
        ("Over the past nine days the talks stalled.", "the past nine days", "P9D"),
        ("Rebels fought for years.", "years", "PXY"),
    ],
)
def test_durations(tagger, text, phrase, value):
    expr = only(tagger, text, phrase)
    assert (expr.type, expr.value) == ("DURATION", value)


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Inspectors visit every week.", "every week", "P1W"),
        ("Leaders meet annually in Geneva.", "annually", "P1Y"),
        ("Patrols are sent daily.", "daily", "P1D"),
        ("It ships 15 tankers a year.", "a year", "P1Y"),
    ],
)
def test_sets(tagger, text, phrase, value):
    expr = only(tagger, text, phrase)
    assert (expr.type, expr.value) == ("SET", value)


def test_clock_time_takes_the_day_next_to_it(tagger):
    expr = only(tagger, "Voting closes at 12:00 UTC Monday.", "12:00 UTC Monday")
    assert (expr.type, expr.value) == ("TIME", "2024-05-27T12:00Z")


def test_clock_time_alone_falls_on_the_publication_day(tagger):
    expr = only(tagger, "The strike hit at 3 p.m. near the border.", "3 p.m.")
    assert (expr.type, expr.value) == ("TIME", "2024-05-31T15:00")


@pytest.mark.parametrize(
    ("phrase", "value"),
    [("now", "PRESENT_REF"), ("currently", "PRESENT_REF"), ("recently", "PAST_REF")],
)
def test_present_and_past_references(tagger, phrase, value):
    expr = only(tagger, f"The group {phrase} holds the town.", phrase)
    assert (expr.type, expr.value, expr.date_start) == ("DATE", value, None)


def test_the_past_and_the_future(tagger):
    text = "Mistakes of the past must not shape the future."
    assert only(tagger, text, "the past").value == "PAST_REF"
    assert only(tagger, text, "the future").value == "FUTURE_REF"


def test_the_same_period_last_year_shifts_the_period_named_before(tagger):
    text = "Sales in January fell from the same month a year ago."
    assert only(tagger, text, "the same month a year ago", date(2009, 2, 3)).value == "2008-01"


def test_skip_spans_are_ignored(tagger):
    text = "March 01, 2008\nTroops left on Thursday."
    found = tagger.tag(text, date(2008, 3, 1), skip=[(0, 14)])
    assert [e.text for e in found] == ["Thursday"]


def test_no_publication_date_uses_placeholders(tagger):
    found = {e.text: e for e in tagger.tag("Troops withdrew on March 28 and last week.", None)}
    assert found["March 28"].value == "XXXX-03-28"
    assert found["March 28"].date_start is None
    assert found["last week"].value == "XXXX-WXX"


def test_no_publication_date_anchors_on_the_date_line(tagger):
    text = "Ceasefire talks\nSeptember 01, 2007\nThe envoy arrived today."
    found = {e.text: e for e in tagger.tag(text, None)}
    assert found["September 01, 2007"].value == "2007-09-01"
    assert found["today"].value == "2007-09-01"


def test_estimate_published_prefers_the_latest_full_date(tagger):
    text = "The deal of May 3, 2021 was renewed on June 9, 2022."
    assert estimate_published(text, tagger.tag(text, None)) == date(2022, 6, 9)


def test_estimate_published_from_copyright_year(tagger):
    text = "Putin held talks on December 7.\n\nCopyright 2023,"
    assert estimate_published(text, tagger.tag(text, None)) == date(2023, 12, 31)


def test_estimate_published_none_without_evidence(tagger):
    text = "Talks continue."
    assert estimate_published(text, tagger.tag(text, None)) is None


def test_time_expr_range_from_value():
    expr = TimeExpr("2024-W21", 0, 8, "DATE", "2024-W21")
    assert time_expr_range(expr) == (date(2024, 5, 20), date(2024, 5, 26))


def test_seed_article_dates(tagger):
    path = SHARED / "seeds" / "004_bc334e15e4ad92e3.txt"
    if not path.exists():
        pytest.skip(f"shared seed article not found at {path}")
    text = path.read_text(encoding="utf-8")
    values = {e.text: e.value for e in tagger.tag(text, PUBLISHED)}
    assert values["Thursday"] == "2024-05-30"
    assert values["March 28"] == "2024-03-28"
