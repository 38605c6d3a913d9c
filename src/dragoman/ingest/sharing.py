"""A DuckDB store shared between one ingest and its readers.

DuckDB lets one process at a time open a file for writing, and while it is open no other
process may even read it; any number of processes may read it together. An ingest that
held its store for the whole run would shut out ``dragoman events`` and ``dragoman
serve`` for hours. So the ingest writes finished articles in batches and holds the file
for writing only while it writes one (:class:`BatchWriter`); in between it only reads.
Readers open the file for one use (:class:`ReaderPerCall` for the web explorer) and,
while an ingest is running, wait for the batch being written (:func:`open_waiting`).

An ingest announces itself with a file beside the store (``events.duckdb.ingesting``,
holding its process id): a reader waits only while that process is alive, so a store held
by anything else is still refused at once with one line. docs/scaling.md weighs this
design against the alternatives.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, Self, TypeVar

from dragoman.records import Annotations
from dragoman.store import Store, StoreError, open_store

#: Seconds an open waits for a running ingest (a batch being written) or, for the ingest's
#: own batch, for readers' queries, before giving up with the store's one-line error.
LOCK_WAIT_SECONDS = 30.0
#: Seconds an open waits when no ingest is running: long enough for a reader's query.
BRIEF_WAIT_SECONDS = 1.0
#: A batch is written when it holds this many articles...
BATCH_ARTICLES = 64
#: ... or when its first article has waited this many seconds, whichever comes first.
BATCH_SECONDS = 2.0
#: The suffix of the file that says an ingest is running on the store beside it.
INGESTING_SUFFIX = ".ingesting"

#: What became of an article given to :meth:`BatchWriter.save`: True (stored), False
#: (its id was already stored) or the exception that kept it out of the store.
Outcome = bool | Exception
Location = str | Path
T = TypeVar("T")


def store_file(location: Location) -> Path | None:
    """The DuckDB file ``location`` names (a path or ``duckdb:PATH``), None for a server
    database or ``:memory:``, which have no file to share."""
    text = str(location)
    if text.lower().startswith(("postgresql://", "postgres://")):
        return None
    text = text.removeprefix("duckdb:").removeprefix("//") if text.startswith("duckdb:") else text
    return None if text == ":memory:" else Path(text)


def held_by_another_process(error: BaseException) -> bool:
    """True when ``error`` says the file is locked by another process."""
    cause = error.__cause__ if isinstance(error, StoreError) else error
    return cause is not None and "Could not set lock" in str(cause)


def ingest_running(location: Location) -> bool:
    """True when an ingest that releases the file between batches is writing to it."""
    file = store_file(location)
    if file is None:
        return False
    try:
        pid = int((file.parent / (file.name + INGESTING_SUFFIX)).read_text().strip())
    except (OSError, ValueError):
        return False
    return _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def open_waiting(location: Location, read_only: bool = False, wait: float | None = None) -> Store:
    """``open_store(location, read_only)``, tried again while another process holds the
    file (see :func:`when_free`)."""
    return when_free(partial(open_store, location, read_only=read_only), location, wait)


def when_free(opener: Callable[[], T], location: Location, wait: float | None = None) -> T:
    """``opener()``, which opens the store at ``location``, tried again while another
    process holds the file: for up to ``wait`` seconds (default: :data:`LOCK_WAIT_SECONDS`
    while an ingest is running on it, else :data:`BRIEF_WAIT_SECONDS`). Any other error,
    or the lock held for longer, is raised."""
    started = time.monotonic()
    delay = 0.01
    while True:
        try:
            return opener()
        except StoreError as exc:
            if not held_by_another_process(exc):
                raise
            limit = wait
            if limit is None:
                running = ingest_running(location)
                limit = LOCK_WAIT_SECONDS if running else BRIEF_WAIT_SECONDS
            left = limit - (time.monotonic() - started)
            if left <= 0:
                raise
        time.sleep(min(delay, left))
        delay = min(delay * 2, 0.1)


class BatchWriter:
    """The ingest's side of the store: finished articles are kept until a batch is due,
    then written in one opening of the file for writing, closed again at once.

    Between batches it reads the store on a read-only connection of its own, to answer
    ``article_text`` (what the ingest's duplicate check asks), which other readers may
    share. Building it opens the store once for writing, which checks the file (and
    creates or upgrades its schema) before any work starts.
    """

    def __init__(
        self,
        location: Location,
        on_saved: Callable[[Annotations, Outcome], None] | None = None,
        batch_articles: int = BATCH_ARTICLES,
        batch_seconds: float = BATCH_SECONDS,
    ) -> None:
        self.location = location
        self.on_saved = on_saved
        self.batch_articles = batch_articles
        self.batch_seconds = batch_seconds
        self._pending: list[Annotations] = []
        self._first_pending = 0.0
        self._reader: Store | None = None
        #: How many times the file was opened to write a batch.
        self.batches = 0
        open_waiting(location).close()
        file = store_file(location)
        self._marker = None if file is None else file.parent / (file.name + INGESTING_SUFFIX)
        if self._marker is not None:
            self._marker.write_text(f"{os.getpid()}\n")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        # On Ctrl-C the articles already analysed are kept; after another error the batch
        # is not written, since the error may be the store's own.
        try:
            if kind is None or issubclass(kind, KeyboardInterrupt):
                self.flush()
        finally:
            self.close()

    def close(self) -> None:
        """Let go of the store (pending articles not written) and of the marker file."""
        self._close_reader()
        if self._marker is not None:
            with contextlib.suppress(FileNotFoundError):
                self._marker.unlink()
            self._marker = None

    def article_text(self, article_id: str) -> str | None:
        """The stored text of an article, or None (see ``Store.article_text``)."""
        if self._reader is None:
            self._reader = open_waiting(self.location, read_only=True, wait=LOCK_WAIT_SECONDS)
        return self._reader.article_text(article_id)

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def save(self, annotations: Annotations) -> None:
        """Keep ``annotations`` for the next batch, writing the batch when it is due."""
        if not self._pending:
            self._first_pending = time.monotonic()
        self._pending.append(annotations)
        if (
            len(self._pending) >= self.batch_articles
            or time.monotonic() - self._first_pending >= self.batch_seconds
        ):
            self.flush()

    def flush(self) -> None:
        """Write the pending articles, each in its own transaction, in one opening."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        self._close_reader()
        try:
            store = open_waiting(self.location, wait=LOCK_WAIT_SECONDS)
        except StoreError as exc:
            for annotations in pending:
                self._saved(annotations, exc)
            return
        self.batches += 1
        with store:
            for annotations in pending:
                try:
                    outcome: Outcome = store.save(annotations)
                except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
                    outcome = exc
                self._saved(annotations, outcome)

    def _saved(self, annotations: Annotations, outcome: Outcome) -> None:
        if self.on_saved is not None:
            self.on_saved(annotations, outcome)


class ReaderPerCall:
    """A read-only stand-in for an open :class:`Store` that opens the file for each call
    and closes it straight after, so that a long-lived reader (the web explorer) never
    keeps an ingest from writing. A call made while a batch is written waits for it."""

    def __init__(self, location: Location) -> None:
        self.location = location
        self.read_only = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or not callable(getattr(Store, name, None)):
            raise AttributeError(name)
        return partial(self._call, name)

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        store = open_waiting(self.location, read_only=True)
        try:
            result = getattr(store, name)(*args, **kwargs)
        except BaseException:
            store.close()
            raise
        if inspect.isgenerator(result):
            # a stream (an export) keeps the file open until it is read to the end
            return _closing_after(result, store)
        store.close()
        return result

    def close(self) -> None:
        """Nothing is held between calls."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _closing_after(stream: Iterator[Any], store: Store) -> Iterator[Any]:
    with store:
        yield from stream


def open_per_request(app: Any, location: Location) -> None:
    """Make a read-only web explorer ``app`` open its DuckDB store for each call instead
    of holding it (a server database is left as it is: it has no lock to share)."""
    if store_file(location) is None:
        return
    app.state.store.close()
    app.state.store = ReaderPerCall(location)
