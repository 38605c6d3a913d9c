"""Score extracted events against CASE 2021 news snippets (one event label per snippet).

The gold format (JSONL), one snippet per line, each snippet one article::

    {"id", "text", "published": null, "gold": {"label": LABEL, "plover": [TYPE, ...]}}

``plover`` lists the PLOVER types any of which counts as coding the snippet's event;
an empty list means the label has no PLOVER counterpart and the snippet is *not
scored* for recall (events there are shown as over-coding, not penalised).

The snippets are split into two fixed halves (:func:`split_halves`): rules may be
written after reading the *read* half; the *blind* half is scored but never shown,
so that it stays a fair test. Texts are kept in a report only for the read half.
The exact definitions of every figure are in ``docs/evaluation.md``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dragoman.evaluate.matching import EventDict, describe_event, group_by_article
from dragoman.evaluate.metrics import fmt, ratio
from dragoman.evaluate.seeds import GoldFormatError
from dragoman.records import Article

#: The default gold file under ``<shared>/data``.
CASE_GOLD = "case2021_dev.jsonl"

#: The halves of the snippets (see :func:`split_halves`); ``all`` is both.
READ, BLIND, ALL = "read", "blind", "all"
HALVES = (READ, BLIND, ALL)

#: The predicted type of a snippet with no typed event, in the type counts.
NONE = "NONE"

_INTEGER = re.compile(r"-?[0-9]+")


@dataclass
class CaseRecord:
    """One gold snippet: its label and the PLOVER types that count as coding it."""

    id: str
    text: str
    label: str
    #: Acceptable PLOVER types, upper-cased; empty when the snippet is not scored.
    plover: tuple[str, ...]

    @property
    def scored(self) -> bool:
        return bool(self.plover)


def load_case_gold(path: Path) -> list[CaseRecord]:
    """Read CASE 2021 gold snippets from JSONL (ids must be unique: they key the events)."""
    records: list[CaseRecord] = []
    seen: set[str] = set()
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                gold = raw["gold"]
                types = gold["plover"]
                if not isinstance(types, list):
                    raise TypeError(f"plover must be a list, not {type(types).__name__}")
                record = CaseRecord(
                    id=str(raw["id"]),
                    text=str(raw["text"]),
                    label=str(gold["label"]).upper(),
                    plover=tuple(str(kind).upper() for kind in types),
                )
            except (KeyError, TypeError, json.JSONDecodeError) as exc:
                raise GoldFormatError(
                    f"{path}:{number}: not a CASE 2021 gold record ({exc!r})"
                ) from exc
            if record.id in seen:
                raise GoldFormatError(f"{path}:{number}: duplicate id {record.id!r}")
            seen.add(record.id)
            records.append(record)
    return records


def id_order(record_id: str) -> tuple[int, int, str]:
    """Sort key of a record id: integers (``-?[0-9]+``) by value, then other ids as strings."""
    if _INTEGER.fullmatch(record_id):
        return (0, int(record_id), "")
    return (1, 0, record_id)


def split_halves(records: Sequence[CaseRecord]) -> tuple[list[CaseRecord], list[CaseRecord]]:
    """The fixed split: ``(read, blind)``, each in the records' original order.

    Within each gold label, records are sorted by :func:`id_order` (ties keep file
    order); positions 0, 2, 4, ... form the read half, positions 1, 3, 5, ... the
    blind half. So every label is in both halves, the read half getting the odd one.
    """
    by_label: dict[str, list[int]] = defaultdict(list)
    for position, record in enumerate(records):
        by_label[record.label].append(position)
    read_positions: set[int] = set()
    for positions in by_label.values():
        ordered = sorted(positions, key=lambda position: id_order(records[position].id))
        read_positions.update(ordered[0::2])
    read = [record for position, record in enumerate(records) if position in read_positions]
    blind = [record for position, record in enumerate(records) if position not in read_positions]
    return read, blind


def select_half(records: Sequence[CaseRecord], half: str) -> list[CaseRecord]:
    """The records of ``half`` (``read``, ``blind`` or ``all``)."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {', '.join(HALVES)}, not {half!r}")
    if half == ALL:
        return list(records)
    read, blind = split_halves(records)
    return read if half == READ else blind


