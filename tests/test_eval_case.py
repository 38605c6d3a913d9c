"""The CASE 2021 scorer, its fixed read/blind split and ``dragoman eval case``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dragoman.evaluate.case import (
    CASE_GOLD,
    NONE,
    CaseRecord,
    id_order,
    load_case_gold,
    score_case,
    select_half,
    split_halves,
)
from dragoman.evaluate.cli import eval_app
from dragoman.evaluate.paths import default_gold
from dragoman.evaluate.seeds import GoldFormatError

runner = CliRunner()

LINES = [
    {"id": "1", "text": "Troops shelled the town.", "label": "ARMED_CLASH", "plover": ["ASSAULT"]},
    {"id": "2", "text": "Rebels attacked a convoy.", "label": "ARMED_CLASH", "plover": ["ASSAULT"]},
    {
        "id": "3",
        "text": "Thousands marched in Lagos.",
        "label": "PEACE_PROTEST",
        "plover": ["PROTEST"],
    },
    {"id": "4", "text": "Police arrested ten men.", "label": "ARREST", "plover": ["COERCE"]},
    {"id": "5", "text": "A flood hit the valley.", "label": "NATURAL_DISASTER", "plover": []},
    {"id": "6", "text": "An earthquake struck.", "label": "NATURAL_DISASTER", "plover": []},
    {
        "id": "7",
        "text": "Farmers marched and [burned] tyres.",
        "label": "VIOL_DEMONSTR",
        "plover": ["PROTEST", "ASSAULT"],
    },
]


def record_line(row: dict) -> dict:
    gold = {"label": row["label"], "plover": row["plover"]}
    return {"id": row["id"], "text": row["text"], "published": None, "gold": gold}


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def event(article: str, plover: str, confidence: float = 0.5) -> dict:
    actor = {"text": "Army", "name": "Army", "code": "MIL", "country": None}
    return {
        "article_id": article,
        "plover": plover,
        "cameo": "190",
        "source": [actor],
        "target": [],
        "confidence": confidence,
    }


EVENTS = [
    event("1", "ASSAULT"),
    event("2", "CONSULT", 0.9),
    event("3", "PROTEST"),
    event("3", "ASSAULT"),
    event("6", "ASSAULT"),
    event("7", "ASSAULT"),
    event("99", "ASSAULT"),
]


@pytest.fixture
def gold_path(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "case.jsonl", [record_line(row) for row in LINES])


@pytest.fixture
def records(gold_path: Path) -> list[CaseRecord]:
    return load_case_gold(gold_path)


def make(record_id: str, label: str) -> CaseRecord:
    return CaseRecord(record_id, f"text {record_id}", label, ("ASSAULT",))


def test_split_alternates_within_each_label_by_integer_id():
    # ids sort as integers (2 < 10 < 11), not as strings ("10" < "11" < "2")
    records = [make("10", "A"), make("2", "A"), make("11", "A"), make("5", "B"), make("3", "B")]
    read, blind = split_halves(records)
    # A: 2, 10, 11 -> read 2 and 11, blind 10; B: 3, 5 -> read 3, blind 5 (file order kept)
    assert [r.id for r in read] == ["2", "11", "3"]
    assert [r.id for r in blind] == ["10", "5"]


def test_split_puts_non_integer_ids_after_integers_in_string_order():
    records = [make("b", "A"), make("7", "A"), make("a", "A"), make("x-1", "A")]
    read, blind = split_halves(records)
    # order: 7, a, b, x-1 -> read 7 and b, blind a and x-1 (each half in file order)
    assert [r.id for r in read] == ["b", "7"]
    assert [r.id for r in blind] == ["a", "x-1"]
    assert id_order("-3") < id_order("2") < id_order("10") < id_order("03a")


def test_halves_partition_the_records(records):
    read, blind = select_half(records, "read"), select_half(records, "blind")
    assert sorted(r.id for r in read + blind) == sorted(r.id for r in records)
    assert [r.id for r in read] == ["1", "3", "4", "5", "7"]
    assert [r.id for r in blind] == ["2", "6"]
    assert select_half(records, "all") == records
    with pytest.raises(ValueError, match="half must be one of"):
        select_half(records, "half")


def test_scores_on_all_snippets(records):
    report = score_case(records, EVENTS)
    # scored: 1 hit, 2 miss (CONSULT), 3 hit, 4 miss (nothing), 7 hit (ASSAULT accepted)
    assert (report.scored, report.found, report.type_recall) == (5, 3, 0.6)
    assert (report.events, report.events_per_snippet) == (6, 6 / 7)
    assert (report.scored_events, report.events_per_scored_snippet) == (5, 1.0)
    assert (report.not_scored, report.not_scored_with_events) == (2, 1)
    assert report.not_scored_share_with_events == 0.5
    assert report.ignored_events == 1 and report.other_half_events == 0
    clash = report.per_label["ARMED_CLASH"]
    assert (clash.snippets, clash.found, clash.recall, clash.events) == (2, 1, 0.5, 2)
    disaster = report.per_label["NATURAL_DISASTER"]
    assert (disaster.recall, disaster.with_events) == (None, 1)
    assert list(report.per_group) == ["ASSAULT", "ASSAULT, PROTEST", "COERCE", "PROTEST"]
    assert report.per_group["ASSAULT, PROTEST"].labels == ["VIOL_DEMONSTR"]
    assert report.missed_types == {"CONSULT": 1, NONE: 1}
    assert report.not_scored_types == {"ASSAULT": 1}
    # confidently wrong first, nothing extracted last; no texts outside the read half
    assert [(m.id, m.label) for m in report.misses] == [("2", "ARMED_CLASH"), ("4", "ARREST")]
    assert all(m.text is None and m.predicted is None for m in report.misses)
    data = report.to_dict()
    assert data["type_recall"] == 0.6 and data["half"] == "all"
    assert data["per_label"]["PEACE_PROTEST"]["recall"] == 1.0
    assert data["misses"][0] == {"id": "2", "label": "ARMED_CLASH", "acceptable": ["ASSAULT"]}


def test_read_half_keeps_texts_of_misses_and_counts_other_half_events(records):
    read = select_half(records, "read")
    report = score_case(read, EVENTS, "read", gold_ids=[r.id for r in records])
    assert (report.snippets, report.scored, report.found) == (5, 4, 3)
    assert report.other_half_events == 2 and report.ignored_events == 1
    (miss,) = report.misses
    assert (miss.id, miss.text, miss.predicted) == ("4", "Police arrested ten men.", [])
    assert report.to_dict()["misses"][0]["text"] == "Police arrested ten men."


def test_empty_output_scores_zero_recall(records):
    report = score_case(records, [])
    assert (report.type_recall, report.events_per_snippet) == (0.0, 0.0)
    assert report.not_scored_share_with_events == 0.0
    assert report.missed_types == {NONE: 5}


def test_malformed_and_duplicate_records_are_clear_errors(tmp_path: Path):
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "1", "text": "t", "gold": {"label": "X"}}])
    with pytest.raises(GoldFormatError, match="bad.jsonl:1: not a CASE 2021 gold record"):
        load_case_gold(bad)
    twice = write_jsonl(tmp_path / "twice.jsonl", [record_line(LINES[0])] * 2)
    with pytest.raises(GoldFormatError, match="twice.jsonl:2: duplicate id '1'"):
        load_case_gold(twice)


def invoke(*args: object):
    return runner.invoke(eval_app, ["case", *(str(a) for a in args)])


@pytest.fixture
def predictions(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "pred.jsonl", EVENTS)


def test_cli_json_output(gold_path, predictions):
    result = invoke("--gold", gold_path, "--predictions", predictions, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["snippets"], data["scored"], data["found"]) == (7, 5, 3)
    assert data["not_scored_share_with_events"] == 0.5
    assert all("text" not in miss for miss in data["misses"])


def test_cli_text_shows_snippet_texts_only_for_the_read_half(gold_path, predictions):
    texts = [row["text"] for row in LINES]
    for half in ("blind", "all"):
        result = invoke("--gold", gold_path, "--predictions", predictions, "--half", half)
        assert result.exit_code == 0, result.output
        assert "type recall (scored snippets)" in result.stdout
        assert "ARMED_CLASH" in result.stdout
        assert not any(text in result.stdout for text in texts)
        assert "Army" not in result.stdout  # nor the actors of extracted events
    result = invoke("--gold", gold_path, "--predictions", predictions, "--half", "read")
    assert result.exit_code == 0, result.output
    assert "Police arrested ten men." in result.stdout
    assert "0.750" in result.stdout  # 3 of the read half's 4 scored snippets


def test_cli_worst_limits_the_listed_misses(gold_path, predictions):
    result = invoke("--gold", gold_path, "--predictions", predictions, "--worst", "1")
    assert result.exit_code == 0, result.output
    assert "Missed snippets (1 of 2)" in result.stdout


def test_cli_report_folder_has_no_texts_outside_the_read_half(gold_path, predictions, tmp_path):
    folder = tmp_path / "report"
    result = invoke("--gold", gold_path, "--predictions", predictions, "--report", folder)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["recall_per_label.png", "report.html", "report.md"]
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert "| type recall (scored snippets) | 0.600 | 3/5 |" in markdown
    assert not any(row["text"] in markdown for row in LINES)
    read = tmp_path / "read_report"
    result = invoke(
        "--gold", gold_path, "--predictions", predictions, "--report", read, "--half", "read"
    )
    assert result.exit_code == 0, result.output
    assert "Police arrested ten men." in (read / "report.html").read_text(encoding="utf-8")


def test_cli_missing_or_malformed_gold_exits_2(tmp_path: Path):
    result = invoke("--gold", tmp_path / "nope.jsonl")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("Error: gold file not found:")
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "x"}])
    result = invoke("--gold", bad)
    assert result.exit_code == 2
    assert "not a CASE 2021 gold record" in result.stderr


def test_cli_rejects_an_unknown_half(gold_path, predictions):
    result = invoke("--gold", gold_path, "--predictions", predictions, "--half", "most")
    assert result.exit_code == 2


def shared_case_gold() -> Path:
    path = default_gold(CASE_GOLD)
    if not path.is_file():
        pytest.skip(f"CASE 2021 gold not found at {path} (../shared absent; set DRAGOMAN_SHARED)")
    return path


def test_shared_case_gold_loads_and_splits_evenly_per_label():
    records = load_case_gold(shared_case_gold())
    assert len(records) == 503
    read, blind = split_halves(records)
    assert len(read) + len(blind) == 503
    labels = {r.label for r in records}
    for label in labels:
        in_read = sum(r.label == label for r in read)
        in_blind = sum(r.label == label for r in blind)
        assert in_read - in_blind in (0, 1), label


@pytest.mark.slow
def test_cli_runs_the_pipeline_on_the_blind_half_and_prints_figures_only():
    path = shared_case_gold()
    blind = select_half(load_case_gold(path), "blind")
    result = invoke("--gold", path, "--half", "blind", "--format", "json")
    assert result.exit_code == 0, "eval case --half blind failed"
    data = json.loads(result.stdout)
    assert data["half"] == "blind" and data["snippets"] == len(blind)
    assert 0.0 <= data["type_recall"] <= 1.0
    assert data["events_per_snippet"] >= 0.0
    assert all(set(miss) == {"id", "label", "acceptable"} for miss in data["misses"])
    # counted, never shown: a failure must not print the texts themselves
    leaked = sum(record.text in result.stdout for record in blind)
    assert leaked == 0, f"{leaked} blind-half snippet texts were printed"
