"""One connection interface over DuckDB and PostgreSQL.

The store talks to either through the same four calls: ``execute`` (a statement in
the shared dialect of ``sql.py``, returning something with ``fetchone``/``fetchall``),
``executemany``, ``stream`` (rows of a query in batches, on a cursor of its own so a
long export holds neither memory nor the shared connection) and ``close``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from dragoman.folders import create_folder
from dragoman.store.dialect import DUCKDB, POSTGRESQL, Dialect
from dragoman.store.location import StoreLocation

#: Rows fetched per round trip when streaming.
STREAM_BATCH = 2_000
#: DuckDB's memory cap for a store opened read-only (the explorer, ``dragoman events``,
#: exports). DuckDB's default, most of the machine's memory, lets an export's sort and
#: the file's cached blocks grow with the store; under this cap they spill to disk, so a
#: reader's memory stays the same for a million events as for a thousand.
READER_MEMORY_LIMIT = "256MB"


class StoreError(RuntimeError):
    """The store cannot be used (not a store, held by another process, unreachable
    server, schema newer than this code...)."""


class Connection(Protocol):
    """What the store needs from a database connection."""

    dialect: Dialect

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any: ...

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def stream(
        self, statement: str, params: Sequence[Any] = (), batch_size: int = STREAM_BATCH
    ) -> Iterator[tuple[Any, ...]]: ...

    def close(self) -> None: ...


def _batches(cursor: Any, batch_size: int, done: Any) -> Iterator[tuple[Any, ...]]:
    try:
        while rows := cursor.fetchmany(batch_size):
            yield from rows
    finally:
        done()


class DuckDBConnection:
    """A DuckDB connection (the file is held by this process while open)."""

    dialect = DUCKDB

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        return self.raw.execute(statement, params)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self.raw.executemany(statement, rows)

    def stream(
        self, statement: str, params: Sequence[Any] = (), batch_size: int = STREAM_BATCH
    ) -> Iterator[tuple[Any, ...]]:
        """Rows of ``statement``, on a duplicate connection to the same database: the query
        runs now (errors surface here), rows are fetched as the iterator is read."""
        cursor = self.raw.cursor()
        try:
            cursor.execute(statement, params)
        except BaseException:
            cursor.close()
            raise
        return _batches(cursor, batch_size, cursor.close)

    def close(self) -> None:
        self.raw.close()


class PostgresConnection:
    """A PostgreSQL connection in autocommit mode: the store's explicit ``BEGIN``/``COMMIT``
    delimit its transactions, every other statement commits on its own."""

    dialect = POSTGRESQL

    def __init__(self, url: str, read_only: bool, display: str) -> None:
        self.url = url
        self.read_only = read_only
        self.display = display
        self.raw = _postgres_connect(url, read_only, display, autocommit=True)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        return self.raw.execute(self.dialect.statement(statement), tuple(params))

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(self.dialect.statement(statement), rows)

    def stream(
        self, statement: str, params: Sequence[Any] = (), batch_size: int = STREAM_BATCH
    ) -> Iterator[tuple[Any, ...]]:
        """Rows of ``statement`` from a server-side cursor on a connection of its own (one
        transaction, so one consistent snapshot however long the export takes)."""
        con = _postgres_connect(self.url, False, self.display, autocommit=False)
        try:
            cursor = con.cursor(name="dragoman_stream")
            cursor.itersize = batch_size
            cursor.execute(self.dialect.statement(statement), tuple(params))
        except BaseException:
            con.close()
            raise
        return _batches(cursor, batch_size, con.close)

    def close(self) -> None:
        self.raw.close()


def _postgres_connect(url: str, read_only: bool, display: str, autocommit: bool) -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        raise StoreError(f"cannot open store {display}: psycopg is not installed") from exc
    try:
        con = psycopg.connect(url, autocommit=autocommit, connect_timeout=10)
        if read_only:
            # Set after connecting, so that options given in the URL (a search_path...) hold.
            con.execute("SET default_transaction_read_only = on")
        return con
    except psycopg.Error as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreError(f"cannot open store {display}: {detail}") from exc


def connect(location: StoreLocation, read_only: bool) -> Connection:
    """A connection to the store at ``location``; :class:`StoreError` (one line) when the
    database cannot be opened."""
    if location.backend == "postgresql":
        return PostgresConnection(location.target, read_only, str(location))
    return _duckdb_connect(location.target, read_only)


def _duckdb_connect(target: str, read_only: bool) -> DuckDBConnection:
    import duckdb

    if target != ":memory:":
        file = Path(target)
        if read_only and not file.exists():
            raise FileNotFoundError(f"no store at {file}")
        if not read_only:
            reason = create_folder(file.parent)
            if reason is not None:
                raise StoreError(
                    f"cannot create the folder {file.parent} for store {file}: {reason}"
                )
    config = {"memory_limit": READER_MEMORY_LIMIT} if read_only else {}
    try:
        return DuckDBConnection(duckdb.connect(target, read_only=read_only, config=config))
    except duckdb.Error as exc:
        raise StoreError(_duckdb_open_error(target, exc)) from exc


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def _duckdb_open_error(location: str, exc: Exception) -> str:
    """One line saying why DuckDB could not open ``location``."""
    detail = " ".join(str(exc).split())
    if "Could not set lock" in detail:
        holder = _LOCK_HOLDER.search(detail)
        by = f" (PID {holder['pid']}, {holder['program']})" if holder else ""
        return (
            f"cannot open store {location}: another process has it open{by}; "
            "a store can be open for writing in one process at a time"
        )
    if "not a valid DuckDB database" in detail:
        return f"cannot open store {location}: the file is not a DuckDB database"
    return f"cannot open store {location}: {detail}"
