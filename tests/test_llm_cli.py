"""``--coder rules|llm|both`` on the command line, against a fake OpenAI-compatible server
on 127.0.0.1 (see test_llm.py): what a user sees when the server answers, and when it is
down."""

from __future__ import annotations

import json

import duckdb
import pytest
from test_llm import FakeServer, down_url, talks
from typer.testing import CliRunner

from dragoman.cli import app

runner = CliRunner()
TEXT = "Iran and Russia held talks in Moscow on Thursday.\n"


@pytest.fixture(scope="module", autouse=True)
def _warm(pipeline):
    # build the pipeline once so each command reuses the loaded model
    return pipeline


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "talks.txt"
    path.write_text(" date 2024-05-31\n\n" + TEXT, encoding="utf-8")
    return path


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("DRAGOMAN_LLM_CACHE", str(tmp_path / "answers.sqlite"))
    monkeypatch.setenv("DRAGOMAN_LLM_RETRIES", "0")
    monkeypatch.setenv("DRAGOMAN_LLM_TIMEOUT", "5")
    monkeypatch.delenv("DRAGOMAN_CODER", raising=False)
    return monkeypatch


def events_of(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_both_with_the_server_down_gives_the_rules_events_and_one_error_line(env, article):
    rules = runner.invoke(app, ["extract", str(article), "-f", "jsonl"])
    assert rules.exit_code == 0 and events_of(rules)
    env.setenv("DRAGOMAN_LLM_URL", down_url())
    both = runner.invoke(app, ["extract", str(article), "-f", "jsonl", "--coder", "both"])
    assert both.exit_code == 0, both.output
    assert events_of(both) == events_of(rules)
    errors = [line for line in lines(both.stderr) if line.startswith("error")]
    assert len(errors) == 1 and "cannot reach http://127.0.0.1:" in errors[0]


def test_llm_with_the_server_down_exits_2_with_one_line(env, article):
    env.setenv("DRAGOMAN_LLM_URL", down_url())
    result = runner.invoke(app, ["extract", str(article), "-f", "jsonl", "--coder", "llm"])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = lines(result.stderr)
    assert line.startswith("error cannot reach http://127.0.0.1:")


def test_llm_without_an_address_exits_2_naming_the_setting(env, article):
    env.delenv("DRAGOMAN_LLM_URL", raising=False)
    result = runner.invoke(app, ["extract", str(article), "--coder", "llm"])
    assert result.exit_code == 2
    assert "DRAGOMAN_LLM_URL is not set" in result.stderr


def test_extract_both_marks_each_event_with_its_coder(env, article):
    accuse = talks(trigger="talks", cameo="111", plover="ACCUSE", date=None, place=None)
    server = FakeServer({"Iran": [talks(), accuse]})
    try:
        env.setenv("DRAGOMAN_LLM_URL", server.url)
        env.setenv("DRAGOMAN_LLM_API_KEY", "sk-never-shown")
        result = runner.invoke(app, ["extract", str(article), "-f", "jsonl", "--coder", "both"])
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    coders = {(e["plover"], e["coder"], e["coders_agree"]) for e in events_of(result)}
    assert ("CONSULT", "both", True) in coders and ("ACCUSE", "llm", False) in coders
    summary = lines(result.stderr)[-1]
    assert "1 sentences answered" in summary and "requests/s" in summary
    assert "sk-never-shown" not in result.output + result.stderr


def test_ingest_both_stores_which_coder_found_each_event(env, article, tmp_path):
    accuse = talks(trigger="talks", cameo="111", plover="ACCUSE", date=None, place=None)
    server = FakeServer({"Iran": [talks(), accuse]})
    db = tmp_path / "events.duckdb"
    try:
        env.setenv("DRAGOMAN_LLM_URL", server.url)
        result = runner.invoke(
            app, ["ingest", str(article), "--db", str(db), "--coder", "both", "--workers", "1"]
        )
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    rows = set(con.execute("SELECT plover, coder, coders_agree FROM events").fetchall())
    con.close()
    assert ("CONSULT", "both", True) in rows and ("ACCUSE", "llm", False) in rows
