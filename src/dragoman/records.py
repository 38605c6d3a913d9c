"""Typed records that cross stage boundaries.

Every offset is a character offset into ``Article.text`` exactly as it was read
(end exclusive). Records carry data only; the stages that build them own the logic.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass
class Article:
    """One news article as read from a source."""

    id: str
    text: str
    published: date | None = None
    #: True when ``published`` was estimated from the content, not given by the source.
    published_estimated: bool = False
    title: str | None = None
    url: str | None = None
    source: str | None = None
    #: The language the article is written in, an ISO 639-1 code in lower case (``en``):
    #: as its source declares it, else as found in its text when that is sure, else None.
    language: str | None = None
    #: Where the article came from, e.g. ``"news.jsonl:12"`` or ``"story.txt"``.
    origin: str = ""
    #: Character spans of ``text`` that are boilerplate (date lines, photo credits,
    #: copyright notices) and are kept out of analysis.
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    #: Span of the headline, when the text opens with one: analysed for actors, not events.
    title_span: tuple[int, int] | None = None
    #: What was done to analyse the article that its reader should know, one sentence each:
    #: an over-long sentence cut for the parser, a very long article analysed in sections.
    #: Reported with the article's annotations and on stderr; not stored.
    notes: list[str] = field(default_factory=list)

    def in_boilerplate(self, start: int, end: int) -> bool:
        """True when the span [start, end) overlaps a boilerplate span."""
        return any(start < b_end and end > b_start for b_start, b_end in self.boilerplate)


@dataclass
class ActorRef:
    """A mention of an actor in the text, resolved to the knowledge base."""

    text: str
    start: int
    end: int
    name: str
    code: str
    country: str | None = None
    sector: str | None = None
    #: ``state``, ``person``, ``organization``, ``group`` or ``generic``.
    kind: str = "state"
    #: Knowledge-base identifier of the actor (stable across articles), if known.
    actor_id: str | None = None
    #: Set when this mention is a reference (pronoun, "the group") resolved to an
    #: earlier mention; holds that mention's text.
    antecedent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "kind": self.kind,
            "actor_id": self.actor_id,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class TimeExpr:
    """A time expression with its TIMEX3 type and normalised value."""

    text: str
    start: int
    end: int
    #: TIMEX3 type: ``DATE``, ``TIME``, ``DURATION`` or ``SET``.
    type: str
    #: TIMEX3 value, e.g. ``2024-05-30``, ``2023-12``, ``P3Y``, ``PRESENT_REF``.
    value: str
    #: Calendar range the expression covers (None for durations and sets).
    date_start: date | None = None
    date_end: date | None = None
    #: ``day``, ``month``, ``year``, ``decade``, ``range`` ...
    precision: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date_start"] = self.date_start.isoformat() if self.date_start else None
        out["date_end"] = self.date_end.isoformat() if self.date_end else None
        return out


@dataclass
class Place:
    """A place name resolved against the gazetteer."""

    text: str
    start: int
    end: int
    name: str
    #: ISO-3166 alpha-3 country code.
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    #: ``country``, ``city``, ``admin1`` or ``region``.
    feature: str = "city"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Evidence:
    """The words that support an event."""

    sentence: str
    #: Offsets of the sentence in the article text.
    start: int
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Event:
    """A coded political event: who did what to whom, when, where, who says so."""

    article_id: str
    source: list[ActorRef]
    target: list[ActorRef]
    cameo: str
    cameo_label: str
    plover: str
    plover_mode: str | None
    quad_class: int
    goldstein: float
    evidence: Evidence
    modality: str = "asserted"
    attribution: list[ActorRef] = field(default_factory=list)
    date: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str | None = None
    #: ``predicate`` (a time expression tied to the predicate), ``sentence``
    #: (nearest anchor in the sentence), ``publication`` or ``none``.
    date_source: str = "none"
    location: Place | None = None
    confidence: float = 0.5
    #: Which coder found the event: ``rules``, ``llm`` (a language model, its answer
    #: checked against the text) or ``both``.
    coder: str = "rules"
    #: With both coders: whether the other coder found the same event type in the same
    #: sentence (None when only one coder ran on the sentence).
    coders_agree: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "cameo": self.cameo,
            "cameo_label": self.cameo_label,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "date": self.date,
            "date_start": self.date_start.isoformat() if self.date_start else None,
            "date_end": self.date_end.isoformat() if self.date_end else None,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            "location": self.location.to_dict() if self.location else None,
            "modality": self.modality,
            "attribution": [a.to_dict() for a in self.attribution],
            "evidence": self.evidence.to_dict(),
            "confidence": round(self.confidence, 3),
            "coder": self.coder,
            "coders_agree": self.coders_agree,
        }


@dataclass
class Annotations:
    """Everything found in one article, before and beside events."""

    article: Article
    actors: list[ActorRef]
    times: list[TimeExpr]
    places: list[Place]
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article.id,
            "published": self.article.published.isoformat() if self.article.published else None,
            "published_estimated": self.article.published_estimated,
            "notes": list(self.article.notes),
            "actors": [a.to_dict() for a in self.actors],
            "times": [t.to_dict() for t in self.times],
            "places": [p.to_dict() for p in self.places],
        }
