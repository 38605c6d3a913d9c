"""The Ray part of ``make bench``: ``dragoman ingest --engine ray`` on a local cluster.

The texts are those of the rest of the benchmark, each with its own id, written to a JSONL
file; the job reads it and writes the Parquet dataset, on a local cluster of N CPUs
started for the purpose. Its actors start inside each job, and its results reach the
driver in bursts, so two jobs are timed: one over W warm-up articles (two batches per
actor) and one over the same W followed by the timed texts; the difference is the time of
the timed texts on warm actors. The wall time of the longer job, actors' start included,
is reported beside it. The peak resident memory of each actor is sampled while the job
runs.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import psutil

from dragoman.cluster.coder import BATCH_SIZE

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "actors": self.actors,
            "timed_articles": self.timed_articles,
            "seconds": self.seconds,
            "job_seconds": self.job_seconds,
            "events": self.events,
            "actor_peak_rss_mib": [peak / 2**20 for peak in self.actor_peak_rss],
        }


class _ActorMemory:
    """Samples the resident memory of the coding actors, keeping each one's peak. Actors
    alive when sampling starts (those of an earlier job, being stopped) are left out."""

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.peaks: dict[int, int] = {}
        self._earlier = {process.pid for process in _actor_processes()}
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
            for process in _actor_processes():
                if process.pid in self._earlier:
                    continue
                try:
                    rss = process.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[process.pid] = max(self.peaks.get(process.pid, 0), rss)


def _actor_processes() -> list[psutil.Process]:
    """The processes of the coding actors running now."""
    return [
        process
        for process in psutil.process_iter(["pid", "cmdline"])
        if ACTOR_TITLE in " ".join(process.info.get("cmdline") or ())
    ]


def time_ray(texts: Sequence[str], actors: int, folder: Path, repeats: int = 1) -> RayTiming:
    """Code ``texts`` on a local Ray cluster of ``actors`` CPUs (see the module doc), the
    two jobs ``repeats`` times in turns; the best difference counts."""
    import ray

    warm = 2 * BATCH_SIZE * actors
    ray.init(
        address="local",
        num_cpus=actors,
        object_store_memory=200 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
    )
    differences: list[float] = []
    jobs: list[float] = []
    peaks: list[int] = []
    try:
        for repeat in range(repeats):
            short, _, _ = _ray_job(texts[:warm], actors, folder / f"short-{repeat}")
            with _ActorMemory() as memory:
                long, events, coded = _ray_job(
                    [*texts[:warm], *texts], actors, folder / f"long-{repeat}"
                )
            if coded != warm + len(texts):
                raise RuntimeError(f"the Ray job coded {coded} articles of {warm + len(texts)}")
            differences.append(long - short)
            jobs.append(long)
            peaks = sorted(memory.peaks.values())  # those of the last long job
    finally:
        ray.shutdown()
    return RayTiming(
        actors=actors,
        timed_articles=len(texts),
        seconds=min(differences),
        job_seconds=min(jobs),
        events=events,
        actor_peak_rss=peaks,
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
