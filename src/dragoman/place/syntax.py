"""Dependency-tree tests shared by toponym resolution and predicate location."""

from __future__ import annotations

from spacy.tokens import Token

from dragoman.place.lexicon import PlaceLexicon

#: How far up the tree a place name may sit below its preposition
#: ("at the Moscow headquarters": Moscow -> headquarters -> at).
_MAX_CLIMB = 6


def is_motion(token: Token, lexicon: PlaceLexicon) -> bool:
    """True when the token is a motion predicate such as "visit" or "travel"."""
    return token.lemma_.lower() in lexicon.motion_predicates


def opens_locative_phrase(prep: Token, lexicon: PlaceLexicon) -> bool:
    """True when the preposition ``prep`` introduces where something is or happens.

    "in", "at", "near" always do; "to" and "into" only after a motion predicate
    ("travelled to"); "of" only after a relational word ("southwest of").
    """
    word = prep.lower_
    if word in lexicon.place_preps:
        return True
    if word in lexicon.motion_preps:
        return is_motion(prep.head, lexicon)
    return word == "of" and prep.head.lower_ in lexicon.relative_words


def in_locative_phrase(token: Token, lexicon: PlaceLexicon) -> bool:
    """True when the token lies inside a locative phrase of its clause.

    Also true for the direct object of a motion verb ("visited Riyadh").
    """
    node = token
    for _ in range(_MAX_CLIMB):
        head = node.head
        if head.i == node.i:
            return False
        if head.pos_ == "ADP" and opens_locative_phrase(head, lexicon):
            return True
        if head.pos_ in ("VERB", "AUX"):
            return node.dep_ == "dobj" and is_motion(head, lexicon)
        node = head
    return False


def clause_role(token: Token) -> Token:
    """The token that carries a coordinated token's role ("Moscow and Tehran said")."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def phrase_span(token: Token) -> tuple[int, int]:
    """Character offsets of the subtree under ``token``."""
    right = token.right_edge
    return token.left_edge.idx, right.idx + len(right.text)
