"""Headline clauses the parser takes for noun phrases are read again with a hint.

"Somalia severs ties with Kenya; expels diplomats": without an article or a full stop the
tagger reads "severs" as a plural noun and no event is coded. The headline reader re-reads
such a clause with a pronoun for its subject (events/headlines.py). Plain plural nouns
("Iran's threats", "the talks", "Israel, Hamas talks collapse") must not be read as verbs.
"""

from __future__ import annotations

import pytest

from dragoman.events.headlines import HeadlineReader, load_headline_plurals
from dragoman.ontology.tsv import DataFileError
from dragoman.records import Article


def _events(pipeline, text: str):
    return pipeline.extract(Article(id="headline", text=text))


def _countries(actors) -> set[str]:
    return {a.country or a.code for a in actors}


@pytest.mark.parametrize(
    ("text", "root", "source", "target"),
    [
        # the verb tagged as a plural noun, the line one noun phrase
        ("Somalia severs ties with Kenya; expels diplomats", "16", "SOM", "KEN"),
        # the subject tagged as a verb, the verb as a noun
        ("North Korea fires missile into sea", "19", "PRK", None),
        # the verb parsed right but its subject hung on it as a modifier
        ("Turkey shells Kurdish positions in Syria", "19", "TUR", None),
        ("Mali expels French ambassador", "16", "MLI", "FRA"),
        # a base form after a plural subject made of two actors
        ("Armenia, Azerbaijan trade accusations over border clashes", "11", "ARM", "AZE"),
    ],
)
def test_a_headline_verb_read_as_a_noun_is_coded(pipeline, text, root, source, target):
    events = [e for e in _events(pipeline, text) if e.cameo.startswith(root)]
    assert events, f"no event with root {root} in: {text}"
    assert any(source in _countries(e.source) for e in events)
    if target is not None:
        assert any(target in _countries(e.target) for e in events)


def test_the_clause_after_a_semicolon_shares_the_subject(pipeline):
    doc, _, trace = pipeline.explain(
        Article(id="headline", text="Somalia severs ties with Kenya; expels diplomats")
    )
    expels = next(t for t in doc if t.text == "expels")
    assert expels.pos_ == "VERB" and expels.dep_ == "conj"
    coded = {v.predicate.head.text for v in trace if v.outcome == "coded"}
    assert {"severs", "expels"} <= coded


@pytest.mark.parametrize(
    "text",
    [
        "Iran's threats against Israel",  # a possessive: the next word is its noun
        "The talks in Geneva",  # no actor before the plural
        "Iran nuclear talks resume in Vienna",  # an adjective before the plural
        "US sanctions hit Russian banks",  # a later verb with its own subject
        "Israel, Hamas talks collapse",
        "Ukraine peace talks",
        "Afghan refugees in Pakistan",
        "Gaza ceasefire talks",
    ],
)
def test_plain_plural_nouns_are_not_read_as_verbs(pipeline, text):
    reader = pipeline.coder.headlines
    doc = pipeline.nlp(text)
    before = [(t.tag_, t.dep_, t.head.i) for t in doc]
    assert reader.read(doc, lambda t: t.ent_type_ in ("GPE", "ORG", "NORP")) == []
    assert [(t.tag_, t.dep_, t.head.i) for t in doc] == before


def test_a_sentence_with_a_full_stop_or_a_subject_is_left_as_parsed(pipeline):
    reader = pipeline.coder.headlines
    for text in (
        "Somalia severs ties with Kenya; expels diplomats.",  # a sentence, not a headline
        "Iran threatens retaliation",  # parsed with its subject already
    ):
        doc = pipeline.nlp(text)
        assert reader.read(doc, lambda t: t.ent_type_ in ("GPE", "ORG")) == []


def test_only_the_headline_line_is_read_again_and_the_text_is_unchanged(pipeline):
    text = (
        "Somalia severs ties with Kenya; expels diplomats\n"
        "The talks in Geneva ended on Monday. Kenya said it regretted the decision."
    )
    doc = pipeline.nlp(text)
    starts = [s.start for s in doc.sents]
    body = [(t.tag_, t.dep_, t.head.i) for t in doc if t.idx > text.index("\n")]
    changed = pipeline.coder.headlines.read(doc, lambda t: t.ent_type_ == "GPE")
    assert [s.text for s in changed] == ["Somalia severs ties with Kenya; expels diplomats\n"]
    assert doc.text == text
    assert [s.start for s in doc.sents] == starts
    assert [(t.tag_, t.dep_, t.head.i) for t in doc if t.idx > text.index("\n")] == body
    severs = doc[1]
    assert severs.pos_ == "VERB" and severs.dep_ == "ROOT" and severs.lemma_ == "sever"
    assert [c.text for c in severs.children if c.dep_ == "nsubj"] == ["Somalia"]


def test_evidence_of_a_headline_event_points_into_the_text(pipeline):
    text = "Rain in the north\nMali expels French ambassador"
    events = [e for e in _events(pipeline, text) if e.cameo.startswith("16")]
    assert events
    evidence = events[0].evidence
    assert text[evidence.trigger_start : evidence.trigger_end] == evidence.trigger
    assert evidence.trigger.startswith("expels")
    assert text[evidence.start : evidence.end] == "Mali expels French ambassador"


def test_without_a_parser_the_coder_reads_no_headline():
    from dragoman.events.coder import EventCoder
    from dragoman.ontology import Lexicon

    assert EventCoder(Lexicon.load(), lambda code: code).headlines is None


def test_verb_forms_come_from_the_lexicon(pipeline):
    reader: HeadlineReader = pipeline.coder.headlines
    doc = pipeline.nlp("severs expels shells fires talks clouds")
    forms = [reader.verb_form(t) for t in doc]
    assert forms[:5] == [
        ("s", "sever"),
        ("s", "expel"),
        ("s", "shell"),
        ("s", "fire"),
        ("s", "talk"),
    ]
    assert forms[5] is None  # no verb "cloud" in the lexicon


def test_headline_plurals_file_is_checked(tmp_path):
    assert {"police", "people"} <= load_headline_plurals()
    bad = tmp_path / "plurals.tsv"
    bad.write_text("lemma\tcomment\nPolice\t\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="line 2"):
        load_headline_plurals(bad)
