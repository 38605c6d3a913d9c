"""Commitment threads: a request or promise between two parties about one object, followed
over time and across articles to its outcome, refusal or lapse.

Which events are requests, promises, outcomes and refusals, and about what, is data
(``incidents/commitments.tsv``, ``incidents/objects.tsv``). A step is an incident (all its
reports are the step's evidence). A thread is keyed by its two parties (sides, with a
country's people counted as the country: "the Russian hostages" are Russia's side) and its
object. It opens with a request or promise; an outcome fulfils it, a refusal refuses it; an
open thread with no step for ``lapse_days`` before the as-of day (by default the latest event
date in the data, not the clock, so an archive reads the same any day) has lapsed.

A follow-up is an event of another kind by one party, on or after the thread's first step,
whose evidence sentence names the object and the other party ("met the relatives of the
hostages held by Hamas to brief them about his efforts to free them").

Parties are actors, never places: an argument that is not a state or a person and is either
the event's own location or an actor whose name is a place of the gazetteer other than a
country ("GAZA", coded from "the Gaza Strip") is passed over, and the thread takes the next
actor argument, or none ("Hamas demanded a full Israeli withdrawal from the Gaza Strip" is
no commitment between Hamas and Gaza).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from dragoman.incidents.grouping import Incident, IncidentIndex
from dragoman.incidents.reports import Report, actor_side
from dragoman.incidents.similarity import load_modality_groups
from dragoman.ontology.tsv import data_path, read_rows

COMMITMENT_COLUMNS = ("code", "step", "object")
OBJECT_COLUMNS = ("object", "words")
STEPS = ("request", "promise", "outcome", "refusal")
#: Status a step leaves a thread in (follow-ups leave it as it was).
_STATUS_AFTER = {"request": "open", "promise": "open", "outcome": "fulfilled", "refusal": "refused"}
#: Days without a step after which an open thread has lapsed.
DEFAULT_LAPSE_DAYS = 180


@lru_cache(maxsize=4)
def load_commitments(path: Path | None = None) -> dict[str, tuple[str, str | None]]:
    """CAMEO prefix -> (step, object or None) (``incidents/commitments.tsv``)."""
    path = path or data_path("incidents", "commitments.tsv")
    objects = load_objects()
    table: dict[str, tuple[str, str | None]] = {}
    for row in read_rows(path, COMMITMENT_COLUMNS):
        code, step, obj = row.fields["code"], row.fields["step"], row.fields["object"]
        if not code.isdigit() or not 2 <= len(code) <= 4:
            raise row.error(f"code must be a CAMEO code of 2 to 4 digits, got {code!r}")
        if step not in STEPS:
            raise row.error(f"step must be one of {', '.join(STEPS)}, got {step!r}")
        if obj != "-" and obj not in objects:
            raise row.error(f"object {obj!r} is not in objects.tsv")
        if code in table:
            raise row.error(f"duplicate code {code!r}")
        table[code] = (step, None if obj == "-" else obj)
    return table


@lru_cache(maxsize=4)
def load_objects(path: Path | None = None) -> dict[str, re.Pattern[str]]:
    """Object -> the pattern of its words (``incidents/objects.tsv``), in file order."""
    path = path or data_path("incidents", "objects.tsv")
    objects: dict[str, re.Pattern[str]] = {}
    for row in read_rows(path, OBJECT_COLUMNS):
        name, words = row.fields["object"], row.fields["words"]
        if not name or name in objects:
            raise row.error(f"missing or duplicate object {name!r}")
        try:
            objects[name] = re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
        except re.error as exc:
            raise row.error(f"words is not a regular expression: {exc}") from exc
    return objects


def step_kind(report: Report) -> tuple[str, str | None] | None:
    """(step, object) of a report by its code and modality, or None when it is no step.

    An outcome reported as intended or hypothetical is a promise of it; a negated one is
    a refusal. The object comes from the code, else from the trigger, else the sentence.
    """
    table = load_commitments()
    for length in (4, 3, 2):
        found = table.get(report.cameo[:length])
        if found is not None:
            break
    else:
        return None
    step, obj = found
    group = load_modality_groups().get(report.modality, "realized")
    if group == "negated":
        step = "refusal"
    elif group == "unrealized" and step == "outcome":
        step = "promise"
    # The trigger's own words are the most specific ("demanded a full withdrawal" is coded
    # as a demand to de-escalate), then the code, then the rest of the sentence.
    return step, object_in(report.trigger) or obj or object_in(report.sentence)


def object_in(text: str) -> str | None:
    """The first object (in ``objects.tsv`` order) whose words occur in ``text``."""
    for name, pattern in load_objects().items():
        if pattern.search(text):
            return name
    return None


#: Kinds of actor that are always parties, even when named by a place ("Moscow said").
_ALWAYS_PARTIES = frozenset({"state", "person"})


def _overlaps(actor: dict[str, Any], location: dict[str, Any] | None) -> bool:
    if not location or location.get("start") is None or actor.get("start") is None:
        return False
    return actor["start"] < location["end"] and location["start"] < actor["end"]


@lru_cache(maxsize=4096)
def _names_a_place(name: str) -> bool:
    """Whether ``name`` is itself the name of a place of the gazetteer that is not a
    country (a region, a division or a city): "GAZA", "Crimea", but not "Russia"."""
    from dragoman.place.gazetteer import Gazetteer
    from dragoman.place.normalize import normalize_name

    key = normalize_name(name)
    return any(
        entry.feature != "country" and normalize_name(entry.name) == key
        for entry in Gazetteer.load().candidates(name)
    )


def is_place(actor: dict[str, Any], event: dict[str, Any]) -> bool:
    """Whether an event's actor argument is a place rather than a party: not a state or a
    person, and either the event's location or an actor named as a place ("GAZA")."""
    if actor.get("kind") in _ALWAYS_PARTIES:
        return False
    if _overlaps(actor, event.get("location")):
        return True
    return bool(actor.get("name")) and _names_a_place(str(actor["name"]))


