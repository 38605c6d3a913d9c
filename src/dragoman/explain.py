"""Why each word of an article was, or was not, coded as an event.

:func:`explain` runs the pipeline once over an article with the coder's trace on and
returns, sentence by sentence, one :class:`Candidate` per word that could denote an event:

* every predicate the lexicon matched, with the coder's verdict (``coded``, or why it was
  dropped: ``governed``, ``condition``, ``background``, ``no source``, ``no target``,
  ``nature``, ``implicit``), the lexicon row that matched and its alternatives, and the
  events it produced;
* every verb, and every noun in an argument slot (subject or object of a verb, object of a
  light verb), that no lexicon row matched: ``no row`` when its lemma starts no row at all,
  ``no match`` when rows exist for the lemma but their further words are not in the parse.

``dragoman explain`` renders the result; ``docs/explain.md`` says what each verdict means
and how to fix a miss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dragoman.events.arguments import agent_of, subject_of
from dragoman.events.predicates import PATTERN_CHILD_DEPS, Predicate, find_predicates

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from dragoman.pipeline import Pipeline
    from dragoman.records import ActorRef, Annotations, Article, Event, Place

#: Verdicts of the coder itself (see ``dragoman.events.coder.Verdict``).
CODED = "coded"
CODER_DROPS = (
    "governed",
    "condition",
    "background",
    "no source",
    "no target",
    "nature",
    "sense",
    "protest",
)
IMPLICIT = "implicit"
#: Verdicts added here.
NOT_KEPT = "not kept"
PROMISE = "promise"
NOT_WEIGHED = "not weighed"
SKIPPED = "skipped"
NO_MATCH = "no match"
NO_ROW = "no row"

#: Every verdict, with what it means in one line (the docs say more).
VERDICTS: dict[str, str] = {
    CODED: "coded as an event",
    "governed": "what a coded verb asks, threatens, offers or alleges, not an act done",
    "condition": "inside a condition or time limit (if, unless, until, before ...)",
    "background": "in a relative or 'since' clause that recalls what is known",
    "no source": "no actor did it, and it is not an act that may stand without one",
    "no target": "its row needs an actor acted upon and none fills a target slot",
    "nature": "a force of nature or an accident did it",
    "sense": "its object gives the verb another sense (senses.tsv): no event, or another code",
    "protest": "what a protest demands or condemns: the protest is the event",
    IMPLICIT: "a verb under 'must'/'should' that nobody is said to demand",
    NOT_KEPT: "coded, but its event gave way to the same event from another word, or to a "
    "quotation nobody is said to speak",
    PROMISE: "a promise of force: the threat it makes is coded on the promised act",
    NOT_WEIGHED: "matched a row, but the coder gave no verdict on it",
    SKIPPED: "the sentence is a headline or boilerplate: read for actors, not events",
    NO_MATCH: "rows exist for the lemma, but none has all its words attached here",
    NO_ROW: "no lexicon row for the lemma",
}

#: Noun dependencies that make a noun a candidate worth listing when no row matched it.
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj"})
#: How many rows of a lemma the text rendering names before "and N more".
ROWS_SHOWN = 6


@dataclass
class RowInfo:
    """One lexicon row, as the user would find it in the lexicon files."""

    #: ``verbs`` or ``nouns`` (the file the row lives in).
    table: str
    pattern: str
    cameo: str
    cameo_label: str
    target: list[str]
    flags: list[str]
    comment: str
    #: ``team`` (the team's own rows), ``imported`` (converted from another dictionary) or
    #: whatever the lexicon says about the row's origin.
    origin: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "pattern": self.pattern,
            "cameo": self.cameo,
            "cameo_label": self.cameo_label,
            "target": list(self.target),
            "flags": list(self.flags),
            "comment": self.comment,
            "origin": self.origin,
        }

    def describe(self) -> str:
        """``verbs.tsv 'hold talk' 040 Consult ... → prep:with [symmetric] (team)``."""
        slots = ", ".join(self.target) or "-"
        text = f"{self.table}.tsv '{self.pattern}' {self.cameo} {self.cameo_label} → {slots}"
        if self.flags:
            text += f" [{', '.join(self.flags)}]"
        if self.origin:
            text += f" ({self.origin})"
        if self.comment:
            text += f" # {self.comment}"
        return text


@dataclass
class EventSummary:
    """An event a candidate produced: what, who to whom, how sure and when."""

    plover: str | None
    plover_mode: str | None
    cameo: str
    cameo_label: str
    source: list[dict[str, Any]]
    target: list[dict[str, Any]]
    modality: str
    attribution: list[dict[str, Any]]
    date: str | None
    trigger: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "cameo": self.cameo,
            "cameo_label": self.cameo_label,
            "source": self.source,
            "target": self.target,
            "modality": self.modality,
            "attribution": self.attribution,
            "date": self.date,
            "trigger": self.trigger,
            "confidence": self.confidence,
        }


@dataclass
class Candidate:
    """A word that could denote an event, and what became of it."""

    text: str
    lemma: str
    #: ``verb`` or ``noun``.
    kind: str
    start: int
    end: int
    #: One of :data:`VERDICTS`.
    verdict: str
    detail: str
    #: The row that matched (the one the coder kept, among rows of the same words).
    row: RowInfo | None = None
    #: Other rows matching the same words.
    alternatives: list[RowInfo] = field(default_factory=list)
    events: list[EventSummary] = field(default_factory=list)
    #: For ``no match``: the rows of the lemma, none of which attached.
    rows: list[RowInfo] = field(default_factory=list)
    #: For verbs: the words hanging on the verb that a pattern could use ("talk (dobj)").
    attached: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "lemma": self.lemma,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "verdict": self.verdict,
            "detail": self.detail,
            "row": self.row.to_dict() if self.row else None,
            "alternatives": [r.to_dict() for r in self.alternatives],
            "events": [e.to_dict() for e in self.events],
            "rows": [r.to_dict() for r in self.rows],
            "attached": list(self.attached),
        }


@dataclass
class SentenceExplanation:
    """One sentence: its text, the actors available in it, and every candidate."""

    index: int
    text: str
    start: int
    end: int
    actors: list[dict[str, Any]]
    places: list[dict[str, Any]]
    candidates: list[Candidate]
    #: Why the sentence was not coded at all (headline, boilerplate), if so.
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "note": self.note,
            "actors": self.actors,
            "places": self.places,
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass
class ArticleExplanation:
    """An article's id and (possibly estimated) publication date, and its sentences."""

    article_id: str
    published: str | None
    published_estimated: bool
    sentences: list[SentenceExplanation]

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "published": self.published,
            "published_estimated": self.published_estimated,
            "sentences": [s.to_dict() for s in self.sentences],
        }


# -- public -------------------------------------------------------------------------------


def explain(pipeline: Pipeline, article: Article) -> list[SentenceExplanation]:
    """Every sentence of ``article`` with a verdict on each word that could be an event."""
    return explain_article(pipeline, article).sentences


def explain_article(pipeline: Pipeline, article: Article) -> ArticleExplanation:
    """:func:`explain` with the article's id and the publication date it was coded with."""
    doc, annotations, trace = pipeline.explain(article)
    article = annotations.article
    rows = _Rows(pipeline.coder.lexicon)
    verdicts = {(v.predicate.head.i, v.predicate.kind): v for v in trace}
    sentences = []
    for number, sentence in enumerate(doc_sentences(doc)):
        sentences.append(_sentence(number, sentence, article, annotations, rows, verdicts))
    return ArticleExplanation(
        article_id=article.id,
        published=article.published.isoformat() if article.published else None,
        published_estimated=article.published_estimated,
        sentences=sentences,
    )


# -- sentences ----------------------------------------------------------------------------


def _sentence(
    number: int,
    sentence: Span,
    article: Article,
    annotations: Annotations,
    rows: _Rows,
    verdicts: dict[tuple[int, str], Any],
) -> SentenceExplanation:
    lexicon = rows.lexicon
    shown = _shown(article, sentence.start_char, sentence.end_char)
    start, end = _stripped(shown, 0, len(shown))
    text = shown[start:end]
    start, end = start + sentence.start_char, end + sentence.start_char
    inside = [a for a in annotations.actors if start <= a.start < end]
    places = [p for p in annotations.places if start <= p.start < end]
    events = [e for e in annotations.events if start <= e.evidence.trigger_start < end]
    note = _skip_reason(sentence, article)

    # the coder's own predicates first (it may have chosen another of the same words' rows),
    # then those found but given no verdict, then the implicit ones only the coder finds
    found = find_predicates(sentence, lexicon)
    predicates: dict[tuple[int, str], tuple[Predicate, Any]] = {}
    for predicate in found:
        key = (predicate.head.i, predicate.kind)
        verdict = verdicts.get(key)
        predicates[key] = (verdict.predicate if verdict else predicate, verdict)
    for key, verdict in verdicts.items():
        if sentence.start <= key[0] < sentence.end and key not in predicates:
            predicates[key] = (verdict.predicate, verdict)

    used: set[int] = set()
    candidates: list[tuple[int, Candidate]] = []
    claimed: set[int] = set()
    for predicate, verdict in predicates.values():
        used.update(t.i for t in predicate.tokens)
        candidate = _predicate_candidate(predicate, verdict, note, events, claimed, article, rows)
        candidates.append((predicate.head.i, candidate))

    # events whose trigger is no predicate's words: a speaker's report of another event
    reports = {i: e for i, e in enumerate(events) if i not in claimed}
    mentioned = _mention_tokens(sentence, inside)
    # light verbs handing their subject to a noun event in their object ("held a rally")
    carried = {
        p.head.head.i: p
        for p, _ in predicates.values()
        if p.kind == "noun"
        and p.head.dep_ in ("dobj", "obj")
        and p.head.head.lemma_.lower() in lexicon.light_verbs
    }
    for token in sentence:
        if token.i in used or token.is_space:
            continue
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and lexicon.verb_entries(token.lemma_)):
            if token.pos_ == "AUX" and token.dep_ in ("aux", "auxpass"):
                continue
            report = [e for e in reports.values() if e.evidence.trigger_start == token.idx]
            claimed.update(i for i, e in reports.items() if e.evidence.trigger_start == token.idx)
            candidate = _verb_candidate(token, article.text, rows, carried.get(token.i), report)
            candidates.append((token.i, candidate))
        elif token.pos_ == "NOUN":
            candidate = _noun_candidate(token, article.text, rows, mentioned)
            if candidate is not None:
                candidates.append((token.i, candidate))
    for i, event in enumerate(events):
        if i not in claimed:
            # an event on words no candidate covers: shown rather than lost
            candidates.append((_token_at(sentence, event), _stray(event)))
    candidates.sort(key=lambda pair: pair[0])
    return SentenceExplanation(
        index=number,
        text=text,
        start=start,
        end=end,
        actors=[_actor(a) for a in inside],
        places=[_place(p) for p in places],
        candidates=[c for _, c in candidates],
        note=note,
    )


