"""Reading reports from a store through its public reads, and grouping them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from dragoman.incidents.grouping import IncidentIndex
from dragoman.incidents.reports import Report, report_from_event
from dragoman.incidents.similarity import MatchSettings
from dragoman.store import EventFilter, Store

#: Events read per query.
PAGE = 5000
#: The article fields a report keeps.
_ARTICLE_FIELDS = ("source", "published")


def stored_events(
    store: Store, event_filter: EventFilter | None = None
) -> Iterator[dict[str, Any]]:
    """Every stored event matching the filter, page by page."""
    event_filter = event_filter or EventFilter()
    offset = 0
    while True:
        page = store.query_events(event_filter, limit=PAGE, offset=offset)
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


class ArticleFields:
    """The outlet and publication day of stored articles, each read once."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, dict[str, Any] | None] = {}

    def __call__(self, article_id: str) -> dict[str, Any] | None:
        if article_id not in self._cache:
            record = self._store.article(article_id)
            self._cache[article_id] = (
                None if record is None else {k: record.get(k) for k in _ARTICLE_FIELDS}
            )
        return self._cache[article_id]


def stored_reports(store: Store, event_filter: EventFilter | None = None) -> list[Report]:
    """The stored events as reports, with their articles' outlets and publication days."""
    articles = ArticleFields(store)
    return [
        report_from_event(e, articles(e["article_id"])) for e in stored_events(store, event_filter)
    ]


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
