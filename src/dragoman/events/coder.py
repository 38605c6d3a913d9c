"""The event coder: predicates from the lexicon, roles from the parse, codes from the ontology."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dragoman.events.arguments import (
    CLAUSE_BOUNDARIES,
    MentionIndex,
    agent_of,
    infinitive_clause,
    listed_gerund,
    noun_rooted_predicate,
    object_of,
    prepositional_object,
    subject_of,
)
from dragoman.events.dating import date_event
from dragoman.events.headlines import HeadlineReader, hint_parse, known_verbs
from dragoman.events.modality import read_frame
from dragoman.events.predicates import Predicate, find_predicates, match_verb
from dragoman.events.quotes import Quotation, find_quotations, first_person_mentions
from dragoman.nlp_text import doc_text
from dragoman.ontology import VerbEntry, condition_code, deontic_code, modal_code, speech_code
from dragoman.ontology.discards import Discards
from dragoman.ontology.gatherings import load_gatherings
from dragoman.ontology.non_agents import lemmas_of, load_non_agents, load_undergoing_verbs
from dragoman.ontology.senses import Senses
from dragoman.records import ActorRef, Article, Event, Evidence, Place, TimeExpr

# Subordinators of conditions and time limits: what they introduce has not happened.
CONDITION_MARKERS = frozenset({"if", "unless", "until", "before", "once", "whether", "lest"})
# Subordinators of time clauses that recall earlier events.
BACKGROUND_MARKERS = frozenset({"after", "when", "since", "while", "as"})
# Of these, the one whose clause recalls a state of affairs rather than telling an event
# of its own: "after a jet shot down a helicopter", "as police fired tear gas" are events
# (dated by their own words), "since the war began" is background.
RECALLING_MARKERS = frozenset({"since"})
# Roots of material acts (QuadClass 2 and 4): done, not said.
MATERIAL_ROOTS = frozenset({"06", "07", "08", "09", "15", "16", "17", "18", "19", "20"})
# Codes whose pattern object is the actor's own forces ("deployed troops", "withdrew its
# troops"): mobilisation (15) and military de-escalation (087).
OWN_FORCES_CODES = ("15", "087")
# Roots of acts reported as news even when their author is unnamed: protest (14),
# mobilisation (15), coercion (17), assault (18), fighting (19), mass violence (20).
UNATTRIBUTED_ROOTS = frozenset({"14", "15", "17", "18", "19", "20"})
# Nouns that count or group events, standing in their place in the clause.
QUANTITY_NOUNS = frozenset(
    {
        "dozen",
        "dozens",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "score",
        "scores",
        "series",
        "wave",
        "spate",
        "string",
        "round",
        "number",
        "lot",
        "flurry",
        "volley",
    }
)
# Prepositions that give a nominal act what it is aimed at, for its sense (senses.tsv).
SENSE_PREPOSITIONS = ("against", "on")
# Roots of what a protest says: appeals, demands, disapproval, rejection.
PROTEST_CONTENT_ROOTS = frozenset({"02", "10", "11", "12"})
# Acts whose stated aims are what they are about: protests, threats ("would blockade the
# capital to demand an end to the reform") and blockades.
PROTEST_ROOTS = ("13", "14", "191")
# Prepositions that put the stance of a protest as its manner: "in defiance of", "in
# protest at", "in solidarity with".
PROTEST_MANNER_PREPOSITIONS = frozenset({"in"})
# A nominal act's place in the clause of a verb telling the same act ("the bomb killed").
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj"})
# Claims and denials of responsibility: the modality they give the act they are about.
RESPONSIBILITY_CODES = {"015": "reported", "016": "negated"}
# Prepositions introducing the cause of a harm ("killed in a landslide", "during a fire").
CAUSE_PREPOSITIONS = frozenset({"in", "by", "during", "from", "after"})
# Roots of nominal acts whose nationality adjective names their author ("Israeli strikes").
NATIONAL_ACT_ROOTS = frozenset({"14", "15", "18", "19", "20"})
# Prepositions introducing the occasion of an act ("in a phone call with", "during talks").
CIRCUMSTANCE_PREPOSITIONS = frozenset({"in", "during", "at", "with", "through", "via", "over"})

PlaceFinder = Callable[[Token, list[Place]], Place | None]


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What the coder made of one predicate: ``coded`` (detail: the modalities), or why
    not: ``governed``, ``condition``, ``background``, ``no source``, ``no target``,
    ``nature`` or ``implicit``."""

    predicate: Predicate
    outcome: str
    detail: str


def _same_actor(a: ActorRef, b: ActorRef) -> bool:
    return a.code == b.code and a.name == b.name


def _excluding(actors: list[ActorRef], others: list[ActorRef]) -> list[ActorRef]:
    """``actors`` without any who are also among ``others``."""
    return [a for a in actors if not any(_same_actor(a, o) for o in others)]


def _unique(actors: list[ActorRef]) -> list[ActorRef]:
    out: list[ActorRef] = []
    for actor in actors:
        if not any(_same_actor(actor, seen) for seen in out):
            out.append(actor)
    return out


