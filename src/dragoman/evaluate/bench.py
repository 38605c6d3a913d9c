"""Benchmark: how fast the pipeline is, against spaCy alone on the same texts.

Run ``python -m dragoman.evaluate.bench [--articles N]``. The corpus is the texts
of the seed articles and the PLOVER and MEANTIME dev files, cycled to N articles.
One run measures ``Pipeline().extract`` over all of them (articles/s, words/s,
wall time, peak RSS) and then the bare ``nlp.pipe`` of the same spaCy model over
the same texts: the floor for any pipeline that runs the whole model. Then the same texts go
through ``dragoman ingest``'s analysis with ``--workers 1`` (batched, in this
process) and with ``--workers N`` (worker processes, results in order): the
speed-up of N cores, and the peak memory of each worker. Warm-up calls and the
workers' start are excluded from the timings. The figures go to the terminal and
to ``docs/performance.md``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import psutil
import typer

from dragoman.evaluate.paths import PLOVER_GOLD, REPO_ROOT, TIMES_GOLD, shared_dir
from dragoman.records import Article

#: Extracts events from one article (e.g. ``Pipeline().extract``).
ExtractFn = Callable[[Article], Sequence[Any]]
#: Processes a batch of texts (e.g. spaCy's ``nlp.pipe``, consumed).
FloorFn = Callable[[list[str]], None]

DEFAULT_DOC = REPO_ROOT / "docs" / "performance.md"
START, END = "<!-- bench:latest:start -->", "<!-- bench:latest:end -->"
HISTORY_START, HISTORY_END = "<!-- bench:history:start -->", "<!-- bench:history:end -->"
HISTORY_HEADER = (
    "| date | articles | articles/s | words/s | spaCy floor words/s "
    "| pipeline ÷ floor time | peak RSS | model |\n"
    "|---|---|---|---|---|---|---|---|"
)
#: Rows of past runs kept in the history table.
HISTORY_ROWS = 30


def bench_corpus(shared: Path | None = None) -> list[str]:
    """Texts of the seed articles, the PLOVER dev records and the MEANTIME dev documents."""
    root = shared if shared is not None else shared_dir()
    texts = [path.read_text(encoding="utf-8") for path in sorted((root / "seeds").glob("*.txt"))]
    for name in (PLOVER_GOLD, TIMES_GOLD):
        path = root / "data" / name
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return texts


def cycle_texts(texts: Sequence[str], count: int) -> list[str]:
    """``count`` texts taken from ``texts`` in order, starting over when they run out."""
    if not texts:
        raise ValueError("the benchmark corpus is empty")
    return [texts[i % len(texts)] for i in range(count)]


def word_count(texts: Iterable[str]) -> int:
    """Whitespace-separated words in ``texts``."""
    return sum(len(text.split()) for text in texts)


def peak_rss_bytes() -> int:
    """The process's peak resident set size so far (current RSS where no peak is kept)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    peak = peak if sys.platform == "darwin" else peak * 1024
    return max(peak, psutil.Process().memory_info().rss)


@dataclass
class Timing:
    """Wall time of one timed pass over the corpus."""

    articles: int
    words: int
    seconds: float

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else float("inf")

    def to_dict(self) -> dict[str, float]:
        return {
            "articles": self.articles,
            "words": self.words,
            "seconds": self.seconds,
            "articles_per_second": self.articles_per_second,
            "words_per_second": self.words_per_second,
        }


@dataclass
class ParallelResult:
    """The analysis of one ingest, in this process and in ``workers`` processes."""

    workers: int
    #: Seconds of each timed pass, in this process and in the workers (one per repeat).
    one_process: list[float]
    in_workers: list[float]
    #: Peak resident memory of each worker process (bytes).
    worker_peak_rss: list[int]
    #: Peak resident memory of this process after its passes (bytes), for comparison.
    one_process_peak_rss: int = 0

    @property
    def speedup(self) -> float:
        """Best time in one process over best time in the workers."""
        return min(self.one_process) / min(self.in_workers)

    @property
    def spread(self) -> float:
        """How far the slowest repeat is from the fastest, at worst of the two (0.1: 10%)."""
        return max(max(t) / min(t) - 1 for t in (self.one_process, self.in_workers))

    def to_dict(self) -> dict[str, Any]:
        return {
            "workers": self.workers,
            "one_process_seconds": self.one_process,
            "workers_seconds": self.in_workers,
            "speedup": self.speedup,
            "spread": self.spread,
            "worker_peak_rss_mib": [peak / 2**20 for peak in self.worker_peak_rss],
            "one_process_peak_rss_mib": self.one_process_peak_rss / 2**20,
        }


