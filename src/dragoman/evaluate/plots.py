"""Figures for evaluation reports, drawn with matplotlib.

Figures are built with the object API (``Figure``), not ``pyplot``: no global
state, no GUI backend, safe in servers and tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from matplotlib.figure import Figure


def confusion_heatmap(
    confusion: Mapping[str, Mapping[str, int]], labels: Sequence[str], path: Path
) -> Path:
    """Heatmap of record counts, gold type (rows) by predicted type (columns)."""
    rows = [label for label in labels if label in confusion]
    matrix = [[confusion[row].get(col, 0) for col in labels] for row in rows]
    width = max(6.0, 0.55 * len(labels) + 2.5)
    height = max(4.0, 0.45 * len(rows) + 2.0)
    figure = Figure(figsize=(width, height))
    axes = figure.subplots()
    image = axes.imshow(matrix, cmap="Blues", aspect="auto")
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    axes.set_yticks(range(len(rows)), rows, fontsize=8)
    axes.set_xlabel("predicted type (highest-confidence event)")
    axes.set_ylabel("gold type")
    peak = max((max(row) for row in matrix if row), default=0)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                colour = "white" if value > peak / 2 else "black"
                axes.text(j, i, str(value), ha="center", va="center", fontsize=7, color=colour)
    figure.colorbar(image, ax=axes, label="records")
    axes.set_title("PLOVER type confusion")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return path


def per_type_bars(scores: Mapping[str, Mapping[str, float | None]], path: Path) -> Path:
    """Grouped bars of precision, recall and F1 per type (undefined scores drawn as 0)."""
    kinds = list(scores)
    metrics = ("precision", "recall", "f1")
    figure = Figure(figsize=(max(6.0, 0.6 * len(kinds) + 2.0), 4.2))
    axes = figure.subplots()
    step = 0.27
    for offset, metric in enumerate(metrics):
        values = [scores[kind].get(metric) or 0.0 for kind in kinds]
        positions = [i + (offset - 1) * step for i in range(len(kinds))]
        axes.bar(positions, values, width=step, label=metric)
    axes.set_xticks(range(len(kinds)), kinds, rotation=60, ha="right", fontsize=8)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("score")
    axes.set_title("Per-type precision, recall and F1")
    # above the plot area, so it never hides a bar
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.08), ncol=len(metrics), fontsize=8)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return path


def score_bars(scores: Mapping[str, float | None], path: Path, title: str) -> Path:
    """Horizontal bars for a few headline scores in [0, 1] (undefined ones marked n/a)."""
    names = list(scores)
    figure = Figure(figsize=(6.0, 0.55 * len(names) + 1.4))
    axes = figure.subplots()
    values = [scores[name] or 0.0 for name in names]
    axes.barh(names, values, color="#3a7ebf")
    for i, name in enumerate(names):
        value = scores[name]
        label = "n/a" if value is None else f"{value:.2f}"
        axes.text(min(values[i] + 0.01, 0.93), i, label, va="center", fontsize=9)
    axes.set_xlim(0, 1)
    axes.invert_yaxis()
    axes.set_title(title)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return path