def _shown(article: Article, start: int, end: int) -> str:
    """The sentence as analysed: the article's text with boilerplate blanked."""
    chars = list(article.text[start:end])
    for b_start, b_end in article.boilerplate:
        for i in range(max(b_start, start), min(b_end, end)):
            if chars[i - start] not in "\r\n":
                chars[i - start] = " "
    return "".join(chars)


def _token_at(sentence: Span, event: Event) -> int:
    for token in sentence:
        if token.idx >= event.evidence.trigger_start:
            return token.i
    return sentence.end


def _stray(event: Event) -> Candidate:
    evidence = event.evidence
    return Candidate(
        text=evidence.trigger,
        lemma=evidence.trigger.lower(),
        kind="verb",
        start=evidence.trigger_start,
        end=evidence.trigger_end,
        verdict=CODED,
        detail="an event of the coder on words that are no predicate of the lexicon",
        events=[_summary(event)],
    )


def _skip_reason(sentence: Span, article: Article) -> str | None:
    """Why the coder reads no events in ``sentence`` (as the coder decides it)."""
    if article.title_span is not None:
        t_start, t_end = article.title_span
        if sentence.start_char < t_end and sentence.end_char > t_start:
            return "headline: read for actors, not for events"
    words = [t for t in sentence if not t.is_space]
    if words and all(article.in_boilerplate(t.idx, t.idx + len(t.text)) for t in words):
        return "boilerplate (date line, credit, copyright): kept out of the analysis"
    return None


