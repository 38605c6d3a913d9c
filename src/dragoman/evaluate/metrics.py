"""Counts of hits and misses, and the precision / recall / F1 they give."""

from __future__ import annotations

from dataclasses import dataclass


def ratio(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator``, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


@dataclass
class Counts:
    """True positives, false positives and false negatives, with P/R/F1 derived."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, predicted: set) -> None:
        """Count one unit (a record) given its gold and predicted item sets."""
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float | None:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        # 2TP / (2TP + FP + FN): equal to the harmonic mean of P and R when both are
        # defined, and 0 (not undefined) for a system that predicted nothing.
        return ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def fmt(value: float | None, digits: int = 3) -> str:
    """A score for people: ``0.812`` or ``n/a`` when undefined."""
    return "n/a" if value is None else f"{value:.{digits}f}"
