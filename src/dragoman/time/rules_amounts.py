"""Rules for amounts of time and repetitions: durations ("for three years" -> P3Y,
"48 hours" -> PT48H, "a decade", "recent years") and sets ("every week", "daily",
"15 a year")."""

from __future__ import annotations

import re

from .context import Candidate, Context, Rule, make_rule, span
from .lexicon import Unit, load_lexicon
from .numbers import UNSPECIFIED, format_number, parse_number
from .patterns import blocks, cased

#: Hedges that belong to a duration's span ("nearly five months", "over six years").
DURATION_MODIFIERS = (
    r"(?i:about|around|almost|nearly|more\s+than|less\s+than|fewer\s+than|over|at\s+least"
    r"|up\s+to|some|roughly|approximately|just\s+over|just\s+under|under|another"
    r"|an\s+additional|a\s+further|only|just|at\s+most|close\s+to)"
)
#: Words showing that "a year" after them is a rate ("15 a year", "twice a week").
_RATE_BEFORE = re.compile(
    r"(?:\d|\b(?:once|twice|thrice|times|dozen|hundred|thousand"
    r"|million|billion|trillion))[^\n.;,]{0,20}$",
    re.IGNORECASE,
)


#: "once a week", "three times a year": the frequency belongs to the set's span.
_FREQUENCY_BEFORE = re.compile(
    r"\b(?:once|twice|thrice|\d+\s+times|\w+\s+times)\s+$", re.IGNORECASE
)


def duration_value(amount: float | str, unit: Unit) -> str:
    """TIMEX3 duration value of ``amount`` ``unit`` (``P3Y``, ``PT48H``, ``PXDE``)."""
    code = unit.code
    if amount == UNSPECIFIED:
        if unit.multiplier == 10:
            code = "DE"
        elif unit.multiplier == 100:
            code = "CE"
        elif unit.multiplier != 1:
            code = "D"
        number = UNSPECIFIED
    else:
        number = format_number(float(amount) * unit.multiplier)
    if code.startswith("T"):
        return f"PT{number}{code[1:]}"
    return f"P{number}{code}"


def _duration(match: re.Match[str], ctx: Context) -> Candidate | None:
    unit = load_lexicon().countable_unit(match["unit"])
    quantity = match["q"].lower()
    if unit is None:
        return None
    if quantity in ("a", "an") and unit.singular in ("second", "quarter"):
        return None  # "a second time", "about a quarter of its dealers"
    if unit.singular == "quarter" and re.match(r"\s+of\b", ctx.text[match.end() :]):
        return None  # "three quarters of the vote"
    amount = parse_number(quantity)
    if amount is None:
        return None
    return Candidate(*span(match), "DURATION", duration_value(amount, unit))


def _vague_duration(match: re.Match[str], ctx: Context) -> Candidate | None:
    unit = load_lexicon().countable_unit(match["unit"])
    if unit is None:
        return None
    # Bare "days" or "years" are too often not temporal; "decades" on its own is.
    if not (match["q"] or match["prep"] or match["long"] or unit.multiplier >= 10):
        return None
    start = match.start("q") if match["q"] else match.start("unit")
    return Candidate(start, match.end(), "DURATION", duration_value(UNSPECIFIED, unit))


def _set_word(match: re.Match[str], ctx: Context) -> Candidate | None:
    value = load_lexicon().sets.get(match["word"].lower())
    return Candidate(*span(match), "SET", value) if value else None


def _every(match: re.Match[str], ctx: Context) -> Candidate | None:
    lexicon = load_lexicon()
    start, end = span(match)
    word = match["unit"]
    if word in lexicon.weekdays:
        return Candidate(start, end, "SET", f"XXXX-WXX-{lexicon.weekdays[word] + 1}")
    if word.lower() in lexicon.parts_of_day:
        return Candidate(start, end, "SET", f"TXX{lexicon.parts_of_day[word.lower()]}")
    unit = lexicon.countable_unit(word)
    if unit is None:
        return None
    amount: float | str = 1.0
    if match["q"]:
        parsed = parse_number(match["q"])
        if parsed is None or parsed == UNSPECIFIED:
            return None
        amount = parsed
    if match["other"]:
        amount = float(amount) * 2
    return Candidate(start, end, "SET", duration_value(amount, unit))


def _rate(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    frequency = _FREQUENCY_BEFORE.search(ctx.text, max(0, start - 30), start)
    if frequency:
        start = frequency.start()
    elif not _RATE_BEFORE.search(ctx.text, max(0, start - 40), start):
        return None
    unit = load_lexicon().countable_unit(match["unit"])
    if unit is None:
        return None
    return Candidate(start, end, "SET", duration_value(1.0, unit))


def rules() -> list[Rule]:
    """Set rules first: on an equal span "15 a year" is a rate, not a duration."""
    b = blocks()
    modifier = rf"\b{DURATION_MODIFIERS}\s+"
    the_relation = (
        r"(?i:the)\s+(?:(?i:past|last|next|coming|previous|first|following|final|remaining"
        r"|same)\s+)?"
    )
    vague_lead = (
        r"\b(?i:recent|coming|the\s+(?:past|last|next|coming)|over\s+the(?:\s+(?:past|last))?)"
    )
    return [
        make_rule(
            "set_word",
            rf"(?<![\w-])(?P<word>{b.set_word})(?![\w-])",
            _set_word,
            head=b.head["set_word"],
        ),
        make_rule(
            "every",
            rf"\b(?i:every|each|per)\s+(?:(?P<other>(?i:other))\s+)?(?:(?P<q>{b.number})\s+)?"
            rf"(?P<unit>{b.unit}|{b.weekday}|{b.part_of_day})\b",
            _every,
            head=cased("every|each|per"),
        ),
        make_rule(
            "rate",
            rf"\b(?i:a|an|per)\s+(?P<unit>{b.unit_singular})\b",
            _rate,
            head=b.head["unit_singular"],
            before=r"\b(?i:a|an|per)\s+",
        ),
        make_rule(
            "duration",
            rf"(?:{modifier}|{the_relation})?\b(?P<q>{b.number})(?:\s+|-)"
            rf"(?:{b.unit_adjective}\s+)?(?P<unit>{b.unit})\b(?!-old|['’]s?\s+old)",
            _duration,
            head=b.head["unit"],
            before=rf"(?:{modifier}|{the_relation})?\b{b.number}(?:\s+|-)"
            rf"(?:{b.unit_adjective}\s+)?",
        ),
        make_rule(
            "vague_duration",
            rf"(?:(?P<q>{vague_lead})\s+|(?P<prep>\b(?i:for|within|in|over|during)\s+))?"
            rf"\b(?P<unit>{b.unit_plural})\b(?P<long>-long)?",
            _vague_duration,
            head=b.head["unit_plural"],
            before=rf"{vague_lead}\s+|\b(?i:for|within|in|over|during)\s+",
        ),
    ]
