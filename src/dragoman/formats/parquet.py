"""Parquet: the events with typed columns, actors as lists of structs (via pyarrow).

The file is written one row group at a time as the events stream in, each group's bytes
handed on as soon as they are written: memory holds one row group, however many events.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from dragoman.formats.registry import Event, ExportContext, ExportFormat

if TYPE_CHECKING:
    import pyarrow as pa

_ACTOR_FIELDS = ("text", "name", "code", "country", "sector", "kind", "actor_id")
_OFFSETS = ("start", "end")


@cache
def arrow_schema(merged: bool = False) -> pa.Schema:
    """The columns of the Parquet file, in order: the fields of an event as stored, with
    ``reports`` and ``report_articles`` for merged events. (pyarrow is imported on use.)"""
    import pyarrow as pa

    actor = pa.struct(
        [(name, pa.string()) for name in _ACTOR_FIELDS] + [(n, pa.int32()) for n in _OFFSETS]
    )
    location = pa.struct(
        [
            ("text", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("name", pa.string()),
            ("country", pa.string()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("geonameid", pa.int64()),
            ("feature", pa.string()),
        ]
    )
    evidence = pa.struct(
        [
            ("sentence", pa.string()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("trigger", pa.string()),
            ("trigger_start", pa.int32()),
            ("trigger_end", pa.int32()),
        ]
    )
    fields = [
        ("event_id", pa.string()),
        ("article_id", pa.string()),
        ("source", pa.list_(actor)),
        ("target", pa.list_(actor)),
        ("cameo", pa.string()),
        ("cameo_label", pa.string()),
        ("plover", pa.string()),
        ("plover_mode", pa.string()),
        ("quad_class", pa.int8()),
        ("goldstein", pa.float64()),
        ("date", pa.string()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),
        ("date_source", pa.string()),
        ("location", location),
        ("modality", pa.string()),
        ("attribution", pa.list_(actor)),
        ("evidence", evidence),
        ("confidence", pa.float64()),
    ]
    if merged:
        fields += [("reports", pa.int32()), ("report_articles", pa.list_(pa.string()))]
    return pa.schema(fields)


_ACTOR_KEYS = (*_ACTOR_FIELDS, *_OFFSETS)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else value or None


def _actors(actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: a.get(k) for k in _ACTOR_KEYS} for a in actors or []]


def parquet_row(event: Event, merged: bool) -> dict[str, Any]:
    """One event as a row of :func:`arrow_schema`."""
    row = {name: event.get(name) for name in arrow_schema(merged).names}
    row["source"] = _actors(event.get("source"))
    row["target"] = _actors(event.get("target"))
    row["attribution"] = _actors(event.get("attribution"))
    row["date_start"] = _day(event.get("date_start"))
    row["date_end"] = _day(event.get("date_end"))
    if merged:
        row["reports"] = event.get("reports", 1)
        row["report_articles"] = event.get("report_articles") or [event["article_id"]]
    return row


def events_table(events: Iterable[Event], merged: bool = False) -> pa.Table:
    """The events as a pyarrow table."""
    import pyarrow as pa

    rows = [parquet_row(e, merged) for e in events]
    return pa.Table.from_pylist(rows, schema=arrow_schema(merged))


#: Events per row group: a few tens of megabytes of Python rows at most, and groups large
#: enough for column statistics and compression to pay.
ROW_GROUP_EVENTS = 20_000


class _Sink:
    """A write-only file that keeps what was written until :meth:`take` hands it on."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._position = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self._parts.append(chunk)
        self._position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts.clear()
        return out


def write_row_groups(
    events: Iterable[Event], merged: bool, row_group_events: int = ROW_GROUP_EVENTS
) -> Iterator[bytes]:
    """A Parquet file of the events, in pieces: each row group as soon as it is written,
    then the footer."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(merged)
    sink = _Sink()
    iterator = iter(events)
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        while batch := list(islice(iterator, row_group_events)):
            rows = [parquet_row(e, merged) for e in batch]
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            del rows, batch
            yield sink.take()
    yield sink.take()


def _encode(events: Iterable[Event], context: ExportContext) -> Iterator[bytes]:
    return (piece for piece in write_row_groups(events, context.merged) if piece)


PARQUET = ExportFormat(
    name="parquet",
    label="Parquet",
    summary="Apache Parquet with typed columns (dates as dates, actors as lists of structs), "
    "the fields of the JSONL records",
    media_type="application/vnd.apache.parquet",
    filename="dragoman-events.parquet",
    encode=_encode,
    binary=True,
    doc_page="outputs/parquet.md",
)
