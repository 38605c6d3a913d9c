"""PLOVER event records with the specification's field names, one JSON object per line.

The PLOVER specification (Open Event Data Alliance, draft 0.8, "JSON Data Fields") names
the fields of an event record and of its actor, text, citation and location objects, and
suggests newline-delimited JSON. Each record written here is valid against the schema in
``data/formats/plover.schema.json``; what Dragoman codes beyond PLOVER (CAMEO code,
modality, attribution, evidence with offsets, confidence, merged reports) is under the key
``dragoman``.

PLOVER requires a date and an event type, so events without either (undated events, and
CAMEO public statements, which PLOVER does not code) are left out, and counted in a note.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from dragoman import __version__
from dragoman.formats.articles import sentence_number
from dragoman.formats.countries import alpha2
from dragoman.formats.registry import Event, ExportContext, ExportFormat

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "data" / "formats" / "plover.schema.json"
CODER = f"Dragoman {__version__}"
CODEBOOK = "PLOVER event types and modes (Dragoman's 16 types); CAMEO 1.1b3 codes"

#: GeoNames feature class and code of each kind of Dragoman place.
_GEONAMES_FEATURE = {
    "country": ("A", "PCLI"),
    "admin1": ("A", "ADM1"),
    "city": ("P", "PPL"),
    "region": ("L", "RGN"),
}


@cache
def plover_schema() -> dict[str, Any]:
    """The JSON Schema of a record (draft 2020-12)."""
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def _actor(actor: dict[str, Any]) -> dict[str, Any]:
    code = actor.get("code") or None
    return {
        "code": code[:3] if code else None,
        "sector": actor.get("sector"),
        "actor_text": actor.get("text") or "",
        "identifier_id": actor.get("actor_id"),
        "identifier_text": actor.get("name"),
        "dragoman": {
            "code": code,
            "country": actor.get("country"),
            "kind": actor.get("kind"),
            "start": actor.get("start", 0),
            "end": actor.get("end", 0),
        },
    }


def location_object(location: dict[str, Any]) -> dict[str, Any]:
    """A Dragoman place as a PLOVER location object (GeoNames field names)."""
    feature = location.get("feature") or "city"
    feature_class, feature_code = _GEONAMES_FEATURE.get(feature, ("L", "RGN"))
    iso3 = location.get("country")
    return {
        "geonameid": location.get("geonameid"),
        "name": location.get("name") or location.get("text") or "",
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "feature class": feature_class,
        "feature code": feature_code,
        "country code": alpha2(iso3),
        "cc3": iso3,
        "dragoman": {
            "text": location.get("text"),
            "start": location.get("start"),
            "end": location.get("end"),
            "feature": location.get("feature"),
        },
    }


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


def plover_record(event: Event, context: ExportContext) -> dict[str, Any] | None:
    """One event as a PLOVER record, or None when PLOVER cannot hold it (no date or no type)."""
    day = event.get("date_start")
    if not day or not event.get("plover"):
        return None
    evidence = event["evidence"]
    article = context.article(event["article_id"])
    record: dict[str, Any] = {
        "id": event.get("event_id") or "",
        "has_event": True,
        "date": day,
    }
    if event.get("date_end") and event["date_end"] != day:
        record["enddate"] = event["date_end"]
    record.update(
        {
            "source": [_actor(a) for a in event["source"]],
            "recipient": [_actor(a) for a in event["target"]],
            "event": [event["plover"]],
            "event_text": [evidence["trigger"]],
            "quad_code": event["quad_class"],
            "event_scale": event["goldstein"],
            "mode": [event["plover_mode"]] if event.get("plover_mode") else [],
            # Dragoman codes no PLOVER contexts yet.
            "context": [],
            "text": evidence["sentence"],
            "text_info": _drop_none(
                {
                    "sequence": sentence_number(article, evidence["start"]),
                    "start": evidence["start"],
                    "end": evidence["end"],
                }
            ),
            "cite_info": _drop_none(
                {
                    "citation": event["article_id"],
                    "url": (article or {}).get("url"),
                    "title": (article or {}).get("title"),
                    "publication": (article or {}).get("source"),
                    # the language the article is written in; the coder reads English
                    "language": (article or {}).get("language") or "en",
                    "coder": CODER,
                    "codebook": CODEBOOK,
                }
            ),
            "coder": CODER,
        }
    )
    if event.get("location"):
        record["event_loc"] = location_object(event["location"])
    extras: dict[str, Any] = {
        "article_id": event["article_id"],
        "cameo": event["cameo"],
        "cameo_label": event.get("cameo_label"),
        "goldstein": event["goldstein"],
        "date": event.get("date"),
        "date_precision": event.get("date_precision"),
        "date_source": event.get("date_source"),
        "modality": event.get("modality") or "asserted",
        "attribution": event.get("attribution") or [],
        "evidence": evidence,
        "confidence": event.get("confidence"),
    }
    if "reports" in event:
        extras["reports"] = event["reports"]
        extras["report_articles"] = event["report_articles"]
    record["dragoman"] = extras
    return record


def _encode(events: Iterable[Event], context: ExportContext) -> Iterator[str]:
    left_out = 0
    for event in events:
        record = plover_record(event, context)
        if record is None:
            left_out += 1
            continue
        yield json.dumps(record, ensure_ascii=False) + "\n"
    if left_out:
        context.notes.append(
            f"{left_out} event(s) without a date or a PLOVER type (CAMEO public statements) "
            "are not PLOVER records and were left out"
        )


PLOVER_JSONL = ExportFormat(
    name="plover-jsonl",
    label="PLOVER JSONL",
    summary="PLOVER records with the specification's field names, one JSON object per line, "
    "valid against `data/formats/plover.schema.json`; Dragoman's own fields under `dragoman`",
    media_type="application/x-ndjson; charset=utf-8",
    filename="dragoman-events.plover.jsonl",
    encode=_encode,
    uses_articles=True,
    doc_page="outputs/plover-jsonl.md",
)
