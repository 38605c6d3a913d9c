"""Writing events and annotations for people (tables) and programs (JSONL, CSV and the
export formats of ``dragoman.formats``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import BinaryIO, TextIO

from rich.console import Console
from rich.table import Table

from dragoman.store.export import flat_form


def _names(actors: list[dict]) -> str:
    return "; ".join(a.get("name") or a.get("text") or "" for a in actors)


def write_jsonl(records: Iterable[dict], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


class CsvEventWriter:
    """Events written as one CSV table, batch after batch, under a single header.

    One flat row per event, in the same columns as the store's exports (merged
    events add ``reports`` and ``report_articles``). The header is written once,
    before the first row (or by :meth:`write_header` when there may be no rows).
    """

    def __init__(self, out: TextIO, merged: bool = False) -> None:
        columns, self._flatten = flat_form(merged)
        self._writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
        self._header_written = False

    def write_header(self) -> None:
        """Write the header unless it has been written already."""
        if not self._header_written:
            self._writer.writeheader()
            self._header_written = True

    def write(self, events: Iterable[dict]) -> int:
        """Write the rows of ``events`` (after the header) and return how many."""
        self.write_header()
        count = 0
        for event in events:
            self._writer.writerow(self._flatten(event))
            count += 1
        return count


def write_csv(events: Iterable[dict], out: TextIO, merged: bool = False) -> int:
    """A whole CSV table (header, then one flat row per event); returns the row count."""
    return CsvEventWriter(out, merged=merged).write(events)


QUAD_STYLE = {1: "green", 2: "bright_green", 3: "yellow", 4: "red"}


def events_table(events: list[dict], title: str | None = None) -> Table:
    """A readable table of events for the terminal: who did what to whom, when, on what
    words. The full sentence is in ``dragoman show`` and the JSONL output."""
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("article", overflow="fold", max_width=22)
    table.add_column("date", no_wrap=True)
    table.add_column("source", overflow="fold", max_width=30)
    table.add_column("event", overflow="fold", max_width=26)
    table.add_column("target", overflow="fold", max_width=30)
    table.add_column("modality", overflow="fold", max_width=22)
    table.add_column("trigger", overflow="fold", max_width=28)
    merged = any("reports" in event for event in events)
    if merged:
        table.add_column("reports", justify="right")
    for event in events:
        style = QUAD_STYLE.get(event.get("quad_class"), "")
        label = f"{event['cameo']} {event.get('plover') or '-'}"
        modality = event.get("modality") or ""
        attribution = _names(event.get("attribution") or [])
        if attribution:
            modality += f" [dim](per {attribution})[/dim]"
        evidence = event.get("evidence") or {}
        cells = [
            event["article_id"],
            event.get("date") or "",
            _actor_cell(event["source"]),
            f"[{style}]{label}[/{style}]" if style else label,
            _actor_cell(event["target"]),
            modality,
            evidence.get("trigger", ""),
        ]
        if merged:
            cells.append(str(event.get("reports", 1)))
        table.add_row(*cells)
    return table


def _actor_cell(actors: list[dict]) -> str:
    return "\n".join(
        f"{a.get('name') or a.get('text')} [dim]{a.get('code') or ''}[/dim]" for a in actors
    )


def print_events(
    events: list[dict],
    fmt: str,
    out: TextIO | BinaryIO,
    console: Console | None = None,
    article: Callable[[str], dict | None] | None = None,
    notes: list[str] | None = None,
) -> int:
    """Write events in ``fmt`` (any format of ``dragoman.formats`` offered on the command
    line: table, jsonl, csv, ...) and return how many were written.

    The table goes to ``console``; the other formats to ``out`` (the bytes of a binary
    format to ``out.buffer``). ``article`` looks up an event's article for the formats that
    read it (GDELT's SOURCEURL...); what an encoder says about left-out events is appended
    to ``notes``.
    """
    from dragoman.formats import ExportContext, get_format, write_export

    export = get_format(fmt, surface="cli")
    if export is None:
        raise ValueError(f"unknown output format {fmt!r}")
    context = ExportContext(
        merged=any("reports" in event for event in events),
        console=(console or wide_console()) if export.name == "table" else None,
    )
    if article is not None:
        context.article = article
    write_export(export, events, out, context)
    if notes is not None:
        notes.extend(context.notes)
    return len(events)


def wide_console() -> Console:
    """A console that keeps tables readable when output goes to a file or a pipe."""
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    return console
