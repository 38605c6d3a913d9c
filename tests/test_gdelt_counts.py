"""GDELT's NumMentions, NumSources and NumArticles come from incidents: an event told by
two outlets counts two mentions, sources and articles, from the command line and the API.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dragoman.cli import app
from dragoman.formats.gdelt import GDELT_COLUMNS
from dragoman.web import create_app

# Two outlets' own wording of one meeting, and a third story about something else.
ARTICLES = [
    {
        "id": "wire-a",
        "text": "Egyptian Foreign Minister Sameh Shoukry met Qatari Prime Minister Mohammed "
        "bin Abdulrahman Al Thani in Cairo on Monday to discuss a ceasefire in Gaza.",
        "published": "2024-05-21",
        "source": "Wire A",
    },
    {
        "id": "paper-b",
        "text": "Qatar's prime minister held talks with Egyptian Foreign Minister Sameh "
        "Shoukry in Cairo on Monday about a truce in Gaza.",
        "published": "2024-05-21",
        "source": "Paper B",
    },
    {
        "id": "paper-c",
        "text": "Kenya expelled two Somali diplomats on Friday.",
        "published": "2024-05-25",
        "source": "Paper C",
    },
]

COUNTS = ["NumMentions", "NumSources", "NumArticles"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gdelt")
    source = folder / "news.jsonl"
    source.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    db = folder / "news.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(source), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return db


def _table(text: str) -> pd.DataFrame:
    return pd.read_csv(
        io.StringIO(text), sep="\t", header=None, names=list(GDELT_COLUMNS), dtype=str
    )


def _counts(table: pd.DataFrame) -> list[tuple[str, ...]]:
    return sorted(tuple(row) for row in table[["EventCode", *COUNTS]].itertuples(index=False))


def test_the_command_line_counts_the_reports_of_each_events_incident(store: Path) -> None:
    result = CliRunner().invoke(app, ["events", "--db", str(store), "--format", "gdelt"])
    assert result.exit_code == 0, result.output
    table = _table(result.stdout)
    meeting = table[table["EventCode"].str.startswith("04")]
    assert len(meeting) == 2
    assert (meeting[COUNTS] == "2").all().all()
    other = table[~table["EventCode"].str.startswith("04")]
    assert len(other) >= 1 and (other[COUNTS] == "1").all().all()


def test_the_api_export_gives_the_same_counts(store: Path) -> None:
    cli = CliRunner().invoke(app, ["events", "--db", str(store), "--format", "gdelt"])
    with TestClient(create_app(store)) as client:
        answer = client.get("/api/events", params={"format": "gdelt"})
    assert answer.status_code == 200
    assert _counts(_table(answer.text)) == _counts(_table(cli.stdout))
