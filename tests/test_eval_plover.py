"""The PLOVER scorer on small hand-made records with exact expected numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dragoman.evaluate.paths import PLOVER_GOLD, default_gold
from dragoman.evaluate.plover import (
    NONE,
    actor_country,
    gold_country,
    load_plover_gold,
    score_plover,
    top_type,
)
from dragoman.evaluate.seeds import GoldFormatError

RECORDS = [
    {"id": "r1", "text": "Israel struck Gaza.", "event": "ASSAULT", "source": ["ISRMIL"]},
    {"id": "r2", "text": "France asked Iran to talk.", "event": "REQUEST", "source": ["FRAGOV"]},
    {"id": "r3", "text": "Unknown gunmen protested.", "event": "PROTEST", "source": []},
]


def write_gold(path: Path, records: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for r in records:
            gold = {
                "event": r["event"],
                "source": [{"actorText": c, "code": c} for c in r["source"]],
                "target": [],
            }
            line = {"id": r["id"], "text": r["text"], "published": None, "gold": gold}
            handle.write(json.dumps(line) + "\n")
    return path


@pytest.fixture
def records(tmp_path: Path):
    return load_plover_gold(write_gold(tmp_path / "gold.jsonl", RECORDS))


def event(article: str, plover: str, country: str | None, confidence: float = 0.5) -> dict:
    source = [{"text": "x", "name": "x", "code": (country or "") + "GOV", "country": country}]
    return {
        "article_id": article,
        "plover": plover,
        "source": source if country else [],
        "target": [],
        "confidence": confidence,
    }


PERFECT = [
    event("r1", "ASSAULT", "ISR"),
    event("r2", "REQUEST", "FRA"),
    event("r3", "PROTEST", None),
]


def test_perfect_output(records):
    report = score_plover(records, PERFECT)
    assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (3, 0, 0)
    assert report.pairs.f1 == 1.0
    assert (report.types.precision, report.types.recall, report.types.f1) == (1.0, 1.0, 1.0)
    assert report.type_recall_at_article == 1.0
    assert report.top1_accuracy == 1.0
    assert report.confusion == {
        "ASSAULT": {"ASSAULT": 1},
        "PROTEST": {"PROTEST": 1},
        "REQUEST": {"REQUEST": 1},
    }
    assert report.errors == []


def test_empty_output(records):
    report = score_plover(records, [])
    assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (0, 0, 3)
    assert report.pairs.precision is None
    assert (report.pairs.recall, report.pairs.f1) == (0.0, 0.0)
    assert (report.types.recall, report.type_recall_at_article) == (0.0, 0.0)
    assert report.confusion == {"ASSAULT": {NONE: 1}, "PROTEST": {NONE: 1}, "REQUEST": {NONE: 1}}
    assert [e.id for e in report.errors] == ["r1", "r2", "r3"]
    assert report.errors[0].predicted == []


def test_wrong_source_country_costs_pairs_not_types(records):
    events = [event("r1", "ASSAULT", "PSE"), *PERFECT[1:]]
    report = score_plover(records, events)
    assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (2, 1, 1)
    assert report.pairs.precision == pytest.approx(2 / 3)
    assert report.types.f1 == 1.0
    assert report.errors == []


def test_wrong_type(records):
    events = [event("r1", "COERCE", "ISR"), *PERFECT[1:]]
    report = score_plover(records, events)
    assert (report.types.tp, report.types.fp, report.types.fn) == (2, 1, 1)
    assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (2, 1, 1)
    assert report.type_recall_at_article == pytest.approx(2 / 3)
    assert report.confusion["ASSAULT"] == {"COERCE": 1}
    assert [(e.id, e.gold) for e in report.errors] == [("r1", "ASSAULT")]
    assert report.per_type["COERCE"].to_dict()["fp"] == 1
    assert (report.per_type["ASSAULT"].tp, report.per_type["ASSAULT"].fn) == (0, 1)
    assert report.per_type["ASSAULT"].precision is None
    assert report.support == {"ASSAULT": 1, "REQUEST": 1, "PROTEST": 1}


def test_confusion_counts_the_highest_confidence_event(records):
    events = [
        event("r1", "ASSAULT", "ISR", confidence=0.4),
        event("r1", "THREATEN", "ISR", confidence=0.9),
        event("r2", "REQUEST", "FRA", confidence=0.8),
        event("r2", "CONSULT", "FRA", confidence=0.3),
    ]
    report = score_plover(records, events)
    assert report.confusion == {
        "ASSAULT": {"THREATEN": 1},
        "REQUEST": {"REQUEST": 1},
        "PROTEST": {NONE: 1},
    }
    # ASSAULT is among r1's types, so type recall@article still counts it.
    assert report.type_recall_at_article == pytest.approx(2 / 3)
    assert report.top1_accuracy == pytest.approx(1 / 3)
    assert report.labels() == ["ASSAULT", "PROTEST", "REQUEST", "THREATEN", NONE]
    # Two extra types predicted (THREATEN in r1, CONSULT in r2), PROTEST missed.
    assert (report.types.tp, report.types.fp, report.types.fn) == (2, 2, 1)


def test_record_without_gold_source_is_scored_by_type_alone(records):
    report = score_plover(records, [event("r3", "PROTEST", "USA")])
    assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (1, 0, 2)


def test_events_without_source_give_no_pair(records):
    report = score_plover(records, [event("r1", "ASSAULT", None)])
    assert (report.pairs.tp, report.pairs.fp) == (0, 0)
    assert report.types.tp == 1


def test_unknown_record_ids_are_ignored(records):
    report = score_plover(records, [*PERFECT, event("nowhere", "AID", "USA")])
    assert report.ignored_events == 1
    assert report.types.precision == 1.0


def test_worst_errors_put_confident_mistakes_first(records):
    events = [event("r1", "AID", "ISR", 0.2), event("r2", "AID", "FRA", 0.9)]
    report = score_plover(records, events)
    assert [e.id for e in report.errors] == ["r2", "r1", "r3"]
    assert report.errors[0].text == "France asked Iran to talk."


def test_country_codes():
    assert gold_country("USAGOV") == "USA"
    assert gold_country("JAP") == "JPN"
    assert actor_country({"code": "IGOUNO", "country": None}) == "IGO"
    assert actor_country({"code": "RUSGOV", "country": "rus"}) == "RUS"
    assert actor_country({"code": None, "country": None}) is None
    assert top_type([]) == NONE


def test_malformed_record_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "text": "t"}\n', encoding="utf-8")
    with pytest.raises(GoldFormatError, match="bad.jsonl:1"):
        load_plover_gold(path)


def test_shared_plover_gold_loads():
    path = default_gold(PLOVER_GOLD)
    if not path.is_file():
        pytest.skip(f"shared PLOVER gold not found at {path} (set DRAGOMAN_SHARED)")
    records = load_plover_gold(path)
    assert len(records) == 164
    assert len({r.event for r in records}) == 16
    assert all(len(code) == 3 for r in records for code in r.source_countries)


def test_sector_only_code_is_no_country():
    # an unnamed "GOV" of no known country must not be scored as a country called GOV
    assert actor_country({"country": None, "code": "GOV"}) is None
    assert actor_country({"country": None, "code": "REB"}) is None
    assert actor_country({"country": None, "code": "IGOUNO"}) == "IGO"
