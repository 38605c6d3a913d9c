"""What the resolvers share over one article: the mentions so far, and salience.

:class:`ArticleState` holds the mentions emitted so far (what coreference points back to),
the country each country word names, the sentence of each token and the countries each
sentence ties its actors to; its salience helpers rank earlier mentions as antecedents.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Token

from dragoman.actors.kb import KnowledgeBase
from dragoman.actors.phrases import Atom
from dragoman.records import ActorRef, Article

#: How many sentences back a pronoun or anaphor may look for its antecedent.
ANTECEDENT_WINDOW = 3
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
#: Dependencies linking a word to the head of the noun phrase it belongs to.
NOUN_PHRASE_DEPS = ("compound", "amod", "poss", "conj", "appos")
#: Prepositions whose object may still be the home country of the sentence's actors.
_CONTEXT_PREPOSITIONS = {"in", "of", "from", "inside", "across", "throughout", "within", "at"}


@dataclass
class Mention:
    """A resolved mention plus what coreference needs to know about it."""

    ref: ActorRef
    sentence: int
    plural: bool = False
    title: str | None = None
    body_type: str | None = None
    #: Token heading the mention's words in the parse.
    head: int = 0
    #: True for a personal name not in the knowledge base.
    unknown: bool = False
    #: True for an office named without a personal name ("the foreign minister").
    by_title: bool = False


def clause_of(token: Token) -> Token | None:
    """The verb heading the clause a token belongs to."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def climb(token: Token, deps: tuple[str, ...] = NOUN_PHRASE_DEPS) -> Token:
    """The token reached by following ``token``'s head while its dependency is in ``deps``."""
    while token.dep_ in deps and token.head.i != token.i:
        token = token.head
    return token


def is_plural(token: Token) -> bool:
    return token.tag_ in ("NNS", "NNPS") or "Plur" in token.morph.get("Number")


