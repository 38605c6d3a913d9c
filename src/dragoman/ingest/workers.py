"""Every core of one machine: articles analysed in worker processes, results in order.

Parsing and coding are pure CPU work in Python and spaCy, so threads would share one
core; processes do not. Each worker builds the :class:`~dragoman.pipeline.Pipeline`
once, with the caller's settings (the user's own knowledge included), and analyses
chunks of articles; the caller gets the results back in input order, so whatever it
stores is what one process would have stored. The one writer stays in the caller.

A worker is started with the ``spawn`` method (no state inherited from the caller, the
same on every platform) and ignores Ctrl-C, which the caller handles. When a worker dies
(killed, out of memory, a crash in native code), a new one replaces it and the articles
it held are analysed again one at a time; an article that kills its worker again is
reported as not analysed, and the rest goes on. At most a few chunks per worker are in
flight, so memory does not grow with the size of the input.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from multiprocessing.connection import Connection, wait
from typing import Any, Self

from dragoman.records import Annotations, Article
from dragoman.settings import Settings

#: Articles a worker analyses per task: the pipeline parses them together, as it parses
#: a batch when working in one process.
CHUNK_ARTICLES = 16
#: Tasks queued per worker, so that it never waits while the caller writes.
TASKS_PER_WORKER = 2
#: Finished tasks that may wait for an earlier, slower one before the caller stops handing
#: out new ones (per worker): what bounds memory when one chunk is slow.
WAITING_PER_WORKER = 4
#: Seconds a worker is given to stop after the input is done, before it is terminated.
STOP_SECONDS = 10.0
#: A worker still busy with a task after this many times the articles' time budget
#: (``Settings.article_seconds``)...
OVERDUE_BUDGETS = 3.0
#: ...plus this many seconds per article of the task is stopped and replaced: the pipeline
#: checks the budget between its stages, and this catches a stage that never returns.
OVERDUE_SLACK_SECONDS = 2.0


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not every platform has affinity
        return max(1, os.cpu_count() or 1)


class WorkerStartError(RuntimeError):
    """A worker could not build its pipeline (a model not installed, a bad knowledge
    file...): its message is the one-line reason."""


@dataclass
class _Task:
    """A chunk of articles; ``key`` orders its results among the others'."""

    key: tuple[int, int]
    articles: list[Article]
    #: True for a single article analysed again after its worker died.
    retry: bool = False


@dataclass
class _Worker:
    process: Any
    tasks: Any  # multiprocessing Queue: the caller's tasks, in order
    results: Connection  # the worker's answers, one per task
    held: deque[_Task] = field(default_factory=deque)
    ready: bool = False
    #: When the worker began its current task (``held[0]``), as far as the caller knows.
    since: float = 0.0


