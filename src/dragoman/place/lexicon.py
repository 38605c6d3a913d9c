"""Word lists the place stage reads from ``dragoman/data/places``, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dragoman.place.sources import DATA_DIR, read_rows


@dataclass(frozen=True)
class PlaceLexicon:
    """Locative prepositions, relational words, motion predicates and actor nouns."""

    #: prepositions whose object is where the event happens ("in", "at", "near")
    place_preps: frozenset[str]
    #: prepositions that name a location only after a motion predicate ("to", "into")
    motion_preps: frozenset[str]
    #: words locating relative to a place through "of" ("southwest", "outskirts")
    relative_words: frozenset[str]
    #: predicates whose destination is the event's location ("visit", "travel")
    motion_predicates: frozenset[str]
    #: nouns a place name modifies when it stands for an actor ("government")
    actor_nouns: frozenset[str]


@lru_cache(maxsize=1)
def load_lexicon() -> PlaceLexicon:
    """Read the word lists once per process."""
    kinds: dict[str, set[str]] = {"place": set(), "motion": set(), "relative": set()}
    for word, kind in read_rows(DATA_DIR / "locative_preps.tsv"):
        kinds[kind].add(word)
    motion = {row[0] for row in read_rows(DATA_DIR / "motion_predicates.tsv")}
    actor_nouns = {row[0] for row in read_rows(DATA_DIR / "actor_nouns.tsv")}
    return PlaceLexicon(
        place_preps=frozenset(kinds["place"]),
        motion_preps=frozenset(kinds["motion"]),
        relative_words=frozenset(kinds["relative"]),
        motion_predicates=frozenset(motion),
        actor_nouns=frozenset(actor_nouns),
    )