@dataclass
class BenchResult:
    """Everything one benchmark run measured."""

    extract: Timing
    events: int
    peak_rss_bytes: int
    floor: Timing | None = None
    machine: dict[str, str] = field(default_factory=dict)
    when: str = ""
    parallel: ParallelResult | None = None

    @property
    def slowdown(self) -> float | None:
        """How many times slower than the spaCy floor the pipeline is (None without floor)."""
        if self.floor is None or not self.floor.seconds:
            return None
        return self.extract.seconds / self.floor.seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "extract": self.extract.to_dict(),
            "events": self.events,
            "peak_rss_mib": self.peak_rss_bytes / 2**20,
            "floor": self.floor.to_dict() if self.floor else None,
            "slowdown_vs_floor": self.slowdown,
            "machine": self.machine,
            "when": self.when,
            "parallel": self.parallel.to_dict() if self.parallel else None,
        }


def run_bench(
    extract_fn: ExtractFn,
    texts: Sequence[str],
    floor_fn: FloorFn | None = None,
    warmup: int = 3,
    machine: dict[str, str] | None = None,
) -> BenchResult:
    """Time ``extract_fn`` over one Article per text, then ``floor_fn`` over the texts.

    The first ``warmup`` texts are processed once, untimed, before each timed pass.
    Peak RSS is read right after the extraction pass, before the floor runs.
    """
    articles = [Article(id=f"bench-{i:05d}", text=text) for i, text in enumerate(texts)]
    words = word_count(texts)
    for article in articles[:warmup]:
        extract_fn(article)
    started = time.perf_counter()
    events = sum(len(extract_fn(article)) for article in articles)
    extract = Timing(len(articles), words, time.perf_counter() - started)
    peak = peak_rss_bytes()
    floor = None
    if floor_fn is not None:
        floor_fn(list(texts[:warmup]))
        started = time.perf_counter()
        floor_fn(list(texts))
        floor = Timing(len(texts), words, time.perf_counter() - started)
    return BenchResult(
        extract=extract,
        events=events,
        peak_rss_bytes=peak,
        floor=floor,
        machine=machine or {},
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def spacy_floor(model: str) -> FloorFn:
    """``nlp.pipe`` of a freshly loaded copy of ``model``, so no pipeline additions count.

    The model is loaded on the first call (the untimed warm-up), so it is neither
    timed nor part of the pipeline's peak RSS.
    """
    loaded: list[Any] = []

    def run(texts: list[str]) -> None:
        if not loaded:
            import spacy

            loaded.append(spacy.load(model))
        deque(loaded[0].pipe(texts), maxlen=0)

    return run


def run_parallel(
    pipeline: Any, texts: Sequence[str], workers: int, warmup: int = 3, repeats: int = 1
) -> ParallelResult:
    """Time the analysis of ``texts`` as ``dragoman ingest`` does it with ``--workers 1``
    (``pipeline.annotate_many`` in this process) and with ``--workers N`` (a
    :class:`~dragoman.ingest.workers.WorkerPool`, started and warmed up untimed), in
    turns, ``repeats`` times each: other work on the machine then weighs on both alike.
    Both must find the same events."""
    from dragoman.ingest.workers import WorkerPool

    articles = [Article(id=f"bench-{i:05d}", text=text) for i, text in enumerate(texts)]
    one_process: list[float] = []
    in_workers: list[float] = []
    deque(pipeline.annotate_many(articles[:warmup]), maxlen=0)
    with WorkerPool(pipeline.settings, workers) as pool:
        pool.wait_ready()
        # every worker warms up on a chunk of its own
        deque(pool.annotate(articles[: pool.chunk * workers]), maxlen=0)
        for _ in range(repeats):
            failed: list[list] = [[], []]
            started = time.perf_counter()
            alone = pipeline.annotate_many(articles, on_error=failed[0].append)
            alone = sum(len(a.events) for a in alone)
            one_process.append(time.perf_counter() - started)
            started = time.perf_counter()
            together = sum(len(a.events) for a in pool.annotate(articles, failed[1].append))
            in_workers.append(time.perf_counter() - started)
            if alone != together:
                # an article over its time (DRAGOMAN_ARTICLE_SECONDS) on a busy machine is
                # skipped in one pass and not the other; anything else is a fault
                raise RuntimeError(
                    f"{workers} workers found {together} events, one process {alone}; "
                    f"articles skipped: {[str(f) for f in failed[1]]} and "
                    f"{[str(f) for f in failed[0]]}"
                )
        peaks = list(pool.peak_rss.values())
    return ParallelResult(workers, one_process, in_workers, peaks, peak_rss_bytes())


def _number(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def summary_rows(result: BenchResult) -> list[tuple[str, str]]:
    """The figures as (name, value) rows, shared by the terminal table and the doc."""
    extract, floor = result.extract, result.floor
    rows = [
        ("articles", f"{extract.articles:,}"),
        ("words", f"{extract.words:,}"),
        ("events extracted", f"{result.events:,}"),
        ("pipeline wall time", f"{extract.seconds:.2f} s"),
        ("pipeline articles/s", _number(extract.articles_per_second)),
        ("pipeline words/s", _number(extract.words_per_second, 0)),
        ("peak RSS", f"{result.peak_rss_bytes / 2**20:,.0f} MiB"),
    ]
    if floor is not None:
        rows += [
            ("spaCy floor wall time", f"{floor.seconds:.2f} s"),
            ("spaCy floor words/s", _number(floor.words_per_second, 0)),
            ("pipeline time / floor time", f"{_number(result.slowdown, 2)}x"),
        ]
    parallel = result.parallel
    if parallel is not None:
        n = parallel.workers
        rows += [
            ("ingest analysis, --workers 1", _seconds(parallel.one_process)),
            (f"ingest analysis, --workers {n}", _seconds(parallel.in_workers)),
            (f"--workers {n} speed-up", f"{parallel.speedup:.2f}x"),
            ("spread between repeats", f"{parallel.spread:.0%}"),
            (
                "peak RSS per worker",
                ", ".join(f"{peak / 2**20:,.0f} MiB" for peak in parallel.worker_peak_rss),
            ),
            ("peak RSS, --workers 1", f"{parallel.one_process_peak_rss / 2**20:,.0f} MiB"),
        ]
    return rows


def _seconds(times: list[float]) -> str:
    """The best time, and every repeat when there were several."""
    best = f"{min(times):.2f} s"
    return best if len(times) == 1 else f"{best} (runs: {', '.join(f'{t:.1f}' for t in times)})"


def latest_markdown(result: BenchResult) -> str:
    """The latest run as Markdown: figures table and machine table."""
    lines = [f"Measured {result.when}.", "", "| figure | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in summary_rows(result)]
    lines += ["", "| machine | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in result.machine.items()]
    return "\n".join(lines)


def history_row(result: BenchResult) -> str:
    """One line of the history table for this run."""
    floor = result.floor.words_per_second if result.floor else None
    return (
        f"| {result.when} | {result.extract.articles} | "
        f"{_number(result.extract.articles_per_second)} | "
        f"{_number(result.extract.words_per_second, 0)} | {_number(floor, 0)} | "
        f"{_number(result.slowdown, 2)}x | {result.peak_rss_bytes / 2**20:,.0f} MiB | "
        f"{result.machine.get('model', '?')} |"
    )


_INTRO = """# Performance

How fast Dragoman is, measured by `python -m dragoman.evaluate.bench` (`make bench`).
The corpus is the seed articles plus the PLOVER and MEANTIME dev texts, cycled to
the requested number of articles. *Pipeline* is `Pipeline().extract` per article
(everything: parsing, actors, times, places, events); *spaCy floor* is the bare
`nlp.pipe` of the same model over the same texts: the time any pipeline that runs
the whole model must spend, whatever it adds. Warm-up calls are excluded; peak RSS is the process's
high-water mark after the pipeline pass (model and data included). The sections
between the `bench:` markers are rewritten by the benchmark; edit the rest freely.

## Latest run

{start}
{end}

## History

{history_start}
{history_header}
{history_end}
"""


def _between(text: str, start: str, end: str) -> str | None:
    if start in text and end in text:
        return text.split(start, 1)[1].split(end, 1)[0]
    return None


def write_performance_doc(result: BenchResult, path: Path = DEFAULT_DOC) -> Path:
    """Create or update the performance doc: replace the latest run, append to history."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if _between(text, START, END) is None or _between(text, HISTORY_START, HISTORY_END) is None:
        text = _INTRO.format(
            start=START,
            end=END,
            history_start=HISTORY_START,
            history_header=HISTORY_HEADER,
            history_end=HISTORY_END,
        )
    old_latest = _between(text, START, END)
    text = text.replace(f"{START}{old_latest}{END}", f"{START}\n{latest_markdown(result)}\n{END}")
    old_history = _between(text, HISTORY_START, HISTORY_END) or ""
    rows = [line for line in old_history.splitlines() if line.startswith("| 2")]
    rows = [*rows, history_row(result)][-HISTORY_ROWS:]
    body = "\n".join([HISTORY_HEADER, *rows])
    text = text.replace(
        f"{HISTORY_START}{old_history}{HISTORY_END}", f"{HISTORY_START}\n{body}\n{HISTORY_END}"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


bench_app = typer.Typer(add_completion=False, help=__doc__.split("\n\n")[0])


@bench_app.command()
def main(
    articles: Annotated[int, typer.Option("--articles", min=1, help="Articles to process.")] = 300,
    warmup: Annotated[int, typer.Option("--warmup", min=0, help="Untimed warm-up calls.")] = 3,
    doc: Annotated[
        Path | None,
        typer.Option("--doc", help="Performance doc to update (default: docs/performance.md)."),
    ] = None,
    write_doc: Annotated[
        bool, typer.Option("--write-doc/--no-write-doc", help="Update the performance doc.")
    ] = True,
    workers: Annotated[
        int,
        typer.Option("--workers", min=0, help="Compare --workers N with --workers 1 (0: do not)."),
    ] = 2,
    repeats: Annotated[
        int, typer.Option("--repeats", min=1, help="Timed passes of each, in turns.")
    ] = 2,
) -> None:
    """Benchmark Pipeline().extract against spaCy's bare nlp.pipe on the same texts."""
    from rich.console import Console
    from rich.table import Table

    from dragoman.evaluate.machine import machine_info
    from dragoman.pipeline import Pipeline
    from dragoman.settings import Settings

    corpus = bench_corpus()
    if not corpus:
        typer.echo(f"Error: no benchmark texts found under {shared_dir()}", err=True)
        raise typer.Exit(code=2)
    texts = cycle_texts(corpus, articles)
    model = Settings().model
    pipeline = Pipeline()
    result = run_bench(
        pipeline.extract,
        texts,
        floor_fn=spacy_floor(model),
        warmup=warmup,
        machine=machine_info(_model_label(model)),
    )
    if workers:
        result.parallel = run_parallel(pipeline, texts, workers, warmup, repeats)
        result.machine["load after"] = _load()
    table = Table(title=f"Benchmark ({result.when})", title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in summary_rows(result) + list(result.machine.items()):
        table.add_row(name, value)
    Console().print(table)
    if write_doc:
        typer.echo(f"written {write_performance_doc(result, doc or DEFAULT_DOC)}")


def _load() -> str:
    """The load averages now (1, 5 and 15 minutes)."""
    return ", ".join(f"{load:.1f}" for load in os.getloadavg())


def _model_label(model: str) -> str:
    """``name version`` of an installed spaCy model package, or just the name."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{model} {version(model.replace('_', '-'))}"
    except PackageNotFoundError:
        return model


if __name__ == "__main__":
    bench_app()
