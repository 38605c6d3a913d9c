"""Estimating when an undated article was published, from the dates it mentions.

The rule, in order:

1. a full date (day, month and year) at the start of one of the first lines of
   the text (a date line, possibly after one label word such as "date" or
   "Updated:") is taken as is;
2. else the latest full date mentioned anywhere;
3. else the last day of the latest month-and-year mentioned ("May 2008");
4. else a copyright year ("Copyright 2023", "© 2023"): the last day of that year,
   capped at today (an article cannot come from the future);
5. else None.

Only dates written with their year count ("March 28" resolved against an earlier
estimate does not). Dates after today are never chosen: they are plans, not
publication dates.
"""

from __future__ import annotations

import re
from datetime import date

from dragoman.records import TimeExpr

from .anchor import month_range

#: How far into the text a date line may sit (characters).
DATELINE_WINDOW = 200
_FULL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WRITTEN_YEAR = re.compile(r"\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2}")
#: What may precede a date on a date line: nothing, or one label word.
_DATELINE_PREFIX = re.compile(r"^\s*(?:[A-Za-z]+:?\s+)?$")
_COPYRIGHT = re.compile(r"(?:\bcopyright\b|©|\(c\))\s*(?:©\s*)?((?:19|20)\d{2})", re.IGNORECASE)


def _explicit(expr: TimeExpr) -> bool:
    """True when the expression writes its year ("May 3, 2021", "7/8/07")."""
    return bool(_WRITTEN_YEAR.search(expr.text))


def _full_date(value: str) -> date | None:
    match = _FULL.match(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def estimate_published(text: str, times: list[TimeExpr], today: date | None = None) -> date | None:
    """The best guess at the publication date of ``text`` (see the module docstring)."""
    today = today or date.today()
    times = [t for t in times if _explicit(t)]
    full = [(t, d) for t in times if (d := _full_date(t.value)) and d <= today]
    first_line_end = _first_lines_end(text)
    for expr, day in full:
        line_start = text.rfind("\n", 0, expr.start) + 1
        if expr.start < first_line_end and _DATELINE_PREFIX.match(text[line_start : expr.start]):
            return day
    if full:
        return max(day for _, day in full)
    month_ends = []
    for expr in times:
        match = _MONTH.match(expr.value)
        if match and 1 <= int(match[2]) <= 12:
            first, end = month_range(int(match[1]), int(match[2]))
            if first <= today:
                month_ends.append(min(end, today))
    if month_ends:
        return max(month_ends)
    years = [int(m[1]) for m in _COPYRIGHT.finditer(text)]
    if years:
        return min(date(max(years), 12, 31), today)
    return None


def _first_lines_end(text: str) -> int:
    """End offset of the first three non-empty lines, within ``DATELINE_WINDOW``."""
    seen = 0
    position = 0
    for line in text.splitlines(keepends=True):
        position += len(line)
        if line.strip():
            seen += 1
        if seen >= 3:
            break
    return min(position, DATELINE_WINDOW)
