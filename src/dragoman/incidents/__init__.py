"""From reports to what happened: incidents across articles and commitment threads.

>>> with open_store("events.duckdb", read_only=True) as store:   # doctest: +SKIP
...     index = store_incidents(store)
...     for incident in index.sorted_incidents():
...         print(incident.summary())
"""

from dragoman.incidents.grouping import Incident, IncidentIndex, group_reports
from dragoman.incidents.reports import Report, actor_side, report_from_event
from dragoman.incidents.similarity import MatchSettings
from dragoman.incidents.source import (
    add_article,
    iter_with_incident_counts,
    store_incidents,
    stored_reports,
    with_incident_counts,
)

__all__ = [
    "Incident",
    "IncidentIndex",
    "MatchSettings",
    "Report",
    "actor_side",
    "add_article",
    "group_reports",
    "iter_with_incident_counts",
    "report_from_event",
    "store_incidents",
    "stored_reports",
    "with_incident_counts",
]
