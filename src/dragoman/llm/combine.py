"""The rules' events and the model's, made one list by a policy.

Two events agree when they are in the same sentence and of the same PLOVER type (the
same CAMEO root for statements, which PLOVER does not code). An agreed event is kept
once, as the rules coded it (their evidence is the parse), marked ``coder="both"``.

``union`` keeps every rule event and adds the model's events the rules did not find;
``intersection`` keeps only the events both coders found; ``rules-first`` adds the
model's events only in sentences where the rules found none. In a sentence both coders
read, each event says whether the other coder agreed (``coders_agree``).
"""

from __future__ import annotations

import dataclasses

from dragoman.records import Event


def event_kind(event: Event) -> str:
    """What two coders must agree on: the PLOVER type, else the CAMEO root."""
    return event.plover or f"CAMEO {event.cameo[:2]}"


def _sentence_of(event: Event, sentences: list[tuple[int, int]]) -> int | None:
    trigger = event.evidence.trigger_start
    for number, (start, end) in enumerate(sentences):
        if start <= trigger < end:
            return number
    return None


def combine(
    rules: list[Event],
    model: list[Event],
    asked: list[tuple[int, int]],
    policy: str,
) -> list[Event]:
    """One list of events from the rules' and the model's, in text order.

    ``asked`` holds the (start, end) offsets of the sentences the model answered: a
    rule event elsewhere was seen by the rules only, and its agreement is unknown."""
    model_kinds: dict[int, set[str]] = {}
    for event in model:
        number = _sentence_of(event, asked)
        if number is not None:
            model_kinds.setdefault(number, set()).add(event_kind(event))
    rule_kinds: dict[int, set[str]] = {}
    kept: list[Event] = []
    for event in rules:
        number = _sentence_of(event, asked)
        if number is None:
            if policy != "intersection":
                kept.append(event)
            continue
        rule_kinds.setdefault(number, set()).add(event_kind(event))
        agreed = event_kind(event) in model_kinds.get(number, set())
        if agreed or policy != "intersection":
            kept.append(
                dataclasses.replace(event, coder="both" if agreed else "rules", coders_agree=agreed)
            )
    if policy != "intersection":
        for event in model:
            number = _sentence_of(event, asked)
            theirs = rule_kinds.get(number, set()) if number is not None else set()
            if event_kind(event) in theirs:
                continue  # kept once, as the rules coded it
            if policy == "rules-first" and theirs:
                continue
            kept.append(dataclasses.replace(event, coder="llm", coders_agree=False))
    kept.sort(key=lambda e: (e.evidence.trigger_start, e.evidence.trigger_end))
    return kept
