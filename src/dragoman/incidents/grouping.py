"""Incidents: the reports, within and across articles, of one real-world event.

Grouping is incremental: :meth:`IncidentIndex.add` places one article's reports into the
incidents found so far (a report joins the incident whose every report it is compatible
with and whose mean score with it is highest, or starts a new one), so a new article never
makes the others be grouped again. Incidents are indexed by side and by week, so a report is
compared only with incidents sharing one of its sources whose dated reports its dates can
meet (see :class:`IncidentIndex`): grouping takes time in proportion to the reports, not to
their square, when reports are dated.

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
from datetime import date, timedelta
from typing import Any

from dragoman.incidents.reports import Report
from dragoman.incidents.similarity import MatchSettings, load_modality_groups, match

#: Days per bucket of the date index.
_BUCKET_DAYS = 7
#: A report whose dates (with the tolerance) span more buckets than this is indexed as
#: "wide": compared with every report of its sides, like an undated one.
_MAX_BUCKETS = 60


@dataclass
class Incident:
    """One event and every report of it."""

    id: str
    reports: list[Report] = field(default_factory=list)
    #: The score at which each report after the first joined.
    join_scores: list[float] = field(default_factory=list)
    #: Latest start and earliest end of the dated reports (None while there are none): a
    #: report can join only when its dates meet both, within the tolerance.
    latest_start: date | None = None
    earliest_end: date | None = None
    #: The modality group of the reports (all are compatible, so there is one).
    modality_group: str | None = None

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
    """Incidents found so far, indexed by side, date and event id; grows one article at a time.

    Each side keeps its incidents in the order they first took part (the order candidates
    are weighed in, which breaks ties), and a date index: an incident whose first dated
    report spans a few weeks is filed under those weeks, any other (undated so far, or a
    long range such as "in 2023") under "wide". A dated report is weighed only against the
    incidents filed under its own weeks and the wide ones; an undated or wide report against
    every incident of its sources. Only incidents that cannot take the report are skipped,
    so the grouping is the same as weighing every incident of the report's sources.
    """

    def __init__(self, settings: MatchSettings | None = None) -> None:
        self.settings = settings or MatchSettings()
        self.incidents: dict[str, Incident] = {}
        self._by_side: dict[str, list[str]] = defaultdict(list)
        #: Position of each incident in its side's list.
        self._side_rank: dict[str, dict[str, int]] = defaultdict(dict)
        #: (side, week bucket) -> incidents filed there; (side, None) -> the wide ones.
        self._by_bucket: dict[tuple[str, int | None], set[str]] = defaultdict(set)
        #: Where each incident is filed: its buckets, or None for wide.
        self._filed: dict[str, tuple[int, ...] | None] = {}
        self._by_event: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.incidents)

    def add(self, reports: Iterable[Report]) -> list[str]:
        """Place reports (one article's, or any batch) into incidents, in canonical order.

        A report already placed (same event id) is skipped. Returns the ids of the
        incidents the reports joined or started.
        """
        touched: list[str] = []
        touched_set: set[str] = set()
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
            self._note_report(incident, report)
            if ident not in touched_set:
                touched_set.add(ident)
                touched.append(ident)
        return touched

    def _buckets(self, report: Report) -> tuple[int, ...] | None:
        """The week buckets a dated report's days (with the tolerance) fall in, or None
        when it is undated or spans too many."""
        if report.date_start is None:
            return None
        slack = self.settings.date_tolerance_days
        first = (report.date_start.toordinal() - slack) // _BUCKET_DAYS
        last = ((report.date_end or report.date_start).toordinal() + slack) // _BUCKET_DAYS
        if last - first >= _MAX_BUCKETS:
            return None
        return tuple(range(first, last + 1))

    def _note_report(self, incident: Incident, report: Report) -> None:
        """Index a report just added to ``incident``: its sides, dates and modality."""
        ident = incident.id
        groups = load_modality_groups()
        incident.modality_group = groups.get(report.modality, report.modality)
        dated_before = incident.latest_start is not None
        if report.date_start is not None:
            end = report.date_end or report.date_start
            if incident.latest_start is None or report.date_start > incident.latest_start:
                incident.latest_start = report.date_start
            if incident.earliest_end is None or end < incident.earliest_end:
                incident.earliest_end = end
        if ident not in self._filed or (not dated_before and report.date_start is not None):
            # Filed by its first dated report, which every later report must meet.
            self._refile(incident, self._buckets(report))
        for side in report.sides:
            if ident not in self._side_rank[side]:
                self._side_rank[side][ident] = len(self._by_side[side])
                self._by_side[side].append(ident)
                for bucket in self._filed[ident] or (None,):
                    self._by_bucket[(side, bucket)].add(ident)

    def _refile(self, incident: Incident, buckets: tuple[int, ...] | None) -> None:
        """File ``incident`` under ``buckets`` (None: wide) for every side it has so far."""
        ident = incident.id
        old = self._filed.get(ident, ())
        self._filed[ident] = buckets
        for side in incident.sides:
            if ident not in self._side_rank[side]:
                continue
            for bucket in (None,) if old is None else old:
                self._by_bucket[(side, bucket)].discard(ident)
            for bucket in buckets or (None,):
                self._by_bucket[(side, bucket)].add(ident)

    def _candidates(self, report: Report) -> list[str]:
        """The incidents a report is weighed against, in the order of its sources (sorted)
        and then of their side lists."""
        buckets = self._buckets(report)
        candidates: list[str] = []
        seen: set[str] = set()
        for side in sorted(report.sources):
            if buckets is None:
                found: list[str] = list(self._by_side.get(side, ()))
            else:
                hits = set(self._by_bucket.get((side, None), ()))
                for bucket in buckets:
                    hits.update(self._by_bucket.get((side, bucket), ()))
                rank = self._side_rank[side]
                found = sorted(hits, key=rank.__getitem__)
            for ident in found:
                if ident not in seen:
                    seen.add(ident)
                    candidates.append(ident)
        return candidates

    def _may_take(self, incident: Incident, report: Report, group: str) -> bool:
        """False when a report surely fails a member of the incident (modality group, or
        dates that cannot meet its dated reports); True when it must be weighed."""
        if incident.modality_group != group:
            return False
        if report.date_start is None or incident.latest_start is None:
            return True
        slack = timedelta(days=self.settings.date_tolerance_days)
        end = report.date_end or report.date_start
        assert incident.earliest_end is not None
        return report.date_start <= incident.earliest_end + slack and (
            incident.latest_start <= end + slack
        )

    def _best_incident(self, report: Report) -> tuple[str, float] | None:
        group = load_modality_groups().get(report.modality, report.modality)
        best: tuple[str, float] | None = None
        for ident in self._candidates(report):
            if not self._may_take(self.incidents[ident], report, group):
                continue
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
