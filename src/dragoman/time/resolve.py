"""Placing calendar names without a year or week ("Friday", "March 28", "October",
"the fourth quarter") relative to the anchor date, in the direction of the clause.
"""

from __future__ import annotations

from datetime import date, timedelta

from .anchor import last_day
from .tense import FUTURE, PAST

#: A date picked by tense is overruled when the other candidate is this many times
#: closer to the anchor and within ``OVERRULE_DAYS`` of it (tense cues are noisy).
OVERRULE_FACTOR = 4
OVERRULE_DAYS = 45


def weekday_date(anchor: date, weekday: int, direction: int) -> date:
    """The ``weekday`` nearest the anchor on the side ``direction`` points to.

    The anchor's own weekday is the anchor itself ("on Thursday" in a Thursday paper).
    """
    if direction == FUTURE:
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def _pick(anchor: date, past: date | None, future: date | None, direction: int) -> date | None:
    if past is None or future is None:
        return past or future
    d_past, d_future = (anchor - past).days, (future - anchor).days
    if direction == FUTURE:
        chosen, other, d_chosen, d_other = future, past, d_future, d_past
    elif direction == PAST:
        chosen, other, d_chosen, d_other = past, future, d_past, d_future
    else:
        return past if d_past <= d_future else future
    if d_other <= OVERRULE_DAYS and d_other * OVERRULE_FACTOR < d_chosen:
        return other
    return chosen


def month_day_date(anchor: date, month: int, day: int, direction: int) -> date | None:
    """The year for "March 28": the nearest occurrence on the clause's side."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day <= last_day(year, month):
            candidates.append(date(year, month, day))
    past = max((c for c in candidates if c <= anchor), default=None)
    future = min((c for c in candidates if c > anchor), default=None)
    return _pick(anchor, past, future, direction)


def period_year(anchor: date, first: date, last: date, shift: int, direction: int) -> int:
    """Year for a period named without one (a month, a quarter, a season, a holiday).

    ``first``/``last`` are the period's bounds in the anchor's year; ``shift`` the
    year step. The period containing the anchor is always the anchor's. Otherwise
    the nearest occurrence on the side the clause points to (the nearest one when
    the tense says nothing), overruled like :func:`month_day_date`.
    """
    if first <= anchor <= last:
        return anchor.year
    if first > anchor:
        past_year, future_year = anchor.year - shift, anchor.year
    else:
        past_year, future_year = anchor.year, anchor.year + shift
    past_end = _with_year(last, past_year + (last.year - first.year))
    future_start = _with_year(first, future_year)
    chosen = _pick(anchor, past_end, future_start, direction)
    return past_year if chosen == past_end else future_year


def _with_year(day: date, year: int) -> date:
    return day.replace(year=year, day=min(day.day, last_day(year, day.month)))
