"""Command-line interface: thin verbs over the pipeline, the store and the web app."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from dragoman import __version__
from dragoman.evaluate.cli import eval_app
from dragoman.ingest.progress import RunProgress, run_summary
from dragoman.ingest.run import summary_text, watch_line
from dragoman.llm.options import CoderOption, PolicyOption
from dragoman.output import (
    CsvEventWriter,
    events_table,
    print_events,
    wide_console,
    write_jsonl,
)
from dragoman.settings import Settings

if TYPE_CHECKING:
    from dragoman.records import Article
    from dragoman.store import Store, StoreLocation

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

#: Exit code when some input was skipped (reported on stderr) and the rest was done.
EXIT_SKIPPED = 1
#: Exit code for a usage or configuration error: nothing was done.
EXIT_USAGE = 2


#: Settings read from the environment as whole numbers, and what they mean.
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
    str | None,
    typer.Option(
        "--db",
        help="Store: a DuckDB file, or a PostgreSQL URL postgresql://user@host:port/db "
        "(default: $DRAGOMAN_DB, else dragoman.duckdb).",
    ),
]


@app.callback()
def _check_environment() -> None:
    # Runs before every command: a bad DRAGOMAN_* setting is a one-line error, not a traceback.
    try:
        Settings()
    except ValueError as exc:
        _fail(str(exc))


def _say(message: str) -> None:
    """One line on stderr, never wrapped: programs and grep read it too."""
    errors.print(message, highlight=False, soft_wrap=True)


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Stop with a one-line error on stderr."""
    _say(f"[red]error[/red] {escape(message)}")
    raise typer.Exit(code)


def _db_path(db: str | None) -> StoreLocation:
    """Where the store is (``--db``, else ``DRAGOMAN_DB``): a DuckDB file or a PostgreSQL URL."""
    from dragoman.store import parse_location

    try:
        return parse_location(db if db is not None else Settings().db_path)
    except ValueError as exc:
        _fail(str(exc))


def _require_store(db_path: StoreLocation) -> None:
    """Stop with exit code 2 when there is no store to read."""
    from dragoman.store import store_exists

    if not store_exists(db_path):
        _fail(f"no store at {db_path}; run dragoman ingest first")


def _open(db_path: StoreLocation, read_only: bool = False) -> Store:
    """The store at ``db_path``, or exit 2 with a one-line reason (not a DuckDB file,
    held open by another process, server unreachable, written by a newer Dragoman...)."""
    from dragoman.ingest.sharing import open_waiting
    from dragoman.store import StoreError

    try:
        # waits while a running ingest writes a batch (docs/scaling.md)
        return open_waiting(db_path, read_only=read_only)
    except (StoreError, FileNotFoundError) as exc:
        _fail(str(exc))


#: Characters that would break a one-line report or drive the terminal (line breaks,
#: escapes, bidi controls): shown as escapes (a file name may hold any of them).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


def _report(error: object) -> None:
    _say(f"[red]skipped[/red] {escape(_printable(str(error)))}")


def _articles(
    paths: list[str], settings: Settings, counts: dict, encoding: str | None = None, options=None
):
    """Readable articles from ``paths`` (and ``options``' URL lists) in the configured model's
    language; each bad input, and each article in another language, is reported on one
    line and counted."""
    from dragoman.ingest import IngestError, read_paths
    from dragoman.ingest.language import readable

    items = read_paths(
        paths, max_bytes=settings.max_article_bytes, encoding=encoding, options=options
    )
    for item in readable(items, settings.model):
        if isinstance(item, IngestError):
            counts["skipped"] += 1
            _report(item)
        else:
            yield item


InputsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Text files, folders, JSONL, HTML pages, RSS/Atom feeds, WARC, CSV/TSV/Parquet "
        "tables, JSON arrays, URL lists (each told by its content, compressed or not), or - "
        "for stdin."
    ),
]
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="Table columns of the article fields, e.g. id=story_id,text=body,published=date "
        "(fields: id, text, published, title, url, source, language); columns named so are "
        "found alone.",
    ),
]
FetchOption = Annotated[
    bool, typer.Option("--fetch", help="Fetch and read the page of each feed item.")
]
UrlsOption = Annotated[
    list[Path] | None,
    typer.Option("--urls", help="A file of http(s) URLs, one a line, each page fetched politely."),
]


