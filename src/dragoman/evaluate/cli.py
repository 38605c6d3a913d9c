"""``dragoman eval``: score Dragoman (or any coder's saved events) against gold data.

Each command runs the pipeline over the gold articles, or reads already-extracted
events with ``--predictions``, and prints the scores; ``--report DIR`` also writes
``report.md``, ``report.html`` and PNG figures. Scores are reported, not enforced:
the exit code is 0 whenever the evaluation ran, 2 when an input is missing or malformed.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from dragoman.evaluate.paths import PLOVER_GOLD, SEEDS_GOLD, TIMES_GOLD, default_gold
from dragoman.folders import create_folder
from dragoman.llm.options import Coder, CoderOption

eval_app = typer.Typer(
    name="eval",
    help="Know how good it is: score events against gold data.",
    no_args_is_help=True,
    add_completion=False,
)


class OutputFormat(StrEnum):
    """How scores are printed."""

    text = "text"
    json = "json"


class Half(StrEnum):
    """Which CASE 2021 snippets are scored (the split is fixed: see ``evaluate.case``)."""

    read = "read"
    blind = "blind"
    all = "all"


GoldOption = Annotated[
    Path | None, typer.Option("--gold", help="Gold file (default: under ../shared/data).")
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text (tables) or json.")]
ReportOption = Annotated[
    Path | None,
    typer.Option("--report", help="Also write report.md, report.html and PNG figures here."),
]
PredictionsOption = Annotated[
    Path | None,
    typer.Option(
        "--predictions",
        help="Score this JSONL of already-extracted events instead of running the pipeline.",
    ),
]


def _fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=2)


def _check_report_dir(report: Path | None) -> None:
    """Create the ``--report`` folder now, or fail with exit 2, rather than after the
    whole evaluation has run."""
    if report is None:
        return
    reason = create_folder(report)
    if reason is not None:
        _fail(f"cannot create the report folder {report}: {reason}")
    if not os.access(report, os.W_OK | os.X_OK):
        _fail(f"cannot write to the report folder {report}: permission denied")


def _existing(path: Path | None, default_name: str, what: str) -> Path:
    path = path if path is not None else default_gold(default_name)
    if not path.is_file():
        _fail(f"{what} not found: {path}")
    return path


def _load_gold(loader: Any, path: Path) -> Any:
    """Read a gold file with ``loader``, or fail with exit 2 when it is malformed."""
    from dragoman.evaluate.seeds import GoldFormatError

    try:
        return loader(path)
    except GoldFormatError as exc:
        _fail(str(exc))


def _load_predictions(path: Path, reader: Any = None) -> Any:
    """Read a predictions file with ``reader`` (events by default), or fail with exit 2."""
    from dragoman.evaluate.matching import PredictionsError, read_predictions

    if not path.is_file():
        _fail(f"predictions file not found: {path}")
    try:
        return (reader or read_predictions)(path)
    except PredictionsError as exc:
        _fail(str(exc))


def _emit(data: dict[str, Any], renderable: Any, output: OutputFormat) -> None:
    if output is OutputFormat.json:
        typer.echo(json.dumps(data, indent=2, default=str))
    elif isinstance(renderable, str):
        typer.echo(renderable)
    else:
        Console().print(renderable)


def _note(message: str) -> None:
    typer.echo(message, err=True)


def _with_coders(coder, articles, score, render, output: OutputFormat):
    """The events to score with ``--coder llm|both`` and the figures to add to the JSON
    output; with ``both`` each coder's figures and their agreement are printed first
    (see ``evaluate.coders``). A model coder that cannot run exits 2."""
    from dragoman.evaluate.coders import compare_coders
    from dragoman.llm.wiring import ModelCoderError

    try:
        events, extra, printed = compare_coders(str(coder), articles, score, render, _note)
    except ModelCoderError as exc:
        _fail(str(exc))
    if printed is not None and output is OutputFormat.text:
        Console().print(printed)
    return events, extra


@eval_app.command("seeds")
def seeds_command(
    gold: GoldOption = None,
    output: FormatOption = OutputFormat.text,
    report: ReportOption = None,
    predictions: PredictionsOption = None,
    texts: Annotated[
        Path | None,
        typer.Option("--texts", help="Folder of <article id>.txt files (default: ../seeds)."),
    ] = None,
    coder: CoderOption = None,
) -> None:
    """Required recall, precision and date accuracy on the hand-coded seed articles."""
    _check_report_dir(report)
    from dragoman.evaluate.seeds import load_seeds_gold, score_seeds
    from dragoman.evaluate.text import seeds_renderable

    gold_path = _existing(gold, SEEDS_GOLD, "gold file")
    gold_events = _load_gold(load_seeds_gold, gold_path)
    extra: dict[str, Any] = {}
    if predictions is not None:
        events = _load_predictions(predictions)
    else:
        from dragoman.evaluate.runners import read_seed_articles, run_seeds, seed_texts_dir

        folder = texts if texts is not None else seed_texts_dir(gold_path)
        if not folder.is_dir():
            _fail(f"seed articles folder not found: {folder}")
        if coder not in (None, Coder.rules):
            articles = read_seed_articles(folder, gold_events, notify=_note)
            events, extra = _with_coders(
                coder,
                articles,
                lambda found: score_seeds(gold_events, found),
                seeds_renderable,
                output,
            )
        else:
            events = run_seeds(folder, gold_events, notify=_note)
    scores = score_seeds(gold_events, events)
    _emit(scores.to_dict() | extra, seeds_renderable(scores), output)
    if report is not None:
        from dragoman.evaluate.reports import write_seeds_report

        write_seeds_report(scores, report, gold_path)
        _note(f"report written to {report / 'report.html'}")


@eval_app.command("plover")
def plover_command(
    gold: GoldOption = None,
    output: FormatOption = OutputFormat.text,
    report: ReportOption = None,
    predictions: PredictionsOption = None,
    worst: Annotated[int, typer.Option("--worst", help="Missed records to list.")] = 10,
    coder: CoderOption = None,
) -> None:
    """Event-type and (type, source country) scores on PLOVER gold records."""
    _check_report_dir(report)
    from dragoman.evaluate.plover import load_plover_gold, score_plover
    from dragoman.evaluate.text import plover_renderable

    gold_path = _existing(gold, PLOVER_GOLD, "gold file")
    records = _load_gold(load_plover_gold, gold_path)
    extra: dict[str, Any] = {}
    if predictions is not None:
        events = _load_predictions(predictions)
    elif coder not in (None, Coder.rules):
        from dragoman.evaluate.runners import plover_articles

        events, extra = _with_coders(
            coder,
            plover_articles(records),
            lambda found: score_plover(records, found),
            lambda scores: plover_renderable(scores, worst=worst),
            output,
        )
    else:
        from dragoman.evaluate.runners import run_plover

        events = run_plover(records)
    scores = score_plover(records, events)
    _emit(scores.to_dict() | extra, plover_renderable(scores, worst=worst), output)
    if report is not None:
        from dragoman.evaluate.reports import write_plover_report

        write_plover_report(scores, report, gold_path)
        _note(f"report written to {report / 'report.html'}")


@eval_app.command("case")
def case_command(
    gold: GoldOption = None,
    output: FormatOption = OutputFormat.text,
    report: ReportOption = None,
    predictions: PredictionsOption = None,
    half: Annotated[
        Half,
        typer.Option(
            "--half",
            help="read (texts of misses shown), blind (never shown: figures only) or all.",
        ),
    ] = Half.all,
    worst: Annotated[int, typer.Option("--worst", min=0, help="Missed snippets to list.")] = 10,
    coder: CoderOption = None,
) -> None:
    """Event-type recall per label on CASE 2021 news snippets, and how much is coded."""
    _check_report_dir(report)
    from dragoman.evaluate.case import (
        CASE_GOLD,
        case_renderable,
        load_case_gold,
        score_case,
        select_half,
    )

    gold_path = _existing(gold, CASE_GOLD, "gold file")
    records = _load_gold(load_case_gold, gold_path)
    chosen = select_half(records, half.value)
    extra: dict[str, Any] = {}
    gold_ids = [record.id for record in records]
    if predictions is not None:
        events = _load_predictions(predictions)
    elif coder not in (None, Coder.rules):
        from dragoman.evaluate.case import case_articles

        events, extra = _with_coders(
            coder,
            case_articles(chosen),
            lambda found: score_case(chosen, found, half.value, gold_ids=gold_ids),
            lambda scores: case_renderable(scores, worst=worst),
            output,
        )
    else:
        from dragoman.evaluate.case import run_case

        events = run_case(chosen)
    scores = score_case(chosen, events, half.value, gold_ids=gold_ids)
    _emit(scores.to_dict() | extra, case_renderable(scores, worst=worst), output)
    if report is not None:
        from dragoman.evaluate.reports import write_case_report

        write_case_report(scores, report, gold_path)
        _note(f"report written to {report / 'report.html'}")


@eval_app.command("incidents")
def incidents_command(
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold", help="Incident gold JSONL (default: the set shipped with Dragoman)."
        ),
    ] = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Pairwise and B-cubed scores of grouping reports into incidents (docs/incidents.md)."""
    from dragoman.evaluate.incidents import (
        IncidentGoldError,
        evaluate_incidents,
        incidents_text,
        load_incident_gold,
    )
    from dragoman.pipeline import Pipeline

    if gold is not None and not gold.is_file():
        _fail(f"gold file not found: {gold}")
    try:
        articles = load_incident_gold(gold)
    except IncidentGoldError as exc:
        _fail(str(exc))
    scores = evaluate_incidents(Pipeline().annotate, articles)
    _emit(scores.to_dict(), incidents_text(scores), output)


