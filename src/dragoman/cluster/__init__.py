"""Coding articles on a Ray cluster: ``dragoman ingest --engine ray``.

The articles are read as a Ray dataset (``sources``), coded on a pool of actors that
each hold one :class:`~dragoman.pipeline.Pipeline` (``coder``), and written by the driver
as a Parquet dataset partitioned by month (``parquet_dataset``) and, when asked, into the
store (``job``). Ray is an optional dependency: nothing here imports it until a job runs.
"""

from dragoman.cluster.job import ClusterError, RayJob, RayMissing, run_ray_ingest

__all__ = ["ClusterError", "RayJob", "RayMissing", "run_ray_ingest"]
