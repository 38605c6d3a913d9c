"""``dragoman ingest --engine ray``: the command line's side of a cluster job.

The ingest command hands over its checked options and its own ways of speaking (one
line per report on stderr); this module runs the job and says what happened, the
failures last, one line each, so they are easy to find after a long job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dragoman.cluster.job import ClusterError, Outcome, RayJob, RayMissing, run_ray_ingest
from dragoman.records import Article
from dragoman.settings import Settings

if TYPE_CHECKING:
    from dragoman.store import StoreLocation

#: Exit codes, as for every command: some input skipped, or nothing done.
EXIT_SKIPPED = 1
EXIT_USAGE = 2


def ingest_on_ray(
    paths: list[str],
    settings: Settings,
    *,
    address: str | None,
    output: str | None,
    db: StoreLocation | None,
    columns: dict[str, str],
    encoding: str | None,
    actors: int | None = None,
    say: Callable[[str], None],
    report: Callable[[str], None],
    notes: Callable[[Article], None],
) -> int:
    """Run a cluster ingest and return the exit code; ``say`` and ``report`` print one
    line (a summary, a skipped input); ``db`` is the store to save into, if one is asked
    for (written in batches: a DuckDB file is held only while a batch is written);
    ``columns`` are the table columns named by ``--columns``; ``actors`` the number of
    coding actors (default: one per CPU of the cluster).

    An unusable setting (no output named, Ray missing, no cluster, a store that cannot be
    opened) is one ``error`` line and exit code 2.
    """
    if output is None and db is None:
        say("error --engine ray writes to --output-parquet DIR, to --db, or to both")
        return EXIT_USAGE
    job = RayJob(
        paths,
        settings,
        address=address,
        output=output,
        db=db,
        columns=dict(columns),
        encoding=encoding,
        actors=actors,
    )
    try:
        outcome = run_ray_ingest(job, notes)
    except (RayMissing, ClusterError) as exc:
        say(f"error {exc}")
        return EXIT_USAGE
    for line in summary(outcome, output, None if db is None else str(db)):
        say(line)
    for where, why in outcome.failures:
        report(f"{where}: {why}")
    return EXIT_SKIPPED if outcome.failures else 0


def summary(outcome: Outcome, output: str | None, store_name: str | None) -> list[str]:
    """What the job wrote, one line per destination."""
    lines = []
    skipped = len(outcome.failures)
    if store_name is not None:
        lines.append(
            f"{outcome.stored} article(s) stored with {outcome.events} event(s) in "
            f"{store_name}; {outcome.known} already stored; {skipped} skipped"
        )
    if output is not None:
        lines.append(
            f"{outcome.written_articles} article(s) with {outcome.written_events} event(s) "
            f"written to {output} (Parquet, by month); {skipped} skipped"
        )
    return lines
