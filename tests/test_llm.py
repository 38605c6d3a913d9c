"""The model coder against a fake OpenAI-compatible server on 127.0.0.1: the protocol,
the checks every answer goes through, the cache, the budget, failures, and the
combination with the rules' events. The real llama.cpp server is in test_llm_server.py."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dragoman.llm import LLMCoder, LLMSettings
from dragoman.llm.cache import ResponseCache, cache_key
from dragoman.llm.checks import INVENTED_SPAN, UNKNOWN_ACTOR, UNKNOWN_CODE, UNKNOWN_DATE
from dragoman.llm.client import ChatClient, RequestFailed, ServerRefused, ServerUnavailable
from dragoman.llm.coder import MALFORMED, SCHEMA
from dragoman.llm.combine import combine
from dragoman.llm.prompt import load_prompt
from dragoman.llm.schema import answer_schema, event_errors
from dragoman.records import ActorRef, Article, Event, Evidence

TEXT = "Iran and Russia held talks in Moscow on Thursday."
KEY = "sk-test-secret-key"


def talks(**changes) -> dict:
    """A valid answer's event for TEXT, with ``changes``."""
    event = {
        "trigger": "held talks",
        "source": "Iran",
        "target": "Russia",
        "plover": "CONSULT",
        "plover_mode": None,
        "cameo": "040",
        "modality": "asserted",
        "date": "Thursday",
        "place": "Moscow",
    }
    event.update(changes)
    return event


