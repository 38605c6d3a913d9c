"""Each incident once: the merged rows of ``dragoman events --merge`` and ``merge=true``.

Filters apply to reports first: an incident gives a row when at least one of its reports
passes them, and the row is the most representative of those reports (the most specific
code, then the most confident, then the first in canonical order: the rule of
:meth:`Incident.representative`). The row's counts are the incident's: ``reports`` (every
report of it, GDELT's NumMentions), ``report_sources`` (distinct outlets, NumSources) and
``report_articles`` (the article ids, NumArticles), with ``matched_reports`` saying how many
reports passed the filters, the ``incident_id`` and the incident's days
(``incident_date_start``, ``incident_date_end``). Rows come in the order of
``dragoman incidents`` (first day, undated last, then id), so with no filter the merged rows
are exactly the incidents ``dragoman incidents`` lists, each named by the same report.

Memory: the incidents of the whole store are grouped first (:func:`store_incidents`, as
``dragoman incidents`` and the GDELT export do), then the matching events are streamed and
only their ids are kept until the page is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dragoman.incidents.grouping import Incident, IncidentIndex
from dragoman.incidents.reports import Report
from dragoman.incidents.source import store_incidents
from dragoman.store import EventFilter, Store
from dragoman.store.filters import check_page


def _rank(report: Report) -> tuple[Any, ...]:
    return (-len(report.cameo), -report.confidence, report.order_key())


def merged_row(incident: Incident, matched: list[Report]) -> dict[str, Any]:
    """The merged row of an incident: its representative among the ``matched`` reports (the
    event as stored), with the incident's counts and days."""
    chosen = min(matched, key=_rank)
    start, end, _ = incident.date_range()
    return {
        **chosen.event,
        "incident_id": incident.id,
        "reports": len(incident.reports),
        "matched_reports": len(matched),
        "report_sources": len(incident.outlets),
        "report_articles": incident.articles,
        "incident_date_start": start.isoformat() if start else None,
        "incident_date_end": end.isoformat() if end else None,
    }


class MergedEvents:
    """The incidents with a report passing a filter, each with its passing reports, in the
    order of ``dragoman incidents``; built from the filter's matching event ids."""

    def __init__(
        self, store: Store, event_filter: EventFilter, index: IncidentIndex | None = None
    ) -> None:
        self.index = index if index is not None else store_incidents(store)
        matched: dict[str, list[str]] = {}
        loose: list[dict[str, Any]] = []
        for event in store.iter_events(event_filter):
            incident = self.index.incident_of(str(event["event_id"]))
            if incident is None:
                # Stored after the index was grouped: a row of its own.
                loose.append(event)
                continue
            matched.setdefault(incident.id, []).append(str(event["event_id"]))
        self._matched = matched
        self._loose = loose
        self._order = sorted((self.index.incidents[i] for i in matched), key=_incident_order)

    def __len__(self) -> int:
        return len(self._order) + len(self._loose)

    def rows(self, limit: int | None = None, offset: int = 0) -> Iterator[dict[str, Any]]:
        """One merged row per incident, ``offset`` rows skipped, at most ``limit``."""
        check_page(0 if limit is None else limit, offset, max_limit=2**63 - 1)
        stop = None if limit is None else offset + limit
        for position, incident in enumerate(self._order):
            if stop is not None and position >= stop:
                return
            if position < offset:
                continue
            wanted = set(self._matched[incident.id])
            yield merged_row(incident, [r for r in incident.reports if r.event_id in wanted])
        for position, event in enumerate(self._loose, start=len(self._order)):
            if stop is not None and position >= stop:
                return
            if position >= offset:
                yield _lone_row(event)


def _incident_order(incident: Incident) -> tuple[Any, ...]:
    start, _, _ = incident.date_range()
    return (start is None, start.toordinal() if start else 0, incident.id)


def _lone_row(event: dict[str, Any]) -> dict[str, Any]:
    """The merged row of an event no incident holds yet (stored after the grouping)."""
    return {
        **event,
        "incident_id": None,
        "reports": 1,
        "matched_reports": 1,
        "report_sources": 1,
        "report_articles": [event["article_id"]],
        "incident_date_start": event.get("date_start"),
        "incident_date_end": event.get("date_end"),
    }


def merged_events(
    store: Store,
    event_filter: EventFilter | None = None,
    limit: int | None = None,
    offset: int = 0,
    index: IncidentIndex | None = None,
) -> Iterator[dict[str, Any]]:
    """The merged rows of the incidents with a report passing ``event_filter`` (see the
    module's documentation), ``offset`` rows skipped and at most ``limit`` (None: all).
    ``index``: incidents already grouped from the same store (else grouped here)."""
    check_page(0 if limit is None else limit, offset, max_limit=2**63 - 1)
    merged = MergedEvents(store, event_filter or EventFilter(), index)
    return merged.rows(limit, offset)


def count_merged_events(
    store: Store, event_filter: EventFilter | None = None, index: IncidentIndex | None = None
) -> int:
    """How many incidents have a report passing ``event_filter``."""
    return len(MergedEvents(store, event_filter or EventFilter(), index))
