"""Rules for dates written with their own calendar reference: "March 28, 2024",
"28 March", "May 2008", "2008", "2024-05-31", "the 1990s", "the 20th century"."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

from .anchor import last_day, month_range
from .context import Candidate, Context, Rule, date_candidate, make_rule, span, unanchored
from .lexicon import load_lexicon
from .patterns import blocks
from .resolve import month_day_date, period_year

#: Words that must precede "May" for it to be read as the month on its own
#: (it is also a modal verb and a surname).
MAY_CUES = frozenset(
    {"in", "since", "by", "until", "till", "of", "from", "during", "before", "after"}
    | {"through", "early", "mid", "late", "last", "next", "this", "end", "beginning"}
    | {"start", "around", "on", "between", "and", "to"}
)
#: Two-digit years may reach this far past the anchor ('11 in a 2010 text is 2011).
TWO_DIGIT_FUTURE_YEARS = 10
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[\s-]*$")


def month_number(name: str) -> int:
    return load_lexicon().months[name.rstrip(".")]


def day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))


def expand_two_digit_year(digits: int, anchor: date | None) -> int:
    """'82 -> 1982, '05 -> 2005: the latest such year at most
    ``TWO_DIGIT_FUTURE_YEARS`` after the anchor's year."""
    reference = (anchor or date.today()).year + TWO_DIGIT_FUTURE_YEARS
    year = reference - reference % 100 + digits
    return year if year <= reference else year - 100


def _after_cue(text: str, start: int) -> bool:
    """True when the word right before ``start`` is one of :data:`MAY_CUES`."""
    previous = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
    return previous is not None and previous.group(1).lower() in MAY_CUES


def _full_date(match: re.Match[str], ctx: Context) -> Candidate | None:
    try:
        day = date(int(match["year"]), month_number(match["month"]), day_number(match["day"]))
    except ValueError:
        return None
    return date_candidate(*span(match), day.isoformat())


