"""The temporal tagger: finds time expressions and gives them TIMEX3 types and values.

Candidates come from compiled regexes built from the word lists (one rule per kind
of expression); overlaps are settled by keeping the longest span (ties go to the
rule listed first); values that depend on other expressions of the text (a bare
"3 p.m.", "that day") are filled in last.

Without a publication date, relative expressions are resolved against an estimate
made from the absolute dates of the text itself (see :func:`estimate_published`);
when the text has none, they keep TIMEX3 placeholders (``XXXX-03-28``, ``XXXX-WXX``)
and no calendar range.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from dragoman.records import TimeExpr

from . import rules_absolute, rules_amounts, rules_clock, rules_relative
from .anchor import period_value, value_range
from .context import Candidate, Context, Rule
from .published import estimate_published
from .tense import sentence_bounds

_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def all_rules() -> list[Rule]:
    """Every rule, in tie-breaking order."""
    return (
        rules_absolute.rules()
        + rules_clock.rules()
        + rules_relative.rules()
        + rules_amounts.rules()
    )


class TimeTagger:
    """Find and normalise time expressions (TIMEX3 DATE, TIME, DURATION, SET).

    ``date_order`` says how to read numeric dates such as ``7/8/07`` (``MDY`` or
    ``DMY``).
    """

    def __init__(self, date_order: str = "MDY") -> None:
        if date_order not in ("MDY", "DMY"):
            raise ValueError("date_order must be 'MDY' or 'DMY'")
        self.date_order = date_order
        self.rules = all_rules()
        #: The last text read and every rule's matches in it: a text without a publication
        #: date is read two or three times (for the estimate of its date, then against
        #: it), and what the rules match does not depend on the date.
        self._last: tuple[str, list[list[re.Match[str]]]] | None = None

    def tag(
        self,
        text: str,
        published: date | None,
        skip: Sequence[tuple[int, int]] = (),
        original: str | None = None,
    ) -> list[TimeExpr]:
        """Time expressions of ``text`` in reading order, resolved against ``published``.

        Spans overlapping any ``skip`` span are ignored. When ``text`` is a same-length
        stand-in for an ``original`` (its case-restored copy), the expressions' texts are
        read from the original.
        """
        if published is None:
            return self.tag_undated(text, skip, original)[0]
        return self._tag_with(text, published, skip, original)

    def tag_undated(
        self, text: str, skip: Sequence[tuple[int, int]] = (), original: str | None = None
    ) -> tuple[list[TimeExpr], date | None]:
        """What :meth:`tag` gives a text without a publication date, and the date its
        relative expressions were resolved against (estimated from the text; None when it
        has no absolute date)."""
        anchor = estimate_published(text, self._tag_with(text, None, skip))
        return self._tag_with(text, anchor, skip, original), anchor

    def _tag_with(
        self,
        text: str,
        anchor: date | None,
        skip: Sequence[tuple[int, int]],
        original: str | None = None,
    ) -> list[TimeExpr]:
        context = Context(text=text, anchor=anchor, date_order=self.date_order)
        candidates: list[Candidate] = []
        for priority, (rule, matches) in enumerate(
            zip(self.rules, self._matches(text), strict=True)
        ):
            for match in matches:
                candidate = rule.handler(match, context)
                if candidate is None or candidate.end <= candidate.start:
                    continue
                if any(
                    candidate.start < s_end and candidate.end > s_start for s_start, s_end in skip
                ):
                    continue
                candidate.priority = priority
                candidates.append(candidate)
        chosen = select(candidates)
        resolve_pending(chosen, text, anchor)
        source = text if original is None else original
        return [
            TimeExpr(
                text=source[c.start : c.end],
                start=c.start,
                end=c.end,
                type=c.type,
                value=c.value,
                date_start=c.date_start,
                date_end=c.date_end,
                precision=c.precision,
            )
            for c in chosen
        ]

    def _matches(self, text: str) -> list[list[re.Match[str]]]:
        """Every rule's matches in ``text``, in the order of the rules."""
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        matches = [list(rule.matches(text)) for rule in self.rules]
        self._last = (text, matches)
        return matches


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: longest first, then the earlier-listed rule."""
    ordered = sorted(candidates, key=lambda c: (-(c.end - c.start), c.priority, c.start))
    taken: list[Candidate] = []
    for candidate in ordered:
        if all(candidate.end <= t.start or candidate.start >= t.end for t in taken):
            taken.append(candidate)
    return sorted(taken, key=lambda c: c.start)


def _is_day(candidate: Candidate) -> bool:
    return candidate.type in ("DATE", "TIME") and bool(_DAY_VALUE.match(candidate.value))


def resolve_pending(chosen: list[Candidate], text: str, anchor: date | None) -> None:
    """Fill values that depend on the other expressions of the text."""
    for index, candidate in enumerate(chosen):
        if candidate.pending is None:
            continue
        if candidate.pending == "clock":
            _resolve_clock(candidate, chosen, text, anchor)
        elif candidate.pending == "year_before":
            previous = [c for c in chosen[:index] if c.pending is None and c.date_start]
            _resolve_year_before(candidate, previous[-1] if previous else None, anchor)
        elif candidate.pending.startswith("anaphor:"):
            previous = [c for c in chosen[:index] if c.pending is None and _is_day(c)]
            _resolve_anaphor(candidate, previous[-1] if previous else None, anchor)
        candidate.pending = None


def _resolve_clock(
    candidate: Candidate, chosen: list[Candidate], text: str, anchor: date | None
) -> None:
    """A time of day falls on the nearest day named in its sentence, else the anchor."""
    left, right = sentence_bounds(text, candidate.start, candidate.end)
    days = [
        c
        for c in chosen
        if c is not candidate
        and c.pending is None
        and _is_day(c)
        and left <= c.start
        and c.end <= right
    ]
    if days:
        nearest = min(days, key=lambda c: abs(c.start - candidate.start))
        day = date.fromisoformat(nearest.value[:10])
    elif anchor is not None:
        day = anchor
    else:
        return
    candidate.value = f"{day.isoformat()}{candidate.clock}"
    candidate.date_start = candidate.date_end = day


def _resolve_anaphor(candidate: Candidate, previous: Candidate | None, anchor: date | None) -> None:
    """Resolve "that day", "the same month": the last day named before, else the anchor."""
    if previous is not None:
        day = date.fromisoformat(previous.value[:10])
    elif anchor is not None:
        day = anchor
    else:
        return
    value = period_value(day, candidate.pending.split(":", 1)[1])
    candidate.value = value
    candidate.date_start, candidate.date_end, candidate.precision = value_range(value)


def _resolve_year_before(
    candidate: Candidate, previous: Candidate | None, anchor: date | None
) -> None:
    """Resolve "the same period last year": the period named before, one year earlier."""
    if previous is not None and re.match(r"^\d{4}", previous.value):
        base = previous.value.split("T")[0]
    elif anchor is not None:
        base = f"{anchor.year:04d}-{anchor.month:02d}"
    else:
        return
    value = f"{int(base[:4]) - 1:04d}{base[4:]}"
    start, end, precision = value_range(value)
    if start is None:  # e.g. February 29 of a leap year
        value = value[:7]
        start, end, precision = value_range(value)
    candidate.value = value
    candidate.date_start, candidate.date_end, candidate.precision = start, end, precision
