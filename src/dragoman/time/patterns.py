"""Regex building blocks made from the word lists (no capture groups inside)."""

from __future__ import annotations

from functools import lru_cache

from .lexicon import alternation, load_lexicon
from .numbers import number_pattern


def _full_names(table: dict[str, int]) -> list[str]:
    """Names that are not abbreviations of a longer name with the same number."""
    longest: dict[int, int] = {}
    for word, number in table.items():
        longest[number] = max(longest.get(number, 0), len(word))
    return [w for w, n in table.items() if len(w) == longest[n] or len(w) > 4]


class Blocks:
    """Pattern pieces shared by the rules."""

    def __init__(self) -> None:
        lexicon = load_lexicon()
        months_full = _full_names(lexicon.months)
        abbreviations = [w for w in lexicon.months if w not in months_full]
        #: Full month names only (safe on their own).
        self.month_full = alternation(months_full)
        #: Full names or abbreviations ("Sept." too) - used only next to digits.
        self.month_any = "(?:" + self.month_full + "|" + alternation(abbreviations) + r"\.?)"
        self.weekday = alternation(_full_names(lexicon.weekdays))
        self.day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
        self.year = r"(?:1\d{3}|20\d{2})"
        self.number = number_pattern()
        units = lexicon.units
        self.unit = "(?i:" + alternation(units.keys()) + ")"
        self.unit_singular = "(?i:" + alternation({u.singular for u in units.values()}) + ")"
        self.unit_plural = "(?i:" + alternation({u.plural for u in units.values()}) + ")"
        self.unit_adjective = "(?i:" + alternation(lexicon.unit_adjectives) + ")"
        self.ordinal = "(?i:" + alternation(lexicon.ordinals.keys()) + ")"
        self.part = "(?i:" + alternation(lexicon.period_parts.keys()) + ")"
        self.season = "(?i:" + alternation(lexicon.seasons.keys()) + ")"
        self.part_of_day = "(?i:" + alternation(lexicon.parts_of_day.keys()) + ")"
        self.reference = "(?i:" + alternation(lexicon.references.keys()) + ")"
        self.set_word = "(?i:" + alternation(lexicon.sets.keys()) + ")"
        self.holiday = alternation(lexicon.holidays.keys()).replace("'", "['’]")
        self.head = {
            "unit": cased(units.keys()),
            "unit_singular": cased({u.singular for u in units.values()}),
            "unit_plural": cased({u.plural for u in units.values()}),
            "part": cased(lexicon.period_parts.keys()),
            "season": cased(lexicon.seasons.keys()),
            "reference": cased(lexicon.references.keys()),
            "set_word": cased(lexicon.sets.keys()),
        }
        self.deictic_day = (
            r"(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow"
            r"|today|tonight|yesterday|tomorrow)"
        )


def cased(words: list[str] | set[str] | dict | str) -> str:
    """A case-sensitive alternation of ``words`` as written, Capitalised and in CAPITALS.

    Used for rule heads: Python's regex engine scans quickly for a case-sensitive
    literal alternation but not for a case-insensitive one.
    """
    if isinstance(words, str):
        words = words.split("|")
    variants: set[str] = set()
    for word in words:
        variants.update({word, word[:1].upper() + word[1:], word.upper()})
    return alternation(variants)


@lru_cache(maxsize=1)
def blocks() -> Blocks:
    """The pattern pieces, built once."""
    return Blocks()
