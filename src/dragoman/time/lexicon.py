"""Word lists of the temporal tagger, read once from ``dragoman/data/time``.

Each file is a small TSV with ``#`` comment lines explaining what a row means. This
module only reads them; the patterns built from them live in :mod:`.patterns`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "time"


def read_table(name: str) -> list[list[str]]:
    """Rows of the TSV ``name`` (comment and blank lines dropped)."""
    rows: list[list[str]] = []
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


@dataclass(frozen=True)
class Unit:
    """A calendar unit such as ``year`` or ``hour``."""

    singular: str
    plural: str
    #: TIMEX3 duration letter(s); a leading ``T`` marks a clock unit (``TH``).
    code: str
    multiplier: int
    precision: str


@dataclass(frozen=True)
class Season:
    code: str
    first_month: int
    last_month: int


@dataclass(frozen=True)
class Lexicon:
    """All word lists, keyed by their lower-cased (or as-written) surface form."""

    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, str]
    ordinals: dict[str, int]
    units: dict[str, Unit]
    period_parts: dict[str, str]
    seasons: dict[str, Season]
    parts_of_day: dict[str, str]
    references: dict[str, str]
    sets: dict[str, str]
    holidays: dict[str, str]
    future_markers: frozenset[str]
    past_markers: frozenset[str]
    unit_adjectives: frozenset[str]
    season_cues: frozenset[str]

    def unit(self, word: str) -> Unit | None:
        """The unit named by ``word`` (singular or plural, any case)."""
        return self.units.get(word.lower())

    def countable_unit(self, word: str) -> Unit | None:
        """The unit named by ``word`` when amounts of it can be counted (not "weekend")."""
        unit = self.unit(word)
        return None if unit is None or unit.singular == "weekend" else unit


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read every word list once per process."""
    units: dict[str, Unit] = {}
    for singular, plural, code, multiplier, precision in read_table("units.tsv"):
        unit = Unit(singular, plural, code, int(multiplier), precision)
        units[singular] = unit
        units[plural] = unit
    markers = read_table("tense_markers.tsv")
    return Lexicon(
        months={word: int(num) for word, num in read_table("months.tsv")},
        weekdays={word: int(num) for word, num in read_table("weekdays.tsv")},
        numbers={word: value for word, value in read_table("numbers.tsv")},
        ordinals={word: int(value) for word, value in read_table("ordinals.tsv")},
        units=units,
        period_parts={word: part for word, part in read_table("period_parts.tsv")},
        seasons={
            word: Season(code, int(first), int(last))
            for word, code, first, last in read_table("seasons.tsv")
        },
        parts_of_day={word: code for word, code in read_table("parts_of_day.tsv")},
        references={phrase.lower(): value for phrase, value in read_table("references.tsv")},
        sets={word: value for word, value in read_table("sets.tsv")},
        holidays={phrase: rule for phrase, rule in read_table("holidays.tsv")},
        future_markers=frozenset(w.lower() for w, d in markers if d == "future"),
        past_markers=frozenset(w.lower() for w, d in markers if d == "past"),
        unit_adjectives=frozenset(row[0].lower() for row in read_table("unit_adjectives.tsv")),
        season_cues=frozenset(row[0].lower() for row in read_table("season_cues.tsv")),
    )


def alternation(words: list[str] | set[str] | dict, flexible_space: bool = True) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any run."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = re.escape(word)
        if flexible_space:
            escaped = escaped.replace(r"\ ", r"\s+")
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"
