"""Senses of verb rows selected by their object ("fired the minister" is no shooting), and
codes selected by the means the act is done with ("jets destroyed depots": an air strike)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dragoman.ontology.cameo import load_cameo
from dragoman.ontology.tsv import data_path, read_rows

CLASS_COLUMNS = ("class", "lemma", "comment")
SENSE_COLUMNS = ("pattern", "object", "reading", "comment")
MEANS_COLUMNS = ("subject", "codes", "reading", "comment")
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
class Means:
    """Where the one who acts is a word of ``subject_class``, an act coded with one of
    ``codes`` reads ``reading`` instead (``means.tsv``)."""

    subject_class: str
    codes: frozenset[str]
    reading: str


@dataclass(frozen=True)
class Senses:
    """Object classes and the senses they select, looked up by verb pattern."""

    classes: dict[str, frozenset[str]]
    by_pattern: dict[tuple[str, ...], tuple[Sense, ...]]
    means: tuple[Means, ...] = ()

    def of(self, pattern: tuple[str, ...]) -> tuple[Sense, ...]:
        return self.by_pattern.get(pattern, ())

    def in_class(self, lemma: str, object_class: str) -> bool:
        return lemma in self.classes.get(object_class, frozenset())

    def has_means(self, code: str) -> bool:
        """Whether some means may change what an act coded ``code`` reads."""
        return any(code in means.codes for means in self.means)

    def by_means(self, code: str, subject_lemma: str) -> str | None:
        """The code an act coded ``code`` reads when done by ``subject_lemma``, if any."""
        for means in self.means:
            if code in means.codes and self.in_class(subject_lemma, means.subject_class):
                return means.reading
        return None

    @classmethod
    def load(cls, folder: Path | None = None) -> Senses:
        """``object_classes.tsv`` and ``senses.tsv`` of ``folder`` (default: the packaged
        ``events`` data), every row checked; errors name the file and line."""
        return _load(folder or data_path("events"))


@lru_cache(maxsize=4)
def _load(folder: Path) -> Senses:
    classes: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(folder / "object_classes.tsv", CLASS_COLUMNS):
        name = row.fields["class"]
        if not name or name in BUILT_IN_CLASSES:
            raise row.error(f"class {name!r} is empty or a built-in class")
        lemma = row.lemma()
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
    means: list[Means] = []
    path = folder / "means.tsv"
    if path.is_file():
        for row in read_rows(path, MEANS_COLUMNS):
            subject, reading = row.fields["subject"], row.fields["reading"]
            applies = row.fields["codes"].split()
            if subject not in classes:
                raise row.error(f"unknown subject class {subject!r}")
            unknown = [code for code in [*applies, reading] if code not in codes]
            if not applies or unknown:
                raise row.error(f"codes and reading must be CAMEO codes, got {unknown or '-'}")
            means.append(Means(subject, frozenset(applies), reading))
    return Senses(
        {name: frozenset(lemmas) for name, lemmas in classes.items()},
        {pattern: tuple(rows) for pattern, rows in senses.items()},
        tuple(means),
    )
