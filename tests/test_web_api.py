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

from dragoman.records import Annotations, Article
from dragoman.store import FLAT_COLUMNS, MERGED_COLUMNS, open_store
from dragoman.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the test client's own deprecation notice
    from fastapi.testclient import TestClient

try:
    from e2e.synthetic import GAZA_STRIKES, RU_HAMAS, UN_APPEAL, synthetic_annotations
except ImportError:  # tests/ imported as a package
    from tests.e2e.synthetic import GAZA_STRIKES, RU_HAMAS, UN_APPEAL, synthetic_annotations

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
        ({"cameo_root": "19"}, ["195", "190"]),
        ({"quad_class": "1"}, ["0256", "040"]),
        ({"since": "2024-01-15"}, ["040"]),
        ({"until": "2023-12-09"}, ["1056"]),
        ({"modality": "reported"}, ["0256", "195"]),
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
    for name in ("actor", "country", "plover", "source", "target", "text", "modality"):
        response = client.get("/api/events", params={name: INJECTION})
        assert response.status_code == 200 and response.json()["total"] == 0
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
    assert [e["cameo"] for e in body["events"]] == ["1056", "0256", "195", "190", "040"]
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
    assert all(e["reports"] == 1 and e["article_id"] == GAZA_STRIKES for e in own["events"])
    page = merging.get("/api/events", params={"merge": "true", "limit": 2, "offset": 4}).json()
    assert page["total"] == 5 and [e["cameo"] for e in page["events"]] == ["040"]


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
