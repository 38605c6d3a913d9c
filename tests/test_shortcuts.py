"""Shortcuts taken for speed give what the long way gives: the Doc's kept text, verb
patterns passed over when a word of theirs is not in the sentence, the time rules' matches
read once per text, the discard phrases searched as one alternation."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from spacy.tokens import Doc

from dragoman.events.predicates import match_verb, sentence_lemmas
from dragoman.nlp_text import TEXT, doc_text
from dragoman.ontology.discards import Discards
from dragoman.time.tagger import TimeTagger

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _sample_texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))]
    for line in (SAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    return texts


@pytest.fixture(scope="module")
def sample_docs(pipeline):
    return [pipeline.nlp(text) for text in _sample_texts()]


def test_the_pipeline_keeps_each_docs_text(sample_docs):
    for doc, text in zip(sample_docs, _sample_texts(), strict=True):
        assert doc.user_data[TEXT] == (len(doc), text)
        assert doc_text(doc) == doc.text == text


def test_a_doc_whose_tokens_no_longer_fit_the_kept_text_is_read_again(pipeline):
    first = pipeline.nlp("Iran and Russia held talks.\n")
    second = pipeline.nlp("Syria attacked Turkey on Monday.")
    joined = Doc.from_docs([first, second], ensure_whitespace=False, exclude=["user_data"])
    for part in (first, second):  # a part's text carried over to the whole
        joined.user_data[TEXT] = part.user_data[TEXT]
        assert doc_text(joined) == joined.text == first.text + second.text
    # same number of tokens, another text
    joined.user_data[TEXT] = (len(joined), "x" * len(joined.text) + "y")
    assert doc_text(joined) == joined.text
    assert doc_text(pipeline.nlp.make_doc("A Doc never through the pipeline.")) == (
        "A Doc never through the pipeline."
    )


def test_verb_patterns_passed_over_by_their_words_are_those_that_would_not_attach(
    pipeline, sample_docs
):
    lexicon = pipeline.coder.lexicon
    checked = 0
    for doc in sample_docs:
        for sentence in doc.sents:
            lemmas = sentence_lemmas(sentence)
            for token in sentence:
                quick = match_verb(token, lexicon, lemmas)
                slow = match_verb(token, lexicon)
                assert (quick is None) == (slow is None), token.text
                if quick is not None:
                    checked += 1
                    assert quick.entry == slow.entry
                    assert [t.i for t in quick.tokens] == [t.i for t in slow.tokens]
                    assert quick.alternatives == slow.alternatives
    assert checked > 20


def test_time_rules_read_once_per_text_give_what_a_fresh_reading_gives():
    text = (
        "On Monday, talks began in Doha. Two days later the envoy left; "
        "on March 3, 2024 he was back for a week."
    )
    tagger = TimeTagger()
    undated = tagger.tag(text, None)
    dated = tagger.tag(text, date(2019, 6, 5))
    assert undated == TimeTagger().tag(text, None)
    assert dated == TimeTagger().tag(text, date(2019, 6, 5))
    assert [t.value for t in dated] != [t.value for t in undated]
    other = "Yesterday the minister resigned."
    assert tagger.tag(other, date(2024, 5, 2)) == TimeTagger().tag(other, date(2024, 5, 2))


def test_discard_phrases_match_as_one_per_phrase_alternation_would():
    discards = Discards.load()
    assert discards.story is not None
    inner = discards.story.pattern.removeprefix(r"(?<!\w)(?:").removesuffix(")")
    per_phrase = re.compile(
        "|".join(rf"(?<!\w){part}" for part in _top_level_alternatives(inner)), re.IGNORECASE
    )
    for text in [*_sample_texts(), "The football match ended.", "xfootball", "Football: a draw"]:
        fast = discards.story.search(text)
        slow = per_phrase.search(text)
        assert (fast and (fast.start(), fast.group(0))) == (slow and (slow.start(), slow.group(0)))


def _top_level_alternatives(pattern: str) -> list[str]:
    """``pattern`` cut at the bars outside any group or class."""
    parts, depth, start, escaped, in_class = [], 0, 0, False, False
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts
