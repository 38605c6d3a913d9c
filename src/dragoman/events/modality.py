"""Modality (did it happen, is it intended, alleged, denied?) and attribution (who says so).

Both are read off the path from the predicate up to the root of its sentence:
auxiliaries and negation on the predicate, control verbs ("vowed to release"),
reporting verbs ("the ministry said that ..."), "according to" phrases. The
words themselves come from the modality table of the lexicon.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from dragoman.events.arguments import (
    MentionIndex,
    infinitive_clause,
    prepositional_object,
    subject_of,
)
from dragoman.records import ActorRef

# When two cues disagree, the more cautious reading wins.
STRENGTH = {
    "asserted": 0,
    "reported": 1,
    "alleged": 2,
    "intended": 3,
    "hypothetical": 4,
    "negated": 5,
}
# Dependencies along which a predicate sits inside a larger frame.
EMBEDDING_DEPS = frozenset(
    {"xcomp", "ccomp", "conj", "parataxis", "advcl", "pcomp", "dep", "acomp"}
)


@dataclass
class Frame:
    """Modality and attribution of one predicate."""

    modality: str = "asserted"
    attribution: list[ActorRef] = field(default_factory=list)
    #: True when the negation is a refusal of a future act ("will not accept", "refused to
    #: meet"), which the codebook codes as a rejection; a denial or a plain negated past
    #: act ("did not attack") is not.
    refusal: bool = False
    negation_seen: bool = False
    intent_seen: bool = False
    #: True when the clause asks whether the act happens: its code stays the act's own
    #: (a question about an attack is no threat), its modality is hypothetical.
    question: bool = False
    #: Reporting verbs of the frame: (verb, the modality it gives, its speakers).
    reports: list[tuple[Token, str, list[ActorRef]]] = field(default_factory=list)

    def weaken(self, modality: str) -> None:
        if STRENGTH.get(modality, 0) > STRENGTH[self.modality]:
            self.modality = modality


def _local_cues(token: Token, lexicon, frame: Frame) -> None:
    """Negation and auxiliaries attached directly to ``token``."""
    negated = False
    future = False
    for child in token.children:
        lemma = child.lemma_.lower()
        if child.dep_ == "neg" or (child.dep_ == "det" and lemma == "no"):
            frame.weaken("negated")
            negated = True
        elif child.dep_ in ("aux", "auxpass"):
            entry = lexicon.modality(lemma)
            if entry is not None and entry.kind == "aux":
                frame.weaken(entry.modality)
                future = future or entry.modality in ("intended", "hypothetical")
    if negated:
        frame.negation_seen = True
    if future:
        frame.intent_seen = True
    frame.refusal = frame.refusal or (frame.negation_seen and frame.intent_seen)


def _according_to(token: Token, index: MentionIndex) -> list[ActorRef]:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "according":
            target = prepositional_object(child, "to") or next(
                (g for g in child.children if g.dep_ == "prep" and g.lower_ == "to"), None
            )
            if target is not None and target.dep_ == "prep":
                target = next((g for g in target.children if g.dep_ == "pobj"), None)
            if target is not None:
                return index.actors_of(target)
    return []


def read_frame(head: Token, lexicon, index: MentionIndex) -> Frame:
    """Modality and attribution for the predicate headed by ``head``."""
    frame = Frame()
    _local_cues(head, lexicon, frame)
    current = head
    visited = {head.i}
    while current.dep_ in EMBEDDING_DEPS and current.head.i not in visited:
        governor = current.head
        visited.add(governor.i)
        entry = (
            lexicon.modality(governor.lemma_.lower())
            if governor.pos_ in ("VERB", "AUX", "ADJ")
            else None
        )
        infinitive = infinitive_clause(current)
        if infinitive:
            # a purpose shares the fate of its act: "will visit X to mediate" is an intended
            # mediation, "met X to express gratitude" an expressed one
            _local_cues(governor, lexicon, frame)
        # a frame verb governs its complements, not the clauses beside it ("rejected the
        # proposal, urging ..." does not negate the urging); an infinitive the parser hung
        # on a control verb as an adverbial clause ("have sworn to fight") is its complement
        if entry is not None and (
            current.dep_ not in ("conj", "advcl") or (infinitive and entry.kind == "control")
        ):
            if entry.kind == "control":
                frame.weaken(entry.modality)
                frame.intent_seen = frame.intent_seen or entry.modality == "intended"
                frame.refusal = (
                    frame.refusal
                    or entry.modality == "negated"
                    or (frame.negation_seen and frame.intent_seen)
                )
                _local_cues(governor, lexicon, frame)
            elif entry.kind == "denial":
                frame.weaken("negated")
                _add_speaker(governor, index, frame)
            elif entry.kind == "speech":
                modality = entry.modality
                if modality == "hypothetical" and _told_as_done(current):
                    # "evidence suggests that the forces used excessive force": what an
                    # estimate or a hint says was done is alleged, not supposed
                    modality = "alleged"
                frame.weaken(modality)
                _local_cues_for_speech(governor, lexicon, frame)
                speakers = _add_speaker(governor, index, frame)
                frame.reports.append((governor, modality, speakers))
        current = governor
    if _yes_no_question(current):
        # "Did Russia attack the port?" asks whether it happened; "Why did Russia attack
        # the port?" takes it as known
        frame.weaken("hypothetical")
        frame.question = True
    for token in (head, current):
        for actor in _according_to(token, index):
            if actor not in frame.attribution:
                frame.attribution.append(actor)
                frame.weaken("reported")
    return frame


def _told_as_done(clause: Token) -> bool:
    """Whether a reported clause is in a past tense ("used", "has used", "had fired"), not
    one of what may be ("would use", "will use", "use")."""
    if clause.dep_ != "ccomp":
        return False
    auxiliaries = [c for c in clause.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == "MD" for a in auxiliaries):
        return False
    if clause.tag_ == "VBD":
        return True
    return clause.tag_ == "VBN" and any(a.lemma_ in ("have", "be") for a in auxiliaries)


def _local_cues_for_speech(governor: Token, lexicon, frame: Frame) -> None:
    # "did not say that ..." does not negate what follows, but "would say" makes it hypothetical.
    for child in governor.children:
        if child.dep_ == "aux":
            entry = lexicon.modality(child.lemma_.lower())
            if entry is not None and entry.modality == "hypothetical":
                frame.weaken("hypothetical")


def _add_speaker(verb: Token, index: MentionIndex, frame: Frame) -> list[ActorRef]:
    subject, passive = subject_of(verb)
    speakers = index.actors_of(subject) if subject is not None and not passive else []
    if not speakers and verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "obj"):
        # "released a statement saying ...": the statement's author speaks
        author, author_passive = subject_of(verb.head.head)
        if author is not None and not author_passive:
            speakers = index.actors_of(author)
    for actor in speakers:
        if actor not in frame.attribution:
            frame.attribution.append(actor)
    return speakers


WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})


def _yes_no_question(clause: Token) -> bool:
    """The clause ends its sentence with a question mark and asks no wh-question."""
    tail = [t for t in clause.sent if not t.is_space][-3:]
    if not any(t.text == "?" for t in tail):
        return False
    return not any(t.tag_ in WH_TAGS for t in clause.subtree)
