"""``dragoman ingest --engine ray`` on a real local Ray cluster: the events it stores and
writes are, event by event, those of a single-process ingest of the same articles, and
``dragoman events`` reads the DuckDB store while the job writes it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, SHARED
from store_reading import dragoman_command, read_while_writing, store_rows
from typer.testing import CliRunner

from dragoman.cli import app
from dragoman.ingest.sharing import ingest_running
from dragoman.records import Article

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'ray[data]==2.60.0'")
pytest.importorskip("ray.data", reason="Ray Data is not installed: pip install 'ray[data]'")

pytestmark = pytest.mark.slow
runner = CliRunner()
#: The Parquet copy of the samples: its ids and text under other names.
PARQUET_PREFIX = "pq-"
COLUMNS = ["--columns", "id=doc_id,text=body"]
SEEDS = SHARED / "seeds"
#: Lines that must be reported, never stored: a malformed record, a text holding a NUL,
#: an id already read from samples.jsonl with another text, and an article in French.
CONFLICTS = [
    '{"id": "no-text", "text": 5}',
    json.dumps({"id": "nul-text", "text": "Iran and Iraq held talks.\u0000"}),
    json.dumps({"id": "sahel-0412", "text": "Another text under an id already read."}),
    json.dumps(
        {
            "id": "in-french",
            "text": "Les responsables égyptiens ont rencontré les dirigeants du Hamas au Caire "
            "lundi pour discuter d'un cessez-le-feu à Gaza, selon deux personnes informées "
            "de la réunion.",
        }
    ),
]
#: Articles of the corpus read while a Ray job writes: several result blocks of the
#: coding actors (32 articles each), so the store is written in several batches.
BUSY_ARTICLES = 192
#: Every table of the store, and the columns that differ between two runs by nature.


def _jsonl(articles) -> str:
    lines = []
    for a in articles:
        published = a.published.isoformat() if a.published else None
        record = {"id": a.id, "text": a.text, "published": published, "title": a.title}
        lines.append(json.dumps({k: v for k, v in record.items() if v is not None}))
    return "\n".join(lines) + "\n"


def _articles(folder: Path) -> list:
    from dragoman.ingest import read_paths

    return [item for item in read_paths([folder]) if not hasattr(item, "message")]


@pytest.fixture(scope="module")
def cluster():
    """A local Ray cluster of 2 CPUs and a 200 MB object store, for this module only."""
    try:
        ray.init(
            address="local",
            num_cpus=2,
            object_store_memory=200 * 1024 * 1024,
            include_dashboard=False,
            log_to_driver=False,
        )
    except Exception as exc:  # noqa: BLE001 - any reason Ray cannot start is a skip
        pytest.skip(f"Ray could not start a local cluster: {type(exc).__name__}: {exc}")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The samples (and the seeds, when beside the repository) as JSONL, the samples
    again as Parquet under other ids and other column names, and bad lines."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("corpus")
    samples = _articles(SAMPLES)
    (folder / "samples.jsonl").write_text(_jsonl(samples), encoding="utf-8")
    table = pa.table(
        {
            "doc_id": [PARQUET_PREFIX + a.id for a in samples],
            "body": [a.text for a in samples],
            "published": pa.array([a.published for a in samples], pa.date32()),
            "title": [a.title for a in samples],
        }
    )
    pq.write_table(table, folder / "samples.parquet")
    if SEEDS.is_dir():
        (folder / "seeds.jsonl").write_text(_jsonl(_articles(SEEDS)), encoding="utf-8")
    (folder / "zz_conflicts.jsonl").write_text("\n".join(CONFLICTS) + "\n", encoding="utf-8")
    return folder


def _events(db: Path) -> list[dict]:
    listed = runner.invoke(
        app, ["events", "--db", str(db), "--format", "jsonl", "--limit", "100000"]
    )
    assert listed.exit_code == 0, listed.output
    return [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]


def _skipped(stderr: str) -> set[str]:
    return {line for line in stderr.splitlines() if line.startswith("skipped ")}


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    """A single-process ingest of the corpus: (events, skipped lines)."""
    db = tmp_path_factory.mktemp("single") / "single.duckdb"
    result = runner.invoke(app, ["ingest", str(corpus), *COLUMNS, "--db", str(db)])
    assert result.exit_code == 1, result.output
    return _events(db), _skipped(result.stderr)


@pytest.fixture(scope="module")
def on_ray(cluster, corpus, tmp_path_factory):
    """A Ray ingest of the corpus into a store and a Parquet dataset."""
    where = tmp_path_factory.mktemp("ray")
    db, out = where / "ray.duckdb", where / "dataset"
    result = runner.invoke(
        app,
        [
            "ingest",
            str(corpus),
            *COLUMNS,
            "--engine",
            "ray",
            "--db",
            str(db),
            "--output-parquet",
            str(out),
        ],
    )
    return result, _events(db), out


def _key(event: dict) -> tuple:
    """What must agree between two runs: ids, codes, actors, evidence, date, modality."""

    def actors(role: str) -> tuple:
        return tuple((a["code"], a["name"], a["start"], a["end"]) for a in event[role])

    evidence = event["evidence"]
    return (
        event["event_id"],
        event["article_id"],
        event["cameo"],
        event["plover"],
        event["quad_class"],
        actors("source"),
        actors("target"),
        actors("attribution"),
        evidence["start"],
        evidence["end"],
        evidence["trigger_start"],
        evidence["trigger_end"],
        evidence["sentence"],
        str(event["date_start"]) if event["date_start"] else None,
        event["modality"],
    )


def test_ray_stores_the_events_of_a_single_process_ingest(single, on_ray):
    result, ray_events, _ = on_ray
    single_events, _ = single
    assert result.exit_code == 1, result.output  # the bad lines were skipped
    assert len(single_events) >= 20
    assert sorted(map(_key, ray_events)) == sorted(map(_key, single_events))


def test_seed_articles_are_coded_alike(single, on_ray):
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}; only the samples were compared")
    seed_ids = {a.id for a in _articles(SEEDS)}
    ray_seed = [_key(e) for e in on_ray[1] if e["article_id"] in seed_ids]
    single_seed = [_key(e) for e in single[0] if e["article_id"] in seed_ids]
    assert single_seed
    assert sorted(ray_seed) == sorted(single_seed)


def test_failed_articles_are_reported_at_the_end_like_a_single_process_run(single, on_ray):
    result = on_ray[0]
    skipped = _skipped(result.stderr)
    assert skipped == single[1]
    assert len(skipped) == len(CONFLICTS)
    assert any("zz_conflicts.jsonl:1: malformed record" in line for line in skipped)
    assert any("'sahel-0412' was read from" in line for line in skipped)
    assert any("zz_conflicts.jsonl:4: not read: written in French" in line for line in skipped)
    lines = result.stderr.strip().splitlines()
    # The summaries first, then the failures, one line each, at the very end.
    assert all(line.startswith("skipped ") for line in lines[-len(CONFLICTS) :])
    assert any("written to" in line and f"{len(CONFLICTS)} skipped" in line for line in lines)


def test_parquet_dataset_has_month_partitions_readable_by_duckdb(single, on_ray):
    import duckdb
    import pyarrow.dataset as pads

    _, _, out = on_ray
    months = {p.name for p in (out / "events").iterdir()}
    assert months and all(m.startswith("month=") for m in months)
    con = duckdb.connect()
    rows = con.execute(
        "SELECT event_id, month, strftime(date_start, '%Y-%m') AS day_month, "
        "evidence.start, len(source) "
        f"FROM read_parquet('{out}/events/*/*.parquet', hive_partitioning = true)"
    ).fetchall()
    assert len(rows) == len(single[0])
    assert {r[0] for r in rows} == {e["event_id"] for e in single[0]}
    for _, month, day_month, start, _ in rows:
        assert month == (day_month or "undated")
        assert start is not None
    assert {f"month={r[1]}" for r in rows} == months
    # pyarrow reads the same dataset, the partition as a column.
    events = pads.dataset(out / "events", format="parquet", partitioning="hive").to_table()
    assert events.num_rows == len(rows)
    assert sorted(map(_key, _parquet_events(events))) == sorted(map(_key, single[0]))
    assert "month" in events.column_names and "evidence" in events.column_names
    articles = pads.dataset(out / "articles", format="parquet", partitioning="hive").to_table()
    ids = set(articles.column("article_id").to_pylist())
    assert {e["article_id"] for e in single[0]} <= ids
    assert sum(articles.column("events").to_pylist()) == len(rows)


def test_parquet_input_with_a_column_mapping_gives_the_events_of_its_jsonl_twin(on_ray):
    def coded(event: dict) -> tuple:
        return _key(event)[2:]  # all but the event and article ids

    events = on_ray[1]
    from_parquet = [e for e in events if e["article_id"].startswith(PARQUET_PREFIX)]
    sample_ids = {a.id for a in _articles(SAMPLES)}
    from_jsonl = [e for e in events if e["article_id"] in sample_ids]
    assert from_jsonl
    assert sorted(map(coded, from_parquet)) == sorted(map(coded, from_jsonl))
    assert {e["article_id"] for e in from_parquet} == {
        PARQUET_PREFIX + e["article_id"] for e in from_jsonl
    }


def _parquet_events(table) -> list[dict]:
    """Parquet event rows in the shape of ``dragoman events --format jsonl``."""
    events = table.to_pylist()
    for event in events:
        event["date_start"] = event["date_start"].isoformat() if event["date_start"] else None
    return events


def test_an_output_folder_that_holds_files_is_refused(cluster, corpus, tmp_path):
    (tmp_path / "old.parquet").write_bytes(b"PAR1")
    result = runner.invoke(
        app, ["ingest", str(corpus), "--engine", "ray", "--output-parquet", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "already holds files" in result.stderr


def test_ray_needs_somewhere_to_write(corpus):
    result = runner.invoke(app, ["ingest", str(corpus), "--engine", "ray"])
    assert result.exit_code == 2
    assert "--output-parquet" in result.stderr


def test_missing_ray_is_one_line_saying_how_to_install_it(corpus, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    result = runner.invoke(
        app, ["ingest", str(corpus), "--engine", "ray", "--output-parquet", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'ray[data" in lines[0]


def test_a_store_that_cannot_be_opened_is_one_line_before_the_cluster_starts(corpus, tmp_path):
    db = tmp_path / "not-a-store.duckdb"
    db.write_text("not a DuckDB file\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(corpus), "--engine", "ray", "--db", str(db)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error ") and str(db) in lines[0], lines
    assert not (tmp_path / "not-a-store.duckdb.ingesting").exists()


# -- reading the store while a Ray job writes it ----------------------------------------




@pytest.fixture(scope="module")
def busy_corpus(tmp_path_factory) -> Path:
    """One JSONL file of :data:`BUSY_ARTICLES` articles: the samples' texts under new ids."""
    samples = _articles(SAMPLES)
    path = tmp_path_factory.mktemp("busy") / "busy.jsonl"
    copies = []
    for i in range(BUSY_ARTICLES):
        sample = samples[i % len(samples)]
        copies.append(Article(id=f"busy-{i:03d}", text=sample.text, published=sample.published))
    path.write_text(_jsonl(copies), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def busy_reference(busy_corpus, tmp_path_factory) -> dict[str, list[tuple]]:
    """The busy corpus stored by one process."""
    db = tmp_path_factory.mktemp("busy-reference") / "reference.duckdb"
    result = runner.invoke(app, ["ingest", str(busy_corpus), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert f"{BUSY_ARTICLES} article(s) stored" in result.output
    return store_rows(db)


def test_events_can_be_read_while_a_ray_job_writes_the_store(
    cluster, busy_corpus, busy_reference, tmp_path
):
    """`dragoman events` succeeds again and again while another process runs a Ray job
    into the same DuckDB file, and sees the store grow; the store at the end is the one a
    single-process ingest leaves."""
    db = tmp_path / "busy.duckdb"
    total = len(busy_reference["events"])
    assert total > 0, "the samples hold events"
    address = ray.get_runtime_context().gcs_address  # the module's cluster
    job = subprocess.Popen(
        dragoman_command(
            "ingest", str(busy_corpus), "--engine", "ray", "--address", address, "--db", str(db)
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen, stderr = read_while_writing(job, db, total, 600)
    assert job.returncode == 0, stderr[-3000:]
    assert f"{BUSY_ARTICLES} article(s) stored with {total} event(s)" in stderr, stderr[-3000:]
    assert any(0 < count < total for count in seen), f"no read saw the store grow: {seen}"
    assert not ingest_running(db)
    assert not (tmp_path / "busy.duckdb.ingesting").exists()
    assert store_rows(db) == busy_reference
