"""The HTTP API and the server-rendered pages, over a store of hand-built events."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import warnings
from pathlib import Path

import pytest

from dragoman.ontology import plover_types
from dragoman.ontology.lexicon import MODALITIES
from dragoman.records import Annotations, Article
from dragoman.store import FLAT_COLUMNS, MERGED_COLUMNS, EventFilter, open_store
from dragoman.store.filters import MAX_OFFSET, check_page
from dragoman.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the test client's own deprecation notice
    from fastapi.testclient import TestClient

try:
    from e2e.synthetic import GAZA_STRIKES, RU_HAMAS, UN_APPEAL, synthetic_annotations
except ImportError:  # tests/ imported as a package
    from tests.e2e.synthetic import GAZA_STRIKES, RU_HAMAS, UN_APPEAL, synthetic_annotations

DOCS = Path(__file__).resolve().parents[1] / "docs" / "web.md"
TOKEN = "test-token-123"
INJECTION = "'; DROP TABLE events; --"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "events.duckdb"
    with open_store(path) as store:
        for annotations in synthetic_annotations()[:2]:
            store.save(annotations)
    return path


@pytest.fixture
def client(db_path: Path) -> TestClient:
    with TestClient(create_app(db_path)) as test_client:
        yield test_client


def _annotate_from_synthetic(article: Article) -> Annotations:
    """Stands in for the NLP pipeline: the hand-built annotations of the posted text."""
    for found in synthetic_annotations():
        if found.article.text == article.text:
            return Annotations(article, found.actors, found.times, found.places, found.events)
    raise AssertionError("unexpected article")


@pytest.fixture
def writable(db_path: Path) -> TestClient:
    app = create_app(db_path, write_token=TOKEN, annotate=_annotate_from_synthetic)
    with TestClient(app) as test_client:
        yield test_client


def _cameos(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["cameo"] for e in response.json()["events"]]


def test_events_envelope_and_pagination(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 5 and body["limit"] == 100 and body["offset"] == 0
    ids = [e["event_id"] for e in body["events"]]
    first = client.get("/api/events", params={"limit": 2}).json()["events"]
    second = client.get("/api/events", params={"limit": 2, "offset": 2}).json()["events"]
    third = client.get("/api/events", params={"limit": 2, "offset": 4}).json()["events"]
    assert [e["event_id"] for e in first + second + third] == ids
    assert set(body["events"][0]) == {
        "event_id",
        "article_id",
        "coder",
        "coders_agree",
        "source",
        "target",
        "cameo",
        "cameo_label",
        "plover",
        "plover_mode",
        "quad_class",
        "goldstein",
        "date",
        "date_start",
        "date_end",
        "date_precision",
        "date_source",
        "location",
        "modality",
        "attribution",
        "evidence",
        "confidence",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "HAMAS"}, ["1056", "190", "040"]),
        ({"country": "EGY"}, ["040"]),
        ({"plover": "ASSAULT"}, ["195", "190"]),
        ({"plover": " assault "}, ["195", "190"]),
        ({"cameo_root": "19"}, ["195", "190"]),
        ({"quad_class": "1"}, ["0256", "040"]),
        ({"since": "2024-01-15"}, ["040"]),
        ({"until": "2023-12-09"}, ["1056"]),
        ({"modality": "reported"}, ["0256", "195"]),
        ({"modality": "Reported"}, ["0256", "195"]),
        ({"source": "Qatar", "target": "Hamas"}, ["040"]),
        ({"text": "rockets"}, ["190"]),
        ({"article_id": RU_HAMAS}, ["1056", "0256"]),
        ({"actor": "", "plover": "", "quad_class": ""}, ["1056", "0256", "195", "190", "040"]),
    ],
)
def test_event_filters(client: TestClient, params: dict, expected: list[str]) -> None:
    response = client.get("/api/events", params=params)
    assert _cameos(response) == expected
    assert response.json()["total"] == len(expected)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/events?since=2024-02-30", "since"),
        ("/api/events?until=yesterday", "until"),
        ("/api/events?since=2024-02-01&until=2024-01-01", "since"),
        ("/api/events?quad_class=5", "quad_class"),
        ("/api/events?quad_class=two", "quad_class"),
        ("/api/events?cameo_root=999", "cameo_root"),
        ("/api/events?limit=5000", "limit"),
        ("/api/events?limit=-1", "limit"),
        ("/api/events?offset=-1", "offset"),
        ("/api/events?offset=x", "offset"),
        ("/api/events?format=xml", "format"),
        ("/api/events?format=csv&limit=1000000", "limit"),
        ("/api/actors?limit=abc", "limit"),
        ("/api/timeseries?interval=hour", "interval"),
        ("/api/timeseries?since=2024-1-1", "since"),
        ("/api/network?min_count=0", "min_count"),
        ("/api/network?limit=0", "limit"),
        ("/api/facets?quad_class=0", "quad_class"),
        # Past the largest BIGINT: refused here rather than overflowing in SQL (a 500).
        ("/api/events?offset=9223372036854775808", "offset"),
        ("/api/events?offset=9223372036854775808&merge=true", "offset"),
        ("/api/events?offset=9223372036854775808&format=csv", "offset"),
        ("/api/events?offset=99999999999999999999&format=jsonl&merge=1", "offset"),
        ("/api/actors?offset=99999999999999999999", "offset"),
        ("/api/network?min_count=" + "9" * 50, "min_count"),
        ("/api/events?offset=" + "9" * 5000, "offset"),  # too long for int()
        ("/api/events?plover=FOO", "plover"),
        ("/api/events?modality=bogus", "modality"),
        ("/api/timeseries?plover=FOO", "plover"),
        ("/api/network?modality=bogus", "modality"),
        ("/api/facets?plover=assaults", "plover"),
    ],
)
def test_bad_parameters_are_clear_400s(client: TestClient, url: str, parameter: str) -> None:
    response = client.get(url)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == 400 and body["parameter"] == parameter and body["message"]


@pytest.mark.parametrize("url", ["/api/articles/nope", "/api/events/nope"])
def test_unknown_ids_are_404_json(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "nope" in response.json()["message"]


def test_sql_looking_input_is_data(client: TestClient) -> None:
    for name in ("actor", "country", "source", "target", "text"):
        response = client.get("/api/events", params={name: INJECTION})
        assert response.status_code == 200 and response.json()["total"] == 0
    for name in ("plover", "modality"):  # closed lists: refused, and named as given
        response = client.get("/api/events", params={name: INJECTION})
        assert response.status_code == 400 and INJECTION in response.json()["message"]
    assert client.get("/api/actors", params={"q": INJECTION}).json()["total"] == 0
    assert client.get("/api/articles/" + INJECTION).status_code == 404
    assert client.get("/events", params={"actor": INJECTION}).status_code == 200
    assert client.get("/api/stats").json()["counts"]["events"] == 5


def test_csv_export(client: TestClient) -> None:
    response = client.get("/api/events", params={"format": "csv", "actor": "Hamas"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(FLAT_COLUMNS)
    assert [r["cameo"] for r in rows] == ["1056", "190", "040"]
    assert rows[2]["source_names"] == "Egypt; Qatar"


def test_jsonl_export_matches_json(client: TestClient) -> None:
    events = client.get("/api/events").json()["events"]
    response = client.get("/api/events", params={"format": "jsonl"})
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines == events


def test_plover_export(client: TestClient) -> None:
    records = client.get("/api/events", params={"format": "plover", "plover": "CONSULT"}).json()
    assert len(records) == 1
    record = records[0]
    assert record["event"] == "CONSULT" and record["mode"] == "visit"
    assert record["date"] == "2024-01-15"
    assert (record["actor1"], record["actor1Code"]) == ("Egypt", "EGY")
    assert (record["actor2"], record["actor2Code"]) == ("Hamas", "PSEHMS")
    assert [a["actorText"] for a in record["source"]] == ["Egypt", "Qatar"]
    assert record["eventText"] == "met"
    assert record["text"].startswith("Egypt and Qatar met Hamas leaders")
    assert "context" in record and record["id"]


def test_actors_timeseries_network_facets_stats(client: TestClient) -> None:
    actors = client.get("/api/actors", params={"q": "ham"}).json()
    assert actors["total"] == 1 and actors["actors"][0]["events"] == 3
    series = client.get("/api/timeseries", params={"interval": "month"}).json()["series"]
    assert [(s["period"], s["count"]) for s in series] == [("2023-12-01", 2), ("2024-01-01", 3)]
    dyad = client.get("/api/timeseries", params={"source": "Israel Defense Forces"}).json()
    assert [s["count"] for s in dyad["series"]] == [1]
    edges = client.get("/api/network", params={"quad_class": 4}).json()["edges"]
    assert {(e["source"], e["target"]) for e in edges} == {
        ("Hamas", "Israel"),
        ("Israel Defense Forces", "Palestinian civilians"),
    }
    facets = client.get("/api/facets").json()["facets"]
    assert {f["value"] for f in facets["plover"]} == {"REQUEST", "ASSAULT", "CONSULT"}
    stats = client.get("/api/stats").json()
    assert stats["counts"]["articles"] == 2


def test_article_endpoint(client: TestClient) -> None:
    article = client.get(f"/api/articles/{GAZA_STRIKES}").json()
    assert article["id"] == GAZA_STRIKES
    assert len(article["events"]) == 3 and len(article["places"]) == 3
    for event in article["events"]:
        ev = event["evidence"]
        assert article["text"][ev["start"] : ev["end"]] == ev["sentence"]


def test_openapi_and_local_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/events",
        "/api/actors",
        "/api/articles/{article_id}",
        "/api/timeseries",
        "/api/network",
        "/api/stats",
    ):
        assert path in spec["paths"]
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "since", "quad_class", "format", "limit", "offset"} <= names
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/events" in docs.text


@pytest.mark.parametrize(
    "url", ["/", "/network", "/events", f"/articles/{RU_HAMAS}", "/docs", "/events?offset=2"]
)
def test_pages_use_no_outside_resources(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    # Scripts, styles and images come from this server (links to the article's source are fine).
    assert not re.search(r"""src=["'](https?:)?//""", response.text)
    assert not re.search(r"""<link[^>]+href=["'](https?:)?//""", response.text)
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", response.text):
        assert client.get(asset).status_code == 200, asset


