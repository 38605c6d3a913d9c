"""Article text cut into segments, each carrying the annotations that cover it.

Annotations may nest or overlap (a trigger inside an evidence sentence, an actor
mention that is also a place), so the text is cut at every span boundary and
each piece lists every span over it. The template renders one element per piece.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any


@dataclass
class Segment:
    """A piece of the article text and what covers it."""

    text: str
    start: int
    end: int
    #: CSS classes: ``actor``, ``time``, ``place``, ``trigger``, ``evidence``, ``boilerplate``.
    kinds: list[str] = field(default_factory=list)
    #: Ids of the events whose evidence sentence covers this piece.
    events: list[str] = field(default_factory=list)
    #: Ids of the events whose trigger covers this piece.
    triggers: list[str] = field(default_factory=list)
    #: Human-readable notes for a tooltip.
    notes: list[str] = field(default_factory=list)

    @property
    def plain(self) -> bool:
        """True when nothing covers this piece."""
        return not self.kinds


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    note: str
    event_id: str | None = None


def _actor_note(m: dict[str, Any]) -> str:
    country = m.get("country") if m.get("country") != m.get("code") else None
    extra = ", ".join(str(v) for v in (country, m.get("sector")) if v)
    return f"Actor: {m['name']} ({m['code']}{', ' + extra if extra else ''})"


def _spans(article: dict[str, Any]) -> list[_Span]:
    spans: list[_Span] = [
        _Span(start, end, "boilerplate", "Boilerplate (kept out of analysis)")
        for start, end in article.get("boilerplate", [])
    ]
    for m in article.get("mentions", []):
        spans.append(_Span(m["start"], m["end"], "actor", _actor_note(m)))
    for t in article.get("times", []):
        spans.append(_Span(t["start"], t["end"], "time", f"Time: {t['value']} ({t['type']})"))
    for p in article.get("places", []):
        country = f", {p['country']}" if p.get("country") else ""
        spans.append(_Span(p["start"], p["end"], "place", f"Place: {p['name']}{country}"))
    for e in article.get("events", []):
        ev = e["evidence"]
        label = f"{e['cameo']} {e.get('plover') or ''}".strip()
        spans.append(_Span(ev["start"], ev["end"], "evidence", "", e["event_id"]))
        spans.append(
            _Span(
                ev["trigger_start"], ev["trigger_end"], "trigger", f"Event: {label}", e["event_id"]
            )
        )
    return spans


def segments(article: dict[str, Any]) -> list[Segment]:
    """The article text as consecutive segments covering it exactly once."""
    text: str = article["text"]
    spans = [
        s for s in _spans(article) if 0 <= s.start < s.end <= len(text)
    ]  # out-of-range spans would be a stage's bug; they are not drawn rather than crash
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[Segment] = []
    for start, end in pairwise(cuts):
        seg = Segment(text[start:end], start, end)
        for span in spans:
            if span.start <= start and end <= span.end:
                if span.kind not in seg.kinds:
                    seg.kinds.append(span.kind)
                if span.note and span.note not in seg.notes:
                    seg.notes.append(span.note)
                if span.event_id and span.kind == "evidence":
                    seg.events.append(span.event_id)
                if span.event_id and span.kind == "trigger":
                    seg.triggers.append(span.event_id)
        out.append(seg)
    return out
