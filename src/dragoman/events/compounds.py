"""Hyphenated phrasal compounds the parser took apart, read again as one word.

spaCy splits a hyphenated word at its hyphens ("drive-by" is ``drive``, ``-``, ``by``),
and the tagger and parser then read each part as a word of the sentence. A compound built
from a phrase -- a verb and its particle ("drive-by", "sit-in", "shoot-out"), a coordination
("hit-and-run"), a prepositional phrase ("tit-for-tat", "face-to-face") -- is then easily
read as that phrase: in "carried out a drive-by shooting attack" ``drive`` becomes the
object of "carried out", ``by`` a particle and ``shooting`` a verb with "attack" for its
object; in "a hit-and-run attack" ``hit`` is a verb. The event coder then misses the attack,
or finds a predicate inside a word.

The ``dragoman_compounds`` component finds such a compound and parses its sentence again
with one ordinary word in its place: the adjective :data:`MODIFIER_STAND_IN` when a word
follows that the compound may modify ("a new shooting attack"), else the noun
:data:`NOUN_STAND_IN` ("staged a thing outside parliament"). When the stand-in is read as
hoped (the adjective as the modifier of a noun after it, the noun as a noun), the sentence
takes the new parse: the compound's last part takes the stand-in's place in the tree, with
its tag, and the other parts hang on it. The text, the tokens and their offsets do not
change.

A compound is read again only when all of these hold:

* its parts are lower-case words joined by hyphens with no space ("pro-Russian" and
  "al-Qaeda" are names and left to actor recognition), and a part after the first is a
  function word (spaCy's stop words: "by", "in", "and", "for", "to", "out");
* the parse reads it as more than one word: a part is tagged as a verb or a particle (or
  attached as one), its parts hang on different words outside it, or a word outside it
  hangs on a part other than its last.

"car-bomb attack" and "cross-border shelling" are parsed well as they are and are left
alone, and so is any compound whose parse already holds together ("tit-for-tat strikes").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dragoman.events.headlines import Reading, hint_parse
from dragoman.events.headlines import _apply as apply_readings

#: Component name (placed after the models, see :func:`add_compound_reading`).
COMPONENT = "dragoman_compounds"
#: The word that stands for a compound modifying a noun in the hint text.
MODIFIER_STAND_IN = "new"
#: The word that stands for a compound used as a noun.
NOUN_STAND_IN = "thing"
#: Hyphens joining the parts of a compound.
HYPHENS = frozenset({"-", "\u2010", "\u2011"})
#: Tags that show a part was read as a verb or a particle of its own.
_VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD", "RP"})
#: Parts of speech a modified phrase may hold between the stand-in and its head noun.
_NOMINAL = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})


@dataclass(frozen=True)
class Compound:
    """A hyphenated compound over tokens ``[start, end)`` and how to read it again."""

    start: int
    end: int
    #: ``modifier`` (before a noun) or ``noun``.
    kind: str

    @property
    def stand_in(self) -> str:
        return MODIFIER_STAND_IN if self.kind == "modifier" else NOUN_STAND_IN


def find_compounds(sentence: Span) -> list[Compound]:
    """The phrasal compounds of ``sentence`` the parse reads as more than one word."""
    doc = sentence.doc
    found = []
    i = sentence.start
    while i < sentence.end:
        end = _compound_end(doc, i, sentence.end)
        if end is None:
            i += 1
            continue
        if _phrasal(doc, i, end) and _misread(doc, i, end):
            after = doc[end] if end < sentence.end else None
            modifies = (
                after is not None and after.is_alpha and not after.is_stop and not after.is_punct
            )
            found.append(Compound(i, end, "modifier" if modifies else "noun"))
        i = end
    return found


def _compound_end(doc: Doc, start: int, limit: int) -> int | None:
    """End of the hyphenated compound starting at ``start`` (word, hyphen, word, ...), or
    None when none starts there."""
    if doc[start].i > 0 and doc[start - 1].text in HYPHENS and not doc[start - 1].whitespace_:
        return None  # inside a compound, not at its start
    end = start + 1
    while (
        end + 1 < limit
        and not doc[end - 1].whitespace_
        and doc[end].text in HYPHENS
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
    ):
        end += 2
    if end == start + 1 or not doc[start].is_alpha:
        return None
    return end


def _phrasal(doc: Doc, start: int, end: int) -> bool:
    """Lower-case parts (the first may be capitalised at a sentence start), a function word
    after the first."""
    parts = [doc[i] for i in range(start, end, 2)]
    first = parts[0]
    if not (first.text.islower() or (first.is_sent_start and first.text[1:].islower())):
        return False
    if not all(p.text.islower() for p in parts[1:]):
        return False
    return any(p.is_stop for p in parts[1:])


def _misread(doc: Doc, start: int, end: int) -> bool:
    parts = [doc[i] for i in range(start, end, 2)]
    if any(p.tag_ in _VERB_TAGS or p.dep_ == "prt" for p in parts):
        return True
    inside = range(start, end)
    outside_heads = {p.head.i for p in parts if p.head.i not in inside}
    if len(outside_heads) > 1:
        return True
    last = end - 1
    return any(
        t.head.i in inside and t.head.i != last
        for t in doc[doc[start].sent.start : doc[start].sent.end]
        if t.i not in inside
    )


class CompoundReader:
    """The ``dragoman_compounds`` component (see the module's documentation)."""

    def __init__(self, parse: Callable[[str], Doc]) -> None:
        #: Parses a hint text (the pipeline the component belongs to).
        self.parse = parse
        self._busy = False

    def __call__(self, doc: Doc) -> Doc:
        if self._busy or not doc.has_annotation("DEP"):
            return doc  # a hint text being parsed, or nothing to re-read
        if not any(t.text in HYPHENS and not t.whitespace_ for t in doc):
            return doc
        self._busy = True
        try:
            sentences = list(doc.sents)
            readings: dict[int, Reading] = {}
            for sentence in sentences:
                compounds = find_compounds(sentence)
                if compounds:
                    readings.update(self._read_again(sentence, compounds) or {})
            if readings:
                apply_readings(doc, readings, [s.start for s in sentences])
        finally:
            self._busy = False
        return doc

    def _read_again(self, sentence: Span, compounds: list[Compound]) -> dict[int, Reading] | None:
        """New readings of the tokens of ``sentence``, or None when the hint is not parsed
        as hoped."""
        doc = sentence.doc
        words = [t for t in sentence if not t.is_space]
        first, last = words[0].i, words[-1].i
        if any(t.is_space for t in doc[first:last]):
            return None
        by_start = {c.start: c for c in compounds}
        pieces: list[str] = []
        position: list[int] = []  # hint token -> doc token (a compound's last part)
        i = first
        while i <= last:
            compound = by_start.get(i)
            if compound is not None:
                pieces.append(compound.stand_in + doc[compound.end - 1].whitespace_)
                position.append(compound.end - 1)
                i = compound.end
            else:
                pieces.append(doc[i].text_with_ws)
                position.append(i)
                i += 1
        hint = self.parse("".join(pieces).rstrip())
        if len(hint) != len(position):
            return None
        stand_ins = {c.end - 1: c for c in compounds}
        for k, token in enumerate(hint):
            j = position[k]
            if j not in stand_ins and token.text != doc[j].text:
                return None
        if sum(1 for t in hint if t.head.i == t.i) != 1:
            return None
        for k, j in enumerate(position):
            if j in stand_ins and not _as_hoped(hint[k], stand_ins[j].kind):
                return None
        readings: dict[int, Reading] = {}
        for k, token in enumerate(hint):
            j = position[k]
            head = j if token.head.i == k else position[token.head.i]
            dep = "ROOT" if head == j else token.dep_
            if j in stand_ins:
                readings.update(_compound_readings(doc, stand_ins[j], head, dep, token))
            else:
                readings[j] = Reading(
                    head, dep, token.tag_, token.pos_, token.lemma_, str(token.morph)
                )
        return readings


def _as_hoped(token: Token, kind: str) -> bool:
    """The stand-in read as the modifier of a noun after it, or as a noun."""
    if kind == "noun":
        return token.tag_ in ("NN", "NNS") and token.pos_ == "NOUN"
    head = token.head
    if token.tag_ != "JJ" or token.dep_ not in ("amod", "compound") or head.i <= token.i:
        return False
    between = token.doc[token.i + 1 : head.i + 1]
    return head.pos_ in ("NOUN", "PROPN") and all(t.pos_ in _NOMINAL for t in between)


def _compound_readings(
    doc: Doc, compound: Compound, head: int, dep: str, stand_in: Token
) -> dict[int, Reading]:
    """The compound's parts: the last in the stand-in's place, the others hanging on it."""
    last = compound.end - 1
    tag, pos = ("JJ", "ADJ") if compound.kind == "modifier" else (stand_in.tag_, "NOUN")
    readings = {last: Reading(head, dep, tag, pos, doc[last].lower_, "")}
    for i in range(compound.start, last):
        token = doc[i]
        if token.text in HYPHENS:
            readings[i] = Reading(last, "punct", "HYPH", "PUNCT", token.text, "")
        else:
            readings[i] = Reading(last, "compound", tag, pos, token.lower_, "")
    return readings


@Language.factory(COMPONENT)
def make_compound_reader(nlp: Language, name: str) -> CompoundReader:
    """The component, parsing its hint texts with the pipeline it belongs to."""
    return CompoundReader(hint_parse(nlp))


def add_compound_reading(nlp: Language, before: str | None = None) -> None:
    """Add the component to ``nlp``, after its models (before ``before`` when given)."""
    if before is not None and before in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before=before)
    else:
        nlp.add_pipe(COMPONENT, last=True)
