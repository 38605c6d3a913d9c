"""Export formats: one registry for the CLI, the API, the explorer and the docs, and a round
trip through each format's usual reader for a store built from the bundled samples."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from datetime import date
from pathlib import Path

import jsonschema
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pycountry
import pytest
from conftest import REPO_ROOT, SAMPLES
from typer.testing import CliRunner

from dragoman.cli import app
from dragoman.formats import (
    GDELT_COLUMNS,
    ICEWS_COLUMNS,
    ExportFormat,
    export_formats,
    format_names,
    get_format,
    markdown_table,
    plover_schema,
    register,
    unregister,
)
from dragoman.formats.articles import sentence_number
from dragoman.formats.countries import fips, fips_table, split_actor_code
from dragoman.formats.gdelt import fraction_date, numeric_event_id
from dragoman.ontology import plover_types
from dragoman.store import open_store
from dragoman.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the test client's own deprecation notice
    from fastapi.testclient import TestClient

runner = CliRunner()
OUTPUT_DOC = REPO_ROOT / "docs" / "output.md"
WEB_DOC = REPO_ROOT / "docs" / "web.md"
RETOLD = "korea-0520-retold"
RETOLD_URL = "https://news.example.org/2024/05/20/korea-talks"

#: The GDELT 2.0 event table's columns, written out independently of the exporter.
GDELT_2_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode",
    "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code",
    "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode",
    "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code",
    "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]  # fmt: skip


@pytest.fixture(scope="module")
def db(pipeline, tmp_path_factory) -> Path:
    """The bundled samples ingested, plus one of them retold by another outlet with a URL
    (so that merging has reports from two articles and two publishers)."""
    folder = tmp_path_factory.mktemp("exports")
    path = folder / "samples.duckdb"
    first = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(path)])
    assert first.exit_code == 0, first.output
    (korea,) = [
        json.loads(line)
        for line in (SAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["id"] == "korea-0520"
    ]
    retold = {**korea, "id": RETOLD, "source": "Another wire", "url": RETOLD_URL}
    extra = folder / "retold.jsonl"
    extra.write_text(json.dumps(retold) + "\n", encoding="utf-8")
    second = runner.invoke(app, ["ingest", str(extra), "--db", str(path)])
    assert second.exit_code == 0, second.output
    return path


def _stored(db: Path, merge: bool = False) -> list[dict]:
    with open_store(db, read_only=True) as store:
        return store.events(limit=10_000, merge_duplicates=merge)


def _export(db: Path, fmt: str, *options: str):
    result = runner.invoke(
        app, ["events", "--db", str(db), "--format", fmt, "--limit", "10000", *options]
    )
    assert result.exit_code == 0, result.output
    return result


def _compact(day: str | None) -> str:
    return day.replace("-", "") if day else ""


# -- the registry -------------------------------------------------------------------------


def test_every_format_is_registered_once_in_order() -> None:
    names = format_names()
    assert names == [
        "table",
        "jsonl",
        "csv",
        "plover",
        "plover-jsonl",
        "gdelt",
        "icews",
        "parquet",
    ]
    assert format_names("web") == [n for n in names if n != "table"]
    assert format_names("cli") == names
    with pytest.raises(ValueError, match="already registered"):
        register(get_format("csv"))
    with pytest.raises(ValueError, match="json"):
        register(ExportFormat("json", "J", "j", "application/json", "x.json", lambda e, c: []))


def _dummy_format() -> ExportFormat:
    def encode(events, context):
        for event in events:
            yield f"dummy {event['event_id']} {event['cameo']}\n"

    return ExportFormat(
        name="dummy-test",
        label="Dummy",
        summary="a format registered by a test",
        media_type="text/plain; charset=utf-8",
        filename="dummy.txt",
        encode=encode,
    )


def _export_links(page: str) -> list[str]:
    return re.findall(r'class="button export-([a-z0-9-]+)" href="/api/events\?[^"]*format=\1', page)


def test_cli_api_and_explorer_offer_the_registry(db: Path) -> None:
    with TestClient(create_app(db)) as client:
        links = _export_links(client.get("/events").text)
        assert links == format_names("web")
        assert _export_links(client.get("/").text) == format_names("web")
        spec = client.get("/openapi.json").json()
        (param,) = [
            p for p in spec["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "format"
        ]
        for name in format_names("web"):
            assert name in param["description"]
        refused = client.get("/api/events", params={"format": "dummy-test"})
        assert refused.status_code == 400 and refused.json()["parameter"] == "format"
        for name in format_names("web"):
            assert name in refused.json()["message"]
        assert client.get("/api/events", params={"format": "table"}).status_code == 400

        # One registration makes a new format appear everywhere.
        register(_dummy_format())
        try:
            response = client.get("/api/events", params={"format": "dummy-test"})
            assert response.status_code == 200, response.text
            assert response.headers["content-type"].startswith("text/plain")
            assert 'filename="dummy.txt"' in response.headers["content-disposition"]
            lines = response.text.splitlines()
            assert len(lines) == len(_stored(db)) and lines[0].startswith("dummy ")
            assert "dummy-test" in _export_links(client.get("/events").text)
            cli = _export(db, "dummy-test")
            assert cli.stdout == response.text
        finally:
            unregister("dummy-test")
        assert "dummy-test" not in _export_links(client.get("/events").text)
        assert client.get("/api/events", params={"format": "dummy-test"}).status_code == 400
    refused_cli = runner.invoke(app, ["events", "--db", str(db), "--format", "dummy-test"])
    assert refused_cli.exit_code == 2
    assert "dummy-test" in refused_cli.output and "gdelt" in refused_cli.output


def test_api_downloads_equal_the_cli_output(db: Path) -> None:
    with TestClient(create_app(db)) as client:
        for export in export_formats("web"):
            for merge in (False, True):
                response = client.get(
                    "/api/events",
                    params={"format": export.name, "limit": 10000, "merge": str(merge).lower()},
                )
                assert response.status_code == 200, (export.name, response.text)
                assert (
                    response.headers["content-type"].split(";")[0]
                    == (export.media_type.split(";")[0])
                )
                options = ["--merge"] if merge else []
                cli = _export(db, export.name, *options)
                body = response.content if export.binary else response.text
                expected = cli.stdout_bytes if export.binary else cli.stdout
                assert body == expected, (export.name, merge)


# -- the formats that were there before ---------------------------------------------------


def test_jsonl_and_csv_are_as_before(db: Path) -> None:
    from dragoman.output import write_csv, write_jsonl

    events = _stored(db)
    jsonl, table = io.StringIO(), io.StringIO()
    write_jsonl(events, jsonl)
    write_csv(events, table)
    assert _export(db, "jsonl").stdout == jsonl.getvalue()
    assert _export(db, "csv").stdout == table.getvalue()
    assert [json.loads(line) for line in jsonl.getvalue().splitlines()] == events
    plain = _export(db, "table").stdout
    assert "korea-0520" in plain and "article" in plain


# -- GDELT 2.0 ------------------------------------------------------------------------------


def test_gdelt_has_the_61_columns_of_gdelt_2() -> None:
    assert list(GDELT_COLUMNS) == GDELT_2_COLUMNS
    assert len(GDELT_COLUMNS) == 61


def _read_gdelt(text: str) -> pd.DataFrame:
    return pd.read_csv(
        io.StringIO(text),
        sep="\t",
        header=None,
        names=GDELT_2_COLUMNS,
        dtype=str,
        keep_default_na=False,
        quoting=csv.QUOTE_NONE,
    )


def test_gdelt_round_trip(db: Path) -> None:
    events = _stored(db)
    text = _export(db, "gdelt").stdout
    assert all(line.count("\t") == 60 for line in text.splitlines())
    frame = _read_gdelt(text)
    assert frame.shape == (len(events), 61)
    assert list(frame["GLOBALEVENTID"]) == [str(numeric_event_id(e["event_id"])) for e in events]
    assert frame["GLOBALEVENTID"].is_unique
    assert list(frame["EventCode"]) == [e["cameo"] for e in events]
    assert list(frame["EventRootCode"]) == [e["cameo"][:2] for e in events]
    assert list(frame["SQLDATE"]) == [_compact(e["date_start"]) for e in events]
    assert list(frame["QuadClass"]) == [str(e["quad_class"]) for e in events]
    assert [float(g) for g in frame["GoldsteinScale"]] == [e["goldstein"] for e in events]
    assert list(frame["Actor1Code"]) == [
        e["source"][0]["code"] if e["source"] else "" for e in events
    ]
    assert list(frame["Actor2Code"]) == [
        e["target"][0]["code"] if e["target"] else "" for e in events
    ]
    # Without merging, every event carries the reports of its incident (docs/incidents.md).
    from dragoman.incidents import store_incidents

    with open_store(db, read_only=True) as store:
        index = store_incidents(store)
    mentions = [len(index.incident_of(e["event_id"]).reports) for e in events]
    assert [int(n) for n in frame["NumMentions"]] == mentions
    assert all(
        1 <= int(s) <= int(a) <= int(m)
        for s, a, m in zip(frame["NumSources"], frame["NumArticles"], frame["NumMentions"])
    )
    assert set(frame["AvgTone"]) == {""}
    assert set(frame["Actor1Geo_Type"]) == set(frame["Actor2Geo_Type"]) == {"0"}
    for event, (_, row) in zip(events, frame.iterrows(), strict=True):
        day = date.fromisoformat(event["date_start"])
        assert row["MonthYear"] == day.strftime("%Y%m") and row["Year"] == str(day.year)
        assert row["FractionDate"] == fraction_date(day)
        assert re.fullmatch(r"\d{14}", row["DATEADDED"])
        place = event["location"]
        if place is None:
            assert row["ActionGeo_Type"] == "0" and row["ActionGeo_FullName"] == ""
            continue
        assert float(row["ActionGeo_Lat"]) == place["lat"]
        assert float(row["ActionGeo_Long"]) == place["lon"]
        assert row["ActionGeo_CountryCode"] == fips(place["country"], place["lat"], place["lon"])
        assert row["ActionGeo_Type"] in {"1", "2", "3", "4", "5"}
        # The article's URL, else (like GDELT for print sources) its publisher.
        sources = {RETOLD: RETOLD_URL, "ankara_talks": "", "gulf_mediation": ""}
        assert row["SOURCEURL"] == sources.get(event["article_id"], "Dragoman sample desk")
    doha = frame[frame["ActionGeo_FullName"] == "Doha, Qatar"]
    assert set(doha["ActionGeo_CountryCode"]) == {"QA"} and set(doha["ActionGeo_ADM1Code"]) == {
        "QA01"
    }
    # Hamas: country PSE, type REB, known group HMS; the UN: an IGO whose group is UNO.
    hamas = frame[frame["Actor1Code"] == "PSEREBHMS"].iloc[0]
    assert (hamas["Actor1CountryCode"], hamas["Actor1Type1Code"]) == ("PSE", "REB")
    assert hamas["Actor1KnownGroupCode"] == "HMS"
    un = frame[frame["Actor1Code"] == "IGOUNO"].iloc[0]
    assert (un["Actor1CountryCode"], un["Actor1Type1Code"], un["Actor1KnownGroupCode"]) == (
        "",
        "IGO",
        "UNO",
    )
    # The lead paragraph holds root events; a later paragraph does not.
    by_id = dict(zip(frame["GLOBALEVENTID"], frame["IsRootEvent"], strict=True))

    def root(sentence_start: str) -> set[str]:
        return {
            by_id[str(numeric_event_id(e["event_id"]))]
            for e in events
            if e["evidence"]["sentence"].startswith(sentence_start)
        }

    assert root("Turkish Foreign Minister Hakan Fidan met") == {"1"}
    assert root("Fidan said Turkey would host") == {"0"}


def test_gdelt_counts_merged_reports(db: Path) -> None:
    merged = _stored(db, merge=True)
    frame = _read_gdelt(_export(db, "gdelt", "--merge").stdout)
    assert len(frame) == len(merged) < len(_stored(db))
    counts = {
        row["GLOBALEVENTID"]: (row["NumMentions"], row["NumSources"], row["NumArticles"])
        for _, row in frame.iterrows()
    }
    retold = [e for e in merged if RETOLD in e["report_articles"] and e["report_sources"] == 2]
    assert retold, "the retold article's events merge with the original's"
    for event in merged:
        # One row per incident: its reports, outlets and articles (docs/incidents.md).
        expected = (event["reports"], event["report_sources"], len(event["report_articles"]))
        assert counts[str(numeric_event_id(event["event_id"]))] == tuple(map(str, expected))
        assert sorted(event["report_articles"]) == event["report_articles"]


# -- ICEWS ------------------------------------------------------------------------------------


def test_icews_round_trip(db: Path) -> None:
    events = _stored(db)
    frame = pd.read_csv(
        io.StringIO(_export(db, "icews").stdout), sep="\t", dtype=str, keep_default_na=False
    )
    assert list(frame.columns) == list(ICEWS_COLUMNS)
    assert len(frame) == len(events)
    assert list(frame["Event ID"]) == [str(numeric_event_id(e["event_id"])) for e in events]
    assert list(frame["CAMEO Code"]) == [e["cameo"] for e in events]
    assert list(frame["Event Date"]) == [e["date_start"] for e in events]
    assert list(frame["Event Text"]) == [e["cameo_label"] for e in events]
    assert [float(i) for i in frame["Intensity"]] == [e["goldstein"] for e in events]
    assert list(frame["Story ID"]) == [e["article_id"] for e in events]
    retold = frame[frame["Story ID"] == RETOLD]
    assert len(retold) and set(retold["Publisher"]) == {"Another wire"}
    sahel = frame[frame["Story ID"] == "sahel-0412"]
    assert set(sahel["Publisher"]) == {"Dragoman sample desk"}
    # The Niger story: its first sentence, then "Paris denied...", then the African Union.
    numbers = dict(zip(sahel["CAMEO Code"], sahel["Sentence Number"], strict=False))
    assert numbers["161"] == "1" and numbers["016"] == "2"
    niger = sahel[sahel["CAMEO Code"] == "161"].iloc[0]
    assert (niger["Source Country"], niger["Source Sectors"]) == ("Niger", "Government")
    # An unnamed actor is named with its country, as ICEWS does.
    assert "aid workers (Palestine)" in set(frame["Target Name"])


def test_sentence_numbers_skip_headline_dateline_and_abbreviations() -> None:
    text = (
        "Talks resume\n\n date 2024-03-15 Photo Credit: desk\n\n"
        'Mr. Smith met U.S. envoys in Oslo. They agreed.\n\nLater, Norway said "yes." It left.'
    )
    dateline = text.index(" date")
    article = {"text": text, "boilerplate": [[dateline, text.index("\n", dateline)]]}
    assert sentence_number(article, text.index("Mr.")) == 1
    assert sentence_number(article, text.index("They")) == 2
    assert sentence_number(article, text.index("Later")) == 3
    assert sentence_number(article, text.index("It left")) == 4
    assert sentence_number(None, 0) is None


# -- PLOVER ---------------------------------------------------------------------------------


def test_plover_schema_is_valid_and_knows_dragomans_types() -> None:
    schema = plover_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["properties"]["event"]["items"]["enum"]) == set(plover_types())
    spec_fields = {
        "id", "has_event", "date", "time", "enddate", "endtime", "source", "recipient", "event",
        "event_loc", "event_text", "quad_code", "event_scale", "mode", "context", "link",
        "text", "text_info", "cite_info", "coder", "coded_date", "coded_time", "comment",
    }  # fmt: skip
    assert set(schema["properties"]) == spec_fields | {"dragoman"}


def test_plover_jsonl_round_trip(db: Path) -> None:
    events = _stored(db)
    result = _export(db, "plover-jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    validator = jsonschema.Draft202012Validator(plover_schema())
    for record in records:
        validator.validate(record)
    codable = [e for e in events if e["plover"] and e["date_start"]]
    assert [r["id"] for r in records] == [e["event_id"] for e in codable]
    left_out = len(events) - len(codable)
    if left_out:
        assert f"{left_out} event(s) without a date or a PLOVER type" in result.stderr
    for record, event in zip(records, codable, strict=True):
        assert record["date"] == event["date_start"]
        assert record["event"] == [event["plover"]]
        assert record["mode"] == ([event["plover_mode"]] if event["plover_mode"] else [])
        assert record["quad_code"] == event["quad_class"]
        assert record["event_text"] == [event["evidence"]["trigger"]]
        assert [a["dragoman"]["code"] for a in record["source"]] == [
            a["code"] for a in event["source"]
        ]
        assert [a["identifier_text"] for a in record["recipient"]] == [
            a["name"] for a in event["target"]
        ]
        assert record["text_info"]["start"] == event["evidence"]["start"]
        assert record["text_info"]["end"] == event["evidence"]["end"]
        extras = record["dragoman"]
        assert extras["cameo"] == event["cameo"]
        assert extras["modality"] == event["modality"]
        assert extras["attribution"] == event["attribution"]
        assert extras["evidence"] == event["evidence"]
        assert record["cite_info"]["citation"] == event["article_id"]
        if event["article_id"] == RETOLD:
            assert record["cite_info"]["url"] == RETOLD_URL
            assert record["cite_info"]["publication"] == "Another wire"
        if event["location"]:
            place = record["event_loc"]
            assert (place["latitude"], place["longitude"]) == (
                event["location"]["lat"],
                event["location"]["lon"],
            )
            assert place["cc3"] == event["location"]["country"]
    merged = [
        json.loads(line) for line in _export(db, "plover-jsonl", "--merge").stdout.splitlines()
    ]
    for record in merged:
        validator.validate(record)
    # Each record is one incident, with its reports (records without a recipient are left out).
    reports = {e["event_id"]: e["reports"] for e in _stored(db, merge=True)}
    assert all(r["dragoman"]["reports"] == reports[r["id"]] for r in merged)
    assert max(r["dragoman"]["reports"] for r in merged) > 1


# -- Parquet --------------------------------------------------------------------------------


def test_parquet_round_trip(db: Path, tmp_path: Path) -> None:
    events = _stored(db)
    target = tmp_path / "events.parquet"
    written = runner.invoke(
        app, ["events", "--db", str(db), "-f", "parquet", "--limit", "10000", "-o", str(target)]
    )
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    table = pq.read_table(target)
    assert table.num_rows == len(events)
    assert table.column("event_id").to_pylist() == [e["event_id"] for e in events]
    assert table.column("cameo").to_pylist() == [e["cameo"] for e in events]
    assert table.schema.field("date_start").type == pa.date32()
    assert table.schema.field("quad_class").type == pa.int8()
    assert table.column("date_start").to_pylist() == [
        date.fromisoformat(e["date_start"]) for e in events
    ]
    source_type = table.schema.field("source").type
    assert pa.types.is_list(source_type) and pa.types.is_struct(source_type.value_type)
    assert table.column("source").to_pylist() == [e["source"] for e in events]
    assert table.column("target").to_pylist() == [e["target"] for e in events]
    assert table.column("evidence").to_pylist() == [e["evidence"] for e in events]
    assert "reports" not in table.schema.names

    merged = pq.read_table(io.BytesIO(_export(db, "parquet", "--merge").stdout_bytes))
    stored = _stored(db, merge=True)
    assert merged.column("reports").to_pylist() == [e["reports"] for e in stored]
    assert merged.column("report_articles").to_pylist() == [e["report_articles"] for e in stored]


def test_parquet_is_not_written_to_a_terminal(db: Path, monkeypatch) -> None:
    import dragoman.cli

    assert _export(db, "parquet").stdout_bytes.startswith(b"PAR1")  # a pipe is fine
    monkeypatch.setattr(dragoman.cli, "_stdout_is_terminal", lambda: True)
    refused = runner.invoke(app, ["events", "--db", str(db), "-f", "parquet"])
    assert refused.exit_code == 2 and "--output" in refused.output
    assert _export(db, "csv").stdout.startswith("event_id,")  # text goes to a terminal


# -- country codes ----------------------------------------------------------------------------


def test_fips_table_covers_iso_countries() -> None:
    table = fips_table()
    codes = [code for code, _ in table.values()]
    assert len(codes) == len(set(codes)), "one FIPS code per country"
    for iso3, (code, name) in table.items():
        assert re.fullmatch(r"[A-Z]{2}", code) and name
        assert iso3 == "XKX" or pycountry.countries.get(alpha_3=iso3) is not None, iso3
    missing = {c.alpha_3 for c in pycountry.countries} - set(table)
    assert missing == {"ALA", "BES", "UMI"}
    spot = {"DEU": "GM", "GBR": "UK", "RUS": "RS", "ISR": "IS", "UKR": "UP", "CHN": "CH",
            "USA": "US", "QAT": "QA", "EGY": "EG", "IRQ": "IZ", "ESP": "SP", "AUS": "AS"}  # fmt: skip
    assert {iso3: fips(iso3) for iso3 in spot} == spot
    assert fips("PSE", 31.3, 34.25) == "GZ" and fips("PSE", 31.9, 35.2) == "WE"
    assert fips("PSE", name="Gaza City") == "GZ" and fips(None) == ""


def test_actor_codes_are_taken_apart() -> None:
    assert split_actor_code(
        {"code": "RUSGOV", "country": "RUS", "sector": "GOV", "kind": "state"}
    ) == (
        "RUS",
        None,
        ["GOV"],
    )
    assert split_actor_code({"code": "IGOEUREEC", "country": None, "kind": "organization"}) == (
        "",
        "EEC",
        ["IGO"],
    )
    assert split_actor_code({"code": "TUR", "country": "TUR", "kind": "state"}) == ("TUR", None, [])


# -- docs -------------------------------------------------------------------------------------


def test_docs_describe_every_format() -> None:
    output = OUTPUT_DOC.read_text(encoding="utf-8")
    assert markdown_table() in output, (
        "docs/output.md must carry dragoman.formats.markdown_table() between its format markers"
    )
    for export in export_formats():
        assert export.doc_page == f"outputs/{export.name}.md", export.name
        page = (OUTPUT_DOC.parent / export.doc_page).read_text(encoding="utf-8")
        assert page.startswith("# ") and f"`--format {export.name}`" in page.splitlines()[0]
        # an example command, in a shell block, that writes the format
        blocks = re.findall(r"```sh\n(.*?)```", page, flags=re.DOTALL)
        assert any(f"--format {export.name}" in block for block in blocks), export.name
        for target in re.findall(r"\]\((?!https?:|#)([^)#]+)", page):
            assert (OUTPUT_DOC.parent / "outputs" / target).resolve().exists(), (export.name, target)
    web = WEB_DOC.read_text(encoding="utf-8")
    for name in format_names("web"):
        assert f"format={name}`" in web, name