def case_articles(records: Iterable[CaseRecord]) -> list[Article]:
    """One Article per snippet: id and text of the record, no publication date."""
    return [Article(id=record.id, text=record.text, published=None) for record in records]


def run_case(records: Iterable[CaseRecord]) -> list[dict[str, Any]]:
    """Extract events from the snippets with the pipeline (imported here: it loads spaCy)."""
    from dragoman.pipeline import Pipeline

    pipeline = Pipeline()
    return [
        event.to_dict() for article in case_articles(records) for event in pipeline.extract(article)
    ]


@dataclass
class Tally:
    """Snippet counts of one label or one group of labels."""

    snippets: int = 0
    #: Scored snippets with an event of an acceptable type.
    found: int = 0
    events: int = 0
    #: Snippets with at least one extracted event.
    with_events: int = 0

    def add(self, events: int, found: bool) -> None:
        self.snippets += 1
        self.found += found
        self.events += events
        self.with_events += events > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "snippets": self.snippets,
            "found": self.found,
            "events": self.events,
            "with_events": self.with_events,
            "events_per_snippet": ratio(self.events, self.snippets),
        }


@dataclass
class LabelScore(Tally):
    """A gold label: its acceptable types and counts; recall only when it is scored."""

    acceptable: tuple[str, ...] = ()

    @property
    def recall(self) -> float | None:
        return ratio(self.found, self.snippets) if self.acceptable else None

    def to_dict(self) -> dict[str, Any]:
        return {"acceptable": list(self.acceptable), **super().to_dict(), "recall": self.recall}


@dataclass
class GroupScore(Tally):
    """The labels sharing one set of acceptable types, counted together."""

    labels: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return ratio(self.found, self.snippets)

    def to_dict(self) -> dict[str, Any]:
        return {"labels": self.labels, **super().to_dict(), "recall": self.recall}


@dataclass
class CaseMiss:
    """A scored snippet with no event of an acceptable type.

    ``text`` and ``predicted`` (events described with their actors) are filled only
    for the read half; for the blind half and ``all`` a miss is its id and label.
    """

    id: str
    label: str
    acceptable: tuple[str, ...]
    #: Highest confidence among the (wrong) predictions, 0 when none; orders the list.
    confidence: float
    text: str | None = None
    predicted: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "acceptable": list(self.acceptable),
        }
        if self.text is not None:
            data["text"] = self.text
            data["predicted"] = self.predicted or []
        return data


