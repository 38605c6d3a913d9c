"""Years cited as history: when a past date in a sentence may date the sentence's event.

News keeps recalling the past: "a ruling of 1975", "the 1967 borders", "occupied since
1991". Such a date says when something else happened, or when a state began, not when
today's event did. A date long past dates an event only when the event's word governs it:
it hangs on the event's verb (or event noun) directly ("the 1975 invasion", "invaded ...
last year"), or through a preposition that places the event in time ("in 1975 Indonesia
invaded East Timor", "during 1992"); not through a noun ("cited a ruling of 1975"), nor
through a preposition that bounds a period ("since 1991", "until 1967", "before 1948").

Dates within ``HISTORY_MARGIN`` of the publication date are news, and keep the ordinary
choice (the time expression tied to the predicate, else the nearest in the sentence).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dragoman.records import TimeExpr

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

#: How long before the publication date a date must end to be history rather than news.
HISTORY_MARGIN = timedelta(days=365)
#: Prepositions whose object places the event of the word they hang on in time.
DATING_PREPOSITIONS = frozenset({"in", "on", "at", "during", "throughout", "around", "circa"})
#: Dependencies by which a time phrase modifies its head word directly.
_DIRECT_DEPS = frozenset({"npadvmod", "tmod", "obl", "nmod", "nummod", "compound", "amod"})


def is_historical(time: TimeExpr, published: date | None) -> bool:
    """True when ``time`` covers a period that ended more than ``HISTORY_MARGIN`` before
    ``published`` (never without a publication date or a calendar range)."""
    if published is None or time.date_end is None:
        return False
    return time.date_end < published - HISTORY_MARGIN


def time_span(doc: Doc, time: TimeExpr) -> Span | None:
    """The tokens of ``doc`` that ``time`` covers."""
    return doc.char_span(time.start, time.end, alignment_mode="expand")


def governs(heads: Collection[int], time_tokens: Span) -> bool:
    """Whether one of the event words ``heads`` (token indices) governs the time phrase.

    The phrase's root hangs on a head directly ("the 1975 invasion", "invaded ... last
    year"), or is the object of a dating preposition hanging on a head ("invaded ... in
    1975"; "of" only on an event noun: "the invasion of 1975"). A date coordinated with
    another ("in 1975 and 1976") is governed as the first is.
    """
    root = time_tokens.root
    while root.dep_ == "conj" and not time_tokens.start <= root.head.i < time_tokens.end:
        root = root.head
    head = root.head
    if head.i == root.i:
        return False
    if head.i in heads and root.dep_ in _DIRECT_DEPS:
        return True
    if root.dep_ == "pobj" and head.dep_ == "prep" and head.head.i in heads:
        preposition = head.lower_
        if preposition == "of":
            return head.head.pos_ in ("NOUN", "PROPN")
        return preposition in DATING_PREPOSITIONS
    return False


def cited_history(doc: Doc, time: TimeExpr, heads: Collection[int], published: date | None) -> bool:
    """True when ``time`` is a date long past that the event words ``heads`` do not govern:
    it must not date the event ("X cited a ruling of 1975", "the 1967 borders", "since
    1991"), neither from the event's sentence nor from the sentences before it."""
    if not is_historical(time, published):
        return False
    span = time_span(doc, time)
    return span is None or not governs(heads, span)
