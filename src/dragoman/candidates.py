"""Parse only the lines of an article that may hold an event.

Most lines of a news article hold no event: no word of them begins a verb or noun pattern
of the lexicon. The full spaCy pipeline (tagger, parser, entity recogniser, lemmatizer)
is its most expensive part, so :class:`SelectiveParser` gives it only

* the lines holding a *trigger candidate*: every word of some verb or noun pattern of the
  lexicon (imported rows included), a verb of gathering or an auxiliary of obligation
  (``gatherings.tsv``, ``deontic_codes.tsv``), each word matched by any lemma its form may
  have (the lemmatizer's rules and exceptions for every part of speech: more lines than
  the tagger would let through, never fewer);
* the ``context`` lines before each of them, where the actors a later pronoun or "the
  ministry" refers back to are named;
* the first ``lead`` lines (headline, date line, lead sentence), and every line of a
  quotation that runs over several lines when one of them is parsed.

A line is the unit because a line break is a sentence break for the full pipeline too
(``dragoman_line_breaks``): a group of lines parsed alone is parsed as it is in the whole
article, but for the few words of context the network reads across the break. The other
lines are tokenized only, cut into sentences by punctuation; they keep every token and
character offset of the full parse but carry no tags, lemmas, dependencies or entities.
The Doc handed on has exactly the tokens and text of ``nlp(text)``.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from dragoman.actors.resolvers.state import ANTECEDENT_WINDOW
from dragoman.nlp import SENTENCE_CUTS
from dragoman.nlp_text import TEXT, remember_text
from dragoman.ontology import Lexicon
from dragoman.ontology.gatherings import load_gatherings
from dragoman.ontology.modal import load_deontic_codes

#: Environment variable switching the selective parse on ("1", "true", "yes", "on").
SELECTIVE_ENV = "DRAGOMAN_SELECTIVE_PARSE"
#: Lines before a candidate line parsed with it: as many as the sentences back in which
#: a reference may find its antecedent (a line holds at least one sentence). With one
#: line, a few pronouns of the dev texts lost the antecedent they had with the full parse.
CONTEXT_LINES = ANTECEDENT_WINDOW
#: Lines at the top of an article always parsed (headline, date line, lead).
LEAD_LINES = 2

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})
_QUOTE = re.compile(r"“[^“”]*”|\"[^\"]*\"|«[^«»]*»")
#: Dependency label of the arcs that hold an unparsed sentence together.
UNPARSED = "unparsed"
#: Parts of speech whose lemmatizer rules and exceptions are tried on every form.
_PARTS = ("noun", "verb", "adj", "adv")
#: How many forms' possible lemmas are remembered.
_CACHE_SIZE = 200_000


def selective_from_env() -> bool:
    """Whether ``DRAGOMAN_SELECTIVE_PARSE`` asks for the selective parse (off by default);
    ValueError naming the variable for a value that is neither yes nor no."""
    raw = os.environ.get(SELECTIVE_ENV, "")
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{SELECTIVE_ENV} must be 1 or 0 (true/false, yes/no, on/off), not {raw!r}")


class TriggerWords:
    """Whether a bag of word forms holds all the words of some event pattern."""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        patterns: dict[str, list[frozenset[str]]] = {}
        for lemma in lexicon.verb_lemmas:
            for entry in lexicon.verb_entries(lemma):
                patterns.setdefault(entry.words[0], []).append(frozenset(entry.words))
        for head in lexicon.noun_heads:
            for entry in lexicon.noun_entries(head):
                patterns.setdefault(entry.words[-1], []).append(frozenset(entry.words))
        #: Pattern words by the word they are keyed on.
        self.patterns = patterns
        #: Words that make a line a candidate alone: gathering verbs (their subject and
        #: particle are checked after the parse) and auxiliaries of obligation ("must").
        self.single = frozenset(load_gatherings()) | frozenset(load_deontic_codes())
        self._lookups = _lemma_tables(nlp)
        self._ruler_lemmas = _ruler_lemmas(nlp)
        self._cache: dict[str, frozenset[str]] = {}

    def lemmas(self, form: str) -> frozenset[str]:
        """Every lemma the lemmatizer may give the word ``form`` (lower case), whatever its
        part of speech: the form itself, its exceptions and what each rule makes of it."""
        found = self._cache.get(form)
        if found is not None:
            return found
        out = {form}
        out.update(self._ruler_lemmas.get(form, ()))
        exceptions, rules = self._lookups
        for part in _PARTS:
            out.update(exceptions.get(part, {}).get(form, ()))
            for old, new in rules.get(part, ()):
                if form.endswith(old) and len(form) > len(old):
                    out.add(form[: len(form) - len(old)] + new)
        found = frozenset(out)
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[form] = found
        return found

    def holds_trigger(self, forms: Iterable[str]) -> bool:
        """Whether the words ``forms`` (lower case) hold every word of some pattern."""
        bag: set[str] = set()
        for form in forms:
            bag |= self.lemmas(form)
        if bag & self.single:
            return True
        return any(words <= bag for key in bag for words in self.patterns.get(key, ()))


def _lemma_tables(nlp: Language) -> tuple[dict, dict]:
    """The rule lemmatizer's exception and rule tables (empty without one)."""
    if "lemmatizer" not in nlp.pipe_names:
        return {}, {}
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None:
        return {}, {}
    tables = []
    for name in ("lemma_exc", "lemma_rules"):
        table = lookups.get_table(name) if lookups.has_table(name) else {}
        # a lookups table is keyed by hashes: read it by part of speech into a plain dict
        tables.append({part: table.get(part, {}) for part in _PARTS})
    return tables[0], tables[1]


