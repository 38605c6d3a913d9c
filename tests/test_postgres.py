"""The PostgreSQL store: the same events as DuckDB, idempotent, safe with concurrent
writers, readable while an ingest writes.

Runs against the server named by ``DRAGOMAN_TEST_POSTGRES``
(``postgresql://user@127.0.0.1:port/db``; ``.ci/run`` starts one). Each test works in a
schema of its own, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

from dragoman.store import SCHEMA_VERSION, StoreError, open_store, parse_location, store_exists

try:
    from e2e.synthetic import synthetic_annotations
except ImportError:  # tests/ imported as a package
    from tests.e2e.synthetic import synthetic_annotations

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DRAGOMAN = [sys.executable, "-m", "dragoman.cli"]


def _server_url() -> str:
    url = os.environ.get("DRAGOMAN_TEST_POSTGRES")
    if not url:
        pytest.skip("DRAGOMAN_TEST_POSTGRES is not set: no PostgreSQL server to test against")
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=5).close()
    except Exception as exc:  # noqa: BLE001 - any failure means the server is not usable
        pytest.skip(f"PostgreSQL at DRAGOMAN_TEST_POSTGRES cannot be reached: {exc}")
    return url


@pytest.fixture
def pg_url() -> str:
    """A URL whose connections work in a fresh, empty schema."""
    import psycopg

    server = _server_url()
    schema = f"dragoman_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in server else "?"
    yield f"{server}{separator}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}


def _ingest(db: str, *paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*DRAGOMAN, "ingest", *map(str, paths), "--db", db],
        check=False,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
    )


def _comparable(store) -> list[dict]:
    return list(store.iter_events())


# -- without the pipeline: the store's own behaviour -----------------------------------


def test_a_url_names_the_backend_and_hides_the_password() -> None:
    assert parse_location("events.duckdb").backend == "duckdb"
    assert parse_location("duckdb:///data/e.duckdb").target == "/data/e.duckdb"
    assert parse_location("duckdb:e.duckdb").target == "e.duckdb"
    where = parse_location("postgresql://ana:s3cret@db.example:5432/events")
    assert where.backend == "postgresql"
    assert "s3cret" not in str(where) and "ana:***@db.example:5432" in str(where)


def test_an_unreachable_server_is_a_one_line_store_error_without_the_password() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free: nothing listens there
    url = f"postgresql://ana:s3cret@127.0.0.1:{port}/events"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert message.startswith("cannot open store postgresql://ana:***@127.0.0.1")
    assert "s3cret" not in message and "\n" not in message


def test_synthetic_events_read_back_the_same_from_both_backends(pg_url: str) -> None:
    with open_store(pg_url) as pg, open_store(":memory:") as duck:
        assert pg.backend == "postgresql" and pg.schema_version() == SCHEMA_VERSION
        for found in synthetic_annotations():
            assert pg.save(found) is True and duck.save(found) is True
            assert pg.save(found) is False
        assert pg.events(limit=1000) == duck.events(limit=1000)
        assert _comparable(pg) == _comparable(duck) == duck.events(limit=1000)
        assert list(pg.iter_events(merge_duplicates=True)) == duck.events(merge_duplicates=True)
        assert pg.events(actor="hamas") == duck.events(actor="hamas") != []
        assert pg.events(text="100%") == duck.events(text="100%")
        assert pg.actors() == duck.actors()
        assert pg.facets() == duck.facets()
        assert pg.network() == duck.network()
        for interval in ("day", "week", "month", "year"):
            assert pg.timeseries(interval) == duck.timeseries(interval)
        pg_stats, duck_stats = pg.stats(), duck.stats()
        assert pg_stats == duck_stats
    with open_store(pg_url, read_only=True) as reader:
        assert store_exists(pg_url)
        with pytest.raises(StoreError, match="read-only"):
            reader.save(synthetic_annotations()[0])


def test_an_empty_server_database_is_no_store_until_written(pg_url: str) -> None:
    assert not store_exists(pg_url)
    open_store(pg_url).close()
    assert store_exists(pg_url)


def _save_all(url: str) -> list[bool]:
    with open_store(url) as store:
        return [store.save(found) for found in synthetic_annotations()]


def test_writers_in_several_processes_store_each_article_once(pg_url: str) -> None:
    with ProcessPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_save_all, [pg_url] * 4))
    articles = len(synthetic_annotations())
    # Every article was stored by exactly one process; the others were told it was there.
    assert [sum(saved) for saved in zip(*results, strict=True)] == [1] * articles
    with open_store(pg_url) as pg, open_store(":memory:") as duck:
        for found in synthetic_annotations():
            duck.save(found)
        assert pg.stats()["counts"] == duck.stats()["counts"]
        assert _comparable(pg) == _comparable(duck)


# -- through the command line and the pipeline -----------------------------------------


@pytest.mark.slow
def test_samples_ingested_store_the_same_events_in_duckdb_and_postgresql(
    pg_url: str, tmp_path: Path
) -> None:
    duck_db = tmp_path / "samples.duckdb"
    for db in (str(duck_db), pg_url):
        done = _ingest(db, SAMPLES)
        assert done.returncode == 0, done.stderr
    with open_store(duck_db, read_only=True) as duck, open_store(pg_url, read_only=True) as pg:
        expected = _comparable(duck)
        assert expected, "the samples hold events"
        assert _comparable(pg) == expected
        assert pg.stats()["counts"] == duck.stats()["counts"]
        before = pg.stats()["counts"]
    again = _ingest(pg_url, SAMPLES)
    assert again.returncode == 0, again.stderr
    assert "0 article(s) stored" in again.stderr
    with open_store(pg_url, read_only=True) as pg:
        assert pg.stats()["counts"] == before
        assert _comparable(pg) == expected


@pytest.mark.slow
def test_two_concurrent_ingests_store_each_article_once(pg_url: str, tmp_path: Path) -> None:
    duck_db = tmp_path / "once.duckdb"
    assert _ingest(str(duck_db), SAMPLES).returncode == 0
    command = [*DRAGOMAN, "ingest", str(SAMPLES), "--db", pg_url]
    runs = [
        subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=_env()) for _ in range(2)
    ]
    for run in runs:
        _, errors = run.communicate(timeout=600)
        assert run.returncode == 0, errors
    with open_store(duck_db, read_only=True) as duck, open_store(pg_url, read_only=True) as pg:
        assert pg.stats()["counts"] == duck.stats()["counts"]
        assert _comparable(pg) == _comparable(duck)


@pytest.mark.slow
def test_events_and_the_api_read_postgresql_while_an_ingest_writes(
    pg_url: str, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from dragoman.web import create_app

    open_store(pg_url).close()
    # Many copies of the samples under other ids: an ingest that lasts a while.
    feed = tmp_path / "feed.jsonl"
    records = []
    for n in range(40):
        for sample in sorted(SAMPLES.glob("*.txt")):
            records.append({"id": f"{sample.stem}-{n}", "text": sample.read_text("utf-8")})
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    writer = subprocess.Popen(
        [*DRAGOMAN, "ingest", str(feed), "--db", pg_url],
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    reads_during_ingest = 0
    seen_counts = []
    try:
        with TestClient(create_app(pg_url)) as client:
            deadline = time.monotonic() + 600
            while writer.poll() is None and time.monotonic() < deadline:
                listed = subprocess.run(
                    [*DRAGOMAN, "events", "--db", pg_url, "--format", "jsonl", "--limit", "100000"],
                    check=False,
                    capture_output=True,
                    text=True,
                    env=_env(),
                    timeout=120,
                )
                assert listed.returncode == 0, listed.stderr
                exported = client.get("/api/events", params={"format": "csv", "limit": "100000"})
                assert exported.status_code == 200
                stats = client.get("/api/stats")
                assert stats.status_code == 200
                seen_counts.append(stats.json()["counts"]["articles"])
                if writer.poll() is None:
                    reads_during_ingest += 1
    finally:
        _, errors = writer.communicate(timeout=600)
    assert writer.returncode == 0, errors
    assert reads_during_ingest >= 1, "the ingest ended before any read could overlap it"
    assert seen_counts == sorted(seen_counts)  # readers saw the store grow, never shrink
    with open_store(pg_url, read_only=True) as pg:
        assert pg.stats()["counts"]["articles"] == len(records)
