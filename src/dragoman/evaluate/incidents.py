"""``dragoman eval incidents``: how well reports are grouped into incidents.

The gold set (``data/eval/incidents/articles.jsonl``) is short articles written for it:
several outlets' reports of the same events, dated relative to different publication days,
naming actors by name, title or pronoun, and near misses (the same pair of actors in another
event days apart; the same kind of event between other actors). Each line is one article
with ``gold``: the incidents it reports, each tied to an ``anchor``, a phrase of the text
holding the event's trigger.

The articles are coded by the pipeline into a private in-memory store and grouped as
``dragoman incidents`` groups them. An extracted event whose trigger lies in an anchor is a
report of that anchor's incident; events outside every anchor are not scored, and anchors no
event reaches are counted as missed. Scores: pairwise precision, recall and F1 over pairs of
reports put in one incident, and B-cubed precision, recall and F1 (Bagga and Baldwin 1998).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from dragoman.ontology.tsv import data_path
from dragoman.records import Annotations, Article

GOLD_FIELDS = ("id", "published", "text", "gold")


class IncidentGoldError(ValueError):
    """A gold line that is not well formed; the message names the file and line."""


@dataclass(frozen=True)
class GoldAnchor:
    """One incident reported by an article, at the span of its anchor phrase."""

    incident: str
    start: int
    end: int


@dataclass
class GoldArticle:
    """An article of the set with its incidents."""

    record: dict[str, Any]
    anchors: list[GoldAnchor]


def default_gold_path() -> Path:
    """The packaged incident gold set."""
    return data_path("eval", "incidents", "articles.jsonl")


def load_incident_gold(path: Path | None = None) -> list[GoldArticle]:
    """Read the gold set, checking every line; an error names the file and line."""
    path = path or default_gold_path()
    articles: list[GoldArticle] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}, line {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise IncidentGoldError(f"{where}: not JSON ({exc.msg})") from exc
            missing = [f for f in GOLD_FIELDS if f not in record]
            if missing:
                raise IncidentGoldError(f"{where}: missing {', '.join(missing)}")
            anchors = []
            for item in record["gold"]:
                anchor, incident = item.get("anchor"), item.get("incident")
                if not anchor or not incident:
                    raise IncidentGoldError(f"{where}: each gold item needs anchor and incident")
                if record["text"].count(anchor) != 1:
                    raise IncidentGoldError(f"{where}: anchor {anchor!r} is not once in the text")
                start = record["text"].index(anchor)
                anchors.append(GoldAnchor(str(incident), start, start + len(anchor)))
            articles.append(GoldArticle(record, anchors))
    return articles


def gold_article(record: Mapping[str, Any]) -> Article:
    """The :class:`Article` the pipeline reads for a gold line."""
    from dragoman.ingest import make_article

    published = date.fromisoformat(record["published"]) if record.get("published") else None
    return make_article(
        str(record["id"]),
        str(record["text"]),
        published=published,
        title=record.get("title"),
        source=record.get("source"),
        origin="incident gold",
    )


@dataclass
class ClusterScores:
    """Pairwise and B-cubed scores of a predicted clustering against the gold one."""

    items: int
    gold_incidents: int
    predicted_incidents: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    missed_anchors: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: The same scores for the store's older duplicate merge (same CAMEO root, same actors,
    #: same first day), for comparison.
    baseline: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            key: round(value, 4) if isinstance(value, float) else value
            for key, value in self.__dict__.items()
        }


def baseline_key(event: Mapping[str, Any]) -> str:
    """The older merge rule's key: CAMEO root, source and target actors, first day."""
    actors = [
        sorted({(a.get("code"), a.get("name")) for a in event.get(role) or []})
        for role in ("source", "target")
    ]
    if not event.get("date_start"):
        return str(event["event_id"])
    return json.dumps([event["cameo"][:2], event["date_start"], *actors])


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clusters(gold: Mapping[str, str], predicted: Mapping[str, str]) -> ClusterScores:
    """Score ``predicted`` (item -> cluster) against ``gold`` (item -> cluster) on the
    items both have. Pairwise scores count pairs of items put together; B-cubed averages,
    over items, the share of an item's predicted cluster that is in its gold one
    (precision) and the reverse (recall)."""
    items = sorted(set(gold) & set(predicted))
    gold_pairs = {pair for pair in combinations(items, 2) if gold[pair[0]] == gold[pair[1]]}
    pred_pairs = {
        pair for pair in combinations(items, 2) if predicted[pair[0]] == predicted[pair[1]]
    }
    both = len(gold_pairs & pred_pairs)
    pair_p = both / len(pred_pairs) if pred_pairs else 1.0
    pair_r = both / len(gold_pairs) if gold_pairs else 1.0
    precision = recall = 0.0
    for item in items:
        same_pred = {o for o in items if predicted[o] == predicted[item]}
        same_gold = {o for o in items if gold[o] == gold[item]}
        shared = len(same_pred & same_gold)
        precision += shared / len(same_pred)
        recall += shared / len(same_gold)
    b_p = precision / len(items) if items else 0.0
    b_r = recall / len(items) if items else 0.0
    return ClusterScores(
        items=len(items),
        gold_incidents=len({gold[i] for i in items}),
        predicted_incidents=len({predicted[i] for i in items}),
        pairwise_precision=pair_p,
        pairwise_recall=pair_r,
        pairwise_f1=_f1(pair_p, pair_r),
        bcubed_precision=b_p,
        bcubed_recall=b_r,
        bcubed_f1=_f1(b_p, b_r),
    )