class FakeServer:
    """An OpenAI-compatible server whose answers are scripted by the sentence asked about.

    ``script`` maps a word of the sentence to a behaviour: a list of events (answered as
    JSON), ``"malformed"`` (text that is not JSON), ``("slow", seconds, events)``,
    ``500``, ``401``. ``refuse_json_schema`` answers 400 to ``response_format`` of type
    ``json_schema``, as servers without that form do."""

    def __init__(self, script: dict, refuse_json_schema: bool = False) -> None:
        self.script = script
        self.refuse_json_schema = refuse_json_schema
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/v1/models":
                    self._send(200, {"object": "list", "data": [{"id": "fake-model"}]})
                else:
                    self._send(404, {"error": {"message": "no such path"}})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                server.headers.append(dict(self.headers))
                form = body.get("response_format", {}).get("type")
                if server.refuse_json_schema and form == "json_schema":
                    # 400 as most servers; llama-cpp-python's answers 500 naming the field
                    status = 400 if server.refuse_json_schema is True else 500
                    message = "body.response_format.type: Input should be 'text' or 'json_object'"
                    self._send(status, {"error": {"message": message}})
                    return
                sentence = body["messages"][-1]["content"]
                behaviour = next((b for w, b in server.script.items() if w in sentence), [])
                if behaviour in (500, 401):
                    self._send(behaviour, {"error": {"message": f"scripted {behaviour}"}})
                    return
                if isinstance(behaviour, tuple):
                    _, seconds, behaviour = behaviour
                    time.sleep(seconds)
                content = (
                    "this is not JSON {"
                    if behaviour == "malformed"
                    else json.dumps({"events": behaviour})
                )
                self._send(
                    200,
                    {
                        "choices": [{"message": {"role": "assistant", "content": content}}],
                        "usage": {"prompt_tokens": 100, "completion_tokens": 20},
                    },
                )

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake():
    servers: list[FakeServer] = []

    def start(script: dict, **options) -> FakeServer:
        server = FakeServer(script, **options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def down_url() -> str:
    """The address of a port on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def settings(url: str, tmp_path: Path, **changes) -> LLMSettings:
    values = {
        "url": url,
        "model": None,
        "api_key": KEY,
        "coder": "both",
        "policy": "union",
        "timeout": 2.0,
        "concurrency": 2,
        "retries": 1,
        "answer_tokens": 256,
        "token_budget": None,
        "time_budget": None,
        "cache": tmp_path / "cache.sqlite",
    }
    values.update(changes)
    return LLMSettings(**values)


def no_sleep(seconds: float) -> None:
    pass


# -- the prompt and the schema -------------------------------------------------------------


def test_prompt_file_is_versioned_and_its_codes_are_in_the_ontology():
    prompt = load_prompt()
    assert prompt.version >= 1
    assert "040" in prompt.cameo and prompt.cameo["040"][1] == "CONSULT"
    system, user = prompt.messages(TEXT)
    assert TEXT in user["content"] and "CONSULT" in system["content"]


def test_prompt_file_with_a_code_not_in_the_tables_is_refused_naming_the_line(tmp_path):
    from dragoman.ontology import DataFileError
    from dragoman.ontology.tsv import data_path

    text = data_path("llm", "prompt.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "prompt.yaml"
    bad.write_text(text.replace('"040": ["Consult', '"049": ["Consult'), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"prompt.yaml, line \d+: CAMEO code 049"):
        load_prompt(bad)


def test_schema_accepts_a_valid_event_and_names_what_is_wrong_with_a_bad_one():
    assert event_errors(talks()) is None
    assert "plover" in event_errors(talks(plover="CHAT"))
    assert event_errors({"trigger": "met"}) is not None
    assert answer_schema()["properties"]["events"]["items"]["additionalProperties"] is False


# -- the client ----------------------------------------------------------------------------


def test_request_asks_for_the_schema_and_sends_the_key_only_as_a_header(fake):
    server = fake({"Iran": [talks()]})
    client = ChatClient(server.url, None, KEY, timeout=2, retries=0)
    reply = client.ask(load_prompt().messages(TEXT), answer_schema())
    assert json.loads(reply.content) == {"events": [talks()]}
    assert reply.tokens == 120
    body = server.requests[0]
    assert body["model"] == "fake-model"  # the server's first model when none is set
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == answer_schema()
    assert body["temperature"] == 0
    assert server.headers[0]["Authorization"] == f"Bearer {KEY}"
    assert KEY not in json.dumps(body)


@pytest.mark.parametrize("refusal", [True, 500])
def test_server_without_json_schema_is_asked_with_json_object_and_the_schema(fake, refusal):
    server = fake({"Iran": [talks()]}, refuse_json_schema=refusal)
    client = ChatClient(server.url, "m", timeout=2, retries=0)
    reply = client.ask(load_prompt().messages(TEXT), answer_schema())
    assert json.loads(reply.content)["events"][0]["cameo"] == "040"
    assert [r["response_format"]["type"] for r in server.requests] == ["json_schema", "json_object"]
    assert server.requests[1]["response_format"]["schema"] == answer_schema()
    client.ask(load_prompt().messages(TEXT), answer_schema())
    assert server.requests[2]["response_format"]["type"] == "json_object"  # remembered


def test_server_error_is_retried_then_reported_on_one_line(fake):
    server = fake({"Iran": 500})
    pauses: list[float] = []
    client = ChatClient(server.url, "m", timeout=2, retries=2, sleep=pauses.append)
    with pytest.raises(RequestFailed) as caught:
        client.ask(load_prompt().messages(TEXT), answer_schema())
    assert len(server.requests) == 3
    assert pauses == [0.5, 1.0]  # growing pauses between tries
    assert "answered 500: scripted 500" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_slow_server_times_out(fake):
    server = fake({"Iran": ("slow", 3, [talks()])})
    client = ChatClient(server.url, "m", timeout=0.5, retries=0)
    started = time.monotonic()
    with pytest.raises(RequestFailed, match="no answer within 0.5 s"):
        client.ask(load_prompt().messages(TEXT), answer_schema())
    assert time.monotonic() - started < 2.5


def test_server_down_is_unavailable_and_refusal_never_shows_the_key(fake):
    with pytest.raises(ServerUnavailable, match="cannot reach http://127.0.0.1:"):
        ChatClient(down_url(), "m", KEY, timeout=1, retries=1, sleep=no_sleep).models()
    server = fake({"Iran": 401})
    with pytest.raises(ServerRefused) as caught:
        ChatClient(server.url, "m", KEY, timeout=1, retries=3).ask(
            load_prompt().messages(TEXT), answer_schema()
        )
    assert "answered 401" in str(caught.value) and KEY not in str(caught.value)
    assert len(server.requests) == 1  # a refusal is not retried


# -- the cache -----------------------------------------------------------------------------


def test_cache_key_depends_on_model_prompt_version_and_sentence(tmp_path):
    keys = {
        cache_key("m", 1, TEXT),
        cache_key("n", 1, TEXT),
        cache_key("m", 2, TEXT),
        cache_key("m", 1, TEXT + " "),
    }
    assert len(keys) == 4
    cache = ResponseCache(tmp_path / "sub" / "c.sqlite")
    cache.put("k", "answer", 5)
    cache.put("k", "other", 6)
    assert cache.get("k") == "answer" and cache.get("x") is None
    cache.close()
    assert ResponseCache(tmp_path / "sub" / "c.sqlite").get("k") == "answer"  # kept on disk


# -- the coder with the checks (the real pipeline) -----------------------------------------


def code(pipeline, coder: LLMCoder, text: str = TEXT) -> list[Event]:
    pipeline.model_coder = coder
    try:
        return pipeline.extract(Article(id="a1", text=text, published=date(2024, 5, 31)))
    finally:
        pipeline.model_coder = None


@pytest.mark.slow
def test_a_valid_answer_becomes_an_event_resolved_by_dragomans_own_knowledge(
    pipeline, fake, tmp_path
):
    server = fake({"Iran": [talks()]})
    coder = LLMCoder(settings(server.url, tmp_path), mode="llm")
    (event,) = code(pipeline, coder)
    assert event.coder == "llm" and event.coders_agree is None
    assert [a.code for a in event.source] == ["IRN"] and [a.code for a in event.target] == ["RUS"]
    assert (event.cameo, event.plover, event.quad_class) == ("040", "CONSULT", 1)
    assert TEXT[event.evidence.trigger_start : event.evidence.trigger_end] == "held talks"
    assert event.date_start == date(2024, 5, 30) and event.date_source == "predicate"
    assert event.location is not None and event.location.name == "Moscow"
    assert coder.stats.accepted == 1 and not coder.stats.dropped


@pytest.mark.slow
@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ([talks(source="Iraq")], INVENTED_SPAN),
        ([talks(trigger="signed a treaty")], INVENTED_SPAN),
        ([talks(date="on Friday")], INVENTED_SPAN),
        ([talks(cameo="049")], UNKNOWN_CODE),
        ([talks(source="talks")], UNKNOWN_ACTOR),
        ([talks(date="held")], UNKNOWN_DATE),
        ([talks(plover="SPEAK")], SCHEMA),
        ("malformed", MALFORMED),
    ],
)
def test_an_answer_that_fails_a_check_is_dropped_and_counted(
    pipeline, fake, tmp_path, answer, reason
):
    server = fake({"Iran": answer})
    coder = LLMCoder(settings(server.url, tmp_path), mode="llm")
    assert code(pipeline, coder) == []
    assert dict(coder.stats.dropped) == {reason: 1}


@pytest.mark.slow
def test_a_rerun_is_answered_from_the_cache(pipeline, fake, tmp_path):
    server = fake({"Iran": [talks()]})
    first = LLMCoder(settings(server.url, tmp_path), mode="llm")
    assert len(code(pipeline, first)) == 1
    first.close()
    again = LLMCoder(settings(server.url, tmp_path), mode="llm")
    assert len(code(pipeline, again)) == 1
    assert len(server.requests) == 1
    assert again.stats.cached == 1 and again.stats.tokens == 0


@pytest.mark.slow
def test_only_sentences_with_an_actor_are_sent(pipeline, fake, tmp_path):
    server = fake({"Iran": [talks()]})
    coder = LLMCoder(settings(server.url, tmp_path, cache=None), mode="llm")
    code(pipeline, coder, TEXT + " The weather was warm and dry.")
    assert len(server.requests) == 1
    assert coder.stats.without_actor == 1 and coder.stats.sentences == 1


@pytest.mark.slow
def test_server_down_in_both_mode_keeps_the_rules_events_and_says_so_once(pipeline, tmp_path):
    said: list[tuple[str, str]] = []
    coder = LLMCoder(
        settings(down_url(), tmp_path, retries=0),
        mode="both",
        notify=lambda kind, line: said.append((kind, line)),
    )
    text = TEXT + " Russia met Iran again on Friday."
    events = code(pipeline, coder, text)
    rules_only = pipeline.extract(Article(id="a1", text=text, published=date(2024, 5, 31)))
    assert [e.cameo for e in events] == [e.cameo for e in rules_only] and events
    assert all(e.coder == "rules" and e.coders_agree is None for e in events)
    assert len(said) == 1 and said[0][0] == "error" and "cannot reach" in said[0][1]
    assert coder.failure is not None and coder.stats.not_sent == 2


@pytest.mark.slow
def test_token_budget_stops_the_asking(pipeline, fake, tmp_path):
    server = fake({"Iran": [talks()], "Russia": []})
    said: list[tuple[str, str]] = []
    coder = LLMCoder(
        settings(server.url, tmp_path, cache=None, token_budget=50, concurrency=1),
        mode="llm",
        notify=lambda kind, line: said.append((kind, line)),
    )
    code(pipeline, coder, TEXT + " Russia met Iran again on Friday.")
    assert len(server.requests) == 1 and coder.stats.not_sent == 1
    assert said[0][0] == "note" and "token budget" in said[0][1]
    assert coder.failure is None


@pytest.mark.slow
def test_both_marks_agreement_with_the_rules(pipeline, fake, tmp_path):
    server = fake({"Iran": [talks(), talks(cameo="111", plover="ACCUSE", trigger="talks")]})
    coder = LLMCoder(settings(server.url, tmp_path), mode="both", policy="union")
    events = code(pipeline, coder)
    consult = [e for e in events if e.plover == "CONSULT"]
    assert consult and all(e.coder == "both" and e.coders_agree for e in consult)
    assert [e.coder for e in events if e.plover == "ACCUSE"] == ["llm"]


# -- combination policies ------------------------------------------------------------------


def _event(kind: str, cameo: str, trigger: int, coder: str = "rules") -> Event:
    actor = ActorRef("Iran", 0, 4, "Iran", "IRN")
    evidence = Evidence("s", 0, 100, "t", trigger, trigger + 1)
    return Event("a", [actor], [], cameo, "", kind, None, 1, 0.0, evidence, coder=coder)


RULES = [_event("CONSULT", "040", 5), _event("ASSAULT", "190", 150)]
MODEL = [
    _event("CONSULT", "042", 7, "llm"),
    _event("ACCUSE", "111", 9, "llm"),
    _event("PROTEST", "141", 120, "llm"),
]
ASKED = [(0, 100), (100, 140)]  # the rule event at 150 is in a sentence not asked


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "union",
            [
                ("CONSULT", "both", True),
                ("ACCUSE", "llm", False),
                ("PROTEST", "llm", False),
                ("ASSAULT", "rules", None),
            ],
        ),
        ("intersection", [("CONSULT", "both", True)]),
        (
            "rules-first",
            [("CONSULT", "both", True), ("PROTEST", "llm", False), ("ASSAULT", "rules", None)],
        ),
    ],
)
def test_combination_policies(policy, expected):
    combined = combine(RULES, MODEL, ASKED, policy)
    assert [(e.plover, e.coder, e.coders_agree) for e in combined] == expected
    assert combined[0].cameo == "040"  # an agreed event is kept as the rules coded it
