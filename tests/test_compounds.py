"""Hyphenated phrasal compounds read as one word (``dragoman.events.compounds``), on
sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from dragoman.events.compounds import COMPONENT, Compound, find_compounds
from dragoman.nlp import load_nlp
from dragoman.records import Article


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def without_component(nlp, text: str):
    with nlp.select_pipes(disable=[COMPONENT]):
        return nlp(text)


def token(doc, text: str):
    return next(t for t in doc if t.text == text)


DRIVE_BY = "A suspected militant carried out a drive-by shooting attack on a vehicle in Jenin."
HIT_AND_RUN = "Two soldiers were killed in a hit-and-run attack near Kandahar."


def test_component_is_in_the_pipeline(nlp):
    assert COMPONENT in nlp.pipe_names
    assert nlp.pipe_names.index(COMPONENT) > nlp.pipe_names.index("parser")


def test_misread_compounds_are_found(nlp):
    doc = without_component(nlp, DRIVE_BY)
    compounds = [c for s in doc.sents for c in find_compounds(s)]
    assert [(doc[c.start : c.end].text, c.kind) for c in compounds] == [("drive-by", "modifier")]
    doc = without_component(nlp, HIT_AND_RUN)
    compounds = [c for s in doc.sents for c in find_compounds(s)]
    assert [doc[c.start : c.end].text for c in compounds] == ["hit-and-run"]


@pytest.mark.parametrize(
    "text",
    [
        "Militants carried out a car-bomb attack on a police station in Kabul.",
        "Pakistan accused India of cross-border shelling in Kashmir.",
        "He was re-elected president last year.",
        "Al-Qaeda claimed the attack on the base.",
        "Pro-Russian separatists shelled the town.",
    ],
)
def test_compounds_without_a_phrase_inside_or_parsed_well_are_left_alone(nlp, text):
    doc = without_component(nlp, text)
    assert [c for s in doc.sents for c in find_compounds(s)] == []
    read = nlp(text)
    assert [(t.tag_, t.dep_, t.head.i) for t in read] == [(t.tag_, t.dep_, t.head.i) for t in doc]


def test_drive_by_is_read_as_a_modifier_of_the_attack(nlp):
    before = without_component(nlp, DRIVE_BY)
    assert token(before, "drive").dep_ == "dobj"  # what the parser alone makes of it
    doc = nlp(DRIVE_BY)
    attack = token(doc, "attack")
    assert attack.dep_ == "dobj" and attack.head.text == "carried"
    by = token(doc, "by")
    assert (by.pos_, by.head.i) == ("ADJ", attack.i)
    assert token(doc, "drive").head.i == by.i
    assert token(doc, "shooting").pos_ == "NOUN"


def test_hit_and_run_has_no_verb_left(nlp):
    before = without_component(nlp, HIT_AND_RUN)
    assert any(t.pos_ == "VERB" for t in before if t.text in ("hit", "run"))
    doc = nlp(HIT_AND_RUN)
    parts = [t for t in doc if t.text in ("hit", "and", "run")]
    assert all(t.pos_ == "ADJ" for t in parts)
    assert token(doc, "run").head.text == "attack"


def test_text_and_offsets_do_not_change(nlp):
    text = "Gunmen  carried out a drive-by shooting attack\ton a bus in Karachi."
    doc = nlp(text)
    plain = without_component(nlp, text)
    assert doc.text == text
    assert [(t.text, t.idx) for t in doc] == [(t.text, t.idx) for t in plain]
    assert token(doc, "attack").head.text == "carried"


def test_compound_kind_gives_the_stand_in():
    assert Compound(0, 3, "modifier").stand_in != Compound(0, 3, "noun").stand_in


def test_drive_by_attack_is_coded_as_an_assault(pipeline):
    article = Article(id="c", text=DRIVE_BY, published=date(2024, 5, 1))
    events = pipeline.annotate(article).events
    assert any(e.plover == "ASSAULT" and e.evidence.trigger.endswith("attack") for e in events), [
        (e.cameo, e.evidence.trigger) for e in events
    ]