class EventCoder:
    """Turns one parsed article with its actors, times and places into events."""

    def __init__(
        self,
        lexicon,
        cameo_entry: Callable,
        place_finder: PlaceFinder | None = None,
        non_agents: dict[str, str] | None = None,
        senses: Senses | None = None,
        actor_words: Callable[[str], tuple[str, str] | None] | None = None,
        discards: Discards | None = None,
        gatherings: dict[str, str | None] | None = None,
        parse: Language | None = None,
    ):
        self.lexicon = lexicon
        self.cameo_entry = cameo_entry
        self.place_finder = place_finder
        kinds = load_non_agents() if non_agents is None else non_agents
        self.non_agents = lemmas_of(kinds, "nature", "accident")
        #: Verbs whose subject undergoes a nominal act of their phrase ("died in air strikes")
        self.undergoing = load_undergoing_verbs()
        self.uncertain = lemmas_of(kinds, "uncertain")
        self.weapons = lemmas_of(kinds, "weapon")
        self.senses = senses or Senses.load()
        #: A word for a kind of actor ("police") -> (label, sector), from the knowledge base.
        self.actor_words = actor_words
        #: Phrases of sports, entertainment and the like: no political news there.
        self.discards = discards or Discards.load()
        self.gatherings = load_gatherings() if gatherings is None else gatherings
        #: Re-reads headline clauses the parser took for noun phrases, with ``parse`` (the
        #: pipeline that parsed the Doc); none without it.
        self.headlines = (
            HeadlineReader(lexicon, hint_parse(parse), verbs=known_verbs(parse))
            if parse is not None
            else None
        )

    # -- public -----------------------------------------------------------------------------
    def code(
        self,
        doc: Doc,
        article: Article,
        mentions: list[ActorRef],
        times: list[TimeExpr],
        places: list[Place],
        trace: list[Verdict] | None = None,
    ) -> list[Event]:
        """All events of the article, in text order, duplicates within a sentence merged.

        With ``trace``, one :class:`Verdict` per predicate found is appended to it: whether
        it was coded and, when not, why (this is what ``dragoman explain`` shows)."""
        self._trace = trace
        if self.discards.in_story(doc_text(doc)):
            return []
        index = MentionIndex(
            doc, mentions, article.text, [_place_actor(p) for p in places if p.country]
        )
        if self.headlines is not None:
            self.headlines.read(doc, self._names_actor(index), lambda s: self._skipped(s, article))
        quotations = find_quotations(doc, self.lexicon, index)
        index.add(first_person_mentions(doc, quotations, mentions, article.text))
        events: list[Event] = []
        for sentence in doc.sents:
            if self._skipped(sentence, article):
                continue
            for event in self._code_sentence(doc, sentence, article, index, times, places):
                if _crosses_unattributed_quotation(event, quotations):
                    continue
                _attribute_quotation(event, quotations)
                events.append(event)
        return events

    def _names_actor(self, index: MentionIndex) -> Callable[[Token], bool]:
        """Whether a token ends an actor mention, or is a word for a kind of actor
        ("police") that the recogniser left unnamed. A word inside a longer mention does
        not ("Security" in "Security Forces Arrest Protesters")."""

        def names_actor(token: Token) -> bool:
            mentions = index.at(token)
            if mentions:
                return any(m.end == token.idx + len(token) for m in mentions)
            return self.actor_words is not None and self.actor_words(token.lower_) is not None

        return names_actor

    # -- sentences ------------------------------------------------------------------------------
    @staticmethod
    def _skipped(sentence: Span, article: Article) -> bool:
        if article.title_span is not None:
            t_start, t_end = article.title_span
            if sentence.start_char < t_end and sentence.end_char > t_start:
                return True
        if not sentence.text.strip():
            return True
        return article.in_boilerplate(sentence.start_char, sentence.end_char) and all(
            article.in_boilerplate(t.idx, t.idx + len(t.text)) for t in sentence if not t.is_space
        )

    def _code_sentence(self, doc, sentence, article, index, times, places) -> list[Event]:
        predicates = self._in_their_sense(find_predicates(sentence, self.lexicon), index)
        predicates = self._promises_of_force(predicates)
        predicates = [p for p in predicates if not self._other_sense_of_dyadic(p, index)]
        predicates += self._implicit_demands(sentence, {p.head.i for p in predicates})
        predicates += self._gatherings_of_protesters(sentence, {p.head.i for p in predicates})
        # heads whose complements are what they demand, threaten or offer, not facts
        verb_heads = {
            p.head.i for p in predicates if p.kind == "verb" or p.cameo[:2] in ("02", "10")
        }
        # heads of requests, demands and threats: what their infinitives say is wanted
        asking = {p.head.i for p in predicates if p.cameo[:2] in ("02", "10", "13")}
        # "reiterated its demand that Israel ease ...": the parse hangs the clause demanded
        # on the light verb carrying the demand
        carriers = {
            carrier.i
            for p in predicates
            if p.kind == "noun"
            and p.cameo[:2] in ("02", "10")
            and (carrier := self._carrier_verb(p.head)) is not None
        }
        # "blocked roads demanding his reinstatement", "staged a strike to demand wages": what
        # a protest demands or condemns is what the protest is about, not a second event
        protests = {p.head.i for p in predicates if p.cameo.startswith(PROTEST_ROOTS)}
        claims = self._responsibility_claims(predicates, index)
        found: dict[tuple, Event] = {}
        heads: dict[int, Token] = {}
        for predicate in predicates:
            if self._governed_by_coded_verb(predicate, verb_heads, carriers, asking):
                self._note(predicate, "governed", "what a coded verb asks, threatens or alleges")
                continue
            if _in_condition(predicate.head):
                self._note(predicate, "condition", "inside a condition or a time limit")
                continue
            if (
                predicate.cameo[:2] in PROTEST_CONTENT_ROOTS or _deontic(predicate.head)
            ) and self._protest_content(predicate.head, protests):
                self._note(predicate, "protest", "what the protest demands or condemns")
                continue
            if _in_background(predicate.head) and not self._event_purpose(predicate.head):
                self._note(predicate, "background", "a relative or 'since' clause recalls it")
                continue
            coded = self._code_predicate(
                doc,
                sentence,
                article,
                predicate,
                index,
                times,
                places,
                claims.get(predicate.head.i),
            )
            if coded:
                self._note(predicate, "coded", ", ".join(sorted({e.modality for e in coded})))
            for event in coded:
                key = (
                    event.cameo[:3],
                    tuple(sorted(a.code + a.name for a in event.source)),
                    tuple(sorted(a.code + a.name for a in event.target)),
                )
                if key not in found or found[key].confidence < event.confidence:
                    found[key] = event
                    heads[id(event)] = predicate.head
        kept = self._one_act_told_twice(list(found.values()), heads)
        return sorted(kept, key=lambda e: e.evidence.trigger_start)

    def _governed_by_coded_verb(
        self, predicate: Predicate, verb_heads: set[int], carriers: set[int], asking: set[int]
    ) -> bool:
        """'threatened to attack', 'demanded that X withdraw', 'accused X of violating': the
        governing verb is the event; what it governs was threatened, demanded or alleged,
        not done. Reporting verbs ('said that X attacked') are frames, not such events."""
        head = listed_gerund(predicate.head)
        while head.dep_ == "conj" and head.head.i != head.i:
            # "accused X of violating rights and ignoring the law": both are alleged
            head = head.head
        governor = head.head
        if head.dep_ == "pcomp" and governor.dep_ == "prep":
            if governor.lower_ in BACKGROUND_MARKERS | CONDITION_MARKERS | {"following", "upon"}:
                # "pushed into the town after killing ten soldiers": a time, not a complement
                return False
            governor = governor.head
        elif infinitive_clause(head):
            # "called on Arabs to unite": asked for; "opened fire to disperse them": a
            # material act set as the aim of another; but "met ... to express gratitude"
            # did express it in the meeting
            return governor.i in asking or (
                governor.i in verb_heads and predicate.cameo[:2] in MATERIAL_ROOTS
            )
        elif head.dep_ not in ("xcomp", "ccomp", "acl") and not _for_to_clause(head):
            return False
        if governor.i in carriers:
            return True
        if governor.i not in verb_heads:
            return False
        entry = self.lexicon.modality(governor.lemma_.lower())
        return entry is None or entry.kind not in ("speech", "denial")

    # -- predicates -----------------------------------------------------------------------------
    def _code_predicate(self, doc, sentence, article, predicate, index, times, places, claim=None):
        if predicate.kind == "verb":
            roles = self._verb_roles(predicate, index)
        else:
            roles = self._noun_roles(predicate, index)
        if claim is not None:
            # "X claimed responsibility for the attack": X did it, by its own word
            roles = (claim[0], _excluding((roles or ([], [], 0.6))[1], claim[0]), 0.6)
        if roles is None:
            return self._dropped(
                predicate, "no source", "no actor did it, and it may not stand alone"
            )
        if self._done_by_nature(predicate):
            return self._dropped(predicate, "nature", "a force of nature or an accident did it")
        sources, targets, confidence = roles
        sources = _unique(sources)
        targets = [t for t in _excluding(_unique(targets), sources) if not _anonymous_officials(t)]
        targets = _without_own_means(predicate, index, sources, targets)
        agentless = False
        if not sources:
            # "three civilians were killed", "a roadside bomb killed a soldier", "weapons were
            # seized", "clashes broke out": the act is known, its author is not
            if not self._may_lack_source(predicate, targets):
                return self._dropped(predicate, "no source", "no actor in the subject or agent")
            agentless = True
            confidence -= 0.3
        frame_anchor = predicate.head
        if predicate.kind == "noun":
            frame_anchor = _governing_verb(predicate.head) or predicate.head
        frame = read_frame(frame_anchor, self.lexicon, index)
        if predicate.kind == "noun":
            for child in predicate.head.children:
                if child.dep_ == "det" and child.lower_ == "no":
                    frame.weaken("negated")
        if claim is not None:
            frame.weaken(claim[1])
            frame.attribution = frame.attribution or list(claim[0])
        if any(a.antecedent for a in sources + targets):
            confidence -= 0.1
        if not targets:
            if not (
                agentless
                or claim is not None
                or self._may_lack_target(predicate)
                or (len(sources) > 1 and _mutual(predicate))
            ):
                return self._dropped(predicate, "no target", "its row needs an actor acted upon")
            confidence -= 0.2
        demand = self._demanded_by_speaker(predicate, frame, sources, targets)
        if demand is None and predicate.implicit:
            return self._dropped(predicate, "implicit", "an obligation nobody is said to demand")
        if demand is not None:
            # the demand itself is what happened: the article reports it as said
            code, sources, targets = demand
            frame.reports = []
            frame.modality = "reported"
            frame.attribution = []
        else:
            modality = (
                frame.modality if frame.modality != "negated" or frame.refusal else "asserted"
            )
            code = self._conditioned_code(predicate, frame) or modal_code(
                predicate.cameo, "asserted" if frame.question else modality
            )
        entry = self.cameo_entry(code)
        when = date_event(doc, sentence, predicate.tokens, times, article.published)
        location = self.place_finder(predicate.head, places) if self.place_finder else None
        country = (
            location.country if location is not None else _sole_place_country(sentence, places)
        )
        if country:
            sources = [_localized(a, country) for a in sources]
            targets = [_localized(a, country) for a in targets]
            if agentless and not sources:
                # "a roadside bomb near Samarra killed a soldier": whoever did it is unknown,
                # but the text says in which country; the place is the evidence of it
                where = location or _first_place_of(sentence, places, country)
                if where is not None:
                    sources = [_place_actor(where)]
        pairs = self._pairs(predicate, sources, targets)
        trigger_start, trigger_end = predicate.trigger_span
        sentence_start, sentence_end = _stripped(
            doc_text(doc), sentence.start_char, sentence.end_char
        )
        evidence = Evidence(
            sentence=article.text[sentence_start:sentence_end],
            start=sentence_start,
            end=sentence_end,
            trigger=article.text[trigger_start:trigger_end],
            trigger_start=trigger_start,
            trigger_end=trigger_end,
        )
        events = []
        for report_verb, report_modality, speakers in frame.reports:
            code = speech_code(report_modality)
            about = _excluding(sources, speakers)
            if code is None or not speakers or not about:
                continue
            report_start, report_end = report_verb.idx, report_verb.idx + len(report_verb)
            report_evidence = dataclasses.replace(
                evidence,
                trigger=article.text[report_start:report_end],
                trigger_start=report_start,
                trigger_end=report_end,
            )
            events.append(
                _event(
                    article.id,
                    list(speakers),
                    about,
                    self.cameo_entry(code),
                    report_evidence,
                    when,
                    confidence - 0.1,
                )
            )
        for source_group, target_group in pairs:
            event = _event(
                article.id, source_group, target_group, entry, evidence, when, confidence
            )
            event.modality = frame.modality
            event.attribution = frame.attribution
            event.location = location
            events.append(event)
        return events

    def _one_act_told_twice(self, events: list[Event], heads: dict[int, Token]) -> list[Event]:
        """ "A roadside bomb killed two soldiers", "the attack killed five": the noun naming an
        act and the verb telling what it did are one event when they share their type and
        their author and one word is the other's subject or object; the verb's event, which
        says whom it struck, stays, with the noun's code where that is the more specific
        ("killed" 190 and "roadside bomb" 1833: one IED attack)."""
        dropped: set[int] = set()
        for noun_event in events:
            noun = heads.get(id(noun_event))
            if noun is None or noun.pos_ != "NOUN":
                continue
            if (
                noun.dep_ == "pobj"
                and noun.head.lower_ in ("in", "during")
                and not all(a.kind == "place" for a in noun_event.source)
            ):
                # "twenty soldiers were killed in Taliban attacks": the harm of an act whose
                # author the noun names is that author's
                verb = noun.head.head
                for verb_event in events:
                    head = heads.get(id(verb_event))
                    if (
                        head is not None
                        and head.i == verb.i
                        and verb_event.plover == noun_event.plover
                        and all(a.kind == "place" for a in verb_event.source)
                    ):
                        verb_event.source = list(noun_event.source)
                        dropped.add(id(noun_event))
                continue
            if noun.dep_ not in ARGUMENT_DEPS:
                continue
            for verb_event in events:
                verb = heads.get(id(verb_event))
                if (
                    verb_event is not noun_event
                    and verb is not None
                    and noun.head.i == verb.i
                    and verb_event.plover == noun_event.plover
                    and {a.code for a in verb_event.source} == {a.code for a in noun_event.source}
                ):
                    dropped.add(id(noun_event))
                    if (
                        len(verb_event.cameo) == 3
                        and verb_event.cameo.endswith("0")
                        and noun_event.cameo != verb_event.cameo
                    ):
                        entry = self.cameo_entry(noun_event.cameo)
                        verb_event.cameo, verb_event.cameo_label = entry.code, entry.label
                        verb_event.plover_mode = entry.plover_mode
                        verb_event.goldstein = entry.goldstein
        kept = [e for e in events if id(e) not in dropped]
        # "protesters clashed with police in running battles": an act of one side with no
        # one named as acted upon adds nothing to the same side's act of that type on someone
        return [
            e
            for e in kept
            if e.target
            or not any(
                other.target
                and other.plover == e.plover
                and {a.code for a in other.source} == {a.code for a in e.source}
                for other in kept
            )
        ]

    def _other_sense_of_dyadic(self, predicate: Predicate, index: MentionIndex) -> bool:
        """A dyadic row with nobody in its target slots is another sense of the word ("called
        an early election"): it neither codes nor governs what hangs on it."""
        if predicate.kind != "verb" or "dyadic" not in predicate.entry.flags:
            return False
        if self._targets(predicate, index):
            return False
        self._note(predicate, "no target", "its dyadic row needs an actor acted upon")
        return True

    def _in_their_sense(self, predicates: list[Predicate], index: MentionIndex) -> list[Predicate]:
        """Verb rows whose object selects another sense (``senses.tsv``): "fired the
        minister" is a dismissal, no shooting; "captured the town" occupies territory;
        "attacked the plan" is a verbal attack."""
        kept = []
        for predicate in predicates:
            reading = self._sense(predicate, index)
            if reading is False:
                reading = self._by_means(predicate)
            if reading is None:
                self._note(predicate, "sense", "its object gives the verb another sense")
                continue
            if reading:
                entry = dataclasses.replace(predicate.entry, cameo=reading)
                predicate = dataclasses.replace(predicate, entry=entry, alternatives=[entry])
            kept.append(predicate)
        return kept

    def _by_means(self, predicate: Predicate) -> str | bool:
        """The code the means of a verb's act selects (``means.tsv``: "Turkish jets
        destroyed depots", "was hit by drones": an air strike), False when none does."""
        code = predicate.entry.cameo
        if predicate.kind != "verb" or not self.senses.has_means(code):
            return False
        subject, passive = subject_of(predicate.head)
        doer = agent_of(predicate.head) if passive else subject
        if doer is None:
            return False
        return self.senses.by_means(code, doer.lemma_.lower()) or False

    def _sense(self, predicate: Predicate, index: MentionIndex) -> str | None | bool:
        """The code the object selects, None for no event, False when no sense applies."""
        senses = self.senses.of(predicate.entry.words)
        if not senses:
            return False
        head = predicate.head
        if predicate.kind == "verb":
            subject, passive = subject_of(head)
            obj = subject if passive and subject is not None else object_of(head, ("dobj", "obj"))
        else:
            # "the battle against the crisis", "a war on poverty": what the act is aimed at
            obj = next(
                (o for p in SENSE_PREPOSITIONS if (o := prepositional_object(head, p)) is not None),
                None,
            )
        if obj is None:
            return False
        lemma = obj.lemma_.lower()
        for sense in senses:
            if sense.object_class == "person":
                fits = any(a.kind == "person" for a in index.at(obj))
            elif sense.object_class == "actor":
                fits = bool(index.at(obj))
            elif sense.object_class == "place":
                places = index.places
                fits = places is not None and bool(places.at(obj))
            else:
                fits = self.senses.in_class(lemma, sense.object_class)
            if fits:
                return sense.reading
        return False

    def _responsibility_claims(
        self, predicates: list[Predicate], index: MentionIndex
    ) -> dict[int, tuple[list[ActorRef], str]]:
        """Acts whose responsibility someone claims or denies ("claimed responsibility for
        the bombing", "denied involvement in the attack"): head of the act -> (the
        claimants, ``reported`` for a claim or ``negated`` for a denial)."""
        by_head = {p.head.i: p for p in predicates}
        claims: dict[int, tuple[list[ActorRef], str]] = {}
        for predicate in predicates:
            modality = RESPONSIBILITY_CODES.get(predicate.cameo)
            if modality is None or predicate.kind != "verb":
                continue
            claimants = index.actors_of(subject_of(predicate.head)[0])
            if not claimants:
                continue
            for word in predicate.tokens:
                for prep in word.children:
                    if prep.dep_ != "prep" or prep.lower_ not in ("for", "in", "of"):
                        continue
                    for act in prep.children:
                        if act.dep_ not in ("pobj", "pcomp"):
                            continue
                        for token in [act, *(c for c in act.children if c.dep_ == "conj")]:
                            if token.i in by_head and by_head[token.i].cameo[:2] in (
                                UNATTRIBUTED_ROOTS
                            ):
                                claims[token.i] = (claimants, modality)
        return claims

    def _note(self, predicate: Predicate, outcome: str, detail: str) -> None:
        if getattr(self, "_trace", None) is not None:
            self._trace.append(Verdict(predicate, outcome, detail))

    def _dropped(self, predicate: Predicate, outcome: str, detail: str) -> list[Event]:
        self._note(predicate, outcome, detail)
        return []

    def _promises_of_force(self, predicates: list[Predicate]) -> list[Predicate]:
        """ "The rebels pledged to kill the soldiers": a promise of force is a threat, so a
        bare promising verb ("pledge", "promise") gives way to the act it promises when
        that act, intended, codes as a threat; the act then carries the promise."""
        by_head = {p.head.i: p for p in predicates}
        dropped: set[int] = set()
        for predicate in predicates:
            entry = self.lexicon.modality(predicate.head.lemma_.lower())
            if (
                predicate.kind != "verb"
                or len(predicate.entry.words) != 1
                or entry is None
                or entry.kind != "control"
                or entry.modality != "intended"
            ):
                continue
            for child in predicate.head.children:
                inner = by_head.get(child.i)
                if inner is None or not (child.dep_ == "xcomp" or infinitive_clause(child)):
                    continue
                if modal_code(inner.cameo, "intended").startswith("13"):
                    dropped.add(predicate.head.i)
        return [p for p in predicates if p.head.i not in dropped]

    def _implicit_demands(self, sentence: Span, coded: set[int]) -> list[Predicate]:
        """Verbs outside the lexicon under an auxiliary of obligation ("must ensure")."""
        found = []
        for token in sentence:
            if token.i in coded or token.pos_ != "VERB":
                continue
            if _deontic(token):
                entry = VerbEntry((token.lemma_.lower(),), "010", ("-",), frozenset(), "implicit")
                found.append(Predicate(token, "verb", entry, [token], [entry], implicit=True))
        return found

    def _may_lack_source(self, predicate: Predicate, targets: list[ActorRef]) -> bool:
        """An act whose author the text does not name is still news when it is something
        done (a material act or a protest), in a clause of its own: a verb in the passive
        without agent or with a subject that is no actor ("three men were detained",
        "rockets struck the base"), or a nominal event that is itself the subject or the
        carried object of its clause ("clashes broke out", "rallies were held", "arrests
        were made") or stands as a headline. Others ("a report on the attack") are not."""
        if self._uncertain_without_weapon(predicate) or self._in_a_disaster(predicate):
            return False
        if predicate.kind == "verb":
            if targets and self._has_unnamed_author(predicate):
                return True
            # with nobody acted upon, only the agentless passive, or a weapon striking
            # somewhere ("three rockets struck near the embassy"): "a forklift damaged a
            # drum" or "a drone captured footage" are no one's acts
            subject, passive = subject_of(predicate.head)
            if (
                predicate.cameo[:2] in UNATTRIBUTED_ROOTS
                and not passive
                and subject is not None
                and subject.head.i == predicate.head.i
                and subject.lemma_.lower() in self.weapons
                and subject.lemma_.lower() not in self.non_agents
                and any(c.dep_ == "prep" for c in predicate.head.children)
            ):
                return True
            return (
                predicate.cameo[:2] in UNATTRIBUTED_ROOTS
                and passive
                and subject is not None
                and subject.head.i == predicate.head.i
                and agent_of(predicate.head) is None
            )
        return predicate.cameo[:2] in UNATTRIBUTED_ROOTS and self._stands_as_event(predicate.head)

    def _uncertain_without_weapon(self, predicate: Predicate) -> bool:
        """ "Explosions tore through an industrial area", "the blasts killed 50": an explosion
        is an attack only when the sentence names a weapon or an attacker."""
        head = predicate.head
        if predicate.kind == "verb":
            subject, _ = subject_of(head)
            head = subject if subject is not None and subject.pos_ == "NOUN" else head
        if head.lemma_.lower() not in self.uncertain:
            return False
        return not any(t.lemma_.lower() in self.weapons for t in head.sent)

    def _in_a_disaster(self, predicate: Predicate) -> bool:
        """ "At least 20 people were killed as the storm hit the coast": an act without an
        author in a sentence that names a force of nature or an accident, and no weapon, is
        the disaster's toll."""
        lemmas = {t.lemma_.lower() for t in predicate.head.sent}
        return bool(lemmas & self.non_agents) and not lemmas & self.weapons

    def _done_by_nature(self, predicate: Predicate) -> bool:
        """ "An earthquake killed eight people", "containers exploded during a fire",
        "were killed in a landslide": a force of nature or an accident is the cause."""
        head = predicate.head
        if predicate.kind == "noun":
            if any(
                c.dep_ in ("compound", "amod") and c.lemma_.lower() in self.non_agents
                for c in head.children
            ):
                return True
            head = _governing_verb(head)
            if head is None:
                return False
        subject, passive = subject_of(head)
        causes = [agent_of(head)] if passive else [subject]
        causes += [
            pobj
            for prep in head.children
            if prep.dep_ == "prep" and prep.lower_ in CAUSE_PREPOSITIONS
            for pobj in prep.children
            if pobj.dep_ == "pobj"
        ]
        # "were injured after torrential downpours sent floods through the villages"
        causes += [
            subject_of(clause)[0]
            for clause in head.children
            if clause.dep_ == "advcl"
            and any(m.dep_ == "mark" and m.lower_ in CAUSE_PREPOSITIONS for m in clause.children)
        ]
        return any(c is not None and c.lemma_.lower() in self.non_agents for c in causes)

    def _stands_as_event(self, noun: Token) -> bool:
        """A nominal event reported as having happened, author unnamed: the subject of its
        verb, the passive subject or object of a light verb, or the head of a verbless
        sentence; coordinated nouns share their first conjunct's place."""
        while noun.dep_ == "conj" and noun.head.i != noun.i:
            noun = noun.head
        if (
            noun.dep_ == "pobj"
            and noun.head.lower_ == "of"
            and (noun.head.head.pos_ == "NUM" or noun.head.head.lemma_.lower() in QUANTITY_NOUNS)
        ):
            # "dozens of arrests were made", "a wave of protests swept the country"
            noun = noun.head.head
        if noun.dep_ == "ROOT":
            return True
        head = noun.head
        if noun.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
            return head.pos_ == "VERB" or noun.dep_ == "nsubjpass"
        if noun.dep_ in ("dobj", "obj") and head.lemma_.lower() in self.lexicon.light_verbs:
            subject, _ = subject_of(head)
            return subject is None
        # "four children died in an explosion": the act its clause's subject died in
        return self._undergoing_verb(noun) is not None

    def _undergoing_verb(self, noun: Token) -> Token | None:
        """The verb whose subject underwent ``noun`` ("died in air strikes",
        ``undergoing_verbs.tsv``), when ``noun`` is in its circumstance phrase."""
        verb = _circumstance_verb(noun)
        return verb if verb is not None and verb.lemma_.lower() in self.undergoing else None

    def _protest_content(self, head: Token, protests: set[int]) -> bool:
        """Whether ``head`` says what a protest (or a threat, or a blockade) is about: its
        purpose or accompanying clause ("blocked roads demanding his reinstatement"), what
        the protesters say while at it ("staged rallies, saying he must resign"), or its
        manner ("blocked streets in defiance of the authorities")."""
        if head.dep_ == "ccomp" and head.head.lemma_ in self.lexicon.speech_verbs:
            head = head.head
        if head.dep_ in ("advcl", "xcomp", "acl"):
            return head.head.i in protests
        if head.dep_ == "pobj" and head.head.lower_ in PROTEST_MANNER_PREPOSITIONS:
            return head.head.head.i in protests
        return False

    def _gatherings_of_protesters(self, sentence: Span, coded: set[int]) -> list[Predicate]:
        """ "Demonstrators gathered outside the embassy", "crowds walked the streets":
        protesters gathering or moving together are demonstrating (``gatherings.tsv``)."""
        if self.actor_words is None:
            return []
        found = []
        for token in sentence:
            lemma = token.lemma_.lower()
            if token.i in coded or token.pos_ != "VERB" or lemma not in self.gatherings:
                continue
            particle = self.gatherings[lemma]
            words = [token]
            if particle is not None:
                attached = [c for c in token.children if c.dep_ == "prt" and c.lower_ == particle]
                if not attached:
                    continue
                words += attached
            subject, passive = subject_of(token)
            if subject is None or passive:
                continue
            if subject.pos_ == "NUM" or subject.lemma_.lower() in QUANTITY_NOUNS:
                # "thousands of protesters turned out"
                subject = prepositional_object(subject, "of") or subject
            reading = self.actor_words(subject.lower_)
            if reading is None or reading[0] != "protesters":
                continue
            entry = VerbEntry(
                (lemma,) + ((particle,) if particle else ()),
                "141",
                ("prep:against", "prep:outside"),
                frozenset(),
                "gathering of protesters",
            )
            found.append(Predicate(token, "verb", entry, words, [entry]))
        return found

    @staticmethod
    def _has_unnamed_author(predicate: Predicate) -> bool:
        """A clause of its own whose subject is not an actor ("a bomb killed ...") or a
        passive without agent ("... were killed"); not a bare participle or infinitive."""
        return any(c.dep_ in ("nsubj", "nsubjpass") for c in predicate.head.children)

    @staticmethod
    def _demanded_by_speaker(predicate, frame, sources, targets):
        """ "The ministry said Sudan must return the helicopter" is the ministry demanding a
        return from Sudan: (code, speakers, actors asked) or None."""
        if predicate.kind != "verb" or not frame.reports:
            return None
        speakers = frame.reports[0][2]
        if not speakers:
            return None
        for child in predicate.head.children:
            if child.dep_ != "aux":
                continue
            code = deontic_code(child.lemma_.lower())
            if code is None:
                continue
            asked = _excluding(sources, speakers)
            if asked:
                return code, list(speakers), asked
        return None

    @staticmethod
    def _conditioned_code(predicate, frame) -> str | None:
        """ "will withdraw its troops unless ...": an ultimatum."""
        for child in predicate.head.children:
            if child.dep_ != "advcl":
                continue
            for mark in child.children:
                if mark.dep_ == "mark":
                    code = condition_code(mark.lower_, frame.modality)
                    if code is not None:
                        return code
        return None

    @staticmethod
    def _may_lack_target(predicate: Predicate) -> bool:
        """Acts that need no one to act upon ("protesters marched", "troops mobilised"),
        or whose lexicon entry names no target slot, stand without a target; others found
        without one (nominal events, and verb rows flagged dyadic) are dropped, since a
        dyadic code with half its dyad misleads."""
        slots = predicate.entry.target_slots
        if "dyadic" in getattr(predicate.entry, "flags", ()):
            return False
        # a march, a rally, a mobilisation: one side's act, whoever it is aimed at; an
        # attack or a bombing by a named side is news even when its target is not named
        return (
            slots == ("-",)
            or predicate.kind == "verb"
            or predicate.cameo[:2] in ("14", "15", "18", "19", "20")
        )

    @staticmethod
    def _pairs(predicate, sources, targets):
        """Symmetric predicates with a compound subject and no object ("X and Y met")
        give one event per direction."""
        if _mutual(predicate) and not targets and len(sources) > 1:
            return [([s], [o for o in sources if o is not s]) for s in sources]
        return [(sources, targets)]

    def _targets(self, predicate: Predicate, index: MentionIndex) -> list[ActorRef]:
        """Actors in the first filled target slot; among patterns matching the same words,
        the first whose slot is filled decides the code."""
        for entry in predicate.alternatives or [predicate.entry]:
            for slot in entry.target_slots:
                token = self._slot_token(predicate, slot)
                if token is None:
                    continue
                actors = index.actors_of(token)
                if actors:
                    predicate.entry = entry
                    return actors
        return (
            self._conjunct_target(predicate, index)
            or self._complement_target(predicate, index)
            or self._occasion_target(predicate, index)
            or self._object_complement_target(predicate, index)
            or self._place_target(predicate, index)
        )

    def _place_target(self, predicate: Predicate, index: MentionIndex) -> list[ActorRef]:
        """ "Israel struck Rafah", "a visit to Moscow": a place in a target slot stands for
        its country, as CAMEO codes it; "in" only locates the act."""
        places = index.places
        if places is None:
            return []
        for slot in predicate.entry.target_slots:
            if slot == "prep:in":
                continue
            token = self._slot_token(predicate, slot)
            found = places.actors_of(token) if token is not None else []
            if found:
                return found
        return []

    @staticmethod
    def _object_complement_target(predicate: Predicate, index: MentionIndex) -> list[ActorRef]:
        """ "demanded the removal of President X": when the object is a word of the pattern,
        the actor it is about is the target."""
        if predicate.kind != "verb":
            return []
        pattern_objects = [t for t in predicate.tokens[1:] if t.dep_ in ("dobj", "obj")]
        for obj in pattern_objects:
            actors = index.actors_of(obj)
            if actors:
                return actors
        return []

    def _conjunct_target(self, predicate: Predicate, index: MentionIndex) -> list[ActorRef]:
        """ "donated and delivered goods to the school": coordinated verbs share an object."""
        if predicate.kind != "verb":
            return []
        for child in predicate.head.children:
            if child.dep_ == "conj" and child.pos_ == "VERB":
                holder = Predicate(child, "verb", predicate.entry, [child], [predicate.entry])
                for slot in predicate.entry.target_slots:
                    token = self._slot_token(holder, slot)
                    actors = index.actors_of(token) if token is not None else []
                    if actors:
                        return actors
        return []

    def _complement_target(self, predicate: Predicate, index: MentionIndex) -> list[ActorRef]:
        """ "threatened to impose sanctions on Taiwan": the target of the act threatened,
        offered or demanded is the target of the threat, offer or demand."""
        if predicate.kind != "verb":
            return []
        for child in predicate.head.children:
            if child.dep_ != "xcomp":
                continue
            inner = match_verb(child, self.lexicon)
            if inner is not None:
                return self._targets(inner, index)
        return []

    def _occasion_target(self, predicate: Predicate, index: MentionIndex) -> list[ActorRef]:
        """ "X demanded ... in a phone call with Y": the partner of the occasion on which
        an act was done is its target."""
        stack = list(predicate.head.children)
        while stack:
            token = stack.pop()
            if token.dep_ in CLAUSE_BOUNDARIES:
                continue
            stack.extend(token.children)
            if not (token.dep_ == "pobj" and token.head.lower_ in CIRCUMSTANCE_PREPOSITIONS):
                continue
            if not any(
                e.cameo.startswith("04") for e in self.lexicon.noun_entries(token.lemma_.lower())
            ):
                continue
            partner = prepositional_object(token, "with")
            if partner is not None:
                actors = index.actors_of(partner)
                if actors:
                    return actors
        return []

    @staticmethod
    def _slot_token(predicate: Predicate, slot: str) -> Token | None:
        head = predicate.head
        if slot == "-":
            return None
        if slot == "dobj":
            # when the object is a word of the pattern ("demand release"), its complement
            # ("the release of hostages held by Hamas") holds the target
            return object_of(head, ("dobj", "obj"))
        if slot == "iobj":
            dative = object_of(head, ("dative", "iobj"))
            if dative is not None and dative.pos_ == "ADP":
                # "gave the list to Hamas" is parsed as a dative "to" phrase
                return object_of(dative, ("pobj",))
            return dative
        if slot == "xobj":
            # "demanded that X withdraw": the complement's subject; "urged to free X": its object
            for child in head.children:
                if child.dep_ == "ccomp":
                    subject, _ = subject_of(child)
                    if subject is not None and subject.head.i == child.i:
                        return subject
                if child.dep_ == "xcomp":
                    return object_of(child, ("dobj", "obj", "dative"))
                if _for_to_clause(child):
                    # "called for Israel to withdraw": the clause's subject
                    return object_of(child, ("nsubj",))
            return None
        if slot == "poss":
            return object_of(head, ("poss",))
        if slot.startswith("prep:"):
            preposition = slot.split(":", 1)[1]
            for holder in predicate.holders:
                token = prepositional_object(holder, preposition)
                if token is not None:
                    return token
        return None

    def _verb_roles(self, predicate: Predicate, index: MentionIndex):
        head = predicate.head
        subject, passive = subject_of(head)
        inherited = subject is not None and subject.head.i != head.i
        confidence = 0.85 if not inherited else 0.75
        if passive and agent_of(head) is None and getattr(predicate.entry, "stative", False):
            # "Vietnam is committed to opening up": a state of its subject, not an act on it
            passive = False
        if passive and subject is not None and any(t.i == subject.i for t in predicate.tokens):
            # the subject is the pattern's object: "weapons were delivered to Ukraine by
            # Germany" (a thing), "the French ambassador was expelled by Mali" (whom the
            # act is aimed at), "Armenian troops were withdrawn" (the side's own forces,
            # which stand for the side that moves them when no agent is named)
            sources = index.actors_of(agent_of(head))
            patients = index.actors_of(subject)
            if not sources and predicate.cameo.startswith(OWN_FORCES_CODES):
                sources, patients = patients, []
            if not sources and predicate.entry.symmetric:
                # "talks were held between Israel and Hamas": each side with the other
                sources = index.actors_of(prepositional_object(head, "between"))
            targets = patients or self._targets(predicate, index)
            return sources, targets, confidence - 0.1
        if passive:
            agent = agent_of(head)
            sources = index.actors_of(agent)
            targets = index.actors_of(subject) if subject is not None else []
            if not targets:
                targets = self._targets(predicate, index)
            confidence -= 0.05
        else:
            sources = index.actors_of(subject)
            if not sources:
                sources = self._purpose_of_event_noun(head, index)
            if not sources and head.dep_ == "acl" and head.tag_ == "VBN":
                # "hostages held by Hamas": a passive participle modifying its patient
                sources = index.actors_of(agent_of(head))
                targets = index.actors_of(head.head)
                return sources, targets, confidence - 0.1
            targets = self._targets(predicate, index)
        return sources, targets, confidence

    def _event_purpose(self, verb: Token) -> bool:
        """An infinitive on a noun of a meeting or a protest ("a rally to protest the law"),
        not on a noun of an aim ("efforts to free them", "a plan to invade")."""
        noun = verb.head
        return (
            verb.dep_ in ("relcl", "acl")
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
            and noun.pos_ == "NOUN"
            and any(
                e.cameo[:2] in ("04", "14") and len(e.words) == 1
                for e in self.lexicon.noun_entries(noun.lemma_)
            )
        )

    def _purpose_of_event_noun(self, verb: Token, index: MentionIndex) -> list[ActorRef]:
        """ "Thousands converged for a rally in Lagos to protest the law", "met in Doha for
        talks to discuss the truce": an infinitive on an event noun is done by those who
        take part in the event, the subject of the clause that carries it."""
        if not self._event_purpose(verb):
            return []
        carrier = _governing_verb(verb.head)
        if carrier is None:
            return []
        subject, passive = subject_of(carrier)
        return [] if passive else index.actors_of(subject)

    def _noun_roles(self, predicate: Predicate, index: MentionIndex):
        """Roles of a nominal event: "talks between X and Y", "X's visit to Y",
        "an attack by X on Y", "X held talks with Y", "X ... in a phone call with Y"."""
        noun = predicate.head
        entry = predicate.entry
        carrier = self._carrier_verb(noun)
        between = prepositional_object(noun, "between")
        if between is None and carrier is not None:
            between = prepositional_object(carrier, "between")
        members = index.actors_of(between) if between is not None else []
        members = [m for m in members if not _anonymous_officials(m)]
        sources = index.actors_of(object_of(noun, ("poss",)))
        targets: list[ActorRef] = []
        if sources and "poss" in entry.target_slots:
            targets, sources = sources, []
        if not sources:
            sources = index.actors_of(agent_of(noun) or prepositional_object(noun, "by"))
        if not sources and carrier is not None:
            subject, passive = subject_of(carrier)
            if subject is not None and not passive:
                sources = index.actors_of(subject)
        if not sources and predicate.cameo[:2] in NATIONAL_ACT_ROOTS:
            # "Israeli air strikes", "a Turkish offensive": a nationality on a nominal act
            # names who did it; so does a word for a kind of actor ("a police raid", "a
            # rebel attack", "an army offensive")
            sources = [
                a
                for c in noun.children
                if c.dep_ in ("amod", "compound")
                for a in index.at(c)
                if a.kind == "state" or c.dep_ == "compound"
            ] or self._actor_word_modifiers(noun, index)
        if between is None and noun.dep_ in ("nsubj", "nsubjpass") and carrier is None:
            # "clashes broke out between police and protesters"
            between = prepositional_object(noun.head, "between")
            members = index.actors_of(between) if between is not None else []
            members = [m for m in members if not _anonymous_officials(m)]
        if len(members) >= 2:
            if sources:
                # "X launched a mediation effort between Y and Z"
                return sources, members, 0.65
            # "talks between X and Y"
            return members[:1], members[1:], 0.65
        if not targets:
            targets = self._targets(predicate, index)
        if not targets and carrier is not None and noun.dep_ in ("dobj", "obj"):
            holder = Predicate(carrier, "verb", entry, [carrier], [entry])
            targets = self._targets(holder, index)
        if not targets and predicate.cameo[:2] in ("02", "10"):
            targets = self._clause_subject_target(noun, index)
            if not targets and carrier is not None and noun.dep_ in ("dobj", "obj"):
                targets = self._clause_subject_target(carrier, index)
        sufferer = self._undergoing_verb(noun)
        if not targets and sufferer is not None:
            # "four children died in an explosion": who died is whom the act struck
            subject, passive = subject_of(sufferer)
            targets = index.actors_of(subject) if subject is not None and not passive else []
        if not sources and not self._may_lack_source(predicate, targets):
            return None
        return sources, targets, 0.6

    def _actor_word_modifiers(self, noun: Token, index: MentionIndex) -> list[ActorRef]:
        """Actors named by a modifier of a nominal act that is a word for a kind of actor
        ("police", "rebel", "army"), with the country of a nationality beside it."""
        if self.actor_words is None:
            return []
        found = []
        for child in noun.children:
            if child.dep_ not in ("amod", "compound") or index.at(child):
                continue
            reading = self.actor_words(child.lower_)
            if reading is None:
                continue
            label, sector = reading
            countries = [a.country for g in child.children for a in index.at(g) if a.country]
            country = countries[0] if countries else None
            found.append(
                ActorRef(
                    text=index.text[child.idx : child.idx + len(child)],
                    start=child.idx,
                    end=child.idx + len(child),
                    name=label,
                    code=f"{country or ''}{sector}",
                    country=country,
                    sector=sector,
                    kind="generic",
                )
            )
        return found

    @staticmethod
    def _clause_subject_target(noun: Token, index: MentionIndex) -> list[ActorRef]:
        """ "its demand that Israel ease restrictions": whoever is asked to act (the clause
        hangs on the noun, or on the light verb carrying it)."""
        for child in noun.children:
            if child.dep_ in ("acl", "ccomp", "relcl") or _for_to_clause(child):
                for grandchild in child.children:
                    if grandchild.dep_ == "nsubj":
                        return index.actors_of(grandchild)
        return []

    def _carrier_verb(self, noun: Token) -> Token | None:
        """The verb whose subject is the actor of a nominal event: a light verb taking the
        noun as its object ("held talks"), or any verb the noun's circumstance phrase
        hangs on ("demanded ... in a phone call with"), unless its subject underwent the act
        ("died in air strikes"). Nouns nested deeper ("the report on the visit") have none."""
        head = noun.head
        if noun.dep_ in ("dobj", "obj") and head.pos_ in ("VERB", "AUX"):
            return head if head.lemma_.lower() in self.lexicon.light_verbs else None
        verb = _circumstance_verb(noun)
        return verb if verb is not None and verb.lemma_.lower() not in self.undergoing else None


