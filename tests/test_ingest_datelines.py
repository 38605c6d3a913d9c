"""Datelines in any case: a wire dateline stays boilerplate when the text is written in
lower case or in capitals, and the first sentence starts after it."""

from __future__ import annotations

import pytest

from dragoman.ingest.metadata import read_text_metadata


def boilerplate(text: str) -> list[str]:
    return [text[a:b] for a, b in read_text_metadata(text).boilerplate]


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("kyiv, may 30 (reuters) - russian missiles struck lviv.", "kyiv, may 30 (reuters) - "),
        ("KYIV, MAY 30 (REUTERS) - RUSSIAN MISSILES STRUCK LVIV.", "KYIV, MAY 30 (REUTERS) - "),
        ("Kyiv, May 30 (Reuters) - Russian missiles struck Lviv.", "Kyiv, May 30 (Reuters) - "),
        ("kabul, may 3 - the taliban said they would talk.", "kabul, may 3 - "),
        ("addis ababa, aug. 3 - ethiopia agreed.", "addis ababa, aug. 3 - "),
        ("beirut, lebanon (ap) — israel struck a village.", "beirut, lebanon (ap) — "),
        ("beirut, lebanon — israel struck a village.", "beirut, lebanon — "),
        ("london (reuters) - britain said so.", "london (reuters) - "),
    ],
)
def test_a_dateline_in_any_case_is_boilerplate(text, dateline):
    assert boilerplate(text) == [dateline]


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("kabul: the taliban said on monday they would talk.", "kabul: "),
        ("gaza city: israel struck a school.", "gaza city: "),
        ("NEW DELHI: The government said so.", "NEW DELHI: "),
        ("KABUL: THE TALIBAN SAID SO.", "KABUL: "),
        ("qatar hosts envoys\n\nkabul: the taliban said so.", "kabul: "),
        (" date 2024-05-31 photo credit: desk\n\nkabul: the taliban said so.", "kabul: "),
    ],
)
def test_a_place_and_a_colon_opening_the_story_is_a_dateline(text, dateline):
    assert dateline in boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "us - china talks resumed.",  # an actor, a hyphen: no dateline
        "nato - the alliance met in brussels.",
        "moscow — russia said it would respond.",  # lower case says nothing of a place
        "the talks (which began monday) — were long.",
        "The talks (which began Monday) — were long.",
        "Putin: we will respond, he said.",  # a speaker in cased text
        "THE MINISTRY SAID: WE WILL RESPOND.",  # in capitals, capitals set nothing apart
        "first paragraph.\n\nkabul: a colon dateline opens only the story.",
        "Kabul said on Monday: talks go on.",
    ],
)
def test_sentences_that_open_like_datelines_are_not_boilerplate(text):
    assert boilerplate(text) == []


def test_a_lower_case_dateline_does_not_join_the_first_sentence():
    import dragoman

    text = "warsaw, may 30 (reuters) - poland expelled 45 russian diplomats on thursday."
    events = dragoman.extract(text, published="2024-05-31")
    assert [(e.cameo[:2], [a.code for a in e.source]) for e in events] == [("16", ["POL"])]
    assert events[0].evidence.sentence.startswith("poland expelled")
