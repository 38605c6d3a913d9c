"""``kill -9`` in the middle of an ingest loses nothing and duplicates nothing.

A folder of many small articles is ingested once without interruption. Then the same
folder is ingested into another store by a ``dragoman ingest`` that is SIGKILLed at
several random (seeded) moments while it writes, each time started again, and finally
run to completion. The two stores must hold exactly the same rows in every table
(time stamps of writing aside): no article lost, none stored twice, no event twice.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ARTICLES = 240
KILLS = 3
SEED = 9
#: Columns that say when a row was written, not what it holds.
WHEN_WRITTEN = {"ingested_at", "applied_at"}

_ACTORS = ["Russia", "Iran", "Turkey", "Egypt", "Qatar", "France", "Japan", "India", "Israel"]
_ACTS = [
    "held talks with",
    "condemned",
    "sent aid to",
    "accused",
    "signed an agreement with",
    "threatened",
    "met officials of",
]
_PLACES = ["Moscow", "Cairo", "Doha", "Paris", "Ankara", "Tokyo", "Delhi"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def write_articles(folder: Path, count: int = ARTICLES) -> None:
    """``count`` short articles, each a different pair of sentences (some undated)."""
    rnd = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        one, two = rnd.sample(_ACTORS, 2)
        lines = []
        if number % 3:
            lines += [f" date 2024-{1 + number % 12:02d}-{1 + number % 28:02d}", ""]
        lines.append(
            f"{one} {rnd.choice(_ACTS)} {two} in {rnd.choice(_PLACES)} on "
            f"{rnd.choice(_DAYS)}. Report number {number} said {two} {rnd.choice(_ACTS)} {one}."
        )
        (folder / f"a{number:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _ingest(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        # One process: worker processes would each load the model again, for no more
        # than a few seconds of work.
        [sys.executable, "-m", "dragoman.cli", "ingest", str(folder), "--db", str(db)]
        + ["--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Its own process group, so that the workers it starts can be found and ended.
        start_new_session=True,
    )


def _finish(process: subprocess.Popen, timeout: float = 300) -> str:
    _, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err.decode(errors="replace")[-3000:]
    return err.decode(errors="replace")


def _stored(db: Path) -> int | None:
    """Articles in the store, read as any reader would; None while a batch is being
    written (the ingest holds the file) or before the store exists."""
    import duckdb

    if not db.exists():
        return None
    try:
        connection = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        connection.close()


def _kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the ingest and any worker it started (the group it leads), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)
    if process.stderr:
        process.stderr.close()


def _rows(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the columns that say when they were written."""
    import duckdb

    connection = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables ORDER BY table_name"
            ).fetchall()
        ]
        rows: dict[str, list[tuple]] = {}
        for table in tables:
            columns = [
                name
                for (name,) in connection.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if name not in WHEN_WRITTEN
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            fetched = connection.execute(f'SELECT {listed} FROM "{table}"').fetchall()
            rows[table] = sorted(fetched, key=repr)
        return rows
    finally:
        connection.close()


def _count(db: Path, table: str) -> int:
    import duckdb

    connection = duckdb.connect(str(db), read_only=True)
    try:
        return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        connection.close()


def test_kill_9_during_ingest_still_gives_the_uninterrupted_result(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write_articles(folder)
    # The uninterrupted run goes on beside the interrupted ones (its own store).
    reference = tmp_path / "reference.duckdb"
    uninterrupted = _ingest(folder, reference)
    patience = 300.0

    rnd = random.Random(SEED)
    killed = tmp_path / "killed.duckdb"
    progress: list[int] = []
    for _ in range(KILLS):
        before = _stored(killed) or 0
        process = _ingest(folder, killed)
        deadline = time.monotonic() + patience
        # Once this run has written a batch (batches follow every 2 s or so), a random
        # moment later: while articles are analysed, or while a batch is written.
        while process.poll() is None and time.monotonic() < deadline:
            if (_stored(killed) or 0) > before:
                break
            time.sleep(0.05)
        time.sleep(rnd.uniform(0.0, 1.0))
        finished_first = process.poll() is not None
        _kill_group(process)
        progress.append(_count(killed, "articles"))
        if finished_first:
            break
    _finish(_ingest(folder, killed))
    _finish(uninterrupted)
    assert _count(reference, "articles") == ARTICLES
    assert _count(reference, "events") > ARTICLES // 2

    assert any(0 < n < ARTICLES for n in progress), (
        f"no kill landed in the middle of the writing (articles stored at each: {progress})"
    )
    expected, found = _rows(reference), _rows(killed)
    assert found.keys() == expected.keys()
    for table in expected:
        assert len(found[table]) == len(expected[table]), (table, progress)
        assert found[table] == expected[table], table
    ids = [row[0] for row in found["articles"]]
    assert len(ids) == len(set(ids)) == ARTICLES
    events = [row[0] for row in found["events"]]
    assert len(events) == len(set(events)), "an event stored twice"
    print(f"kill -9 after {progress} of {ARTICLES} articles stored; store equal to the whole run")
