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


@dataclass(frozen=True)
class Period:
    """The days the timeline shows, and the days the filtered events span."""

    start: date
    end: date
    #: First and last day of any matching event (the range the controls move within).
    first: date
    last: date
    #: True when no dates were asked for: the most recent events are shown.
    latest: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def moved(self, days: int) -> tuple[date, date]:
        """The same span ``days`` later (earlier when negative)."""
        return self.start + timedelta(days=days), self.end + timedelta(days=days)

    def links(self) -> dict[str, tuple[date, date] | None]:
        """``(since, until)`` of each control: earlier, later, zoom in, zoom out, all."""
        span = self.days
        middle = self.start + timedelta(days=(span - 1) // 2)
        half = max(1, span // 4)
        wide = max(span, 2)
        out: dict[str, tuple[date, date] | None] = {
            "earlier": self.moved(-span) if self.start > self.first else None,
            "later": self.moved(span) if self.end < self.last else None,
            "zoom_in": (middle - timedelta(days=half - 1), middle + timedelta(days=half))
            if span > 1
            else None,
            "zoom_out": None,
            "all": (self.first, self.last)
            if (self.start, self.end) != (self.first, self.last)
            else None,
        }
        if self.start > self.first or self.end < self.last:
            low = max(self.first, self.start - timedelta(days=wide // 2))
            high = min(self.last, self.end + timedelta(days=wide // 2))
            out["zoom_out"] = (low, high)
        return out


#: How much of the most recent time the timeline shows when no dates are asked for.
DEFAULT_SPAN_DAYS = 365


def period(
    since: date | None, until: date | None, first: date | None, last: date | None
) -> Period | None:
    """The days to show: ``since``-``until`` as asked (open ends filled from the events),
    else the most recent :data:`DEFAULT_SPAN_DAYS` up to the last event; None when no
    event has a date."""
    if first is None or last is None:
        return None
    if since is None and until is None:
        start = max(first, last - timedelta(days=DEFAULT_SPAN_DAYS - 1))
        return Period(start, last, first, last, latest=True)
    start = since or min(first, until or first)
    end = until or max(last, start)
    return Period(start, max(start, end), first, last, latest=False)


PLOT_WIDTH = 1000 - MARGIN_LEFT - MARGIN_RIGHT
#: Most events drawn one by one: one per pixel of the plot. More are counted in bins.
POINT_BUDGET = PLOT_WIDTH
#: Narrowest bin, in pixels.
BIN_PIXELS = 4


@dataclass(frozen=True)
class Bin:
    """Events of one QuadClass within a few days, drawn as a bar in its lane."""

    x: float
    y: float
    width: float
    height: float
    quad_class: int
    count: int
    goldstein_mean: float
    start: date
    end: date


def _chart_frame(window: Period, width: int) -> tuple[int, list[tuple[float, str]], list[Tick]]:
    height = MARGIN_TOP + 4 * LANE_HEIGHT + AXIS_HEIGHT
    lanes = [
        (MARGIN_TOP + (q - 0.5) * LANE_HEIGHT, QUAD_CLASS_LABELS[q]) for q in QUAD_CLASS_LABELS
    ]
    plot = width - MARGIN_LEFT - MARGIN_RIGHT
    end = window.end + timedelta(days=1)
    span = window.days
    ticks = [
        Tick(
            round(MARGIN_LEFT + plot * ((d - window.start).days + 0.5) / span, 1),
            d.isoformat() if span <= 90 else d.strftime("%b %Y"),
        )
        for d in _ticks(window.start, end - timedelta(days=1))
    ]
    return height, lanes, ticks


def timeline(
    events: list[dict[str, Any]], window: Period | None = None, width: int = 1000
) -> Timeline:
    """Lay dated events on a time axis over ``window`` (default: their own span), one
    lane per QuadClass."""
    dated = [e for e in events if e.get("date_start")]
    if window is None and dated:
        days = [date.fromisoformat(e["date_start"]) for e in dated]
        window = Period(min(days), max(days), min(days), max(days), latest=False)
    if window is None:
        height = MARGIN_TOP + 4 * LANE_HEIGHT + AXIS_HEIGHT
        lanes = [
            (MARGIN_TOP + (q - 0.5) * LANE_HEIGHT, QUAD_CLASS_LABELS[q]) for q in QUAD_CLASS_LABELS
        ]
        return Timeline(width, height, [], [], lanes, len(events))
    height, lanes, ticks = _chart_frame(window, width)
    plot = width - MARGIN_LEFT - MARGIN_RIGHT
    span = window.days

    def x_of(day: date) -> float:
        return round(MARGIN_LEFT + plot * ((day - window.start).days + 0.5) / span, 1)

    # Events of one day and lane are spread evenly across the lane, in a stable order.
    groups: dict[tuple[date, int], list[dict[str, Any]]] = {}
    for event in dated:
        day = date.fromisoformat(event["date_start"])
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
    return Timeline(width, height, points, ticks, lanes, len(events) - len(dated))


@dataclass(frozen=True)
class BinnedTimeline:
    """The timeline when its period holds more events than the plot has pixels."""

    width: int
    height: int
    bins: list[Bin]
    ticks: list[Tick]
    lanes: list[tuple[float, str]]
    #: Days per bin.
    bin_days: int


def binned_timeline(counts: list[Any], window: Period, width: int = 1000) -> BinnedTimeline:
    """Counts per day and QuadClass (``browse.DayCount``) gathered into bins of whole days,
    at least :data:`BIN_PIXELS` wide, one bar per bin and lane, heights to one scale."""
    height, lanes, ticks = _chart_frame(window, width)
    plot = width - MARGIN_LEFT - MARGIN_RIGHT
    span = window.days
    bin_days = max(1, -(-span // max(1, plot // BIN_PIXELS)))
    totals: dict[tuple[int, int], list[float]] = {}
    for row in counts:
        if not window.start <= row.day <= window.end:
            continue
        index = (row.day - window.start).days // bin_days
        lane = min(4, max(1, int(row.quad_class)))
        cell = totals.setdefault((index, lane), [0, 0.0])
        cell[0] += row.count
        cell[1] += row.goldstein_sum
    peak = max((c[0] for c in totals.values()), default=1)
    room = LANE_HEIGHT - 12
    bins = []
    for (index, lane), (count, goldstein) in sorted(totals.items()):
        first = window.start + timedelta(days=index * bin_days)
        last = min(window.end, first + timedelta(days=bin_days - 1))
        x = MARGIN_LEFT + plot * (index * bin_days) / span
        bar = max(1.0, plot * ((last - first).days + 1) / span - 1)
        tall = max(2.0, room * count / peak)
        bottom = MARGIN_TOP + lane * LANE_HEIGHT - 6
        bins.append(
            Bin(
                round(x, 1), round(bottom - tall, 1), round(bar, 1), round(tall, 1), lane,
                int(count), round(goldstein / count, 2), first, last,
            )
        )  # fmt: skip
    return BinnedTimeline(width, height, bins, ticks, lanes, bin_days)


@dataclass(frozen=True)
class OverviewBar:
    """One period of the overview strip under the timeline."""

    x: float
    width: float
    height: float
    count: int
    goldstein_mean: float | None
    start: date
    end: date
    selected: bool


def overview(
    series: list[dict[str, Any]], interval: str, window: Period, width: int = 1000, height: int = 60
) -> list[OverviewBar]:
    """Bars of events per month (or year) over every matching event's span; those that
    overlap the shown period are ``selected``."""
    if not series:
        return []
    starts = [date.fromisoformat(s["period"]) for s in series]
    ends = [_period_end(d, interval) for d in starts]
    first, last = starts[0], ends[-1]
    span = (last - first).days + 1
    plot = width - MARGIN_LEFT - MARGIN_RIGHT
    peak = max(s["count"] for s in series) or 1
    bars = []
    for item, start, end in zip(series, starts, ends, strict=True):
        x = MARGIN_LEFT + plot * (start - first).days / span
        w = max(1.0, plot * ((end - start).days + 1) / span - 1)
        tall = max(1.5, (height - 4) * item["count"] / peak)
        selected = start <= window.end and end >= window.start
        bars.append(
            OverviewBar(
                round(x, 1), round(w, 1), round(tall, 1), item["count"],
                item["goldstein_mean"], start, end, selected,
            )
        )  # fmt: skip
    return bars


def _period_end(start: date, interval: str) -> date:
    if interval == "year":
        return date(start.year, 12, 31)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def network_nodes(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The network's nodes with their radius: the square root of activity relative to the
    busiest node's, so that areas compare as activities do and the busiest node of a
    store of a million events is no larger than that of a hundred."""
    peak = max((n["activity"] for n in nodes), default=1) or 1
    return [
        {**n, "r": round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * (n["activity"] / peak) ** 0.5, 1)}
        for n in nodes
    ]


#: Radius of the least and the most active node of the network, in drawing units.
MIN_RADIUS = 7.0
MAX_RADIUS = 30.0
