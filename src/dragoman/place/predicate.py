"""The place where an event happened, read from the phrases around its predicate."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from dragoman.place.lexicon import PlaceLexicon, load_lexicon
from dragoman.place.syntax import is_motion, opens_locative_phrase, phrase_span
from dragoman.records import Place

#: Most specific first: a city beats the division, region or country it lies in.
_SPECIFICITY = {"city": 0, "admin1": 1, "region": 2, "country": 3}
#: Roles in which an event noun is carried by a light verb ("held talks", "talks took place").
_LIGHT_VERB_ROLES = ("dobj", "nsubj", "nsubjpass", "attr")


def place_for_predicate(predicate: Token, places: list[Place]) -> Place | None:
    """The place tied to an event's predicate (a verb or an event noun), or None.

    Looks for a locative phrase attached to the predicate, to its object or
    companion ("met with X in Y"), or to the light verb that carries an event noun
    ("held talks in Doha"): "met in Moscow", "at the Moscow headquarters of the
    ministry", "an air strike southwest of Baghdad". For motion predicates the
    destination is the location ("visited Riyadh", "travelled to Saudi Arabia"); a
    verb coordinated with a motion verb shares its destination ("travelled to Saudi
    Arabia and met its leader"). Returns the most specific place inside the first
    such phrase; which words count as locative is listed in
    ``dragoman/data/places/locative_preps.tsv``.
    """
    lexicon = load_lexicon()
    for start, end in _locative_phrases(predicate, lexicon):
        inside = [p for p in places if p.start >= start and p.end <= end]
        if inside:
            return min(inside, key=lambda p: (_SPECIFICITY.get(p.feature, 9), p.start))
    return None


def _anchors(predicate: Token) -> list[Token]:
    """The predicate and the tokens whose phrases may locate it."""
    anchors = [predicate]
    for child in predicate.children:
        if child.dep_ == "dobj":
            anchors.append(child)
        if child.dep_ == "prep" and child.lower_ == "with":
            anchors.extend(c for c in child.children if c.dep_ == "pobj")
    head = predicate.head
    if head.i != predicate.i:
        carried = predicate.pos_ == "NOUN" and predicate.dep_ in _LIGHT_VERB_ROLES
        if predicate.dep_ == "compound" or (carried and head.pos_ in ("VERB", "AUX")):
            anchors.append(head)
    return anchors


def _locative_phrases(predicate: Token, lexicon: PlaceLexicon) -> Iterator[tuple[int, int]]:
    """Character spans of the phrases that may say where the predicate happened."""
    motion = is_motion(predicate, lexicon)
    for anchor in _anchors(predicate):
        for child in anchor.children:
            locative = child.dep_ == "prep" and opens_locative_phrase(child, lexicon)
            relative = child.lower_ in lexicon.relative_words and _has_of(child)
            destination = anchor is predicate and motion and child.dep_ == "dobj"
            if locative or relative or destination:
                yield phrase_span(child)
        if anchor.lower_ in lexicon.relative_words and anchor is not predicate:
            for child in anchor.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    yield phrase_span(child)
    head = predicate.head
    if predicate.dep_ == "conj" and head.i != predicate.i and is_motion(head, lexicon):
        yield from _locative_phrases(head, lexicon)


def _has_of(token: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children)
