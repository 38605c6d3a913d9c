"""`dragoman events --merge` and `merge=true`: one row per incident, agreeing with
`dragoman incidents`, and the date index of the grouping changing nothing it groups."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dragoman.cli import app
from dragoman.formats.gdelt import GDELT_COLUMNS
from dragoman.incidents import IncidentIndex, group_reports, report_from_event

runner = CliRunner()

SIDES = [
    {"name": "Russia", "code": "RUS", "country": "RUS", "kind": "state"},
    {"name": "Hamas", "code": "PSEREBHMS", "country": "PSE", "kind": "group"},
    {"name": "Egypt", "code": "EGY", "country": "EGY", "kind": "state"},
    {"name": "Qatar", "code": "QAT", "country": "QAT", "kind": "state"},
]


def _random_event(rng: random.Random, n: int) -> dict:
    """A report with random sides, code, modality and dates: day-precise, a range, a long
    range ("in 2024") or none."""
    source, target = rng.sample(SIDES, 2)
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(60))
    shape = rng.random()
    if shape < 0.55:
        start, end = day, day
    elif shape < 0.75:
        start, end = day, day + timedelta(days=rng.randrange(3, 20))
    elif shape < 0.85:
        start, end = date(2024, 1, 1), date(2024, 12, 31)
    else:
        start = end = None
    sentence = f"{source['name']} met {target['name']} about the {rng.choice(['truce', 'talks'])}."
    return {
        "event_id": f"e{n:04d}",
        "article_id": f"a{n // 3:04d}",
        "cameo": rng.choice(["040", "043", "036", "112"]),
        "plover": None,
        "modality": rng.choice(["asserted", "asserted", "reported", "intended"]),
        "source": [source],
        "target": [target] if rng.random() < 0.9 else [],
        "attribution": [],
        "date_start": start.isoformat() if start else None,
        "date_end": end.isoformat() if end else None,
        "location": None,
        "evidence": {"sentence": sentence, "start": n, "end": n + len(sentence),
                     "trigger": "met", "trigger_start": n, "trigger_end": n + 3},
        "confidence": rng.choice([0.6, 0.7, 0.8]),
    }  # fmt: skip


def _grouping(index: IncidentIndex) -> list[tuple[str, list[str], list[float]]]:
    return [
        (i.id, [r.event_id for r in i.reports], i.join_scores) for i in index.incidents.values()
    ]


def test_the_date_index_groups_exactly_as_weighing_every_incident(monkeypatch):
    rng = random.Random(7)
    reports = [report_from_event(_random_event(rng, n)) for n in range(400)]
    indexed = group_reports(reports)
    assert len(indexed) < len(reports), "some reports must join others for the test to bite"
    # Every incident weighed: each report is filed as "wide" and looks at all of its sides.
    monkeypatch.setattr(IncidentIndex, "_buckets", lambda self, report: None)
    everything = group_reports(reports)
    assert _grouping(indexed) == _grouping(everything)


# -- on the samples and the seeds --------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, shared_dir: Path) -> Path:
    """The samples and the seeds stored as ``make demo`` stores them."""
    db = tmp_path_factory.mktemp("merge") / "demo.duckdb"
    samples = Path(__file__).resolve().parents[1] / "samples"
    result = runner.invoke(
        app, ["ingest", str(samples), str(shared_dir / "seeds"), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return db


def _out(db: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("filters", [[], ["--actor", "Hamas"], ["--since", "2024-03-01"]])
def test_merged_rows_are_the_incidents_with_a_report_passing_the_filters(seeds_db, filters):
    incidents = _jsonl(_out(seeds_db, "incidents", "--format", "jsonl", "--limit", "100000"))
    of_event = {r["event_id"]: i for i in incidents for r in i["report_list"]}
    passing = _jsonl(_out(seeds_db, "events", "--format", "jsonl", "--limit", "100000", *filters))
    wanted = {of_event[e["event_id"]]["incident_id"] for e in passing}
    assert 0 < len(wanted) < len(passing) or not filters

    merged = _jsonl(
        _out(seeds_db, "events", "--merge", "--format", "jsonl", "--limit", "100000", *filters)
    )
    assert len(merged) == len(wanted)
    assert {m["incident_id"] for m in merged} == wanted
    by_id = {i["incident_id"]: i for i in incidents}
    for row in merged:
        incident = by_id[row["incident_id"]]
        assert row["reports"] == incident["reports"]
        assert row["report_articles"] == incident["articles"]
        assert row["report_sources"] == len(incident["outlets"])
        assert row["incident_date_start"] == incident["date_start"]
        # The row's report is one that passes the filters.
        assert row["event_id"] in {e["event_id"] for e in passing}
    if not filters:
        # With no filter each incident is named by the report `dragoman incidents` shows.
        assert [m["incident_id"] for m in merged] == [i["incident_id"] for i in incidents]
        assert [m["evidence"]["sentence"] for m in merged] == [i["evidence"] for i in incidents]

    text = _out(seeds_db, "events", "--merge", "--format", "csv", "--limit", "100000", *filters)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["incident_id"] for r in rows] == [m["incident_id"] for m in merged]
    assert [int(r["reports"]) for r in rows] == [m["reports"] for m in merged]

    gdelt = _out(seeds_db, "events", "--merge", "--format", "gdelt", "--limit", "100000", *filters)
    lines = [line.split("\t") for line in gdelt.splitlines() if line.strip()]
    assert len(lines) == len(merged)
    column = {name: n for n, name in enumerate(GDELT_COLUMNS)}
    counts = [
        tuple(int(line[column[c]]) for c in ("NumMentions", "NumSources", "NumArticles"))
        for line in lines
    ]
    assert counts == [
        (m["reports"], m["report_sources"], len(m["report_articles"])) for m in merged
    ]


@pytest.mark.slow
def test_limit_counts_merged_rows_and_the_note_says_how_many_match(seeds_db):
    everything = _jsonl(_out(seeds_db, "events", "--merge", "--format", "jsonl"))
    result = runner.invoke(
        app, ["events", "--db", str(seeds_db), "--merge", "--format", "jsonl", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    assert _jsonl(result.stdout) == everything[:3]
    assert f"3 of {len(everything)} matching merged events" in result.stderr