def _read_options(paths: list[str] | None, columns: str | None, fetch: bool, urls):
    """The reading options of the command line, or exit 2 with a one-line reason."""
    from dragoman.ingest.run import read_options

    try:
        options = read_options(columns, fetch, urls)
    except ValueError as exc:
        _fail(str(exc))
    if not paths and not options.url_lists:
        _fail("name the inputs to read (files, folders, -) or a URL list with --urls")
    return options


EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Encoding of the inputs that are not UTF-8 (e.g. latin-1, cp1252); UTF-8, and "
        "UTF-16/32, are told from their bytes.",
    ),
]


def _encoding(name: str | None) -> str | None:
    """``--encoding`` checked: a text encoding Python knows, else exit 2."""
    if name is None:
        return None
    import codecs

    try:
        info = codecs.lookup(name)
    except LookupError:
        _fail(f"--encoding {name!r} is not an encoding Python knows (e.g. latin-1, cp1252)")
    if not getattr(info, "_is_text_encoding", True):
        _fail(f"--encoding {name!r} is not a text encoding")
    return name


def _skipper(counts: dict):
    """``on_error`` for ``Pipeline.annotate_many``: an article that could not be analysed
    is reported on one line and counted as skipped."""

    def skip(error: Exception) -> None:
        counts["skipped"] += 1
        _report(error)

    return skip


def _notes(article: Article) -> None:
    """What was done to analyse an article that its reader should know, one line each."""
    for note in article.notes:
        where = _printable(article.origin or article.id)
        _say(f"[yellow]note[/yellow] {escape(f'{where}: {note}')}")


LexiconOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--lexicon",
        help="Your own lexicon rows: a TSV file with the header of verbs.tsv or nouns.tsv "
        "(repeatable); they take precedence over the package's rows.",
    ),
]
ActorsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--actors",
        help="Your own actors: a YAML file with people, organizations and roles sections "
        "(repeatable); they take precedence over the package's.",
    ),
]


def _own(settings: Settings, lexicon: list[Path] | None, actors: list[Path] | None) -> Settings:
    """``settings`` with the user's knowledge files named on the command line."""
    return replace(
        settings,
        lexicon_files=tuple(str(p) for p in lexicon or ()),
        actor_files=tuple(str(p) for p in actors or ()),
    )


def _pipeline(settings: Settings):
    from dragoman.actors.kb import KnowledgeBaseError
    from dragoman.candidates import selective_from_env
    from dragoman.knowledge.own import KnowledgeFileError
    from dragoman.nlp import ModelNotInstalled
    from dragoman.ontology import DataFileError
    from dragoman.pipeline import Pipeline

    try:
        selective_from_env()
    except ValueError as exc:  # a bad DRAGOMAN_SELECTIVE_PARSE: one line, exit 2
        _fail(str(exc))
    try:
        return Pipeline(settings)
    except (ModelNotInstalled, KnowledgeFileError, DataFileError, KnowledgeBaseError) as exc:
        _fail(str(exc))


def _say_model(kind: str, line: str) -> None:
    """A line of the model coder (``--coder``): an error, a note or progress."""
    prefix = {"error": "[red]error[/red] ", "note": "[yellow]note[/yellow] "}.get(kind, "")
    _say(prefix + escape(_printable(line)))


def _model_coders(coder, policy, pipeline=None):
    """The model coder run ``--coder`` asks for (docs/llm.md), started on ``pipeline``
    when one is given; a bad setting, or with ``llm`` a server down, exits 2."""
    from dragoman.llm.wiring import ModelCoderError, ModelCoderRun

    try:
        run = ModelCoderRun(coder, policy, _say_model)
    except ModelCoderError as exc:
        _fail(str(exc))
    if pipeline is not None:
        _start_model_coders(run, pipeline)
    return run


