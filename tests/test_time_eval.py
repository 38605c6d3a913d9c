"""The TempEval-3 style scorer on tiny hand-made cases, and the tagger on MEANTIME dev."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dragoman.evaluate.times import (
    evaluate_records,
    evaluate_times,
    format_times_report,
)
from dragoman.records import TimeExpr

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
TEXT = "Title\nMay 31, 2024\nTroops left last week for three years."


def gold(start: int, end: int, type_: str, value: str) -> dict:
    return {"start": start, "end": end, "text": TEXT[start:end], "type": type_, "value": value}


def pred(start: int, end: int, type_: str, value: str) -> TimeExpr:
    return TimeExpr(TEXT[start:end], start, end, type_, value)


LAST_WEEK = (TEXT.index("last week"), TEXT.index("last week") + len("last week"))
THREE_YEARS = (TEXT.index("three years"), TEXT.index("three years") + len("three years"))
GOLD = [
    gold(*LAST_WEEK, "DATE", "2024-W21"),
    gold(*THREE_YEARS, "DURATION", "P3Y"),
]


def score(predicted: list[TimeExpr], gold_times: list[dict] = GOLD, **kwargs):
    record = {"id": "d1", "text": TEXT, "published": "2024-05-31", "gold": {"times": gold_times}}
    return evaluate_records([record], lambda r: predicted, **kwargs)


def test_perfect_prediction():
    report = score([pred(*LAST_WEEK, "DATE", "2024-W21"), pred(*THREE_YEARS, "DURATION", "P3Y")])
    assert (report.strict.precision, report.strict.recall, report.strict.f1) == (1.0, 1.0, 1.0)
    assert report.relaxed.f1 == 1.0
    assert (report.type_accuracy, report.value_accuracy) == (1.0, 1.0)
    assert (report.date_matches, report.date_value_accuracy) == (1, 1.0)
    assert report.value.f1 == 1.0
    assert report.errors == []


def test_empty_prediction():
    report = score([])
    assert report.strict.precision is None
    assert (report.strict.recall, report.strict.f1) == (0.0, 0.0)
    assert (report.relaxed.tp, report.relaxed.fn) == (0, 2)
    assert report.value_accuracy is None
    assert report.value.f1 == 0.0
    assert [e.kind for e in report.errors] == ["missed", "missed"]


def test_one_wrong_value():
    report = score([pred(*LAST_WEEK, "DATE", "2024-W22"), pred(*THREE_YEARS, "DURATION", "P3Y")])
    assert report.strict.f1 == 1.0
    assert report.type_accuracy == 1.0
    assert report.value_accuracy == 0.5
    assert report.date_value_accuracy == 0.0
    assert (report.value.precision, report.value.recall, report.value.f1) == (0.5, 0.5, 0.5)
    assert [(e.kind, e.gold.value, e.predicted.value) for e in report.errors] == [
        ("wrong_value", "2024-W21", "2024-W22")
    ]


def test_partial_overlap_is_a_relaxed_match_only():
    week = (LAST_WEEK[0] + len("last "), LAST_WEEK[1])
    report = score([pred(*week, "DATE", "2024-W21")], gold_times=GOLD[:1])
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (0, 1, 1)
    assert report.strict.f1 == 0.0
    assert (report.relaxed.precision, report.relaxed.recall, report.relaxed.f1) == (1.0, 1.0, 1.0)
    assert report.value_accuracy == 1.0
    assert report.value.f1 == 1.0


def test_one_spurious_prediction():
    extra = (TEXT.index("May 31, 2024"), TEXT.index("May 31, 2024") + len("May 31, 2024"))
    predicted = [
        pred(*extra, "DATE", "2024-05-31"),
        pred(*LAST_WEEK, "DATE", "2024-W21"),
        pred(*THREE_YEARS, "DURATION", "P3Y"),
    ]
    report = score(predicted)
    assert report.relaxed.precision == pytest.approx(2 / 3)
    assert report.relaxed.recall == 1.0
    assert report.relaxed.f1 == pytest.approx(0.8)
    assert report.value.precision == pytest.approx(2 / 3)
    assert [e.kind for e in report.errors] == ["spurious"]


def test_predictions_after_the_scored_lines_are_not_counted():
    report = score(
        [pred(*LAST_WEEK, "DATE", "2024-W21"), pred(*THREE_YEARS, "DURATION", "P3Y")],
        scored_lines=2,
    )
    assert (report.predicted, report.relaxed.fp, report.relaxed.fn) == (0, 0, 2)


def test_report_serialises_and_formats():
    report = score([pred(*LAST_WEEK, "DATE", "2024-W20")])
    data = json.loads(json.dumps(report.to_dict()))
    assert data["relaxed"]["tp"] == 1
    assert data["errors"][0]["kind"] == "wrong_value"
    text = format_times_report(report)
    assert "relaxed span" in text and "wrong_value" in text


def test_evaluate_times_reads_a_gold_file(tmp_path):
    record = {"id": "d1", "text": TEXT, "published": "2024-05-31", "gold": {"times": GOLD}}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = evaluate_times(path)
    assert report.documents == 1
    assert report.relaxed.tp == 2


def test_meantime_dev_thresholds():
    path = SHARED / "data" / "meantime_timex_dev.jsonl"
    if not path.exists():
        pytest.skip(f"MEANTIME dev file not found at {path}")
    report = evaluate_times(path)
    assert report.documents == 120
    assert report.relaxed.f1 >= 0.85, format_times_report(report, 0)
    assert report.date_value_accuracy >= 0.85, format_times_report(report, 0)