def _mention_tokens(sentence: Span, mentions: list[ActorRef]) -> set[int]:
    covered = set()
    for token in sentence:
        end = token.idx + len(token.text)
        if any(m.start < end and token.idx < m.end for m in mentions):
            covered.add(token.i)
    return covered


# -- candidates ---------------------------------------------------------------------------


def _predicate_candidate(
    predicate: Predicate,
    verdict,
    note: str | None,
    events: list[Event],
    claimed: set[int],
    article: Article,
    rows: _Rows,
) -> Candidate:
    start, end = predicate.trigger_span
    entry = predicate.entry
    row = None if predicate.implicit else rows.row(entry, predicate.kind)
    others = [e for e in predicate.alternatives if e is not entry]
    candidate = Candidate(
        text=article.text[start:end],
        lemma=predicate.head.lemma_.lower(),
        kind=predicate.kind,
        start=start,
        end=end,
        verdict=NO_ROW,
        detail="",
        row=row,
        alternatives=[rows.row(e, predicate.kind) for e in others],
    )
    if note is not None:
        candidate.verdict, candidate.detail = SKIPPED, note
        return candidate
    if verdict is None:
        # found by the lexicon but never weighed: a bare promise that gives way to the act
        # it promises ("pledged to kill" is a threat to kill)
        if _promising(predicate, rows.lexicon):
            candidate.verdict, candidate.detail = PROMISE, VERDICTS[PROMISE]
        else:
            candidate.verdict, candidate.detail = NOT_WEIGHED, VERDICTS[NOT_WEIGHED]
        return candidate
    candidate.verdict = verdict.outcome
    if verdict.outcome == CODED:
        mine = [
            i
            for i, e in enumerate(events)
            if (e.evidence.trigger_start, e.evidence.trigger_end) == (start, end)
        ]
        claimed.update(mine)
        candidate.events = [_summary(events[i]) for i in mine]
        if not mine:
            candidate.verdict = NOT_KEPT
            candidate.detail = VERDICTS[NOT_KEPT]
        else:
            candidate.detail = f"modality: {verdict.detail}"
        if predicate.implicit:
            candidate.detail += "; no lexicon row: a verb under 'must' in reported speech"
        return candidate
    candidate.detail = _why_dropped(predicate, verdict)
    return candidate


def _promising(predicate: Predicate, lexicon) -> bool:
    """A bare verb of promise with a clause of what it promises."""
    frame = lexicon.modality(predicate.head.lemma_.lower())
    return (
        predicate.kind == "verb"
        and len(predicate.entry.words) == 1
        and frame is not None
        and frame.kind == "control"
        and frame.modality == "intended"
        and any(c.dep_ in ("xcomp", "advcl", "ccomp") for c in predicate.head.children)
    )


def _why_dropped(predicate: Predicate, verdict) -> str:
    """The coder's reason, with the words of the parse it rests on."""
    head = predicate.head
    detail = verdict.detail
    if verdict.outcome == "governed":
        return f"{detail}: under '{head.head.text}' ({head.dep_})"
    if verdict.outcome in ("condition", "background"):
        clause = _clause_of(head)
        return f"{detail}: {clause}" if clause else detail
    if verdict.outcome == "no source":
        return f"{detail}; {_subject_words(predicate)}"
    if verdict.outcome == "no target":
        slots = ", ".join(predicate.entry.target_slots) or "-"
        flags = getattr(predicate.entry, "flags", ())
        extra = " (the row is flagged dyadic)" if "dyadic" in flags else ""
        return f"{detail}: no actor in {slots}{extra}"
    return detail


