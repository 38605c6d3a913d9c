"""Nothing a model says enters the store unchecked.

Every text of an answer (trigger, actors, date, place) must be found, as written, in
the sentence it was asked about; the actors must be mentions Dragoman's own recogniser
resolved against its knowledge base, the date an expression of its own time tagger, the
place a name of its own gazetteer, and the codes must be in the ontology tables. An
event that fails any check is rejected with the reason, which the run counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

from dragoman.events.dating import EventDate, date_event
from dragoman.ontology import load_cameo, plover_types
from dragoman.place import place_for_predicate
from dragoman.records import ActorRef, Article, Event, Evidence, Place, TimeExpr

#: The reasons an event is rejected, as counted and reported.
INVENTED_SPAN = "invented span"
UNKNOWN_ACTOR = "actor not recognised"
SAME_ACTOR = "source is target"
UNKNOWN_CODE = "unknown code"
CODES_DISAGREE = "PLOVER type does not match the CAMEO code"
UNKNOWN_MODE = "unknown PLOVER mode"
UNKNOWN_DATE = "date not recognised"
UNKNOWN_PLACE = "place not in gazetteer"


class Rejected(ValueError):
    """An event of an answer that failed a check: ``reason`` is one of the names above."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Sentence:
    """A sentence sent to the model, with what Dragoman itself found in it."""

    doc: Doc
    span: Span
    article: Article
    #: The sentence as sent: the article's own characters, surrounding space trimmed.
    text: str
    #: Offset of ``text`` in the article.
    start: int
    mentions: list[ActorRef]
    times: list[TimeExpr]
    places: list[Place]

    @classmethod
    def of(cls, doc: Doc, span: Span, article: Article, mentions, times, places) -> Sentence:
        raw = article.text[span.start_char : span.end_char]
        start = span.start_char + (len(raw) - len(raw.lstrip()))
        text = raw.strip()
        end = start + len(text)
        return cls(
            doc,
            span,
            article,
            text,
            start,
            [m for m in mentions if start <= m.start and m.end <= end],
            [t for t in times if start <= t.start and t.end <= end],
            [p for p in places if start <= p.start and p.end <= end],
        )

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def occurrences(self, words: str) -> list[tuple[int, int]]:
        """Every place ``words`` is written in the sentence, as article offsets."""
        found = []
        at = self.text.find(words)
        while at >= 0 and words:
            found.append((self.start + at, self.start + at + len(words)))
            at = self.text.find(words, at + 1)
        return found


def check_event(item: dict[str, Any], sentence: Sentence, confidence: float) -> Event:
    """The event an answer's ``item`` (already valid against the schema) tells, with
    Dragoman's own actors, date and place; raises :class:`Rejected` when a check fails."""
    trigger_start, trigger_end = _span(sentence, item["trigger"], "trigger")
    entry = load_cameo().get(item["cameo"])
    if entry is None:
        raise Rejected(UNKNOWN_CODE, f"CAMEO {item['cameo']} is not in the ontology tables")
    if entry.plover != item["plover"]:
        raise Rejected(
            CODES_DISAGREE,
            f"CAMEO {entry.code} is {entry.plover or 'no PLOVER type'}, not {item['plover']}",
        )
    mode = item["plover_mode"]
    if mode is not None and mode not in plover_types()[entry.plover]:
        raise Rejected(UNKNOWN_MODE, f"{mode!r} is not a mode of {entry.plover}")
    source = _actors(sentence, item["source"], "source")
    target = _actors(sentence, item["target"], "target") if item["target"] else []
    if any(_same(a, b) for a in source for b in target):
        raise Rejected(SAME_ACTOR, f"{item['source']!r} and {item['target']!r}")
    tokens = _tokens(sentence, trigger_start, trigger_end)
    when = _date(sentence, item["date"], tokens)
    location = _place(sentence, item["place"], tokens)
    evidence = Evidence(
        sentence=sentence.text,
        start=sentence.start,
        end=sentence.end,
        trigger=sentence.article.text[trigger_start:trigger_end],
        trigger_start=trigger_start,
        trigger_end=trigger_end,
    )
    return Event(
        article_id=sentence.article.id,
        source=source,
        target=target,
        cameo=entry.code,
        cameo_label=entry.label,
        plover=entry.plover,
        plover_mode=mode or entry.plover_mode,
        quad_class=entry.quad_class,
        goldstein=entry.goldstein,
        evidence=evidence,
        modality=item["modality"],
        date=when.value,
        date_start=when.start,
        date_end=when.end,
        date_precision=when.precision,
        date_source=when.source,
        location=location,
        confidence=confidence,
        coder="llm",
    )


def _span(sentence: Sentence, words: str, field: str) -> tuple[int, int]:
    found = sentence.occurrences(words)
    if not found:
        raise Rejected(INVENTED_SPAN, f"{field} {words!r} is not in the sentence")
    return found[0]


def _actors(sentence: Sentence, words: str, field: str) -> list[ActorRef]:
    """The recogniser's mentions inside the first place ``words`` is written where there
    are any (else the mention that holds those words): "Iran and Russia" is two actors,
    "Putin" in "President Vladimir Putin" is that mention."""
    found = sentence.occurrences(words)
    if not found:
        raise Rejected(INVENTED_SPAN, f"{field} {words!r} is not in the sentence")
    for start, end in found:
        inside = [m for m in sentence.mentions if start <= m.start and m.end <= end]
        if not inside:
            inside = [m for m in sentence.mentions if m.start <= start and end <= m.end]
        if inside:
            return _unique(inside)
    raise Rejected(UNKNOWN_ACTOR, f"{field} {words!r} is no actor Dragoman recognises")


def _unique(actors: list[ActorRef]) -> list[ActorRef]:
    out: list[ActorRef] = []
    for actor in actors:
        if not any(_same(actor, other) for other in out):
            out.append(actor)
    return out


def _same(a: ActorRef, b: ActorRef) -> bool:
    return (a.code, a.name) == (b.code, b.name)


def _tokens(sentence: Sentence, start: int, end: int) -> list:
    span = sentence.doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None and len(span) else [sentence.span.root]


def _date(sentence: Sentence, words: str | None, tokens: list) -> EventDate:
    """The tagger's date for the words the model gave, else the rules' own choice."""
    article = sentence.article
    if not words:
        return date_event(sentence.doc, sentence.span, tokens, sentence.times, article.published)
    for start, end in _all_spans(sentence, words, "date"):
        for time in sentence.times:
            if time.start < end and start < time.end and time.date_start is not None:
                return EventDate(
                    time.value, time.date_start, time.date_end, time.precision, "predicate"
                )
    raise Rejected(UNKNOWN_DATE, f"{words!r} is no date Dragoman's time tagger resolves")


def _place(sentence: Sentence, words: str | None, tokens: list) -> Place | None:
    """The gazetteer's place for the words the model gave, else the rules' own choice."""
    if not words:
        return place_for_predicate(tokens[0], sentence.places) if sentence.places else None
    for start, end in _all_spans(sentence, words, "place"):
        for place in sentence.places:
            if place.start < end and start < place.end:
                return place
    raise Rejected(UNKNOWN_PLACE, f"{words!r} is no place of Dragoman's gazetteer")


def _all_spans(sentence: Sentence, words: str, field: str) -> list[tuple[int, int]]:
    found = sentence.occurrences(words)
    if not found:
        raise Rejected(INVENTED_SPAN, f"{field} {words!r} is not in the sentence")
    return found
