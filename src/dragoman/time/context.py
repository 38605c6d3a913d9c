"""What a rule sees while it builds one candidate: the text, the anchor date, and
how to read the tense around a span."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from .anchor import value_range
from .tense import UNKNOWN, clause_direction


@dataclass
class Candidate:
    """A time expression proposed by one rule, before overlaps are settled."""

    start: int
    end: int
    type: str
    value: str
    date_start: date | None = None
    date_end: date | None = None
    precision: str | None = None
    #: Rank of the rule that proposed it (lower wins a tie on length).
    priority: int = 0
    #: Set when the value depends on other expressions of the text, resolved after
    #: overlaps are settled: ``clock`` (a time of day with no day written) or
    #: ``anaphor:<unit>`` ("that day", "the same month").
    pending: str | None = None
    #: Clock part for ``clock`` candidates: ``T15:00`` or ``T18:00Z``.
    clock: str = ""


@dataclass
class Context:
    """The document a rule is matching in."""

    text: str
    #: Date relative expressions are resolved against (publication date or estimate).
    anchor: date | None
    #: Order of day and month in numeric dates (``MDY`` or ``DMY``).
    date_order: str = "MDY"
    _directions: dict[tuple[int, int], int] = field(default_factory=dict)

    def direction(self, start: int, end: int) -> int:
        """Past/future reading of the clause around [start, end) (memoised)."""
        key = (start, end)
        if key not in self._directions:
            self._directions[key] = (
                clause_direction(self.text, start, end) if self.anchor else UNKNOWN
            )
        return self._directions[key]


def date_candidate(
    start: int,
    end: int,
    value: str,
    type_: str = "DATE",
    precision: str | None = None,
    date_start: date | None = None,
    date_end: date | None = None,
) -> Candidate:
    """A candidate whose range is the one ``value`` implies unless given."""
    implied_start, implied_end, implied_precision = value_range(value)
    return Candidate(
        start=start,
        end=end,
        type=type_,
        value=value,
        date_start=date_start if date_start is not None else implied_start,
        date_end=date_end if date_end is not None else implied_end,
        precision=precision or implied_precision,
    )


Handler = Callable[[re.Match[str], Context], "Candidate | None"]


@dataclass(frozen=True)
class Rule:
    """A named pattern and the function turning its matches into candidates.

    For speed, a rule may name a ``head``: a cheap pattern (a literal alternation)
    for the word every match contains, and ``before``: what may stand right before
    that word in a match (searched only in a short window). ``pattern`` is then
    tried only where a head is found, starting at the ``before`` match when there
    is one. Python's regex engine scans fast for a leading literal, but tries a
    leading optional group at every position of the text.
    """

    name: str
    pattern: re.Pattern[str]
    handler: Handler
    head: re.Pattern[str] | None = None
    before: re.Pattern[str] | None = None

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """The pattern's matches in ``text``."""
        if self.head is None:
            yield from self.pattern.finditer(text)
            return
        last_end = -1
        for head in self.head.finditer(text):
            position = head.start()
            if position < last_end:
                continue
            if position and text[position - 1].isalnum() and text[position].isalnum():
                continue
            found = None
            if self.before is not None:
                prefix = self.before.search(text, max(0, position - BEFORE_WINDOW), position)
                if prefix is not None:
                    found = self.pattern.match(text, prefix.start())
                    if found is not None and found.end() <= position:
                        found = None
            if found is None:
                found = self.pattern.match(text, position)
            if found is not None:
                last_end = found.end()
                yield found


#: How far before a rule's head word its match may start (characters).
BEFORE_WINDOW = 60


def make_rule(
    name: str, pattern: str, handler: Handler, head: str | None = None, before: str | None = None
) -> Rule:
    """Compile a rule; ``before`` is anchored to end where the head starts."""
    return Rule(
        name,
        re.compile(pattern),
        handler,
        re.compile(head) if head else None,
        re.compile(rf"(?:{before})$") if before else None,
    )


def span(match: re.Match[str]) -> tuple[int, int]:
    """The expression's span: group ``x`` when the pattern marks one, else the match."""
    if "x" in match.re.groupindex and match.group("x") is not None:
        return match.span("x")
    return match.span()


#: TIMEX3 placeholder values of the periods, for expressions with no anchor date.
_PLACEHOLDERS = {
    "day": "XXXX-XX-XX",
    "week": "XXXX-WXX",
    "month": "XXXX-XX",
    "quarter": "XXXX-QX",
    "season": "XXXX-XX",
    "year": "XXXX",
    "decade": "XXX",
    "century": "XX",
}


def unanchored(start: int, end: int, precision: str, type_: str = "DATE") -> Candidate:
    """A relative expression with no anchor date: TIMEX3 placeholders, no range."""
    return Candidate(start, end, type_, _PLACEHOLDERS.get(precision, "XXXX-XX-XX"))
