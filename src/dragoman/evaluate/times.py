"""Scoring the temporal tagger against TIMEX3 gold, TempEval-3 style.

Gold is JSONL in the MEANTIME format: one document a line,
``{"id", "text", "published", "gold": {"times": [{start, end, text, type, value}]}}``.
``published`` is the document creation time handed to the tagger.

Figures: strict span P/R/F1 (exact offsets), relaxed span P/R/F1 (any overlap,
one-to-one), type and value accuracy over the relaxed matches (overall and for gold
DATE expressions), and TempEval-3 value F1 (a relaxed match counts only when its
value is right as well).

MEANTIME annotates only the beginning of each article (title, date line and the
first sentences: its first six lines). ``scored_lines`` keeps scoring to that part,
so expressions found in unannotated sentences are not counted as spurious; a record
may instead carry ``"scored_until"``, a character offset. ``scored_lines=None``
scores the whole text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dragoman.evaluate.metrics import Counts, fmt, ratio
from dragoman.records import TimeExpr

#: Lines of a MEANTIME text that carry annotation.
MEANTIME_SCORED_LINES = 6


@dataclass
class Span:
    """A gold or predicted time expression, as scored."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimesError:
    """One disagreement: ``missed``, ``spurious``, ``wrong_value`` or ``wrong_type``."""

    kind: str
    doc_id: str
    gold: Span | None
    predicted: Span | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "doc_id": self.doc_id,
            "gold": vars(self.gold) if self.gold else None,
            "predicted": vars(self.predicted) if self.predicted else None,
        }


@dataclass
class TimesReport:
    """The figures of one evaluation run."""

    documents: int = 0
    gold: int = 0
    predicted: int = 0
    strict: Counts = field(default_factory=Counts)
    relaxed: Counts = field(default_factory=Counts)
    #: Relaxed matches whose type / value agree (all, and with gold type DATE).
    type_correct: int = 0
    value_correct: int = 0
    date_matches: int = 0
    date_type_correct: int = 0
    date_value_correct: int = 0
    errors: list[TimesError] = field(default_factory=list)

    @property
    def matches(self) -> int:
        return self.relaxed.tp

    @property
    def type_accuracy(self) -> float | None:
        return ratio(self.type_correct, self.matches)

    @property
    def value_accuracy(self) -> float | None:
        return ratio(self.value_correct, self.matches)

    @property
    def date_type_accuracy(self) -> float | None:
        return ratio(self.date_type_correct, self.date_matches)

    @property
    def date_value_accuracy(self) -> float | None:
        return ratio(self.date_value_correct, self.date_matches)

    @property
    def value(self) -> Counts:
        """TempEval-3 value scoring: a hit is a relaxed match with the right value."""
        return Counts(
            tp=self.value_correct,
            fp=self.predicted - self.value_correct,
            fn=self.gold - self.value_correct,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "gold": self.gold,
            "predicted": self.predicted,
            "strict": self.strict.to_dict(),
            "relaxed": self.relaxed.to_dict(),
            "type_accuracy": self.type_accuracy,
            "value_accuracy": self.value_accuracy,
            "date": {
                "matches": self.date_matches,
                "type_accuracy": self.date_type_accuracy,
                "value_accuracy": self.date_value_accuracy,
            },
            "value": self.value.to_dict(),
            "errors": [e.to_dict() for e in self.errors],
        }


