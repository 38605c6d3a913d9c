"""The API does what its OpenAPI document says: Schemathesis against a live server.

A small store is coded from the bundled samples, ``dragoman serve`` runs on a free
port of 127.0.0.1 with a write token (so the write endpoint is tested too), and
Schemathesis generates requests from the served document, valid and invalid, in all
its phases. Every check must pass: no server error, every status code, content type
and header documented, every body as its schema says, schema-valid requests accepted
and schema-invalid ones refused.

One check is left out: ``missing_required_header`` insists on 401 for a request
without an ``Authorization`` header, while the API answers every refused write with
403 (read-only server, missing or wrong token alike), as it documents. Two rules tying
two parameters together, which OpenAPI cannot state, are applied to the generated
requests by ``conformance_hooks.py``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES

pytest.importorskip("schemathesis", reason="schemathesis is not installed (a dev dependency)")

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TOKEN = "conformance-token"
#: Generated cases per operation and phase; the whole run stays within about 2 minutes.
EXAMPLES = 40
SEED = 20240531


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _dragoman(*args: str) -> list[str]:
    return [sys.executable, "-m", "dragoman.cli", *args]


def _post(base: str, record: dict) -> int:
    request = urllib.request.Request(
        f"{base}/api/articles",
        data=json.dumps(record).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``dragoman serve`` over a store of the samples, writable with :data:`TOKEN`."""
    folder = tmp_path_factory.mktemp("conformance")
    db = folder / "api.duckdb"
    subprocess.run(
        _dragoman("ingest", str(SAMPLES), "--db", str(db)),
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    log = (folder / "serve.log").open("wb")
    process = subprocess.Popen(
        _dragoman("serve", "--db", str(db), "--port", str(port), "--write-token", TOKEN),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/openapi.json", timeout=5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"dragoman serve did not start: {(folder / 'serve.log').read_text()}"
                    )
                time.sleep(0.2)
        # The first write loads the NLP pipeline; later ones take well under a second.
        assert _post(base, {"id": "warm-up", "text": "Iran and Russia held talks."}) == 201
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_the_openapi_document_declares_every_answer(server: str) -> None:
    with urllib.request.urlopen(f"{server}/openapi.json") as response:
        document = json.load(response)
    operations = {
        (method.upper(), path): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    for (method, path), operation in operations.items():
        codes = set(operation["responses"])
        assert {"413", "414", "500"} <= codes, (method, path, codes)
        if operation.get("parameters"):
            assert "422" in codes, (method, path)
        for code, answer in operation["responses"].items():
            content = answer.get("content", {})
            assert content, (method, path, code)
            assert all(media.get("schema") for media in content.values()), (method, path, code)
    assert {"400", "404"} & set(operations["GET", "/api/events"]["responses"]) == {"400"}
    assert "404" in operations["GET", "/api/events/{event_id}"]["responses"]
    post = operations["POST", "/api/articles"]["responses"]
    assert {"200", "201", "403", "409", "413", "422", "429", "503"} <= set(post)
    assert "Retry-After" in post["429"]["headers"]
    # The parameter domains: exact, not "any string".
    events = {p["name"]: p["schema"] for p in operations["GET", "/api/events"]["parameters"]}
    integer, blank = events["quad_class"]["anyOf"]
    assert integer == {"type": "integer", "minimum": 1, "maximum": 4}
    assert blank["pattern"] == r"^\s*$"
    assert "json" in events["format"]["enum"] and "csv" in events["format"]["enum"]
    assert events["limit"]["anyOf"][0]["maximum"] == 100_000
    assert re.fullmatch(events["plover"]["anyOf"][0]["pattern"], "Assault")
    assert not re.fullmatch(events["plover"]["anyOf"][0]["pattern"], "ASSAULTS")


def test_schemathesis_finds_no_failure(server: str, tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    command = [
        str(BIN / "st"),
        "run",
        f"{server}/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        "missing_required_header",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--header",
        f"Authorization: Bearer {TOKEN}",
        "--generation-database",
        "none",
        "--request-timeout",
        "60",
        # An article is given up to DRAGOMAN_ARTICLE_SECONDS (10 s) on a busy machine.
        "--max-response-time",
        "30",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(junit),
    ]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "conformance_hooks",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])),
    }
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    summary = output[output.find("=== SUMMARY") :] or output[-3000:]
    assert result.returncode == 0, output[-12_000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", output)
    assert selected and selected.group(1) == selected.group(2), summary
    tested = re.search(r"Tested: (\d+)", output)
    assert tested and tested.group(1) == selected.group(2), summary
    generated = re.search(r"(\d+) generated", output)
    assert generated and int(generated.group(1)) >= 500, summary
    assert junit.exists()
    print(f"schemathesis: {generated.group(1)} cases in {elapsed:.0f} s")