@dataclass
class CaseReport:
    """Type recall of extracted events on CASE 2021 snippets, and how much was coded."""

    half: str
    snippets: int
    scored: int
    found: int
    events: int
    scored_events: int
    not_scored_with_events: int
    per_label: dict[str, LabelScore]
    #: Keyed by the acceptable types joined with ``", "`` (sorted).
    per_group: dict[str, GroupScore]
    #: Types of the events on missed scored snippets (``NONE``: a snippet with none).
    missed_types: dict[str, int]
    #: Types of the events on not-scored snippets (snippets counted once per type).
    not_scored_types: dict[str, int]
    misses: list[CaseMiss] = field(default_factory=list)
    #: Events of ids that are not in the gold file.
    ignored_events: int = 0
    #: Events of gold ids outside the chosen half.
    other_half_events: int = 0

    @property
    def shows_texts(self) -> bool:
        return self.half == READ

    @property
    def type_recall(self) -> float | None:
        return ratio(self.found, self.scored)

    @property
    def not_scored(self) -> int:
        return self.snippets - self.scored

    @property
    def events_per_snippet(self) -> float | None:
        return ratio(self.events, self.snippets)

    @property
    def events_per_scored_snippet(self) -> float | None:
        return ratio(self.scored_events, self.scored)

    @property
    def not_scored_share_with_events(self) -> float | None:
        return ratio(self.not_scored_with_events, self.not_scored)

    def headline_rows(self) -> list[tuple[str, str, str]]:
        """(figure, score, counts) rows for the text and Markdown reports."""
        return [
            ("type recall (scored snippets)", fmt(self.type_recall), f"{self.found}/{self.scored}"),
            (
                "events per snippet (all)",
                fmt(self.events_per_snippet, 2),
                f"{self.events}/{self.snippets}",
            ),
            (
                "events per snippet (scored)",
                fmt(self.events_per_scored_snippet, 2),
                f"{self.scored_events}/{self.scored}",
            ),
            (
                "not-scored snippets with any event",
                fmt(self.not_scored_share_with_events),
                f"{self.not_scored_with_events}/{self.not_scored}",
            ),
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "half": self.half,
            "snippets": self.snippets,
            "scored": self.scored,
            "found": self.found,
            "type_recall": self.type_recall,
            "events": self.events,
            "events_per_snippet": self.events_per_snippet,
            "scored_events": self.scored_events,
            "events_per_scored_snippet": self.events_per_scored_snippet,
            "not_scored": self.not_scored,
            "not_scored_with_events": self.not_scored_with_events,
            "not_scored_share_with_events": self.not_scored_share_with_events,
            "per_label": {label: score.to_dict() for label, score in self.per_label.items()},
            "per_group": {group: score.to_dict() for group, score in self.per_group.items()},
            "missed_types": self.missed_types,
            "not_scored_types": self.not_scored_types,
            "misses": [miss.to_dict() for miss in self.misses],
            "ignored_events": self.ignored_events,
            "other_half_events": self.other_half_events,
        }


def _types(events: list[EventDict]) -> set[str]:
    return {str(event["plover"]).upper() for event in events if event.get("plover")}


def group_name(acceptable: Iterable[str]) -> str:
    """The per-group key of a set of acceptable types: ``"ASSAULT, COERCE"``."""
    return ", ".join(sorted(acceptable))


def score_case(
    records: Sequence[CaseRecord],
    events: Iterable[EventDict],
    half: str = ALL,
    gold_ids: Iterable[str] | None = None,
) -> CaseReport:
    """Score extracted event dicts (``article_id`` = snippet id) against ``records``.

    ``records`` are the snippets of ``half``; ``gold_ids`` are all ids of the gold
    file (default: those of ``records``), so that events of the other half are told
    apart from events of unknown ids. Texts enter the report only when ``half`` is
    ``read``.
    """
    if half not in HALVES:
        raise ValueError(f"half must be one of {', '.join(HALVES)}, not {half!r}")
    by_article = group_by_article(events)
    chosen = {record.id for record in records}
    known = set(gold_ids) if gold_ids is not None else chosen
    ignored = sum(len(found) for key, found in by_article.items() if key not in known | chosen)
    other_half = sum(
        len(found) for key, found in by_article.items() if key in known and key not in chosen
    )
    per_label: dict[str, LabelScore] = {}
    per_group: dict[str, GroupScore] = {}
    missed_types: Counter[str] = Counter()
    not_scored_types: Counter[str] = Counter()
    misses: list[CaseMiss] = []
    scored = found = total_events = scored_events = not_scored_with_events = 0

    for record in records:
        extracted = by_article.get(record.id, [])
        predicted = _types(extracted)
        hit = bool(predicted & set(record.plover))
        label = per_label.setdefault(record.label, LabelScore(acceptable=record.plover))
        label.add(len(extracted), hit)
        total_events += len(extracted)
        if not record.scored:
            not_scored_with_events += bool(extracted)
            not_scored_types.update(predicted)
            continue
        group = per_group.setdefault(group_name(record.plover), GroupScore())
        if record.label not in group.labels:
            group.labels.append(record.label)
        group.add(len(extracted), hit)
        scored += 1
        scored_events += len(extracted)
        if hit:
            found += 1
            continue
        missed_types.update(predicted or {NONE})
        miss = CaseMiss(
            id=record.id,
            label=record.label,
            acceptable=record.plover,
            confidence=max((float(e.get("confidence") or 0.0) for e in extracted), default=0.0),
        )
        if half == READ:
            miss.text = record.text
            miss.predicted = [describe_event(event) for event in extracted]
        misses.append(miss)

    # Confidently wrong first; snippets where nothing was extracted (confidence 0) last.
    misses.sort(key=lambda miss: (-miss.confidence, id_order(miss.id)))
    for group in per_group.values():
        group.labels.sort()
    return CaseReport(
        half=half,
        snippets=len(records),
        scored=scored,
        found=found,
        events=total_events,
        scored_events=scored_events,
        not_scored_with_events=not_scored_with_events,
        per_label=dict(sorted(per_label.items())),
        per_group=dict(sorted(per_group.items())),
        missed_types=dict(missed_types.most_common()),
        not_scored_types=dict(not_scored_types.most_common()),
        misses=misses,
        ignored_events=ignored,
        other_half_events=other_half,
    )


