"""When did an event happen? The time expression tied to its predicate, else the
nearest anchor in its sentence, else a recent anchor in the sentences before, else
the publication date. The event says which (``date_source``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from dragoman.records import TimeExpr
from dragoman.time import cited_history

#: How many sentences back an anchor still dates an event without its own.
CONTEXT_SENTENCES = 4


@dataclass
class EventDate:
    value: str | None
    start: date | None
    end: date | None
    precision: str | None
    source: str


def _is_anchor(time: TimeExpr) -> bool:
    return time.type in ("DATE", "TIME") and time.date_start is not None


def _root(doc: Doc, time: TimeExpr) -> Token | None:
    span = doc.char_span(time.start, time.end, alignment_mode="expand")
    return span.root if span is not None else None


def _tied(doc: Doc, time: TimeExpr, heads: set[int]) -> bool:
    """Whether a time expression modifies the predicate: climbing from it to the verb it
    hangs on passes one of the predicate's ``heads``."""
    root = _root(doc, time)
    if root is None:
        return False
    current = root
    # a time phrase may hang on the event noun itself ("talks on Monday")
    while current.head.i != current.i:
        if current.i in heads:
            return True
        if current.pos_ in ("VERB", "AUX"):
            break
        current = current.head
    return current.i in heads


def _from_time(time: TimeExpr, source: str) -> EventDate:
    return EventDate(time.value, time.date_start, time.date_end, time.precision, source)


def _window_start(doc: Doc, sentence: Span) -> int:
    """Where the sentences that may lend an event their date begin: up to
    ``CONTEXT_SENTENCES`` back, found by walking sentence starts backwards."""
    start = sentence.start
    for _ in range(CONTEXT_SENTENCES):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    return doc[start].idx


def date_event(
    doc: Doc,
    sentence: Span,
    predicate_tokens: list[Token],
    times: list[TimeExpr],
    published: date | None,
) -> EventDate:
    """Choose the date of an event whose predicate is made of ``predicate_tokens``."""
    heads = {t.i for t in predicate_tokens}
    for token in predicate_tokens:
        # coordinated verbs share a time phrase: "visited ... in December and met ..."
        if token.dep_ == "conj":
            heads.add(token.head.i)
        # a nominal event takes the time of its light verb: "held talks on December 7"
        if token.dep_ in ("dobj", "pobj") and token.head.pos_ in ("VERB", "ADP"):
            heads.add(token.head.i if token.head.pos_ == "VERB" else token.head.head.i)
    # a year cited as history ("a ruling of 1975") dates the event only when its words
    # govern it ("in 1975 X invaded Y")
    anchors = [t for t in times if _is_anchor(t) and not cited_history(doc, t, heads, published)]
    in_sentence = [t for t in anchors if sentence.start_char <= t.start < sentence.end_char]
    tied = [t for t in in_sentence if _tied(doc, t, heads)]
    if tied:
        return _from_time(tied[0], "predicate")
    if in_sentence:
        trigger = predicate_tokens[0].idx
        nearest = min(in_sentence, key=lambda t: abs(t.start - trigger))
        return _from_time(nearest, "sentence")
    window_start = _window_start(doc, sentence)
    if window_start < sentence.start_char:
        before = [t for t in anchors if window_start <= t.start < sentence.start_char]
        past = [t for t in before if published is None or t.date_start <= published]
        if past:
            return _from_time(past[-1], "context")
    if published is not None:
        return EventDate(published.isoformat(), published, published, "day", "publication")
    return EventDate(None, None, None, None, "none")
