"""Report folders: ``report.md``, ``report.html`` and PNG figures for each evaluation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dragoman.evaluate.case import CaseReport
from dragoman.evaluate.document import Document
from dragoman.evaluate.metrics import fmt
from dragoman.evaluate.plover import PloverReport
from dragoman.evaluate.seeds import SeedsReport

#: How many missed-type records a PLOVER report lists.
WORST_ERRORS = 25


def write_seeds_report(report: SeedsReport, folder: Path, gold: Path) -> list[Path]:
    """Write the seeds report folder; returns the files written."""
    from dragoman.evaluate import plots

    folder.mkdir(parents=True, exist_ok=True)
    figure = plots.score_bars(
        {
            "required recall": report.required_recall,
            "precision": report.precision,
            "date accuracy": report.date_accuracy,
        },
        folder / "seeds_scores.png",
        "Seeds: headline scores",
    )
    doc = Document("Dragoman evaluation: seed articles")
    doc.paragraph(f"Gold: {gold.name}. Definitions: docs/evaluation.md.")
    doc.table(["figure", "score", "counts"], [list(row) for row in report.headline_rows()])
    doc.figure(figure.name, "Headline scores")
    doc.heading("Per article")
    doc.table(
        ["article", "required found", "extracted", "matching gold"],
        [
            [
                key,
                f"{row['required_found']}/{row['required']}",
                row["extracted"],
                row["extracted_matching"],
            ]
            for key, row in report.per_article.items()
        ],
    )
    if report.date_checks:
        doc.heading("Dates of matched required events")
        doc.table(
            ["gold event", "gold range", "extracted date, start, end", "ok"],
            [
                [
                    f"{c.article_id} {c.gold_id}",
                    " .. ".join(c.gold_range),
                    ", ".join(str(v) for v in c.predicted),
                    "yes" if c.correct else "no",
                ]
                for c in report.date_checks
            ],
        )
    doc.heading(f"Missed required events ({len(report.missed)})")
    doc.bullets(
        [
            f"{m.article_id} {m.gold_id}: {m.what}"
            + "".join(f" — nearest: {note}" for note in m.nearest)
            for m in report.missed
        ]
        or ["none"]
    )
    doc.heading(f"Spurious extracted events ({len(report.spurious)})")
    doc.table(
        ["article", "event", "sentence"],
        [[s.article_id, s.summary, s.sentence] for s in report.spurious],
    )
    return [figure, *doc.write(folder)]


def write_plover_report(report: PloverReport, folder: Path, gold: Path) -> list[Path]:
    """Write the PLOVER report folder with a confusion heatmap and per-type bars."""
    from dragoman.evaluate import plots

    folder.mkdir(parents=True, exist_ok=True)
    heatmap = plots.confusion_heatmap(report.confusion, report.labels(), folder / "confusion.png")
    bars = plots.per_type_bars(
        {kind: counts.to_dict() for kind, counts in report.per_type.items()},
        folder / "per_type.png",
    )
    pairs, types = report.pairs, report.types
    doc = Document("Dragoman evaluation: PLOVER gold records")
    doc.paragraph(f"Gold: {gold.name}, {report.records} records. Definitions: docs/evaluation.md.")
    doc.table(
        ["figure", "precision", "recall", "F1", "tp / fp / fn"],
        [
            [
                "(type, source country)",
                fmt(pairs.precision),
                fmt(pairs.recall),
                fmt(pairs.f1),
                f"{pairs.tp} / {pairs.fp} / {pairs.fn}",
            ],
            [
                "type",
                fmt(types.precision),
                fmt(types.recall),
                fmt(types.f1),
                f"{types.tp} / {types.fp} / {types.fn}",
            ],
        ],
    )
    doc.bullets(
        [
            f"type recall@article: {fmt(report.type_recall_at_article)}",
            f"top-1 type accuracy: {fmt(report.top1_accuracy)}",
        ]
    )
    doc.figure(heatmap.name, "Gold type by predicted (highest-confidence) type")
    doc.figure(bars.name, "Per-type precision, recall and F1")
    doc.heading("Per type")
    doc.table(
        ["type", "support", "precision", "recall", "F1", "tp", "fp", "fn"],
        [
            [
                kind,
                report.support.get(kind, 0),
                fmt(c.precision),
                fmt(c.recall),
                fmt(c.f1),
                c.tp,
                c.fp,
                c.fn,
            ]
            for kind, c in report.per_type.items()
        ],
    )
    shown = report.errors[:WORST_ERRORS]
    doc.heading(f"Worst errors: gold type missed ({len(shown)} of {len(report.errors)})")
    doc.table(
        ["record", "gold", "text", "predicted"],
        [[e.id, e.gold, e.text, "; ".join(e.predicted) or "(nothing)"] for e in shown],
    )
    return [heatmap, bars, *doc.write(folder)]


def write_case_report(report: CaseReport, folder: Path, gold: Path) -> list[Path]:
    """Write the CASE 2021 report folder with a bar chart of type recall per label.

    Snippet texts are in the report only for the read half (the report holds none else).
    """
    from dragoman.evaluate import plots

    folder.mkdir(parents=True, exist_ok=True)
    recalls = {"all scored": report.type_recall}
    recalls.update(
        {label: score.recall for label, score in report.per_label.items() if score.acceptable}
    )
    bars = plots.score_bars(
        recalls, folder / "recall_per_label.png", "CASE 2021: type recall per label"
    )
    doc = Document(f"Dragoman evaluation: CASE 2021 snippets ({report.half} half)")
    doc.paragraph(
        f"Gold: {gold.name}, {report.snippets} snippets of the {report.half} half, "
        f"{report.scored} scored. Definitions: docs/evaluation.md."
    )
    doc.table(["figure", "score", "counts"], [list(row) for row in report.headline_rows()])
    doc.figure(bars.name, "Type recall on scored snippets, overall and per label")
    doc.heading("Per label")
    doc.table(
        ["label", "acceptable types", "support", "found", "recall", "events", "with events"],
        [
            [
                label,
                ", ".join(score.acceptable) or "(not scored)",
                score.snippets,
                score.found if score.acceptable else "-",
                fmt(score.recall),
                score.events,
                score.with_events,
            ]
            for label, score in report.per_label.items()
        ],
    )
    doc.heading("Per group of acceptable types")
    doc.table(
        ["acceptable types", "labels", "snippets", "found", "recall"],
        [
            [group, ", ".join(score.labels), score.snippets, score.found, fmt(score.recall)]
            for group, score in report.per_group.items()
        ],
    )
    doc.heading("Types extracted on missed and on not-scored snippets")
    doc.table(
        ["type", "missed snippets", "not-scored snippets"],
        [
            [kind, report.missed_types.get(kind, 0), report.not_scored_types.get(kind, 0)]
            for kind in sorted(set(report.missed_types) | set(report.not_scored_types))
        ],
    )
    shown = report.misses[:WORST_ERRORS]
    doc.heading(f"Missed snippets ({len(shown)} of {len(report.misses)})")
    if report.shows_texts:
        doc.table(
            ["snippet", "label", "text", "extracted"],
            [[m.id, m.label, m.text, "; ".join(m.predicted or []) or "(nothing)"] for m in shown],
        )
    else:
        doc.paragraph("Texts are shown only for the read half.")
        doc.table(
            ["snippet", "label", "acceptable types"],
            [[m.id, m.label, ", ".join(m.acceptable)] for m in shown],
        )
    return [bars, *doc.write(folder)]


def headline_scores(data: Mapping[str, Any], prefix: str = "", depth: int = 2) -> dict[str, float]:
    """Scores in [0, 1] found in a report dict, keyed by dotted path (for a bar chart)."""
    found: dict[str, float] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, bool):
            continue
        if isinstance(value, float) and 0.0 <= value <= 1.0:
            found[name] = value
        elif isinstance(value, Mapping) and depth > 1:
            found.update(headline_scores(value, f"{name}.", depth - 1))
    return found


def write_times_report(data: Mapping[str, Any], text: str, folder: Path, gold: Path) -> list[Path]:
    """Write the time-expression report folder from the report's dict and text forms."""
    from dragoman.evaluate import plots

    folder.mkdir(parents=True, exist_ok=True)
    doc = Document("Dragoman evaluation: time expressions")
    doc.paragraph(f"Gold: {gold.name}. Definitions: docs/evaluation.md.")
    written: list[Path] = []
    scores = headline_scores(data)
    if scores:
        figure = plots.score_bars(scores, folder / "times_scores.png", "Time expressions")
        written.append(figure)
        doc.figure(figure.name, "Scores")
    doc.pre(text)
    doc.heading("All figures (JSON)")
    doc.pre(json.dumps(data, indent=2, default=str))
    return [*written, *doc.write(folder)]
