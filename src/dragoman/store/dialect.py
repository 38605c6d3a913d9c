"""What differs between the SQL databases a store can live in, in one place.

``sql.py`` is written once, in the SQL that DuckDB and PostgreSQL share, with ``?``
placeholders. A :class:`Dialect` says what a backend needs on top of that: its
placeholder, how it finds the schema table, and how concurrent writers take turns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

#: A quoted string, a quoted identifier, or a ``?`` placeholder (strings and identifiers
#: are matched so that a ``?`` inside them is left alone).
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?")

#: An arbitrary, fixed key of the advisory lock that serialises migrations on a server.
_MIGRATION_LOCK_KEY = 7_402_311_957


@dataclass(frozen=True)
class Dialect:
    """One database's way of saying what ``sql.py`` says in the shared dialect."""

    name: str
    #: The placeholder of a bound parameter in this driver (``?`` or ``%s``).
    placeholder: str = "?"
    #: Whether the schema table lives in the connection's current schema (a server
    #: database holds many schemas; an embedded file one).
    schema_scoped: bool = False
    #: Statements that make concurrent processes migrate one at a time (none when one
    #: process holds the whole database, as with DuckDB).
    migration_lock: tuple[str, ...] = field(default=())
    migration_unlock: tuple[str, ...] = field(default=())

    def statement(self, text: str) -> str:
        """``text`` with its placeholders in this dialect (cached per statement)."""
        if self.placeholder == "?":
            return text
        return _translate(text, self.placeholder)

    @property
    def schema_table_query(self) -> str:
        """How many tables called ``schema_version`` this connection sees (0 or 1)."""
        query = (
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        )
        if self.schema_scoped:
            query += " AND table_schema = current_schema()"
        return query


@lru_cache(maxsize=512)
def _translate(text: str, placeholder: str) -> str:
    """``?`` outside quotes becomes ``placeholder``; every literal ``%`` is doubled first,
    as drivers whose placeholders start with ``%`` read it anywhere, quotes included."""

    def replace(match: re.Match[str]) -> str:
        token = match.group()
        return placeholder if token == "?" else token

    return _TOKENS.sub(replace, text.replace("%", "%%"))


DUCKDB = Dialect(name="duckdb")
POSTGRESQL = Dialect(
    name="postgresql",
    placeholder="%s",
    schema_scoped=True,
    migration_lock=(f"SELECT pg_advisory_lock({_MIGRATION_LOCK_KEY})",),
    migration_unlock=(f"SELECT pg_advisory_unlock({_MIGRATION_LOCK_KEY})",),
)
