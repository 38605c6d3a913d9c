"""Headline clauses the parser took for noun phrases, read again with a hint.

A headline drops its articles and puts its verb in the present ("Somalia severs ties with
Kenya; expels diplomats", "North Korea fires missile into sea", "Turkey shells Kurdish
positions"). With no article and no full stop to go by, the tagger often reads the verb's
``-s`` form as a plural noun and the whole line as one noun phrase, or leaves the verb
without its subject: no event is coded.

:class:`HeadlineReader` finds such a line, and re-reads its clause the way the parser does
read it well: with a pronoun for a subject ("It severs ties with Kenya", "They fire tear
gas at protesters"). The parse of that hint text replaces the parse of the clause, the
pronoun standing for the actor noun phrase that opens the line; the rest of the coder then
works as on any sentence. The text, its tokens and their offsets do not change.

A line is read again only when all of these hold, which is what tells a headline verb from
a plural noun ("Iran's threats", "the talks", "Israel strikes kill 20"):

* it ends without a full stop, question or exclamation mark, at a line break or the end of
  the text, and is short (at most :data:`MAX_HEADLINE_TOKENS` words);
* the parse has no verb with a subject as the line's predicate: its root is no verb, or a
  verb without a subject, or a word tagged as a verb that is none ("missile");
* the line opens with a noun phrase whose last word names an actor (not a possessive),
  followed by a form of a verb that starts a lexicon pattern: its ``-s`` form, or its base
  form after a plural subject ("Rebels", "Police", "Armenia, Azerbaijan");
* no real finite verb with a subject of its own follows it ("... strikes kill 20");
* the hint text is parsed with the pronoun as the subject of that verb.

Clauses after a semicolon that open with such a verb form share the subject ("...;
expels diplomats"); other clauses after a semicolon are parsed on their own and hung on
the first verb.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dragoman.nlp_text import doc_text
from dragoman.ontology.tsv import data_path, read_lemmas

#: Most words a line may have to be read as a headline.
MAX_HEADLINE_TOKENS = 40
#: Marks that end a sentence; a line ending with one is no headline.
SENTENCE_ENDS = frozenset({".", "!", "?", "…"})
#: Closing quotes after which a sentence end may stand ("... said.”").
CLOSING_QUOTES = frozenset({'"', "”", "’", "'", ")"})
#: Tags of finite verbs.
FINITE_TAGS = frozenset({"VBZ", "VBP", "VBD", "MD"})
#: Parts of speech of the words of a headline's opening noun phrase.
NOUN_PHRASE_POS = frozenset({"PROPN", "NOUN", "ADJ", "NUM", "DET"})
#: Words joining the members of a noun phrase ("Armenia, Azerbaijan", "US and EU").
NOUN_PHRASE_JOINS = frozenset({",", "and", "&"})
#: Words that make a noun phrase plural by coordination.
PLURAL_JOINS = frozenset({",", "and", "&"})
#: Subject labels: a verb with one of them has its subject.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})


@lru_cache(maxsize=4)
def load_headline_plurals(path: Path | None = None) -> frozenset[str]:
    """Nouns taking a plural verb without a plural ending (``events/headline_plurals.tsv``)."""
    return read_lemmas(path or data_path("events", "headline_plurals.tsv"))


def hint_parse(nlp: Language) -> Callable[[str], Doc]:
    """Parses hint texts with ``nlp``, leaving out its entity recogniser: a reading takes a
    hint's heads, labels, tags and lemmas, never its entities, and the recogniser is about
    half of the work of a parse."""
    disabled = [name for name in ("ner",) if name in nlp.pipe_names]
    return lambda text: nlp(text, disable=disabled)


@dataclass(frozen=True)
class Reading:
    """The new annotation of one token: its head (a token index) and labels."""

    head: int
    dep: str
    tag: str | None = None
    pos: str | None = None
    lemma: str | None = None
    morph: str | None = None


class HeadlineReader:
    """Re-reads the headline clauses of a parsed Doc (see the module's documentation)."""

    def __init__(
        self,
        lexicon,
        parse: Callable[[str], Doc],
        plurals: frozenset[str] | None = None,
        verbs: frozenset[str] | None = None,
    ) -> None:
        self.lexicon = lexicon
        #: Parses a hint text (the same pipeline as the Doc's).
        self.parse = parse
        self.plurals = load_headline_plurals() if plurals is None else plurals
        #: Words known to be verbs (the lemmatizer's verb list), to tell a token the tagger
        #: called a verb ("missile") from a real one; None when the pipeline has no list.
        self.verbs = verbs

    # -- public ---------------------------------------------------------------------------------
    def read(self, doc: Doc, actor_at: Callable[[Token], object], skip=None) -> list[Span]:
        """Re-read every headline clause of ``doc`` in place; returns the sentences changed.

        ``actor_at(token)`` gives the actor mentions covering a token; ``skip(sentence)``
        says which sentences to leave alone (a title is not coded)."""
        sentences = list(doc.sents)
        text = doc_text(doc)
        readings: dict[int, Reading] = {}
        changed = []
        for sentence in sentences:
            if skip is not None and skip(sentence):
                continue
            plan = self._plan(sentence, actor_at, text)
            if plan:
                readings.update(plan)
                changed.append(sentence)
        if not readings:
            return []
        if not _apply(doc, readings, [s.start for s in sentences]):
            return []
        return [doc[s.start : s.end] for s in changed]

    # -- finding a headline clause ------------------------------------------------------------
    def _plan(self, sentence: Span, actor_at, text: str) -> dict[int, Reading] | None:
        words = [t for t in sentence if not t.is_space]
        if len(words) < 2 or len(words) > MAX_HEADLINE_TOKENS or not _ends_line(words[-1], text):
            return None
        last = words[-1].text
        if last in SENTENCE_ENDS or (last in CLOSING_QUOTES and words[-2].text in SENTENCE_ENDS):
            return None
        root = sentence.root
        if self._predicate_with_subject(root):
            return None
        found = self._verb_after_subject(words, actor_at)
        if found is None:
            return None
        verb, plural = found
        if any(self._predicate_with_subject(t) for t in words if t.i > verb.i):
            # "Israel strikes kill 20": the verb is a later word
            return None
        return self._clause_readings(sentence, verb, plural)

    def _predicate_with_subject(self, token: Token) -> bool:
        """A finite verb (a real one) with a subject of its own, or the root verb with one."""
        if token.pos_ not in ("VERB", "AUX"):
            return False
        if not any(c.dep_ in SUBJECT_DEPS for c in token.children):
            return False
        if token.dep_ != "ROOT" and token.tag_ not in FINITE_TAGS:
            return False
        return self._real_verb(token)

    def _real_verb(self, token: Token) -> bool:
        if token.pos_ == "AUX" or self.verbs is None:
            return True
        return token.lemma_.lower() in self.verbs or token.lower_ in self.verbs

    def verb_form(self, token: Token) -> tuple[str, str] | None:
        """(``s`` or ``base``, lemma) when ``token`` is the ``-s`` form or the base form of a
        verb that starts a lexicon pattern."""
        form = token.lower_
        if not form.isalpha():
            return None
        candidates = []
        if form.endswith("ies") and len(form) > 4:
            candidates.append(form[:-3] + "y")
        if form.endswith("es") and len(form) > 3:
            candidates.append(form[:-2])
        if form.endswith("s") and not form.endswith("ss") and len(form) > 2:
            candidates.append(form[:-1])
        for lemma in candidates:
            if self.lexicon.verb_entries(lemma):
                return "s", lemma
        if self.lexicon.verb_entries(form):
            return "base", form
        return None

    def _verb_after_subject(self, words: list[Token], actor_at) -> tuple[Token, bool] | None:
        """The verb form after the opening actor noun phrase, and whether that phrase is
        plural; None when the line does not open so."""
        for k in range(1, len(words)):
            before = words[:k]
            if not _noun_phrase_word(before[-1]):
                return None
            token = words[k]
            form = self.verb_form(token)
            last = before[-1]
            if (
                form is not None
                and last.tag_ != "POS"
                and last.text not in NOUN_PHRASE_JOINS
                and actor_at(last)
            ):
                plural = self._plural(before)
                if form[0] == "s" and not plural:
                    return token, False
                if form[0] == "base" and plural:
                    return token, True
        return None

    def _plural(self, phrase: list[Token]) -> bool:
        last = phrase[-1]
        return (
            last.tag_ in ("NNS", "NNPS")
            or last.lower_ in self.plurals
            or any(t.lower_ in PLURAL_JOINS for t in phrase)
        )

    # -- the new parse ----------------------------------------------------------------------------
    def _clause_readings(
        self, sentence: Span, verb: Token, plural: bool
    ) -> dict[int, Reading] | None:
        doc = sentence.doc
        pronoun = "They" if plural else "It"
        words_end = max(t.i for t in sentence if not t.is_space) + 1
        # the clause, cut at semicolons: the first part is the verb's, later parts hang on it
        parts: list[tuple[int, int]] = []
        start = verb.i
        for token in doc[verb.i : words_end]:
            if token.text == ";":
                parts.append((start, token.i))
                start = token.i + 1
        parts.append((start, words_end))
        readings: dict[int, Reading] = {}
        subject = max(t.i for t in doc[sentence.start : verb.i] if not t.is_space)
        main = self._read_part(doc, parts[0], pronoun, subject, None, "ROOT", readings)
        if main is None:
            return None
        for a, b in parts[1:]:
            first = next((t for t in doc[a:b] if not t.is_space), None)
            if first is None:
                continue
            form = self.verb_form(first)
            if form is not None and first.i == a:
                done = self._read_part(doc, (a, b), pronoun, subject, main, "conj", readings)
            else:
                done = self._read_part(doc, (a, b), None, None, main, "parataxis", readings)
            if done is None:
                return None
        for token in doc[verb.i : words_end]:
            if token.text == ";":
                readings[token.i] = Reading(main, "punct")
        for token in doc[words_end : sentence.end]:
            readings[token.i] = Reading(main, "dep")
        # the opening noun phrase: its own arcs kept, any other arc to its last word
        for token in doc[sentence.start : verb.i]:
            if token.i == subject:
                readings[token.i] = Reading(main, "nsubj")
            elif sentence.start <= token.head.i < verb.i and token.head.i != token.i:
                readings[token.i] = Reading(token.head.i, token.dep_)
            elif token.is_space:
                readings[token.i] = Reading(subject, "dep")
            elif token.is_punct:
                readings[token.i] = Reading(subject, "punct")
            elif token.pos_ == "CCONJ":
                readings[token.i] = Reading(subject, "cc")
            else:
                readings[token.i] = Reading(subject, "compound")
        return readings

    def _read_part(
        self,
        doc: Doc,
        part: tuple[int, int],
        pronoun: str | None,
        subject: int | None,
        governor: int | None,
        label: str,
        readings: dict[int, Reading],
    ) -> int | None:
        """Parse the tokens ``part`` (after ``pronoun`` standing for the token ``subject``),
        record their readings and return the index of their root; None when the hint is
        not parsed as hoped."""
        a, b = part
        if b <= a:
            return None
        text = doc_text(doc)[doc[a].idx : doc[b - 1].idx + len(doc[b - 1])]
        hint = self.parse(f"{pronoun} {text}" if pronoun else text)
        offset = 1 if pronoun else 0
        tokens = list(hint)
        if len(tokens) != offset + b - a or any(
            tokens[offset + k].text != doc[a + k].text for k in range(b - a)
        ):
            return None
        if pronoun:
            head = tokens[1]
            if not (tokens[0].dep_ == "nsubj" and tokens[0].head.i == 1 and head.pos_ == "VERB"):
                return None
        roots = [t for t in tokens if t.head.i == t.i]
        if len(roots) != 1:
            return None

        def mapped(i: int) -> int:
            return subject if pronoun and i == 0 else a + i - offset  # type: ignore[return-value]

        root = mapped(roots[0].i)
        for t in tokens[offset:]:
            i = mapped(t.i)
            if t.head.i == t.i:
                head, dep = (i, "ROOT") if governor is None else (governor, label)
            else:
                head, dep = mapped(t.head.i), t.dep_
            readings[i] = Reading(head, dep, t.tag_, t.pos_, t.lemma_, str(t.morph))
        return root


def known_verbs(nlp: Language) -> frozenset[str] | None:
    """The verbs the pipeline's rule lemmatizer knows (its verb list), or None."""
    if "lemmatizer" not in nlp.pipe_names:
        return None
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return None
    index = lookups.get_table("lemma_index")
    return frozenset(index["verb"]) if "verb" in index else None


def _ends_line(token: Token, text: str) -> bool:
    """Whether only spaces stand between ``token`` and a line break or the end of
    ``text`` (the text of its Doc)."""
    end = token.idx + len(token)
    while end < len(text) and text[end] in " \t":
        end += 1
    return end == len(text) or text[end] in "\r\n"


def _noun_phrase_word(token: Token) -> bool:
    return (
        token.pos_ in NOUN_PHRASE_POS
        or token.tag_ == "POS"
        or token.lower_ in NOUN_PHRASE_JOINS
        or token.is_space
    )


def _apply(doc: Doc, readings: dict[int, Reading], sentence_starts: list[int]) -> bool:
    """Write ``readings`` into ``doc``; False (and ``doc`` as it was) when the new arcs
    would move a sentence boundary."""
    attrs = [HEAD, DEP]
    saved = doc.to_array(attrs)
    new = saved.copy()
    for i, reading in readings.items():
        # heads are stored relative to the token, as unsigned 64-bit two's complement
        new[i, 0] = numpy.uint64((reading.head - i) % 2**64)
        new[i, 1] = doc.vocab.strings.add(reading.dep)
    try:
        doc.from_array(attrs, new)
    except ValueError:
        doc.from_array(attrs, saved)
        return False
    if [s.start for s in doc.sents] != sentence_starts:
        doc.from_array(attrs, saved)
        return False
    for i, reading in readings.items():
        token = doc[i]
        if reading.tag is not None:
            token.tag_ = reading.tag
            token.pos_ = reading.pos
            token.lemma_ = reading.lemma
            token.set_morph(reading.morph or None)
    return True
