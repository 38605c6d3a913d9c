"""Reading a DuckDB store from other processes while an ingest writes it: what the
workers and the Ray tests share."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dragoman.ingest.sharing import ingest_running

TABLES = ("articles", "actors", "mentions", "times", "places", "events", "event_actors")
#: Columns that differ between two runs storing the same articles.
VOLATILE = {"articles": ("ingested_at",)}


def store_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order, without the time each was written."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table in TABLES:
            volatile = VOLATILE.get(table)
            columns = f"* EXCLUDE ({', '.join(volatile)})" if volatile else "*"
            out[table] = con.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def dragoman_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "dragoman.cli", *args]


def read_while_writing(
    writer: subprocess.Popen, db: Path, total: int, seconds: float
) -> tuple[list[int], str]:
    """Run ``dragoman events`` on ``db`` again and again from the moment ``writer`` starts
    writing it until it ends; every read must succeed. Returns the number of events each
    read found while ``writer`` still ran, and ``writer``'s stderr."""
    seen: list[int] = []
    try:
        deadline = time.monotonic() + seconds
        while not ingest_running(db):
            assert writer.poll() is None, writer.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.1)
        while writer.poll() is None:
            assert time.monotonic() < deadline, "the writer did not finish in time"
            read = subprocess.run(
                dragoman_command(
                    "events", "--db", str(db), "--format", "jsonl", "--limit", str(total + 1)
                ),
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert read.returncode == 0, read.stderr
            if writer.poll() is None:
                seen.append(read.stdout.count("\n"))
        _, stderr = writer.communicate(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
    return seen, stderr
