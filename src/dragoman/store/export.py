"""Dragoman's own serialisations of stored events: flat rows (CSV), JSON Lines and
PLOVER-style JSON.

Every function takes event dictionaries as returned by ``Store.events`` (the
shape of ``Event.to_dict()`` plus ``event_id``). The list of export formats that the
CLI, the API and the explorer offer (these and GDELT, ICEWS, PLOVER records, Parquet)
is the registry in ``dragoman.formats``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: Columns of the flat (CSV / DataFrame) form, in order.
FLAT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "article_id",
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "date_source",
    "source_names",
    "source_codes",
    "source_countries",
    "target_names",
    "target_codes",
    "target_countries",
    "cameo",
    "cameo_label",
    "plover",
    "plover_mode",
    "quad_class",
    "goldstein",
    "modality",
    "attribution_names",
    "confidence",
    "location_name",
    "location_country",
    "location_lat",
    "location_lon",
    "evidence_sentence",
    "evidence_start",
    "evidence_end",
    "trigger",
    "trigger_start",
    "trigger_end",
)

#: Columns of the flat form of merged events (``merge_duplicates=True``: one row per
#: incident, see ``dragoman.incidents.merge``): the reports, articles and outlets of the
#: incident, how many of its reports matched the filters, its id and its days.
MERGED_COLUMNS: tuple[str, ...] = (
    *FLAT_COLUMNS,
    "reports",
    "report_articles",
    "report_sources",
    "matched_reports",
    "incident_id",
    "incident_date_start",
    "incident_date_end",
)

#: Joins the actors of one role (and the article ids of a merged event) in a flat cell.
ACTOR_SEPARATOR = "; "

#: Text gathered before a streamed export hands on a chunk: large enough that a million
#: events are not a million writes, small enough to stay a fixed, small amount of memory.
CHUNK_CHARS = 64 * 1024


def _join(actors: list[dict[str, Any]], key: str) -> str:
    return ACTOR_SEPARATOR.join(str(a.get(key) or "") for a in actors)


def flatten_event(event: dict[str, Any]) -> dict[str, Any]:
    """One event as a flat row (keys ``FLAT_COLUMNS``); compound actors are joined."""
    location = event.get("location") or {}
    evidence = event["evidence"]
    return {
        "event_id": event.get("event_id"),
        "article_id": event["article_id"],
        "date": event.get("date"),
        "date_start": event.get("date_start"),
        "date_end": event.get("date_end"),
        "date_precision": event.get("date_precision"),
        "date_source": event.get("date_source"),
        "source_names": _join(event["source"], "name"),
        "source_codes": _join(event["source"], "code"),
        "source_countries": _join(event["source"], "country"),
        "target_names": _join(event["target"], "name"),
        "target_codes": _join(event["target"], "code"),
        "target_countries": _join(event["target"], "country"),
        "cameo": event["cameo"],
        "cameo_label": event.get("cameo_label"),
        "plover": event.get("plover"),
        "plover_mode": event.get("plover_mode"),
        "quad_class": event["quad_class"],
        "goldstein": event["goldstein"],
        "modality": event.get("modality"),
        "attribution_names": _join(event.get("attribution") or [], "name"),
        "confidence": event.get("confidence"),
        "location_name": location.get("name"),
        "location_country": location.get("country"),
        "location_lat": location.get("lat"),
        "location_lon": location.get("lon"),
        "evidence_sentence": evidence["sentence"],
        "evidence_start": evidence["start"],
        "evidence_end": evidence["end"],
        "trigger": evidence["trigger"],
        "trigger_start": evidence["trigger_start"],
        "trigger_end": evidence["trigger_end"],
    }


def flatten_merged_event(event: dict[str, Any]) -> dict[str, Any]:
    """A merged event as a flat row (keys ``MERGED_COLUMNS``)."""
    return {
        **flatten_event(event),
        "reports": event["reports"],
        "report_articles": ACTOR_SEPARATOR.join(event["report_articles"]),
        "report_sources": event.get("report_sources"),
        "matched_reports": event.get("matched_reports"),
        "incident_id": event.get("incident_id"),
        "incident_date_start": event.get("incident_date_start"),
        "incident_date_end": event.get("incident_date_end"),
    }


def flat_form(
    merged: bool,
) -> tuple[tuple[str, ...], Callable[[dict[str, Any]], dict[str, Any]]]:
    """The columns and the flattening function of events, merged (``merge_duplicates=True``,
    with ``reports`` and ``report_articles``) or not."""
    return (MERGED_COLUMNS, flatten_merged_event) if merged else (FLAT_COLUMNS, flatten_event)


def iter_csv(events: Iterable[dict[str, Any]], merged: bool = False) -> Iterator[str]:
    """CSV text (header first, then one line per event), in chunks of about
    :data:`CHUNK_CHARS` (see :func:`flat_form`)."""
    columns, flatten = flat_form(merged)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for event in events:
        writer.writerow(flatten(event))
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def chunked(lines: Iterable[str], size: int = CHUNK_CHARS) -> Iterator[str]:
    """``lines`` joined into chunks of about ``size`` characters (none empty)."""
    parts: list[str] = []
    gathered = 0
    for line in lines:
        parts.append(line)
        gathered += len(line)
        if gathered >= size:
            yield "".join(parts)
            parts.clear()
            gathered = 0
    if parts:
        yield "".join(parts)


def iter_jsonl(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line, exactly as stored (in chunks of many lines)."""
    return chunked(json.dumps(event, ensure_ascii=False) + "\n" for event in events)


