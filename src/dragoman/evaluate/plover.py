"""Score extracted events against PLOVER gold-standard records (one event per record).

The gold format (JSONL), one record per line, each record one article::

    {"id", "text", "published", "gold": {"event": TYPE,
     "source": [{"actorText", "code", ...}], "target": [...]}}

The exact definitions of every figure are in ``docs/evaluation.md``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dragoman.evaluate.matching import EventDict, describe_event, group_by_article
from dragoman.evaluate.metrics import Counts, ratio
from dragoman.evaluate.seeds import GoldFormatError

#: The label of a record for which nothing was predicted, in the confusion matrix.
NONE = "NONE"

#: Old CAMEO country codes in the PLOVER records, mapped to the ISO codes Dragoman emits.
OLD_COUNTRY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


@dataclass
class PloverRecord:
    """One gold record: an article with one coded event."""

    id: str
    text: str
    published: str | None
    event: str
    #: Gold source countries (first three letters of each code, old codes mapped).
    source_countries: list[str]


def gold_country(code: str) -> str:
    """The country part of a gold actor code: ``"USAGOV"`` -> ``"USA"``."""
    prefix = code[:3].upper()
    return OLD_COUNTRY_CODES.get(prefix, prefix)


#: Code prefixes that are CAMEO sector codes, not places: an actor coded "GOV" or "REB"
#: with no country has no country to score.
SECTOR_PREFIXES = frozenset(
    {
        "GOV",
        "MIL",
        "COP",
        "REB",
        "INS",
        "OPP",
        "CVL",
        "REF",
        "BUS",
        "JUD",
        "LEG",
        "MED",
        "HLH",
        "HRI",
        "SPY",
        "CRM",
        "EDU",
        "ELI",
        "LAB",
        "AGR",
        "REL",
        "UAF",
        "PTY",
        "SEP",
    }
)


def actor_country(actor: dict[str, Any]) -> str | None:
    """An extracted actor's country, else the first three letters of its code when they
    name a place or an international body (``IGO``, ``NGO``), not a sector."""
    if actor.get("country"):
        return str(actor["country"]).upper()
    prefix = str(actor.get("code") or "")[:3].upper()
    return prefix if prefix and prefix not in SECTOR_PREFIXES else None


def load_plover_gold(path: Path) -> list[PloverRecord]:
    """Read PLOVER gold records from JSONL."""
    records = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                gold = raw["gold"]
                records.append(
                    PloverRecord(
                        id=str(raw["id"]),
                        text=str(raw["text"]),
                        published=raw.get("published"),
                        event=str(gold["event"]).upper(),
                        source_countries=[
                            gold_country(str(actor["code"]))
                            for actor in gold.get("source") or []
                            if actor.get("code")
                        ],
                    )
                )
            except (KeyError, TypeError, json.JSONDecodeError) as exc:
                raise GoldFormatError(
                    f"{path}:{number}: not a PLOVER gold record ({exc!r})"
                ) from exc
    return records


def _types(events: list[EventDict]) -> set[str]:
    return {str(event["plover"]).upper() for event in events if event.get("plover")}


def _pairs(record: PloverRecord, events: list[EventDict]) -> tuple[set, set]:
    """Gold and predicted (type, source country) pairs for one record.

    A record without gold sources is scored by type alone: both sides become
    ``(type, None)``. Events without source actors give no predicted pair.
    """
    if not record.source_countries:
        return {(record.event, None)}, {(kind, None) for kind in _types(events)}
    gold = {(record.event, country) for country in record.source_countries}
    predicted = {
        (str(event["plover"]).upper(), country)
        for event in events
        if event.get("plover")
        for actor in event.get("source") or []
        if (country := actor_country(actor))
    }
    return gold, predicted


def top_type(events: list[EventDict]) -> str:
    """The type of the highest-confidence event (first on ties), or ``NONE``."""
    typed = [event for event in events if event.get("plover")]
    if not typed:
        return NONE
    best = max(typed, key=lambda event: float(event.get("confidence") or 0.0))
    return str(best["plover"]).upper()


@dataclass
class PloverError:
    """A record whose gold type was not among the predicted types."""

    id: str
    gold: str
    text: str
    predicted: list[str]
    #: Highest confidence among the (wrong) predictions, 0 when none.
    confidence: float


@dataclass
class PloverReport:
    """Scores of extracted events against PLOVER gold records."""

    records: int
    pairs: Counts
    types: Counts
    type_recall_at_article: float | None
    per_type: dict[str, Counts]
    support: dict[str, int]
    #: ``confusion[gold][predicted]`` record counts (predicted = top-confidence type).
    confusion: dict[str, dict[str, int]]
    errors: list[PloverError] = field(default_factory=list)
    ignored_events: int = 0

    @property
    def top1_accuracy(self) -> float | None:
        diagonal = sum(row.get(gold, 0) for gold, row in self.confusion.items())
        return ratio(diagonal, self.records)

    def labels(self) -> list[str]:
        """Row/column labels of the confusion matrix: gold types, predicted types, NONE."""
        seen = set(self.confusion)
        for row in self.confusion.values():
            seen.update(row)
        return sorted(seen - {NONE}) + ([NONE] if NONE in seen else [])

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "pairs": self.pairs.to_dict(),
            "types": self.types.to_dict(),
            "type_recall_at_article": self.type_recall_at_article,
            "top1_accuracy": self.top1_accuracy,
            "per_type": {
                kind: {**counts.to_dict(), "support": self.support.get(kind, 0)}
                for kind, counts in self.per_type.items()
            },
            "confusion": self.confusion,
            "errors": [vars(error) for error in self.errors],
            "ignored_events": self.ignored_events,
        }


def score_plover(records: list[PloverRecord], events: Iterable[EventDict]) -> PloverReport:
    """Score extracted event dicts (``article_id`` = record id) against PLOVER records."""
    by_article = group_by_article(events)
    known = {record.id for record in records}
    ignored = sum(len(found) for key, found in by_article.items() if key not in known)
    pairs, types = Counts(), Counts()
    per_type: dict[str, Counts] = defaultdict(Counts)
    support: Counter[str] = Counter()
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[PloverError] = []
    hit_records = 0

    for record in records:
        found = by_article.get(record.id, [])
        gold_pairs, predicted_pairs = _pairs(record, found)
        pairs.add(gold_pairs, predicted_pairs)
        predicted_types = _types(found)
        types.add({record.event}, predicted_types)
        support[record.event] += 1
        for kind in predicted_types | {record.event}:
            per_type[kind].add({record.event} & {kind}, predicted_types & {kind})
        confusion[record.event][top_type(found)] += 1
        if record.event in predicted_types:
            hit_records += 1
        else:
            confidence = max((float(e.get("confidence") or 0.0) for e in found), default=0.0)
            errors.append(
                PloverError(
                    record.id,
                    record.event,
                    record.text,
                    [describe_event(event) for event in found],
                    confidence,
                )
            )

    # Confidently wrong first, then records where nothing was predicted.
    errors.sort(key=lambda error: (-error.confidence, not error.predicted, error.id))
    return PloverReport(
        records=len(records),
        pairs=pairs,
        types=types,
        type_recall_at_article=ratio(hit_records, len(records)),
        per_type=dict(sorted(per_type.items())),
        support=dict(support),
        confusion={gold: dict(row) for gold, row in sorted(confusion.items())},
        errors=errors,
        ignored_events=ignored,
    )
