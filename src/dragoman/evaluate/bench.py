"""Benchmark: how fast the pipeline is, against spaCy alone on the same texts.

Run ``python -m dragoman.evaluate.bench [--articles N]`` (``make bench``). The corpus is
the texts of the seed articles and the PLOVER and MEANTIME dev files, cycled to N
articles. One run measures, on the same texts:

- the *pipeline*: ``Pipeline.annotate_many``, the analysis every command runs (parsing,
  actors, times, places, events), in this process; and the *spaCy floor*: the bare
  ``nlp.pipe`` of the same model, the time any pipeline that runs the whole model must
  spend. After one untimed pass of each, they take turns batch by batch, ``--repeats``
  times, so that the machine's ups and downs weigh on both; the best pass of each is
  compared;
- the analysis of ``dragoman ingest`` with ``--workers 1`` (in this process) and with
  ``--workers N`` (worker processes, results in order): the speed-up of N cores and the
  peak memory of each worker;
- ``dragoman ingest --engine ray`` on a local Ray cluster of N CPUs
  (:mod:`dragoman.evaluate.bench_ray`), against ``--workers N``.

Warm-up passes, model loading and the start of workers and actors are excluded from the
timings. The figures, and whether each meets its target, go to the terminal and to
``docs/performance.md``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import psutil
import typer

from dragoman.evaluate.bench_ray import RayTiming, time_ray
from dragoman.evaluate.paths import PLOVER_GOLD, REPO_ROOT, TIMES_GOLD, shared_dir
from dragoman.records import Article

#: Analyses a batch of articles and says how many events it found (e.g. the events of
#: ``Pipeline.annotate_many``).
AnalyseFn = Callable[[list[Article]], int]
#: Processes a batch of texts (e.g. spaCy's ``nlp.pipe``, consumed).
FloorFn = Callable[[list[str]], None]

DEFAULT_DOC = REPO_ROOT / "docs" / "performance.md"
START, END = "<!-- bench:latest:start -->", "<!-- bench:latest:end -->"
HISTORY_START, HISTORY_END = "<!-- bench:history:start -->", "<!-- bench:history:end -->"
HISTORY_HEADER = (
    "| date | articles | articles/s | words/s | spaCy floor words/s "
    "| pipeline ÷ floor time | peak RSS | model | workers speed-up | Ray ÷ workers |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
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


#: The targets of a run: (name, figure's key in ``BenchResult.targets``, limit, at most?).
TARGETS = (
    ("pipeline ÷ spaCy floor", "slowdown", 1.0, True),
    ("--workers N speed-up over --workers 1", "speedup", 1.7, False),
    ("Ray ÷ --workers N", "ray", 1.25, True),
)


@dataclass
class BenchResult:
    """Everything one benchmark run measured."""

    #: The best of the pipeline's timed passes.
    extract: Timing
    events: int
    peak_rss_bytes: int
    floor: Timing | None = None
    machine: dict[str, str] = field(default_factory=dict)
    when: str = ""
    parallel: ParallelResult | None = None
    #: Seconds of every timed pass of the pipeline and of the floor, in turns.
    extract_runs: list[float] = field(default_factory=list)
    floor_runs: list[float] = field(default_factory=list)
    ray: RayTiming | None = None
    #: Seconds of the untimed first pass of the pipeline and of the floor (cold caches, one
    #: after the other): what a short run from a fresh process sees.
    first_pass: list[float] = field(default_factory=list)

    @property
    def first_pass_slowdown(self) -> float | None:
        """The pipeline's first pass over the floor's (None without both)."""
        if len(self.first_pass) != 2 or not self.first_pass[1]:
            return None
        return self.first_pass[0] / self.first_pass[1]

    @property
    def ray_over_workers(self) -> float | None:
        """Ray's time over the best of ``--workers N`` on the same texts (1.25: 25% slower)."""
        if self.ray is None or self.parallel is None:
            return None
        return self.ray.seconds / min(self.parallel.in_workers)

    def figures(self) -> dict[str, float | None]:
        """The figures the targets are about (None: not measured in this run)."""
        return {
            "slowdown": self.slowdown,
            "speedup": self.parallel.speedup if self.parallel else None,
            "ray": self.ray_over_workers,
        }

    def targets(self) -> list[tuple[str, str]]:
        """One (target, verdict) row per target, e.g. ("pipeline ÷ spaCy floor ≤ 1.0",
        "met: 0.94x")."""
        figures = self.figures()
        rows = []
        for name, key, limit, at_most in TARGETS:
            value = figures[key]
            label = f"{name} {'≤' if at_most else '≥'} {limit:g}"
            if value is None:
                rows.append((label, "not measured"))
                continue
            met = value <= limit if at_most else value >= limit
            rows.append((label, f"{'met' if met else 'NOT met'}: {value:.2f}x"))
        return rows

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
            "extract_runs": self.extract_runs,
            "floor_runs": self.floor_runs,
            "ray": self.ray.to_dict() if self.ray else None,
            "ray_over_workers": self.ray_over_workers,
            "first_pass_seconds": self.first_pass,
            "first_pass_slowdown": self.first_pass_slowdown,
            "targets": dict(self.targets()),
        }


