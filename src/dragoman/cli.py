"""Command-line interface: thin verbs over the pipeline, the store and the web app."""

from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dragoman import __version__
from dragoman.evaluate.cli import eval_app
from dragoman.output import events_table, print_events, wide_console, write_jsonl
from dragoman.settings import Settings

app = typer.Typer(
    name="dragoman",
    help=(
        "Dragoman turns news about diplomacy and conflict into political event data: "
        "who did what to whom, when, where and who says so, each event tied to its evidence."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
console = wide_console()
errors = Console(stderr=True)

EXIT_SKIPPED = 1


class EventFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class AnnotateFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Text files, folders of them, JSONL files of {id, text, published?...}, or - for stdin."
    ),
]
DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB store file (default: $DRAGOMAN_DB, else dragoman.duckdb)."),
]


def _db_path(db: Path | None) -> Path:
    return db if db is not None else Path(Settings().db_path)


def _require_store(db_path: Path) -> None:
    """Stop with exit code 2 when there is no store to read."""
    if not db_path.exists():
        errors.print(f"[red]error[/red] no store at {db_path}; run dragoman ingest first")
        raise typer.Exit(2)


def _report(error) -> None:
    errors.print(f"[red]skipped[/red] {error}", highlight=False, soft_wrap=True)


def _articles(paths: list[str], settings: Settings, counts: dict):
    """Readable articles from ``paths``; each bad input is reported on one line and counted."""
    from dragoman.ingest import IngestError, read_paths

    for item in read_paths(paths, max_bytes=settings.max_article_bytes):
        if isinstance(item, IngestError):
            counts["skipped"] += 1
            _report(item)
        else:
            yield item


def _pipeline(settings: Settings):
    from dragoman.nlp import ModelNotInstalled
    from dragoman.pipeline import Pipeline

    try:
        return Pipeline(settings)
    except ModelNotInstalled as exc:
        errors.print(f"[red]error[/red] {exc}")
        raise typer.Exit(2) from exc


@app.command()
def extract(
    paths: PathsArg,
    fmt: Annotated[
        EventFormat, typer.Option("--format", "-f", help="Output format.")
    ] = EventFormat.table,
) -> None:
    """Print the events found in articles, without touching any store."""
    settings = Settings()
    pipeline = _pipeline(settings)
    counts = {"skipped": 0}
    events = []
    for annotated in pipeline.annotate_many(_articles(paths, settings, counts)):
        batch = [e.to_dict() for e in annotated.events]
        if fmt is EventFormat.table:
            events.extend(batch)
        else:
            print_events(batch, fmt.value, sys.stdout)
            sys.stdout.flush()
    if fmt is EventFormat.table:
        print_events(events, "table", sys.stdout, console)
    raise typer.Exit(EXIT_SKIPPED if counts["skipped"] else 0)


