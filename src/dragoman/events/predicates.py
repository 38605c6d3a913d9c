"""Finding event predicates in a parsed sentence by looking them up in the lexicon."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token

# Children of a verb that may carry the extra words of a pattern
# ("call off", "hold talks", "express gratitude", "carry out strikes").
PATTERN_CHILD_DEPS = frozenset(
    {
        "prt",
        "advmod",
        "prep",
        "dobj",
        "obj",
        "dative",
        "attr",
        "acomp",
        "oprd",
        "xcomp",
        "npadvmod",
        # a passive's subject is the active pattern's object ("weapons were delivered")
        "nsubjpass",
        # a small clause the parser reads as a complement ("found him guilty")
        "ccomp",
    }
)
NOUN_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
# Below a word already matched: its modifiers, particles, or a preposition's object.
HOLDER_CHILD_DEPS = PATTERN_CHILD_DEPS | NOUN_MODIFIER_DEPS | frozenset({"pobj", "poss"})


@dataclass
class Predicate:
    """A word (or words) in the text that denote an event in the lexicon."""

    head: Token
    #: ``verb`` or ``noun``.
    kind: str
    entry: Any
    #: Every token of the match, head included, in text order.
    tokens: list[Token] = field(default_factory=list)
    #: Other entries matching the same words ("call on X" 020 / "call X" 041): the
    #: coder keeps the first whose target slot is filled.
    alternatives: list[Any] = field(default_factory=list)
    #: A verb outside the lexicon that is coded only for the frame around it ("said Y
    #: must ensure security" is a demand whatever Y must do).
    implicit: bool = False

    @property
    def cameo(self) -> str:
        return self.entry.cameo

    @property
    def trigger_span(self) -> tuple[int, int]:
        start = min(t.idx for t in self.tokens)
        end = max(t.idx + len(t.text) for t in self.tokens)
        return start, end

    @property
    def holders(self) -> list[Token]:
        """Tokens a prepositional target phrase may attach to: the predicate's words and
        an open complement ("offered to hand over to Britain")."""
        extra = [c for c in self.head.children if c.dep_ == "xcomp"]
        if self.kind == "noun":
            # "the withdrawal of forces from Panama": the phrase may hang on the noun's object
            extra += [
                g
                for c in self.head.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                if g.dep_ == "pobj"
            ]
        return self.tokens + extra


def _find_child(token: Token, lemma: str, deps: frozenset[str]) -> Token | None:
    for child in token.children:
        if child.dep_ in deps and _is_word(child, lemma):
            return child
    return None


def _is_word(token: Token, lemma: str) -> bool:
    """Whether ``token`` is the pattern word ``lemma``: by its lemma, or, for a noun in -ing
    the parser took for a verb ("Moscow cancels meeting", "condemned the bombing"), by its
    form."""
    return token.lemma_.lower() == lemma or (token.tag_ == "VBG" and token.lower_ == lemma)


def _quantified_object(verb: Token, lemma: str) -> Token | None:
    """ "provided 25,000 tons of food aid", "delivered $50,000 worth of goods", "a lot of
    weapons were seized": the object word behind a measure noun."""
    for child in verb.children:
        if child.dep_ not in ("dobj", "obj", "nsubjpass"):
            continue
        for prep in child.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for noun in prep.children:
                    if noun.dep_ == "pobj" and noun.lemma_.lower() == lemma:
                        return noun
    return None


def match_verb(token: Token, lexicon, lemmas: frozenset[str] | None = None) -> Predicate | None:
    """The longest verb pattern whose words all attach to ``token``, with the other
    patterns of the same length as alternatives.

    ``lemmas``, when given, holds every word of ``token``'s sentence a pattern word may
    match (:func:`sentence_lemmas`): a pattern with a word outside it cannot attach (its
    words are read below the verb, in its sentence), so it is passed over without a look
    at the tree."""
    if token.pos_ not in ("VERB", "AUX") and not _parsed_as_verb(token):
        return None
    best: Predicate | None = None
    for entry in lexicon.verb_entries(token.lemma_.lower()):
        if best is not None and len(entry.words) < len(best.entry.words):
            break
        if lemmas is not None and not lemmas.issuperset(entry.words[1:]):
            continue
        if "naming" in entry.flags and _names_something(token):
            continue
        matched = _attach_words(token, entry.words[1:])
        if matched is None:
            continue
        if best is None:
            best = Predicate(token, "verb", entry, sorted(matched, key=lambda t: t.i), [entry])
        else:
            best.alternatives.append(entry)
    return best


def _parsed_as_verb(token: Token) -> bool:
    """ "Protesters storm parliament": in a headline the tagger may call a verb a noun while
    the parser gives it a subject and an object, as only a verb has."""
    return (
        token.pos_ == "NOUN"
        and token.dep_ in ("ROOT", "conj", "ccomp")
        and any(c.dep_ == "nsubj" for c in token.children)
        and any(c.dep_ in ("dobj", "obj") for c in token.children)
    )