def _clause_of(token: Token) -> str | None:
    """The subordinate clause ``token`` lies in: "the 'if' clause of 'fail'", "the relative
    clause of 'invaded' on 'Israel'"."""
    current = token
    while current.head.i != current.i:
        marks = [c.lower_ for c in current.children if c.dep_ in ("mark", "advmod")]
        if current.dep_ == "advcl" and marks:
            return f"in the '{marks[0]}' clause of '{current.text}'"
        if current.dep_ in ("relcl", "acl"):
            kind = "relative clause" if current.dep_ == "relcl" else "clause"
            return f"in the {kind} of '{current.text}' on '{current.head.text}'"
        current = current.head
    return None


def _subject_words(predicate: Predicate) -> str:
    head = predicate.head
    if predicate.kind == "noun":
        if head.dep_ == "ROOT":
            return "the noun heads its sentence, with no 'by' phrase or possessor naming an actor"
        return (
            f"'{head.text}' is the {head.dep_} of '{head.head.text}': no light verb's subject, "
            "'by' phrase or possessor names who did it"
        )
    subject, passive = subject_of(head)
    if passive:
        agent = agent_of(head)
        if agent is None:
            return "passive with no 'by' agent"
        return f"the agent '{_phrase(agent)}' is no known actor"
    if subject is None:
        return "the verb has no subject"
    return f"the subject '{_phrase(subject)}' is no known actor"


def _phrase(token: Token) -> str:
    """The words of ``token``'s noun phrase (its left modifiers and itself)."""
    left = [t for t in token.lefts if t.dep_ not in ("punct", "cc")]
    words = [*left, token]
    return token.doc[words[0].i : token.i + 1].text


def _verb_candidate(
    token: Token, text: str, reader: _Rows, carried: Predicate | None, report: list[Event]
) -> Candidate:
    lexicon = reader.lexicon
    lemma = token.lemma_.lower()
    rows = [reader.row(e, "verb") for e in lexicon.verb_entries(lemma)]
    attached = [
        f"{c.lemma_.lower()} ({c.dep_})" for c in token.children if c.dep_ in PATTERN_CHILD_DEPS
    ]
    candidate = Candidate(
        text=text[token.idx : token.idx + len(token)],
        lemma=lemma,
        kind="verb",
        start=token.idx,
        end=token.idx + len(token.text),
        verdict=NO_MATCH if rows else NO_ROW,
        detail="",
        rows=rows,
        attached=attached,
    )
    notes = []
    if rows:
        patterns = ", ".join(r.pattern for r in rows[:ROWS_SHOWN])
        more = f" and {len(rows) - ROWS_SHOWN} more" if len(rows) > ROWS_SHOWN else ""
        notes.append(f"rows exist for '{lemma}' but none matched: {patterns}{more}")
    else:
        notes.append(f"no lexicon row for lemma '{lemma}'")
    if carried is not None:
        notes.append(f"light verb carrying the noun event '{carried.head.text}'")
    elif lemma in lexicon.light_verbs:
        notes.append("a light verb: it hands its subject to a noun event in its object")
    frame = lexicon.modality(lemma)
    if frame is not None:
        notes.append(
            f"a {frame.kind} word in modality.tsv: it frames the events under it as "
            f"{frame.modality}"
        )
    if report:
        # a speaker's report of another event is an event of its own (a claim accuses)
        candidate.verdict = CODED
        candidate.events = [_summary(e) for e in report]
        notes.insert(0, "the speaker's report of the event it frames")
    candidate.detail = "; ".join(notes)
    return candidate


