"""Helpers shared by the scorers: reading event dicts, matching actors and dates.

Scorers work on plain event dicts shaped like ``Event.to_dict()``, so they can
score Dragoman's output, a saved JSONL file, or another coder's output alike.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

EventDict = Mapping[str, Any]


def actor_string(actor: Mapping[str, Any]) -> str:
    """An actor's text, name, code and country joined by spaces (absent fields skipped)."""
    parts = (actor.get(key) for key in ("text", "name", "code", "country"))
    return " ".join(str(part) for part in parts if part)


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def side_matches(patterns: Sequence[str], actors: Sequence[Mapping[str, Any]]) -> bool:
    """True when ANY pattern (case-insensitive ``re.search``) matches ANY actor.

    An empty pattern list means the side is not checked and always matches; an
    empty actor list never matches a non-empty pattern list.
    """
    if not patterns:
        return True
    strings = [actor_string(actor) for actor in actors]
    return any(_compiled(p).search(s) for p in patterns for s in strings)


def cameo_root(event: EventDict) -> str:
    """The two-digit CAMEO root of an event (``"1053"`` -> ``"10"``)."""
    return str(event.get("cameo") or "")[:2]


def _parse_day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def value_range(value: Any) -> tuple[date, date] | None:
    """The calendar range of a date value: ``2023``, ``2023-12`` or ``2023-12-07``."""
    if not value:
        return None
    text = str(value)
    if match := _YEAR.match(text):
        year = int(match[1])
        return date(year, 1, 1), date(year, 12, 31)
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            return None
        following = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(following.toordinal() - 1)
    day = _parse_day(text) if len(text) == 10 else None
    return (day, day) if day else None


def date_within(event: EventDict, low: date, high: date) -> bool:
    """True when the event's date lies within the gold range [low, high].

    Either the event's ``date_start`` and ``date_end`` are both within the range,
    or its ``date`` value (a year, month or day) covers a range that is.
    """
    start, end = _parse_day(event.get("date_start")), _parse_day(event.get("date_end"))
    if start and end and low <= start and end <= high:
        return True
    covered = value_range(event.get("date"))
    return bool(covered) and low <= covered[0] and covered[1] <= high


def gold_range(values: Sequence[str] | None) -> tuple[date, date] | None:
    """A gold ``[first, last]`` ISO date pair as dates, or None when absent."""
    if not values:
        return None
    low, high = date.fromisoformat(values[0]), date.fromisoformat(values[-1])
    return low, high


def group_by_article(events: Iterable[EventDict]) -> dict[str, list[EventDict]]:
    """Events keyed by ``article_id``, in their original order."""
    grouped: dict[str, list[EventDict]] = defaultdict(list)
    for event in events:
        grouped[str(event.get("article_id"))].append(event)
    return dict(grouped)


class PredictionsError(ValueError):
    """A predictions file that cannot be read as event JSONL."""


def read_predictions(path: Path) -> list[dict[str, Any]]:
    """Read extracted events from JSONL.

    Each line is one event dict (``Event.to_dict()`` shape), or an object with an
    ``events`` list whose events inherit the line's ``article_id`` (or ``id``)
    when they carry none. Blank lines are skipped.
    """
    events: list[dict[str, Any]] = []
    for record in _json_lines(path):
        if isinstance(record.get("events"), list):
            owner = record.get("article_id", record.get("id"))
            events += [{"article_id": owner, **event} for event in record["events"]]
        else:
            events.append(record)
    return events


def read_time_predictions(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Read predicted time expressions from JSONL, keyed by article id.

    Each line is an annotation record with ``article_id`` (or ``id``) and a
    ``times`` list (the ``Annotations.to_dict()`` shape), or one time expression
    (``start``, ``end``, ``type``, ``value``) with its ``article_id``.
    """
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for number, record in enumerate(_json_lines(path), start=1):
        owner = str(record.get("article_id", record.get("id")))
        items = record["times"] if isinstance(record.get("times"), list) else [record]
        for item in items:
            if not all(key in item for key in ("start", "end", "type", "value")):
                raise PredictionsError(
                    f"{path}:{number}: a time expression needs start, end, type and value"
                )
            found[owner].append(item)
    return dict(found)


def _json_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file, blank lines skipped (errors name the line)."""
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PredictionsError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise PredictionsError(f"{path}:{number}: expected a JSON object")
            yield record


def describe_event(event: EventDict) -> str:
    """A one-line summary: ``SRC -[1053 REQUEST]-> TGT``."""

    def side(key: str) -> str:
        actors = event.get(key) or []
        return ", ".join(a.get("name") or a.get("text") or "?" for a in actors) or "-"

    code = " ".join(str(event[key]) for key in ("cameo", "plover") if event.get(key)) or "?"
    return f"{side('source')} -[{code}]-> {side('target')}"


def evidence_sentence(event: EventDict) -> str:
    """The sentence supporting the event, or an empty string."""
    evidence = event.get("evidence") or {}
    return str(evidence.get("sentence") or "").strip()
