"""Terminal tables of incidents and threads (the CLI prints these or JSON lines)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table


def _text(value: Any) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return escape(" + ".join(str(v) for v in value))
    return escape(str(value))


def incidents_table(incidents: list[dict[str, Any]], title: str = "Incidents") -> Table:
    """One row per incident: when, who, what, how many reports and outlets, the evidence."""
    table = Table(title=title, show_lines=False)
    for column in ("incident", "dates", "source", "code", "target", "reports", "outlets", "conf"):
        table.add_column(column, overflow="fold")
    table.add_column("evidence", overflow="fold", ratio=2)
    for item in incidents:
        dates = item["date_start"] or "undated"
        if item["date_end"] and item["date_end"] != item["date_start"]:
            dates += f" – {item['date_end']}"
        table.add_row(
            item["incident_id"],
            dates,
            _text(item["source"]),
            _text(item["cameo"]),
            _text(item["target"]),
            str(item["reports"]),
            str(len(item["outlets"])),
            f"{item['confidence']:.2f}",
            _text(item["evidence"]),
        )
    return table


def threads_table(threads: list[dict[str, Any]], title: str = "Commitment threads") -> Table:
    """One row per thread and, under it, one row per step with its first evidence."""
    table = Table(title=title, show_lines=True)
    for column in ("thread", "parties", "object", "status", "steps"):
        table.add_column(column, overflow="fold")
    for item in threads:
        lines = []
        for step in item.get("steps", []):
            evidence = step["evidence"][0] if step["evidence"] else {}
            lines.append(
                f"[bold]{escape(step['step'])}[/bold] {escape(step['date_start'] or 'undated')} "
                f"({escape(step['cameo'])}, {len(step['evidence'])} report(s)): "
                f"{escape(evidence.get('sentence', ''))}"
            )
        parties = " ↔ ".join(", ".join(item["party_names"].get(p) or [p]) for p in item["parties"])
        table.add_row(
            item["thread_id"],
            escape(parties),
            escape(item["object"]),
            escape(item["status"]),
            "\n".join(lines) or escape(" → ".join(item["chain"])),
        )
    return table
