"""The one list of export formats that the CLI, the HTTP API, the explorer and the docs read.

A format is a name, a few words for people (a label, a summary), how it travels (media
type, file name, text or bytes) and an encoder: a function from event dictionaries (as
``Store.events`` returns them) and an :class:`ExportContext` to the output, chunk by chunk.
Registering a format makes it a ``--format`` choice of ``dragoman events``, a ``format=``
value of ``GET /api/events`` and an export link in the explorer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

#: Where a format is offered: ``cli`` (``dragoman events --format``) and ``web`` (the API's
#: ``format=`` and the explorer's export links).
SURFACES = ("cli", "web")

Event = dict[str, Any]
ArticleLookup = Callable[[str], "dict[str, Any] | None"]


def _no_articles(_article_id: str) -> dict[str, Any] | None:
    return None


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class ExportContext:
    """What an encoder may need besides the events.

    ``merged``: the events come from ``merge_duplicates=True`` (they carry ``reports`` and
    ``report_articles``). ``article``: the stored article of an id (``Store.article``'s
    dictionary: ``url``, ``title``, ``source``, ``published``, ``ingested_at``, ``text``,
    ``boilerplate``), or None when unknown. ``console``: where the terminal table is
    printed. ``exported_at``: the time of the export (UTC). ``notes``: what an encoder
    tells the user (events it had to leave out), said on stderr by the CLI.
    """

    merged: bool = False
    article: ArticleLookup = _no_articles
    console: Console | None = None
    exported_at: datetime = field(default_factory=_utc_now)
    notes: list[str] = field(default_factory=list)


Encoder = Callable[[Iterable[Event], ExportContext], Iterable[str] | Iterable[bytes]]


@dataclass(frozen=True)
class ExportFormat:
    """One export format. ``name`` is what ``--format`` and ``format=`` take."""

    name: str
    #: Text of the explorer's export button.
    label: str
    #: One line saying what the format is, for help texts and the docs.
    summary: str
    media_type: str
    #: File name of a download.
    filename: str
    encode: Encoder
    #: True when the encoder yields bytes rather than text.
    binary: bool = False
    #: Where the format is offered (see ``SURFACES``).
    surfaces: frozenset[str] = frozenset(SURFACES)
    #: True when the encoder reads the events' articles (``ExportContext.article``).
    uses_articles: bool = False
    #: True when the format counts the reports of each event (GDELT's NumMentions,
    #: NumSources, NumArticles): its events then carry the counts of their incidents.
    counts_reports: bool = False
    #: The format's page in the docs folder (``outputs/NAME.md``), if it has one.
    doc_page: str = ""

    def __post_init__(self) -> None:
        if (
            not self.name
            or not self.name.replace("-", "").isalnum()
            or self.name != self.name.lower()
        ):
            raise ValueError(f"a format name is lower-case letters, digits and '-': {self.name!r}")
        unknown = set(self.surfaces) - set(SURFACES)
        if unknown:
            raise ValueError(f"unknown surfaces {sorted(unknown)} for format {self.name!r}")

    def chunks(self, events: Iterable[Event], context: ExportContext) -> Iterator[str | bytes]:
        """The output, in chunks of text (or bytes when ``binary``). Text that an encoder
        yields line by line is gathered into chunks of about 64 KiB, so that streaming a
        million events to a file or a client is not a million writes."""
        from dragoman.store.export import chunked

        output = self.encode(events, context)
        if self.binary:
            yield from output
        else:
            yield from chunked(output)  # type: ignore[arg-type]


_FORMATS: dict[str, ExportFormat] = {}


def register(export: ExportFormat, replace: bool = False) -> ExportFormat:
    """Add a format (after those already registered); its name must be new unless ``replace``."""
    if export.name in _FORMATS and not replace:
        raise ValueError(f"an export format named {export.name!r} is already registered")
    if export.name == "json":
        raise ValueError("'json' is the API's paged answer, not an export format")
    _FORMATS[export.name] = export
    return export


def unregister(name: str) -> None:
    """Remove a format (a no-op for an unknown name)."""
    _FORMATS.pop(name, None)


def export_formats(surface: str | None = None) -> list[ExportFormat]:
    """The registered formats in registration order, those offered on ``surface`` if given."""
    if surface is not None and surface not in SURFACES:
        raise ValueError(f"surface must be one of {', '.join(SURFACES)}, got {surface!r}")
    return [f for f in _FORMATS.values() if surface is None or surface in f.surfaces]


def format_names(surface: str | None = None) -> list[str]:
    """Names of :func:`export_formats`."""
    return [f.name for f in export_formats(surface)]


def get_format(name: str, surface: str | None = None) -> ExportFormat | None:
    """The format called ``name`` (offered on ``surface`` if given), or None."""
    export = _FORMATS.get(name)
    if export is None or (surface is not None and surface not in export.surfaces):
        return None
    return export


def markdown_table() -> str:
    """The table of formats that docs/output.md carries (kept equal to it by a test)."""
    lines = [
        "| format | what it is | media type | where |",
        "|---|---|---|---|",
    ]
    for export in export_formats():
        where = []
        if "cli" in export.surfaces:
            where.append("`dragoman events`")
        if "web" in export.surfaces:
            where.append("API, explorer")
        name = (
            f"[`{export.name}`]({export.doc_page})" if export.doc_page else f"`{export.name}`"
        )
        lines.append(f"| {name} | {export.summary} | `{export.media_type}` | {', '.join(where)} |")
    return "\n".join(lines) + "\n"