def _noun_candidate(
    token: Token, text: str, reader: _Rows, mentioned: set[int]
) -> Candidate | None:
    """A noun no row matched, when it is worth naming: its lemma heads rows that need
    other modifiers, or it stands in an argument slot of a verb (not as an actor)."""
    lexicon = reader.lexicon
    lemma = token.lemma_.lower()
    rows = [reader.row(e, "noun") for e in lexicon.noun_entries(lemma)]
    head = token.head
    in_slot = (token.dep_ in ARGUMENT_DEPS and head.pos_ in ("VERB", "AUX")) or (
        token.dep_ == "pobj"
        and head.dep_ == "prep"
        and head.head.lemma_.lower() in lexicon.light_verbs
    )
    if not rows and (not in_slot or token.i in mentioned):
        return None
    candidate = Candidate(
        text=text[token.idx : token.idx + len(token)],
        lemma=lemma,
        kind="noun",
        start=token.idx,
        end=token.idx + len(token.text),
        verdict=NO_MATCH if rows else NO_ROW,
        detail="",
        rows=rows,
        attached=[
            f"{c.lemma_.lower()} ({c.dep_})"
            for c in token.children
            if c.dep_ in ("compound", "amod", "nmod")
        ],
    )
    role = f"{token.dep_} of '{head.text}'"
    if rows:
        patterns = ", ".join(r.pattern for r in rows[:ROWS_SHOWN])
        more = f" and {len(rows) - ROWS_SHOWN} more" if len(rows) > ROWS_SHOWN else ""
        candidate.detail = f"rows exist for '{lemma}' but none matched: {patterns}{more}"
    else:
        candidate.detail = f"no lexicon row for lemma '{lemma}' ({role})"
    return candidate


# -- records ------------------------------------------------------------------------------


class _Rows:
    """Lexicon rows as :class:`RowInfo`, each said to be the team's or imported when the
    lexicon tells them apart."""

    def __init__(self, lexicon) -> None:
        self.lexicon = lexicon
        self.tells_origin = hasattr(lexicon, "imported_verbs") or hasattr(lexicon, "imported_nouns")
        self.imported: set = set()
        for name in ("imported_verbs", "imported_nouns"):
            for entry in getattr(lexicon, name, None) or ():
                try:
                    self.imported.add(entry)
                except TypeError:  # an unhashable row cannot be looked up; call it the team's
                    continue

    def origin(self, entry) -> str | None:
        """``imported``, ``team``, or None when the lexicon does not say."""
        for name in ("origin", "provenance"):
            value = getattr(entry, name, None)
            if isinstance(value, str) and value:
                return value
        flag = getattr(entry, "imported", None)
        if isinstance(flag, bool):
            return "imported" if flag else "team"
        if not self.tells_origin:
            return None
        try:
            return "imported" if entry in self.imported else "team"
        except TypeError:
            return "team"

    def row(self, entry, kind: str) -> RowInfo:
        from dragoman.ontology import cameo_entry

        try:
            label = cameo_entry(entry.cameo).label
        except KeyError:
            label = ""
        origin = self.origin(entry)
        table = "verbs" if kind == "verb" else "nouns"
        if origin == "imported":
            table = f"imported/{table}"
        return RowInfo(
            table=table,
            pattern=" ".join(entry.words),
            cameo=entry.cameo,
            cameo_label=label,
            target=[slot for slot in entry.target_slots if slot != "-"],
            flags=sorted(getattr(entry, "flags", ()) or ()),
            comment=getattr(entry, "comment", "") or "",
            origin=origin,
        )


def _actor(actor: ActorRef) -> dict[str, Any]:
    out = {"text": actor.text, "name": actor.name, "code": actor.code, "kind": actor.kind}
    if actor.antecedent:
        out["antecedent"] = actor.antecedent
    return out


def _place(place: Place) -> dict[str, Any]:
    return {"text": place.text, "name": place.name, "country": place.country}


def _summary(event: Event) -> EventSummary:
    return EventSummary(
        plover=event.plover,
        plover_mode=event.plover_mode,
        cameo=event.cameo,
        cameo_label=event.cameo_label,
        source=[_actor(a) for a in event.source],
        target=[_actor(a) for a in event.target],
        modality=event.modality,
        attribution=[_actor(a) for a in event.attribution],
        date=event.date,
        trigger=event.evidence.trigger,
        confidence=round(event.confidence, 3),
    )


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def doc_sentences(doc: Doc) -> list[Span]:
    """The sentences :func:`explain` reports on, in order (those with any text)."""
    return [s for s in doc.sents if s.text.strip()]