def _row(table: Table, *cells: str) -> None:
    """Add a row whose strings are shown literally (snippets may contain [brackets])."""
    table.add_row(*(Text(str(cell)) for cell in cells))


def _table(title: str, columns: Sequence[str], left: int = 1) -> Table:
    """A table whose first ``left`` columns are left-aligned and the rest right-aligned."""
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index < left else "right")
    return table


def case_renderable(report: CaseReport, worst: int = 10) -> RenderableType:
    """The CASE 2021 scores: headline, per label, per type group, types, missed snippets.

    Snippet texts (and the actors of extracted events) are shown only for the read half.
    """
    headline = _table(
        f"CASE 2021 snippets ({report.snippets}, half: {report.half})",
        ["figure", "score", "counts"],
    )
    for row in report.headline_rows():
        _row(headline, *row)
    parts: list[RenderableType] = [headline]

    labels = _table(
        "Per label (found -: not scored; acceptable types: next table)",
        ["label", "support", "found", "recall", "events per snippet", "with events"],
    )
    labels.columns[0].no_wrap = True
    for name, score in report.per_label.items():
        _row(
            labels,
            name,
            str(score.snippets),
            str(score.found) if score.acceptable else "-",
            fmt(score.recall),
            fmt(ratio(score.events, score.snippets), 2),
            str(score.with_events),
        )
    parts.append(labels)

    groups = _table(
        "Per group of acceptable types",
        ["acceptable types", "labels", "snippets", "found", "recall"],
        left=2,
    )
    for name, score in report.per_group.items():
        _row(
            groups,
            name,
            ", ".join(score.labels),
            str(score.snippets),
            str(score.found),
            fmt(score.recall),
        )
    parts.append(groups)

    kinds = sorted(set(report.missed_types) | set(report.not_scored_types))
    if kinds:
        table = _table(
            "Types extracted on missed and on not-scored snippets (snippets)",
            ["type", "missed", "not scored"],
        )
        for kind in kinds:
            _row(
                table,
                kind,
                str(report.missed_types.get(kind, 0)),
                str(report.not_scored_types.get(kind, 0)),
            )
        parts.append(table)

    if report.misses:
        shown = report.misses[:worst]
        title = f"Missed snippets ({len(shown)} of {len(report.misses)})"
        if report.shows_texts:
            table = _table(title, ["snippet / label", "text", "extracted"], left=3)
            table.columns[0].no_wrap = True
            for miss in shown:
                _row(
                    table,
                    f"{miss.id}\n{miss.label}",
                    miss.text or "",
                    "\n".join(miss.predicted or []) or "(nothing)",
                )
        else:
            table = _table(
                f"{title}; texts are shown only with --half read",
                ["snippet", "label", "acceptable types"],
                left=3,
            )
            for miss in shown:
                _row(table, miss.id, miss.label, ", ".join(miss.acceptable))
        parts.append(table)
    if report.ignored_events:
        parts.append(Text(f"{report.ignored_events} events of unknown snippet ids were ignored."))
    if report.other_half_events:
        parts.append(
            Text(
                f"{report.other_half_events} events of snippets outside the "
                f"{report.half} half were left out."
            )
        )
    return Group(*parts)