def _plover_actors(actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "actorText": a.get("text"),
            "name": a.get("name"),
            "code": a.get("code"),
            "country": a.get("country"),
            "sector": a.get("sector"),
        }
        for a in actors
    ]


def to_plover(event: dict[str, Any]) -> dict[str, Any]:
    """One event in PLOVER-style JSON.

    Field names follow the PLOVER record format (``id``, ``date``, ``event``,
    ``mode``, ``context``, ``source``/``target`` as lists of actors with
    ``actorText``/``code``/``sector``, ``eventText``, ``text``) plus the flat
    ``actor1``/``actor2`` names and codes common in event datasets (first source,
    first target) and the CAMEO code, QuadClass and Goldstein score. A merged
    event also carries ``reports`` and ``reportArticles``.
    """
    source = event["source"]
    target = event["target"]
    evidence = event["evidence"]
    location = event.get("location")
    record = {
        "id": event.get("event_id"),
        "date": event.get("date_start") or event.get("date"),
        "event": event.get("plover"),
        "mode": event.get("plover_mode"),
        # Dragoman does not code PLOVER contexts yet.
        "context": None,
        "source": _plover_actors(source),
        "target": _plover_actors(target),
        "actor1": source[0]["name"] if source else None,
        "actor1Code": source[0]["code"] if source else None,
        "actor2": target[0]["name"] if target else None,
        "actor2Code": target[0]["code"] if target else None,
        "eventText": evidence["trigger"],
        "text": evidence["sentence"],
        "cameo": event["cameo"],
        "quadClass": event["quad_class"],
        "goldstein": event["goldstein"],
        "modality": event.get("modality"),
        "confidence": event.get("confidence"),
        "geoloc": (
            {
                "placeName": location.get("name"),
                "country": location.get("country"),
                "lat": location.get("lat"),
                "lon": location.get("lon"),
            }
            if location
            else None
        ),
        "articleId": event["article_id"],
    }
    if "reports" in event:
        record["reports"] = event["reports"]
        record["reportArticles"] = event["report_articles"]
    return record


def plover_document(events: Iterable[dict[str, Any]]) -> str:
    """A JSON array of PLOVER-style records."""
    return "".join(iter_plover_document(events))


def iter_plover_document(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """:func:`plover_document` in chunks, one record at a time: the same text as
    ``json.dumps(records, indent=1)`` without holding the records."""

    def pieces() -> Iterator[str]:
        first = True
        for event in events:
            record = json.dumps(to_plover(event), ensure_ascii=False, indent=1)
            # One level deeper inside the array: JSON text holds no raw line breaks
            # inside strings, so indenting every line is exact.
            yield ("[\n " if first else ",\n ") + record.replace("\n", "\n ")
            first = False
        yield "[]" if first else "\n]"

    return chunked(pieces())
