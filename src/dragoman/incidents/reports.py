"""One stored event seen as a report of something that happened, with its article's metadata.

Incidents and threads never read the store's tables: they take the event dictionaries the
store's public reads return (``Event.to_dict()`` plus ``event_id``) and the article fields
an export reads, so they work over any store backend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from dragoman.ontology.tsv import data_path, read_rows

SIDE_COLUMNS = ("sector", "side")
SIDE_KINDS = frozenset({"state", "people"})


@lru_cache(maxsize=4)
def load_sides(path: Path | None = None) -> dict[str, str]:
    """Sector code -> ``state`` or ``people`` (``incidents/sides.tsv``), every row checked."""
    path = path or data_path("incidents", "sides.tsv")
    sides: dict[str, str] = {}
    for row in read_rows(path, SIDE_COLUMNS):
        sector, side = row.fields["sector"], row.fields["side"]
        if not sector.isalpha() or sector != sector.upper():
            raise row.error(f"sector must be an upper-case CAMEO code, got {sector!r}")
        if side not in SIDE_KINDS:
            raise row.error(f"side must be one of {', '.join(sorted(SIDE_KINDS))}, got {side!r}")
        if sector in sides:
            raise row.error(f"duplicate sector {sector!r}")
        sides[sector] = side
    return sides


def actor_side(actor: dict[str, Any], include_people: bool = False) -> str:
    """The side an actor stands for: its country for the state's own sectors, else its code.

    "Bogdanov" (RUSGOV), "the Russian army" (RUSMIL) and "Russia" (RUS) are all ``RUS``;
    Hamas (PSEREBHMS) stays itself. With ``include_people`` a country's people (RUSCVL)
    count as the country too.
    """
    code = str(actor.get("code") or actor.get("name") or "")
    country = actor.get("country")
    if not country or not code.startswith(country):
        return code
    rest = code[len(country) :]
    if not rest:
        return country
    kind = load_sides().get(rest)
    if kind == "state" or (kind == "people" and include_people):
        return country
    return code


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Report:
    """A stored event as one report: what, who, when, where, the words, and who says so."""

    event_id: str
    article_id: str
    cameo: str
    plover: str | None
    modality: str
    sources: frozenset[str]
    targets: frozenset[str]
    date_start: date | None
    date_end: date | None
    date_precision: str | None
    location: dict[str, Any] | None
    sentence: str
    trigger: str
    evidence_start: int
    evidence_end: int
    trigger_start: int
    trigger_end: int
    confidence: float
    outlet: str | None = None
    published: date | None = None
    event: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def sides(self) -> frozenset[str]:
        """Every side taking part, whichever its role."""
        return self.sources | self.targets

    def order_key(self) -> tuple[Any, ...]:
        """The canonical order reports are grouped in: publication day, article, position."""
        published = self.published or self.date_start or date.max
        return (published, self.article_id, self.evidence_start, self.trigger_start, self.event_id)

    def to_dict(self) -> dict[str, Any]:
        """What an incident lists of each report: the article, the words, who says so."""
        event = self.event
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "cameo": self.cameo,
            "cameo_label": event.get("cameo_label"),
            "plover": self.plover,
            "modality": self.modality,
            "source": [a.get("name") for a in event.get("source", [])],
            "target": [a.get("name") for a in event.get("target", [])],
            "date_start": self.date_start.isoformat() if self.date_start else None,
            "date_end": self.date_end.isoformat() if self.date_end else None,
            "date_precision": self.date_precision,
            "location": (self.location or {}).get("name"),
            "attribution": [a.get("name") for a in event.get("attribution", [])],
            "evidence": dict(event.get("evidence") or {}),
            "confidence": self.confidence,
        }


def report_from_event(event: dict[str, Any], article: dict[str, Any] | None = None) -> Report:
    """A :class:`Report` from a stored event dictionary and its article's fields (or None)."""
    evidence = event.get("evidence") or {}
    article = article or {}
    return Report(
        event_id=str(event["event_id"]),
        article_id=str(event["article_id"]),
        cameo=str(event["cameo"]),
        plover=event.get("plover") or None,
        modality=str(event.get("modality") or "asserted"),
        sources=frozenset(actor_side(a) for a in event.get("source", [])),
        targets=frozenset(actor_side(a) for a in event.get("target", [])),
        date_start=_day(event.get("date_start")),
        date_end=_day(event.get("date_end") or event.get("date_start")),
        date_precision=event.get("date_precision"),
        location=event.get("location"),
        sentence=str(evidence.get("sentence") or ""),
        trigger=str(evidence.get("trigger") or ""),
        evidence_start=int(evidence.get("start") or 0),
        evidence_end=int(evidence.get("end") or 0),
        trigger_start=int(evidence.get("trigger_start") or 0),
        trigger_end=int(evidence.get("trigger_end") or 0),
        confidence=float(event.get("confidence") or 0.0),
        outlet=article.get("source") or None,
        published=_day(article.get("published")),
        event=event,
    )
