"""Country codes and names as the exchange formats want them.

Dragoman codes countries in ISO 3166-1 alpha-3. GDELT writes geography in FIPS 10-4
(``data/formats/fips10_4.tsv``), PLOVER locations carry the alpha-2 code next to the
alpha-3, and ICEWS writes country names (Dragoman's canonical names, from
``data/actors/countries.yaml``, else the FIPS table's, else pycountry's).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pycountry
import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FIPS_FILE = DATA_DIR / "formats" / "fips10_4.tsv"
COUNTRIES_FILE = DATA_DIR / "actors" / "countries.yaml"
PARTS_FILE = DATA_DIR / "formats" / "cameo_actor_parts.tsv"

#: Codes pycountry does not have (user-assigned ISO codes in common use).
_EXTRA_ALPHA2 = {"XKX": "XK"}
#: Longitude dividing the Gaza Strip (west of it) from the West Bank (east).
_GAZA_WEST_BANK_LON = 34.7


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated data file with a header, ``#`` lines being comments."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if header is None:
                header = cells
                continue
            if len(cells) != len(header):
                raise ValueError(
                    f"{path.name}: {len(cells)} cells where {len(header)} expected: {line!r}"
                )
            rows.append(dict(zip(header, cells, strict=True)))
    return rows


@cache
def fips_table() -> dict[str, tuple[str, str]]:
    """ISO alpha-3 code -> (FIPS 10-4 code, short name)."""
    return {row["iso3"]: (row["fips"], row["name"]) for row in read_tsv(FIPS_FILE)}


@cache
def _dragoman_names() -> dict[str, str]:
    with COUNTRIES_FILE.open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle) or []
    return {e["code"]: e["name"] for e in entries if e.get("code") and e.get("name")}


def fips(
    iso3: str | None, lat: float | None = None, lon: float | None = None, name: str = ""
) -> str:
    """The FIPS 10-4 code of an ISO alpha-3 country ("" when there is none).

    Palestine is split as FIPS splits it: GZ for places in the Gaza Strip (west of
    34.7° E, or named Gaza when no position is known), WE for the West Bank.
    """
    if not iso3:
        return ""
    if iso3 == "PSE":
        if lon is not None:
            return "GZ" if lon < _GAZA_WEST_BANK_LON else "WE"
        return "GZ" if "gaza" in name.lower() else "WE"
    entry = fips_table().get(iso3)
    return entry[0] if entry else ""


def alpha2(iso3: str | None) -> str | None:
    """The ISO alpha-2 code of an alpha-3 code, or None."""
    if not iso3:
        return None
    if iso3 in _EXTRA_ALPHA2:
        return _EXTRA_ALPHA2[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country else None


def country_name(iso3: str | None) -> str:
    """An English name of the country ("" when unknown)."""
    if not iso3:
        return ""
    name = _dragoman_names().get(iso3)
    if name:
        return name
    entry = fips_table().get(iso3)
    if entry:
        return entry[1]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return ""
    return getattr(country, "common_name", None) or country.name


@cache
def actor_parts() -> dict[str, tuple[str, str]]:
    """Three-letter CAMEO code part -> (``type`` or ``region``, label)."""
    return {row["code"]: (row["part"], row["label"]) for row in read_tsv(PARTS_FILE)}


def split_actor_code(actor: dict) -> tuple[str, str | None, list[str]]:
    """An actor's CAMEO code taken apart: (country, known group, types).

    The country is the actor's country; its three letters at the head of the code are
    skipped. Of the remaining three-letter parts, type codes (GOV, REB, IGO...) are the
    types, regional codes are dropped, and the first other part of an organisation or a
    group is its known group ("IGOUNO" -> types [IGO], group UNO). When the code spells no
    type, the actor's sector is the type.
    """
    code = (actor.get("code") or "").upper()
    country = actor.get("country") or ""
    if country and code.startswith(country):
        code = code[len(country) :]
    parts = actor_parts()
    types: list[str] = []
    group: str | None = None
    for i in range(0, len(code) - len(code) % 3, 3):
        chunk = code[i : i + 3]
        kind = parts.get(chunk, ("", ""))[0]
        if kind == "type":
            if chunk not in types:
                types.append(chunk)
        elif kind == "region":
            continue
        elif group is None and actor.get("kind") in ("organization", "group"):
            group = chunk
    sector = actor.get("sector")
    if sector and not types and parts.get(sector, ("", ""))[0] == "type":
        types.append(sector)
    return country, group, types


def sector_label(code: str) -> str:
    """The English name of a CAMEO type code (the code itself when unknown)."""
    entry = actor_parts().get(code)
    return entry[1] if entry and entry[0] == "type" else code
