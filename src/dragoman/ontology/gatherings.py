"""Verbs of gathering that, done by protesters, are a demonstration (``events/gatherings.tsv``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dragoman.ontology.tsv import data_path, read_rows

GATHERING_COLUMNS = ("lemma", "particle", "comment")


@lru_cache(maxsize=4)
def load_gatherings(path: Path | None = None) -> dict[str, str | None]:
    """Verb lemma -> the particle it needs (None for none), every row checked."""
    path = path or data_path("events", "gatherings.tsv")
    verbs: dict[str, str | None] = {}
    for row in read_rows(path, GATHERING_COLUMNS):
        lemma, particle = row.lemma(), row.fields["particle"]
        if lemma in verbs:
            raise row.error(f"duplicate lemma {lemma!r}")
        verbs[lemma] = None if particle == "-" else particle
    return verbs
