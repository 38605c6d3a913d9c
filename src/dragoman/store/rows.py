"""Conversions between records and table rows (no SQL here).

Read-back dictionaries have exactly the shape of the records' ``to_dict()``
output, so a stored event reads back as ``Event.to_dict()`` plus ``event_id``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from dragoman.records import ActorRef, Article, Event, Place, TimeExpr
from dragoman.store.sql import EVENT_COLUMNS, EVENT_WRITE_COLUMNS


def event_id(event: Event) -> str:
    """A stable id from the article, the evidence offsets, the CAMEO code and the actors.

    The same event extracted twice from the same text gets the same id.
    """

    def actors(refs: list[ActorRef]) -> list[list[Any]]:
        return [[a.code, a.name, a.start, a.end] for a in refs]

    ev = event.evidence
    key = json.dumps(
        [
            event.article_id,
            ev.start,
            ev.end,
            ev.trigger_start,
            ev.trigger_end,
            event.cameo,
            actors(event.source),
            actors(event.target),
        ],
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def duplicate_key(
    cameo: str,
    date_start: date | None,
    source: Iterable[tuple[str, str]],
    target: Iterable[tuple[str, str]],
) -> str | None:
    """The key shared by every report of the same event, or None for an undated event.

    Two events are reports of one event when they have the same CAMEO root (first
    two digits), the same set of source actors and the same set of target actors
    (each actor as ``(code, name)``, in any order, repeats ignored) and start on the
    same day. Undated events never merge, so they get no key.
    """
    if date_start is None:
        return None
    key = json.dumps(
        [
            cameo[:2],
            _iso(date_start),
            sorted({(code, name) for code, name in source}),
            sorted({(code, name) for code, name in target}),
        ],
        ensure_ascii=True,
        separators=(",", ":"),
    )
    # 32 hex digits: longer than an event id, so the two never collide.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def event_duplicate_key(event: Event) -> str | None:
    """:func:`duplicate_key` of an event record."""
    return duplicate_key(
        event.cameo,
        event.date_start,
        [(a.code, a.name) for a in event.source],
        [(a.code, a.name) for a in event.target],
    )


def stored_duplicate_key(
    cameo: str, date_start: Any, source_json: str, target_json: str
) -> str | None:
    """:func:`duplicate_key` of a stored event, from its columns."""
    return duplicate_key(
        cameo,
        date_start,
        [(a["code"], a["name"]) for a in json.loads(source_json)],
        [(a["code"], a["name"]) for a in json.loads(target_json)],
    )


def article_row(article: Article, ingested_at: datetime) -> tuple[Any, ...]:
    """The ``articles`` row of an article."""
    return (
        article.id,
        article.text,
        article.title,
        article.url,
        article.source,
        article.published,
        bool(article.published_estimated),
        article.origin,
        json.dumps([list(span) for span in article.boilerplate]),
        ingested_at,
        article.language,
    )


def actor_row(ref: ActorRef) -> tuple[Any, ...]:
    """The canonical ``actors`` row an actor mention resolves to."""
    return (ref.code, ref.name, ref.country, ref.sector, ref.kind, ref.actor_id)


def mention_row(article_id: str, position: int, ref: ActorRef) -> tuple[Any, ...]:
    """A ``mentions`` row."""
    return (
        article_id,
        position,
        ref.start,
        ref.end,
        ref.text,
        ref.name,
        ref.code,
        ref.country,
        ref.sector,
        ref.kind,
        ref.actor_id,
        ref.antecedent,
    )


def time_row(article_id: str, position: int, t: TimeExpr) -> tuple[Any, ...]:
    """A ``times`` row."""
    return (
        article_id,
        position,
        t.start,
        t.end,
        t.text,
        t.type,
        t.value,
        t.date_start,
        t.date_end,
        t.precision,
    )


def place_row(article_id: str, position: int, p: Place) -> tuple[Any, ...]:
    """A ``places`` row."""
    return (
        article_id,
        position,
        p.start,
        p.end,
        p.text,
        p.name,
        p.country,
        p.lat,
        p.lon,
        p.geonameid,
        p.feature,
    )


def _actor_json(refs: list[ActorRef]) -> str:
    return json.dumps([a.to_dict() for a in refs], ensure_ascii=False)


def event_row(event_key: str, position: int, event: Event) -> tuple[Any, ...]:
    """An ``events`` row as written, in ``EVENT_WRITE_COLUMNS`` order."""
    ev = event.evidence
    loc = event.location
    values: dict[str, Any] = {
        "event_id": event_key,
        "article_id": event.article_id,
        "position": position,
        "cameo": event.cameo,
        "cameo_label": event.cameo_label,
        "plover": event.plover,
        "plover_mode": event.plover_mode,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "modality": event.modality,
        "event_date": event.date,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "date_precision": event.date_precision,
        "date_source": event.date_source,
        "confidence": round(event.confidence, 3),
        "evidence_sentence": ev.sentence,
        "evidence_start": ev.start,
        "evidence_end": ev.end,
        "trigger_text": ev.trigger,
        "trigger_start": ev.trigger_start,
        "trigger_end": ev.trigger_end,
        "location_text": loc.text if loc else None,
        "location_start": loc.start if loc else None,
        "location_end": loc.end if loc else None,
        "location_name": loc.name if loc else None,
        "location_country": loc.country if loc else None,
        "location_lat": loc.lat if loc else None,
        "location_lon": loc.lon if loc else None,
        "location_geonameid": loc.geonameid if loc else None,
        "location_feature": loc.feature if loc else None,
        "source_json": _actor_json(event.source),
        "target_json": _actor_json(event.target),
        "attribution_json": _actor_json(event.attribution),
        "duplicate_key": event_duplicate_key(event),
        "coder": event.coder,
        "coders_agree": event.coders_agree,
    }
    return tuple(values[c] for c in EVENT_WRITE_COLUMNS)


def event_actor_rows(event_key: str, event: Event) -> list[tuple[Any, ...]]:
    """The ``event_actors`` rows of an event (source, target and attribution)."""
    rows = []
    for role, refs in (
        ("source", event.source),
        ("target", event.target),
        ("attribution", event.attribution),
    ):
        for position, a in enumerate(refs):
            rows.append(
                (event_key, role, position, a.text, a.name, a.code, a.country, a.sector, a.kind)
            )
    return rows


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def event_from_row(row: Sequence[Any]) -> dict[str, Any]:
    """An event dictionary (``Event.to_dict()`` plus ``event_id``) from an events row."""
    r = dict(zip(EVENT_COLUMNS, row, strict=True))
    location = None
    if r["location_name"] is not None:
        location = {
            "text": r["location_text"],
            "start": r["location_start"],
            "end": r["location_end"],
            "name": r["location_name"],
            "country": r["location_country"],
            "lat": r["location_lat"],
            "lon": r["location_lon"],
            "geonameid": r["location_geonameid"],
            "feature": r["location_feature"],
        }
    return {
        "event_id": r["event_id"],
        "article_id": r["article_id"],
        "source": json.loads(r["source_json"]),
        "target": json.loads(r["target_json"]),
        "cameo": r["cameo"],
        "cameo_label": r["cameo_label"],
        "plover": r["plover"],
        "plover_mode": r["plover_mode"],
        "quad_class": r["quad_class"],
        "goldstein": r["goldstein"],
        "date": r["event_date"],
        "date_start": _iso(r["date_start"]),
        "date_end": _iso(r["date_end"]),
        "date_precision": r["date_precision"],
        "date_source": r["date_source"],
        "location": location,
        "modality": r["modality"],
        "attribution": json.loads(r["attribution_json"]),
        "evidence": {
            "sentence": r["evidence_sentence"],
            "start": r["evidence_start"],
            "end": r["evidence_end"],
            "trigger": r["trigger_text"],
            "trigger_start": r["trigger_start"],
            "trigger_end": r["trigger_end"],
        },
        "confidence": r["confidence"],
        "coder": r["coder"],
        "coders_agree": r["coders_agree"],
    }


def article_from_row(row: Sequence[Any]) -> dict[str, Any]:
    """Article text and metadata from an articles row."""
    (aid, text, title, url, source, published, estimated, origin, boiler, ingested, language) = row
    return {
        "id": aid,
        "text": text,
        "title": title,
        "url": url,
        "source": source,
        "language": language,
        "published": _iso(published),
        "published_estimated": bool(estimated),
        "origin": origin,
        "boilerplate": [list(span) for span in json.loads(boiler or "[]")],
        "ingested_at": ingested.isoformat() if isinstance(ingested, datetime) else ingested,
    }


def mention_from_row(row: Sequence[Any]) -> dict[str, Any]:
    """A mention as ``ActorRef.to_dict()`` plus its ``antecedent``."""
    text, start, end, name, code, country, sector, kind, actor_id, antecedent = row
    return {
        "text": text,
        "name": name,
        "code": code,
        "country": country,
        "sector": sector,
        "kind": kind,
        "actor_id": actor_id,
        "start": start,
        "end": end,
        "antecedent": antecedent,
    }


def time_from_row(row: Sequence[Any]) -> dict[str, Any]:
    """A time expression as ``TimeExpr.to_dict()``."""
    text, start, end, ttype, value, d_start, d_end, precision = row
    return {
        "text": text,
        "start": start,
        "end": end,
        "type": ttype,
        "value": value,
        "date_start": _iso(d_start),
        "date_end": _iso(d_end),
        "precision": precision,
    }


def place_from_row(row: Sequence[Any]) -> dict[str, Any]:
    """A place as ``Place.to_dict()``."""
    text, start, end, name, country, lat, lon, geonameid, feature = row
    return {
        "text": text,
        "start": start,
        "end": end,
        "name": name,
        "country": country,
        "lat": lat,
        "lon": lon,
        "geonameid": geonameid,
        "feature": feature,
    }
