"""Reading quantities written in words or digits ("three", "twenty-five", "2.5",
"two and a half", "several") for duration values."""

from __future__ import annotations

import re

from .lexicon import alternation, load_lexicon

#: Value used for unspecified quantities ("several years" -> PXY).
UNSPECIFIED = "X"


def number_pattern() -> str:
    """Regex (no groups) for a quantity in digits or words."""
    lexicon = load_lexicon()
    words = [w for w in lexicon.numbers if w not in ("a", "an")]
    word = alternation(words)
    compound = rf"{word}(?:[-\s]{word})?"
    fraction = r"(?:\s+and\s+a\s+half)?"
    digits = r"\d+(?:,\d{3})*(?:\.\d+)?"
    return rf"(?:{digits}|(?i:{compound}{fraction}|an?))"


def parse_number(phrase: str) -> float | str | None:
    """The value of a quantity phrase, ``"X"`` when unspecified, None if unreadable."""
    numbers = load_lexicon().numbers
    text = re.sub(r"\s+", " ", phrase.strip().lower())
    half = 0.0
    if text.endswith(" and a half"):
        text, half = text[: -len(" and a half")], 0.5
    digits = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits) + half
    if text in numbers:
        value = numbers[text]
        return UNSPECIFIED if value == UNSPECIFIED else float(value) + half
    total = 0.0
    for piece in re.split(r"[-\s]", text):
        value = numbers.get(piece)
        if value is None or value == UNSPECIFIED:
            return None
        if value == "100" and total:
            total *= 100
        else:
            total += float(value)
    return total + half


def format_number(value: float | str) -> str:
    """``3.0`` -> ``"3"``, ``2.5`` -> ``"2.5"``, ``"X"`` unchanged."""
    if isinstance(value, str):
        return value
    return str(int(value)) if value == int(value) else f"{value:g}"
