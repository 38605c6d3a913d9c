"""The selective parse (only lines that may hold an event go through the whole spaCy
pipeline) and the remembered rule lemmas: offsets and events as with the full parse."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from dragoman.candidates import (
    SELECTIVE_ENV,
    UNPARSED,
    SelectiveParser,
    TriggerWords,
    line_starts,
    selective_from_env,
    selective_parser,
)
from dragoman.records import Article

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

#: A trigger ("held talks"), two lines with no word of any pattern, another trigger.
TEXT = (
    "Iran and Russia held talks in Moscow on Thursday.\n"
    "The sky was blue. It was sunny and quiet.\n"
    "Nothing else was on the agenda of the day.\n"
    "Syria attacked Turkey on Monday.\n"
)


def _sample_articles() -> list[Article]:
    articles = [Article(id=p.stem, text=p.read_text()) for p in sorted(SAMPLES.glob("*.txt"))]
    for line in (SAMPLES / "wire.jsonl").read_text().splitlines():
        record = json.loads(line)
        articles.append(Article(id=record["id"], text=record["text"]))
    return articles


def _rows(records) -> list[str]:
    return [json.dumps(dataclasses.asdict(r), sort_keys=True, default=str) for r in records]


@pytest.fixture(scope="module")
def selective(pipeline):
    return SelectiveParser(pipeline.nlp, pipeline.coder.lexicon)


def test_tokens_and_offsets_are_those_of_the_full_parse(pipeline, selective):
    texts = [a.text for a in _sample_articles()] + [TEXT, "", "\n\n", "No trigger here at all."]
    for text, doc in zip(texts, selective.pipe(texts), strict=True):
        full = pipeline.nlp(text)
        assert doc.text == text
        assert [(t.idx, t.text, t.whitespace_) for t in doc] == [
            (t.idx, t.text, t.whitespace_) for t in full
        ]


def test_a_line_without_trigger_is_not_parsed(pipeline):
    parser = SelectiveParser(pipeline.nlp, pipeline.coder.lexicon, context=0, lead=0)
    doc = parser(TEXT)
    assert parser.selected_lines(pipeline.nlp.make_doc(TEXT)) == [True, False, False, True]
    quiet = [t for t in doc if "sky" in t.sent.text or "agenda" in t.sent.text]
    assert quiet and all(t.pos_ == "" and t.lemma_ == "" and t.ent_type_ == "" for t in quiet)
    assert all(t.dep_ == UNPARSED for t in quiet)
    # cut into sentences by punctuation and line breaks all the same
    sentences = [s.text for s in doc.sents]
    assert "The sky was blue." in sentences and "It was sunny and quiet.\n" in sentences
    held = next(t for t in doc if t.text == "held")
    assert held.pos_ == "VERB" and held.lemma_ == "hold" and held.dep_ == "ROOT"
    assert [e.text for e in doc.ents if e.label_ == "GPE"] == ["Iran", "Russia", "Moscow"] + [
        "Syria",
        "Turkey",
    ]


def test_context_lines_before_a_trigger_are_parsed(pipeline):
    parser = SelectiveParser(pipeline.nlp, pipeline.coder.lexicon, context=1, lead=0)
    assert parser.selected_lines(pipeline.nlp.make_doc(TEXT)) == [True, False, True, True]


def test_events_are_those_of_the_full_parse_on_the_samples(pipeline, selective):
    articles = _sample_articles()
    full = list(pipeline.annotate_many(articles))
    saved = pipeline.selective
    pipeline.selective = selective
    try:
        assert pipeline.parser is selective
        partial = list(pipeline.annotate_many(articles))
    finally:
        pipeline.selective = saved
    assert sum(len(a.events) for a in full) > 10
    for a, b in zip(full, partial, strict=True):
        assert _rows(a.events) == _rows(b.events), a.article.id
        assert _rows(a.times) == _rows(b.times)


def test_events_are_those_of_the_full_parse_on_the_seeds(pipeline, selective, shared_dir):
    articles = [
        Article(id=p.stem, text=p.read_text()) for p in sorted(shared_dir.glob("seeds/*.txt"))
    ]
    if not articles:
        pytest.skip("no seed articles in the shared folder")
    full = list(pipeline.annotate_many(articles))
    saved = pipeline.selective
    pipeline.selective = selective
    try:
        assert pipeline.parser is selective
        partial = list(pipeline.annotate_many(articles))
    finally:
        pipeline.selective = saved
    for a, b in zip(full, partial, strict=True):
        assert _rows(a.events) == _rows(b.events), a.article.id


def test_trigger_lemmas_cover_the_lemmas_the_tagger_gives(pipeline):
    triggers = TriggerWords(pipeline.nlp, pipeline.coder.lexicon)
    for article in _sample_articles():
        for token in pipeline.nlp(article.text):
            if token.is_alpha:
                assert token.lemma_.lower() in triggers.lemmas(token.lower_), token.text


def test_a_pattern_needs_all_its_words(pipeline):
    """A line holding one word of a two-word pattern ("have ... call") is no candidate
    unless it holds the other word too."""
    lexicon = pipeline.coder.lexicon
    triggers = TriggerWords(pipeline.nlp, lexicon)
    pairs = [
        e.words
        for lemma in sorted(lexicon.verb_lemmas)
        for e in lexicon.verb_entries(lemma)
        if len(e.words) == 2
        and not triggers.holds_trigger([e.words[0]])
        and not triggers.holds_trigger([e.words[1]])
    ]
    assert pairs, "the lexicon has two-word verb patterns"
    for words in pairs[:20]:
        assert triggers.holds_trigger(list(words)), words


def test_line_starts_follow_line_breaks(pipeline):
    doc = pipeline.nlp.make_doc("One line.\nTwo lines.\n\nThree.")
    assert [doc[i].text for i in line_starts(doc)] == ["One", "Two", "Three"]


def test_remembered_lemmas_are_the_lemmatizer_s_own(pipeline):
    """Two copies of the model as spaCy loads it, one remembering its lemmas: the same
    lemmas for every token, twice over (the second time from memory)."""
    import spacy

    from dragoman.nlp import remember_lemmas

    plain = spacy.load(pipeline.settings.model)
    quick = spacy.load(pipeline.settings.model)
    remember_lemmas(quick)
    lemmatizer = quick.get_pipe("lemmatizer")
    assert lemmatizer.lemmatize != lemmatizer.rule_lemmatize
    texts = [a.text for a in _sample_articles()] + [TEXT, "They'd gone; he's been. I ain't."]
    expected = [[t.lemma_ for t in doc] for doc in plain.pipe(texts)]
    for _ in range(2):
        assert [[t.lemma_ for t in doc] for doc in quick.pipe(texts)] == expected


def test_casing_vocabulary_is_built_with_the_pipeline(pipeline):
    assert pipeline.casing._vocabulary is not None


def test_switch_reads_the_environment(monkeypatch, pipeline):
    monkeypatch.delenv(SELECTIVE_ENV, raising=False)
    assert selective_from_env() is False
    assert selective_parser(pipeline.nlp, pipeline.coder.lexicon) is None
    assert pipeline.parser is pipeline.nlp
    monkeypatch.setenv(SELECTIVE_ENV, "yes")
    assert selective_from_env() is True
    assert isinstance(selective_parser(pipeline.nlp, pipeline.coder.lexicon), SelectiveParser)
    monkeypatch.setenv(SELECTIVE_ENV, "maybe")
    with pytest.raises(ValueError, match=SELECTIVE_ENV):
        selective_from_env()