@app.command()
def annotate(
    paths: PathsArg,
    fmt: Annotated[
        AnnotateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AnnotateFormat.jsonl,
) -> None:
    """Print, per article, the actors, time expressions and places found, with offsets."""
    settings = Settings()
    pipeline = _pipeline(settings)
    counts = {"skipped": 0}
    for annotated in pipeline.annotate_many(_articles(paths, settings, counts)):
        record = annotated.to_dict()
        if fmt is AnnotateFormat.jsonl:
            write_jsonl([record], sys.stdout)
        else:
            _print_annotations_table(record)
    raise typer.Exit(EXIT_SKIPPED if counts["skipped"] else 0)


def _print_annotations_table(record: dict) -> None:
    from rich.table import Table

    table = Table(title=f"{record['article_id']} (published {record['published']})")
    for column in ("kind", "text", "offsets", "resolution"):
        table.add_column(column)
    for actor in record["actors"]:
        table.add_row(
            "actor",
            actor["text"],
            f"{actor['start']}-{actor['end']}",
            f"{actor['name']} {actor['code']}",
        )
    for time in record["times"]:
        table.add_row(
            "time",
            time["text"],
            f"{time['start']}-{time['end']}",
            f"{time['type']} {time['value']}",
        )
    for place in record["places"]:
        where = f"{place['name']}, {place['country']} ({place['lat']}, {place['lon']})"
        table.add_row("place", place["text"], f"{place['start']}-{place['end']}", where)
    console.print(table)


@app.command()
def ingest(paths: PathsArg, db: DbOption = None) -> None:
    """Read articles, code their events and store everything; articles already stored are left as they are."""
    from dragoman.store import open_store

    settings = Settings()
    pipeline = _pipeline(settings)
    counts = {"skipped": 0, "stored": 0, "known": 0, "events": 0}
    db_path = _db_path(db)
    with open_store(db_path) as store:
        fresh = (a for a in _articles(paths, settings, counts) if not _known(store, a, counts))
        progress = Progress(
            TextColumn("[bold]ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[current]}"),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=not errors.is_terminal,
        )
        with progress:
            task = progress.add_task("ingest", total=None, current="")
            for annotated in pipeline.annotate_many(fresh):
                article = annotated.article
                try:
                    stored = store.save(annotated)
                except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
                    counts["skipped"] += 1
                    _report(f"{article.origin or article.id}: not stored ({exc})")
                    continue
                if stored:
                    counts["stored"] += 1
                    counts["events"] += len(annotated.events)
                else:
                    counts["known"] += 1
                progress.update(task, advance=1, current=article.id)
    errors.print(
        f"{counts['stored']} article(s) stored with {counts['events']} event(s) in {db_path}; "
        f"{counts['known']} already stored; {counts['skipped']} skipped",
        highlight=False,
    )
    raise typer.Exit(EXIT_SKIPPED if counts["skipped"] else 0)


def _known(store, article, counts) -> bool:
    if store.has_article(article.id):
        counts["known"] += 1
        return True
    return False


@app.command()
def events(
    db: DbOption = None,
    actor: Annotated[
        str | None, typer.Option(help="Actor name, code or text (source or target).")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="ISO alpha-3 country of an actor, e.g. RUS.")
    ] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="PLOVER type, e.g. CONSULT.")
    ] = None,
    cameo: Annotated[str | None, typer.Option(help="CAMEO root, e.g. 04.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date (YYYY-MM-DD).")] = None,
    modality: Annotated[
        str | None,
        typer.Option(help="asserted, reported, alleged, intended, hypothetical or negated."),
    ] = None,
    article: Annotated[str | None, typer.Option(help="Only events of this article id.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many events.")] = 1000,
    fmt: Annotated[
        EventFormat, typer.Option("--format", "-f", help="Output format.")
    ] = EventFormat.table,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help=(
                "Count each event once: events that several articles report (same CAMEO "
                "root, same source and target actors, same day) become one row, the most "
                "confident report; JSONL adds reports and report_articles. Undated events "
                "never merge. Filters apply first."
            ),
        ),
    ] = False,
) -> None:
    """Query stored events with filters."""
    from dragoman.store import StoreError, open_store

    db_path = _db_path(db)
    _require_store(db_path)
    filters = {
        "actor": actor,
        "country": country,
        "plover": event_type.upper() if event_type else None,
        "cameo_root": cameo,
        "since": _date_option(since, "--since"),
        "until": _date_option(until, "--until"),
        "modality": modality,
        "article_id": article,
        "limit": limit,
    }
    try:
        store = open_store(db_path, read_only=True)
    except StoreError as exc:
        # e.g. a store written by an older Dragoman: `dragoman ingest` upgrades it.
        errors.print(f"[red]error[/red] {exc}")
        raise typer.Exit(2) from exc
    with store:
        try:
            rows = store.events(**filters, merge_duplicates=merge)
        except ValueError as exc:
            errors.print(f"[red]error[/red] {exc}")
            raise typer.Exit(2) from exc
    print_events(rows, fmt.value, sys.stdout, console)


def _date_option(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from exc


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Id of a stored article.")],
    db: DbOption = None,
) -> None:
    """Print a stored article with its actors, times, places and event triggers marked."""
    from dragoman.show import render_article
    from dragoman.store import open_store

    db_path = _db_path(db)
    _require_store(db_path)
    with open_store(db_path, read_only=True) as store:
        record = store.article(article_id)
    if record is None:
        errors.print(f"[red]error[/red] no article {article_id!r} in {db_path}")
        raise typer.Exit(2)
    console.print(render_article(record))
    console.print(events_table(record.get("events", []), title="Events"))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    write_token: Annotated[
        str | None,
        typer.Option(
            envvar="DRAGOMAN_WRITE_TOKEN", help="Allow POST /api/articles with this bearer token."
        ),
    ] = None,
) -> None:
    """Serve the web explorer and HTTP API over a store (read-only unless given a write token)."""
    from dragoman.web import serve as run_server

    db_path = _db_path(db)
    if write_token is None:
        _require_store(db_path)
    console.print(f"Dragoman explorer on http://{host}:{port}/  (store: {db_path})")
    run_server(db_path, host=host, port=port, write_token=write_token)


@app.command()
def version() -> None:
    """Print the Dragoman version and the spaCy model in use."""
    console.print(f"dragoman {__version__} (model {Settings().model})")


app.add_typer(
    eval_app, name="eval", help="Score Dragoman against gold data (seeds, plover, times)."
)


if __name__ == "__main__":
    app()