def _circumstance_verb(noun: Token) -> Token | None:
    """The verb the circumstance phrase holding ``noun`` hangs on ("demanded ... in a phone
    call with", "died in air strikes"), if ``noun`` is in one."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in CIRCUMSTANCE_PREPOSITIONS:
        verb = head.head
        if verb.pos_ in ("VERB", "AUX"):
            return verb
    return None


#: Modifiers that make a nominal event something its parties do together.
MUTUAL_MODIFIERS = frozenset(
    {"joint", "mutual", "bilateral", "trilateral", "combined", "coordinated"}
)


def _mutual(predicate: Predicate) -> bool:
    """Both sides act on each other: a symmetric verb ("X and Y met"), a nominal event of
    consultation ("X and Y began talks") or one done jointly ("joint exercises")."""
    if predicate.kind == "verb":
        return predicate.entry.symmetric
    return predicate.cameo.startswith("04") or any(
        c.dep_ == "amod" and c.lower_ in MUTUAL_MODIFIERS for c in predicate.head.children
    )


def _for_to_clause(token: Token) -> bool:
    """ "for Israel to withdraw": a clause of what is wanted, hung on the verb or noun that
    wants it."""
    return token.dep_ in ("advcl", "acl") and any(
        c.dep_ == "mark" and c.lower_ == "for" for c in token.children
    )


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above a noun ("held talks", "in a phone call with")."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None


def _event(article_id, sources, targets, entry, evidence, when, confidence) -> Event:
    """An asserted event with its codes, evidence and date; callers add the frame."""
    return Event(
        article_id=article_id,
        source=sources,
        target=targets,
        cameo=entry.code,
        cameo_label=entry.label,
        plover=entry.plover,
        plover_mode=entry.plover_mode,
        quad_class=entry.quad_class,
        goldstein=entry.goldstein,
        evidence=evidence,
        date=when.value,
        date_start=when.start,
        date_end=when.end,
        date_precision=when.precision,
        date_source=when.source,
        confidence=max(0.05, min(1.0, confidence)),
    )


def _deontic(token: Token) -> bool:
    """Whether an auxiliary makes ``token`` something someone must or should do ("he must
    resign"): said by protesters, that is their demand."""
    return any(c.dep_ == "aux" and deontic_code(c.lemma_.lower()) for c in token.children)


def _in_condition(token: Token) -> bool:
    """Inside a condition or a time limit ("unless Baghdad accepts", "before they
    demobilize", "until their demands are met"): spoken of, not done."""
    current = token
    while current.head.i != current.i:
        if current.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in CONDITION_MARKERS for c in current.children
        ):
            return True
        if current.dep_ in ("ccomp", "relcl"):
            return False
        current = current.head
    return False