#: Articles per turn of the pipeline and the floor: the pipeline parses in batches of this
#: many (``Pipeline.annotate_many``), and the floor is given the same batches.
TURN = 32


def run_bench(
    analyse_fn: AnalyseFn,
    texts: Sequence[str],
    floor_fn: FloorFn | None = None,
    machine: dict[str, str] | None = None,
    repeats: int = 1,
    turn: int = TURN,
) -> BenchResult:
    """Time ``analyse_fn`` over one Article per text against ``floor_fn`` over the texts.

    Each first makes one untimed pass over all the texts, so that the model's vocabulary
    and every cache fill up as they do in a long ingest; peak RSS is read after the
    pipeline's, before the floor loads its own copy of the model. Then come ``repeats``
    timed passes, in which the two take turns batch by batch (``turn`` articles each):
    a change of the machine's speed during a pass weighs on both alike. The best timed
    pass of each counts.
    """
    articles = [Article(id=f"bench-{i:05d}", text=text) for i, text in enumerate(texts)]
    words = word_count(texts)
    started = time.perf_counter()
    events = analyse_fn(articles)
    first = [time.perf_counter() - started]
    peak = peak_rss_bytes()
    if floor_fn is not None:
        started = time.perf_counter()
        floor_fn(list(texts))
        first.append(time.perf_counter() - started)
    extract_runs: list[float] = []
    floor_runs: list[float] = []
    for _ in range(repeats):
        analysed = floored = 0.0
        for start in range(0, len(articles), turn):
            started = time.perf_counter()
            analyse_fn(articles[start : start + turn])
            analysed += time.perf_counter() - started
            if floor_fn is not None:
                started = time.perf_counter()
                floor_fn(list(texts[start : start + turn]))
                floored += time.perf_counter() - started
        extract_runs.append(analysed)
        if floor_fn is not None:
            floor_runs.append(floored)
    return BenchResult(
        extract=Timing(len(articles), words, min(extract_runs)),
        events=events,
        peak_rss_bytes=peak,
        floor=Timing(len(texts), words, min(floor_runs)) if floor_runs else None,
        machine=machine or {},
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        extract_runs=extract_runs,
        floor_runs=floor_runs,
        first_pass=first,
    )


