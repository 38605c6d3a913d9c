"""Stray spaces inside a line do not change what the models read (dragoman/nlp_spaces.py).

spaCy makes every space after the first of a run a token of its own; the tagger and
parser read it as a word, and one stray space can move an attachment or lose an object.
The pipeline hands the models the text without those tokens and gives back the original
tokens annotated: text, tokens and offsets stay those of the original text.
"""

from __future__ import annotations

import re

import pytest

from dragoman.candidates import SelectiveParser
from dragoman.nlp_spaces import RESTORE, SQUEEZE
from dragoman.records import Article

# Sentences whose parse, with the models reading the whitespace tokens, differs from the
# parse of the same sentence with single spaces.
DERAILED = [
    "Police  arrested three opposition leaders in Minsk on Monday.",
    "Security forces fired tear gas at  demonstrators in Khartoum.",
    "Gunmen  attacked a police station in Peshawar,  killing four officers.",
]
MORE = [
    "Russia  condemned the attack on Ukraine.",
    "The European Union  pledged 50 million euros in aid to Sudan.",
    "China accused Japan of  violating its airspace.",
    "President  Abdelaziz Bouteflicka threatened to invade.\t\tTroops massed at the border.",
]


def _single(text: str) -> str:
    return re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)


def _words(doc):
    """Each word's annotation, with heads counted in words (whitespace tokens left out)."""
    words = [t for t in doc if not t.is_space]
    position = {t.i: k for k, t in enumerate(words)}
    return [
        (t.text, t.tag_, t.pos_, t.lemma_, t.dep_, position.get(t.head.i), t.ent_type_)
        for t in words
    ]


@pytest.mark.parametrize("text", DERAILED + MORE)
def test_words_are_annotated_as_with_single_spaces(pipeline, text):
    doc = pipeline.nlp(text)
    assert doc.text == text
    assert _words(doc) == _words(pipeline.nlp(_single(text)))


def test_the_models_reading_whitespace_tokens_would_parse_otherwise(pipeline):
    """The reason for the components: without them these parses differ."""
    nlp = pipeline.nlp
    with nlp.select_pipes(disable=[SQUEEZE, RESTORE]):
        raw = [_words(nlp(text)) for text in DERAILED]
    assert all(r != _words(nlp(_single(t))) for r, t in zip(raw, DERAILED, strict=True))


def test_whitespace_tokens_keep_their_offsets_and_hang_on_the_word_before(pipeline):
    text = "Russia  condemned the attack.   Kyiv\t\twelcomed it.\n\n  Kenya  agreed"
    doc = pipeline.nlp(text)
    assert doc.text == text
    assert [(t.idx, t.text) for t in doc] == [(t.idx, t.text) for t in pipeline.nlp.make_doc(text)]
    for token in doc:
        if token.is_space and "\n" not in token.text:
            assert token.tag_ == "_SP" and token.dep_ == "dep"
            assert token.head.i == token.i - 1
    # a line break still ends a sentence; runs of spaces do not make one
    assert [s.text.strip() for s in doc.sents] == [
        "Russia  condemned the attack.",
        "Kyiv\t\twelcomed it.",
        "Kenya  agreed",
    ]


def test_a_text_without_runs_of_spaces_is_parsed_as_before(pipeline):
    text = "Russia condemned the attack on Ukraine.\nKyiv welcomed it."
    nlp = pipeline.nlp
    with nlp.select_pipes(disable=[SQUEEZE, RESTORE]):
        before = _words(nlp(text))
    assert _words(nlp(text)) == before


def test_a_name_across_a_run_of_spaces_stays_one_entity(pipeline):
    doc = pipeline.nlp("President  Abdelaziz  Bouteflicka arrived in Algiers.")
    assert "Abdelaziz  Bouteflicka" in [e.text for e in doc.ents]


def test_events_and_their_offsets_with_stray_spaces(pipeline):
    text = "Gunmen  attacked a police station in Peshawar,  killing four officers."
    events = pipeline.extract(Article(id="spaces", text=text))
    reference = pipeline.extract(Article(id="single", text=_single(text)))

    def summary(found):
        return sorted((e.cameo, tuple(a.name for a in e.target)) for e in found)

    assert summary(events) == summary(reference)
    for event in events:
        evidence = event.evidence
        assert text[evidence.trigger_start : evidence.trigger_end] == evidence.trigger
        assert text[evidence.start : evidence.end] == evidence.sentence


def test_the_selective_parse_gives_the_same_tokens_and_parse(pipeline):
    text = (
        "Weather was fine  today.\nRussia  condemned the attack on  Ukraine.\n\nThe  talks ended."
    )
    selective = SelectiveParser(pipeline.nlp, pipeline.coder.lexicon, lead=0)
    doc = selective(text)
    assert doc.text == text
    line = text.split("\n")[1]
    parsed = [t for t in doc if line.startswith(t.text) or t.text == "condemned"]
    assert any(t.text == "condemned" and t.dep_ == "ROOT" for t in parsed)
