"""Benchmark: a Ray cluster on this machine against one process and ``--workers N``.

Run ``python -m dragoman.evaluate.bench_ray [--articles N] [--workers 2]``. The texts are
those of ``make bench`` (the seed articles and the PLOVER and MEANTIME dev files, cycled to
N articles), each with its own id. Three ways of analysing them are timed on the same
texts, each warmed up first, so that model loading and start-up stay out of the figures:

- one process: ``Pipeline.annotate_many``, as ``dragoman ingest --workers 1``;
- ``--workers N``: the worker pool of ``dragoman ingest`` (when this Dragoman has one);
- Ray: ``dragoman ingest --engine ray`` on a local cluster of N CPUs, reading a JSONL
  file and writing the Parquet dataset. Its actors start inside each job, and its results
  reach the driver in bursts, so two jobs are timed: one over W warm-up articles (two
  batches per actor) and one over the same W followed by the N texts; the difference is
  the time of the N texts on warm actors. The wall time of the longer job, start-up
  included, is reported beside it.

The peak resident memory of each Ray actor is sampled while the job runs.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Self

import psutil
import typer

from dragoman.cluster.coder import BATCH_SIZE
from dragoman.evaluate.bench import bench_corpus, cycle_texts, word_count
from dragoman.records import Article

#: How Ray names the processes of the coding actors.
ACTOR_TITLE = "MapWorker(MapBatches(ArticleCoder))"


@dataclass
class RayTiming:
    """One Ray job over warm-up and timed articles."""

    actors: int
    timed_articles: int
    #: Seconds of the job over warm-up and timed articles less those of the warm-up alone.
    seconds: float
    #: Seconds of the whole job, actor start-up and warm-up included.
    job_seconds: float
    events: int
    actor_peak_rss: list[int] = field(default_factory=list)

    @property
    def articles_per_second(self) -> float:
        return self.timed_articles / self.seconds if self.seconds else float("inf")


class _ActorMemory:
    """Samples the resident memory of the coding actors, keeping each one's peak."""

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            for process in psutil.process_iter(["pid", "cmdline"]):
                command = " ".join(process.info.get("cmdline") or ())
                if ACTOR_TITLE not in command:
                    continue
                try:
                    rss = process.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[process.pid] = max(self.peaks.get(process.pid, 0), rss)


def time_ray(texts: Sequence[str], actors: int, folder: Path) -> RayTiming:
    """Code ``texts`` on a local Ray cluster of ``actors`` CPUs (see the module doc)."""
    import ray

    warm = 2 * BATCH_SIZE * actors
    ray.init(
        address="local",
        num_cpus=actors,
        object_store_memory=200 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
    )
    try:
        short, _, _ = _ray_job(texts[:warm], actors, folder / "short")
        with _ActorMemory() as memory:
            long, events, coded = _ray_job([*texts[:warm], *texts], actors, folder / "long")
    finally:
        ray.shutdown()
    if coded != warm + len(texts):
        raise RuntimeError(f"the Ray job coded {coded} articles of {warm + len(texts)}")
    return RayTiming(
        actors=actors,
        timed_articles=len(texts),
        seconds=long - short,
        job_seconds=long,
        events=events,
        actor_peak_rss=sorted(memory.peaks.values()),
    )


def _ray_job(texts: Sequence[str], actors: int, folder: Path) -> tuple[float, int, int]:
    """Seconds, events written and articles coded of one Ray job over ``texts``."""
    from dragoman.cluster import RayJob, run_ray_ingest
    from dragoman.settings import Settings

    folder.mkdir(parents=True)
    corpus = folder / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for i, text in enumerate(texts):
            handle.write(json.dumps({"id": f"bench-{i:05d}", "text": text}) + "\n")
    job = RayJob([str(corpus)], Settings(), output=str(folder / "dataset"), actors=actors)
    started = time.perf_counter()
    outcome = run_ray_ingest(job)
    seconds = time.perf_counter() - started
    if outcome.failures:
        raise RuntimeError(f"the Ray job left out articles: {outcome.failures[:3]}")
    return seconds, outcome.written_events, outcome.written_articles


def time_local(texts: Sequence[str], workers: int) -> dict[str, Any]:
    """One process and ``workers`` processes on ``texts``, as ``make bench`` times them:
    ``{"one_process": seconds, "workers": seconds or None}``."""
    from dragoman.pipeline import Pipeline

    pipeline = Pipeline()
    try:
        from dragoman.evaluate.bench import run_parallel
    except ImportError:  # a Dragoman without worker processes
        articles = [Article(id=f"bench-{i:05d}", text=t) for i, t in enumerate(texts)]
        deque(pipeline.annotate_many(articles[:3]), maxlen=0)
        started = time.perf_counter()
        deque(pipeline.annotate_many(articles), maxlen=0)
        return {"one_process": time.perf_counter() - started, "workers": None}
    result = run_parallel(pipeline, texts, workers)
    return {"one_process": min(result.one_process), "workers": min(result.in_workers)}


def main(
    articles: Annotated[int, typer.Option("--articles", min=1, help="Articles timed.")] = 320,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes, and Ray actors.")
    ] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Time a local Ray cluster against one process and --workers on the same texts."""
    texts = cycle_texts(bench_corpus(), articles)
    local = time_local(texts, workers)
    with tempfile.TemporaryDirectory(prefix="dragoman-bench-ray-") as folder:
        ray_timing = time_ray(texts, workers, Path(folder))
    words = word_count(texts)
    figures = {
        "articles": articles,
        "words": words,
        "workers": workers,
        "cpus": len(os.sched_getaffinity(0)),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "one_process_seconds": round(local["one_process"], 2),
        "workers_seconds": round(local["workers"], 2) if local["workers"] else None,
        "ray_seconds": round(ray_timing.seconds, 2),
        "ray_job_seconds": round(ray_timing.job_seconds, 2),
        "ray_articles_per_second": round(ray_timing.articles_per_second, 2),
        "ray_over_workers": (
            round(ray_timing.seconds / local["workers"], 3) if local["workers"] else None
        ),
        "ray_speedup_over_one_process": round(local["one_process"] / ray_timing.seconds, 3),
        "ray_actor_peak_rss_mib": [round(p / 2**20) for p in ray_timing.actor_peak_rss],
    }
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
        return
    for name, value in figures.items():
        typer.echo(f"{name:32} {value}")


if __name__ == "__main__":
    typer.run(main)
