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


# -- article ids: stdin and collisions ------------------------------------------------


def _stored_ids(db) -> list[str]:
    from dragoman.store import open_store

    with open_store(db, read_only=True) as store:
        return sorted(r[0] for r in store._con.execute("SELECT id FROM articles").fetchall())


def test_stdin_articles_with_different_texts_are_both_stored(tmp_path):
    db = str(tmp_path / "s.duckdb")
    turkey = "Turkey held talks with Greece."
    first = runner.invoke(app, ["ingest", "-", "--db", db], input=turkey)
    second = runner.invoke(
        app, ["ingest", "-", "--db", db], input="Russia accused Ukraine of shelling."
    )
    assert first.exit_code == second.exit_code == 0, second.output
    assert "1 article(s) stored" in second.stderr
    ids = _stored_ids(db)
    assert len(ids) == 2 and all(i.startswith("stdin-") for i in ids)
    again = runner.invoke(app, ["ingest", "-", "--db", db], input=turkey)
    assert again.exit_code == 0
    assert "0 article(s) stored" in again.stderr and "1 already stored" in again.stderr


def test_same_id_with_a_different_text_is_reported_and_skipped(tmp_path):
    db = str(tmp_path / "s.duckdb")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt"
    first.write_text("Iran condemned the strike.", encoding="utf-8")
    second.write_text("Egypt hosted talks with Qatar.", encoding="utf-8")

    result = runner.invoke(app, ["ingest", str(tmp_path / "a"), str(tmp_path / "b"), "--db", db])
    assert result.exit_code == 1
    (line,) = [l for l in result.stderr.splitlines() if "different text" in l]
    assert line.startswith("skipped") and str(second) in line and str(first) in line
    assert "1 article(s) stored" in result.stderr and "1 skipped" in result.stderr
    assert _stored_ids(db) == ["story"]

    # Next run: the id is now taken in the store.
    clash = runner.invoke(app, ["ingest", str(second), "--db", db])
    assert clash.exit_code == 1
    assert f"{second}: article id 'story' is already stored with a different text" in clash.stderr
    # The identical article again is no error.
    same = runner.invoke(app, ["ingest", str(first), str(first), "--db", db])
    assert same.exit_code == 0, same.stderr
    assert "0 article(s) stored" in same.stderr and "2 already stored" in same.stderr


def test_jsonl_records_sharing_an_id_keep_the_first_text(tmp_path):
    db = str(tmp_path / "s.duckdb")
    news = tmp_path / "news.jsonl"
    records = [
        {"id": "n1", "text": "Qatar hosted talks."},
        {"id": "n1", "text": "Qatar hosted talks."},
        {"id": "n1", "text": "Israel struck Gaza."},
        {"id": "n2", "text": "Egypt condemned the attack."},
    ]
    news.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(news), "--db", db])
    assert result.exit_code == 1
    assert f"skipped {news}:3: article id 'n1' was read from {news}:1" in result.stderr
    assert "2 article(s) stored" in result.stderr and "1 already stored" in result.stderr
    assert _stored_ids(db) == ["n1", "n2"]


# -- output -------------------------------------------------------------------------


def test_extract_csv_has_one_header_for_all_articles():
    paths = [str(SAMPLES / "ankara_talks.txt"), str(SAMPLES / "gulf_mediation.txt")]
    as_csv = runner.invoke(app, ["extract", *paths, "--format", "csv"])
    as_jsonl = runner.invoke(app, ["extract", *paths, "--format", "jsonl"])
    assert as_csv.exit_code == as_jsonl.exit_code == 0
    lines = as_csv.stdout.splitlines()
    assert lines[0].startswith("event_id,article_id,")
    assert sum(line == lines[0] for line in lines) == 1
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    events = [json.loads(line) for line in as_jsonl.stdout.splitlines() if line.strip()]
    assert [r["article_id"] for r in rows] == [e["article_id"] for e in events]
    assert {r["article_id"] for r in rows} == {"ankara_talks", "gulf_mediation"}