def _in_background(token: Token) -> bool:
    """A relative clause or a time clause recalls what is already known ("the hostages,
    whom they had taken two weeks ago", "after a jet shot down a helicopter"); the news is
    the main clause. What such a clause reports ("Abu Marzouk, who said the ministry had
    handed Hamas a list") is not background."""
    current = token
    if current.pos_ == "NOUN":
        # "since the August peace accord": a nominal event dated by what came before; "after
        # fierce fighting", like a time clause, tells an event of its own
        if current.dep_ == "pobj" and current.head.lower_ in RECALLING_MARKERS:
            return True
        current = _governing_verb(current) or current
    while current.dep_ in ("conj", "xcomp") and current.head.i != current.i:
        # "a resolution that aims to tighten sanctions": the clause, not its infinitive
        current = current.head
    if (
        current.dep_ in ("relcl", "acl")
        and current.tag_ != "VBG"
        and not noun_rooted_predicate(current)
    ):
        return True
    return current.dep_ == "advcl" and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in RECALLING_MARKERS for c in current.children
    )


def _without_own_means(predicate, index, sources, targets) -> list[ActorRef]:
    """ "Poland recalled its ambassador", "Venezuela massed troops": an actor named by the
    pattern's own object word and of the source's country is the source's means, not whom
    the act is aimed at ("Mali expelled the French ambassador" keeps its target)."""
    countries = {a.country for a in sources if a.country}
    if not countries:
        return targets
    own = {
        id(m)
        for t in predicate.tokens[1:]
        if t.dep_ in ("dobj", "obj", "nsubjpass")
        for m in index.at(t)
    }
    return [t for t in targets if not (id(t) in own and t.country in countries)]


