"""The event store: schema, idempotent writes and queries (all SQL lives in ``sql.py``).

>>> with open_store("events.duckdb") as store:          # doctest: +SKIP
...     store.save(annotations)
...     store.events(actor="Hamas", since=date(2024, 1, 1))
...     store.events(actor="Hamas", merge_duplicates=True)   # each event once
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
from dragoman.store.store import SCHEMA_VERSION, Store, StoreError, open_store

__all__ = [
    "FLAT_COLUMNS",
    "MERGED_COLUMNS",
    "SCHEMA_VERSION",
    "EventFilter",
    "Store",
    "StoreError",
    "flatten_event",
    "flatten_merged_event",
    "iter_csv",
    "iter_jsonl",
    "open_store",
    "to_plover",
]
