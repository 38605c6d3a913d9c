"""``dragoman eval ... --coder llm|both``: each coder's figures on the same gold, and how
often the two agree, type by type, so a user sees what a model adds to the rules.

The pipeline runs once with the model coder attached; the rules' events and the
model's checked events of each article are kept apart as well as combined. Agreement is
counted per gold item (article or snippet) and PLOVER type: both coders found the type,
only the rules, or only the model; the figure is the positive agreement
2·both / (2·both + rules only + model only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Group
from rich.table import Table

from dragoman.records import Article, Event

Notify = Callable[[str], None]


@dataclass
class TypeAgreement:
    """Gold items in which one PLOVER type was found by both coders or by one."""

    both: int = 0
    rules_only: int = 0
    model_only: int = 0

    @property
    def agreement(self) -> float | None:
        found = 2 * self.both + self.rules_only + self.model_only
        return None if found == 0 else 2 * self.both / found

    def to_dict(self) -> dict[str, Any]:
        value = self.agreement
        return {
            "both": self.both,
            "rules_only": self.rules_only,
            "model_only": self.model_only,
            "agreement": None if value is None else round(value, 3),
        }


@dataclass
class CoderRun:
    """The events of one run with both coders: combined, and each coder's own."""

    combined: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    model: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def _kind(event: dict[str, Any]) -> str:
    return event.get("plover") or f"CAMEO {str(event.get('cameo', ''))[:2]}"


def agreement(
    rules: Iterable[dict[str, Any]], model: Iterable[dict[str, Any]]
) -> dict[str, TypeAgreement]:
    """Per PLOVER type (``"all"`` for every type together), how the coders agree."""
    found: dict[str, dict[str, set[str]]] = {"rules": defaultdict(set), "model": defaultdict(set)}
    for coder, events in (("rules", rules), ("model", model)):
        for event in events:
            found[coder][event["article_id"]].add(_kind(event))
    table: dict[str, TypeAgreement] = defaultdict(TypeAgreement)
    for article in set(found["rules"]) | set(found["model"]):
        by_rules, by_model = found["rules"][article], found["model"][article]
        for kind in by_rules | by_model:
            for key in (kind, "all"):
                if kind in by_rules and kind in by_model:
                    table[key].both += 1
                elif kind in by_rules:
                    table[key].rules_only += 1
                else:
                    table[key].model_only += 1
    return dict(sorted(table.items(), key=lambda item: (item[0] == "all", item[0])))


def run_coders(articles: Iterable[Article], coder: str, notify: Notify) -> CoderRun:
    """Code ``articles`` with the rules and the model (``coder`` is ``llm`` or ``both``).

    Raises ``dragoman.llm.wiring.ModelCoderError`` when the model coder cannot run as
    asked (with ``llm``, a server down)."""
    from dragoman.llm.wiring import ModelCoderError, ModelCoderRun
    from dragoman.pipeline import Pipeline

    pipeline = Pipeline()
    run = ModelCoderRun(coder, None, lambda kind, line: notify(f"{kind} {line}"))
    run.start(pipeline)
    out = CoderRun()

    def observe(article: Article, rules: list[Event], model: list[Event]) -> None:
        out.rules.extend(e.to_dict() for e in rules)
        out.model.extend(e.to_dict() for e in model)

    assert run.model_coder is not None
    run.model_coder.observer = observe
    stats = run.model_coder.stats
    for article in articles:
        out.combined.extend(e.to_dict() for e in pipeline.extract(article))
    pipeline.model_coder = None
    out.stats = stats.to_dict()
    if run.finish():
        raise ModelCoderError(f"the model coder stopped: {run.settings.url} failed")
    return out


def compare_coders(
    coder: str,
    articles: Iterable[Article],
    score: Callable[[list[dict[str, Any]]], Any],
    render: Callable[[Any], Any],
    notify: Notify,
) -> tuple[list[dict[str, Any]], dict[str, Any], Any]:
    """Run both coders over ``articles`` and score each with ``score``.

    Returns the events the command scores as usual (the model's with ``llm``, the
    combined with ``both``), the figures to add to its JSON output, and what to print
    before its own table (nothing with ``llm``)."""
    run = run_coders(articles, coder, notify)
    if coder == "llm":
        return run.model, {"model_coder": run.stats}, None
    rules, model = score(run.rules), score(run.model)
    table = agreement(run.rules, run.model)
    extra = {
        "coders": {
            "rules": rules.to_dict(),
            "llm": model.to_dict(),
            "agreement": {kind: a.to_dict() for kind, a in table.items()},
        },
        "model_coder": run.stats,
    }
    printed = Group(
        "[bold]The rules alone[/bold]",
        render(rules),
        "[bold]The model alone (checked answers)[/bold]",
        render(model),
        agreement_table(table),
        "[bold]Both coders combined[/bold]",
    )
    return run.combined, extra, printed


def agreement_table(table: dict[str, TypeAgreement]) -> Table:
    """The agreement of the two coders per PLOVER type, as a table."""
    out = Table(title="Agreement of the coders per type (gold items)", title_justify="left")
    for column in ("type", "both", "rules only", "model only", "agreement"):
        out.add_column(column, justify="left" if column == "type" else "right")
    for kind, counts in table.items():
        value = counts.agreement
        out.add_row(
            kind,
            str(counts.both),
            str(counts.rules_only),
            str(counts.model_only),
            "-" if value is None else f"{value:.2f}",
        )
    return out
