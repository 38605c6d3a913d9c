"""The seeds scorer on small hand-made cases with exact expected numbers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from dragoman.evaluate.matching import date_within, side_matches, value_range
from dragoman.evaluate.paths import SEEDS_GOLD, default_gold
from dragoman.evaluate.seeds import GoldFormatError, load_seeds_gold, score_seeds

GOLD = {
    "about": "hand-made test gold",
    "articles": {
        "a1": {
            "events": [
                {
                    "id": "G1",
                    "required": True,
                    "what": "Russia meets Iran",
                    "source": ["\\bRUS", "russia"],
                    "target": ["\\bIRN", "iran"],
                    "roots": ["04"],
                    "date": ["2023-12-07", "2023-12-07"],
                },
                {
                    "id": "G2",
                    "required": True,
                    "what": "Hamas demands something of anyone",
                    "source": ["hamas"],
                    "target": [],
                    "roots": ["10", "02"],
                },
                {
                    "id": "G3",
                    "required": False,
                    "what": "Iran meets Russia",
                    "source": ["\\bIRN", "iran"],
                    "target": ["\\bRUS", "russia"],
                    "roots": ["04"],
                },
            ]
        },
        "a2": {
            "events": [
                {
                    "id": "G4",
                    "required": True,
                    "what": "USA accuses Iran in December",
                    "source": ["\\bUSA"],
                    "target": ["iran", "\\bIRN"],
                    "roots": ["11", "01"],
                    "date": ["2023-12-01", "2023-12-31"],
                }
            ]
        },
    },
}


def actor(text: str, code: str, country: str | None = None) -> dict:
    return {"text": text, "name": text, "code": code, "country": country}


RUSSIA = actor("Putin", "RUSGOV", "RUS")
IRAN = actor("Raisi", "IRNGOV", "IRN")
HAMAS = actor("Hamas", "PSEREB", "PSE")
USA = actor("Washington", "USAGOV", "USA")
FRANCE = actor("Paris", "FRAGOV", "FRA")


def event(article: str, source: list, target: list, cameo: str, **extra) -> dict:
    return {
        "article_id": article,
        "source": source,
        "target": target,
        "cameo": cameo,
        "evidence": {"sentence": f"sentence for {cameo}"},
        **extra,
    }


DAY = {"date": "2023-12-07", "date_start": "2023-12-07", "date_end": "2023-12-07"}
PERFECT = [
    event("a1", [RUSSIA], [IRAN], "040", **DAY),
    event("a1", [HAMAS], [], "1056"),
    event("a2", [USA], [IRAN], "112", date="2023-12"),
]


@pytest.fixture
def gold(tmp_path: Path) -> dict:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    return load_seeds_gold(path)


def test_load_reads_every_event_with_required_flags(gold):
    assert [g.id for g in gold["a1"]] == ["G1", "G2", "G3"]
    assert [g.required for g in gold["a1"]] == [True, True, False]
    assert gold["a2"][0].date == ["2023-12-01", "2023-12-31"]


def test_perfect_output_scores_one_everywhere(gold):
    report = score_seeds(gold, PERFECT)
    assert (report.required_found, report.required_total) == (3, 3)
    assert report.required_recall == 1.0
    assert (report.extracted_matching, report.extracted_total) == (3, 3)
    assert report.precision == 1.0
    assert len(report.date_checks) == 2
    assert report.date_accuracy == 1.0
    assert report.missed == [] and report.spurious == []


def test_empty_output_has_zero_recall_and_undefined_precision(gold):
    report = score_seeds(gold, [])
    assert report.required_recall == 0.0
    assert report.precision is None
    assert report.date_accuracy is None
    assert [m.gold_id for m in report.missed] == ["G1", "G2", "G4"]
    assert report.spurious == []


def test_one_wrong_target_actor_is_a_miss_and_a_spurious_event(gold):
    wrong = [event("a1", [RUSSIA], [FRANCE], "040", **DAY), *PERFECT[1:]]
    report = score_seeds(gold, wrong)
    assert (report.required_found, report.required_recall) == (2, pytest.approx(2 / 3))
    assert (report.extracted_matching, report.precision) == (2, pytest.approx(2 / 3))
    assert [m.gold_id for m in report.missed] == ["G1"]
    assert report.missed[0].nearest[0].startswith("wrong target")
    assert len(report.spurious) == 1
    assert report.spurious[0].sentence == "sentence for 040"
    assert "Paris" in report.spurious[0].summary


def test_wrong_cameo_root_does_not_match(gold):
    wrong = [PERFECT[0], event("a1", [HAMAS], [], "190"), PERFECT[2]]
    report = score_seeds(gold, wrong)
    assert [m.gold_id for m in report.missed] == ["G2"]
    # The gold target is unchecked, so source and target agree and only the root is off.
    assert report.missed[0].nearest == ["wrong CAMEO root: Hamas -[190]-> -"]
    assert report.precision == pytest.approx(2 / 3)


def test_missed_event_names_the_wrong_cameo_root(gold):
    report = score_seeds(gold, [event("a1", [RUSSIA], [IRAN], "190")])
    assert [m.gold_id for m in report.missed] == ["G1", "G2", "G4"]
    assert report.missed[0].nearest[0].startswith("wrong CAMEO root")


def test_optional_only_match_is_not_spurious(gold):
    report = score_seeds(gold, [event("a1", [IRAN], [RUSSIA], "043")])
    assert report.spurious == []
    assert report.precision == 1.0
    assert (report.optional_found, report.optional_total) == (1, 1)
    assert report.required_found == 0


def test_direction_matters(gold):
    # Russia -> Iran is G1; the reverse matches only the optional G3.
    report = score_seeds(gold, [event("a1", [IRAN], [RUSSIA], "040")])
    assert "G1" in [m.gold_id for m in report.missed]


def test_empty_gold_target_accepts_any_target(gold):
    report = score_seeds(gold, [event("a1", [HAMAS], [FRANCE], "100")])
    assert "G2" not in [m.gold_id for m in report.missed]


def test_date_outside_gold_range_is_wrong(gold):
    late = {"date": "2023-12-08", "date_start": "2023-12-08", "date_end": "2023-12-08"}
    month = {"date": "2023-12", "date_start": "2023-12-01", "date_end": "2023-12-31"}
    events = [
        event("a1", [RUSSIA], [IRAN], "040", **late),
        event("a2", [USA], [IRAN], "112", **month),
    ]
    report = score_seeds(gold, events)
    assert [(c.gold_id, c.correct) for c in report.date_checks] == [("G1", False), ("G4", True)]
    assert report.date_accuracy == 0.5


def test_undated_match_counts_as_wrong_date(gold):
    report = score_seeds(gold, [event("a1", [RUSSIA], [IRAN], "040")])
    assert [(c.gold_id, c.correct) for c in report.date_checks] == [("G1", False)]


def test_any_matching_event_with_a_right_date_is_enough(gold):
    late = {"date_start": "2023-12-09", "date_end": "2023-12-09"}
    events = [event("a1", [RUSSIA], [IRAN], "040", **late), PERFECT[0]]
    report = score_seeds(gold, events)
    assert report.date_checks[0].correct is True
    assert report.date_checks[0].predicted == ["2023-12-07", "2023-12-07", "2023-12-07"]


def test_events_of_other_articles_are_ignored(gold):
    report = score_seeds(gold, [*PERFECT, event("elsewhere", [FRANCE], [IRAN], "190")])
    assert report.ignored_events == 1
    assert report.precision == 1.0


def test_actor_patterns_are_case_insensitive_regexes_over_joined_fields():
    assert side_matches(["\\bRUS"], [actor("Moscow", "RUSGOV")])
    assert not side_matches(["\\bRUS"], [actor("Prussia", "PRU")])
    assert side_matches(
        ["ZAYED"], [actor("the president", "AREGOV", "ARE") | {"name": "bin Zayed"}]
    )
    assert not side_matches(["hamas"], [])
    assert side_matches([], [])


def test_date_values_cover_their_calendar_range():
    assert value_range("2023") == (date(2023, 1, 1), date(2023, 12, 31))
    assert value_range("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert value_range("2023-12") == (date(2023, 12, 1), date(2023, 12, 31))
    assert value_range("PRESENT_REF") is None
    low, high = date(2023, 12, 1), date(2023, 12, 31)
    assert date_within({"date": "2023-12"}, low, high)
    assert not date_within({"date": "2023"}, low, high)
    assert date_within({"date_start": "2023-12-02", "date_end": "2023-12-05"}, low, high)
    assert not date_within({"date_start": "2023-11-30", "date_end": "2023-12-05"}, low, high)


def test_malformed_gold_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"articles": {"a": {"events": [{"id": "x"}]}}}), encoding="utf-8")
    with pytest.raises(GoldFormatError, match="not a seeds gold file"):
        load_seeds_gold(path)


def test_shared_seeds_gold_loads():
    path = default_gold(SEEDS_GOLD)
    if not path.is_file():
        pytest.skip(f"shared seeds gold not found at {path} (set DRAGOMAN_SHARED)")
    gold = load_seeds_gold(path)
    assert sorted(gold) == ["000_f59f4d61ac55dbc2", "004_bc334e15e4ad92e3"]
    assert sum(g.required for events in gold.values() for g in events) == 11
    report = score_seeds(gold, [])
    assert (report.required_total, report.required_recall) == (11, 0.0)
