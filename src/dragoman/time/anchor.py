"""Calendar arithmetic behind TIMEX3 values: periods, ranges, and shifts.

``value_range`` turns a TIMEX3 value (``2024-05``, ``2024-W21``, ``199``...) into the
calendar range it covers; ``time_expr_range`` does the same for a :class:`TimeExpr`,
preferring the range the tagger narrowed (``early December`` -> days 1-10).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from dragoman.records import TimeExpr

from .lexicon import load_lexicon

#: Day ranges of the vague parts of a month and month ranges of the parts of a year.
MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


def last_day(year: int, month: int) -> int:
    """Number of days in ``month`` of ``year``."""
    return calendar.monthrange(year, month)[1]


def month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, last_day(year, month))


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), month_range(year, first + 2)[1]


def half_range(year: int, half: int) -> tuple[date, date]:
    first = 6 * (half - 1) + 1
    return date(year, first, 1), month_range(year, first + 5)[1]


def week_value(day: date) -> str:
    """TIMEX3 value of the ISO week containing ``day``: ``2024-W22``."""
    iso_year, iso_week, _ = day.isocalendar()
    return f"{iso_year}-W{iso_week:02d}"


def season_range(year: int, code: str) -> tuple[date, date]:
    """Range of the season ``code`` (``SP``, ``SU``, ``FA``, ``WI``) of ``year``."""
    for season in load_lexicon().seasons.values():
        if season.code == code:
            # winter crosses the new year
            last_year = year + 1 if season.last_month < season.first_month else year
            return date(year, season.first_month, 1), month_range(last_year, season.last_month)[1]
    raise ValueError(f"unknown season code {code!r}")


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, last_day(year, month + 1)))


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def part_of_range(start: date, end: date, part: str, precision: str) -> tuple[date, date]:
    """The ``early``/``mid``/``late`` part of the period [start, end]."""
    if precision == "month":
        low, high = MONTH_PARTS[part]
        high = min(high, last_day(start.year, start.month))
        return start.replace(day=low), start.replace(day=high)
    if precision == "year":
        low, high = YEAR_PARTS[part]
        return date(start.year, low, 1), month_range(start.year, high)[1]
    # Any other period: split its days in thirds.
    span = (end - start).days + 1
    third = span // 3
    if part == "early":
        return start, start + timedelta(days=max(third - 1, 0))
    if part == "mid":
        return start + timedelta(days=third), end - timedelta(days=third)
    return end - timedelta(days=max(third - 1, 0)), end


_VALUE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$"), "day"),
    (re.compile(r"^(\d{4})-W(\d{2})-WE$"), "weekend"),
    (re.compile(r"^(\d{4})-W(\d{2})$"), "week"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$"), "half"),
    (re.compile(r"^(\d{4})-(SP|SU|FA|WI)$"), "season"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{3})$"), "decade"),
    (re.compile(r"^(\d{2})$"), "century"),
]


def value_range(value: str) -> tuple[date | None, date | None, str | None]:
    """The calendar range and precision of a TIMEX3 date value.

    Values with placeholders (``XXXX-03-28``), durations, sets and the ``*_REF``
    values have no range: ``(None, None, None)``.
    """
    for pattern, kind in _VALUE_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        try:
            return _range_of(kind, match.groups(), value)
        except ValueError:
            return None, None, None
    return None, None, None


def _range_of(kind: str, groups: tuple[str, ...], value: str) -> tuple[date, date, str]:
    if kind == "day":
        day = date(int(groups[0]), int(groups[1]), int(groups[2]))
        return day, day, "time" if "T" in value else "day"
    year = int(groups[0])
    if kind in ("week", "weekend"):
        monday = date.fromisocalendar(year, int(groups[1]), 1)
        if kind == "weekend":
            return monday + timedelta(days=5), monday + timedelta(days=6), "week"
        return monday, monday + timedelta(days=6), "week"
    if kind == "quarter":
        return (*quarter_range(year, int(groups[1])), "quarter")
    if kind == "half":
        return (*half_range(year, int(groups[1])), "half")
    if kind == "season":
        return (*season_range(year, groups[1]), "season")
    if kind == "month":
        return (*month_range(year, int(groups[1])), "month")
    if kind == "year":
        return (*year_range(year), "year")
    if kind == "decade":
        return date(year * 10, 1, 1), date(year * 10 + 9, 12, 31), "decade"
    # century: "19" covers 1900-1999
    return date(year * 100, 1, 1), date(year * 100 + 99, 12, 31), "century"


def time_expr_range(expr: TimeExpr) -> tuple[date | None, date | None]:
    """The calendar range an expression covers: its own, else the one its value implies."""
    if expr.date_start is not None or expr.date_end is not None:
        return expr.date_start, expr.date_end
    start, end, _ = value_range(expr.value)
    return start, end


def period_value(anchor: date, precision: str, offset: int = 0) -> str:
    """TIMEX3 value of the period of kind ``precision`` containing ``anchor``,
    moved by ``offset`` periods ("last week" is ``period_value(d, "week", -1)``)."""
    if precision == "day":
        return (anchor + timedelta(days=offset)).isoformat()
    if precision == "week":
        return week_value(anchor + timedelta(weeks=offset))
    if precision == "weekend":
        return week_value(anchor + timedelta(weeks=offset)) + "-WE"
    if precision == "month":
        moved = add_months(anchor.replace(day=1), offset)
        return f"{moved.year:04d}-{moved.month:02d}"
    if precision == "quarter":
        index = anchor.year * 4 + quarter_of(anchor) - 1 + offset
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if precision == "half":
        index = anchor.year * 2 + (anchor.month - 1) // 6 + offset
        return f"{index // 2:04d}-H{index % 2 + 1}"
    if precision == "year":
        return f"{anchor.year + offset:04d}"
    if precision == "decade":
        return f"{anchor.year // 10 + offset:03d}"
    if precision == "century":
        return f"{anchor.year // 100 + offset:02d}"
    raise ValueError(f"no period of precision {precision!r}")