def _same_value(gold: str, predicted: str) -> bool:
    return gold.strip().upper() == predicted.strip().upper()


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def relaxed_pairs(gold: list[Span], predicted: list[Span]) -> list[tuple[Span, Span]]:
    """One-to-one overlap matching, the largest overlaps paired first."""
    options = sorted(
        (
            (-_overlap(g, p), abs(g.start - p.start), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(predicted)
            if _overlap(g, p) > 0
        ),
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, gi, pi in options:
        if gi in used_gold or pi in used_predicted:
            continue
        used_gold.add(gi)
        used_predicted.add(pi)
        pairs.append((gi, pi))
    return [(gold[gi], predicted[pi]) for gi, pi in sorted(pairs)]


def score_document(
    report: TimesReport, doc_id: str, gold: list[Span], predicted: list[Span]
) -> None:
    """Add one document's gold and predicted expressions to ``report``."""
    report.documents += 1
    report.gold += len(gold)
    report.predicted += len(predicted)
    report.strict.add({(g.start, g.end) for g in gold}, {(p.start, p.end) for p in predicted})
    pairs = relaxed_pairs(gold, predicted)
    report.relaxed.tp += len(pairs)
    report.relaxed.fp += len(predicted) - len(pairs)
    report.relaxed.fn += len(gold) - len(pairs)
    matched_gold = {id(g) for g, _ in pairs}
    matched_predicted = {id(p) for _, p in pairs}
    for g, p in pairs:
        type_ok = g.type == p.type
        value_ok = _same_value(g.value, p.value)
        report.type_correct += type_ok
        report.value_correct += value_ok
        if g.type == "DATE":
            report.date_matches += 1
            report.date_type_correct += type_ok
            report.date_value_correct += value_ok
        if not value_ok:
            report.errors.append(TimesError("wrong_value", doc_id, g, p))
        elif not type_ok:
            report.errors.append(TimesError("wrong_type", doc_id, g, p))
    report.errors.extend(
        TimesError("missed", doc_id, g, None) for g in gold if id(g) not in matched_gold
    )
    report.errors.extend(
        TimesError("spurious", doc_id, None, p) for p in predicted if id(p) not in matched_predicted
    )


def scored_end(record: dict[str, Any], scored_lines: int | None) -> int:
    """End offset of the annotated part of a record's text."""
    text = record["text"]
    if record.get("scored_until") is not None:
        return int(record["scored_until"])
    if scored_lines is None:
        return len(text)
    lines = text.split("\n")
    return min(len(text), sum(len(line) + 1 for line in lines[:scored_lines]))


def _span(item: dict[str, Any] | TimeExpr) -> Span:
    if isinstance(item, TimeExpr):
        return Span(item.start, item.end, item.text, item.type, item.value)
    return Span(item["start"], item["end"], item.get("text", ""), item["type"], str(item["value"]))


def read_gold(path: Path) -> list[dict[str, Any]]:
    """The records of a gold JSONL file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_records(
    records: list[dict[str, Any]],
    predict: Any,
    scored_lines: int | None = MEANTIME_SCORED_LINES,
) -> TimesReport:
    """Score ``predict(record) -> list[TimeExpr | dict]`` over gold ``records``."""
    report = TimesReport()
    for record in records:
        end = scored_end(record, scored_lines)
        gold = [_span(g) for g in record["gold"]["times"]]
        predicted = [_span(p) for p in predict(record)]
        predicted = [p for p in predicted if p.start < end]
        score_document(report, str(record["id"]), gold, predicted)
    return report


def evaluate_times(
    gold_path: Path,
    tagger: Any | None = None,
    scored_lines: int | None = MEANTIME_SCORED_LINES,
) -> TimesReport:
    """Run ``tagger`` (a :class:`dragoman.time.TimeTagger`) over a gold file and score it."""
    if tagger is None:
        from dragoman.time import TimeTagger

        tagger = TimeTagger()

    def predict(record: dict[str, Any]) -> list[TimeExpr]:
        published = record.get("published")
        anchor = date.fromisoformat(published[:10]) if published else None
        return tagger.tag(record["text"], anchor)

    return evaluate_records(read_gold(Path(gold_path)), predict, scored_lines)


def format_times_report(report: TimesReport, max_errors: int = 40) -> str:
    """A human-readable summary with the first ``max_errors`` errors."""

    def prf(counts: Counts) -> str:
        return (
            f"P {fmt(counts.precision)}  R {fmt(counts.recall)}  F1 {fmt(counts.f1)}"
            f"  (tp {counts.tp}, fp {counts.fp}, fn {counts.fn})"
        )

    lines = [
        (
            f"Time expressions: {report.documents} documents, {report.gold} gold, "
            f"{report.predicted} predicted"
        ),
        f"  strict span   {prf(report.strict)}",
        f"  relaxed span  {prf(report.relaxed)}",
        (
            f"  type accuracy  {fmt(report.type_accuracy)}   value accuracy "
            f"{fmt(report.value_accuracy)}  (over {report.matches} relaxed matches)"
        ),
        (
            f"  DATE only: type accuracy {fmt(report.date_type_accuracy)}   value accuracy "
            f"{fmt(report.date_value_accuracy)}  (over {report.date_matches} matches)"
        ),
        f"  value (TempEval-3)  {prf(report.value)}",
    ]
    if report.errors and max_errors:
        lines.append(f"Errors ({len(report.errors)}, first {min(max_errors, len(report.errors))}):")
        for error in report.errors[:max_errors]:
            gold = (
                f"{error.gold.text!r} {error.gold.type} {error.gold.value}" if error.gold else "-"
            )
            predicted = (
                f"{error.predicted.text!r} {error.predicted.type} {error.predicted.value}"
                if error.predicted
                else "-"
            )
            lines.append(f"  {error.kind:<11} {error.doc_id}: gold {gold} | predicted {predicted}")
    return "\n".join(lines)
