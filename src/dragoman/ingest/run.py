"""What the commands that read inputs share: their reading options checked from the
command line, and the words of their progress display and summary line."""

from __future__ import annotations

from pathlib import Path

from dragoman.ingest.options import ReadOptions, ReadStats, parse_columns


def read_options(
    columns: str | None = None, fetch: bool = False, urls: list[Path] | None = None
) -> ReadOptions:
    """The options of ``--columns``, ``--fetch`` and ``--urls``; ValueError (one line) for
    a bad mapping, a URL list that is not there, or a bad ``DRAGOMAN_FETCH_DELAY``."""
    from dragoman.ingest.fetch import fetch_delay

    mapping = parse_columns(columns)
    lists = [str(path) for path in urls or ()]
    for name in lists:
        if not Path(name).is_file():
            raise ValueError(f"--urls {name}: no such file")
    if fetch or lists:
        fetch_delay()  # checked now, not at the first URL
    return ReadOptions(columns=mapping, fetch=fetch, url_lists=lists)


def progress_text(stats: ReadStats, events: int) -> str:
    """What a long run has done so far, for its progress display."""
    return (
        f"{stats.files} file(s), {stats.articles} article(s) at {stats.rate():.1f}/s, "
        f"{events} event(s), {stats.errors} error(s)"
    )


def summary_text(stats: ReadStats) -> str:
    """The reading half of a run's summary line."""
    return f"{stats.files} file(s) read, {stats.articles} article(s) at {stats.rate():.1f}/s"


def watch_line(poll, counts: dict, before: dict) -> str:
    """The one line a poll of ``dragoman watch`` ends with."""
    from datetime import datetime

    def since(key: str) -> int:
        return counts[key] - before.get(key, 0)

    at = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"poll {poll.number} at {at}: {poll.new} new item(s), {since('stored')} stored with "
        f"{since('events')} event(s), {since('known')} already stored, {poll.unchanged} "
        f"source(s) unchanged, {since('skipped')} skipped"
    )