def _start_model_coders(run, pipeline) -> None:
    """Start the model coder run on ``pipeline``; with ``llm`` a server down exits 2."""
    from dragoman.llm.wiring import ModelCoderError

    try:
        run.start(pipeline)
    except ModelCoderError as exc:
        _fail(str(exc))


def _finish_model_coders(run) -> None:
    """The model coder's summary line; exit 2 when ``--coder llm`` lost its server."""
    if run.finish():
        raise typer.Exit(EXIT_USAGE)


@app.command()
def extract(
    paths: PathsArg,
    fmt: Annotated[
        EventFormat, typer.Option("--format", "-f", help="Output format.")
    ] = EventFormat.table,
    lexicon: LexiconOption = None,
    actors: ActorsOption = None,
    encoding: EncodingOption = None,
    coder: CoderOption = None,
    policy: PolicyOption = None,
) -> None:
    """Print the events found in articles, without touching any store.

    Progress is shown on stderr while a long run goes on (on a terminal), and the run
    ends with one summary line there; standard output holds the events only.
    """
    from dragoman.ingest.options import ReadOptions

    settings = _own(Settings(), lexicon, actors)
    encoding = _encoding(encoding)
    pipeline = _pipeline(settings)
    coders = _model_coders(coder, policy, pipeline)
    counts = {"skipped": 0, "events": 0}
    events = []
    # Events are printed article by article, as one CSV table under one header.
    csv_out = CsvEventWriter(sys.stdout) if fmt is EventFormat.csv else None
    if csv_out is not None:
        csv_out.write_header()
    options = ReadOptions()
    articles = _articles(paths, settings, counts, encoding, options)
    with RunProgress(errors, "extracting", options.stats) as shown:
        for annotated in pipeline.annotate_many(articles, on_error=_skipper(counts)):
            _notes(annotated.article)
            batch = [e.to_dict() for e in annotated.events]
            counts["events"] += len(batch)
            shown.advance(annotated.article.id, counts["events"])
            if fmt is EventFormat.table:
                events.extend(batch)
                continue
            if csv_out is not None:
                csv_out.write(batch)
            else:
                write_jsonl(batch, sys.stdout)
            sys.stdout.flush()
    if fmt is EventFormat.table:
        print_events(events, "table", sys.stdout, console)
    _say(escape(run_summary(shown.done, counts["events"], options.stats, counts["skipped"])))
    _finish_model_coders(coders)
    raise typer.Exit(EXIT_SKIPPED if counts["skipped"] else 0)


