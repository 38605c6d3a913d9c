"""The incident and thread lists the CLI and the web API give, with their filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from dragoman.incidents.grouping import Incident, IncidentIndex
from dragoman.incidents.threads import DEFAULT_LAPSE_DAYS, ThreadSet, find_threads

THREAD_STATUSES = ("open", "fulfilled", "refused", "lapsed")


def _has_actor(incident: Incident, actor: str) -> bool:
    wanted = actor.strip().lower()
    if any(side.lower() == wanted for side in incident.sides):
        return True
    for report in incident.reports:
        for a in (*report.event.get("source", []), *report.event.get("target", [])):
            names = (a.get("name"), a.get("text"), a.get("code"), a.get("country"))
            if any(n and wanted == str(n).lower() for n in names):
                return True
            if a.get("name") and f" {wanted} " in f" {str(a['name']).lower()} ":
                return True
    return False


def incident_list(
    index: IncidentIndex,
    actor: str | None = None,
    min_reports: int = 1,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page of incident summaries) by first day, filtered by an actor (a side
    code such as ``RUS``, or an actor's name, code or mention text) and a least number of
    reports."""
    if min_reports < 1:
        raise ValueError(f"min_reports must be at least 1, got {min_reports}")
    chosen = [
        incident
        for incident in index.sorted_incidents()
        if len(incident.reports) >= min_reports and (not actor or _has_actor(incident, actor))
    ]
    return len(chosen), [i.summary() for i in chosen[offset : offset + limit]]


def thread_list(
    index: IncidentIndex,
    status: str | None = None,
    lapse_days: int = DEFAULT_LAPSE_DAYS,
    as_of: date | None = None,
) -> tuple[ThreadSet, list[dict[str, Any]]]:
    """The threads of ``index`` (with their steps), optionally only those of one status."""
    if status is not None and status not in THREAD_STATUSES:
        raise ValueError(f"status must be one of {', '.join(THREAD_STATUSES)}; got {status!r}")
    threads = find_threads(index, as_of=as_of, lapse_days=lapse_days)
    items = threads.to_dicts(steps=True)
    return threads, [t for t in items if status is None or t["status"] == status]
