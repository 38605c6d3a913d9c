"""The event store: schema, idempotent writes and queries (all SQL lives in ``sql.py``),
in a DuckDB file or a PostgreSQL database (what differs is in ``dialect.py``).

>>> with open_store("events.duckdb") as store:          # doctest: +SKIP
...     store.save(annotations)
...     store.events(actor="Hamas", since=date(2024, 1, 1))
...     store.events(actor="Hamas", merge_duplicates=True)   # each event once
...     for event in store.iter_events(actor="Hamas"):     # every match, streamed
...         ...
>>> open_store("postgresql://dragoman@127.0.0.1:5432/events")   # doctest: +SKIP
"""

from dragoman.store.export import (
    FLAT_COLUMNS,
    MERGED_COLUMNS,
    flatten_event,
    flatten_merged_event,
    iter_csv,
    iter_jsonl,
    to_plover,
)
from dragoman.store.filters import EventFilter
from dragoman.store.location import StoreLocation, parse_location
from dragoman.store.store import SCHEMA_VERSION, Store, StoreError, open_store, store_exists

__all__ = [
    "FLAT_COLUMNS",
    "MERGED_COLUMNS",
    "SCHEMA_VERSION",
    "EventFilter",
    "Store",
    "StoreError",
    "StoreLocation",
    "flatten_event",
    "flatten_merged_event",
    "iter_csv",
    "iter_jsonl",
    "open_store",
    "parse_location",
    "store_exists",
    "to_plover",
]