def test_timeline_points_link_to_their_evidence(client: TestClient) -> None:
    page = client.get("/").text
    events = client.get("/api/events").json()["events"]
    for event in events:
        assert f"/articles/{event['article_id']}#event-{event['event_id']}" in page
    assert page.count('class="point q') == 5
    filtered = client.get("/", params={"plover": "ASSAULT"}).text
    assert filtered.count('class="point q') == 2


def test_article_page_marks_evidence_and_triggers(client: TestClient) -> None:
    page = client.get(f"/articles/{RU_HAMAS}").text
    article = client.get(f"/api/articles/{RU_HAMAS}").json()
    for event in article["events"]:
        assert f'id="event-{event["event_id"]}"' in page
        assert f'data-events="{event["event_id"]}' in page
        trigger = f'data-triggers="{event["event_id"]}"[^>]*>{event["evidence"]["trigger"]}<'
        assert re.search(trigger, page)
    assert 'class="actor' in page and 'class="time' in page and 'class="place' in page


def test_events_page_facets_and_filters(client: TestClient) -> None:
    page = client.get("/events", params={"quad_class": "4"}).text
    assert page.count('class="event-row') == 2
    assert "plover=ASSAULT" in page  # a facet link
    assert "format=csv" in page and "format=plover" in page and "format=jsonl" in page


