"""The Ray part of ``make bench``: ``dragoman ingest --engine ray`` on a local cluster.

The texts are those of the rest of the benchmark, each with its own id, written to a JSONL
file after W warm-up articles (two batches per actor); the job reads it on a local
cluster of N CPUs started for the purpose, codes it on the actors and hands every result
to the driver, which writes it nowhere: the same work as the ``--workers N`` figure it is
set against (the analysis, without the store). The actors start inside the job, which
costs each several seconds of loading, and on two cores that loading overlaps the first
batches; so the time counted is that between the arrival at the driver of the last
warm-up article (results arrive in input order) and of the last article: the timed texts
on warm actors. The job is run ``repeats`` times and the best counts; the wall time of
the whole job, actors' start included, is reported beside it. The peak resident memory
of each actor is sampled while the job runs.
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
    #: The timed seconds of each job, in the order run.
    runs: list[float] = field(default_factory=list)

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
            "runs": self.runs,
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
    """Code ``texts`` on a local Ray cluster of ``actors`` CPUs (see the module doc), in
    ``repeats`` jobs; the best counts."""
    import ray

    warm = 2 * BATCH_SIZE * actors
    ray.init(
        address="local",
        num_cpus=actors,
        object_store_memory=200 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
    )
    timed: list[float] = []
    jobs: list[float] = []
    peaks: list[int] = []
    try:
        for repeat in range(repeats):
            with _ActorMemory() as memory:
                job = _ray_job([*texts[:warm], *texts], warm, actors, folder / f"job-{repeat}")
            if job.coded != warm + len(texts):
                raise RuntimeError(f"the Ray job coded {job.coded} articles of {warm + len(texts)}")
            timed.append(job.timed)
            jobs.append(job.seconds)
            peaks = sorted(memory.peaks.values())  # those of the last job
    finally:
        ray.shutdown()
    return RayTiming(
        actors=actors,
        timed_articles=len(texts),
        seconds=min(timed),
        job_seconds=min(jobs),
        events=job.events,
        actor_peak_rss=peaks,
        runs=timed,
    )


@dataclass
class _Job:
    seconds: float
    #: Seconds from the arrival of the last warm-up article to that of the last article.
    timed: float
    events: int
    coded: int


def _ray_job(texts: Sequence[str], warm: int, actors: int, folder: Path) -> _Job:
    """One Ray job over ``texts``, the first ``warm`` of them warm-up: the articles are
    read from a file and coded on the cluster, and their results reach the driver, which
    writes them nowhere."""
    from dragoman.cluster import RayJob, run_ray_ingest
    from dragoman.settings import Settings

    folder.mkdir(parents=True)
    corpus = folder / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for i, text in enumerate(texts):
            handle.write(json.dumps({"id": f"bench-{i:05d}", "text": text}) + "\n")
    arrivals: list[float] = []
    job = RayJob([str(corpus)], Settings(), actors=actors)
    started = time.perf_counter()
    outcome = run_ray_ingest(job, notes=lambda _article: arrivals.append(time.perf_counter()))
    seconds = time.perf_counter() - started
    if outcome.failures:
        raise RuntimeError(f"the Ray job left out articles: {outcome.failures[:3]}")
    timed = arrivals[-1] - arrivals[warm - 1] if len(arrivals) > warm > 0 else seconds
    return _Job(seconds, timed, outcome.coded_events, outcome.coded)