def _names_something(verb: Token) -> bool:
    """ "calling it a hate crime", "what the group called retaliation": an object predicate
    (a noun or adjective, not a date read as one) makes the verb one of naming."""
    return any(
        c.dep_ == "oprd" and c.pos_ in ("NOUN", "ADJ") and c.ent_type_ not in ("DATE", "TIME")
        for c in verb.children
    )


def _attach_words(verb: Token, words: tuple[str, ...]) -> list[Token] | None:
    """Tokens for ``words`` attached to ``verb`` or, in any order, to one another ("carry out
    air strikes", "provide humanitarian aid", "call for the release"); None if one is missing."""
    matched = [verb]
    missing = list(words)
    while missing:
        progress = False
        for word in list(missing):
            found = _find_child(verb, word, PATTERN_CHILD_DEPS)
            if found is None:
                for holder in matched[1:]:
                    found = _find_child(holder, word, HOLDER_CHILD_DEPS)
                    if found is not None:
                        break
            if found is None:
                found = _quantified_object(verb, word)
            if found is not None and found not in matched:
                matched.append(found)
                missing.remove(word)
                progress = True
        if not progress:
            return None
    return matched


def match_noun(token: Token, lexicon) -> Predicate | None:
    """The longest nominal pattern headed by ``token`` ("phone call", "air strike")."""
    # proper nouns are names ("March 28", "Strike Force"), not events
    if token.pos_ != "NOUN":
        return None
    for entry in lexicon.noun_entries(token.lemma_.lower()):
        modifiers = _modifiers(token, entry.words[:-1])
        if modifiers is not None:
            matched = sorted([token, *modifiers], key=lambda t: t.i)
            return Predicate(token, "noun", entry, matched, [entry])
    return None


def _modifiers(noun: Token, words: Sequence[str]) -> list[Token] | None:
    """Modifiers of ``noun`` for each of ``words`` ("air" of "strike"), or None when one is
    missing."""
    found = []
    for word in words:
        modifier = _find_child(noun, word, NOUN_MODIFIER_DEPS)
        if modifier is None:
            return None
        found.append(modifier)
    return found


def find_predicates(sentence: Span, lexicon) -> list[Predicate]:
    """Verbal and nominal predicates of ``sentence``; a noun swallowed by a verb pattern
    ("held talks") is not coded again on its own."""
    verbs: list[Predicate] = []
    used: set[int] = set()
    lemmas = sentence_lemmas(sentence)
    for token in sentence:
        predicate = match_verb(token, lexicon, lemmas)
        if predicate is not None:
            verbs.append(predicate)
            used.update(t.i for t in predicate.tokens)
    # a noun in -ing read as a verb, matched by its form as a word of another verb's
    # pattern, is no predicate of its own: "cancels meeting" is the cancellation, no meeting
    inside = {
        t.i
        for p in verbs
        for t in p.tokens
        if t is not p.head and t.tag_ == "VBG" and t.lemma_.lower() not in p.entry.words
    }
    verbs = [p for p in verbs if p.head.i not in inside]
    nouns = []
    for token in sentence:
        if token.i in used:
            continue
        predicate = match_noun(token, lexicon) or match_verbal_noun(token, lexicon)
        if predicate is not None:
            nouns.append(predicate)
    return verbs + nouns


def sentence_lemmas(sentence: Span) -> frozenset[str]:
    """The lower-case lemmas of the tokens of ``sentence``, and the forms of its words in
    -ing (see :func:`match_verb` and :func:`_is_word`)."""
    words = {token.lemma_.lower() for token in sentence}
    words.update(token.lower_ for token in sentence if token.tag_ == "VBG")
    return frozenset(words)


def match_verbal_noun(token: Token, lexicon) -> Predicate | None:
    """ "the use of poisonous gas by militants", "the seizure of weapons": a noun that is
    its verb's lemma, with the verb pattern's object in its "of" phrase, is that pattern's
    act, told as a noun (its author in the "by" phrase)."""
    if token.pos_ != "NOUN":
        return None
    obj = next(
        (
            g
            for c in token.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children
            if g.dep_ == "pobj"
        ),
        None,
    )
    if obj is None:
        return None
    for entry in lexicon.verb_entries(token.lemma_.lower()):  # the longest first
        if len(entry.words) < 2 or not _is_word(obj, entry.words[1]):
            continue
        # "the use of poisonous gas": the pattern's further words modify its object
        modifiers = _modifiers(obj, entry.words[2:])
        if modifiers is not None:
            matched = sorted([token, obj, *modifiers], key=lambda t: t.i)
            return Predicate(token, "noun", entry, matched, [entry])
    return None
