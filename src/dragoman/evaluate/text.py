"""Readable terminal reports (Rich tables) for the seeds and PLOVER scores."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dragoman.evaluate.metrics import fmt
from dragoman.evaluate.plover import PloverReport
from dragoman.evaluate.seeds import SeedsReport


def _add_row(table: Table, *cells: str | Text) -> None:
    """Add a row whose strings are shown literally (article text may contain [brackets])."""
    table.add_row(*(cell if isinstance(cell, Text) else Text(str(cell)) for cell in cells))


def _headline(title: str, rows: list[tuple[str, str, str]]) -> Table:
    table = Table(title=title, title_justify="left", show_header=True)
    table.add_column("figure")
    table.add_column("score", justify="right")
    table.add_column("counts", justify="right")
    for row in rows:
        _add_row(table, *row)
    return table


def seeds_renderable(report: SeedsReport) -> RenderableType:
    """The seeds scores: headline figures, per article, dates, misses and spurious events."""
    parts: list[RenderableType] = [
        _headline("Seeds: hand-coded reference events", report.headline_rows())
    ]
    articles = Table(title="Per article", title_justify="left")
    for column in ("article", "required found", "extracted", "matching gold"):
        articles.add_column(column, justify="left" if column == "article" else "right")
    for article_id, row in report.per_article.items():
        _add_row(
            articles,
            article_id,
            f"{row['required_found']}/{row['required']}",
            str(row["extracted"]),
            str(row["extracted_matching"]),
        )
    parts.append(articles)
    if report.date_checks:
        dates = Table(title="Dates of matched required events", title_justify="left")
        for column in ("gold event", "gold range", "extracted (date, start, end)", "ok"):
            dates.add_column(column)
        for check in report.date_checks:
            _add_row(
                dates,
                f"{check.article_id} {check.gold_id}",
                " .. ".join(check.gold_range),
                ", ".join(str(value) for value in check.predicted),
                "yes" if check.correct else Text("no", style="red"),
            )
        parts.append(dates)
    if report.missed:
        missed = Table(title="Missed required events", title_justify="left")
        missed.add_column("gold event", no_wrap=True)
        missed.add_column("what / nearest extracted")
        for item in report.missed:
            notes = "\n".join(f"  {note}" for note in item.nearest)
            _add_row(
                missed,
                f"{item.article_id} {item.gold_id}",
                item.what + ("\n" + notes if notes else ""),
            )
        parts.append(missed)
    if report.spurious:
        spurious = Table(
            title="Spurious extracted events (match no gold event)", title_justify="left"
        )
        spurious.add_column("event")
        spurious.add_column("sentence")
        for item in report.spurious:
            _add_row(spurious, f"{item.article_id}\n{item.summary}", item.sentence)
        parts.append(spurious)
    if report.ignored_events:
        parts.append(
            Text(f"{report.ignored_events} events of articles not in the gold were ignored.")
        )
    return Group(*parts)


def plover_renderable(report: PloverReport, worst: int = 10) -> RenderableType:
    """The PLOVER scores: headline figures, per type, confusion pairs and worst errors."""
    pairs, types = report.pairs, report.types
    parts: list[RenderableType] = [
        _headline(
            f"PLOVER gold records ({report.records})",
            [
                (
                    "(type, source country) P / R / F1",
                    f"{fmt(pairs.precision)} / {fmt(pairs.recall)} / {fmt(pairs.f1)}",
                    f"tp {pairs.tp} fp {pairs.fp} fn {pairs.fn}",
                ),
                (
                    "type P / R / F1",
                    f"{fmt(types.precision)} / {fmt(types.recall)} / {fmt(types.f1)}",
                    f"tp {types.tp} fp {types.fp} fn {types.fn}",
                ),
                ("type recall@article", fmt(report.type_recall_at_article), ""),
                ("top-1 type accuracy", fmt(report.top1_accuracy), ""),
            ],
        )
    ]
    per_type = Table(title="Per type", title_justify="left")
    for column in ("type", "support", "precision", "recall", "F1", "tp", "fp", "fn"):
        per_type.add_column(column, justify="left" if column == "type" else "right")
    for kind, counts in report.per_type.items():
        _add_row(
            per_type,
            kind,
            str(report.support.get(kind, 0)),
            fmt(counts.precision),
            fmt(counts.recall),
            fmt(counts.f1),
            str(counts.tp),
            str(counts.fp),
            str(counts.fn),
        )
    parts.append(per_type)
    confusions = sorted(
        (
            (count, gold, predicted)
            for gold, row in report.confusion.items()
            for predicted, count in row.items()
            if predicted != gold
        ),
        reverse=True,
    )
    if confusions:
        table = Table(
            title="Most frequent confusions (gold -> top predicted)", title_justify="left"
        )
        for column in ("gold", "predicted", "records"):
            table.add_column(column, justify="right" if column == "records" else "left")
        for count, gold, predicted in confusions[:10]:
            _add_row(table, gold, predicted, str(count))
        parts.append(table)
    if report.errors:
        shown = report.errors[:worst]
        table = Table(
            title=f"Worst errors: gold type missed ({len(shown)} of {len(report.errors)})",
            title_justify="left",
        )
        table.add_column("record / gold")
        table.add_column("text")
        table.add_column("predicted")
        for error in shown:
            _add_row(
                table,
                f"{error.id}\n{error.gold}",
                error.text,
                "\n".join(error.predicted) or "(nothing)",
            )
        parts.append(table)
    if report.ignored_events:
        parts.append(Text(f"{report.ignored_events} events of unknown record ids were ignored."))
    return Group(*parts)
