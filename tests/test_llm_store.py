"""The store records which coder found each event (schema version 3), and a store written
before that version is migrated with its events marked as the rules'."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dragoman.records import ActorRef, Annotations, Article, Event, Evidence
from dragoman.store import SCHEMA_VERSION, open_store, rows, sql

TEXT = "Iran and Russia held talks in Moscow."


def annotations(article_id: str, coder: str, agree: bool | None) -> Annotations:
    iran = ActorRef("Iran", 0, 4, "Iran", "IRN", country="IRN")
    russia = ActorRef("Russia", 9, 15, "Russia", "RUS", country="RUS")
    evidence = Evidence(TEXT, 0, len(TEXT), "held talks", 16, 26)
    event = Event(
        article_id, [iran], [russia], "040", "Consult", "CONSULT", None, 1, 1.0, evidence,
        coder=coder, coders_agree=agree,
    )  # fmt: skip
    return Annotations(Article(article_id, TEXT), [iran, russia], [], [], [event])


def coders(path: Path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "SELECT article_id, coder, coders_agree FROM events ORDER BY article_id"
        ).fetchall()
    finally:
        con.close()


def test_each_event_is_stored_with_its_coder_and_agreement(tmp_path):
    path = tmp_path / "events.duckdb"
    with open_store(path) as store:
        store.save(annotations("a", "both", True))
        store.save(annotations("b", "llm", False))
        store.save(annotations("c", "rules", None))
    assert coders(path) == [("a", "both", True), ("b", "llm", False), ("c", "rules", None)]


def test_a_store_of_version_2_is_migrated_with_its_events_marked_as_the_rules(tmp_path):
    path = tmp_path / "old.duckdb"
    # the file as version 2 wrote it: its migrations, and an event without a coder
    con = duckdb.connect(str(path))
    con.execute(sql.CREATE_SCHEMA_VERSION)
    for version, description, statements in sql.MIGRATIONS[:2]:
        for statement in statements:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, ?, now())", (version, description))
    old = annotations("a", "rules", None)
    values = dict(
        zip(sql.EVENT_WRITE_COLUMNS, rows.event_row("a-1", 0, old.events[0]), strict=True)
    )
    old_columns = [c for c in sql.EVENT_WRITE_COLUMNS if c not in ("coder", "coders_agree")]
    row = [values[c] for c in old_columns]
    con.execute(
        f"INSERT INTO events ({', '.join(old_columns)}) VALUES ({', '.join('?' * len(row))})",
        row,
    )
    con.close()
    with open_store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 3
        store.save(annotations("b", "llm", False))
    assert coders(path) == [("a", "rules", None), ("b", "llm", False)]