# -- terminal rendering -------------------------------------------------------------------

#: Colour of each verdict in the terminal.
VERDICT_STYLES: dict[str, str] = {
    CODED: "bold green",
    NOT_KEPT: "yellow",
    "governed": "yellow",
    "condition": "yellow",
    "background": "yellow",
    PROMISE: "yellow",
    "no source": "red",
    "no target": "red",
    "nature": "red",
    "sense": "yellow",
    "protest": "yellow",
    NOT_WEIGHED: "yellow",
    IMPLICIT: "red",
    NO_MATCH: "magenta",
    NO_ROW: "bright_black",
    SKIPPED: "bright_black",
}


def render(explanation: ArticleExplanation):
    """The article as Rich renderables: one panel per sentence (its text, the actors in it,
    then one line per candidate with its verdict coloured, and the events and rows below)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    published = explanation.published or "unknown"
    if explanation.published_estimated:
        published += " (estimated)"
    blocks = []
    for sentence in explanation.sentences:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, min_width=max(len(v) for v in VERDICTS))
        grid.add_column(overflow="fold")
        actors = ", ".join(_actor_text(a) for a in sentence.actors) or "none found"
        grid.add_row(Text("actors", style="cyan"), actors)
        if sentence.places:
            where = ", ".join(f"{p['text']} ({p['country'] or '?'})" for p in sentence.places)
            grid.add_row(Text("places", style="green"), where)
        if sentence.note:
            grid.add_row(Text(SKIPPED, style=VERDICT_STYLES[SKIPPED]), sentence.note)
        if not sentence.candidates:
            grid.add_row("", Text("no verb and no event noun here", style="bright_black"))
        for candidate in sentence.candidates:
            _candidate_rows(grid, candidate)
        title = (
            f"{explanation.article_id} · sentence {sentence.index + 1} · "
            f"chars {sentence.start}-{sentence.end} · published {published}"
        )
        body = Group(Text(sentence.text, style="bold"), grid)
        blocks.append(Panel(body, title=title, title_align="left"))
    if not blocks:
        blocks.append(Text(f"{explanation.article_id}: no sentence to explain"))
    return Group(*blocks)


def _candidate_rows(grid, candidate: Candidate) -> None:
    from rich.text import Text

    style = VERDICT_STYLES.get(candidate.verdict, "")
    grid.add_row(
        Text(candidate.verdict, style=style),
        Text.assemble(
            (candidate.text, "bold"),
            (f"  {candidate.kind} '{candidate.lemma}'", "bright_black"),
            "  ",
            candidate.detail,
        ),
    )
    for event in candidate.events:
        grid.add_row("", Text.assemble(("  event ", "green"), _event_text(event)))
    if candidate.row is not None:
        grid.add_row("", Text.assemble(("  row   ", "cyan"), candidate.row.describe()))
    for other in candidate.alternatives:
        grid.add_row("", Text.assemble(("  also  ", "cyan"), other.describe()))
    if candidate.verdict in (NO_MATCH, NO_ROW) and candidate.attached:
        words = ", ".join(candidate.attached)
        grid.add_row("", Text.assemble(("  words attached here: ", "magenta"), words))


def _actor_text(actor: dict[str, Any]) -> str:
    name = actor.get("name") or actor.get("text") or "?"
    text = f"{name} {actor.get('code') or ''}".strip()
    if actor.get("antecedent"):
        text += f" (= {actor['antecedent']})"
    return text


def _event_text(event: EventSummary) -> str:
    source = ", ".join(_actor_text(a) for a in event.source) or "(unnamed)"
    target = ", ".join(_actor_text(a) for a in event.target) or "(none)"
    modality = event.modality
    if event.attribution:
        modality += " per " + ", ".join(_actor_text(a) for a in event.attribution)
    return (
        f"{event.plover or '-'} {event.cameo} {event.cameo_label}: {source} → {target} · "
        f"{modality} · {event.date or 'undated'} · confidence {event.confidence}"
    )