class ArticleState:
    """The state of recognition over one article (mentions so far, for coreference)."""

    def __init__(self, kb: KnowledgeBase, doc: Doc, article: Article) -> None:
        self.kb = kb
        self.doc = doc
        self.article = article
        self.when: date | None = article.published
        self.mentions: list[Mention] = []
        self.sentence_of = [0] * len(doc)
        for index, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                self.sentence_of[i] = index
        #: Token index -> country of the country word (name, demonym, capital) covering it.
        self.country_by_token: dict[int, str | None] = {}
        #: Surname -> mention of a person not in the knowledge base ("Oniya").
        self.unknown_people: dict[str, Mention] = {}
        #: Sentence index -> countries its actor words are tied to.
        self.context_countries: dict[int, set[str]] = {}

    # ----- emitting ------------------------------------------------------------------
    def emit(
        self,
        start_tok: int,
        end_tok: int,
        *,
        name: str,
        code: str,
        kind: str,
        country: str | None = None,
        sector: str | None = None,
        actor_id: str | None = None,
        antecedent: str | None = None,
        plural: bool = False,
        title: str | None = None,
        body_type: str | None = None,
    ) -> Mention:
        """Add a mention over tokens ``[start_tok, end_tok)`` and return it. A name made
        of the text's words has each run of whitespace in it made one space ("Ahmed  Ben
        Bella" is named "Ahmed Ben Bella"); the mention's text stays as written."""
        span = self.doc[start_tok:end_tok]
        ref = ActorRef(
            text=self.article.text[span.start_char : span.end_char],
            start=span.start_char,
            end=span.end_char,
            name=" ".join(name.split()),
            code=code,
            country=country,
            sector=sector,
            kind=kind,
            actor_id=actor_id,
            antecedent=antecedent,
        )
        mention = Mention(
            ref, self.sentence_of[start_tok], plural, title, body_type, head=span.root.i
        )
        self.mentions.append(mention)
        return mention

    def emit_copy(self, start_tok: int, end_tok: int, antecedent: Mention) -> Mention:
        """Add a mention over ``[start_tok, end_tok)`` that refers back to ``antecedent``:
        the same actor, with the antecedent's first text ("Bogdanov" -> "Mikhail Bogdanov")."""
        span = self.doc[start_tok:end_tok]
        ref = replace(
            antecedent.ref,
            text=self.article.text[span.start_char : span.end_char],
            start=span.start_char,
            end=span.end_char,
            antecedent=antecedent.ref.antecedent or antecedent.ref.text,
        )
        mention = Mention(
            ref,
            self.sentence_of[start_tok],
            antecedent.plural,
            antecedent.title,
            antecedent.body_type,
            head=span.root.i,
            unknown=antecedent.unknown,
        )
        self.mentions.append(mention)
        return mention

    def mentions_by_head(self) -> dict[int, Mention]:
        """The first mention headed by each token."""
        by_head: dict[int, Mention] = {}
        for mention in self.mentions:
            by_head.setdefault(mention.head, mention)
        return by_head

    # ----- context -------------------------------------------------------------------
    def note_context_countries(self, atoms: list[Atom]) -> None:
        """Record, per sentence, the countries its words tie actors to.

        Country words count, and named organisations and people through their country,
        except a state named as the object of a verb or of a non-locative preposition
        ("warned Russia", "sanctions against Iraq"): that one is more likely the other party.
        A country word qualifying another actor counts wherever it stands ("warned the
        Ugandan opposition").
        """
        for atom in atoms:
            countries: set[str] = set()
            for entry in atom.names:
                actor = self.kb.actors[entry.actor_id]
                if actor.kind == "person":
                    role = actor.role_on(self.when)
                    if role is not None and role.country:
                        countries.add(role.country)
                elif actor.country:
                    countries.add(actor.country)
            if len(countries) != 1:
                continue
            head = self.doc[atom.end - 1]
            if head.dep_ not in ("compound", "amod", "poss") and self._is_other_party(head):
                continue
            sentence = self.sentence_of[atom.start]
            self.context_countries.setdefault(sentence, set()).update(countries)

    def _is_other_party(self, token: Token) -> bool:
        token = climb(token)
        if token.dep_ in ("dobj", "dative", "attr", "oprd"):
            return True
        return token.dep_ == "pobj" and token.head.lower_ not in _CONTEXT_PREPOSITIONS

    def sentence_country(self, token_index: int) -> str | None:
        """The one country the text around a token ties its actors to.

        The token's sentence decides when it names any country; else the nearest earlier
        sentence (within the antecedent window) that names one. Two or more countries in
        the deciding sentence leave the question open.
        """
        sentence = self.sentence_of[token_index]
        for back in range(sentence, max(-1, sentence - ANTECEDENT_WINDOW - 1), -1):
            countries = self.context_countries.get(back)
            if countries:
                return next(iter(countries)) if len(countries) == 1 else None
        return None

    # ----- salience ------------------------------------------------------------------
    def is_subject(self, token_index: int) -> bool:
        return climb(self.doc[token_index]).dep_ in SUBJECT_DEPS

    def is_nested(self, token_index: int) -> bool:
        """True for a mention inside a prepositional modifier of a noun ("relatives of X")."""
        token = climb(self.doc[token_index], ("compound", "amod", "conj", "appos"))
        return (
            token.dep_ == "pobj"
            and token.head.dep_ == "prep"
            and token.head.head.pos_ in ("NOUN", "PROPN", "PRON")
        )

    def in_list(self, token_index: int) -> bool:
        """True for a member of a coordination ("the PLO, the PFLP and Hamas")."""
        token = climb(self.doc[token_index], ("compound", "amod", "appos"))
        return token.dep_ == "conj" or any(c.dep_ == "conj" for c in token.children)

    def in_noun_clause(self, token_index: int) -> bool:
        token = self.doc[token_index]
        while token.head.i != token.i:
            if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return True
            token = token.head
        return False

    def salient(self, token_index: int, accept) -> list[Mention]:
        """Earlier compatible mentions, most salient first.

        Salience: the same sentence before earlier ones, then (in an earlier sentence) a
        subject before other positions, a mention heading its noun phrase before one nested
        in a prepositional modifier, one outside a clause modifying a noun ("relatives ... who
        are held by Hamas") before one inside, then recency.
        """
        sentence = self.sentence_of[token_index]
        char = self.doc[token_index].idx
        found = [
            (n, m)
            for n, m in enumerate(self.mentions)
            if sentence - m.sentence <= ANTECEDENT_WINDOW and m.ref.end <= char and accept(m)
        ]
        found.sort(
            key=lambda nm: (
                sentence - nm[1].sentence,
                nm[1].sentence != sentence and not self.is_subject(nm[1].head),
                self.is_nested(nm[1].head),
                self.in_noun_clause(nm[1].head),
                -nm[0],
            )
        )
        out: list[Mention] = []
        for _, m in found:
            if all(m.ref is not o.ref for o in out):
                out.append(m)
        return out

    def recent(self, token_index: int, accept) -> list[Mention]:
        """Earlier mentions within the window that satisfy ``accept``, most recent first."""
        sentence = self.sentence_of[token_index]
        out = []
        for mention in reversed(self.mentions):
            if sentence - mention.sentence > ANTECEDENT_WINDOW:
                break
            if accept(mention):
                out.append(mention)
        return out
