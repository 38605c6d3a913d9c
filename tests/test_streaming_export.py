"""Exports stream from the store: the memory of an export does not grow with the number
of events, from the command line and from the API."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

from dragoman.evaluate.bigstore import generate
from dragoman.store import open_store

BIG = 200_000
SMALL = 20_000
#: How much more memory exporting ten times the events may take. Held as dictionaries, 
#: the 180,000 extra events alone would take well over a gigabyte.
GROWTH_BOUND_MB = 120


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.duckdb"
    generate(path, BIG)
    return path


def _peak_rss_mb(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``command``; its peak resident memory (sampled) in MB and its result."""
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        try:
            peak = max(peak, process.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    _, errors = process.communicate()
    return peak / 2**20, subprocess.CompletedProcess(command, process.returncode, "", errors)


def _export(db: Path, fmt: str, limit: int, out: Path) -> tuple[float, subprocess.CompletedProcess]:
    return _peak_rss_mb(
        [sys.executable, "-m", "dragoman.cli", "events", "--db", str(db), "--limit", str(limit),
         "--format", fmt, "--output", str(out)]
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_exporting_ten_times_the_events_takes_about_the_same_memory(
    big_store: Path, tmp_path: Path, fmt: str
) -> None:
    small_peak, small = _export(big_store, fmt, SMALL, tmp_path / f"small.{fmt}")
    big_peak, big = _export(big_store, fmt, BIG, tmp_path / f"big.{fmt}")
    assert small.returncode == 0 and big.returncode == 0, small.stderr + big.stderr
    if fmt == "csv":
        with (tmp_path / "big.csv").open(encoding="utf-8") as lines:
            assert sum(1 for _ in lines) == BIG + 1
    else:
        exported = pq.ParquetFile(tmp_path / "big.parquet")
        assert exported.metadata.num_rows == BIG
        assert exported.num_row_groups > 1  # written a row group at a time
    assert big_peak - small_peak < GROWTH_BOUND_MB, (small_peak, big_peak)


def _stream_export(client, limit: int) -> tuple[int, int, int]:
    """Lines and chunks of a JSONL export through the API, and the process's peak memory."""
    process = psutil.Process()
    chunks = lines = 0
    peak = process.memory_info().rss
    tail = ""
    params = {"format": "jsonl", "limit": str(limit)}
    with client.stream("GET", "/api/events", params=params) as response:
        assert response.status_code == 200
        for chunk in response.iter_text():
            chunks += 1
            text = tail + chunk
            lines += text.count("\n")
            tail = text[text.rfind("\n") + 1 :]
            if chunks % 20 == 0:
                peak = max(peak, process.memory_info().rss)
    return lines, chunks, peak


def test_the_api_streams_an_export_in_many_chunks(big_store: Path) -> None:
    from fastapi.testclient import TestClient

    from dragoman.web import create_app

    with TestClient(create_app(big_store)) as client:
        # The first export warms the database's cache; the second, ten times larger,
        # must need no more memory than that.
        _, _, small_peak = _stream_export(client, SMALL // 2)
        lines, chunks, big_peak = _stream_export(client, 10 * (SMALL // 2))
    assert lines == 10 * (SMALL // 2)
    assert chunks > 100  # sent as it is read, not as one body
    assert (big_peak - small_peak) / 2**20 < GROWTH_BOUND_MB, (small_peak, big_peak)


def test_streamed_events_are_the_events_in_order(big_store: Path) -> None:
    with open_store(big_store, read_only=True) as store:
        page = store.events(limit=5000, offset=1000, actor="hamas")
        assert list(store.iter_events(limit=5000, offset=1000, actor="hamas", batch_size=7)) == page
        merged = store.events(limit=3000, merge_duplicates=True)
        streamed = store.iter_events(limit=3000, merge_duplicates=True, batch_size=100)
        assert list(streamed) == merged


def test_the_parquet_export_reads_back_as_the_events(big_store: Path) -> None:
    from dragoman.formats.parquet import events_table, write_row_groups

    with open_store(big_store, read_only=True) as store:
        events = store.events(limit=2500)
        data = b"".join(write_row_groups(store.iter_events(limit=2500), False, 1000))
    exported = pq.ParquetFile(io.BytesIO(data))
    assert exported.num_row_groups == 3
    assert exported.read().equals(events_table(events))
