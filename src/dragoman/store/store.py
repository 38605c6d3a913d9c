"""The event store, in DuckDB or PostgreSQL: idempotent writes, filtered queries and a
streaming read of every matching event."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Self

import pandas as pd

from dragoman.records import ActorRef, Annotations
from dragoman.store import rows, sql
from dragoman.store.connections import STREAM_BATCH, Connection, StoreError, connect
from dragoman.store.export import flat_form
from dragoman.store.filters import EventFilter, check_page
from dragoman.store.location import StoreLocation, parse_location

SCHEMA_VERSION = max(version for version, _, _ in sql.MIGRATIONS)

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "open_store", "store_exists"]


class _AlreadyStored(Exception):
    """Another writer stored the article first: the transaction is rolled back."""


def _datetime_to_date(value: Any) -> Any:
    return value.date() if isinstance(value, datetime) else value


class Store:
    """An open store. Use :func:`open_store` to get one; close it when done.

    One connection is shared and guarded by a lock, so a store may be used from
    the threads of a web server; :meth:`iter_events` reads on a cursor of its own.
    """

    def __init__(self, connection: Connection, read_only: bool) -> None:
        self._con = connection
        self._lock = threading.RLock()
        self.read_only = read_only
        #: ``duckdb`` or ``postgresql``.
        self.backend = connection.dialect.name

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _scalar(self, statement: str, params: tuple[object, ...] = ()) -> Any:
        row = self._con.execute(statement, params).fetchone()
        return row[0] if row else None

    def schema_version(self) -> int:
        """The schema version of the open file (0 for an empty file)."""
        with self._lock:
            if not self._scalar(self._con.dialect.schema_table_query):
                return 0
            return int(self._scalar(sql.SELECT_SCHEMA_VERSION) or 0)

    def migrate(self) -> int:
        """Apply pending migrations, each in its own transaction; return the new version."""
        with self._lock, self._migration_turn():
            current = self.schema_version()
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"store schema version {current} is newer than this Dragoman "
                    f"supports ({SCHEMA_VERSION}); upgrade Dragoman"
                )
            pending = [m for m in sql.MIGRATIONS if m[0] > current]
            if pending and self.read_only:
                raise StoreError(
                    f"store schema version {current} needs migrating to {SCHEMA_VERSION}; "
                    "open it once without read_only"
                )
            for version, description, statements in pending:
                with self._transaction():
                    self._con.execute(sql.CREATE_SCHEMA_VERSION)
                    for statement in statements:
                        self._con.execute(statement)
                    step = _MIGRATION_STEPS.get(version)
                    if step is not None:
                        step(self)
                    self._con.execute(sql.INSERT_SCHEMA_VERSION, (version, description, _now()))
            return self.schema_version()

    def _backfill_duplicate_keys(self) -> None:
        """Give events stored before schema version 2 their duplicate key.

        The key is a hash computed in Python (see ``rows.duplicate_key``), the same
        function new events are written with, so old and new reports merge alike.
        """
        result = self._con.execute(sql.SELECT_EVENTS_WITHOUT_DUPLICATE_KEY).fetchall()
        keys = [
            (event_key, rows.stored_duplicate_key(cameo, day, source_json, target_json))
            for event_key, cameo, day, source_json, target_json in result
        ]
        if not keys:
            return
        self._con.execute(sql.CREATE_DUPLICATE_KEY_STAGING)
        self._con.executemany(sql.INSERT_DUPLICATE_KEY_STAGING, keys)
        self._con.execute(sql.UPDATE_DUPLICATE_KEYS_FROM_STAGING)
        self._con.execute(sql.DROP_DUPLICATE_KEY_STAGING)

    @contextmanager
    def _migration_turn(self) -> Iterator[None]:
        """Hold the database's migration lock, where it has one, so that processes opening
        a new server database at once create its schema once."""
        dialect = self._con.dialect
        if self.read_only or not dialect.migration_lock:
            yield
            return
        for statement in dialect.migration_lock:
            self._con.execute(statement)
        try:
            yield
        finally:
            for statement in dialect.migration_unlock:
                self._con.execute(statement)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._con.execute(sql.BEGIN)
        try:
            yield
        except BaseException:
            self._con.execute(sql.ROLLBACK)
            raise
        self._con.execute(sql.COMMIT)

    # -- writing -------------------------------------------------------------------

    def save(self, annotations: Annotations) -> bool:
        """Store an article with its mentions, times, places and events.

        Everything is written in one transaction. Returns False, writing nothing,
        when the article id is already stored; on any error nothing of the article
        is kept and the error is raised. Writers in several processes (on a server
        database) may save the same article at once: one stores it, the others get False.
        """
        if self.read_only:
            raise StoreError("store was opened read-only")
        article = annotations.article
        with self._lock:
            if self.has_article(article.id):
                return False
            try:
                with self._transaction():
                    self._write(annotations)
            except _AlreadyStored:
                return False
        return True

    def _write(self, annotations: Annotations) -> None:
        article = annotations.article
        con = self._con
        # The article row goes first and claims the id: a concurrent writer of the same
        # article waits here until this transaction ends, then finds it taken.
        claimed = con.execute(sql.INSERT_ARTICLE, rows.article_row(article, _now())).fetchone()
        if claimed is None:
            raise _AlreadyStored(article.id)
        actors: dict[tuple[str, str], ActorRef] = {}
        for ref in annotations.actors:
            actors.setdefault((ref.code, ref.name), ref)
        for event in annotations.events:
            for ref in (*event.source, *event.target, *event.attribution):
                actors.setdefault((ref.code, ref.name), ref)
        if actors:
            # In key order: concurrent writers then lock shared actor rows in one order
            # and cannot deadlock.
            con.executemany(
                sql.INSERT_ACTOR, [rows.actor_row(actors[key]) for key in sorted(actors)]
            )
        if annotations.actors:
            con.executemany(
                sql.INSERT_MENTION,
                [rows.mention_row(article.id, i, r) for i, r in enumerate(annotations.actors)],
            )
        if annotations.times:
            con.executemany(
                sql.INSERT_TIME,
                [rows.time_row(article.id, i, t) for i, t in enumerate(annotations.times)],
            )
        if annotations.places:
            con.executemany(
                sql.INSERT_PLACE,
                [rows.place_row(article.id, i, p) for i, p in enumerate(annotations.places)],
            )
        seen: set[str] = set()
        for position, event in enumerate(annotations.events):
            if event.article_id != article.id:
                raise ValueError(
                    f"event belongs to article {event.article_id!r}, not {article.id!r}"
                )
            key = rows.event_id(event)
            if key in seen:
                # The same event found twice in one article (same words, code and
                # actors) is one event.
                continue
            seen.add(key)
            con.execute(sql.INSERT_EVENT, rows.event_row(key, position, event))
            actor_rows = rows.event_actor_rows(key, event)
            if actor_rows:
                con.executemany(sql.INSERT_EVENT_ACTOR, actor_rows)

    def run_bulk(self, statements: Iterable[str]) -> None:
        """Run fixed statements (no parameters) in one transaction: bulk loads that go
        around :meth:`save`, such as generating a large store to measure exports."""
        if self.read_only:
            raise StoreError("store was opened read-only")
        with self._lock, self._transaction():
            for statement in statements:
                self._con.execute(statement)

    # -- reading -------------------------------------------------------------------

    def fetch(self, query: sql.Query) -> list[tuple[Any, ...]]:
        """Every row of a read-only query (a :class:`sql.Query` in the shared dialect) on
        the shared connection: the explorer's browsing queries (``store/browse.py``)."""
        with self._lock:
            return self._con.execute(query.sql, query.params).fetchall()

    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""
        with self._lock:
            return bool(self._scalar(sql.HAS_ARTICLE, (article_id,)))

    def article_text(self, article_id: str) -> str | None:
        """The stored text of an article, or None when no article has this id."""
        with self._lock:
            row = self._con.execute(sql.SELECT_ARTICLE_TEXT, (article_id,)).fetchone()
        return row[0] if row else None

    def article_sources(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The outlet (``source``) and ``published`` day of each stored article of
        ``article_ids``, by id, read in one query per thousand ids (unknown ids are left
        out): what incidents and report counts need, without the articles' texts."""
        wanted = sorted(set(article_ids))
        found: dict[str, dict[str, Any]] = {}
        for first in range(0, len(wanted), 1000):
            query = sql.select_article_sources(wanted[first : first + 1000])
            with self._lock:
                result = self._con.execute(query.sql, query.params).fetchall()
            for article_id, source, published in result:
                day = _datetime_to_date(published)
                found[article_id] = {
                    "source": source,
                    "published": day.isoformat() if isinstance(day, date) else day,
                }
        return found

    def article(self, article_id: str) -> dict[str, Any] | None:
        """An article's text, metadata, mentions, times, places and events, or None."""
        with self._lock:
            row = self._con.execute(sql.SELECT_ARTICLE, (article_id,)).fetchone()
            if row is None:
                return None
            out = rows.article_from_row(row)
            params = (article_id,)
            out["mentions"] = [
                rows.mention_from_row(r)
                for r in self._con.execute(sql.SELECT_MENTIONS, params).fetchall()
            ]
            out["times"] = [
                rows.time_from_row(r)
                for r in self._con.execute(sql.SELECT_TIMES, params).fetchall()
            ]
            out["places"] = [
                rows.place_from_row(r)
                for r in self._con.execute(sql.SELECT_PLACES, params).fetchall()
            ]
            query = sql.select_article_events(article_id)
            out["events"] = [
                rows.event_from_row(r)
                for r in self._con.execute(query.sql, query.params).fetchall()
            ]
        return out

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event by id, or None."""
        query = sql.select_event(event_id)
        with self._lock:
            row = self._con.execute(query.sql, query.params).fetchone()
        return rows.event_from_row(row) if row else None

    def events(
        self,
        actor: str | None = None,
        country: str | None = None,
        plover: str | None = None,
        cameo_root: str | None = None,
        quad_class: int | None = None,
        since: date | None = None,
        until: date | None = None,
        modality: str | None = None,
        source: str | None = None,
        target: str | None = None,
        text: str | None = None,
        article_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
        merge_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Events matching the filters (see :class:`EventFilter`), one page, by date.

        Each item is ``Event.to_dict()`` plus ``event_id``.

        With ``merge_duplicates``, one row per incident (the reports of one real event
        across articles, grouped from the whole store as ``dragoman incidents`` groups
        them) that has a report matching the filters: that report, plus ``reports``,
        ``report_sources``, ``report_articles``, ``matched_reports``, ``incident_id``
        and the incident's days (see ``dragoman.incidents.merge``). Filters apply to
        reports first; ``limit`` and ``offset`` count merged rows, in the order of
        ``dragoman incidents``.
        """
        event_filter = EventFilter(
            actor=actor,
            country=country,
            plover=plover,
            cameo_root=cameo_root,
            quad_class=quad_class,
            since=since,
            until=until,
            modality=modality,
            source=source,
            target=target,
            text=text,
            article_id=article_id,
        )
        return self.query_events(
            event_filter, limit=limit, offset=offset, merge_duplicates=merge_duplicates
        )

    def query_events(
        self,
        event_filter: EventFilter,
        limit: int = 100,
        offset: int = 0,
        merge_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Like :meth:`events`, with the conditions given as an :class:`EventFilter`."""
        check_page(limit, offset)
        _check_merge(merge_duplicates)
        if merge_duplicates:
            from dragoman.incidents.merge import merged_events

            return list(merged_events(self, event_filter, limit, offset))
        query = sql.select_events(event_filter, limit, offset)
        with self._lock:
            result = self._con.execute(query.sql, query.params).fetchall()
        return [rows.event_from_row(r) for r in result]

    def iter_events(
        self,
        event_filter: EventFilter | None = None,
        limit: int | None = None,
        offset: int = 0,
        merge_duplicates: bool = False,
        batch_size: int = STREAM_BATCH,
        **filters: Any,
    ) -> Iterator[dict[str, Any]]:
        """Every event matching the filters (or ``event_filter``), in the order of
        :meth:`events`, read from the database in batches of ``batch_size`` rows: memory
        stays the same however many events match. ``limit`` (None: no limit) and
        ``offset`` as in :meth:`events`, without its page-size cap.

        The filters are checked and the query started at once (errors surface here);
        the rows come as the iterator is read, on a cursor of the store's own, so a long
        export holds neither the memory nor the store's shared connection.
        """
        if event_filter is None:
            event_filter = EventFilter(**filters)
        elif filters:
            raise TypeError("give the filters either as an EventFilter or as keywords")
        check_page(0 if limit is None else limit, offset, max_limit=2**63 - 1)
        _check_merge(merge_duplicates)
        if merge_duplicates:
            from dragoman.incidents.merge import merged_events

            return merged_events(self, event_filter, limit, offset)
        query = sql.select_events(event_filter, limit, offset)
        with self._lock:
            result = self._con.stream(query.sql, query.params, batch_size)
        return (rows.event_from_row(r) for r in result)

    def count_events(self, merge_duplicates: bool = False, **filters: Any) -> int:
        """How many events match the filters (same names as :meth:`events`).

        With ``merge_duplicates``, the incidents with a matching report.
        """
        _check_merge(merge_duplicates)
        event_filter = EventFilter(**filters)
        if merge_duplicates:
            from dragoman.incidents.merge import count_merged_events

            return count_merged_events(self, event_filter)
        query = sql.count_events(event_filter)
        with self._lock:
            return int(self._scalar(query.sql, query.params))

    def events_frame(
        self,
        limit: int = 100_000,
        offset: int = 0,
        merge_duplicates: bool = False,
        **filters: Any,
    ) -> pd.DataFrame:
        """Matching events as a flat table (one row per event, see ``FLAT_COLUMNS``).

        With ``merge_duplicates``, one row per merged event and the
        ``MERGED_COLUMNS`` (``reports``, and ``report_articles`` joined by ``"; "``).
        """
        events = self.query_events(
            EventFilter(**filters), limit=limit, offset=offset, merge_duplicates=merge_duplicates
        )
        columns, flatten = flat_form(merge_duplicates)
        frame = pd.DataFrame([flatten(e) for e in events], columns=list(columns))
        for column in ("date_start", "date_end"):
            frame[column] = pd.to_datetime(frame[column])
        return frame

    def actors(
        self, limit: int = 100, offset: int = 0, q: str | None = None
    ) -> list[dict[str, Any]]:
        """Canonical actors (by code and name) with mention and event counts.

        ``q`` is a case-insensitive substring of the name or code.
        """
        check_page(limit, offset)
        query = sql.select_actors(q or None, limit, offset)
        with self._lock:
            result = self._con.execute(query.sql, query.params).fetchall()
        keys = (
            "code",
            "name",
            "country",
            "sector",
            "kind",
            "events",
            "as_source",
            "as_target",
            "mentions",
        )
        return [dict(zip(keys, r, strict=True)) for r in result]

    def count_actors(self, q: str | None = None) -> int:
        """How many canonical actors match ``q``."""
        query = sql.count_actors(q or None)
        with self._lock:
            return int(self._scalar(query.sql, query.params))

    def timeseries(self, interval: str = "month", **filters: Any) -> list[dict[str, Any]]:
        """Dated event counts and mean Goldstein score per ``day``/``week``/``month``/``year``.

        ``period`` is the first day of each period. Filters as in :meth:`events`
        (``source`` and ``target`` select a dyad).
        """
        query = sql.timeseries(EventFilter(**filters), interval)
        with self._lock:
            result = self._con.execute(query.sql, query.params).fetchall()
        return [
            {
                "period": _datetime_to_date(period).isoformat(),
                "count": int(n),
                "goldstein_mean": _round(mean),
            }
            for period, n, mean in result
        ]

    def network(self, min_count: int = 1, limit: int = 500, **filters: Any) -> list[dict[str, Any]]:
        """Source→target actor pairs with event counts and mean Goldstein score."""
        if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
            raise ValueError("min_count must be a positive integer")
        check_page(limit, 0)
        query = sql.network(EventFilter(**filters), min_count, limit)
        with self._lock:
            result = self._con.execute(query.sql, query.params).fetchall()
        return [
            {
                "source": s_name,
                "source_code": s_code,
                "source_country": s_country,
                "target": t_name,
                "target_code": t_code,
                "target_country": t_country,
                "count": int(n),
                "goldstein_mean": _round(mean),
            }
            for s_name, s_code, s_country, t_name, t_code, t_country, n, mean in result
        ]

    def facets(
        self, limit: int = 50, names: tuple[str, ...] = sql.FACETS, **filters: Any
    ) -> dict[str, list[dict[str, Any]]]:
        """For each facet (PLOVER type, QuadClass, modality, country): values and counts.

        ``names`` limits the answer to some of the facets (``sql.FACETS``).
        """
        event_filter = EventFilter(**filters)
        out: dict[str, list[dict[str, Any]]] = {}
        with self._lock:
            for name in names:
                query = sql.facet(event_filter, name, limit)
                result = self._con.execute(query.sql, query.params).fetchall()
                out[name] = [{"value": v, "count": int(n)} for v, n in result]
        return out

    def stats(self) -> dict[str, Any]:
        """Counts of everything stored, the event date range and events per QuadClass."""
        with self._lock:
            counts = {t: int(self._scalar(q)) for t, q in sql.TABLE_COUNTS.items()}
            first, last = self._con.execute(sql.EVENT_DATE_RANGE).fetchone()
            by_quad = self._con.execute(sql.EVENTS_BY_QUAD_CLASS).fetchall()
            undated = int(self._scalar(sql.UNDATED_EVENTS))
        return {
            "schema_version": self.schema_version(),
            "counts": counts,
            "undated_events": undated,
            "first_date": first.isoformat() if first else None,
            "last_date": last.isoformat() if last else None,
            "by_quad_class": [
                {"quad_class": q, "count": int(n), "goldstein_mean": _round(mean)}
                for q, n, mean in by_quad
            ],
        }


#: Work a migration does in Python after its statements, in the same transaction
#: (filling a new column for rows stored by earlier versions).
_MIGRATION_STEPS: dict[int, Callable[[Store], None]] = {
    2: Store._backfill_duplicate_keys,
}


def _check_merge(merge_duplicates: object) -> None:
    if not isinstance(merge_duplicates, bool):
        raise TypeError("merge_duplicates must be True or False")


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def open_store(location: str | Path | StoreLocation, read_only: bool = False) -> Store:
    """Open (creating and migrating if needed) the store at ``location``: a DuckDB file
    (a path, or ``duckdb:PATH``) or a PostgreSQL database (``postgresql://user@host:port/db``).

    ``":memory:"`` opens a private in-memory store. A read-only store must
    already exist with the current schema. Use as a context manager.

    Raises :class:`StoreError` (one line) when the store cannot be opened: the file is
    not a DuckDB database or another process holds it open (DuckDB lets one process
    write a file at a time), or the server cannot be reached.
    """
    connection = connect(parse_location(location), read_only=read_only)
    store = Store(connection, read_only=read_only)
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store


def store_exists(location: str | Path | StoreLocation) -> bool:
    """Whether there is a store to read at ``location``: the DuckDB file exists, or the
    PostgreSQL database has Dragoman's schema. An unreachable server counts as existing,
    so that opening it reports why it cannot be reached."""
    where = parse_location(location)
    if where.backend == "duckdb":
        return not where.is_file or Path(where.target).exists()
    try:
        connection = connect(where, read_only=True)
    except StoreError:
        return True
    try:
        return Store(connection, read_only=True).schema_version() > 0
    finally:
        connection.close()
