"""An article in the terminal with what Dragoman found in it marked up."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

STYLES = {
    "actor": "bold cyan",
    "time": "magenta",
    "place": "green",
    "trigger": "bold black on yellow",
}


def _spans(record: dict) -> list[tuple[int, int, str]]:
    spans = []
    for mention in record.get("mentions") or record.get("actors") or []:
        spans.append((mention["start"], mention["end"], "actor"))
    for time in record.get("times") or []:
        spans.append((time["start"], time["end"], "time"))
    for place in record.get("places") or []:
        spans.append((place["start"], place["end"], "place"))
    for event in record.get("events") or []:
        evidence = event.get("evidence") or {}
        if "trigger_start" in evidence:
            spans.append((evidence["trigger_start"], evidence["trigger_end"], "trigger"))
    return spans


def render_article(record: dict) -> Group:
    """The article text with actors, times, places and event triggers styled, and a legend."""
    text = Text(record["text"])
    for start, end, kind in sorted(_spans(record), key=lambda s: s[1] - s[0], reverse=True):
        text.stylize(STYLES[kind], start, end)
    published = record.get("published") or "unknown"
    if record.get("published_estimated"):
        published = f"{published} (estimated)"
    title = f"{record.get('id') or record.get('article_id')} · published {published}"
    if record.get("language"):
        title += f" · language {record['language']}"
    legend = Text.assemble(
        ("actor", STYLES["actor"]),
        "  ",
        ("time", STYLES["time"]),
        "  ",
        ("place", STYLES["place"]),
        "  ",
        ("event trigger", STYLES["trigger"]),
    )
    return Group(Panel(text, title=title, subtitle=legend))