def _ruler_lemmas(nlp: Language) -> dict[str, set[str]]:
    """Lemmas the attribute ruler gives words outright ("'s" -> "be", "ca" -> "can")."""
    if "attribute_ruler" not in nlp.pipe_names:
        return {}
    out: dict[str, set[str]] = {}
    for rule in nlp.get_pipe("attribute_ruler").patterns:
        lemma = rule.get("attrs", {}).get("LEMMA")
        if not isinstance(lemma, str):
            continue
        for pattern in rule.get("patterns", []):
            for token in pattern:
                for key in ("LOWER", "ORTH"):
                    value = token.get(key)
                    words = value.get("IN", []) if isinstance(value, dict) else [value]
                    for word in words:
                        if isinstance(word, str):
                            out.setdefault(word.lower(), set()).add(lemma.lower())
    return out


class SelectiveParser:
    """Parses the candidate lines of texts (see the module's docstring); build once."""

    def __init__(
        self,
        nlp: Language,
        lexicon: Lexicon,
        context: int = CONTEXT_LINES,
        lead: int = LEAD_LINES,
    ) -> None:
        self.nlp = nlp
        self.triggers = TriggerWords(nlp, lexicon)
        self.context = context
        self.lead = lead
        self._sentencizer = Sentencizer()

    def pipe(self, texts: Sequence[str], batch_size: int = 32) -> list[Doc]:
        """One Doc per text, with the tokens of ``nlp(text)``; only selected lines parsed."""
        plans = [self._plan(text) for text in texts]
        wanted = [piece for _, pieces in plans for piece, parse in pieces if parse]
        parsed = iter(self.nlp.pipe(wanted, batch_size=max(1, batch_size)))
        docs = []
        for whole, pieces in plans:
            parts = []
            for piece, parse in pieces:
                parts.append(next(parsed) if parse else self._sentences(piece))
            docs.append(_join(whole, parts))
        return docs

    def __call__(self, text: str) -> Doc:
        return self.pipe([text])[0]

    def selected_lines(self, doc: Doc) -> list[bool]:
        """For each line of the tokenized ``doc`` (see :func:`line_starts`), whether it is
        parsed."""
        starts = line_starts(doc)
        bounds = [*starts, len(doc)]
        lines = [doc[a:b] for a, b in pairwise(bounds)]
        candidate = [
            self.triggers.holds_trigger(t.lower_ for t in line if not t.is_space) for line in lines
        ]
        chosen = [False] * len(lines)
        for i, hit in enumerate(candidate):
            if hit:
                for j in range(max(0, i - self.context), i + 1):
                    chosen[j] = True
        filled = [i for i, line in enumerate(lines) if any(not t.is_space for t in line)]
        for i in filled[: self.lead]:
            chosen[i] = True
        for first, last in _quoted_line_groups(doc, starts):
            if any(chosen[first : last + 1]):
                for j in range(first, last + 1):
                    chosen[j] = True
        return chosen

    def _sentences(self, piece: Doc) -> Doc:
        """An unparsed piece cut into sentences by punctuation and at line breaks."""
        piece = self._sentencizer(piece)
        for token in piece[1:]:
            if token.is_space:  # white space closes the sentence before it, as in a parse
                token.is_sent_start = False
        for i in line_starts(piece):
            piece[i].is_sent_start = True
        return piece

    def _plan(self, text: str) -> tuple[Doc, list[tuple[Doc, bool]]]:
        """The tokenized text, and its pieces (runs of lines) each with whether to parse it."""
        whole = self.nlp.make_doc(text)
        if not len(whole):
            return whole, [(whole, True)]
        starts = line_starts(whole)
        chosen = self.selected_lines(whole)
        pieces: list[tuple[Doc, bool]] = []
        bounds = [*starts, len(whole)]
        run_start = 0
        for i in range(1, len(chosen) + 1):
            if i == len(chosen) or chosen[i] != chosen[run_start]:
                a, b = bounds[run_start], bounds[i]
                if b > a:
                    pieces.append((whole[a:b].as_doc(), chosen[run_start]))
                run_start = i
        return whole, pieces


