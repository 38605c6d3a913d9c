"""ICEWS-style event table: the 20 tab-separated columns of the ICEWS coded event files."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from dragoman.formats.articles import sentence_number
from dragoman.formats.countries import country_name, sector_label, split_actor_code
from dragoman.formats.gdelt import numeric_event_id
from dragoman.formats.registry import Event, ExportContext, ExportFormat

#: The columns of an ICEWS event file, in order.
ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
)


def _actor(actors: list[dict]) -> tuple[str, str, str]:
    """(name, sectors, country) of the first actor of a role, as ICEWS writes them."""
    if not actors:
        return "", "", ""
    actor = actors[0]
    name = actor.get("name") or actor.get("text") or ""
    country = country_name(actor.get("country"))
    if actor.get("kind") == "generic" and country:
        name = f"{name} ({country})"  # ICEWS names unnamed actors "Police (Kenya)"
    _, _, types = split_actor_code(actor)
    return name, ",".join(sector_label(t) for t in types), country


def _place(location: dict | None) -> tuple[str, str, str, str, str, str]:
    """(city, district, province, country, latitude, longitude) of an event's place."""
    if not location:
        return "", "", "", "", "", ""
    feature = location.get("feature") or "city"
    name = location.get("name") or ""
    city = name if feature == "city" else ""
    province = name if feature in ("admin1", "region") else ""
    lat, lon = location.get("lat"), location.get("lon")
    return (
        city,
        "",
        province,
        country_name(location.get("country")),
        "" if lat is None else str(lat),
        "" if lon is None else str(lon),
    )


def icews_row(event: Event, context: ExportContext) -> list[object]:
    """The 20 cells of one event."""
    article = context.article(event["article_id"])
    source = _actor(event["source"])
    target = _actor(event["target"])
    number = sentence_number(article, event["evidence"]["start"])
    return [
        numeric_event_id(event.get("event_id")) or "",
        event.get("date_start") or "",
        *source,
        event.get("cameo_label") or "",
        event["cameo"],
        event["goldstein"],
        *target,
        event["article_id"],
        "" if number is None else number,
        (article or {}).get("source") or "",
        *_place(event.get("location")),
    ]


def _clean(value: object) -> object:
    if isinstance(value, str) and any(c in value for c in "\t\r\n"):
        return " ".join(value.split())
    return value


def _encode(events: Iterable[Event], context: ExportContext) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(ICEWS_COLUMNS)
    for event in events:
        writer.writerow([_clean(v) for v in icews_row(event, context)])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


ICEWS = ExportFormat(
    name="icews",
    label="ICEWS",
    summary="an ICEWS-style event table: the 20 tab-separated columns of the ICEWS coded "
    "event files, with a header",
    media_type="text/tab-separated-values; charset=utf-8",
    filename="dragoman-events.icews.tab",
    encode=_encode,
    uses_articles=True,
    doc_page="outputs/icews.md",
)
