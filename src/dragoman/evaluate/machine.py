"""A description of the machine a benchmark ran on."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import psutil


def cpu_model() -> str:
    """The CPU model name, as the operating system reports it."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def machine_info(model: str | None = None) -> dict[str, str]:
    """CPU, cores, RAM, OS, Python, spaCy and (optionally) the spaCy model with its version."""
    import spacy

    physical = psutil.cpu_count(logical=False)
    logical = psutil.cpu_count(logical=True)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = logical
    info = {
        "cpu": cpu_model(),
        "cores": f"{physical or '?'} physical, {logical or '?'} logical, {usable} usable",
        "ram": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "spacy": spacy.__version__,
        # Other work on the machine skews timings; a load near the core count means noise.
        "load average (1 min)": f"{psutil.getloadavg()[0]:.2f}",
    }
    if model:
        info["model"] = model
    return info
