"""Offline gazetteer and toponym resolution.

``Gazetteer.load()`` builds the gazetteer once per process from installed packages
and the reviewed files in ``dragoman/data/places``; ``PlaceResolver(gazetteer).find``
finds and resolves the places an article mentions; ``place_for_predicate`` ties an
event's predicate to the place its locative phrase names.
"""

from dragoman.place.entry import GazetteerEntry
from dragoman.place.gazetteer import Gazetteer
from dragoman.place.normalize import normalize_name
from dragoman.place.predicate import place_for_predicate
from dragoman.place.resolver import PlaceResolver

__all__ = ["Gazetteer", "GazetteerEntry", "PlaceResolver", "normalize_name", "place_for_predicate"]
