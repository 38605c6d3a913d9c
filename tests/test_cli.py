"""The command line as a user meets it: extract, annotate, ingest, events, show."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from dragoman.cli import app

runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _warm(pipeline):
    # build the pipeline once so each command reuses the loaded model
    return pipeline


def test_help_explains_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "annotate", "ingest", "events", "show", "serve", "eval"):
        assert command in result.output
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0, command
        assert len(sub.output) > 100


def test_extract_jsonl_follows_the_output_contract():
    result = runner.invoke(app, ["extract", str(SAMPLES / "ankara_talks.txt"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert events, "the sample article reports events"
    required = {
        "article_id",
        "source",
        "target",
        "cameo",
        "plover",
        "quad_class",
        "goldstein",
        "date",
        "date_start",
        "date_end",
        "date_precision",
        "location",
        "modality",
        "attribution",
        "evidence",
        "confidence",
    }
    text = (SAMPLES / "ankara_talks.txt").read_text(encoding="utf-8")
    for event in events:
        assert required <= set(event)
        assert event["article_id"] == "ankara_talks"
        evidence = event["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["sentence"]
        assert text[evidence["trigger_start"] : evidence["trigger_end"]] == evidence["trigger"]
        for actor in event["source"] + event["target"]:
            assert {"text", "name", "code", "country", "sector"} <= set(actor)


def test_annotate_lists_actors_times_places_with_offsets():
    result = runner.invoke(app, ["annotate", str(SAMPLES / "ankara_talks.txt")])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    text = (SAMPLES / "ankara_talks.txt").read_text(encoding="utf-8")
    assert record["published"] == "2024-03-15"
    for key in ("actors", "times", "places"):
        assert record[key], key
        for item in record[key]:
            assert text[item["start"] : item["end"]] == item["text"]
    values = {t["text"]: t["value"] for t in record["times"]}
    assert values.get("on Thursday", values.get("Thursday")) == "2024-03-14"


def test_bad_input_is_skipped_with_one_line_and_exit_code(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Egypt condemned the attack on Monday.", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Qatar hosted talks."}\n{broken\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(good), str(bad), "--format", "jsonl"])
    assert result.exit_code == 1
    assert f"{bad}:2" in result.stderr
    assert len([l for l in result.stderr.splitlines() if "skipped" in l]) == 1
    ids = {json.loads(line)["article_id"] for line in result.stdout.splitlines() if line.strip()}
    assert "good" in ids


def test_ingest_is_idempotent_and_events_can_be_filtered(tmp_path):
    db = tmp_path / "store.duckdb"
    first = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)])
    assert first.exit_code == 0, first.output
    listed = runner.invoke(
        app, ["events", "--db", str(db), "--format", "jsonl", "--limit", "10000"]
    )
    events = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    assert len(events) >= 5
    again = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)])
    assert again.exit_code == 0
    assert "0 article(s) stored" in again.stderr
    relisted = runner.invoke(
        app, ["events", "--db", str(db), "--format", "jsonl", "--limit", "10000"]
    )
    assert len([l for l in relisted.stdout.splitlines() if l.strip()]) == len(events)

    by_country = runner.invoke(
        app, ["events", "--db", str(db), "--country", "TUR", "--format", "csv"]
    )
    rows = list(csv.DictReader(io.StringIO(by_country.stdout)))
    assert rows and all("TUR" in r["source_codes"] + r["target_codes"] for r in rows)

    shown = runner.invoke(app, ["show", "ankara_talks", "--db", str(db)])
    assert shown.exit_code == 0
    assert "Fidan" in shown.stdout

    missing = runner.invoke(app, ["show", "no-such-article", "--db", str(db)])
    assert missing.exit_code == 2


def test_events_rejects_a_bad_date(tmp_path):
    db = tmp_path / "store.duckdb"
    runner.invoke(app, ["ingest", str(SAMPLES / "wire.jsonl"), "--db", str(db)])
    result = runner.invoke(app, ["events", "--db", str(db), "--since", "last tuesday"])
    assert result.exit_code == 2


def test_events_rejects_an_unknown_cameo_root(tmp_path):
    db = tmp_path / "store.duckdb"
    runner.invoke(app, ["ingest", str(SAMPLES / "wire.jsonl"), "--db", str(db)])
    result = runner.invoke(app, ["events", "--db", str(db), "--cameo", "99"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_events_merge_prints_each_reported_event_once(tmp_path):
    import dataclasses

    from dragoman.records import Annotations
    from dragoman.store import open_store

    try:
        from e2e.synthetic import GAZA_STRIKES, synthetic_annotations
    except ImportError:  # tests/ imported as a package
        from tests.e2e.synthetic import GAZA_STRIKES, synthetic_annotations

    db = tmp_path / "store.duckdb"
    annotations = synthetic_annotations()
    gaza = annotations[1]
    # The same story from a second outlet: three dated events reported twice.
    retold = Annotations(
        dataclasses.replace(gaza.article, id="syn-gaza-retold"),
        gaza.actors,
        gaza.times,
        gaza.places,
        [dataclasses.replace(e, article_id="syn-gaza-retold") for e in gaza.events],
    )
    with open_store(db) as store:
        for found in [*annotations, retold]:
            store.save(found)

    def listed(*options: str) -> list[dict]:
        result = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl", *options])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]

    everything = listed()
    merged = listed("--merge")
    assert len(everything) == 10 and all("reports" not in e for e in everything)
    assert len(merged) == 7 < len(everything)
    assert sorted(e["reports"] for e in merged) == [1, 1, 1, 1, 2, 2, 2]
    for event in merged:
        if event["reports"] == 2:
            assert event["report_articles"] == ["syn-gaza-retold", GAZA_STRIKES]
    # Filters apply before merging; the table output shows fewer rows too.
    assert len(listed("--merge", "--article", GAZA_STRIKES)) == 3
    csv_text = runner.invoke(app, ["events", "--db", str(db), "--merge", "--format", "csv"])
    csv_rows = list(csv.DictReader(io.StringIO(csv_text.stdout)))
    assert len(csv_rows) == 7
    assert sorted(int(r["reports"]) for r in csv_rows) == [1, 1, 1, 1, 2, 2, 2]
    assert {r["report_articles"] for r in csv_rows if r["reports"] == "2"} == {
        f"syn-gaza-retold; {GAZA_STRIKES}"
    }
    table = runner.invoke(app, ["events", "--db", str(db), "--merge"])
    assert "reports" in table.stdout
    plain = runner.invoke(app, ["events", "--db", str(db)])
    assert table.exit_code == plain.exit_code == 0
    assert table.stdout.count(GAZA_STRIKES) + table.stdout.count("retold") < (
        plain.stdout.count(GAZA_STRIKES) + plain.stdout.count("retold")
    )
    help_text = runner.invoke(app, ["events", "--help"]).output
    assert "--merge" in help_text and "CAMEO" in help_text