class WorkerPool:
    """``workers`` processes analysing articles; use as a context manager.

    >>> with WorkerPool(Settings(), 2) as pool:                  # doctest: +SKIP
    ...     for annotations in pool.annotate(articles, on_error=print):
    ...         store.save(annotations)
    """

    def __init__(
        self,
        settings: Settings,
        workers: int,
        chunk: int | None = None,
        on_note: Callable[[str], None] | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.settings = settings
        self.chunk = max(1, chunk or CHUNK_ARTICLES)
        self.on_note = on_note or (lambda message: None)
        self._context = multiprocessing.get_context("spawn")
        self._workers = [self._start() for _ in range(workers)]
        #: Peak resident memory of each worker process seen so far, by process id (bytes).
        self.peak_rss: dict[int, int] = {}

    # -- lifecycle ----------------------------------------------------------------------

    def _start(self) -> _Worker:
        tasks = self._context.Queue()
        receive, send = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_serve, args=(self.settings, tasks, send), name="dragoman-worker", daemon=True
        )
        with _ctrl_c_ignored():  # from its first instruction: the child inherits it
            process.start()
        send.close()  # the worker holds the sending end; the caller sees its death as EOF
        return _Worker(process, tasks, receive)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers: idle ones are asked to finish, busy ones are terminated."""
        for worker in self._workers:
            if worker.process.is_alive() and not worker.held:
                worker.tasks.put(None)
        deadline = time.monotonic() + STOP_SECONDS
        for worker in self._workers:
            if not worker.held:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            _discard(worker)
        self._workers = []

    def process_ids(self) -> list[int]:
        """The ids of the worker processes now running."""
        return [w.process.pid for w in self._workers if w.process.is_alive()]

    def wait_ready(self) -> None:
        """Wait until every worker has built its pipeline (WorkerStartError if one cannot)."""
        while not all(w.ready for w in self._workers):
            self._receive({}, lambda key: None)

    # -- analysis -----------------------------------------------------------------------

    def annotate(
        self,
        articles: Iterable[Article],
        on_error: Callable[[str], None] | None = None,
    ) -> Iterator[Annotations]:
        """The annotations of ``articles``, in their order, like ``Pipeline.annotate_many``.

        An article that cannot be analysed is left out and its one-line reason given to
        ``on_error``, at its place in the order.
        """
        report = on_error or (lambda message: None)
        source = _chunks(iter(articles), self.chunk)
        numbered = 0  # chunks handed out so far
        next_out = 0  # the chunk whose results come next
        #: Results of each chunk in flight: one list of outcomes per part (a chunk whose
        #: worker died is split into one part per article), None while a part is pending.
        parts: dict[int, list[list | None]] = {}
        retries: deque[_Task] = deque()
        exhausted = False
        limit = len(self._workers) * (TASKS_PER_WORKER + WAITING_PER_WORKER)
        while True:
            while retries and self._free_worker() is not None:
                self._send(self._free_worker(), retries.popleft())
            while not exhausted and numbered - next_out < limit:
                worker = self._free_worker()
                if worker is None:
                    break
                chunk = next(source, None)
                if chunk is None:
                    exhausted = True
                    break
                parts[numbered] = [None]
                self._send(worker, _Task((numbered, 0), chunk))
                numbered += 1
            while next_out in parts and all(p is not None for p in parts[next_out]):
                for part in parts.pop(next_out):
                    for outcome in part:
                        if isinstance(outcome, Annotations):
                            yield outcome
                        else:
                            report(outcome)
                next_out += 1
            if exhausted and next_out == numbered:
                return
            self._receive(parts, retries.append)

    def _free_worker(self) -> _Worker | None:
        """The worker with the fewest tasks queued, if it can take one more."""
        worker = min(self._workers, key=lambda w: len(w.held))
        return worker if len(worker.held) < TASKS_PER_WORKER else None

    def _send(self, worker: _Worker, task: _Task) -> None:
        if not worker.held:
            worker.since = time.monotonic()
        worker.held.append(task)
        worker.tasks.put((task.key, task.articles))

    def _receive(self, parts: dict[int, list[list | None]], retry: Callable) -> None:
        """Wait for a worker to answer or die, and take what it did."""
        by_handle: dict[Any, _Worker] = {}
        for worker in self._workers:
            by_handle[worker.results] = worker
            by_handle[worker.process.sentinel] = worker
        for handle in wait(list(by_handle), timeout=self._until_overdue()):
            worker = by_handle[handle]
            if worker not in self._workers:
                continue  # replaced earlier in this round
            if handle is worker.results or worker.results.poll():
                try:
                    message = worker.results.recv()
                except (EOFError, OSError):
                    self._replace(worker, parts, retry)
                    continue
                self._take(worker, message, parts)
            elif not worker.process.is_alive():
                self._replace(worker, parts, retry)
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.ready and worker.held and now >= worker.since + self._allowed(worker):
                spent = now - worker.since
                worker.process.kill()  # a stopped or stuck process may ignore SIGTERM
                self._replace(worker, parts, retry, how=f"still busy after {spent:.0f} s")

    def _allowed(self, worker: _Worker) -> float:
        """Seconds ``worker`` may spend on its current task."""
        articles = len(worker.held[0].articles)
        return OVERDUE_BUDGETS * self.settings.article_seconds + OVERDUE_SLACK_SECONDS * articles

    def _until_overdue(self) -> float | None:
        """Seconds until the first busy worker is overdue (None: no busy worker)."""
        now = time.monotonic()
        left = [w.since + self._allowed(w) - now for w in self._workers if w.ready and w.held]
        return max(0.0, min(left)) if left else None

    def _take(self, worker: _Worker, message: tuple, parts: dict) -> None:
        kind = message[0]
        if kind == "broken":
            raise WorkerStartError(message[1])
        if kind == "ready":
            worker.ready = True
            worker.since = time.monotonic()
            return
        _, key, outcomes, peak = message
        self.peak_rss[worker.process.pid] = peak
        task = worker.held.popleft()
        assert task.key == key, "a worker answered out of order"
        worker.since = time.monotonic()
        number, part = key
        parts[number][part] = outcomes

    def _replace(
        self, worker: _Worker, parts: dict, retry: Callable, how: str | None = None
    ) -> None:
        """A worker died (or was stopped, ``how`` says why): start another; analyse its
        current chunk again article by article, and hand its queued chunks out again as
        they were."""
        worker.process.join(1.0)
        how = how or _exit_reason(worker.process.exitcode)
        if not worker.ready:
            _discard(worker)
            self._workers.remove(worker)
            raise WorkerStartError(f"a worker process stopped ({how}) while loading the pipeline")
        held = list(worker.held)
        worker.held.clear()
        _discard(worker)
        self._workers[self._workers.index(worker)] = self._start()
        if not held:
            self.on_note(f"a worker process stopped ({how}); a new one replaces it")
            return
        current, queued = held[0], held[1:]
        number = current.key[0]
        if current.retry:
            article = current.articles[0]
            reason = f"not analysed: the worker process analysing it stopped ({how}) twice"
            parts[number][current.key[1]] = [f"{article.origin or article.id}: {reason}"]
        else:
            names = ", ".join(a.origin or a.id for a in current.articles)
            self.on_note(
                f"a worker process stopped ({how}) while analysing {names}; a new one replaces "
                "it and analyses them again one at a time"
            )
            parts[number] = [None] * len(current.articles)
            for index, article in enumerate(current.articles):
                retry(_Task((number, index), [article], retry=True))
        for task in queued:
            retry(task)


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """SIGINT ignored meanwhile (where this thread may set signals): a process started
    now ignores it too, so Ctrl-C stops the caller and the caller stops its workers."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals stay as they are
        yield
        return
    try:
        yield
    finally:
        if previous is not None:  # None: a handler set outside Python, not restorable
            signal.signal(signal.SIGINT, previous)


