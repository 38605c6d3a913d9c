"""dragoman explain: why each verb and event noun was coded or dropped, with its lexicon rows."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from dragoman.cli import app
from dragoman.explain import VERDICTS, explain, explain_article
from dragoman.ingest import make_article

runner = CliRunner()
FRIDAY = "2024-05-31"


@pytest.fixture(scope="module", autouse=True)
def _warm(pipeline):
    # the session pipeline loads the model once; the commands below reuse it
    return pipeline


def _article(text: str, article_id: str = "t"):
    return make_article(article_id, text, published=date.fromisoformat(FRIDAY))


def _explained(pipeline, text: str):
    """The candidates of the one sentence of ``text``, by their words."""
    (sentence,) = explain(pipeline, _article(text))
    return sentence, {c.text: c for c in sentence.candidates}


def test_a_coded_verb_shows_its_event_and_row(pipeline):
    sentence, found = _explained(pipeline, "Russia attacked Ukraine on Monday.")
    assert [a["code"] for a in sentence.actors] == ["RUS", "UKR"]
    attacked = found["attacked"]
    assert attacked.verdict == "coded"
    assert attacked.kind == "verb" and attacked.lemma == "attack"
    assert attacked.row is not None
    assert attacked.row.pattern == "attack" and attacked.row.table == "verbs"
    assert attacked.row.cameo == attacked.events[0].cameo == "190"
    assert attacked.row.target == ["dobj"]
    assert attacked.row.origin == "team"
    (event,) = attacked.events
    assert event.plover == "ASSAULT"
    assert event.cameo_label
    assert [a["name"] for a in event.source] == ["Russia"]
    assert [a["name"] for a in event.target] == ["Ukraine"]
    assert event.modality == "asserted"
    assert event.date == "2024-05-27"


def test_an_act_without_a_named_author_is_coded_with_an_empty_source(pipeline):
    _, found = _explained(pipeline, "Three men were detained.")
    detained = found["detained"]
    assert detained.verdict == "coded"
    (event,) = detained.events
    assert event.source == []
    assert event.cameo.startswith("17")


def test_a_nominal_event_nobody_did_is_dropped_with_the_reason(pipeline):
    sentence, found = _explained(pipeline, "The report on the talks was published.")
    talks = found["talks"]
    assert talks.verdict == "no source"
    assert "talks" in talks.detail and "pobj" in talks.detail
    assert talks.row is not None and talks.row.table == "nouns" and talks.row.pattern == "talk"
    assert talks.events == []
    assert sentence.actors == []


def test_a_verb_without_a_row_is_reported(pipeline):
    _, found = _explained(pipeline, "Police painted the road.")
    painted = found["painted"]
    assert painted.verdict == "no row"
    assert "no lexicon row for lemma 'paint'" in painted.detail
    assert painted.row is None and painted.rows == []
    assert "road (dobj)" in painted.attached
    # a noun in the object slot is listed too; the actor in the subject slot is not
    assert found["road"].verdict == "no row"
    assert "Police" not in found


def test_a_verb_whose_rows_did_not_attach_names_them(pipeline):
    _, found = _explained(pipeline, "The minister held a rally.")
    held = found["held"]
    assert held.verdict == "no match"
    assert "rows exist for 'hold' but none matched" in held.detail
    assert "hold talk" in [r.pattern for r in held.rows]
    assert "rally" in held.detail  # the light verb carries the noun event
    assert found["rally"].verdict == "coded"


def test_what_a_coded_verb_threatens_is_governed_and_alternatives_are_listed(pipeline):
    _, found = _explained(pipeline, "Hamas threatened to attack Israel if talks fail.")
    assert found["threatened to attack"].verdict == "coded"
    attack = found["attack"]
    assert attack.verdict == "governed" and "threatened" in attack.detail
    assert found["talks"].verdict == "condition" and "'if'" in found["talks"].detail
    for candidate in found.values():
        assert candidate.verdict in VERDICTS


def test_a_promise_of_force_gives_way_to_the_act_it_promises(pipeline):
    _, found = _explained(pipeline, "The rebels pledged to kill the soldiers.")
    assert found["pledged"].verdict == "promise"
    kill = found["kill"]
    assert kill.verdict == "coded"
    assert kill.events[0].cameo.startswith("13")  # a threat
    assert kill.events[0].modality == "intended"


def test_explain_article_reports_the_publication_date(pipeline):
    explanation = explain_article(pipeline, _article("Russia attacked Ukraine.", "x"))
    assert explanation.article_id == "x"
    assert explanation.published == FRIDAY
    assert explanation.to_dict()["sentences"][0]["candidates"][0]["verdict"] == "coded"


def test_json_output_shape():
    result = runner.invoke(
        app,
        ["explain", "Russia attacked Ukraine on Monday.", "--published", FRIDAY, "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stdout.splitlines() if line.strip()]
    record = json.loads(line)
    assert set(record) == {"article_id", "published", "published_estimated", "sentences"}
    assert record["published"] == FRIDAY
    (sentence,) = record["sentences"]
    assert set(sentence) == {
        "index",
        "text",
        "start",
        "end",
        "note",
        "actors",
        "places",
        "candidates",
    }
    assert sentence["text"] == "Russia attacked Ukraine on Monday."
    (candidate,) = [c for c in sentence["candidates"] if c["verdict"] == "coded"]
    assert set(candidate) == {
        "text",
        "lemma",
        "kind",
        "start",
        "end",
        "verdict",
        "detail",
        "row",
        "alternatives",
        "events",
        "rows",
        "attached",
    }
    assert set(candidate["row"]) == {
        "table",
        "pattern",
        "cameo",
        "cameo_label",
        "target",
        "flags",
        "comment",
        "origin",
    }
    (event,) = candidate["events"]
    assert {
        "plover",
        "cameo",
        "cameo_label",
        "source",
        "target",
        "modality",
        "attribution",
        "date",
    } <= set(event)
    assert event["target"][0]["code"] == "UKR"


def test_text_output_has_one_block_per_sentence_with_verdicts():
    result = runner.invoke(
        app, ["explain", "Russia attacked Ukraine. Police painted the road.", "--published", FRIDAY]
    )
    assert result.exit_code == 0, result.output
    assert "sentence 1" in result.stdout and "sentence 2" in result.stdout
    assert "coded" in result.stdout
    assert "no lexicon row for lemma 'paint'" in result.stdout


def test_a_file_argument_is_read_as_an_article(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Russia attacked Ukraine on Monday.\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", str(story), "--published", FRIDAY, "-f", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip())
    assert record["article_id"] == "story"
    assert record["published"] == FRIDAY
    missing = runner.invoke(app, ["explain", str(tmp_path / "missing.txt")])
    assert missing.exit_code == 1


def test_a_stored_article_is_explained_again(tmp_path):
    db = tmp_path / "store.duckdb"
    story = tmp_path / "kyiv.txt"
    story.write_text(
        " date 2024-05-31\nRussia attacked Ukraine on Monday. Police painted the road.\n",
        encoding="utf-8",
    )
    ingest = runner.invoke(app, ["ingest", str(story), "--db", str(db)])
    assert ingest.exit_code == 0, ingest.output
    result = runner.invoke(app, ["explain", "--article", "kyiv", "--db", str(db), "-f", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip())
    assert record["article_id"] == "kyiv" and record["published"] == FRIDAY
    verdicts = {c["text"]: c["verdict"] for s in record["sentences"] for c in s["candidates"]}
    assert verdicts["attacked"] == "coded"
    assert verdicts["painted"] == "no row"
    unknown = runner.invoke(app, ["explain", "--article", "nope", "--db", str(db)])
    assert unknown.exit_code == 2
    assert "no article 'nope'" in unknown.output


@pytest.mark.parametrize(
    "args",
    [
        ["explain"],
        ["explain", "Russia attacked Ukraine.", "--article", "x"],
        ["explain", "Russia attacked Ukraine.", "--published", "31/05/2024"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, tmp_path):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "error" in result.output