@eval_app.command("times")
def times_command(
    gold: GoldOption = None,
    output: FormatOption = OutputFormat.text,
    report: ReportOption = None,
    predictions: Annotated[
        Path | None,
        typer.Option(
            "--predictions",
            help="Score this JSONL of time expressions (annotation records with 'times') "
            "instead of running the tagger.",
        ),
    ] = None,
) -> None:
    """Time-expression detection and normalisation scores on MEANTIME documents."""
    _check_report_dir(report)
    gold_path = _existing(gold, TIMES_GOLD, "gold file")
    from dragoman.evaluate.times import evaluate_times, format_times_report

    if predictions is not None:
        from dragoman.evaluate.matching import read_time_predictions
        from dragoman.evaluate.times import evaluate_records, read_gold

        found = _load_predictions(predictions, read_time_predictions)
        try:
            records = read_gold(gold_path)
            scores = evaluate_records(records, lambda record: found.get(str(record["id"]), []))
        except (KeyError, TypeError, ValueError) as exc:
            _fail(f"{gold_path}: not a time-expression gold file ({exc!r})")
    else:
        scores = evaluate_times(gold_path)
    data, text = scores.to_dict(), format_times_report(scores)
    _emit(data, text, output)
    if report is not None:
        from dragoman.evaluate.reports import write_times_report

        write_times_report(data, text, report, gold_path)
        _note(f"report written to {report / 'report.html'}")
