"""Dragoman's own formats: the terminal table, JSON Lines, CSV and the PLOVER-style array."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from dragoman.formats.registry import Event, ExportContext, ExportFormat
from dragoman.store.export import iter_csv, iter_jsonl, iter_plover_document


def _table(events: Iterable[Event], context: ExportContext) -> Iterator[str]:
    """The terminal table: printed on ``context.console`` when there is one, else as text."""
    from rich.console import Console

    from dragoman.output import events_table

    table = events_table(list(events))
    if context.console is not None:
        context.console.print(table)
        return
    buffer = io.StringIO()
    Console(file=buffer, width=160, color_system=None).print(table)
    yield buffer.getvalue()


def _jsonl(events: Iterable[Event], context: ExportContext) -> Iterator[str]:
    return iter_jsonl(events)


def _csv(events: Iterable[Event], context: ExportContext) -> Iterator[str]:
    return iter_csv(events, merged=context.merged)


def _plover_array(events: Iterable[Event], context: ExportContext) -> Iterator[str]:
    return iter_plover_document(events)


TABLE = ExportFormat(
    name="table",
    label="Table",
    summary="a readable table for the terminal: article, date, source, event, target, "
    "modality, trigger",
    media_type="text/plain; charset=utf-8",
    filename="dragoman-events.txt",
    encode=_table,
    surfaces=frozenset({"cli"}),
    doc_page="outputs/table.md",
)
JSONL = ExportFormat(
    name="jsonl",
    label="JSONL",
    summary="one JSON object per event, exactly as stored (`Event.to_dict()` plus `event_id`)",
    media_type="application/x-ndjson; charset=utf-8",
    filename="dragoman-events.jsonl",
    encode=_jsonl,
    doc_page="outputs/jsonl.md",
)
CSV = ExportFormat(
    name="csv",
    label="CSV",
    summary="one flat row per event, compound actors joined with `; `",
    media_type="text/csv; charset=utf-8",
    filename="dragoman-events.csv",
    encode=_csv,
    doc_page="outputs/csv.md",
)
PLOVER_ARRAY = ExportFormat(
    name="plover",
    label="PLOVER JSON",
    summary="a JSON array of Dragoman's PLOVER-style records (camelCase fields, kept as they "
    "were; see `plover-jsonl` for the specification's field names)",
    media_type="application/json; charset=utf-8",
    filename="dragoman-events.plover.json",
    encode=_plover_array,
    doc_page="outputs/plover.md",
)

BUILTIN = (TABLE, JSONL, CSV, PLOVER_ARRAY)
