"""Senses of verb rows selected by their object ("fired the minister" is no shooting)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dragoman.ontology.cameo import load_cameo
from dragoman.ontology.tsv import data_path, read_rows

CLASS_COLUMNS = ("class", "lemma", "comment")
SENSE_COLUMNS = ("pattern", "object", "reading", "comment")
#: Classes the coder knows without a list: a person, any actor, a place.
BUILT_IN_CLASSES = frozenset({"person", "actor", "place"})


@dataclass(frozen=True)
class Sense:
    """Where the object of ``pattern`` is of ``object_class``, the act reads ``reading``
    (a CAMEO code), or is no event when ``reading`` is None."""

    pattern: tuple[str, ...]
    object_class: str
    reading: str | None


@dataclass(frozen=True)
class Senses:
    """Object classes and the senses they select, looked up by verb pattern."""

    classes: dict[str, frozenset[str]]
    by_pattern: dict[tuple[str, ...], tuple[Sense, ...]]

    def of(self, pattern: tuple[str, ...]) -> tuple[Sense, ...]:
        return self.by_pattern.get(pattern, ())

    def in_class(self, lemma: str, object_class: str) -> bool:
        return lemma in self.classes.get(object_class, frozenset())

    @classmethod
    def load(cls, folder: Path | None = None) -> Senses:
        """``object_classes.tsv`` and ``senses.tsv`` of ``folder`` (default: the packaged
        ``events`` data), every row checked; errors name the file and line."""
        return _load(folder or data_path("events"))


@lru_cache(maxsize=4)
def _load(folder: Path) -> Senses:
    classes: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(folder / "object_classes.tsv", CLASS_COLUMNS):
        name, lemma = row.fields["class"], row.fields["lemma"]
        if not name or name in BUILT_IN_CLASSES:
            raise row.error(f"class {name!r} is empty or a built-in class")
        if not lemma or lemma != lemma.lower() or " " in lemma:
            raise row.error(f"lemma must be one lower-case word, got {lemma!r}")
        if lemma in classes[name]:
            raise row.error(f"{lemma!r} is listed twice in class {name!r}")
        classes[name].add(lemma)
    codes = load_cameo()
    senses: dict[tuple[str, ...], list[Sense]] = defaultdict(list)
    for row in read_rows(folder / "senses.tsv", SENSE_COLUMNS):
        pattern = tuple(row.fields["pattern"].split())
        object_class, reading = row.fields["object"], row.fields["reading"]
        if not pattern:
            raise row.error("empty pattern")
        if object_class not in classes and object_class not in BUILT_IN_CLASSES:
            raise row.error(f"unknown object class {object_class!r}")
        if reading != "-" and reading not in codes:
            raise row.error(f"unknown CAMEO code {reading!r}")
        senses[pattern].append(Sense(pattern, object_class, None if reading == "-" else reading))
    return Senses(
        {name: frozenset(lemmas) for name, lemmas in classes.items()},
        {pattern: tuple(rows) for pattern, rows in senses.items()},
    )