def evaluate_incidents(
    annotate: Callable[[Article], Annotations],
    gold: Iterable[GoldArticle] | None = None,
    settings: Any = None,
) -> ClusterScores:
    """Code the gold articles with ``annotate``, group their events, and score the grouping."""
    from dragoman.incidents import store_incidents
    from dragoman.incidents.source import stored_events
    from dragoman.store import open_store

    gold_articles = list(gold if gold is not None else load_incident_gold())
    with open_store(":memory:") as store:
        for item in gold_articles:
            store.save(annotate(gold_article(item.record)))
        events = list(stored_events(store))
        index = store_incidents(store, settings)
    gold_of: dict[str, str] = {}
    reached: set[tuple[str, int]] = set()
    anchors = {item.record["id"]: item.anchors for item in gold_articles}
    for event in events:
        trigger = event["evidence"]["trigger_start"]
        for anchor in anchors.get(event["article_id"], []):
            if anchor.start <= trigger < anchor.end:
                gold_of[event["event_id"]] = anchor.incident
                reached.add((event["article_id"], anchor.start))
    predicted = {
        event_id: index.incident_of(event_id).id  # type: ignore[union-attr]
        for event_id in gold_of
    }
    scores = score_clusters(gold_of, predicted)
    by_event = {e["event_id"]: e for e in events}
    old = score_clusters(gold_of, {e: baseline_key(by_event[e]) for e in gold_of})
    scores.baseline = {k: v for k, v in old.to_dict().items() if k not in _LISTS}
    for item in gold_articles:
        for anchor in item.anchors:
            if (item.record["id"], anchor.start) not in reached:
                text = item.record["text"][anchor.start : anchor.end]
                scores.missed_anchors.append(f"{item.record['id']}: {text}")
    for a, b in combinations(sorted(gold_of), 2):
        same_gold = gold_of[a] == gold_of[b]
        if same_gold != (predicted[a] == predicted[b]):
            kind = "split" if same_gold else "merged"
            scores.errors.append(f"{kind}: {_describe(by_event[a])} / {_describe(by_event[b])}")
    return scores


_LISTS = ("missed_anchors", "errors", "baseline")


def incidents_text(scores: ClusterScores) -> str:
    """The scores as the lines ``dragoman eval incidents`` prints."""
    base = scores.baseline or {}
    lines = [
        (
            f"Incident grouping: {scores.items} reports of {scores.gold_incidents} gold "
            f"incidents, grouped into {scores.predicted_incidents}"
        ),
        f"{'':10}{'precision':>10}{'recall':>10}{'F1':>10}   baseline F1 (same root, actors, day)",
    ]
    for name in ("pairwise", "bcubed"):
        p, r, f = (getattr(scores, f"{name}_{m}") for m in ("precision", "recall", "f1"))
        label = "B-cubed" if name == "bcubed" else "pairwise"
        lines.append(f"{label:10}{p:>10.3f}{r:>10.3f}{f:>10.3f}   {base.get(f'{name}_f1', 0):.3f}")
    if scores.missed_anchors:
        lines.append(f"{len(scores.missed_anchors)} gold report(s) no event reached:")
        lines.extend(f"  {m}" for m in scores.missed_anchors)
    if scores.errors:
        lines.append(f"{len(scores.errors)} pair(s) grouped wrongly:")
        lines.extend(f"  {e}" for e in scores.errors)
    return "\n".join(lines)


def _describe(event: Mapping[str, Any]) -> str:
    return f"{event['article_id']} {event['cameo']} {event['evidence']['trigger']!r}"