def pipeline_analysis(pipeline: Any) -> AnalyseFn:
    """What every command runs over its articles: ``pipeline.annotate_many``, counting
    the events. An article left out (it failed, or ran out of time) is an error here:
    the passes would not compare."""

    def analyse(articles: list[Article]) -> int:
        failed: list = []
        events = sum(
            len(a.events) for a in pipeline.annotate_many(articles, on_error=failed.append)
        )
        if failed:
            raise RuntimeError(f"articles left out of a timed pass: {[str(f) for f in failed]}")
        return events

    return analyse


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
        ("pipeline wall time", _seconds(result.extract_runs or [extract.seconds])),
        ("pipeline articles/s", _number(extract.articles_per_second)),
        ("pipeline words/s", _number(extract.words_per_second, 0)),
        ("peak RSS", f"{result.peak_rss_bytes / 2**20:,.0f} MiB"),
    ]
    if floor is not None:
        rows += [
            ("spaCy floor wall time", _seconds(result.floor_runs or [floor.seconds])),
            ("spaCy floor words/s", _number(floor.words_per_second, 0)),
            ("pipeline time / floor time", f"{_number(result.slowdown, 2)}x"),
        ]
    if result.first_pass_slowdown is not None:
        pipeline_first, floor_first = result.first_pass
        ratio = result.first_pass_slowdown
        value = f"{pipeline_first:.2f} s / {floor_first:.2f} s = {ratio:.2f}x"
        rows.append(("first pass, cold caches: pipeline / floor", value))
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
    ray = result.ray
    if ray is not None:
        rows += [
            (f"Ray, {ray.actors} actors, warm", _seconds(ray.runs or [ray.seconds])),
            ("Ray, whole job (actors' start and warm-up)", f"{ray.job_seconds:.2f} s"),
            (f"Ray ÷ --workers {ray.actors}", f"{_number(result.ray_over_workers, 2)}x"),
            (
                "peak RSS per Ray actor",
                ", ".join(f"{peak / 2**20:,.0f} MiB" for peak in ray.actor_peak_rss) or "n/a",
            ),
        ]
    rows += [(f"target: {name}", verdict) for name, verdict in result.targets()]
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
    figures = result.figures()
    return (
        f"| {result.when} | {result.extract.articles} | "
        f"{_number(result.extract.articles_per_second)} | "
        f"{_number(result.extract.words_per_second, 0)} | {_number(floor, 0)} | "
        f"{_number(result.slowdown, 2)}x | {result.peak_rss_bytes / 2**20:,.0f} MiB | "
        f"{result.machine.get('model', '?')} | {_times(figures['speedup'])} | "
        f"{_times(figures['ray'])} |"
    )


def _times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


_INTRO = """# Performance

How fast Dragoman is, measured by `python -m dragoman.evaluate.bench` (`make bench`).
The corpus is the seed articles plus the PLOVER and MEANTIME dev texts, cycled to
the requested number of articles. *Pipeline* is `Pipeline.annotate_many`, what every
command runs (everything: parsing, actors, times, places, events); *spaCy floor* is the
bare `nlp.pipe` of the same model over the same texts: the time any pipeline that runs
the whole model must spend, whatever it adds. Each first makes one untimed pass over the
corpus (vocabulary and caches fill up as in a long ingest); then they take turns, one
batch of 32 articles each, and the best timed pass of each counts. Peak RSS is the
process's high-water mark after the pipeline's untimed pass (model and data included).
The sections
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
    warmup: Annotated[
        int, typer.Option("--warmup", min=0, help="Untimed warm-up articles of --workers runs.")
    ] = 3,
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
    ] = 3,
    ray: Annotated[
        bool,
        typer.Option(
            "--ray/--no-ray",
            help="Time a local Ray cluster of N CPUs against --workers N (needs Ray).",
        ),
    ] = True,
) -> None:
    """Benchmark the pipeline against spaCy's bare nlp.pipe, --workers N and Ray."""
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
        pipeline_analysis(pipeline),
        texts,
        floor_fn=spacy_floor(model),
        machine=machine_info(_model_label(model)),
        repeats=repeats,
    )
    if workers:
        result.parallel = run_parallel(pipeline, texts, workers, warmup, repeats)
        if ray:
            result.ray = _time_ray(texts, workers, repeats)
        result.machine["load after"] = _load()
    table = Table(title=f"Benchmark ({result.when})", title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in summary_rows(result) + list(result.machine.items()):
        table.add_row(name, value)
    Console().print(table)
    if write_doc:
        typer.echo(f"written {write_performance_doc(result, doc or DEFAULT_DOC)}")


def _time_ray(texts: Sequence[str], actors: int, repeats: int) -> RayTiming | None:
    """Ray's figures on ``texts``, or None (with a note) where Ray is not installed."""
    from importlib.util import find_spec

    if find_spec("ray") is None:
        typer.echo("note: Ray not timed: it is not installed (pip install -e '.[ray]')")
        return None
    with tempfile.TemporaryDirectory(prefix="dragoman-bench-ray-") as folder:
        return time_ray(texts, actors, Path(folder), repeats)


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
