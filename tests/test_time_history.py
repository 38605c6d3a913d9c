"""Years cited as history: a date long past dates an event only when the event's word
governs it ("in 1975 Indonesia invaded", not "cited a ruling of 1975")."""

from __future__ import annotations

from datetime import date

import pytest

from dragoman.nlp import load_nlp
from dragoman.records import TimeExpr
from dragoman.time import TimeTagger
from dragoman.time.history import cited_history, governs, is_historical, time_span

PUBLISHED = date(2024, 5, 31)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def tagger() -> TimeTagger:
    return TimeTagger()


def verdicts(nlp, tagger, text: str, event_word: str) -> dict[str, bool]:
    """Each time expression of ``text`` -> whether it is history the event does not govern."""
    doc = nlp(text)
    heads = {t.i for t in doc if t.text == event_word}
    assert heads, f"{event_word!r} not in {text!r}"
    return {t.text: cited_history(doc, t, heads, PUBLISHED) for t in tagger.tag(text, PUBLISHED)}


def year(value: str) -> TimeExpr:
    start, end = date(int(value), 1, 1), date(int(value), 12, 31)
    return TimeExpr(value, 0, 4, "DATE", value, start, end, "year")


def test_a_date_more_than_a_year_old_is_history():
    assert is_historical(year("1975"), PUBLISHED)
    assert is_historical(year("2022"), PUBLISHED)
    assert not is_historical(year("2023"), PUBLISHED)  # ends within the year before
    assert not is_historical(year("1975"), None)  # no publication date: no history


@pytest.mark.parametrize(
    ("text", "event_word", "expected"),
    [
        ("In 1975 Indonesia invaded East Timor.", "invaded", {"1975": False}),
        ("Indonesia invaded East Timor in 1975.", "invaded", {"1975": False}),
        ("In March 1975, the army seized the capital.", "seized", {"March 1975": False}),
        ("The invasion of 1975 killed thousands.", "invasion", {"1975": False}),
        ("Serbia recalled the 1999 bombing by NATO.", "bombing", {"1999": False}),
        ("Troops withdrew in 1975 and 1976.", "withdrew", {"1975": False, "1976": False}),
        ("Israel cited a ruling of 1975 on Monday.", "cited", {"1975": True, "Monday": False}),
        ("The court cited a 1975 ruling.", "cited", {"1975": True}),
        ("The Palestinians demanded a return to the 1967 borders.", "demanded", {"1967": True}),
        ("Russia has occupied Crimea since 2014.", "occupied", {"2014": True}),
        ("Serbia recalled the 1999 bombing by NATO.", "recalled", {"1999": True}),
        (
            "The talks, the first since 1979, ended on Monday.",
            "ended",
            {"1979": True, "Monday": False},
        ),
    ],
)
def test_history_dates_an_event_only_when_the_event_governs_it(
    nlp, tagger, text, event_word, expected
):
    assert verdicts(nlp, tagger, text, event_word) == expected


def test_governs_reads_the_parse(nlp, tagger):
    text = "Indonesia invaded East Timor in 1975 and cited a ruling of 1975."
    doc = nlp(text)
    first, second = tagger.tag(text, PUBLISHED)
    invaded = {t.i for t in doc if t.text == "invaded"}
    assert governs(invaded, time_span(doc, first))
    assert not governs(invaded, time_span(doc, second))


def test_event_dating_skips_cited_history(nlp, tagger):
    """How the event dating is to use it (a call in events/dating.py): the times an event
    must not take are left out of its choice, so "the 1967 borders" dates nothing."""
    from dragoman.events.dating import date_event

    text = "Israel rejected a return to the 1967 borders."
    doc = nlp(text)
    sentence = next(doc.sents)
    predicate = [t for t in doc if t.text == "rejected"]
    heads = {t.i for t in predicate}
    times = tagger.tag(text, PUBLISHED)
    kept = [t for t in times if not cited_history(doc, t, heads, PUBLISHED)]
    assert kept == []
    assert date_event(doc, sentence, predicate, kept, PUBLISHED).value == "2024-05-31"
