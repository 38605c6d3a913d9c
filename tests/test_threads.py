"""Commitment threads: requests and promises followed to their outcome, refusal or lapse."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dragoman.incidents import group_reports, report_from_event
from dragoman.incidents.threads import find_threads, load_commitments, step_kind
from dragoman.ontology.tsv import DataFileError

RUSSIA = {"name": "Russia", "code": "RUS", "country": "RUS", "text": "Moscow"}
BOGDANOV = {"name": "Mikhail Bogdanov", "code": "RUSGOV", "country": "RUS", "text": "Bogdanov"}
HOSTAGES = {"name": "Russian hostages", "code": "RUSCVL", "country": "RUS", "text": "them"}
HAMAS = {"name": "Hamas", "code": "PSEREBHMS", "country": "PSE", "text": "Hamas"}
RELATIVES = {"name": "relatives", "code": "ISRCVL", "country": "ISR", "text": "relatives"}


def event(event_id, cameo, source, target, day, sentence, trigger="x", modality="asserted"):
    return {
        "event_id": event_id,
        "article_id": f"article-{event_id}",
        "cameo": cameo,
        "cameo_label": "label",
        "plover": None,
        "modality": modality,
        "source": [source],
        "target": [target] if target else [],
        "attribution": [],
        "date_start": day,
        "date_end": day,
        "location": None,
        "evidence": {"sentence": sentence, "start": 0, "end": len(sentence), "trigger": trigger,
                     "trigger_start": 0, "trigger_end": 1},
        "confidence": 0.8,
    }  # fmt: skip


DEMAND = event("d", "1053", BOGDANOV, HAMAS, "2023-12-01",
               "Bogdanov demanded that Hamas release the hostages.", "demanded the release")  # fmt: skip
PROMISE = event("p", "035", HAMAS, HOSTAGES, "2024-03-28",
                "We will release them, Hamas said.", "release", "intended")  # fmt: skip
FOLLOW_UP = event("f", "040", BOGDANOV, RELATIVES, "2024-05-30",
                  "Bogdanov met relatives of hostages held by Hamas about efforts to free them.",
                  "met")  # fmt: skip
UNRELATED = event("u", "040", BOGDANOV, RELATIVES, "2024-05-30",
                  "Bogdanov met relatives to discuss the weather.", "met")  # fmt: skip
RELEASE = event("r", "0841", HAMAS, HOSTAGES, "2024-06-10",
                "Hamas released two Russian hostages.", "released")  # fmt: skip
REFUSAL = event("n", "0841", HAMAS, HOSTAGES, "2024-06-10",
                "Hamas will not release the hostages.", "release", "negated")  # fmt: skip


def threads_of(*events, **options):
    index = group_reports([report_from_event(e) for e in events])
    return find_threads(index, **options)


def test_step_kinds_come_from_the_commitments_table_and_the_modality():
    kinds = {
        e["event_id"]: step_kind(report_from_event(e))
        for e in (DEMAND, PROMISE, RELEASE, REFUSAL, FOLLOW_UP)
    }
    assert kinds == {
        "d": ("request", "release"),
        "p": ("promise", "release"),
        "r": ("outcome", "release"),
        "n": ("refusal", "release"),
        "f": None,
    }  # fmt: skip


def test_demand_promise_and_follow_up_make_one_open_thread_in_order():
    found = threads_of(PROMISE, FOLLOW_UP, UNRELATED, DEMAND)
    (thread,) = found.to_dicts(steps=True)
    assert thread["parties"] == ["PSEREBHMS", "RUS"]
    assert thread["object"] == "release"
    assert thread["chain"] == ["request", "promise", "follow-up"]
    assert thread["status"] == "open"
    assert [s["evidence"][0]["event_id"] for s in thread["steps"]] == ["d", "p", "f"]
    assert thread["steps"][0]["evidence"][0]["sentence"] == DEMAND["evidence"]["sentence"]


def test_an_outcome_fulfils_and_a_refusal_refuses():
    (fulfilled,) = threads_of(DEMAND, PROMISE, RELEASE).to_dicts()
    assert fulfilled["status"] == "fulfilled"
    assert fulfilled["chain"] == ["request", "promise", "outcome"]
    (refused,) = threads_of(DEMAND, REFUSAL).to_dicts()
    assert refused["status"] == "refused"


def test_an_open_thread_lapses_after_the_configured_time():
    assert threads_of(DEMAND, PROMISE).to_dicts()[0]["status"] == "open"
    late = threads_of(DEMAND, PROMISE, as_of=date(2025, 1, 1), lapse_days=180)
    assert late.to_dicts()[0]["status"] == "lapsed"
    patient = threads_of(DEMAND, PROMISE, as_of=date(2025, 1, 1), lapse_days=400)
    assert patient.to_dicts()[0]["status"] == "open"
    with pytest.raises(ValueError, match="lapse_days"):
        threads_of(DEMAND, lapse_days=-1)


def test_an_outcome_alone_opens_no_thread():
    assert threads_of(RELEASE).threads == []


def test_a_bad_commitments_row_names_its_file_and_line(tmp_path: Path):
    bad = tmp_path / "commitments.tsv"
    bad.write_text("code\tstep\tobject\n10\trequest\t-\n03\tvow\t-\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"commitments.tsv, line 3: step must be one of"):
        load_commitments(bad)


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, shared_dir: Path) -> Path:
    """The samples and the seeds stored as ``make demo`` stores them."""
    from dragoman.cli import app

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    samples = Path(__file__).resolve().parents[1] / "samples"
    result = CliRunner().invoke(
        app, ["ingest", str(samples), str(shared_dir / "seeds"), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.slow
def test_the_seeds_hostage_chain_is_one_open_thread(seeds_db: Path):
    from dragoman.cli import app

    result = CliRunner().invoke(app, ["threads", "--db", str(seeds_db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    threads = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    hostage = [
        t for t in threads if set(t["parties"]) == {"RUS", "PSEREBHMS"} and t["object"] == "release"
    ]
    assert len(hostage) == 1
    (thread,) = hostage
    assert thread["status"] == "open"
    chain = thread["chain"]
    assert chain[0] == "request" and "promise" in chain and chain[-1] == "follow-up"
    assert chain.index("promise") < len(chain) - 1
    days = [s["date_start"] for s in thread["steps"]]
    assert days == sorted(days)
    assert days[0].startswith("2023-12") and days[-1] == "2024-05-30"
    assert all(s["evidence"] and s["evidence"][0]["sentence"] for s in thread["steps"])
    table = CliRunner().invoke(app, ["threads", "--db", str(seeds_db)])
    assert table.exit_code == 0 and "release" in table.output and "open" in table.output


# Phoenix's dictionaries code "the Gaza Strip" as an actor (GAZA, PSEGZA): a place.
GAZA = {"name": "GAZA", "code": "PSEGZA", "country": "PSE", "kind": "organization",
        "text": "Gaza Strip", "start": 48, "end": 58}  # fmt: skip
ISRAEL = {"name": "Israel", "code": "ISR", "country": "ISR", "kind": "state", "text": "Israeli"}
WITHDRAWAL = "Hamas demanded a full Israeli withdrawal from the Gaza Strip before any exchange."


def test_a_place_is_never_a_party_and_the_next_actor_takes_its_turn():
    from dragoman.incidents.threads import is_place

    demand = event("w", "1056", HAMAS, GAZA, "2024-02-01", WITHDRAWAL, "demanded a withdrawal")
    assert is_place(GAZA, demand) and not is_place(HAMAS, demand)
    assert threads_of(demand).threads == []
    # With Israel among the recipients, Israel is the other party.
    both = {**demand, "event_id": "w2", "target": [GAZA, ISRAEL]}
    (thread,) = threads_of(both).to_dicts()
    assert thread["parties"] == ["ISR", "PSEREBHMS"] and thread["object"] == "withdrawal"


def test_a_recipient_that_is_only_the_events_location_is_no_party():
    from dragoman.incidents.threads import is_place

    sentence = "Egypt urged a ceasefire in Rafah."
    rafah = {"name": "Rafah municipality", "code": "PSEGOV", "country": "PSE",
             "kind": "organization", "text": "Rafah", "start": 27, "end": 32}  # fmt: skip
    egypt = {"name": "Egypt", "code": "EGY", "country": "EGY", "kind": "state", "text": "Egypt"}
    urged = event("c", "1056", egypt, rafah, "2024-02-01", sentence, "urged a ceasefire")
    urged["location"] = {"text": "Rafah", "start": 27, "end": 32, "name": "Rafah"}
    assert is_place(rafah, urged)
    assert threads_of(urged).threads == []
    # The same organisation elsewhere in the sentence than the place is a party.
    urged["location"] = {"text": "Cairo", "start": 0, "end": 5, "name": "Cairo"}
    assert not is_place(rafah, urged)
    assert len(threads_of(urged).threads) == 1
    # States and people stay parties even when named by a place ("Moscow demanded").
    moscow = {**RUSSIA, "kind": "state", "start": 0, "end": 6}
    assert not is_place(moscow, {**urged, "location": {"start": 0, "end": 6}})
