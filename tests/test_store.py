"""The DuckDB store: idempotent, atomic writes and every query filter."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dragoman.records import ActorRef, Annotations, Article, Event, Evidence
from dragoman.store import (
    FLAT_COLUMNS,
    MERGED_COLUMNS,
    SCHEMA_VERSION,
    Store,
    StoreError,
    open_store,
    sql,
)
from dragoman.store.rows import duplicate_key, event_id

try:
    from e2e.synthetic import GAZA_STRIKES, RU_HAMAS, UN_APPEAL, synthetic_annotations
except ImportError:  # tests/ imported as a package
    from tests.e2e.synthetic import GAZA_STRIKES, RU_HAMAS, UN_APPEAL, synthetic_annotations

INJECTION = "'; DROP TABLE events; --"


@pytest.fixture
def store() -> Store:
    with open_store(":memory:") as opened:
        for annotations in synthetic_annotations():
            assert opened.save(annotations) is True
        yield opened


def _cameos(events: list[dict]) -> list[str]:
    return [e["cameo"] for e in events]


def _table_counts(store: Store) -> dict[str, int]:
    return store.stats()["counts"]


def test_stored_events_read_back_exactly_as_event_to_dict(store: Store) -> None:
    expected = {}
    for found in synthetic_annotations():
        for event in found.events:
            expected[event_id(event)] = {**event.to_dict(), "event_id": event_id(event)}
    stored = store.events(limit=1000)
    assert len(stored) == len(expected) == 7
    for event in stored:
        assert event == expected[event["event_id"]]


def test_saving_the_same_article_twice_adds_nothing(store: Store) -> None:
    before = _table_counts(store)
    for found in synthetic_annotations():
        assert store.save(found) is False
    assert _table_counts(store) == before


def test_saves_persist_across_reopening_and_read_only(tmp_path: Path) -> None:
    path = tmp_path / "events.duckdb"
    with open_store(path) as first:
        first.save(synthetic_annotations()[0])
    with open_store(path, read_only=True) as reopened:
        assert reopened.has_article(RU_HAMAS)
        assert reopened.count_events() == 2
        assert reopened.schema_version() == SCHEMA_VERSION
        with pytest.raises(StoreError):
            reopened.save(synthetic_annotations()[1])
    with open_store(path) as again:
        assert again.save(synthetic_annotations()[0]) is False
        assert again.save(synthetic_annotations()[1]) is True


def test_read_only_open_of_a_missing_store_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        open_store(tmp_path / "missing.duckdb", read_only=True)


@contextmanager
def held_open(path: Path) -> Iterator[None]:
    """Another process holding a DuckDB connection to ``path`` (as a running ingest would)."""
    script = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('open', flush=True); "
        "sys.stdin.read()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


def test_a_store_another_process_holds_fails_with_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    open_store(path).close()
    with held_open(path):
        for read_only in (False, True):
            with pytest.raises(StoreError, match="another process has it open") as caught:
                open_store(path, read_only=read_only)
            assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    with open_store(path) as reopened:  # usable again once the other process is done
        assert reopened.schema_version() == SCHEMA_VERSION


def test_a_file_that_is_not_a_duckdb_database_fails_with_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database\n", encoding="utf-8")
    for read_only in (False, True):
        with pytest.raises(StoreError, match="not a DuckDB database"):
            open_store(path, read_only=read_only)
    assert path.read_text(encoding="utf-8") == "not a database\n"


def test_a_store_under_a_file_fails_with_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "plain.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot create the folder"):
        open_store(blocker / "store.duckdb")


def test_article_text_is_the_stored_text(store: Store) -> None:
    (first, *_) = synthetic_annotations()
    assert store.article_text(first.article.id) == first.article.text
    assert store.article_text("no-such-article") is None


def test_failed_save_rolls_back_and_keeps_what_was_stored(store: Store) -> None:
    before = _table_counts(store)
    good = synthetic_annotations()[1]
    # The third event's INSERT fails after the article, mentions and two events are written.
    events = list(good.events)
    events[2] = dataclasses.replace(events[2], quad_class="not a number")
    broken = Annotations(
        dataclasses.replace(good.article, id="broken"),
        good.actors,
        good.times,
        good.places,
        [dataclasses.replace(e, article_id="broken") for e in events],
    )
    with pytest.raises(duckdb.Error):
        store.save(broken)
    assert not store.has_article("broken")
    assert store.article("broken") is None
    assert store.count_events(article_id="broken") == 0
    assert _table_counts(store) == before
    # The store is still usable, and the article can be saved once fixed.
    fixed = dataclasses.replace(broken, events=[dataclasses.replace(events[2], quad_class=4)])
    fixed.events[0].article_id = "broken"
    assert store.save(fixed) is True
    assert store.count_events(article_id="broken") == 1


def test_event_of_another_article_is_refused_without_partial_write(store: Store) -> None:
    before = _table_counts(store)
    source = synthetic_annotations()[0]
    wrong = Annotations(dataclasses.replace(source.article, id="other"), [], [], [], source.events)
    with pytest.raises(ValueError, match="belongs to article"):
        store.save(wrong)
    assert _table_counts(store) == before


def test_same_event_twice_in_one_article_is_stored_once() -> None:
    annotations = synthetic_annotations()[2]
    doubled = dataclasses.replace(annotations, events=annotations.events * 2)
    with open_store(":memory:") as store:
        store.save(doubled)
        assert store.count_events() == 2


def test_event_ids_are_deterministic_and_distinguish_codes() -> None:
    first = synthetic_annotations()[0].events[0]
    again = synthetic_annotations()[0].events[0]
    assert event_id(first) == event_id(again)
    assert event_id(first) != event_id(dataclasses.replace(first, cameo="1041"))


def test_article_returns_text_metadata_and_annotations(store: Store) -> None:
    article = store.article(RU_HAMAS)
    assert article is not None
    assert article["title"] == "Russia Presses Hamas Over Hostages"
    assert article["published"] == "2023-12-10"
    assert article["published_estimated"] is False
    assert [m["name"] for m in article["mentions"]][:2] == ["Mikhail Bogdanov", "Hamas"]
    for mention in article["mentions"]:
        assert article["text"][mention["start"] : mention["end"]] == mention["text"]
    assert [t["value"] for t in article["times"]] == ["2023-12-08", "2023-12-10"]
    assert article["places"][0]["name"] == "Gaza Strip"
    assert len(article["events"]) == 2
    assert store.article("no such article") is None


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"actor": "hamas"}, ["1056", "190", "040", "020"]),
        ({"actor": "PSEHMS"}, ["1056", "190", "040", "020"]),
        ({"actor": "Hamas fighters"}, ["190"]),
        ({"actor": "Russian Foreign Ministry"}, []),  # attribution is not source or target
        ({"country": "isr"}, ["0256", "195", "190", "020"]),
        ({"plover": "assault"}, ["195", "190"]),
        ({"cameo_root": "02"}, ["0256", "020"]),
        ({"cameo_root": "4"}, ["040"]),
        ({"quad_class": 3}, ["1056", "138"]),
        ({"since": date(2024, 1, 1)}, ["195", "190", "040"]),
        ({"until": date(2023, 12, 31)}, ["1056", "0256"]),
        ({"since": date(2024, 1, 15), "until": date(2024, 1, 15)}, ["040"]),
        ({"modality": "reported"}, ["0256", "195"]),
        ({"source": "egypt"}, ["040"]),
        ({"target": "Hamas"}, ["1056", "040", "020"]),
        ({"source": "Hamas", "target": "Israel"}, ["190"]),
        ({"text": "CEASEFIRE"}, ["0256"]),
        ({"text": "%"}, []),  # LIKE wildcards in user text are literal
        ({"text": "_"}, []),
        ({"article_id": UN_APPEAL}, ["020", "138"]),
        ({"actor": "israel", "quad_class": 4}, ["195", "190"]),  # + Israel Defense Forces
        ({"actor": "Defense Forces"}, ["195"]),  # a run of words of a name
        ({"actor": "isra"}, []),  # whole words only
        ({"actor": "ISRMI"}, []),  # a code only whole
    ],
)
def test_every_filter(store: Store, filters: dict, expected: list[str]) -> None:
    assert _cameos(store.events(**filters)) == expected
    assert store.count_events(**filters) == len(expected)


def test_events_are_ordered_by_date_with_undated_last(store: Store) -> None:
    events = store.events()
    dates = [e["date_start"] for e in events]
    assert dates == sorted(d for d in dates if d) + [None, None]


def test_pagination_walks_all_events_once(store: Store) -> None:
    everything = [e["event_id"] for e in store.events(limit=100)]
    pages = [
        e["event_id"] for offset in range(0, 7, 3) for e in store.events(limit=3, offset=offset)
    ]
    assert pages == everything
    assert store.events(limit=0) == []
    assert store.events(offset=100) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"quad_class": 5},
        {"quad_class": 0},
        {"cameo_root": "21"},
        {"cameo_root": "x"},
        {"cameo_root": "021"},
        {"since": "2024-01-01"},
        {"since": date(2024, 2, 1), "until": date(2024, 1, 1)},
        {"limit": -1},
        {"offset": -5},
    ],
)
def test_bad_filters_raise_value_error(store: Store, bad: dict) -> None:
    with pytest.raises(ValueError):
        store.events(**bad)


def test_sql_looking_input_is_treated_as_data(store: Store) -> None:
    for name in ("actor", "country", "source", "target", "text"):
        assert store.events(**{name: INJECTION}) == []
    for name in ("plover", "modality"):  # closed vocabularies: refused before any SQL runs
        with pytest.raises(ValueError, match=name):
            store.events(**{name: INJECTION})
    assert store.actors(q=INJECTION) == []
    assert store.has_article(INJECTION) is False
    assert store.count_events() == 7
    annotations = synthetic_annotations()[2]
    odd = Annotations(
        dataclasses.replace(annotations.article, id=INJECTION, title=INJECTION),
        [dataclasses.replace(annotations.actors[0], name=INJECTION)],
        [],
        [],
        [dataclasses.replace(annotations.events[1], article_id=INJECTION)],
    )
    assert store.save(odd) is True
    assert store.article(INJECTION)["title"] == INJECTION
    assert store.actors(q="drop table")[0]["name"] == INJECTION
    assert store.count_events() == 8


def test_events_frame_is_flat(store: Store) -> None:
    frame = store.events_frame(actor="Hamas")
    assert list(frame.columns) == list(FLAT_COLUMNS)
    assert len(frame) == 4
    row = frame[frame["cameo"] == "040"].iloc[0]
    assert row["source_names"] == "Egypt; Qatar"
    assert row["location_name"] == "Cairo"
    assert str(row["date_start"].date()) == "2024-01-15"


def test_actors_with_event_counts_and_search(store: Store) -> None:
    actors = store.actors()
    assert actors[0]["name"] == "Hamas"
    assert (actors[0]["events"], actors[0]["as_source"], actors[0]["as_target"]) == (4, 1, 3)
    assert actors[0]["mentions"] == 4
    assert store.count_actors() == len(actors) == 13
    assert [a["name"] for a in store.actors(q="unit")] == ["United Nations", "United States"]
    assert store.count_actors("unit") == 2
    assert len(store.actors(limit=2, offset=1)) == 2


def test_timeseries_by_interval_and_dyad(store: Store) -> None:
    assert store.timeseries("month") == [
        {"period": "2023-12-01", "count": 2, "goldstein_mean": -1.0},
        {"period": "2024-01-01", "count": 3, "goldstein_mean": -6.333},
    ]
    weeks = store.timeseries("week")
    assert [w["period"] for w in weeks] == ["2023-12-04", "2024-01-08", "2024-01-15"]
    days = store.timeseries("day", source="Hamas", target="Israel")
    assert days == [{"period": "2024-01-14", "count": 1, "goldstein_mean": -10.0}]
    with pytest.raises(ValueError):
        store.timeseries("hour")


def test_network_pairs_and_min_count(store: Store) -> None:
    edges = store.network()
    pairs = {(e["source"], e["target"]) for e in edges}
    assert ("Egypt", "Hamas") in pairs and ("Qatar", "Hamas") in pairs
    assert ("United Nations", "Israel") in pairs and ("United Nations", "Hamas") in pairs
    assert len(edges) == 9
    assert store.network(min_count=2) == []
    assert [(e["source"], e["target"]) for e in store.network(plover="ASSAULT")] == [
        ("Hamas", "Israel"),
        ("Israel Defense Forces", "Palestinian civilians"),
    ]
    with pytest.raises(ValueError):
        store.network(min_count=0)


def test_facets_count_events(store: Store) -> None:
    facets = store.facets()
    assert facets["plover"][0] == {"value": "REQUEST", "count": 3}
    assert {f["value"]: f["count"] for f in facets["quad_class"]} == {1: 3, 3: 2, 4: 2}
    assert {"value": "PSE", "count": 5} in facets["country"]
    assert store.facets(quad_class=4)["modality"] == [
        {"value": "asserted", "count": 1},
        {"value": "reported", "count": 1},
    ]


def test_stats(store: Store) -> None:
    stats = store.stats()
    assert stats["schema_version"] == SCHEMA_VERSION
    assert stats["counts"]["articles"] == 3 and stats["counts"]["events"] == 7
    assert (stats["first_date"], stats["last_date"]) == ("2023-12-08", "2024-01-15")
    assert stats["undated_events"] == 2


def test_schema_is_versioned_and_migrations_are_not_reapplied(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    with open_store(path) as store:
        assert store.migrate() == SCHEMA_VERSION
    con = duckdb.connect(str(path))
    assert con.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    con.execute("INSERT INTO schema_version VALUES (999, 'from the future', now())")
    con.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(path)


def test_unknown_article_events_and_gaza(store: Store) -> None:
    gaza = store.events(article_id=GAZA_STRIKES)
    assert [e["evidence"]["trigger"] for e in gaza] == ["airstrikes", "fired", "met"]
    assert gaza[0]["attribution"][0]["name"] == "Palestinian Ministry of Health"
    assert store.event(gaza[0]["event_id"]) == gaza[0]
    assert store.event("nope") is None


# -- merging reports of the same event across articles --------------------------------

CAIRO_TALKS = "syn-cairo-talks"


def _actor(text: str, phrase: str, name: str, code: str, country: str) -> ActorRef:
    start = text.index(phrase)
    return ActorRef(phrase, start, start + len(phrase), name, code, country)


def _meeting_report(
    article_id: str,
    text: str,
    day: date | None,
    cameo: str = "043",
    confidence: float = 0.8,
    with_israel: bool = False,
) -> Annotations:
    """An article reporting Egypt and Qatar meeting Hamas, in its own words."""
    egypt = _actor(text, "Egyptian", "Egypt", "EGY", "EGY")
    qatar = _actor(text, "Qatari", "Qatar", "QAT", "QAT")
    hamas = _actor(text, "Hamas", "Hamas", "PSEHMS", "PSE")
    targets = [hamas]
    if with_israel:
        targets.append(_actor(text, "Israeli", "Israel", "ISR", "ISR"))
    trigger = "talks"
    t_start = text.index(trigger)
    event = Event(
        article_id,
        [qatar, egypt],  # the other order than the Gaza article's "Egypt and Qatar"
        targets,
        cameo,
        "Host a visit",
        "CONSULT",
        "visit",
        1,
        2.8,
        Evidence(text, 0, len(text), trigger, t_start, t_start + len(trigger)),
        date=day.isoformat() if day else None,
        date_start=day,
        date_end=day,
        date_precision="day" if day else None,
        date_source="predicate" if day else "none",
        confidence=confidence,
    )
    article = Article(article_id, text, day)
    return Annotations(article, [*event.source, *event.target], [], [], [event])


def _cairo_talks(day: date | None = date(2024, 1, 15), **kwargs: Any) -> Annotations:
    text = "Qatari and Egyptian mediators held talks with Hamas officials in Cairo."
    if kwargs.get("with_israel"):
        text = "Qatari and Egyptian mediators held talks with Hamas and Israeli envoys."
    return _meeting_report(kwargs.pop("article_id", CAIRO_TALKS), text, day, **kwargs)


def _merged_by_article(events: list[dict]) -> dict[str, dict]:
    return {e["article_id"]: e for e in events}


def test_two_articles_reporting_one_meeting_merge_into_one(store: Store) -> None:
    assert store.save(_cairo_talks()) is True
    assert store.count_events() == 8
    merged = store.events(merge_duplicates=True)
    assert store.count_events(merge_duplicates=True) == len(merged) == 7
    meeting = [e for e in merged if e["reports"] == 2]
    assert len(meeting) == 1
    (event,) = meeting
    # The most confident report stands for the event (0.8 here against 0.7).
    assert event["article_id"] == CAIRO_TALKS and event["cameo"] == "043"
    assert event["report_articles"] == [CAIRO_TALKS, GAZA_STRIKES]
    stored = store.event(event["event_id"])
    assert {k: event[k] for k in stored} == stored
    assert (event["matched_reports"], event["report_sources"]) == (2, 2)
    others = [e for e in merged if e is not event]
    assert all(e["reports"] == 1 and e["report_articles"] == [e["article_id"]] for e in others)


def test_merge_ties_go_to_the_earliest_article_id(store: Store) -> None:
    store.save(_cairo_talks(article_id="syn-zz-cairo", confidence=0.7))
    store.save(_cairo_talks(article_id="syn-aa-cairo", confidence=0.7))
    (event,) = store.events(cameo_root="04", merge_duplicates=True)
    assert event["article_id"] == "syn-aa-cairo"
    assert event["reports"] == 3
    assert event["report_articles"] == ["syn-aa-cairo", GAZA_STRIKES, "syn-zz-cairo"]


@pytest.mark.parametrize(
    "other",
    [
        {"day": date(2024, 1, 17)},  # two days apart: beyond the one-day tolerance
        {"with_israel": True},  # a different set of sides
    ],
)
def test_different_reports_do_not_merge(store: Store, other: dict) -> None:
    store.save(_cairo_talks(**other))
    merged = store.events(merge_duplicates=True)
    assert len(merged) == store.count_events(merge_duplicates=True) == 8
    assert all(e["reports"] == 1 for e in merged)


def test_undated_reports_merge_when_nothing_else_disagrees() -> None:
    with open_store(":memory:") as store:
        store.save(_cairo_talks(day=None, article_id="syn-undated-1"))
        store.save(_cairo_talks(day=None, article_id="syn-undated-2"))
        store.save(_cairo_talks(day=None, article_id="syn-undated-3", with_israel=True))
        merged = store.events(merge_duplicates=True)
        assert sorted(e["reports"] for e in merged) == [1, 2]
        assert store.count_events(merge_duplicates=True) == 2


def test_filters_apply_before_merging(store: Store) -> None:
    store.save(_cairo_talks())
    # Only the Gaza article's report matches: it stands for the incident, whose counts it
    # carries.
    (alone,) = store.events(article_id=GAZA_STRIKES, cameo_root="04", merge_duplicates=True)
    assert (alone["article_id"], alone["matched_reports"], alone["reports"]) == (GAZA_STRIKES, 1, 2)
    assert store.count_events(article_id=GAZA_STRIKES, merge_duplicates=True) == 3
    (both,) = store.events(actor="Qatar", merge_duplicates=True)
    assert both["reports"] == both["matched_reports"] == 2
    (worded,) = store.events(actor="Qatar", text="Cairo on January", merge_duplicates=True)
    assert worded["article_id"] == GAZA_STRIKES
    assert worded["report_articles"] == [CAIRO_TALKS, GAZA_STRIKES]
    assert store.events(actor="Russia", merge_duplicates=True)[0]["reports"] == 1
    assert store.count_events(since=date(2024, 1, 15), merge_duplicates=True) == 1


def test_merged_pages_walk_every_merged_event_once(store: Store) -> None:
    store.save(_cairo_talks())
    everything = [e["event_id"] for e in store.events(merge_duplicates=True)]
    pages = [
        e["event_id"]
        for offset in range(0, 7, 2)
        for e in store.events(limit=2, offset=offset, merge_duplicates=True)
    ]
    assert pages == everything and len(set(everything)) == 7
    assert store.events(limit=0, merge_duplicates=True) == []


def test_without_merging_nothing_changes(store: Store) -> None:
    store.save(_cairo_talks())
    plain = store.events()
    assert len(plain) == store.count_events() == 8
    assert all("reports" not in e and "report_articles" not in e for e in plain)
    assert store.events(merge_duplicates=False) == plain
    with pytest.raises(TypeError):
        store.events(merge_duplicates="yes")


def test_merged_events_frame_adds_reports(store: Store) -> None:
    store.save(_cairo_talks())
    frame = store.events_frame(merge_duplicates=True, actor="Hamas")
    assert list(frame.columns) == list(MERGED_COLUMNS)
    assert len(frame) == 4
    row = frame[frame["reports"] == 2].iloc[0]
    assert row["report_articles"] == f"{CAIRO_TALKS}; {GAZA_STRIKES}"
    assert list(store.events_frame(actor="Hamas").columns) == list(FLAT_COLUMNS)


def test_duplicate_key_ignores_actor_order_and_repeats() -> None:
    key = duplicate_key("040", date(2024, 1, 15), [("EGY", "Egypt"), ("QAT", "Qatar")], [])
    assert key == duplicate_key(
        "0431", date(2024, 1, 15), [("QAT", "Qatar"), ("EGY", "Egypt"), ("QAT", "Qatar")], []
    )
    assert key != duplicate_key("040", date(2024, 1, 15), [("EGY", "Egypt")], [])
    assert key != duplicate_key("040", date(2024, 1, 15), [("EGY", "Egypt"), ("QAT", "Qatari")], [])
    assert duplicate_key("040", None, [("EGY", "Egypt")], []) is None


def _store_at_version_1(path: Path, annotations: list[Annotations]) -> Store:
    """Write a store file exactly as schema version 1 wrote it, holding ``annotations``.

    Returns an in-memory store at the current version holding the same, to compare.
    """
    current = path.with_name("current.duckdb")
    with open_store(current) as store:
        for found in annotations:
            store.save(found)
    con = duckdb.connect(str(path))
    con.execute(sql.CREATE_SCHEMA_VERSION)
    version, description, statements = sql.MIGRATIONS[0]
    assert version == 1
    for statement in statements:
        con.execute(statement)
    con.execute("INSERT INTO schema_version VALUES (?, ?, now())", (version, description))
    con.execute(f"ATTACH '{current}' AS current (READ_ONLY)")
    for table in ("actors", "mentions", "times", "places", "event_actors"):
        con.execute(f"INSERT INTO {table} SELECT * FROM current.{table}")
    # the columns a version-1 table has: later migrations add the article's language
    article_columns = ", ".join(r[0] for r in con.execute("DESCRIBE articles").fetchall())
    con.execute(
        f"INSERT INTO articles ({article_columns}) SELECT {article_columns} FROM current.articles"
    )
    # and the model coder's
    columns = ", ".join(c for c in sql.EVENT_COLUMNS if c not in ("coder", "coders_agree"))
    con.execute(f"INSERT INTO events ({columns}) SELECT {columns} FROM current.events")
    con.execute("DETACH current")
    con.close()
    current.unlink()
    expected = open_store(":memory:")
    for found in annotations:
        expected.save(found)
    return expected


def test_migration_upgrades_a_version_1_store_without_losing_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    expected = _store_at_version_1(path, [*synthetic_annotations(), _cairo_talks()])
    con = duckdb.connect(str(path))
    old_columns = [r[0] for r in con.execute("DESCRIBE events").fetchall()]
    con.close()
    assert "duplicate_key" not in old_columns
    with pytest.raises(StoreError, match="needs migrating"):
        open_store(path, read_only=True)
    with open_store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 4
        assert store.stats()["counts"] == expected.stats()["counts"]
        assert store.stats()["counts"]["events"] == 8
        assert store.events() == expected.events()
        assert store.events(merge_duplicates=True) == expected.events(merge_duplicates=True)
        keys = "SELECT event_id, duplicate_key FROM events ORDER BY event_id"
        backfilled = store._con.execute(keys).fetchall()
        assert backfilled == expected._con.execute(keys).fetchall()
        assert sum(key is None for _, key in backfilled) == 2  # the undated events
        (meeting,) = [e for e in store.events(merge_duplicates=True) if e["reports"] > 1]
        assert meeting["report_articles"] == [CAIRO_TALKS, GAZA_STRIKES]
        # A report written after the upgrade merges with the backfilled ones.
        store.save(_cairo_talks(article_id="syn-after-upgrade"))
        (meeting,) = [e for e in store.events(merge_duplicates=True) if e["reports"] > 1]
        assert meeting["reports"] == 3
        assert store.count_events(merge_duplicates=True) == 7
    with open_store(path, read_only=True) as reopened:
        assert reopened.count_events() == 9
    expected.close()
