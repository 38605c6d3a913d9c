"""Incidents: the reports, within and across articles, of one real-world event.

Grouping is incremental: :meth:`IncidentIndex.add` places one article's reports into the
incidents found so far (a report joins the incident whose every report it is compatible
with and whose mean score with it is highest, or starts a new one), so a new article never
makes the others be grouped again. Reports are indexed by side, so a report is compared
only with incidents sharing one of its sides.

Deterministic: the same reports added in the same order give the same incidents and ids.
:func:`group_reports` sorts them first (publication day, article id, position in the
text), so its result does not depend on the order it is given; adding an article published
before others already grouped may give another grouping than a fresh :func:`group_reports`.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dragoman.incidents.reports import Report
from dragoman.incidents.similarity import MatchSettings, match


@dataclass
class Incident:
    """One event and every report of it."""

    id: str
    reports: list[Report] = field(default_factory=list)
    #: The score at which each report after the first joined.
    join_scores: list[float] = field(default_factory=list)

    @property
    def sides(self) -> frozenset[str]:
        return frozenset().union(*(r.sides for r in self.reports))

    @property
    def articles(self) -> list[str]:
        return sorted({r.article_id for r in self.reports})

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets; an article of unknown outlet counts as an outlet of its own."""
        return sorted({r.outlet or f"article {r.article_id}" for r in self.reports})

    @property
    def confidence(self) -> float:
        """How sure the grouping is: the mean score at which the reports joined, times the
        best extraction confidence of a report (a lone report: its own confidence)."""
        best = max(r.confidence for r in self.reports)
        if not self.join_scores:
            return round(best, 3)
        return round(best * sum(self.join_scores) / len(self.join_scores), 3)

    def date_range(self) -> tuple[date | None, date | None, bool]:
        """The days every dated report allows (start, end) and whether they all agree.

        When the reports' ranges do not all overlap (they may differ by the tolerance),
        the range of the most precise report is given and the flag is False.
        """
        dated = [r for r in self.reports if r.date_start is not None]
        if not dated:
            return None, None, True
        start = max(r.date_start for r in dated)  # type: ignore[type-var]
        end = min(r.date_end or r.date_start for r in dated)  # type: ignore[type-var]
        if start <= end:
            return start, end, True
        sharpest = min(
            dated, key=lambda r: ((r.date_end or r.date_start) - r.date_start, r.order_key())
        )
        return sharpest.date_start, sharpest.date_end or sharpest.date_start, False

    def representative(self) -> Report:
        """The report that names the incident: the most specific code, then the most
        confident, then the first in canonical order."""
        return min(self.reports, key=lambda r: (-len(r.cameo), -r.confidence, r.order_key()))

    def cameo(self) -> str:
        """The code most reports give (ties: the most specific, then the smallest)."""
        counts = Counter(r.cameo for r in self.reports)
        return min(counts, key=lambda c: (-counts[c], -len(c), c))

    def first_report(self) -> Report:
        return min(self.reports, key=Report.order_key)

    def latest_report(self) -> Report:
        return max(self.reports, key=Report.order_key)

    def summary(self) -> dict[str, Any]:
        """The incident without its reports: what a list shows."""
        rep = self.representative()
        start, end, agreed = self.date_range()
        first, latest = self.first_report(), self.latest_report()
        return {
            "incident_id": self.id,
            "cameo": self.cameo(),
            "cameo_label": rep.event.get("cameo_label"),
            "plover": rep.plover,
            "source": [a.get("name") for a in rep.event.get("source", [])],
            "target": [a.get("name") for a in rep.event.get("target", [])],
            "sides": sorted(self.sides),
            "date_start": start.isoformat() if start else None,
            "date_end": end.isoformat() if end else None,
            "dates_agree": agreed,
            "location": (rep.location or {}).get("name"),
            "reports": len(self.reports),
            "articles": self.articles,
            "outlets": self.outlets,
            "first_report": {"article_id": first.article_id, "event_id": first.event_id,
                             "published": first.published.isoformat() if first.published else None},
            "latest_report": {"article_id": latest.article_id, "event_id": latest.event_id,
                              "published": latest.published.isoformat() if latest.published else None},
            "confidence": self.confidence,
            "evidence": rep.sentence,
        }  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The incident with every report (articles, outlets, evidence, attribution)."""
        out = self.summary()
        out["report_list"] = [r.to_dict() for r in sorted(self.reports, key=Report.order_key)]
        return out


def incident_id(founding: Report) -> str:
    """A stable id from the event id of the incident's first report."""
    return "inc-" + hashlib.sha256(founding.event_id.encode("utf-8")).hexdigest()[:16]


class IncidentIndex:
    """Incidents found so far, indexed by side and by event id; grows one article at a time."""

    def __init__(self, settings: MatchSettings | None = None) -> None:
        self.settings = settings or MatchSettings()
        self.incidents: dict[str, Incident] = {}
        self._by_side: dict[str, list[str]] = defaultdict(list)
        self._by_event: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.incidents)

    def add(self, reports: Iterable[Report]) -> list[str]:
        """Place reports (one article's, or any batch) into incidents, in canonical order.

        A report already placed (same event id) is skipped. Returns the ids of the
        incidents the reports joined or started.
        """
        touched: list[str] = []
        for report in sorted(reports, key=Report.order_key):
            if report.event_id in self._by_event:
                continue
            chosen = self._best_incident(report)
            if chosen is None:
                ident = incident_id(report)
                incident = Incident(ident)
                self.incidents[ident] = incident
            else:
                ident, score = chosen
                incident = self.incidents[ident]
                incident.join_scores.append(round(score, 3))
            incident.reports.append(report)
            self._by_event[report.event_id] = ident
            for side in report.sides:
                if ident not in self._by_side[side]:
                    self._by_side[side].append(ident)
            if ident not in touched:
                touched.append(ident)
        return touched

    def _best_incident(self, report: Report) -> tuple[str, float] | None:
        candidates: list[str] = []
        for side in sorted(report.sources):
            for ident in self._by_side.get(side, ()):
                if ident not in candidates:
                    candidates.append(ident)
        best: tuple[str, float] | None = None
        for ident in candidates:
            scores = []
            for member in self.incidents[ident].reports:
                score = match(report, member, self.settings)
                if score is None:
                    break
                scores.append(score)
            else:
                mean = sum(scores) / len(scores)
                if mean >= self.settings.threshold and (best is None or mean > best[1]):
                    best = (ident, mean)
        return best

    def incident_of(self, event_id: str) -> Incident | None:
        """The incident holding the event ``event_id``, or None."""
        ident = self._by_event.get(event_id)
        return self.incidents.get(ident) if ident else None

    def sorted_incidents(self) -> list[Incident]:
        """Incidents by their first day (undated last), then id."""

        def key(incident: Incident) -> tuple[Any, ...]:
            start, _, _ = incident.date_range()
            return (start is None, start or date.min, incident.id)

        return sorted(self.incidents.values(), key=key)


def group_reports(
    reports: Iterable[Report], settings: MatchSettings | None = None
) -> IncidentIndex:
    """Group reports into incidents; the result does not depend on the reports' order."""
    index = IncidentIndex(settings)
    index.add(reports)
    return index
