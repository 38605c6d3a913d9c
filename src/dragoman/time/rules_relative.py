"""Rules for expressions read against the anchor date: "today", "on Thursday",
"last week", "earlier this month", "early December", "two days ago", "the fourth
quarter", "that day", "recently"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .anchor import (
    add_months,
    half_range,
    last_day,
    month_range,
    part_of_range,
    period_value,
    quarter_range,
    season_range,
    value_range,
    week_value,
)
from .context import Candidate, Context, Rule, date_candidate, make_rule, span, unanchored
from .lexicon import load_lexicon
from .numbers import UNSPECIFIED, parse_number
from .patterns import blocks, cased
from .resolve import period_year, weekday_date
from .rules_absolute import expand_two_digit_year, month_number
from .rules_amounts import duration_value
from .tense import PAST

DEICTIC_OFFSETS = {
    "today": 0,
    "tonight": 0,
    "this": 0,
    "yesterday": -1,
    "last": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}
#: Offsets of "this/last/next ..." periods.
RELATIVE_OFFSETS = {
    "this": 0,
    "current": 0,
    "that": 0,
    "the": 0,
    "last": -1,
    "past": -1,
    "previous": -1,
    "preceding": -1,
    "next": 1,
    "coming": 1,
    "following": 1,
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _pod_code(word: str | None) -> str | None:
    return load_lexicon().parts_of_day[word.lower()] if word else None


def _deictic(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    deixis = _norm(match["deixis"])
    pod = _pod_code(match["pod"]) or ("NI" if deixis == "tonight" else None)
    if deixis in ("this", "last") and pod is None:
        return None
    if ctx.anchor is None:
        return unanchored(start, end, "day", "TIME" if pod else "DATE")
    day = ctx.anchor + timedelta(days=DEICTIC_OFFSETS[deixis])
    if pod:
        return date_candidate(start, end, f"{day.isoformat()}T{pod}", "TIME", "time", day, day)
    candidate = date_candidate(start, end, day.isoformat())
    if match["adv"]:
        candidate.precision = "day"
    return candidate


def _weekday(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    weekday = load_lexicon().weekdays[match["weekday"]]
    pod = _pod_code(match["pod"])
    type_ = "TIME" if pod else "DATE"
    if ctx.anchor is None:
        return unanchored(start, end, "day", type_)
    relation = _norm(match["rel"] or "")
    if relation in ("last", "past", "this past"):
        delta = (ctx.anchor.weekday() - weekday) % 7 or 7
        day = ctx.anchor - timedelta(days=delta)
    elif relation in ("next", "coming", "this coming"):
        day = ctx.anchor + timedelta(days=(weekday - ctx.anchor.weekday()) % 7 or 7)
    else:
        day = weekday_date(ctx.anchor, weekday, ctx.direction(start, end))
    if pod:
        return date_candidate(start, end, f"{day.isoformat()}T{pod}", "TIME", "time", day, day)
    return date_candidate(start, end, day.isoformat())


def _season_value(anchor: date, code: str, offset: int, direction: int) -> str:
    """Value of a season named relative to the anchor."""
    seasons = [
        (y, *season_range(y, code))
        for y in (anchor.year - 2, anchor.year - 1, anchor.year, anchor.year + 1)
    ]
    if offset < 0:
        year = max(y for y, _, last in seasons if last < anchor)
    elif offset > 0:
        year = min(y for y, first, _ in seasons if first > anchor)
    else:
        containing = [y for y, first, last in seasons if first <= anchor <= last]
        if containing:
            year = containing[0]
        else:
            first, last = season_range(anchor.year, code)
            year = period_year(anchor, first, last, 1, direction)
    return f"{year:04d}-{code}"


def _named_month_value(anchor: date, month: int, offset: int, direction: int) -> str:
    if offset < 0:
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif offset > 0:
        year = anchor.year if month > anchor.month else anchor.year + 1
    else:
        year = period_year(anchor, *month_range(anchor.year, month), 1, direction)
    return f"{year:04d}-{month:02d}"


def _relative_period(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    relation = _norm(match["rel"])
    unit_word = match["unit"]
    lexicon = load_lexicon()
    unit = lexicon.unit(unit_word)
    offset = RELATIVE_OFFSETS[relation]
    if match["the"] and relation in ("past", "next", "coming") and unit:
        return Candidate(start, end, "DURATION", duration_value(1, unit))
    if match["the"] is None and relation == "following":
        return None
    if ctx.anchor is None:
        precision = unit.precision if unit else "month"
        return unanchored(start, end, precision if unit_word != "weekend" else "week")
    direction = ctx.direction(start, end)
    if unit_word.lower() in lexicon.seasons:
        code = lexicon.seasons[unit_word.lower()].code
        return date_candidate(start, end, _season_value(ctx.anchor, code, offset, direction))
    if unit is None:
        month = month_number(unit_word)
        return date_candidate(start, end, _named_month_value(ctx.anchor, month, offset, direction))
    precision = "weekend" if unit.singular == "weekend" else unit.precision
    return date_candidate(start, end, period_value(ctx.anchor, precision, offset))


def _the_weekend(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    if ctx.anchor is None:
        return unanchored(start, end, "week")
    offset = 0
    if ctx.direction(start, end) == PAST and ctx.anchor.weekday() < 5:
        offset = -1
    return date_candidate(start, end, period_value(ctx.anchor, "weekend", offset))


def _earlier_later(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    unit = load_lexicon().unit(match["unit"])
    if ctx.anchor is None:
        return unanchored(start, end, unit.precision)
    offset = RELATIVE_OFFSETS[_norm(match["rel"])]
    value = period_value(ctx.anchor, unit.precision, offset)
    first, last, precision = value_range(value)
    adverb = match["adv"].lower()
    if offset == 0:
        first, last = (first, ctx.anchor) if adverb == "earlier" else (ctx.anchor, last)
    else:
        first, last = part_of_range(
            first, last, "early" if adverb == "earlier" else "late", precision
        )
    return date_candidate(start, end, value, precision="range", date_start=first, date_end=last)


def _vague_part(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    lexicon = load_lexicon()
    part_word = match["part"].lower()
    part = lexicon.period_parts[part_word]
    preposition = (match["prep"] or "").lower()
    if part_word not in ("early", "mid", "late") and preposition != "of":
        return None
    value = _target_value(match, ctx, start, end)
    if value is None:
        return None
    if value.startswith("X"):
        return Candidate(start, end, "DATE", value, precision="range")
    first, last, precision = value_range(value)
    if first is None:
        return None
    first, last = part_of_range(first, last, part, precision)
    return date_candidate(start, end, value, precision="range", date_start=first, date_end=last)


def _target_value(match: re.Match[str], ctx: Context, start: int, end: int) -> str | None:
    anchor = ctx.anchor
    if match["month"]:
        month = month_number(match["month"])
        if match["year"]:
            return f"{int(match['year']):04d}-{month:02d}"
        if anchor is None:
            return f"XXXX-{month:02d}"
        return _named_month_value(anchor, month, 0, ctx.direction(start, end))
    if match["year2"]:
        return f"{int(match['year2']):04d}"
    if match["decade"]:
        digits = re.search(r"\d+", match["decade"]).group(0)
        year = int(digits) if len(digits) == 4 else expand_two_digit_year(int(digits), anchor)
        return f"{year // 10:03d}"
    if match["season"]:
        code = load_lexicon().seasons[match["season"].lower()].code
        if match["season_year"]:
            return f"{int(match['season_year']):04d}-{code}"
        if anchor is None:
            return "XXXX-XX"
        return _season_value(anchor, code, 0, ctx.direction(start, end))
    unit = load_lexicon().unit(match["unit"])
    if anchor is None:
        return {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}.get(
            unit.precision, "XXXX"
        )
    offset = RELATIVE_OFFSETS[_norm(match["rel"])]
    return period_value(anchor, unit.precision, offset)


def _ago(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    unit = load_lexicon().countable_unit(match["unit"])
    amount = parse_number(match["q"])
    if amount is None or unit is None:
        return None
    if amount == UNSPECIFIED:
        return Candidate(start, end, "DATE", "PAST_REF")
    if ctx.anchor is None:
        return unanchored(start, end, unit.precision if unit.precision != "time" else "day")
    count = round(float(amount) * unit.multiplier)
    anchor = ctx.anchor
    code = unit.code
    if code == "Y":
        return date_candidate(start, end, f"{anchor.year - count:04d}")
    if code == "M":
        moved = add_months(anchor, -count)
        return date_candidate(start, end, f"{moved.year:04d}-{moved.month:02d}")
    if code == "Q":
        return date_candidate(start, end, period_value(anchor, "quarter", -count))
    days = {"W": 7, "D": 1}.get(code)
    if days is None:  # hours, minutes: the day they fall on
        hours = count if code == "TH" else 0
        day = anchor - timedelta(hours=hours)
        return date_candidate(start, end, day.isoformat())
    return date_candidate(start, end, (anchor - timedelta(days=days * count)).isoformat())


def _quarter(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    word = match["ordinal"].lower()
    ordinal = load_lexicon().ordinals.get(word)
    if ordinal is None:
        ordinal = int(word[0])
    half = match["kind"].lower() == "half"
    count = 2 if half else 4
    precision = "half" if half else "quarter"
    letter = "H" if half else "Q"
    if ordinal == -1:
        ordinal = count
        if not (match["year"] or match["rel"]):  # "the last quarter": the one before now
            if ctx.anchor is None:
                return unanchored(start, end, "quarter")
            return date_candidate(start, end, period_value(ctx.anchor, precision, -1))
    if not 1 <= ordinal <= count:
        return None
    if match["year"]:
        return date_candidate(start, end, f"{int(match['year']):04d}-{letter}{ordinal}")
    if ctx.anchor is None:
        return Candidate(start, end, "DATE", f"XXXX-{letter}{ordinal}")
    if match["rel"]:
        year = ctx.anchor.year + RELATIVE_OFFSETS[_norm(match["rel"]).split(" ")[-1]]
    else:
        first, last = (half_range if half else quarter_range)(ctx.anchor.year, ordinal)
        year = period_year(ctx.anchor, first, last, 1, ctx.direction(start, end))
    return date_candidate(start, end, f"{year:04d}-{letter}{ordinal}")


def _quarter_code(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    letter, number = match["letter"], int(match["n"])
    if letter == "H" and number > 2:
        return None
    if match["year"]:
        year = int(match["year"])
    elif match["yy"]:
        year = expand_two_digit_year(int(match["yy"]), ctx.anchor)
    elif ctx.anchor is None:
        return Candidate(start, end, "DATE", f"XXXX-{letter}{number}")
    else:
        first, last = (quarter_range if letter == "Q" else half_range)(ctx.anchor.year, number)
        year = period_year(ctx.anchor, first, last, 1, ctx.direction(start, end))
    return date_candidate(start, end, f"{year:04d}-{letter}{number}")


def _week_of_month(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    ordinal = load_lexicon().ordinals[match["ordinal"].lower()]
    month = month_number(match["month"])
    if match["year"]:
        year = int(match["year"])
    elif ctx.anchor is None:
        return unanchored(start, end, "week")
    else:
        first, last = month_range(ctx.anchor.year, month)
        year = period_year(ctx.anchor, first, last, 1, ctx.direction(start, end))
    if ordinal == -1:
        day = date(year, month, last_day(year, month))
    elif 1 <= ordinal <= 5:
        day = date(year, month, 1) + timedelta(days=7 * (ordinal - 1))
        if day.month != month:
            return None
    else:
        return None
    return date_candidate(start, end, week_value(day))


def _anaphor(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    determiner = _norm(match["det"])
    unit = match["unit"].lower()
    if determiner == "the" and unit != "day":
        return None
    return Candidate(start, end, "DATE", "XXXX-XX-XX", pending=f"anaphor:{unit}")


def _season(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    lexicon = load_lexicon()
    code = lexicon.seasons[match["season"].lower()].code
    if match["year"]:
        return date_candidate(start, end, f"{int(match['year']):04d}-{code}")
    previous = re.search(r"([A-Za-z]+)\s+$", ctx.text[max(0, start - 20) : start])
    if not previous or previous.group(1).lower() not in lexicon.season_cues:
        return None
    if re.match(r"\s+of\b", ctx.text[end:]):
        return None  # "the fall of the government"
    if ctx.anchor is None:
        return unanchored(start, end, "season")
    return date_candidate(start, end, _season_value(ctx.anchor, code, 0, ctx.direction(start, end)))


def _month_of_relative_year(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    month = month_number(match["month"])
    if ctx.anchor is None:
        return Candidate(start, end, "DATE", f"XXXX-{month:02d}")
    year = ctx.anchor.year + RELATIVE_OFFSETS[_norm(match["rel"])]
    return date_candidate(start, end, f"{year:04d}-{month:02d}")


def _same_period_year_before(match: re.Match[str], ctx: Context) -> Candidate | None:
    return Candidate(*span(match), "DATE", "XXXX", pending="year_before")


def _reference(match: re.Match[str], ctx: Context) -> Candidate | None:
    value = load_lexicon().references.get(_norm(match["ref"]))
    return Candidate(*span(match), "DATE", value) if value else None


def rules() -> list[Rule]:
    """The relative-date rules."""
    b = blocks()
    relation = r"(?i:this|last|next|past|previous|coming|current|following|preceding)"
    period_unit = r"(?i:week|weekend|month|year|quarter|decade|century)"
    target = (
        rf"(?:(?P<month>{b.month_full})(?:,?\s+(?P<year>\d{{4}}))?"
        r"|(?P<year2>\b(?:1\d|20)\d{2})\b(?!s)"
        r"|(?P<decade>(?:(?i:the)\s+)?(?:\b(?:1\d|20)\d0|['’]\d0)s)\b"
        rf"|(?P<season>{b.season})(?:\s+(?P<season_year>\d{{4}}))?"
        r"|(?P<rel>(?i:this|last|next|the|that))\s+"
        r"(?P<unit>(?i:day|week|month|year|decade|century|quarter))\b)"
    )
    the = r"(?i:the)\s+"
    return [
        make_rule(
            "deictic",
            rf"(?i:(?:(?P<adv>earlier|later)\s+)?\b(?P<deixis>{b.deictic_day}|this|last)"
            rf"(?:\s+(?P<pod>{b.part_of_day}))?)\b",
            _deictic,
            head=cased("today|tonight|yesterday|tomorrow|the|this|last"),
            before=r"(?i:earlier|later)\s+",
        ),
        make_rule(
            "weekday",
            r"(?:(?P<rel>(?i:last|next|this(?:\s+(?:coming|past))?|coming|past))\s+)?"
            rf"\b(?P<weekday>{b.weekday})(?:\s+(?P<pod>{b.part_of_day}))?\b",
            _weekday,
            head=b.weekday,
            before=r"\b(?i:last|next|this(?:\s+(?:coming|past))?|coming|past)\s+",
        ),
        make_rule(
            "relative_period",
            rf"(?:(?P<the>(?i:the))\s+)?\b(?P<rel>{relation})\s+"
            rf"(?P<unit>{period_unit}|{b.season}|{b.month_full})\b(?!-)",
            _relative_period,
            head=cased("this|last|next|past|previous|coming|current|following|preceding"),
            before=the,
        ),
        make_rule(
            "the_weekend", r"\b(?i:the\s+weekend)\b", _the_weekend, head=cased("the weekend")
        ),
        make_rule(
            "earlier_later",
            r"\b(?i:(?P<adv>earlier|later)\s+(?:in\s+)?(?P<rel>this|last|next|the)\s+"
            r"(?P<unit>week|month|year|decade|quarter|day|century))\b",
            _earlier_later,
            head=cased("earlier|later"),
        ),
        make_rule(
            "vague_part",
            rf"(?:(?i:the)\s+)?\b(?P<part>{b.part})(?:-|\s+)(?:(?P<prep>(?i:of|in))\s+)?{target}",
            _vague_part,
            head=b.head["part"],
            before=the,
        ),
        make_rule(
            "ago",
            rf"\b(?P<q>{b.number})(?:\s+|-)(?P<unit>{b.unit})\s+(?i:ago)\b",
            _ago,
            head=cased("ago"),
            before=rf"\b{b.number}(?:\s+|-){b.unit}\s+",
        ),
        make_rule(
            "quarter",
            rf"(?:(?i:the)\s+)?\b(?P<ordinal>{b.ordinal}|[1-4](?:st|nd|rd|th))(?:\s+|-)"
            r"(?P<kind>(?i:quarter|half))\b(?:\s+(?i:of)\s+(?:(?i:fiscal\s+)?(?P<year>\d{4})\b"
            r"|(?P<rel>(?i:this|last|next|the\s+current|the\s+previous|the\s+last|the\s+next"
            r"|the))\s+(?i:year)\b))?",
            _quarter,
            head=cased("quarter|half"),
            before=rf"(?:{the})?\b(?:{b.ordinal}|[1-4](?:st|nd|rd|th))(?:\s+|-)",
        ),
        make_rule(
            "quarter_code",
            r"\b(?P<letter>[QH])(?P<n>[1-4])(?:\s+(?P<year>\d{4})|\s*['’](?P<yy>\d{2}))?\b",
            _quarter_code,
            head=r"[QH][1-4]",
        ),
        make_rule(
            "week_of_month",
            rf"(?:(?i:the)\s+)?\b(?P<ordinal>{b.ordinal})\s+(?i:week)\s+(?i:of|in)\s+"
            rf"(?P<month>{b.month_full})(?:,?\s+(?P<year>\d{{4}}))?\b",
            _week_of_month,
            head=cased("week"),
            before=rf"(?:{the})?\b{b.ordinal}\s+",
        ),
        make_rule(
            "anaphor",
            r"\b(?P<det>(?i:that|the\s+same|the))\s+(?P<unit>(?i:day|week|month|year))\b"
            r"(?!['’]s|\s+(?i:before|after|of)\b)",
            _anaphor,
            head=cased("day|week|month|year"),
            before=r"\b(?i:that|the\s+same|the)\s+",
        ),
        make_rule(
            "season",
            rf"\b(?P<season>{b.season})(?:\s+(?P<year>\d{{4}}))?\b(?!-)",
            _season,
            head=b.head["season"],
        ),
        make_rule(
            "month_of_relative_year",
            rf"\b(?P<month>{b.month_full})\s+(?:(?i:of)\s+)?(?P<rel>(?i:this|last|next))\s+"
            r"(?i:year)\b",
            _month_of_relative_year,
            head=b.month_full,
        ),
        make_rule(
            "same_period_year_before",
            r"\b(?i:the\s+same\s+(?:period|day|week|month|quarter|time)\s+(?:of\s+)?"
            r"(?:(?:the\s+)?(?:last|previous|prior)\s+year|a\s+year\s+(?:ago|earlier|before)))\b",
            _same_period_year_before,
            head=cased("the same"),
        ),
        make_rule(
            "reference",
            rf"(?<![\w-])(?P<ref>{b.reference})(?![\w-])",
            _reference,
            head=b.head["reference"],
        ),
    ]