def _parties(event: dict[str, Any], role: str) -> list[str]:
    """The sides of an event's actors in ``role`` (source or target) that are parties."""
    return sorted(
        {actor_side(a, include_people=True) for a in event.get(role, []) if not is_place(a, event)}
    )


@dataclass
class Step:
    """One step of a thread: an incident and what it is in the thread."""

    kind: str
    incident: Incident
    party: str

    @property
    def day(self) -> date | None:
        start, _, _ = self.incident.date_range()
        return start

    def sort_key(self) -> tuple[Any, ...]:
        first = self.incident.first_report()
        return (self.day or date.min, first.order_key())

    def to_dict(self) -> dict[str, Any]:
        start, end, _ = self.incident.date_range()
        rep = self.incident.representative()
        return {
            "step": self.kind,
            "party": self.party,
            "incident_id": self.incident.id,
            "cameo": rep.cameo,
            "cameo_label": rep.event.get("cameo_label"),
            "modality": rep.modality,
            "date_start": start.isoformat() if start else None,
            "date_end": end.isoformat() if end else None,
            "evidence": [
                {
                    "article_id": r.article_id,
                    "event_id": r.event_id,
                    "outlet": r.outlet,
                    "sentence": r.sentence,
                    "trigger": r.trigger,
                    "start": r.evidence_start,
                    "end": r.evidence_end,
                    "attribution": [a.get("name") for a in r.event.get("attribution", [])],
                }
                for r in sorted(self.incident.reports, key=Report.order_key)
            ],
        }