def _month_day(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    month, day = month_number(match["month"]), day_number(match["day"])
    if day > last_day(2000, month):  # 2000 is a leap year: "February 29" passes
        return None
    if ctx.anchor is None:
        return Candidate(start, end, "DATE", f"XXXX-{month:02d}-{day:02d}")
    resolved = month_day_date(ctx.anchor, month, day, ctx.direction(start, end))
    return date_candidate(start, end, resolved.isoformat()) if resolved else None


def _month_year(match: re.Match[str], ctx: Context) -> Candidate | None:
    month = month_number(match["month"])
    return date_candidate(*span(match), f"{int(match['year']):04d}-{month:02d}")


def _month_only(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    name = match["month"]
    if name == "May" and not _after_cue(ctx.text, start):
        return None
    month = month_number(name)
    if ctx.anchor is None:
        return Candidate(start, end, "DATE", f"XXXX-{month:02d}")
    first, last = month_range(ctx.anchor.year, month)
    year = period_year(ctx.anchor, first, last, 1, ctx.direction(start, end))
    return date_candidate(start, end, f"{year:04d}-{month:02d}")


@lru_cache(maxsize=1)
def _parsers() -> dict[str, DateDataParser]:
    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"}
    return {
        order: DateDataParser(languages=["en"], settings={**settings, "DATE_ORDER": order})
        for order in ("MDY", "DMY", "YMD")
    }


@lru_cache(maxsize=4096)
def parse_numeric_date(text: str, order: str) -> date | None:
    """A numeric date ("7/8/07", "2024-05-31") read by dateparser in ``order``."""
    data = _parsers()[order].get_date_data(text)
    return data.date_obj.date() if data and data.date_obj else None


def _numeric(match: re.Match[str], ctx: Context) -> Candidate | None:
    text = match.group(0)
    order = "YMD" if re.match(r"\d{4}", text) else ctx.date_order
    parsed = parse_numeric_date(text, order)
    return date_candidate(*span(match), parsed.isoformat()) if parsed else None


def _year(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    year = int(match["year"])
    if year < 1900 and not _after_cue(ctx.text, start):
        return None
    return date_candidate(start, end, f"{year:04d}")


def _short_year(match: re.Match[str], ctx: Context) -> Candidate | None:
    year = expand_two_digit_year(int(match["yy"]), ctx.anchor)
    return date_candidate(*span(match), f"{year:04d}")


def _decade(match: re.Match[str], ctx: Context) -> Candidate | None:
    digits = match["decade"].lstrip("'’")
    if len(digits) == 2:
        year = expand_two_digit_year(int(digits), ctx.anchor)
        if year % 10:
            return None
    else:
        year = int(digits)
    return date_candidate(*span(match), f"{year // 10:03d}")


def _century(match: re.Match[str], ctx: Context) -> Candidate | None:
    word = match["ordinal"].lower()
    ordinal = load_lexicon().ordinals.get(word)
    if ordinal is None:
        ordinal = day_number(word)
    if not 1 <= ordinal <= 21:
        return None
    return date_candidate(*span(match), f"{ordinal - 1:02d}")


def holiday_date(rule: str, year: int) -> date:
    """The date of a named day in ``year`` from its holidays.tsv rule."""
    if rule.startswith("nth:"):
        _, month, weekday, nth = rule.split(":")
        month, weekday, nth = int(month), int(weekday), int(nth)
        if nth > 0:
            first = date(year, month, 1)
            return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
        last = date(year, month, last_day(year, month))
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    if rule.startswith("easter:"):
        return easter_sunday(year) + timedelta(days=int(rule.split(":")[1]))
    month, day = rule.split("-")
    return date(year, int(month), int(day))


def easter_sunday(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _holiday(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    holidays = load_lexicon().holidays
    name = re.sub(r"\s+", " ", match["holiday"]).replace("’", "'")
    rule = holidays.get(name)
    if rule is None:
        return None
    if match["year"]:
        year = int(match["year"])
    elif ctx.anchor is None:
        return unanchored(start, end, "day")
    else:
        this_year = holiday_date(rule, ctx.anchor.year)
        year = period_year(ctx.anchor, this_year, this_year, 1, ctx.direction(start, end))
    return date_candidate(start, end, holiday_date(rule, year).isoformat())


def rules() -> list[Rule]:
    """The absolute-date rules, most specific first."""
    b = blocks()
    weekday = rf"{b.weekday}[ \t]*,?[ \t]+"  # never across a line break
    weekday_prefix = rf"(?:{weekday})?"
    day_before_month = rf"{weekday_prefix}(?:(?i:the)\s+)?\b{b.day}(?:\s+(?i:of))?\s+"
    not_number_after = r"(?![,.]?\d|\s*%)"
    return [
        make_rule(
            "month_day_year",
            rf"\b{weekday_prefix}(?P<month>{b.month_any})\s+(?P<day>{b.day}),?\s*(?P<year>\d{{4}})\b",
            _full_date,
            head=b.month_any,
            before=weekday,
        ),
        make_rule(
            "day_month_year",
            rf"\b{weekday_prefix}(?:(?i:the)\s+)?(?P<day>{b.day})(?:\s+(?i:of))?\s+"
            rf"(?P<month>{b.month_any}),?\s+(?P<year>\d{{4}})\b",
            _full_date,
            head=b.month_any,
            before=day_before_month,
        ),
        make_rule(
            "month_day",
            rf"\b{weekday_prefix}(?P<month>{b.month_any})\s+(?P<day>{b.day})\b{not_number_after}",
            _month_day,
            head=b.month_any,
            before=weekday,
        ),
        make_rule(
            "day_month",
            rf"(?<![\d.,$])\b{weekday_prefix}(?:(?i:the)\s+)?(?P<day>{b.day})(?:\s+(?i:of))?\s+"
            rf"(?P<month>{b.month_any})(?![a-z])",
            _month_day,
            head=b.month_any,
            before=day_before_month,
        ),
        make_rule(
            "month_year",
            rf"\b(?P<month>{b.month_any}),?\s+(?:(?i:of)\s+)?(?P<year>\d{{4}})\b",
            _month_year,
            head=b.month_any,
        ),
        make_rule(
            "month", rf"\b(?P<month>{b.month_full})\b(?!\s*\d)", _month_only, head=b.month_full
        ),
        make_rule("iso_date", r"\b\d{4}-\d{1,2}-\d{1,2}\b", _numeric, head=r"\d{4}-"),
        make_rule(
            "numeric_date",
            r"(?<![\d/.])\b\d{1,2}([/.])\d{1,2}\1(?:\d{4}|\d{2})\b(?![/.]\d)",
            _numeric,
            head=r"\d{1,2}[/.]\d",
        ),
        make_rule(
            "year",
            r"(?<![\d$£€#.,/\-'])\b(?P<year>(?:1[6-9]|20)\d{2})\b"
            r"(?!-\d|[.,]\d|\s*(?i:%|percent|per\s+cent))",
            _year,
            head=r"(?:1[6-9]|20)\d\d",
        ),
        make_rule(
            "short_year", r"(?<![\w'’])['’](?P<yy>\d{2})\b(?!s)", _short_year, head=r"['’]\d\d"
        ),
        make_rule(
            "decade",
            r"(?:(?i:the)\s+)?(?P<decade>\b(?:1\d|20)\d0|['’]\d0|\b\d0)s\b",
            _decade,
            head=r"(?:\d\d)?\d0s|['’]\d0s",
            before=r"(?i:the)\s+",
        ),
        make_rule(
            "century",
            rf"(?:(?i:the)\s+)?(?P<ordinal>\b\d{{1,2}}(?:st|nd|rd|th)|{b.ordinal})[\s-]+"
            r"(?i:century)\b",
            _century,
            head="(?i:century)",
            before=rf"(?:(?i:the)\s+)?(?:\b\d{{1,2}}(?:st|nd|rd|th)|{b.ordinal})[\s-]+",
        ),
        make_rule(
            "holiday",
            rf"\b(?P<holiday>{b.holiday})(?:\s+(?P<year>\d{{4}}))?\b",
            _holiday,
            head=b.holiday,
        ),
    ]
