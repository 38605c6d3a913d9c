"""Score extracted events against hand-coded reference events for a few articles.

The gold format (``seeds_gold.json``)::

    {"about": ..., "articles": {ARTICLE_ID: {"published": ..., "events": [
        {"id", "required", "what", "source": [regex...], "target": [regex...],
         "roots": ["04", ...], "date": [first, last]?}, ...]}}}

A gold event matches an extracted event of the same article when the source
patterns match the event's source, the target patterns match its target (an
empty target list is not checked) and the event's CAMEO root is among ``roots``.
Direction matters: the gold lists both directions where both count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dragoman.evaluate.matching import (
    EventDict,
    cameo_root,
    date_within,
    describe_event,
    evidence_sentence,
    gold_range,
    group_by_article,
    side_matches,
)
from dragoman.evaluate.metrics import fmt, ratio


class GoldFormatError(ValueError):
    """A gold file that does not have the expected shape."""


@dataclass
class GoldEvent:
    """One hand-coded reference event."""

    article_id: str
    id: str
    required: bool
    what: str
    source: list[str]
    target: list[str]
    roots: list[str]
    date: list[str] | None = None

    def matches(self, event: EventDict) -> bool:
        """True when ``event`` (same article) is an acceptable coding of this gold event."""
        return (
            str(event.get("article_id")) == self.article_id
            and cameo_root(event) in self.roots
            and side_matches(self.source, event.get("source") or [])
            and side_matches(self.target, event.get("target") or [])
        )


def load_seeds_gold(path: Path) -> dict[str, list[GoldEvent]]:
    """Read a seeds gold file into gold events keyed by article id."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        articles = data["articles"]
        return {
            str(article_id): [
                GoldEvent(
                    article_id=str(article_id),
                    id=str(item["id"]),
                    required=bool(item.get("required", False)),
                    what=str(item.get("what", "")),
                    source=list(item.get("source") or []),
                    target=list(item.get("target") or []),
                    roots=[str(root) for root in item["roots"]],
                    date=list(item["date"]) if item.get("date") else None,
                )
                for item in article.get("events", [])
            ]
            for article_id, article in articles.items()
        }
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"{path}: not a seeds gold file ({exc!r})") from exc


@dataclass
class MissedEvent:
    """A required gold event that no extracted event matched."""

    article_id: str
    gold_id: str
    what: str
    #: Why the closest extracted events failed, e.g. "source matched, wrong root".
    nearest: list[str] = field(default_factory=list)


@dataclass
class SpuriousEvent:
    """An extracted event that matched no gold event, required or optional."""

    article_id: str
    summary: str
    sentence: str


@dataclass
class DateCheck:
    """The date verdict for one matched required gold event with a gold date range."""

    article_id: str
    gold_id: str
    gold_range: list[str]
    predicted: list[str | None]
    correct: bool


@dataclass
class SeedsReport:
    """Scores of extracted events against the seeds gold."""

    required_total: int
    required_found: int
    extracted_total: int
    extracted_matching: int
    optional_found: int
    optional_total: int
    date_checks: list[DateCheck]
    missed: list[MissedEvent]
    spurious: list[SpuriousEvent]
    per_article: dict[str, dict[str, int]]
    #: Events whose article is not in the gold (left out of every figure).
    ignored_events: int = 0

    @property
    def required_recall(self) -> float | None:
        return ratio(self.required_found, self.required_total)

    @property
    def precision(self) -> float | None:
        return ratio(self.extracted_matching, self.extracted_total)

    @property
    def dates_correct(self) -> int:
        return sum(check.correct for check in self.date_checks)

    @property
    def date_accuracy(self) -> float | None:
        return ratio(self.dates_correct, len(self.date_checks))

    def headline_rows(self) -> list[tuple[str, str, str]]:
        """The headline figures as (figure, score, counts), for the terminal and the report."""
        return [
            (
                "required recall",
                fmt(self.required_recall),
                f"{self.required_found}/{self.required_total}",
            ),
            ("precision", fmt(self.precision), f"{self.extracted_matching}/{self.extracted_total}"),
            (
                "date accuracy",
                fmt(self.date_accuracy),
                f"{self.dates_correct}/{len(self.date_checks)}",
            ),
            ("optional events found", "", f"{self.optional_found}/{self.optional_total}"),
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "required_recall": self.required_recall,
            "precision": self.precision,
            "date_accuracy": self.date_accuracy,
            "required_total": self.required_total,
            "required_found": self.required_found,
            "optional_total": self.optional_total,
            "optional_found": self.optional_found,
            "extracted_total": self.extracted_total,
            "extracted_matching": self.extracted_matching,
            "dates_checked": len(self.date_checks),
            "dates_correct": self.dates_correct,
            "ignored_events": self.ignored_events,
            "per_article": self.per_article,
            "date_checks": [vars(check) for check in self.date_checks],
            "missed": [vars(item) for item in self.missed],
            "spurious": [vars(item) for item in self.spurious],
        }