@app.command()
def annotate(
    paths: PathsArg,
    fmt: Annotated[
        AnnotateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AnnotateFormat.jsonl,
    lexicon: LexiconOption = None,
    actors: ActorsOption = None,
    encoding: EncodingOption = None,
) -> None:
    """Print, per article, the actors, time expressions and places found, with offsets.

    Progress is shown on stderr while a long run goes on (on a terminal), and the run
    ends with one summary line there; standard output holds the records only.
    """
    from dragoman.ingest.options import ReadOptions

    settings = _own(Settings(), lexicon, actors)
    encoding = _encoding(encoding)
    pipeline = _pipeline(settings)
    counts = {"skipped": 0, "events": 0}
    options = ReadOptions()
    articles = _articles(paths, settings, counts, encoding, options)
    with RunProgress(errors, "annotating", options.stats) as shown:
        for annotated in pipeline.annotate_many(articles, on_error=_skipper(counts)):
            _notes(annotated.article)
            counts["events"] += len(annotated.events)
            shown.advance(annotated.article.id, counts["events"])
            record = annotated.to_dict()
            if fmt is AnnotateFormat.jsonl:
                write_jsonl([record], sys.stdout)
            else:
                _print_annotations_table(record)
    _say(escape(run_summary(shown.done, counts["events"], options.stats, counts["skipped"])))
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


class Engine(str, Enum):
    local = "local"
    ray = "ray"


@app.command()
def ingest(
    paths: InputsArg = None,
    db: DbOption = None,
    lexicon: LexiconOption = None,
    actors: ActorsOption = None,
    encoding: EncodingOption = None,
    columns: ColumnsOption = None,
    fetch: FetchOption = False,
    urls: UrlsOption = None,
    engine: Annotated[
        Engine,
        typer.Option(help="local: this machine; ray: a Ray cluster (docs/ray.md)."),
    ] = Engine.local,
    address: Annotated[
        str | None,
        typer.Option(help="With --engine ray: the cluster, auto, local or ray://host:port."),
    ] = None,
    output_parquet: Annotated[
        str | None,
        typer.Option(
            help="With --engine ray: write events and articles as a Parquet dataset by "
            "month into this new folder (or URI); --db stores them too."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes that analyse articles (default: the usable cores, or this one "
            "process for fewer than 100 articles); 1 analyses them in this process.",
        ),
    ] = None,
    coder: CoderOption = None,
    policy: PolicyOption = None,
) -> None:
    """Read articles, code their events and store everything; articles already stored are left as they are.

    An article whose id is already taken by a different text (stored, or read
    earlier in the same run) is reported and skipped.
    """
    settings = _own(Settings(), lexicon, actors)
    encoding = _encoding(encoding)
    options = _read_options(paths, columns, fetch, urls)
    paths = paths or []
    coders = _model_coders(coder, policy)
    if coders and engine is Engine.ray:
        _fail("--coder llm and both run with --engine local")
    if engine is Engine.ray:
        from dragoman.cluster.command import ingest_on_ray

        if fetch or urls:
            _fail("--fetch and --urls run with --engine local")
        code = ingest_on_ray(
            paths, settings, address=address, output=output_parquet,
            db=_db_path(db) if db is not None else None,
            columns=options.columns, encoding=encoding, actors=workers,
            say=lambda line: _say(escape(line)), report=_report, notes=_notes,
        )  # fmt: skip
        raise typer.Exit(code)
    counts = {"skipped": 0, "stored": 0, "known": 0, "events": 0}
    db_path = _db_path(db)
    # Open the store first: a store another process holds fails at once, before the model
    # loads. It is held for writing only while a batch is written (docs/scaling.md).
    with _batch_writer(db_path, counts) as store:
        fresh = _fresh(_articles(paths, settings, counts, encoding, options), store, counts)
        progress = RunProgress(errors, "ingesting", options.stats)
        analysed = _analysed(fresh, settings, workers, counts, coders)
        with progress, analysed as annotated_articles:
            for annotated in annotated_articles:
                _notes(annotated.article)
                store.save(annotated)
                progress.advance(annotated.article.id, counts["events"])
    _say(
        escape(
            f"{counts['stored']} article(s) stored with {counts['events']} event(s) in "
            f"{db_path}; {summary_text(options.stats)}; {counts['known']} already stored; "
            f"{counts['skipped']} skipped"
        )
    )
    _finish_model_coders(coders)
    raise typer.Exit(EXIT_SKIPPED if counts["skipped"] else 0)


@app.command()
def watch(
    sources: Annotated[
        list[str], typer.Argument(help="RSS/Atom feeds and URL lists: URLs or files.")
    ],
    every: Annotated[str, typer.Option(help="Time between polls: 90s, 15m, 1h...")] = "15m",
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once and stop.")] = False,
    fetch: FetchOption = False,
    lexicon: LexiconOption = None,
    actors: ActorsOption = None,
) -> None:
    """Follow feeds and URL lists: code and store each new item; one line per poll.

    What was seen is kept next to the store (STORE.watch.json): a watch stopped and
    started again stores no item twice.
    """
    from dragoman.ingest.watch import Watcher, parse_every, state_path

    settings = _own(Settings(), lexicon, actors)
    db_path = _db_path(db)
    try:
        interval = parse_every(every)
        _read_options(sources, None, fetch, None)
        watcher = Watcher(
            sources, state_path(db_path), fetch=fetch, max_bytes=settings.max_article_bytes
        )
    except ValueError as exc:
        _fail(str(exc))
    pipeline = _pipeline(settings)
    counts = {"skipped": 0, "stored": 0, "known": 0, "events": 0}
    try:
        for poll in watcher.polls(interval, once=once):
            before = dict(counts)
            with _batch_writer(db_path, counts) as store:
                fresh = _fresh(_watched(poll.items(), settings, counts), store, counts)
                for annotated in pipeline.annotate_many(fresh, on_error=_skipper(counts)):
                    _notes(annotated.article)
                    store.save(annotated)
            poll.commit()
            _say(escape(watch_line(poll, counts, before)))
    except KeyboardInterrupt:
        _say("watch stopped")
    raise typer.Exit(EXIT_SKIPPED if once and counts["skipped"] else 0)


def _watched(items, settings: Settings, counts: dict) -> Iterator[Article]:
    """The articles among ``items`` in the model's language; the rest reported."""
    from dragoman.ingest import IngestError
    from dragoman.ingest.language import readable

    for item in readable(items, settings.model):
        if isinstance(item, IngestError):
            counts["skipped"] += 1
            _report(item)
        else:
            yield item


def _batch_writer(db_path: StoreLocation, counts: dict):
    """The ingest's writer (``dragoman.ingest.sharing``), counting what became of each
    article; exit 2 with one line when the store cannot be opened."""
    from dragoman.ingest.sharing import BatchWriter
    from dragoman.store import StoreError

    def saved(annotated, outcome) -> None:
        if isinstance(outcome, Exception):
            counts["skipped"] += 1
            article = annotated.article
            _report(f"{article.origin or article.id}: not stored ({outcome})")
        elif outcome:
            counts["stored"] += 1
            counts["events"] += len(annotated.events)
        else:
            counts["known"] += 1

    try:
        return BatchWriter(db_path, on_saved=saved)
    except (StoreError, FileNotFoundError) as exc:
        _fail(str(exc))


@contextmanager
def _analysed(
    articles: Iterable[Article], settings: Settings, workers: int | None, counts, coders=None
):
    """The annotations of ``articles`` in their order, from this process or from worker
    processes (``dragoman.ingest.workers``); an article that fails is reported and counted.
    With a model coder (``coders``) they are analysed in this process, the model's
    server doing the parallel work."""
    from dragoman.ingest.workers import WorkerPool, WorkerStartError, plan_workers

    workers, articles = plan_workers(articles, 1 if coders else workers)
    if workers == 1:
        pipeline = _pipeline(settings)
        if coders:
            _start_model_coders(coders, pipeline)
        yield pipeline.annotate_many(articles, on_error=_skipper(counts))
        return

    def note(message: str) -> None:
        _say(f"[yellow]note[/yellow] {escape(_printable(message))}")

    try:
        pool = WorkerPool(settings, workers, on_note=note)
        pool.wait_ready()
    except WorkerStartError as exc:
        _fail(str(exc))
    with pool:
        yield pool.annotate(articles, on_error=_skipper(counts))


def _fresh(articles: Iterable[Article], store: Store, counts: dict) -> Iterator[Article]:
    """The articles still to code and store.

    An article id belongs to one text: the stored one, else the first read in this
    run. An article with that same text is already stored (or about to be) and is
    counted as known; one with a different text is reported and skipped, since
    storing it under that id would lose it or replace another article.
    """
    owners: dict[str, tuple[bytes, str | None]] = {}  # id -> (text digest, where it was read)
    for article in articles:
        digest = hashlib.sha256(article.text.encode("utf-8")).digest()
        owner = owners.get(article.id)
        if owner is None:
            stored = store.article_text(article.id)
            if stored is None:
                owners[article.id] = (digest, article.origin or article.id)
                yield article
                continue
            owner = (hashlib.sha256(stored.encode("utf-8")).digest(), None)
            owners[article.id] = owner
        owner_digest, owner_origin = owner
        if owner_digest == digest:
            counts["known"] += 1
            continue
        counts["skipped"] += 1
        where = "is already stored" if owner_origin is None else f"was read from {owner_origin}"
        _report(
            f"{article.origin or article.id}: article id {article.id!r} {where} "
            "with a different text; give one of them another id"
        )


def _export_format(value: str) -> str:
    """``--format`` of ``dragoman events``: one of the export formats registered for the
    command line (``dragoman.formats``), looked up when the option is parsed."""
    from dragoman.formats import format_names

    names = format_names("cli")
    if value not in names:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}")
    return value


def _export_format_names() -> str:
    from dragoman.formats import format_names

    return ", ".join(format_names("cli"))


@app.command()
def events(
    db: DbOption = None,
    actor: Annotated[
        str | None,
        typer.Option(
            help="Source or target actor: a name or words of it (Putin), a code, or mention text."
        ),
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
    limit: Annotated[
        int, typer.Option(help="At most this many events (stderr says when more match).")
    ] = 1000,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            callback=_export_format,
            help=f"Output format: {_export_format_names()} (docs/outputs/ describes each).",
        ),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file instead of standard output (Parquet on a terminal needs it).",
        ),
    ] = None,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help=(
                "One row per incident (the reports of one event across articles, as "
                "`dragoman incidents` groups them) with a report passing the filters: that "
                "report, with the incident's reports, report_sources, report_articles, "
                "incident_id and days (docs/incidents.md). Filters apply to reports first; "
                "--limit counts rows."
            ),
        ),
    ] = False,
) -> None:
    """Query stored events with filters (at most --limit of them; a note on stderr says
    when more match)."""
    from dragoman.formats import export_events, get_format, store_articles

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
    }
    export = get_format(fmt, surface="cli")
    if export is not None and export.binary and output is None and _stdout_is_terminal():
        _fail(f"{fmt} is a binary format: give --output FILE or redirect standard output")
    notes: list[str] = []
    # A store written by an older Dragoman fails here too: `dragoman ingest` upgrades it.
    with _open(db_path, read_only=True) as store:
        merged = None
        try:
            if merge:
                from dragoman.incidents.merge import MergedEvents
                from dragoman.store import EventFilter

                merged = MergedEvents(store, EventFilter(**filters))
                rows = merged.rows(limit=limit)
            else:
                # Streamed from the store: any --limit runs in the same memory.
                rows = store.iter_events(limit=limit, **filters)
        except ValueError as exc:
            _fail(_as_option(str(exc)))
        if export is not None and export.counts_reports and not merge:
            rows = _with_incident_counts(rows, store)
        # The store stays open while writing: some formats read the events' articles.
        articles = store_articles(store) if export is not None and export.uses_articles else None
        if output is None:
            shown = export_events(
                fmt, rows, sys.stdout, merged=merge, article=articles, console=console, notes=notes
            )
        else:
            shown = _write_file(rows, fmt, output, articles, notes, merge)
        matched = shown
        if merged is not None:
            matched = len(merged)
        elif shown >= limit:
            matched = store.count_events(**filters)
    for note in notes:
        _say(f"[yellow]note[/yellow] {escape(note)}")
    if matched > shown:
        what = "merged events" if merge else "events"
        _say(
            f"[yellow]note[/yellow] showing {shown} of {matched} matching {what}; "
            f"use --limit {matched} to show them all"
        )


