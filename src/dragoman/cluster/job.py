"""One cluster ingest: read with Ray Data, code on an actor pool, write from the driver.

The driver receives each article's annotations in input order (Ray Data's
``preserve_order``), so which of two articles sharing an id is kept, and the order of
writing, are those of a single-process ingest of the same inputs. It writes the Parquet
dataset and, when given a store, saves the articles through the writer a single-process
ingest uses (:class:`~dragoman.ingest.sharing.BatchWriter`): in batches, one transaction
per article, an article already stored left as it is. A DuckDB file is held for writing
only while a batch is written, so ``dragoman events`` and ``dragoman serve`` can read it
between batches; a PostgreSQL store gets a connection per batch.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dragoman.cluster.coder import BATCH_SIZE, ArticleCoder
from dragoman.cluster.parquet_dataset import ParquetDataset
from dragoman.cluster.sources import Inputs, article_dataset, find_inputs
from dragoman.records import Annotations, Article
from dragoman.settings import Settings

if TYPE_CHECKING:
    from dragoman.ingest.sharing import BatchWriter
    from dragoman.store import StoreLocation

#: The one line that says how to get Ray where it is missing.
INSTALL_HINT = "pip install 'ray[data,client]==2.60.0' (or pip install 'dragoman[ray]')"


class RayMissing(RuntimeError):
    """Ray is not installed."""

    def __init__(self) -> None:
        super().__init__(f"--engine ray needs Ray, which is not installed: {INSTALL_HINT}")


class ClusterError(RuntimeError):
    """The job as a whole cannot run: no cluster to reach, workers that cannot start, an
    output folder already used, a store that cannot be opened, a column mapping that fits
    no input."""


@dataclass
class RayJob:
    """What to ingest and where to write it."""

    paths: list[str]
    settings: Settings
    #: ``None`` (a cluster started on this machine, else a new local one), ``"auto"``,
    #: ``"local"`` or ``"ray://host:port"``.
    address: str | None = None
    #: Folder or URI of the Parquet dataset to write, if any.
    output: str | None = None
    #: The store to save into, if any: a DuckDB file or a PostgreSQL URL (``--db``).
    db: str | Path | StoreLocation | None = None
    #: Article field -> table column, as ``--columns`` names them (the others are found by
    #: their usual names, as by a single-process ingest).
    columns: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    #: Coding actors; by default one per CPU of the cluster.
    actors: int | None = None


@dataclass
class Outcome:
    """What a job did."""

    stored: int = 0
    known: int = 0
    events: int = 0
    coded: int = 0
    #: Events of the coded articles, stored or not.
    coded_events: int = 0
    #: (where, why) of every input and article left out, in the order met.
    failures: list[tuple[str, str]] = field(default_factory=list)
    written_articles: int = 0
    written_events: int = 0


class _Ledger:
    """Which text each article id belongs to in this run, as a single-process ingest
    decides: the stored one, else the first read. Keeps an 8-byte digest per id.

    ``store`` answers ``article_text`` (the batch writer, which reads between batches).
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        self.owners: dict[str, tuple[bytes, str | None]] = {}

    def verdict(self, article: Article) -> str | None:
        """``"new"``, ``"known"`` (same id and text met before), or why it is refused."""
        digest = _digest(article.text)
        owner = self.owners.get(article.id)
        if owner is None:
            stored = self.store.article_text(article.id) if self.store is not None else None
            if stored is None:
                self.owners[article.id] = (digest, article.origin or article.id)
                return "new"
            owner = (_digest(stored), None)
            self.owners[article.id] = owner
        owner_digest, owner_origin = owner
        if owner_digest == digest:
            return "known"
        where = "is already stored" if owner_origin is None else f"was read from {owner_origin}"
        return (
            f"article id {article.id!r} {where} with a different text; give one of them another id"
        )


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:8]


def _import_ray():
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise RayMissing() from exc
    return ray


def _connect(ray, address: str | None) -> bool:
    """Join or start the cluster; True when this call started Ray (and must stop it)."""
    if ray.is_initialized():
        return False
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    except (ConnectionError, RuntimeError, ValueError, ImportError) as exc:
        # ImportError: ray:// needs Ray's client part (pip install 'ray[client]').
        raise ClusterError(f"cannot reach a Ray cluster at {address or 'auto'}: {exc}") from exc
    return True


#: Largest block Ray Data builds from what a reading task yields (see ``_set_up_data``).
BLOCK_BYTES = 32 * 1024
#: Blocks a reading task may yield ahead of the actors (Ray's default is 2).
READ_AHEAD_BLOCKS = 8
#: Batches handed to a coding actor before it has finished the one it is on.
TASKS_IN_FLIGHT = 2


def _set_up_data(ray) -> None:
    """Ray Data's settings for a job: results in input order, small blocks read a few
    ahead, and no progress bars or execution banners (the command's stderr is for its
    reports)."""
    from ray.data import DataContext

    context = DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    # Ray Data gathers what a task yields into blocks of up to this size (128 MiB by
    # default): a file read as one stream would reach a single actor as one block while
    # the others idle. Blocks of at most 32 KiB (a few news articles; the actors gather them
    # into batches of BATCH_SIZE) let the actors share a file.
    context.target_max_block_size = min(context.target_max_block_size or BLOCK_BYTES, BLOCK_BYTES)
    # A reading task stops after yielding two blocks the actors have not taken (Ray's
    # default): a batch of BATCH_SIZE articles spans several small blocks, so each actor
    # waited for the reader (a process of its own, on cores the actors keep busy) for some
    # tenths of a second between batches. Reading a few blocks ahead (some hundred KiB)
    # removes the wait. The setting is Ray Data's own, private; left alone where absent.
    if hasattr(context, "_max_num_blocks_in_streaming_gen_buffer"):
        context._max_num_blocks_in_streaming_gen_buffer = max(
            context._max_num_blocks_in_streaming_gen_buffer or 0, READ_AHEAD_BLOCKS
        )
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    # Advice about a pool larger than the blocks seen when the plan is made: the readers
    # cut their output into more blocks as they go.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"ray\.data\..*")