def test_bad_page_parameters_are_400_html(client: TestClient) -> None:
    response = client.get("/events?since=bad", headers={"accept": "text/html"})
    assert response.status_code == 400
    assert "since must be a date" in response.text
    missing = client.get("/articles/nope", headers={"accept": "text/html"})
    assert missing.status_code == 404 and "<html" in missing.text


def test_the_largest_offset_is_an_empty_page(client: TestClient) -> None:
    for url in ("/api/events", "/api/actors"):
        response = client.get(url, params={"offset": MAX_OFFSET})
        assert response.status_code == 200, response.text
        assert response.json()["offset"] == MAX_OFFSET
    merged = client.get("/api/events", params={"offset": MAX_OFFSET, "merge": "true"})
    assert merged.status_code == 200 and merged.json()["events"] == []
    page = client.get("/events", params={"offset": MAX_OFFSET})
    assert page.status_code == 200 and page.text.count('class="event-row') == 0


def test_check_page_refuses_offsets_sql_cannot_take() -> None:
    check_page(0, MAX_OFFSET)
    for offset in (MAX_OFFSET + 1, 10**20, -1):
        with pytest.raises(ValueError, match=f"offset must be .*got {offset}"):
            check_page(10, offset)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/events?offset=99999999999999999999", "offset"),
        ("/events?offset=9223372036854775808&plover=ASSAULT", "offset"),
        ("/events?plover=FOO", "plover"),
        ("/?modality=bogus", "modality"),
        ("/network?plover=FOO", "plover"),
    ],
)
def test_bad_page_parameters_are_400_pages(client: TestClient, url: str, parameter: str) -> None:
    response = client.get(url, headers={"accept": "text/html"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert f"{parameter} must be" in response.text


@pytest.mark.parametrize(("name", "bad"), [("plover", "FOO"), ("modality", "bogus")])
def test_unknown_types_and_modalities_name_the_value_and_the_allowed(
    client: TestClient, name: str, bad: str
) -> None:
    allowed = sorted(plover_types()) if name == "plover" else sorted(MODALITIES)
    body = client.get("/api/events", params={name: bad}).json()
    assert body["error"] == 400 and body["parameter"] == name
    assert repr(bad) in body["message"]
    assert ", ".join(allowed) in body["message"]
    with pytest.raises(ValueError, match=rf"{name} must be one of {', '.join(allowed)}"):
        EventFilter(**{name: bad})


def test_event_filter_keeps_types_and_modalities_in_their_case() -> None:
    assert len(plover_types()) == 16
    for kind in plover_types():
        assert EventFilter(plover=kind.lower()).plover == kind
    for modality in MODALITIES:
        assert EventFilter(modality=modality.upper()).modality == modality
    for bad in ({"plover": 3}, {"modality": "asserted, reported"}, {"plover": "ASSAULT*"}):
        with pytest.raises(ValueError):
            EventFilter(**bad)


@pytest.mark.parametrize(
    ("option", "bad", "allowed"),
    [("--type", "FOO", "ACCUSE"), ("--modality", "bogus", "hypothetical")],
)
def test_cli_events_refuses_unknown_type_and_modality(
    db_path: Path, option: str, bad: str, allowed: str
) -> None:
    from typer.testing import CliRunner

    from dragoman.cli import app

    result = CliRunner().invoke(app, ["events", "--db", str(db_path), option, bad])
    assert result.exit_code == 2, result.output
    (message,) = result.output.strip().splitlines()  # one line, however long
    assert message.startswith(f"error {option} ") and f"'{bad}'" in message and allowed in message


@pytest.mark.parametrize("accept", [None, "*/*", "text/html,application/xhtml+xml,*/*;q=0.8"])
def test_unknown_article_page_is_an_html_404(client: TestClient, accept: str | None) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/articles/nope", headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no article &#39;nope&#39;" in response.text
    assert '<link rel="stylesheet" href="/static/app.css">' in response.text  # the UI's style
    assert "<nav>" in response.text and "Back to the timeline" in response.text


def test_errors_stay_json_for_the_api_and_json_clients(client: TestClient) -> None:
    for headers in ({}, {"accept": "text/html"}):
        response = client.get("/api/articles/nope", headers=headers)
        assert response.status_code == 404
        assert response.json() == {"error": 404, "message": "no article 'nope'"}
    asked = client.get("/articles/nope", headers={"accept": "application/json"})
    assert asked.status_code == 404 and asked.json()["message"] == "no article 'nope'"
    unknown = client.get("/no-such-page")
    assert unknown.status_code == 404 and "<html" in unknown.text


def test_docs_actor_examples_are_real_codes() -> None:
    from dragoman.actors import KnowledgeBase

    kb = KnowledgeBase.load()
    codes = {actor.code for actor in kb.actors.values()}
    (row,) = [
        line for line in DOCS.read_text(encoding="utf-8").splitlines() if "| `actor` |" in line
    ]
    examples = re.findall(r"`([^`]+)`", row.split("|")[2])
    assert examples, row
    for example in examples:
        if example.isupper():
            assert example in codes, f"{example} in docs/web.md is not an actor code"
    hamas = {actor.code for actor in kb.actors.values() if actor.name == "Hamas"}
    assert hamas & set(examples), "the docs' Hamas example should show Hamas's code"


def test_actor_matches_a_run_of_words_of_the_name(client: TestClient) -> None:
    # "Israel Defense Forces" is the source of 195; "Palestinian civilians" its target.
    for query in ("Defense Forces", "israel defense   FORCES", "Forces"):
        assert "195" in _cameos(client.get("/api/events", params={"actor": query})), query
    assert "195" in _cameos(client.get("/api/events", params={"target": "civilians"}))
    # Only whole words, and a code only whole: no prefixes or substrings.
    for query in ("Isra", "Defense Force", "PSEH", "HMS", "ISRMI"):
        assert _cameos(client.get("/api/events", params={"actor": query})) == [], query
    # Wildcards in the query are literal.
    for query in ("%", "_", "Hamas%", "Ham_s"):
        assert _cameos(client.get("/api/events", params={"actor": query})) == [], query


def test_post_is_refused_on_a_read_only_server(client: TestClient) -> None:
    response = client.post(
        "/api/articles", json={"id": "x", "text": "y"}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 403
    assert client.get("/api/stats").json()["counts"]["articles"] == 2


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_post_needs_the_write_token(writable: TestClient, header: str | None) -> None:
    un = synthetic_annotations()[2].article
    headers = {"Authorization": header} if header else {}
    response = writable.post("/api/articles", json={"id": un.id, "text": un.text}, headers=headers)
    assert response.status_code == 403
    assert writable.get("/api/stats").json()["counts"]["articles"] == 2


def test_post_with_token_stores_once(writable: TestClient) -> None:
    un = synthetic_annotations()[2].article
    body = {"id": un.id, "text": un.text, "title": "UN appeal", "published": "2024-01-16"}
    auth = {"Authorization": f"Bearer {TOKEN}"}
    first = writable.post("/api/articles", json=body, headers=auth)
    assert first.status_code == 201, first.text
    assert first.json() == {"id": UN_APPEAL, "stored": True, "events": 2}
    again = writable.post("/api/articles", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["stored"] is False
    # the same id with another text is a conflict, not "already stored"
    other = writable.post("/api/articles", json={**body, "text": "Another story."}, headers=auth)
    assert other.status_code == 409 and "different text" in other.json()["message"]
    stored = writable.get(f"/api/articles/{UN_APPEAL}").json()
    assert stored["title"] == "UN appeal" and stored["published"] == "2024-01-16"
    assert writable.get("/api/stats").json()["counts"]["events"] == 7


@pytest.mark.parametrize(
    "body",
    [
        {"text": "no id"},
        {"id": "x"},
        {"id": "x", "text": ""},
        {"id": "x", "text": "t", "published": "someday"},
    ],
)
def test_post_rejects_bad_bodies(writable: TestClient, body: dict) -> None:
    response = writable.post(
        "/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 422
    assert response.json()["problems"]


@pytest.mark.slow
def test_post_runs_the_real_pipeline(db_path: Path) -> None:
    pytest.importorskip("dragoman.pipeline", reason="the NLP pipeline is not available")
    app = create_app(db_path, write_token=TOKEN)
    text = "Egypt and Qatar met Hamas leaders in Cairo on Monday to discuss a truce."
    with TestClient(app) as test_client:
        response = test_client.post(
            "/api/articles",
            json={"id": "real-1", "text": text, "published": "2024-01-16"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 201, response.text
        article = test_client.get("/api/articles/real-1").json()
    assert article["text"] == text
    assert response.json()["events"] == len(article["events"])


# -- merging reports of the same event (merge=true) ---------------------------------

GAZA_RETOLD = "syn-gaza-retold"


def _retold(found: Annotations) -> Annotations:
    """The Gaza article again under another id; its meeting report is the surer one."""
    events = [
        dataclasses.replace(
            e, article_id=GAZA_RETOLD, confidence=0.95 if e.cameo == "040" else e.confidence
        )
        for e in found.events
    ]
    article = dataclasses.replace(found.article, id=GAZA_RETOLD)
    return Annotations(article, found.actors, found.times, found.places, events)


@pytest.fixture
def merging(db_path: Path) -> TestClient:
    with open_store(db_path) as store:
        store.save(_retold(synthetic_annotations()[1]))
    with TestClient(create_app(db_path)) as test_client:
        yield test_client


def test_merge_counts_each_reported_event_once(merging: TestClient) -> None:
    plain = merging.get("/api/events").json()
    assert plain["total"] == len(plain["events"]) == 8
    assert all("reports" not in e for e in plain["events"])
    assert merging.get("/api/events", params={"merge": "false"}).json() == plain
    body = merging.get("/api/events", params={"merge": "true"}).json()
    assert body["total"] == len(body["events"]) == 5
    assert sorted(e["cameo"] for e in body["events"]) == ["0256", "040", "1056", "190", "195"]
    # One row per incident, in the order of /api/incidents.
    incidents = merging.get("/api/incidents").json()["incidents"]
    assert [e["incident_id"] for e in body["events"]] == [i["incident_id"] for i in incidents]
    by_cameo = {e["cameo"]: e for e in body["events"]}
    assert by_cameo["040"]["reports"] == 2
    assert by_cameo["040"]["article_id"] == GAZA_RETOLD  # the most confident report
    assert by_cameo["040"]["report_articles"] == [GAZA_RETOLD, GAZA_STRIKES]
    # Equal confidence: the earliest article id stands for the event.
    assert by_cameo["190"]["article_id"] == GAZA_RETOLD
    assert by_cameo["1056"]["reports"] == 1 and by_cameo["1056"]["report_articles"] == [RU_HAMAS]


def test_merge_applies_filters_first(merging: TestClient) -> None:
    body = merging.get("/api/events", params={"merge": "1", "actor": "Qatar"}).json()
    assert body["total"] == 1 and body["events"][0]["reports"] == 2
    own = merging.get("/api/events", params={"merge": "yes", "article_id": GAZA_STRIKES}).json()
    assert own["total"] == 3
    # The matching report stands for its incident; the counts are the incident's.
    for event in own["events"]:
        assert event["article_id"] == GAZA_STRIKES and event["matched_reports"] == 1
        assert event["report_articles"] == [GAZA_RETOLD, GAZA_STRIKES] and event["reports"] == 2
    page = merging.get("/api/events", params={"merge": "true", "limit": 2, "offset": 4}).json()
    last = merging.get("/api/events", params={"merge": "true"}).json()["events"][4:]
    assert page["total"] == 5 and page["events"] == last


@pytest.mark.parametrize("value", ["maybe", "2", "truth"])
def test_bad_merge_values_are_clear_400s(merging: TestClient, value: str) -> None:
    response = merging.get("/api/events", params={"merge": value})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["parameter"] == "merge" and value in body["message"]


def test_merged_exports_carry_the_reports(merging: TestClient) -> None:
    params = {"merge": "true", "actor": "Hamas"}
    response = merging.get("/api/events", params={**params, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(MERGED_COLUMNS)
    assert [(r["cameo"], r["reports"]) for r in rows] == [("1056", "1"), ("190", "2"), ("040", "2")]
    assert rows[2]["report_articles"] == f"{GAZA_RETOLD}; {GAZA_STRIKES}"
    lines = merging.get("/api/events", params={**params, "format": "jsonl"}).text.splitlines()
    assert [json.loads(line) for line in lines] == (
        merging.get("/api/events", params=params).json()["events"]
    )
    (record,) = merging.get(
        "/api/events", params={**params, "format": "plover", "plover": "CONSULT"}
    ).json()
    assert record["reports"] == 2 and record["reportArticles"] == [GAZA_RETOLD, GAZA_STRIKES]


def test_openapi_documents_merge_as_a_boolean(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    (merge,) = [
        p for p in spec["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "merge"
    ]
    assert merge["schema"]["type"] == "boolean"


def test_an_article_the_pipeline_cannot_annotate_is_a_422_with_its_reason(db_path: Path) -> None:
    from dragoman.pipeline import ArticleError

    def refuse(article: Article) -> Annotations:
        raise ArticleError(article, "ran out of its 10 s time budget while parsing")

    app = create_app(db_path, write_token=TOKEN, annotate=refuse)
    with TestClient(app) as test_client:
        body = {"id": "slow-1", "text": "A very long article."}
        response = test_client.post(
            "/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert response.status_code == 422
    assert "time budget" in response.json()["message"]
    assert "slow-1" in response.json()["message"]
