"""The gazetteer's record of one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place: a country, a first-level division, a city or a named region."""

    name: str
    #: ``country``, ``admin1``, ``city`` or ``region``.
    feature: str
    #: ISO-3166 alpha-3 code of the country the place lies in (None when it spans several).
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None = None
    population: int = 0
    #: GeoNames first-level division code shared by a division and its cities.
    admin1: str | None = None
    #: True for a country's capital city.
    capital: bool = False