def line_starts(doc: Doc) -> list[int]:
    """Indices of the tokens that begin a line of ``doc`` (the first token, and each token
    after a whitespace token holding a line break), as ``dragoman_line_breaks`` marks them."""
    starts = [0]
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            starts.append(token.i + 1)
    return starts


def _quoted_line_groups(doc: Doc, starts: list[int]) -> list[tuple[int, int]]:
    """(first, last) line of each quotation that runs over more than one line."""
    groups = []
    offsets = [doc[i].idx for i in starts] if len(doc) else []
    for match in _QUOTE.finditer(doc.text):
        first = _line_of(offsets, match.start())
        last = _line_of(offsets, match.end() - 1)
        if last > first:
            groups.append((first, last))
    return groups


def _line_of(offsets: list[int], char: int) -> int:
    """The line (index into the sorted line ``offsets``) holding character ``char``."""
    return max(0, bisect_right(offsets, char) - 1)


def _join(whole: Doc, parts: list[Doc]) -> Doc:
    """The parts as one Doc with the text of ``whole`` (ValueError if it differs)."""
    if len(parts) == 1:
        doc = parts[0]
    else:
        for part in parts:  # the network's token vectors: nothing after the parse reads them
            part.tensor = numpy.zeros((0,), dtype="float32")
            part.user_data.pop(TEXT, None)  # the whole's is kept below
        doc = Doc.from_docs(parts, ensure_whitespace=False)
        _keep_unparsed_sentences(doc, parts)
    text = whole.text
    if doc.text != text or len(doc) != len(whole):
        raise ValueError("selective parse: the joined pieces differ from the tokenized text")
    remember_text(doc, text)
    cuts = sum(part.user_data.get(SENTENCE_CUTS, 0) for part in parts)
    if cuts:
        doc.user_data[SENTENCE_CUTS] = cuts
    return doc


def selective_parser(
    nlp: Language, lexicon: Lexicon, selective: bool | None = None
) -> SelectiveParser | None:
    """A :class:`SelectiveParser` when ``selective`` (by default: when
    ``DRAGOMAN_SELECTIVE_PARSE`` asks for one), else None (``nlp`` parses everything)."""
    if selective is None:
        selective = selective_from_env()
    return SelectiveParser(nlp, lexicon) if selective else None


def _keep_unparsed_sentences(doc: Doc, parts: list[Doc]) -> None:
    """Give each sentence of an unparsed piece a tree of its own: its first word the root,
    the others hanging from it, every word labelled ``unparsed``.

    A Doc with dependencies reads its sentences from its trees, so without one the words
    of an unparsed piece would fall into the sentence before them. No rule reads that
    label, so the arcs match no pattern."""
    if not doc.has_annotation("DEP"):
        return
    heads = doc.to_array([HEAD, DEP]).astype("int64")  # relative heads, some negative
    # an arc (or a root) with no label at all would be read as a missing one
    unlabelled = doc.vocab.strings.add(UNPARSED)
    offset = 0
    for part in parts:
        if not part.has_annotation("DEP"):
            root = offset
            for token in part:
                i = offset + token.i
                if token.is_sent_start:
                    root = i
                heads[i, 0] = root - i
                heads[i, 1] = unlabelled
        offset += len(part)
    doc.from_array([HEAD, DEP], heads.astype("uint64"))
