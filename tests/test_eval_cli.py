"""``dragoman eval`` on tiny gold and prediction files, and the benchmark helpers."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dragoman.evaluate.bench import (
    HISTORY_END,
    HISTORY_START,
    ParallelResult,
    bench_corpus,
    cycle_texts,
    history_row,
    pipeline_analysis,
    run_bench,
    summary_rows,
    write_performance_doc,
)
from dragoman.evaluate.bench_ray import RayTiming
from dragoman.evaluate.cli import eval_app
from dragoman.evaluate.paths import shared_dir

runner = CliRunner()

SEEDS_GOLD = {
    "about": "tiny",
    "articles": {
        "a1": {
            "events": [
                {
                    "id": "G1",
                    "required": True,
                    "what": "Russia meets Iran",
                    "source": ["\\bRUS"],
                    "target": ["\\bIRN"],
                    "roots": ["04"],
                    "date": ["2023-12-01", "2023-12-31"],
                },
                {
                    "id": "G2",
                    "required": True,
                    "what": "Hamas threatens",
                    "source": ["hamas"],
                    "target": [],
                    "roots": ["13"],
                },
            ]
        }
    },
}


def actor(text: str, code: str) -> dict:
    return {"text": text, "name": text, "code": code, "country": code[:3]}


SEEDS_EVENTS = [
    {
        "article_id": "a1",
        "source": [actor("Putin", "RUSGOV")],
        "target": [actor("Raisi", "IRNGOV")],
        "cameo": "040",
        "plover": "CONSULT",
        "date": "2023-12-07",
        "evidence": {"sentence": "Putin met Raisi."},
    },
    {
        "article_id": "a1",
        "source": [actor("Paris", "FRAGOV")],
        "target": [],
        "cameo": "190",
        "plover": "ASSAULT",
        "evidence": {"sentence": "Paris did something odd."},
    },
]

PLOVER_LINES = [
    {
        "id": "p1",
        "text": "Israel struck Gaza.",
        "published": None,
        "gold": {"event": "ASSAULT", "source": [{"actorText": "Israel", "code": "ISRMIL"}]},
    },
    {
        "id": "p2",
        "text": "France asked Iran to talk.",
        "published": None,
        "gold": {"event": "REQUEST", "source": [{"actorText": "France", "code": "FRAGOV"}]},
    },
]

PLOVER_EVENTS = [
    {"article_id": "p1", "plover": "ASSAULT", "source": [actor("Israel", "ISRMIL")]},
    {"article_id": "p2", "plover": "CONSULT", "source": [actor("France", "FRAGOV")]},
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def seeds_files(tmp_path: Path) -> tuple[Path, Path]:
    gold = tmp_path / "seeds_gold.json"
    gold.write_text(json.dumps(SEEDS_GOLD), encoding="utf-8")
    return gold, write_jsonl(tmp_path / "seeds_pred.jsonl", SEEDS_EVENTS)


@pytest.fixture
def plover_files(tmp_path: Path) -> tuple[Path, Path]:
    gold = write_jsonl(tmp_path / "plover.jsonl", PLOVER_LINES)
    return gold, write_jsonl(tmp_path / "plover_pred.jsonl", PLOVER_EVENTS)


def invoke(*args: str):
    return runner.invoke(eval_app, [str(a) for a in args])


def test_seeds_json_output(seeds_files):
    gold, predictions = seeds_files
    result = invoke("seeds", "--gold", gold, "--predictions", predictions, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["required_found"], data["required_total"]) == (1, 2)
    assert data["required_recall"] == 0.5
    assert data["precision"] == 0.5
    assert (data["dates_correct"], data["dates_checked"]) == (1, 1)
    assert [m["gold_id"] for m in data["missed"]] == ["G2"]
    assert data["spurious"][0]["sentence"] == "Paris did something odd."


def test_seeds_text_output_is_a_readable_report(seeds_files):
    gold, predictions = seeds_files
    result = invoke("seeds", "--gold", gold, "--predictions", predictions)
    assert result.exit_code == 0, result.output
    assert "required recall" in result.stdout
    assert "0.500" in result.stdout
    assert "Paris did something odd." in result.stdout


def test_plover_json_output(plover_files):
    gold, predictions = plover_files
    result = invoke("plover", "--gold", gold, "--predictions", predictions, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["records"] == 2
    assert (data["types"]["tp"], data["types"]["fp"], data["types"]["fn"]) == (1, 1, 1)
    assert data["pairs"]["precision"] == 0.5
    assert data["type_recall_at_article"] == 0.5
    assert data["confusion"] == {"ASSAULT": {"ASSAULT": 1}, "REQUEST": {"CONSULT": 1}}
    assert [e["id"] for e in data["errors"]] == ["p2"]


def test_plover_text_output(plover_files):
    gold, predictions = plover_files
    result = invoke("plover", "--gold", gold, "--predictions", predictions)
    assert result.exit_code == 0, result.output
    assert "type recall@article" in result.stdout
    assert "France asked Iran to talk." in result.stdout


def test_predictions_grouped_by_article_are_accepted(plover_files, tmp_path: Path):
    gold, _ = plover_files
    grouped = write_jsonl(
        tmp_path / "grouped.jsonl",
        [{"id": "p1", "events": [{"plover": "ASSAULT", "source": [actor("Israel", "ISR")]}]}],
    )
    result = invoke("plover", "--gold", gold, "--predictions", grouped, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["types"]["tp"] == 1


def test_seeds_report_folder(seeds_files, tmp_path: Path):
    gold, predictions = seeds_files
    folder = tmp_path / "seeds_report"
    result = invoke("seeds", "--gold", gold, "--predictions", predictions, "--report", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "report.html",
        "report.md",
        "seeds_scores.png",
    ]
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert "![Headline scores](seeds_scores.png)" in markdown
    assert "| required recall | 0.500 | 1/2 |" in markdown
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html
    assert "Paris did something odd." in html


def test_plover_report_folder(plover_files, tmp_path: Path):
    gold, predictions = plover_files
    folder = tmp_path / "plover_report"
    result = invoke("plover", "--gold", gold, "--predictions", predictions, "--report", folder)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["confusion.png", "per_type.png", "report.html", "report.md"]
    assert (folder / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 2


@pytest.mark.parametrize("command", ["seeds", "plover", "times"])
def test_missing_gold_exits_2_with_one_line(command: str, tmp_path: Path):
    missing = tmp_path / "nope.json"
    result = invoke(command, "--gold", missing)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: gold file not found:") and "nope.json" in lines[0]


def test_missing_predictions_exits_2(seeds_files, tmp_path: Path):
    gold, _ = seeds_files
    result = invoke("seeds", "--gold", gold, "--predictions", tmp_path / "none.jsonl")
    assert result.exit_code == 2
    assert "predictions file not found" in result.stderr


def test_malformed_predictions_exit_2(seeds_files, tmp_path: Path):
    gold, _ = seeds_files
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = invoke("seeds", "--gold", gold, "--predictions", bad)
    assert result.exit_code == 2
    assert "bad.jsonl:1: not JSON" in result.stderr


def test_malformed_gold_exits_2(tmp_path: Path, plover_files):
    _, predictions = plover_files
    bad = write_jsonl(tmp_path / "bad_gold.jsonl", [{"id": "x"}])
    result = invoke("plover", "--gold", bad, "--predictions", predictions)
    assert result.exit_code == 2
    assert "not a PLOVER gold record" in result.stderr


def test_run_bench_warms_both_then_times_them_in_turns_batch_by_batch():
    calls: list[tuple[str, int]] = []

    def analyse(articles):
        calls.append(("pipeline", len(articles)))
        assert all(a.id.startswith("bench-") for a in articles)
        return 2 * len(articles)

    texts = cycle_texts(["one two three", "four five"], 5)
    result = run_bench(
        analyse,
        texts,
        floor_fn=lambda batch: calls.append(("floor", len(batch))),
        repeats=2,
        turn=2,
    )
    # one untimed pass of each over everything, then turns of 2 articles, twice
    turns = [("pipeline", 2), ("floor", 2), ("pipeline", 2), ("floor", 2)]
    turns += [("pipeline", 1), ("floor", 1)]
    assert calls == [("pipeline", 5), ("floor", 5), *turns, *turns]
    assert (result.extract.articles, result.extract.words, result.events) == (5, 13, 10)
    assert len(result.extract_runs) == len(result.floor_runs) == 2
    assert result.extract.seconds == min(result.extract_runs)
    assert result.floor is not None and result.floor.seconds == min(result.floor_runs)
    assert result.slowdown == result.extract.seconds / result.floor.seconds
    assert result.peak_rss_bytes > 10 * 2**20


def test_bench_targets_say_which_are_met():
    result = run_bench(lambda articles: 0, ["a b c"], floor_fn=lambda batch: None)
    result.extract.seconds, result.floor.seconds = 9.0, 10.0
    result.parallel = ParallelResult(2, [10.0], [6.5], [2**30])
    result.ray = RayTiming(2, 300, seconds=9.0, job_seconds=30.0, events=600)
    verdicts = dict(result.targets())
    assert verdicts["pipeline ÷ spaCy floor ≤ 1"] == "met: 0.90x"
    assert verdicts["--workers N speed-up over --workers 1 ≥ 1.7"] == "NOT met: 1.54x"
    assert verdicts["Ray ÷ --workers N ≤ 1.25"] == "NOT met: 1.38x"
    rows = dict(summary_rows(result))
    assert rows["Ray ÷ --workers 2"] == "1.38x"
    assert rows["target: Ray ÷ --workers N ≤ 1.25"] == "NOT met: 1.38x"
    assert history_row(result).endswith("| 1.54x | 1.38x |")
    alone = run_bench(lambda articles: 0, ["a b c"])
    assert dict(alone.targets())["Ray ÷ --workers N ≤ 1.25"] == "not measured"


def test_pipeline_analysis_refuses_a_pass_that_left_articles_out():
    from dragoman.records import Article

    class Failing:
        def annotate_many(self, articles, on_error):
            on_error("article bench-00000: out of time")
            return []

    with pytest.raises(RuntimeError, match="left out"):
        pipeline_analysis(Failing())([Article(id="bench-00000", text="x")])


def test_performance_doc_keeps_history_and_replaces_latest(tmp_path: Path):
    doc = tmp_path / "performance.md"
    first = run_bench(lambda articles: 0, ["a b c"], machine={"model": "m1"})
    write_performance_doc(first, doc)
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA note kept by hand.\n", encoding="utf-8")
    second = run_bench(lambda articles: 0, ["a b c", "d"], machine={"model": "m2"})
    write_performance_doc(second, doc)
    text = doc.read_text(encoding="utf-8")
    assert text.count("Measured ") == 1
    assert "| articles | 2 |" in text and "| model | m2 |" in text
    history = text.split(HISTORY_START)[1].split(HISTORY_END)[0]
    assert [line.split("|")[8].strip() for line in history.splitlines() if "UTC" in line] == [
        "m1",
        "m2",
    ]
    assert "A note kept by hand." in text


def test_bench_corpus_reads_all_shared_texts():
    root = shared_dir()
    if not (root / "data").is_dir():
        pytest.skip(f"shared data not found at {root} (set DRAGOMAN_SHARED)")
    texts = bench_corpus(root)
    assert len(texts) == 2 + 164 + 120
    assert cycle_texts(texts, 300)[286] == texts[0]


class FakePipeline:
    """Stands in for dragoman.pipeline.Pipeline: one fixed event per article."""

    def extract(self, article):
        from dragoman.records import ActorRef, Event, Evidence

        russia = ActorRef("Putin", 0, 5, "Vladimir Putin", "RUSGOV", "RUS")
        iran = ActorRef("Raisi", 10, 15, "Ebrahim Raisi", "IRNGOV", "IRN")
        sentence = article.text.splitlines()[0]
        return [
            Event(
                article_id=article.id,
                source=[russia],
                target=[iran],
                cameo="040",
                cameo_label="Consult",
                plover="CONSULT",
                plover_mode=None,
                quad_class=1,
                goldstein=1.0,
                evidence=Evidence(sentence, 0, len(sentence), "met", 6, 9),
                date="2023-12",
            )
        ]


@pytest.fixture
def fake_pipeline(monkeypatch):
    module = types.ModuleType("dragoman.pipeline")
    module.Pipeline = FakePipeline
    monkeypatch.setitem(sys.modules, "dragoman.pipeline", module)


def test_seeds_runs_the_pipeline_on_the_gold_articles(seeds_files, tmp_path: Path, fake_pipeline):
    gold, _ = seeds_files
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a1.txt").write_text("Putin met Raisi in Tehran.\n", encoding="utf-8")
    (texts / "other.txt").write_text("Not in the gold.\n", encoding="utf-8")
    result = invoke("seeds", "--gold", gold, "--texts", texts, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["required_found"], data["extracted_total"], data["precision"]) == (1, 1, 1.0)
    assert (data["dates_correct"], data["dates_checked"]) == (1, 1)
    assert data["ignored_events"] == 0


def test_seeds_reports_unreadable_articles_and_goes_on(seeds_files, tmp_path: Path, fake_pipeline):
    gold, _ = seeds_files
    empty = tmp_path / "empty_texts"
    empty.mkdir()
    result = invoke("seeds", "--gold", gold, "--texts", empty, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "a1.txt: no such file" in result.stderr
    assert json.loads(result.stdout)["required_recall"] == 0.0


def test_plover_runs_the_pipeline_on_each_record(plover_files, fake_pipeline):
    gold, _ = plover_files
    result = invoke("plover", "--gold", gold, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["confusion"] == {"ASSAULT": {"CONSULT": 1}, "REQUEST": {"CONSULT": 1}}
    assert data["pairs"]["fp"] == 2


TIMES_TEXT = "Talks end\nMarch 01, 2008\nThe talks ended on Monday."
TIMES_GOLD_LINE = {
    "id": "t1",
    "text": TIMES_TEXT,
    "published": "2008-03-01",
    "gold": {
        "times": [
            {
                "start": 10,
                "end": 24,
                "text": "March 01, 2008",
                "type": "DATE",
                "value": "2008-03-01",
            },
            {"start": 44, "end": 50, "text": "Monday", "type": "DATE", "value": "2008-02-25"},
        ]
    },
}


def test_times_with_predictions_and_report(tmp_path: Path):
    gold = write_jsonl(tmp_path / "times.jsonl", [TIMES_GOLD_LINE])
    first = TIMES_GOLD_LINE["gold"]["times"][0]
    predictions = write_jsonl(
        tmp_path / "times_pred.jsonl", [{"article_id": "t1", "times": [first]}]
    )
    folder = tmp_path / "times_report"
    result = invoke(
        "times",
        "--gold",
        gold,
        "--predictions",
        predictions,
        "--format",
        "json",
        "--report",
        folder,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["strict"]["tp"], data["strict"]["fp"], data["strict"]["fn"]) == (1, 0, 1)
    assert {"report.md", "report.html"} <= {p.name for p in folder.iterdir()}


def test_times_predictions_need_offsets_type_and_value(tmp_path: Path):
    gold = write_jsonl(tmp_path / "times.jsonl", [TIMES_GOLD_LINE])
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"article_id": "t1", "times": [{"start": 1}]}])
    result = invoke("times", "--gold", gold, "--predictions", bad)
    assert result.exit_code == 2
    assert "needs start, end, type and value" in result.stderr


def test_text_report_shows_brackets_in_sentences_literally(seeds_files, tmp_path: Path):
    gold, _ = seeds_files
    odd = dict(SEEDS_EVENTS[1], evidence={"sentence": "Paris [/said] it [red]would[/red] act."})
    predictions = write_jsonl(tmp_path / "odd.jsonl", [odd])
    result = invoke("seeds", "--gold", gold, "--predictions", predictions)
    assert result.exit_code == 0, result.output
    assert "[/said]" in result.stdout and "[red]would[/red]" in result.stdout