def _with_incident_counts(rows: Iterable[dict], store: Store) -> Iterable[dict]:
    """Each exported event with the reports of its incident (GDELT's NumMentions,
    NumSources, NumArticles); the incidents are grouped from the whole store first."""
    from dragoman.incidents import iter_with_incident_counts, store_incidents

    return iter_with_incident_counts(rows, store_incidents(store))


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _write_file(
    rows: Iterable[dict], fmt: str, path: Path, articles, notes: list[str], merged: bool
) -> int:
    """``dragoman events --output``: the events in ``fmt`` written to ``path``; how many."""
    from dragoman.formats import export_events, get_format

    export = get_format(fmt, surface="cli")
    options = {"merged": merged, "article": articles, "notes": notes}
    try:
        if export is not None and export.binary:
            with path.open("wb") as handle:
                return export_events(fmt, rows, handle, console=console, **options)
        with path.open("w", encoding="utf-8", newline="") as handle:
            table_console = Console(file=handle, width=160, color_system=None)
            return export_events(fmt, rows, handle, console=table_console, **options)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")


#: Filter fields as the options of ``dragoman events`` name them.
_FILTER_OPTIONS = {"plover": "--type", "cameo_root": "--cameo", "modality": "--modality"}


def _as_option(message: str) -> str:
    """A filter's error message, naming the option the user typed."""
    field, _, rest = message.partition(" ")
    return f"{_FILTER_OPTIONS[field]} {rest}" if field in _FILTER_OPTIONS else message


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

    db_path = _db_path(db)
    _require_store(db_path)
    with _open(db_path, read_only=True) as store:
        record = store.article(article_id)
    if record is None:
        _fail(f"no article {article_id!r} in {db_path}")
    console.print(render_article(record))
    console.print(events_table(record.get("events", []), title="Events"))


class ExplainFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def explain(
    text: Annotated[
        str | None,
        typer.Argument(
            help=(
                "A sentence or text to explain. A path to an existing file or folder, a word "
                "ending in .txt/.jsonl, or - (stdin) is read as input instead."
            ),
            show_default=False,
        ),
    ] = None,
    article: Annotated[
        str | None,
        typer.Option("--article", help="Explain this stored article (its text re-run), from --db."),
    ] = None,
    db: DbOption = None,
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date (YYYY-MM-DD) relative dates resolve against, where the input "
            "gives none."
        ),
    ] = None,
    fmt: Annotated[
        ExplainFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (one panel per sentence) or json (one object per article and line).",
        ),
    ] = ExplainFormat.text,
    lexicon: LexiconOption = None,
    actors: ActorsOption = None,
) -> None:
    """Say why each verb and event noun of a text was coded or dropped, with the lexicon
    rows it matched (see docs/explain.md)."""
    from dragoman.explain import explain_article, render

    settings = _own(Settings(), lexicon, actors)
    when = _published_option(published)
    counts = {"skipped": 0}
    if (text is None) == (article is None):
        _fail("give a text or a file to explain, or --article ID (one of them)")
    if article is not None:
        articles: Iterable[Article] = [_stored_article(article, _db_path(db), when)]
    elif _names_input(text):
        articles = _dated(_articles([text], settings, counts), when)
    elif not text.strip():
        _fail("the text to explain is empty")
    else:
        from dragoman.ingest import make_article

        articles = [make_article("text", text, published=when, origin="command line")]
    pipeline = _pipeline(settings)
    for item in articles:
        explanation = explain_article(pipeline, item)
        if fmt is ExplainFormat.json:
            write_jsonl([explanation.to_dict()], sys.stdout)
            sys.stdout.flush()
        else:
            console.print(render(explanation))
    raise typer.Exit(EXIT_SKIPPED if counts["skipped"] else 0)


