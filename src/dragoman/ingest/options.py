"""How inputs are read beyond their bytes: the columns of a table, whether a feed item's
page is fetched, the fetcher shared by every input of a run, and the counts a progress
display shows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dragoman.ingest.fetch import Fetcher

#: The article fields a table column can be mapped to.
COLUMN_FIELDS = ("id", "text", "published", "title", "url", "source", "language")


@dataclass
class ReadStats:
    """What has been read so far: shown while a long run goes on and in its summary."""

    files: int = 0
    articles: int = 0
    errors: int = 0
    started: float = field(default_factory=time.monotonic)

    def rate(self) -> float:
        """Articles read per second since the start."""
        elapsed = time.monotonic() - self.started
        return self.articles / elapsed if elapsed > 0 else 0.0


@dataclass
class ReadOptions:
    """Choices that apply to every input of one run."""

    #: Article field -> column name, from ``--columns id=...,text=...``; the columns not
    #: named are found by their usual names (see ``tables.COLUMN_NAMES``).
    columns: dict[str, str] = field(default_factory=dict)
    #: Fetch the page of each feed item and read it, rather than the item's summary.
    fetch: bool = False
    #: The polite fetcher of URLs (one per run: its rate limits are per host).
    fetcher: Fetcher | None = None
    #: URL lists named by ``--urls``: read after the other inputs, every line a URL.
    url_lists: list[str] = field(default_factory=list)
    stats: ReadStats = field(default_factory=ReadStats)

    def get_fetcher(self) -> Fetcher:
        if self.fetcher is None:
            from dragoman.ingest.fetch import Fetcher

            self.fetcher = Fetcher()
        return self.fetcher


def parse_columns(spec: str | None) -> dict[str, str]:
    """``id=story_id,text=body`` as a mapping; ValueError saying what is wrong."""
    if not spec:
        return {}
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        key, sep, column = part.partition("=")
        key, column = key.strip().lower(), column.strip()
        if not sep or not key or not column:
            raise ValueError(
                f"--columns wants FIELD=COLUMN pairs separated by commas, not {part!r}"
            )
        if key not in COLUMN_FIELDS:
            raise ValueError(
                f"--columns: {key!r} is no article field (fields: {', '.join(COLUMN_FIELDS)})"
            )
        mapping[key] = column
    return mapping