@dataclass
class Thread:
    """A commitment between two parties about one object, and its steps in time order."""

    parties: tuple[str, str]
    object: str
    steps: list[Step] = field(default_factory=list)
    #: Names and mention texts of each party's actors, to find follow-ups naming them.
    names: dict[str, set[str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        first = self.steps[0].incident.id
        key = "|".join([*self.parties, self.object, first])
        return "thr-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def status(self, as_of: date | None, lapse_days: int) -> str:
        """open, fulfilled, refused or lapsed (open with no step for ``lapse_days``)."""
        status = "open"
        for step in self.steps:
            status = _STATUS_AFTER.get(step.kind, status)
        last = max((s.day for s in self.steps if s.day), default=None)
        if status == "open" and as_of and last and as_of - last > timedelta(days=lapse_days):
            return "lapsed"
        return status

    def to_dict(self, as_of: date | None, lapse_days: int, steps: bool = True) -> dict[str, Any]:
        days = [s.day for s in self.steps if s.day]
        out: dict[str, Any] = {
            "thread_id": self.id,
            "parties": list(self.parties),
            "party_names": {p: sorted(self.names.get(p, ()))[:5] for p in self.parties},
            "object": self.object,
            "status": self.status(as_of, lapse_days),
            "first_date": min(days).isoformat() if days else None,
            "last_date": max(days).isoformat() if days else None,
            "chain": [s.kind for s in self.steps],
        }
        if steps:
            out["steps"] = [s.to_dict() for s in self.steps]
        return out


@dataclass
class ThreadSet:
    """The threads found in a set of incidents, with the day their status is judged on."""

    threads: list[Thread]
    as_of: date | None
    lapse_days: int

    def get(self, thread_id: str) -> Thread | None:
        return next((t for t in self.threads if t.id == thread_id), None)

    def to_dicts(self, steps: bool = False) -> list[dict[str, Any]]:
        return [t.to_dict(self.as_of, self.lapse_days, steps=steps) for t in self.threads]


def _names(incident: Incident, party: str) -> set[str]:
    names: set[str] = set()
    for report in incident.reports:
        for actor in (*report.event.get("source", []), *report.event.get("target", [])):
            if actor_side(actor, include_people=True) == party:
                # Pronouns ("them", "we") name nobody in another sentence.
                names.update(
                    n
                    for n in (actor.get("name"), actor.get("text"))
                    if n and n.lower() not in STOP_WORDS
                )
    return names


def _names_any(sentence: str, names: Iterable[str]) -> bool:
    return any(
        re.search(rf"\b{re.escape(n)}\b", sentence, re.IGNORECASE) for n in names if len(n) > 2
    )


def find_threads(
    index: IncidentIndex, as_of: date | None = None, lapse_days: int = DEFAULT_LAPSE_DAYS
) -> ThreadSet:
    """Every commitment thread among the incidents of ``index``, by first day.

    ``as_of`` defaults to the latest day of any incident.
    """
    if lapse_days < 0:
        raise ValueError(f"lapse_days must not be negative, got {lapse_days}")
    incidents = index.sorted_incidents()
    threads: dict[tuple[tuple[str, str], str], list[Thread]] = {}
    stepped: set[str] = set()
    for incident in incidents:
        rep = incident.representative()
        kind = step_kind(rep)
        if kind is None or kind[1] is None:
            continue
        step, obj = kind
        sources = _parties(rep.event, "source")
        targets = _parties(rep.event, "target")
        for source in sources:
            for target in targets:
                if source == target:
                    continue
                key = (tuple(sorted((source, target))), obj)
                chain = threads.setdefault(key, [])  # type: ignore[arg-type]
                current = chain[-1] if chain else None
                closed = current is not None and current.status(None, 0) != "open"
                if current is None or (closed and step in ("request", "promise")):
                    if step not in ("request", "promise"):
                        continue
                    current = Thread(key[0], obj)  # type: ignore[arg-type]
                    chain.append(current)
                current.steps.append(Step(step, incident, source))
                for party in key[0]:
                    current.names.setdefault(party, set()).update(_names(incident, party))
                stepped.add(incident.id)
    found = [t for chain in threads.values() for t in chain]
    _add_follow_ups(found, [i for i in incidents if i.id not in stepped])
    for thread in found:
        thread.steps.sort(key=Step.sort_key)
    found.sort(key=lambda t: (t.steps[0].sort_key(), t.id))
    if as_of is None:
        ends = [i.date_range()[1] for i in incidents]
        as_of = max((d for d in ends if d), default=None)
    return ThreadSet(found, as_of, lapse_days)


def _add_follow_ups(threads: list[Thread], incidents: list[Incident]) -> None:
    """Attach to each thread the incidents by one party that name the object and the other."""
    for incident in incidents:
        rep = incident.representative()
        if load_modality_groups().get(rep.modality) == "negated":
            continue
        day = incident.date_range()[0]
        for thread in threads:
            if (
                day is None
                or (day, incident.first_report().order_key()) <= thread.steps[0].sort_key()
            ):
                continue
            pattern = load_objects()[thread.object]
            if not pattern.search(rep.sentence):
                continue
            sources = set(_parties(rep.event, "source"))
            for party in thread.parties:
                other = thread.parties[1] if party == thread.parties[0] else thread.parties[0]
                if party in sources and _names_any(rep.sentence, thread.names.get(other, ())):
                    thread.steps.append(Step("follow-up", incident, party))
                    break