def _nearest(gold: GoldEvent, events: list[EventDict]) -> list[str]:
    """Say how close the article's events came to ``gold`` (for the missed list)."""
    notes = []
    for event in events:
        source = side_matches(gold.source, event.get("source") or [])
        target = side_matches(gold.target, event.get("target") or [])
        root = cameo_root(event) in gold.roots
        if sum((source, target, root)) == 2:
            wrong = "source" if not source else "target" if not target else "CAMEO root"
            notes.append(f"wrong {wrong}: {describe_event(event)}")
    return notes


def _event_dates(event: EventDict) -> list[str | None]:
    return [event.get("date"), event.get("date_start"), event.get("date_end")]


def score_seeds(gold: Mapping[str, list[GoldEvent]], events: Iterable[EventDict]) -> SeedsReport:
    """Score extracted event dicts against seeds gold events.

    Only events of articles in the gold are scored; others are counted as ignored.
    """
    by_article = group_by_article(events)
    ignored = sum(len(found) for key, found in by_article.items() if key not in gold)
    missed: list[MissedEvent] = []
    spurious: list[SpuriousEvent] = []
    date_checks: list[DateCheck] = []
    per_article: dict[str, dict[str, int]] = {}
    required_found = optional_found = matching = extracted = 0

    for article_id, gold_events in gold.items():
        found = by_article.get(article_id, [])
        extracted += len(found)
        article_required = article_found = 0
        for item in gold_events:
            hits = [event for event in found if item.matches(event)]
            if not item.required:
                optional_found += bool(hits)
                continue
            article_required += 1
            if not hits:
                missed.append(MissedEvent(article_id, item.id, item.what, _nearest(item, found)))
                continue
            article_found += 1
            window = gold_range(item.date)
            if window:
                right = [event for event in hits if date_within(event, *window)]
                shown = right[0] if right else hits[0]
                date_checks.append(
                    DateCheck(article_id, item.id, item.date, _event_dates(shown), bool(right))
                )
        required_found += article_found
        article_matching = 0
        for event in found:
            if any(item.matches(event) for item in gold_events):
                article_matching += 1
            else:
                spurious.append(
                    SpuriousEvent(article_id, describe_event(event), evidence_sentence(event))
                )
        matching += article_matching
        per_article[article_id] = {
            "required": article_required,
            "required_found": article_found,
            "extracted": len(found),
            "extracted_matching": article_matching,
        }

    return SeedsReport(
        required_total=sum(len([g for g in items if g.required]) for items in gold.values()),
        required_found=required_found,
        extracted_total=extracted,
        extracted_matching=matching,
        optional_found=optional_found,
        optional_total=sum(len([g for g in items if not g.required]) for items in gold.values()),
        date_checks=date_checks,
        missed=missed,
        spurious=spurious,
        per_article=per_article,
        ignored_events=ignored,
    )
