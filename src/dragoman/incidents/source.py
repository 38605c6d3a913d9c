"""Reading reports from a store through its public reads, and grouping them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from dragoman.incidents.grouping import IncidentIndex
from dragoman.incidents.reports import Report, report_from_event
from dragoman.incidents.similarity import MatchSettings
from dragoman.store import EventFilter, Store

#: Events turned into reports at a time (their articles read in one query).
PAGE = 5000


def stored_events(
    store: Store, event_filter: EventFilter | None = None
) -> Iterator[dict[str, Any]]:
    """Every stored event matching the filter, streamed from one query."""
    return store.iter_events(event_filter or EventFilter())


class ArticleFields:
    """The outlet and publication day of stored articles, each read once."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, dict[str, Any] | None] = {}

    def prefetch(self, article_ids: Iterable[str]) -> None:
        """Read the fields of many articles at once (those not read yet)."""
        missing = {a for a in article_ids if a not in self._cache}
        if missing:
            found = self._store.article_sources(missing)
            for article_id in missing:
                self._cache[article_id] = found.get(article_id)

    def __call__(self, article_id: str) -> dict[str, Any] | None:
        self.prefetch([article_id])
        return self._cache[article_id]


def stored_reports(store: Store, event_filter: EventFilter | None = None) -> list[Report]:
    """The stored events as reports, with their articles' outlets and publication days."""
    articles = ArticleFields(store)
    reports: list[Report] = []
    events = stored_events(store, event_filter)
    while page := list(islice(events, PAGE)):
        articles.prefetch(e["article_id"] for e in page)
        reports.extend(report_from_event(e, articles(e["article_id"])) for e in page)
    return reports


def store_incidents(store: Store, settings: MatchSettings | None = None) -> IncidentIndex:
    """Every stored event grouped into incidents."""
    index = IncidentIndex(settings)
    index.add(stored_reports(store))
    return index


def add_article(index: IncidentIndex, store: Store, article_id: str) -> list[str]:
    """Place one stored article's events into ``index`` (a new article joining the incidents
    already found); returns the incidents it joined or started."""
    articles = ArticleFields(store)
    reports = [
        report_from_event(e, articles(article_id))
        for e in stored_events(store, EventFilter(article_id=article_id))
    ]
    return index.add(reports)


def with_incident_counts(
    events: list[dict[str, Any]], index: IncidentIndex
) -> list[dict[str, Any]]:
    """The events, each with ``reports``, ``report_articles`` and ``incident_id`` from its
    incident: what an export's mention, source and article counts are taken from (the
    GDELT export's NumMentions/NumSources/NumArticles read ``reports`` and
    ``report_articles``). An event outside the index is left as it is."""
    return list(iter_with_incident_counts(events, index))


def iter_with_incident_counts(
    events: Iterable[dict[str, Any]], index: IncidentIndex
) -> Iterator[dict[str, Any]]:
    """:func:`with_incident_counts` one event at a time, for streamed exports."""
    for event in events:
        incident = index.incident_of(str(event.get("event_id")))
        if incident is None:
            yield event
            continue
        yield {
            **event,
            "incident_id": incident.id,
            "reports": len(incident.reports),
            "report_articles": incident.articles,
        }