def _first_place_of(sentence: Span, places: list[Place], country: str) -> Place | None:
    """The first place of ``country`` a sentence names."""
    for place in places:
        if sentence.start_char <= place.start < sentence.end_char and place.country == country:
            return place
    return None


def _place_actor(place: Place) -> ActorRef:
    """A place named where an actor is expected, as the country it lies in."""
    return ActorRef(
        text=place.text,
        start=place.start,
        end=place.end,
        name=place.name,
        code=place.country or "",
        country=place.country,
        kind="place",
    )


def _anonymous_officials(actor: ActorRef) -> bool:
    """ "leaders", "officials" of no known country: nobody a dyad can be about."""
    return actor.kind == "generic" and not actor.country and actor.sector == "GOV"


def _sole_place_country(sentence: Span, places: list[Place]) -> str | None:
    """The country of the places a sentence names, when they all lie in one."""
    countries = {
        p.country
        for p in places
        if sentence.start_char <= p.start < sentence.end_char and p.country
    }
    return countries.pop() if len(countries) == 1 else None


def _localized(actor: ActorRef, country: str) -> ActorRef:
    """An unnamed actor without a country ("police", "protesters") takes the country where
    the event happens: "police arrested protesters in Tbilisi" are Georgian police."""
    # unnamed bodies ("the government", "police") too; a named actor keeps what it is
    if actor.country or actor.actor_id or actor.kind not in ("generic", "organization"):
        return actor
    return dataclasses.replace(actor, country=country, code=country + (actor.sector or ""))


def _crosses_unattributed_quotation(event: Event, quotations: list[Quotation]) -> bool:
    """A trigger inside a quoted passage nobody is said to speak, with its source outside
    it ("Hamas congratulated Russia on “the results they achieved in ... providing relief”"):
    the parse has joined the quote to the wrong clause."""
    trigger = (event.evidence.trigger_start, event.evidence.trigger_end)
    for quotation in quotations:
        if quotation.speakers or not quotation.covers(*trigger):
            continue
        return any(not quotation.covers(a.start, a.end) for a in event.source)
    return False


def _attribute_quotation(event: Event, quotations: list[Quotation]) -> None:
    """An event inside a direct quotation is reported by the quotation's speaker."""
    if event.attribution:
        return
    trigger = (event.evidence.trigger_start, event.evidence.trigger_end)
    for quotation in quotations:
        if quotation.speakers and quotation.covers(*trigger):
            event.attribution = list(quotation.speakers)
            if event.modality == "asserted":
                event.modality = "reported"
            return


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of text[start:end] without its leading and trailing white space (read on the
    analysed text, where boilerplate is blank)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