def _synthetic_store(db) -> int:
    from dragoman.store import open_store

    try:
        from e2e.synthetic import synthetic_annotations
    except ImportError:  # tests/ imported as a package
        from tests.e2e.synthetic import synthetic_annotations

    with open_store(db) as store:
        for found in synthetic_annotations():
            store.save(found)
        return store.count_events()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_events_says_on_stderr_when_the_limit_hides_matches(tmp_path, fmt):
    db = tmp_path / "store.duckdb"
    total = _synthetic_store(db)
    assert total == 7
    cut = runner.invoke(app, ["events", "--db", str(db), "--limit", "3", "--format", fmt])
    assert cut.exit_code == 0, cut.output
    (note,) = cut.stderr.splitlines()
    assert "3 of 7" in note and "--limit" in note
    if fmt == "jsonl":
        assert len([json.loads(line) for line in cut.stdout.splitlines()]) == 3
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(cut.stdout)))) == 3
    assert "of 7" not in cut.stdout
    complete = runner.invoke(app, ["events", "--db", str(db), "--limit", "7", "--format", fmt])
    assert complete.exit_code == 0 and complete.stderr == ""
    merged = runner.invoke(app, ["events", "--db", str(db), "--merge", "--limit", "1"])
    assert "1 of 7 matching merged events" in merged.stderr


def test_ingest_summary_is_one_line_when_stderr_is_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    db = tmp_path / ("a-folder-with-a-rather-long-name-" * 3) / "store.duckdb"
    result = runner.invoke(app, ["ingest", str(SAMPLES / "ankara_talks.txt"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    (summary,) = result.stderr.splitlines()
    assert len(summary) > 80
    assert summary.startswith("1 article(s) stored") and summary.endswith("0 skipped")
    assert str(db) in summary


# -- one-line errors instead of tracebacks --------------------------------------------


def _one_error_line(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(("error", "Error:")), line
    for word in words:
        assert word in line, line


def test_a_store_held_by_another_process_is_a_one_line_error(tmp_path):
    try:
        from test_store import held_open
    except ImportError:  # tests/ imported as a package
        from tests.test_store import held_open

    db = tmp_path / "store.duckdb"
    _synthetic_store(db)
    article = tmp_path / "story.txt"
    article.write_text("Iran condemned the strike.", encoding="utf-8")
    with held_open(db):
        _one_error_line(
            runner.invoke(app, ["ingest", str(article), "--db", str(db)]),
            str(db),
            "another process",
        )
        _one_error_line(runner.invoke(app, ["events", "--db", str(db)]), "another process")
        _one_error_line(
            runner.invoke(app, ["show", "syn-ru-hamas", "--db", str(db)]), "another process"
        )


@pytest.mark.parametrize(
    "command",
    [["ingest", str(SAMPLES / "ankara_talks.txt")], ["events"], ["show", "x"], ["serve"]],
)
def test_a_db_that_is_not_a_duckdb_file_is_a_one_line_error(tmp_path, monkeypatch, command):
    import dragoman.web

    def must_not_serve(*args, **kwargs):
        raise AssertionError("the server must not start")

    monkeypatch.setattr(dragoman.web, "run", must_not_serve)
    db = tmp_path / "notes.duckdb"
    db.write_text("meeting notes, not a database\n", encoding="utf-8")
    result = runner.invoke(app, [*command, "--db", str(db)])
    _one_error_line(result, str(db), "not a DuckDB database")
    assert db.read_text(encoding="utf-8") == "meeting notes, not a database\n"


@pytest.mark.parametrize("value", ["abc", "", "-5", "0"])
def test_a_bad_max_article_bytes_setting_is_a_one_line_error(value):
    result = runner.invoke(
        app,
        ["extract", str(SAMPLES / "ankara_talks.txt")],
        env={"DRAGOMAN_MAX_ARTICLE_BYTES": value},
    )
    _one_error_line(result, "DRAGOMAN_MAX_ARTICLE_BYTES", repr(value))
    assert result.stdout == ""


def test_max_article_bytes_setting_still_applies():
    path = str(SAMPLES / "ankara_talks.txt")
    result = runner.invoke(app, ["extract", path], env={"DRAGOMAN_MAX_ARTICLE_BYTES": "100"})
    assert result.exit_code == 1
    assert "too large" in result.stderr


def test_eval_report_folder_is_checked_before_the_evaluation_runs(tmp_path, monkeypatch):
    import dragoman.evaluate.runners

    def must_not_run(*args, **kwargs):
        raise AssertionError("the evaluation must not run")

    monkeypatch.setattr(dragoman.evaluate.runners, "run_plover", must_not_run)
    monkeypatch.setattr(dragoman.evaluate.runners, "run_seeds", must_not_run)
    blocker = tmp_path / "passwd"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    for command in ("plover", "seeds", "times"):
        result = runner.invoke(app, ["eval", command, "--report", str(blocker / "x")])
        _one_error_line(result, "report folder", str(blocker / "x"))
