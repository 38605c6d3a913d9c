"""``dragoman eval ... --coder both``: each coder's figures and their agreement per type,
on a small gold file of our own, against a fake OpenAI-compatible server (test_llm.py)."""

from __future__ import annotations

import json

import pytest
from test_llm import FakeServer, down_url, talks
from typer.testing import CliRunner

from dragoman.cli import app
from dragoman.evaluate.coders import agreement

runner = CliRunner()


def _event(article: str, plover: str) -> dict:
    return {"article_id": article, "plover": plover, "cameo": "040"}


def test_agreement_counts_gold_items_per_type():
    rules = [_event("a", "CONSULT"), _event("b", "CONSULT"), _event("b", "ASSAULT")]
    model = [_event("a", "CONSULT"), _event("a", "ACCUSE"), _event("c", "ASSAULT")]
    table = agreement(rules, model)
    assert table["CONSULT"].to_dict() == {
        "both": 1,
        "rules_only": 1,
        "model_only": 0,
        "agreement": 0.667,
    }
    assert table["ACCUSE"].agreement == 0.0
    assert table["ASSAULT"].to_dict()["rules_only"] == 1
    assert table["ASSAULT"].to_dict()["model_only"] == 1
    assert list(table)[-1] == "all" and table["all"].both == 1


@pytest.fixture
def gold(tmp_path):
    records = [
        {
            "id": "g1",
            "text": "Iran and Russia held talks in Moscow on Thursday.",
            "gold": {"event": "CONSULT", "source": [{"code": "IRN"}]},
        },
        {
            "id": "g2",
            "text": "Iran accused Russia of lying.",
            "gold": {"event": "ACCUSE", "source": [{"code": "IRN"}]},
        },
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.slow
def test_eval_plover_with_both_coders_reports_each_and_their_agreement(
    pipeline, gold, tmp_path, monkeypatch
):
    server = FakeServer(
        {
            "held talks": [talks(date=None, place=None)],
            "accused": [
                talks(trigger="accused", cameo="112", plover="ACCUSE", date=None, place=None)
            ],
        }
    )
    monkeypatch.setenv("DRAGOMAN_LLM_URL", server.url)
    monkeypatch.setenv("DRAGOMAN_LLM_CACHE", "off")
    try:
        result = runner.invoke(
            app, ["eval", "plover", "--gold", str(gold), "--coder", "both", "--format", "json"]
        )
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    coders = data["coders"]
    assert coders["llm"]["per_type"]["CONSULT"]["tp"] == 1
    assert coders["llm"]["per_type"]["ACCUSE"]["tp"] == 1
    assert coders["agreement"]["all"]["both"] >= 1
    assert data["model_coder"]["requests"] == 2
    text = runner.invoke(app, ["eval", "plover", "--gold", str(gold), "--coder", "both"])
    assert "Agreement of the coders per type" in text.stdout


def test_eval_with_the_llm_coder_and_the_server_down_exits_2(gold, monkeypatch):
    monkeypatch.setenv("DRAGOMAN_LLM_URL", down_url())
    monkeypatch.setenv("DRAGOMAN_LLM_RETRIES", "0")
    result = runner.invoke(app, ["eval", "plover", "--gold", str(gold), "--coder", "llm"])
    assert result.exit_code == 2
    assert "cannot reach" in result.stderr
