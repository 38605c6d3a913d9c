"""Geometry and colours for the timeline and network views (no drawing library needed)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

QUAD_CLASS_LABELS = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}


def goldstein_colour(score: float | None) -> str:
    """A colour from red (conflict, -10) through amber (0) to green (cooperation, +10)."""
    if score is None:
        return "#888888"
    x = max(-10.0, min(10.0, float(score))) / 10.0
    red, amber, green = (198, 40, 40), (230, 170, 30), (46, 140, 60)
    low, high, t = (red, amber, x + 1) if x < 0 else (amber, green, x)
    r, g, b = (round(a + (b - a) * t) for a, b in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


@dataclass(frozen=True)
class TimelinePoint:
    """One event drawn on the timeline."""

    x: float
    y: float
    event: dict[str, Any]
    #: Radius: smaller when many events share one day and lane.
    r: float = 7.0


@dataclass(frozen=True)
class Tick:
    """An axis label."""

    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    """Points and axes of the timeline chart."""

    width: int
    height: int
    points: list[TimelinePoint]
    ticks: list[Tick]
    #: (y, label) of each QuadClass lane.
    lanes: list[tuple[float, str]]
    undated: int


MARGIN_LEFT = 150
MARGIN_RIGHT = 20
LANE_HEIGHT = 70
MARGIN_TOP = 10
AXIS_HEIGHT = 30


def _jitter(event_id: str) -> float:
    """A stable offset in [-0.5, 0.5] derived from the event id."""
    digest = hashlib.sha256(event_id.encode("utf-8")).digest()
    return digest[0] / 255.0 - 0.5


def _ticks(first: date, last: date) -> list[date]:
    days = (last - first).days
    if days > 90:
        ticks = []
        current = date(first.year, first.month, 1)
        while current <= last:
            if current >= first:
                ticks.append(current)
            current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
        step = max(1, len(ticks) // 10)
        return ticks[::step]
    step = max(1, days // 8)
    return [first + timedelta(days=i) for i in range(0, days + 1, step)]


def timeline(events: list[dict[str, Any]], width: int = 1000) -> Timeline:
    """Lay dated events on a time axis, one lane per QuadClass."""
    dated = [e for e in events if e.get("date_start")]
    height = MARGIN_TOP + 4 * LANE_HEIGHT + AXIS_HEIGHT
    lanes = [
        (MARGIN_TOP + (q - 0.5) * LANE_HEIGHT, QUAD_CLASS_LABELS[q]) for q in QUAD_CLASS_LABELS
    ]
    if not dated:
        return Timeline(width, height, [], [], lanes, len(events))
    days = [date.fromisoformat(e["date_start"]) for e in dated]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    span = (last - first).days
    plot_width = width - MARGIN_LEFT - MARGIN_RIGHT

    def x_of(day: date) -> float:
        return round(MARGIN_LEFT + plot_width * (day - first).days / span, 1)

    # Events of one day and lane are spread evenly across the lane, in a stable order.
    groups: dict[tuple[date, int], list[dict[str, Any]]] = {}
    for event, day in zip(dated, days, strict=True):
        lane = min(4, max(1, int(event["quad_class"])))
        groups.setdefault((day, lane), []).append(event)
    points = []
    for (day, lane), group in sorted(groups.items(), key=lambda item: item[0]):
        group.sort(key=lambda e: (_jitter(e["event_id"]), e["event_id"]))
        for i, event in enumerate(group):
            if len(group) > 1:
                offset = (i + 0.5) / len(group) - 0.5
            else:
                offset = _jitter(event["event_id"])
            y = MARGIN_TOP + (lane - 0.5 + 0.8 * offset) * LANE_HEIGHT
            radius = max(3.0, min(7.0, 0.8 * LANE_HEIGHT / len(group) / 2))
            points.append(TimelinePoint(x_of(day), round(y, 1), event, round(radius, 1)))
    ticks = [
        Tick(x_of(d), d.isoformat() if span <= 90 else d.strftime("%b %Y"))
        for d in _ticks(first, last)
    ]
    return Timeline(width, height, points, ticks, lanes, len(events) - len(dated))


def network_nodes(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nodes of the actor network with their activity (events as source plus as target)."""
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    for edge in edges:
        for role in ("source", "target"):
            key = (edge[role], edge[f"{role}_code"])
            node = nodes.setdefault(
                key,
                {
                    "id": f"{key[0]}|{key[1]}",
                    "name": key[0],
                    "code": key[1],
                    "country": edge[f"{role}_country"],
                    "activity": 0,
                },
            )
            node["activity"] += edge["count"]
    return sorted(nodes.values(), key=lambda n: (-n["activity"], n["name"]))
