"""The progress display and summary line of the commands that read inputs (``ingest``,
``extract``, ``annotate``): while a long run goes on, one line on stderr redrawn in place
(files read, articles and their rate, events, errors), shown only when stderr is a
terminal; at the end, one line saying what was done.

Standard output is never written here: what a command prints there stays its data.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dragoman.ingest.options import ReadStats
from dragoman.ingest.run import progress_text, summary_text


class RunProgress:
    """The progress display of one run: ``with RunProgress(console, "ingesting", stats) as
    shown:`` then ``shown.advance(article_id, events)`` after each article analysed.

    Nothing is drawn when ``console`` is not a terminal (a pipe, a file, a test), and the
    display is removed when the run ends, leaving the lines the run printed. Standard
    output is left alone unless it is a terminal too (then its lines are printed above the
    display rather than through it): a pipe or a file gets exactly the command's data."""

    def __init__(self, console: Console, label: str, stats: ReadStats) -> None:
        self.stats = stats
        #: Articles analysed so far (those that failed are counted by the caller).
        self.done = 0
        self._progress = Progress(
            TextColumn(f"[bold]{label}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[current]}"),
            TextColumn("{task.fields[read]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
            redirect_stdout=_is_terminal(sys.stdout),
        )
        self._task = self._progress.add_task(label, total=None, current="", read="")

    def __enter__(self) -> Self:
        self._progress.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._progress.__exit__(kind, error, trace)

    def advance(self, article_id: str, events: int) -> None:
        """One more article analysed; ``events`` is the run's event count so far."""
        self.done += 1
        read = progress_text(self.stats, events)
        self._progress.update(self._task, advance=1, current=article_id, read=read)


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):  # a closed or detached stream
        return False


def run_summary(done: int, events: int, stats: ReadStats, skipped: int) -> str:
    """The one line a run of ``extract`` or ``annotate`` ends with: the articles analysed
    and their events, what was read, the errors (inputs and articles skipped, each reported
    on its own line), and the seconds since reading began."""
    seconds = time.monotonic() - stats.started
    return (
        f"{done} article(s) analysed with {events} event(s); {summary_text(stats)}; "
        f"{skipped} error(s); {seconds:.1f} s"
    )