def _short(exc: BaseException) -> str:
    """The last meaningful line of a Ray error (its cause), without the traceback."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return (lines[-1] if lines else type(exc).__name__)[:300]


def run_ray_ingest(job: RayJob, notes: Callable[[Article], None] | None = None) -> Outcome:
    """Run ``job``; input and article failures are collected in the outcome, never raised.

    Raises :class:`RayMissing` or :class:`ClusterError` when the job cannot run at all.
    """
    ray = _import_ray()
    outcome = Outcome()
    inputs = find_inputs(job.paths)
    outcome.failures.extend(inputs.errors)
    try:
        output = ParquetDataset(job.output) if job.output else None
    except (ValueError, OSError) as exc:
        raise ClusterError(str(exc)) from exc
    # The store is checked (and its schema made) before the cluster starts, so a store
    # that cannot be opened stops the job at once.
    writer = None
    try:
        writer = _writer(job, output, outcome)
        started = _connect(ray, job.address)
    except BaseException:
        _finish(writer, output, outcome, flush=False)
        raise
    try:
        try:
            _code(ray, job, inputs, writer, output, outcome, notes)
        except (ClusterError, KeyboardInterrupt):
            # what was coded before the cluster failed, or before Ctrl-C, is kept
            _finish(writer, output, outcome, flush=True)
            raise
        except BaseException:
            # not written: the error may be the store's own
            _finish(writer, output, outcome, flush=False)
            raise
        _finish(writer, output, outcome, flush=True)
    finally:
        if started:
            ray.shutdown()
    return outcome


def _code(
    ray: Any,
    job: RayJob,
    inputs: Inputs,
    writer: BatchWriter | None,
    output: ParquetDataset | None,
    outcome: Outcome,
    notes: Callable[[Article], None] | None,
) -> None:
    """Read and code the articles of ``inputs`` on the cluster and take the results as
    they come, in input order."""
    _set_up_data(ray)
    dataset = article_dataset(inputs, job.columns, job.settings.max_article_bytes, job.encoding)
    if dataset is None:
        return
    actors = job.actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
    coded = dataset.map_batches(
        ArticleCoder,
        fn_constructor_kwargs={"settings": job.settings},
        batch_size=BATCH_SIZE,
        batch_format="pyarrow",
        # two batches queued per actor: it never waits for the next, and at the end of
        # the input no actor holds a queue while another idles
        compute=ray.data.ActorPoolStrategy(
            size=actors, max_tasks_in_flight_per_actor=TASKS_IN_FLIGHT
        ),
        num_cpus=1,
    )
    ledger = _Ledger(writer)
    try:
        for batch in coded.iter_batches(batch_size=None, batch_format="pyarrow"):
            _take(batch.to_pylist(), writer, ledger, output, outcome, notes)
    except ray.exceptions.RayError as exc:
        raise ClusterError(f"the Ray job failed: {_short(exc)}") from exc


def _writer(job: RayJob, output: ParquetDataset | None, outcome: Outcome) -> BatchWriter | None:
    """The batch writer of ``job.db`` (None without a store), counting into ``outcome``
    what became of each article and writing the stored ones to ``output``."""
    if job.db is None:
        return None
    from dragoman.ingest.sharing import BatchWriter
    from dragoman.store import StoreError

    def saved(annotated: Annotations, result: bool | Exception) -> None:
        article = annotated.article
        if isinstance(result, Exception):
            outcome.failures.append((article.origin or article.id, f"not stored ({result})"))
        elif not result:  # stored meanwhile by another writer
            outcome.known += 1
        else:
            outcome.stored += 1
            outcome.events += len(annotated.events)
            if output is not None:
                output.add(annotated)

    try:
        return BatchWriter(job.db, on_saved=saved)
    except (StoreError, FileNotFoundError) as exc:
        raise ClusterError(str(exc)) from exc


def _finish(
    writer: BatchWriter | None, output: ParquetDataset | None, outcome: Outcome, flush: bool
) -> None:
    """Write the last batch (when ``flush``), let go of the store, then close the Parquet
    dataset, whose files take the articles of that last batch too."""
    try:
        if writer is not None:
            try:
                if flush:
                    writer.flush()
            finally:
                writer.close()
    finally:
        if output is not None:
            output.close()
            outcome.written_articles = output.article_count
            outcome.written_events = output.event_count


def _take(
    results: Iterable[dict[str, Any]],
    writer: BatchWriter | None,
    ledger: _Ledger,
    output: ParquetDataset | None,
    outcome: Outcome,
    notes: Callable[[Article], None] | None,
) -> None:
    """Hand the coded articles of one batch of results to the store's writer, which
    writes them to ``output`` once stored, or straight to ``output`` without a store."""
    for result in results:
        if result["error"] is not None:
            outcome.failures.append((result["origin"] or result["article_id"], result["error"]))
            continue
        annotated: Annotations = pickle.loads(result["annotations"])
        article = annotated.article
        outcome.coded += 1
        outcome.coded_events += len(annotated.events)
        if notes is not None:
            notes(article)
        verdict = ledger.verdict(article)
        if verdict == "known":
            outcome.known += 1
            continue
        if verdict != "new":
            outcome.failures.append((article.origin or article.id, verdict))
            continue
        if writer is not None:
            writer.save(annotated)
        elif output is not None:
            output.add(annotated)
