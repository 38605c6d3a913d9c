"""Where a store lives: a DuckDB file (a path or a ``duckdb:`` URL) or a PostgreSQL
database (a ``postgresql://`` URL). ``--db`` and ``DRAGOMAN_DB`` take either."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

#: URL schemes of a PostgreSQL server (libpq accepts both).
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
DUCKDB_SCHEME = "duckdb:"


@dataclass(frozen=True)
class StoreLocation:
    """A parsed ``--db`` value: the backend and what it connects to.

    ``target`` is a file path (or ``:memory:``) for DuckDB and the connection URL for
    PostgreSQL. ``str()`` gives it for messages, a password hidden.
    """

    backend: str
    target: str

    @property
    def is_file(self) -> bool:
        """True for a DuckDB file (not ``:memory:``)."""
        return self.backend == "duckdb" and self.target != ":memory:"

    def __str__(self) -> str:
        if self.backend != "postgresql":
            return self.target
        return hide_password(self.target)


def parse_location(value: str | Path | StoreLocation) -> StoreLocation:
    """The store ``value`` names: a ``postgresql://user@host:port/db`` URL, a
    ``duckdb:PATH`` URL or a plain path (or ``:memory:``)."""
    if isinstance(value, StoreLocation):
        return value
    text = str(value)
    if text.lower().startswith(POSTGRES_SCHEMES):
        return StoreLocation("postgresql", text)
    if text.lower().startswith(DUCKDB_SCHEME):
        path = text[len(DUCKDB_SCHEME) :]
        # duckdb:///abs/file and duckdb://rel/file, as well as duckdb:file
        path = path.removeprefix("//")
        if not path:
            raise ValueError(f"{text!r} names no file: write duckdb:PATH")
        return StoreLocation("duckdb", path)
    return StoreLocation("duckdb", text)


def hide_password(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***`` (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