def _published_option(value: str | None) -> date | None:
    """``--published`` as a date, or exit 2 with a one-line reason."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--published {value!r} is not a date (YYYY-MM-DD)")


def _names_input(text: str) -> bool:
    """Whether ``dragoman explain``'s argument names an input rather than being the text:
    ``-``, an existing file or folder, or one word ending like a text or JSONL file."""
    from dragoman.ingest.readers import JSONL_SUFFIXES, TEXT_SUFFIXES

    if text == "-":
        return True
    if not text.strip() or any(c.isspace() for c in text):
        return False
    path = Path(text)
    try:
        if path.exists():
            return True
    except OSError:  # a name the file system cannot hold is text
        return False
    return path.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES


def _dated(articles: Iterable[Article], when: date | None) -> Iterator[Article]:
    """Articles with ``when`` as their publication date where they give none."""
    import dataclasses

    for item in articles:
        if when is not None and item.published is None:
            item = dataclasses.replace(item, published=when)
        yield item


def _stored_article(article_id: str, db_path: StoreLocation, when: date | None) -> Article:
    """The stored article ``article_id`` as an Article to run again, or exit 2."""
    import dataclasses

    from dragoman.ingest import make_article

    _require_store(db_path)
    with _open(db_path, read_only=True) as store:
        record = store.article(article_id)
    if record is None:
        _fail(f"no article {article_id!r} in {db_path}")
    stored = date.fromisoformat(record["published"]) if record.get("published") else None
    item = make_article(
        record["id"],
        record["text"],
        published=stored or when,
        title=record.get("title"),
        url=record.get("url"),
        source=record.get("source"),
        origin=record.get("origin") or "",
    )
    # the date estimated at ingest time stays an estimate; the stored spans are the ones used
    return dataclasses.replace(
        item,
        published_estimated=bool(stored and record.get("published_estimated")),
        boilerplate=[(start, end) for start, end in record.get("boilerplate") or []],
    )


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
    from dragoman.store import StoreError
    from dragoman.web import create_app, run

    db_path = _db_path(db)
    if write_token is None:
        _require_store(db_path)
    # The application opens the store: a file that cannot serve as one fails here, before
    # the server is announced.
    from dragoman.ingest.sharing import open_per_request, when_free

    try:
        explorer = when_free(lambda: create_app(db_path, write_token=write_token), db_path)
    except StoreError as exc:
        _fail(str(exc))
    if write_token is None:  # an ingest may write between requests (docs/scaling.md)
        open_per_request(explorer, db_path)
    console.print(f"Dragoman explorer on http://{host}:{port}/  (store: {db_path})")
    run(explorer, host=host, port=port)


class ListFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


@app.command()
def incidents(
    db: DbOption = None,
    actor: Annotated[
        str | None, typer.Option(help="Only incidents of this side or actor, e.g. RUS or Hamas.")
    ] = None,
    min_reports: Annotated[int, typer.Option(help="Only incidents with this many reports.")] = 1,
    limit: Annotated[int, typer.Option(help="At most this many incidents.")] = 100,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ListFormat.table
    ),
) -> None:
    """Group stored events into incidents: every report, across articles, of one real event
    (docs/incidents.md)."""
    from dragoman.incidents import store_incidents
    from dragoman.incidents.listing import incident_list
    from dragoman.incidents.render import incidents_table

    db_path = _db_path(db)
    _require_store(db_path)
    with _open(db_path, read_only=True) as store:
        index = store_incidents(store)
    try:
        total, items = incident_list(index, actor=actor, min_reports=min_reports, limit=limit)
    except ValueError as exc:
        _fail(str(exc))
    if fmt is ListFormat.jsonl:
        write_jsonl([index.incidents[i["incident_id"]].to_dict() for i in items], sys.stdout)
    else:
        console.print(incidents_table(items, title=f"Incidents ({len(items)} of {total})"))


@app.command()
def threads(
    db: DbOption = None,
    status: Annotated[
        str | None, typer.Option(help="Only threads in this status: open, fulfilled, refused, lapsed.")
    ] = None,
    lapse_days: Annotated[
        int, typer.Option(help="An open thread with no step for this many days has lapsed.")
    ] = 180,
    as_of: Annotated[
        str | None, typer.Option(help="Judge lapses on this day (default: the latest event date).")
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ListFormat.table
    ),
) -> None:
    """Follow requests and promises between two parties to their outcome, refusal or lapse,
    with the evidence of each step (docs/incidents.md)."""
    from dragoman.incidents import store_incidents
    from dragoman.incidents.listing import thread_list
    from dragoman.incidents.render import threads_table

    db_path = _db_path(db)
    _require_store(db_path)
    day = _date_option(as_of, "--as-of")
    with _open(db_path, read_only=True) as store:
        index = store_incidents(store)
    try:
        _, items = thread_list(index, status=status, lapse_days=lapse_days, as_of=day)
    except ValueError as exc:
        _fail(str(exc))
    if fmt is ListFormat.jsonl:
        write_jsonl(items, sys.stdout)
    else:
        console.print(threads_table(items))


@app.command()
def version() -> None:
    """Print the Dragoman version and the spaCy model in use."""
    console.print(f"dragoman {__version__} (model {Settings().model})")


app.add_typer(
    eval_app, name="eval", help="Score Dragoman against gold data (seeds, plover, times, case)."
)


if __name__ == "__main__":
    app()
