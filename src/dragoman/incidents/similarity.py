"""Whether two reports can describe the same real-world event, and how alike they are.

Each test is a hard condition (two reports failing one are never one incident) that
also yields a score in [0, 1] for how strongly it holds; :func:`match` combines them.
The evidence text is compared lexically (content-word stems, Jaccard): see
docs/incidents.md for why no sentence-embedding model is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from dragoman.incidents.reports import Report
from dragoman.ontology.tsv import data_path, read_rows

MODALITY_COLUMNS = ("modality", "group")
#: Location features that cover a whole area: a report placed there fits any city inside.
_AREA_FEATURES = frozenset({"country", "admin1", "region"})
_WORD = re.compile(r"[^\W\d_]+")
#: Words of reporting and attribution, which say nothing about which event it was.
_REPORTING_WORDS = frozenset(
    {"said", "says", "told", "reported", "according", "officials", "statement", "ministry"}
)


@dataclass(frozen=True)
class MatchSettings:
    """How reports are weighed against each other (the defaults are the measured ones)."""

    #: Days two day-precise dates may differ and still be one event (time zones, "yesterday").
    date_tolerance_days: int = 1
    #: Lowest mean score at which a report joins an incident.
    threshold: float = 0.55
    #: Weights of the scores; they sum to 1.
    weight_type: float = 0.2
    weight_sides: float = 0.25
    weight_date: float = 0.25
    weight_place: float = 0.1
    weight_text: float = 0.2


@lru_cache(maxsize=4)
def load_modality_groups(path: Path | None = None) -> dict[str, str]:
    """Modality -> group (``incidents/modalities.tsv``), every row checked."""
    path = path or data_path("incidents", "modalities.tsv")
    groups: dict[str, str] = {}
    for row in read_rows(path, MODALITY_COLUMNS):
        modality, group = row.fields["modality"], row.fields["group"]
        if not modality or modality in groups:
            raise row.error(f"missing or duplicate modality {modality!r}")
        if group not in {"realized", "unrealized", "negated"}:
            raise row.error(f"group must be realized, unrealized or negated, got {group!r}")
        groups[modality] = group
    return groups


def type_score(a: Report, b: Report) -> float | None:
    """1 for the same CAMEO code, 0.8 when one is a more specific code of the other or the
    root or PLOVER type is shared; None when the types are unrelated."""
    if a.cameo == b.cameo:
        return 1.0
    if a.cameo.startswith(b.cameo) or b.cameo.startswith(a.cameo):
        return 0.8
    if a.cameo[:2] == b.cameo[:2] or (a.plover and a.plover == b.plover):
        return 0.8
    return None


def sides_score(a: Report, b: Report) -> float | None:
    """1 when the same sides take part (in either role: "A met B" and "B hosted A"); 0.5
    when a report without a target has its sources among the other's sides; else None."""
    if not a.sources or not b.sources:
        return None
    if a.sides == b.sides:
        return 1.0
    for one, other in ((a, b), (b, a)):
        if not one.targets and one.sources <= other.sides:
            return 0.5
    return None


def date_score(a: Report, b: Report, tolerance_days: int = 1) -> float | None:
    """1 when two day-precise dates agree within the tolerance, 0.6 when coarser ranges
    overlap, 0.3 when a report is undated; None when the ranges cannot meet."""
    if a.date_start is None or b.date_start is None:
        return 0.3
    slack = timedelta(days=tolerance_days)
    a_end = a.date_end or a.date_start
    b_end = b.date_end or b.date_start
    if a.date_start > b_end + slack or b.date_start > a_end + slack:
        return None
    precise = a.date_start == a_end and b.date_start == b_end
    return 1.0 if precise else 0.6


def place_score(a: Report, b: Report) -> float | None:
    """1 for the same place, 0.7 when one is an area holding the other, 0.5 when a report
    has no place; None for two different places."""
    la, lb = a.location, b.location
    if not la or not lb:
        return 0.5
    if la.get("geonameid") is not None and la.get("geonameid") == lb.get("geonameid"):
        return 1.0
    if la.get("name") == lb.get("name") and la.get("country") == lb.get("country"):
        return 1.0
    areas = la.get("feature") in _AREA_FEATURES or lb.get("feature") in _AREA_FEATURES
    if areas and la.get("country") and la.get("country") == lb.get("country"):
        return 0.7
    return None


@lru_cache(maxsize=65536)
def content_stems(sentence: str) -> frozenset[str]:
    """The content words of a sentence, lower-cased and cut to five letters (a crude stem:
    "missiles" and "missile" agree), without stop words and reporting words."""
    words = (w.lower() for w in _WORD.findall(sentence))
    return frozenset(
        w[:5] for w in words if len(w) > 2 and w not in STOP_WORDS and w not in _REPORTING_WORDS
    )


def text_score(a: Report, b: Report) -> float:
    """Jaccard similarity of the two evidence sentences' content stems (1 for one sentence)."""
    if a.article_id == b.article_id and a.evidence_start == b.evidence_start:
        return 1.0
    one, other = content_stems(a.sentence), content_stems(b.sentence)
    if not one or not other:
        return 0.0
    return len(one & other) / len(one | other)


def match(a: Report, b: Report, settings: MatchSettings) -> float | None:
    """The score in [0, 1] of two reports being one event, or None when they cannot be."""
    groups = load_modality_groups()
    if groups.get(a.modality, a.modality) != groups.get(b.modality, b.modality):
        return None
    scores = (
        type_score(a, b),
        sides_score(a, b),
        date_score(a, b, settings.date_tolerance_days),
        place_score(a, b),
    )
    if any(s is None for s in scores):
        return None
    t, s, d, p = scores
    return (
        settings.weight_type * t
        + settings.weight_sides * s
        + settings.weight_date * d
        + settings.weight_place * p
        + settings.weight_text * text_score(a, b)
    )