def _chunks(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while True:
        chunk = []
        for article in articles:
            chunk.append(article)
            if len(chunk) >= size:
                break
        if not chunk:
            return
        yield chunk


def _discard(worker: _Worker) -> None:
    """Terminate ``worker`` if it still runs and free what connects the caller to it."""
    if worker.process.is_alive():
        worker.process.terminate()
        worker.process.join(STOP_SECONDS)
    worker.results.close()
    worker.tasks.close()
    worker.tasks.cancel_join_thread()  # nobody reads what may still be queued


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "for an unknown reason"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _peak_rss() -> int:
    """This process's peak resident memory in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _serve(settings: Settings, tasks: Any, results: Connection) -> None:
    """A worker's life: build the pipeline once, then answer each task in order until
    told to stop (None) or until the process that started it is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    from dragoman.pipeline import Pipeline

    try:
        pipeline = Pipeline(settings)
    except Exception as exc:  # noqa: BLE001 - reported by the caller as one line
        detail = " ".join(str(exc).split()) or type(exc).__name__
        results.send(("broken", detail))
        return
    results.send(("ready",))
    parent = multiprocessing.parent_process()
    while True:
        try:
            task = tasks.get(timeout=1.0)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return
            continue
        if task is None:
            return
        key, articles = task
        outcomes: list[Annotations | str] = []
        # failures are put in the list by on_error, between the results, in input order
        for annotated in pipeline.annotate_many(articles, on_error=_as_line(outcomes)):
            outcomes.append(annotated)  # noqa: PERF402
        results.send(("done", key, outcomes, _peak_rss()))


def _as_line(outcomes: list) -> Callable[[Exception], None]:
    """``on_error`` keeping a failure as its one-line message, among the results."""

    def keep(error: Exception) -> None:
        outcomes.append(str(error))

    return keep


#: Below this many articles to analyse, one process is done before workers have loaded
#: their pipelines (several seconds each), so the default analyses them in-process.
AUTO_MIN_ARTICLES = 100


def plan_workers(
    articles: Iterable[Article], requested: int | None
) -> tuple[int, Iterator[Article]]:
    """How many worker processes to use (1: analyse in this process) and the articles,
    unchanged: ``requested`` if given, else the usable cores, unless fewer than
    :data:`AUTO_MIN_ARTICLES` articles come (the first ones are read ahead to tell)."""
    stream = iter(articles)
    if requested is not None:
        return requested, stream
    cores = usable_cores()
    if cores == 1:
        return 1, stream
    head = list(islice(stream, AUTO_MIN_ARTICLES))
    return (cores if len(head) >= AUTO_MIN_ARTICLES else 1), chain(head, stream)
