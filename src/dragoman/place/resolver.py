"""Finding place names in an article and resolving each to one gazetteer entry."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from spacy.tokens import Doc, Span

from dragoman.nlp_text import doc_text
from dragoman.place.entry import GazetteerEntry
from dragoman.place.gazetteer import Gazetteer, prominence
from dragoman.place.lexicon import PlaceLexicon, load_lexicon
from dragoman.place.normalize import normalize_name
from dragoman.place.syntax import clause_role, in_locative_phrase
from dragoman.records import ActorRef, Article, Place

#: Entity labels whose words may name places.
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
#: Longest place name tried inside an entity or a run of proper nouns, in tokens.
_MAX_NAME_TOKENS = 5
#: A city found only as a proper noun (not tagged by NER) must be at least this big.
_MIN_UNTAGGED_CITY = 100_000
#: Score bonuses: the name is followed by ", <its state or country>"; the place lies
#: in a country the article mentions; a city lies in a division the article mentions.
_QUALIFIED, _IN_COUNTRY, _IN_DIVISION, _PRIMARY_NAME = 10.0, 5.0, 3.0, 0.5


@dataclass
class _Toponym:
    """A candidate place name in the text and what it may refer to."""

    span: Span
    candidates: list[GazetteerEntry]
    metonym: bool = False
    qualifier: _Toponym | None = None
    chosen: GazetteerEntry | None = field(default=None, repr=False)

    @property
    def start(self) -> int:
        """Character offset where the name starts."""
        return self.span.start_char

    @property
    def end(self) -> int:
        """Character offset where the name ends."""
        return self.span.end_char


class PlaceResolver:
    """Finds the places an article mentions and resolves them in context."""

    def __init__(self, gazetteer: Gazetteer, lexicon: PlaceLexicon | None = None) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon or load_lexicon()

    def find(self, doc: Doc, article: Article, actors: list[ActorRef]) -> list[Place]:
        """Places mentioned in ``article`` (``doc`` is ``nlp(article.text)``), in text order.

        Metonyms (a place name standing for its government: "Moscow said", an actor
        mention not inside a locative phrase) are left out, but still tell which
        countries the article is about.
        """
        toponyms = self._toponyms(doc, article)
        for toponym in toponyms:
            toponym.metonym = self._is_metonym(toponym, actors)
        self._link_qualifiers(doc, toponyms)
        countries, divisions = self._context(toponyms, actors)
        places = []
        for toponym in toponyms:
            toponym.chosen = self._choose(toponym, countries, divisions)
            if not toponym.metonym:
                places.append(_to_place(toponym, article))
        return places

    # -- finding -----------------------------------------------------------------

    def _toponyms(self, doc: Doc, article: Article) -> list[_Toponym]:
        found: list[_Toponym] = []
        taken: set[int] = set()
        for ent in doc.ents:
            if ent.label_ in _PLACE_LABELS:
                whole = ent.label_ != "FAC"
                found.extend(self._names_in(doc, ent.start, ent.end, whole, tagged=True))
            elif ent.label_ in ("PERSON", "NORP") and self.gazetteer.is_prominent_place(ent.text):
                # the parser's person or group is a well-known place ("struck Rafah", "near
                # the town of Samarra"); the actor recogniser leaves such names to us
                found.extend(self._names_in(doc, ent.start, ent.end, True, tagged=False))
            taken.update(range(ent.start, ent.end))
        run: list[int] = []
        for token in [*doc, None]:
            if token is not None and token.pos_ == "PROPN" and token.i not in taken:
                run.append(token.i)
                continue
            if run:
                found.extend(self._names_in(doc, run[0], run[-1] + 1, True, tagged=False))
                run = []
        found = [t for t in found if not article.in_boilerplate(t.start, t.end)]
        return sorted(found, key=lambda t: t.start)

    def _names_in(
        self, doc: Doc, start: int, end: int, whole: bool, tagged: bool
    ) -> list[_Toponym]:
        """Place names within tokens [start, end): the whole span if ``whole`` and it is a
        known name, otherwise the longest known names of proper nouns inside it."""
        while start < end and doc[start].lower_ == "the":
            start += 1
        while end > start and doc[end - 1].tag_ == "POS":
            end -= 1
        if whole:
            whole_span = self._lookup(doc[start:end], tagged)
            if whole_span:
                return [whole_span]
        out = []
        i = start
        while i < end:
            hit = self._longest_name_at(doc, i, end, tagged)
            out.extend([hit] if hit else [])
            i = hit.span.end if hit else i + 1
        return out

    def _longest_name_at(self, doc: Doc, i: int, end: int, tagged: bool) -> _Toponym | None:
        for size in range(min(_MAX_NAME_TOKENS, end - i), 0, -1):
            tokens = doc[i : i + size]
            if all(t.pos_ == "PROPN" for t in tokens):
                hit = self._lookup(tokens, tagged)
                if hit:
                    return hit
        return None

    def _lookup(self, span: Span, tagged: bool) -> _Toponym | None:
        text = span.text
        if not text or not text[0].isupper():
            return None
        candidates = self.gazetteer.candidates(text)
        if not tagged:
            candidates = [c for c in candidates if _prominent(c)]
        if not candidates:
            return None
        return _Toponym(span, candidates)

    # -- metonyms ----------------------------------------------------------------

    def _is_metonym(self, toponym: _Toponym, actors: list[ActorRef]) -> bool:
        root = toponym.span.root
        if in_locative_phrase(root, self.lexicon):
            return False
        role = clause_role(root)
        if role.dep_ in ("nsubj", "csubj") and role.head.pos_ in ("VERB", "AUX"):
            return True
        if role.dep_ == "pobj" and role.head.dep_ == "agent":
            return True
        modifier = role.dep_ in ("compound", "poss", "amod", "nmod")
        if modifier and role.head.lemma_.lower() in self.lexicon.actor_nouns:
            return True
        return any(
            _coincides(actor, toponym) or (modifier and _contains(actor, toponym))
            for actor in actors
        )

    # -- context and choice ------------------------------------------------------

    @staticmethod
    def _link_qualifiers(doc: Doc, toponyms: list[_Toponym]) -> None:
        """ "Moscow, Idaho": the second name says where the first one lies."""
        text = doc_text(doc)
        for first, second in pairwise(toponyms):
            between = text[first.end : second.start]
            if between.strip() == ",":
                first.qualifier = second

    def _context(
        self, toponyms: list[_Toponym], actors: list[ActorRef]
    ) -> tuple[Counter[str], set[tuple[str, str]]]:
        """Countries and first-level divisions the article is about."""
        countries: Counter[str] = Counter()
        divisions: set[tuple[str, str]] = set()
        for actor in actors:
            for code in (actor.country, (actor.code or "")[:3]):
                if code and self.gazetteer.country(code):
                    countries[code] += 1
                    break
        for toponym in toponyms:
            top = toponym.candidates[0]
            places_in = {c.country for c in toponym.candidates}
            if (top.feature == "country" or len(places_in) == 1) and top.country:
                countries[top.country] += 1
            if top.feature == "admin1" and top.country and top.admin1:
                divisions.add((top.country, top.admin1))
        return countries, divisions

    def _choose(
        self, toponym: _Toponym, countries: Counter[str], divisions: set[tuple[str, str]]
    ) -> GazetteerEntry:
        key = normalize_name(toponym.span.text)
        within = _qualifier_scope(toponym.qualifier)

        def score(entry: GazetteerEntry) -> float:
            value = prominence(entry)
            if entry.country and entry.country in countries:
                value += _IN_COUNTRY
            if entry.feature == "city" and (entry.country, entry.admin1) in divisions:
                value += _IN_DIVISION
            if (entry.country, None) in within or (entry.country, entry.admin1) in within:
                value += _QUALIFIED
            if normalize_name(entry.name) == key:
                value += _PRIMARY_NAME
            return value

        return max(toponym.candidates, key=score)


def _qualifier_scope(qualifier: _Toponym | None) -> set[tuple[str, str | None]]:
    """(country, division) pairs a qualifying name may stand for ("Idaho" -> USA, ID)."""
    if qualifier is None:
        return set()
    scope: set[tuple[str, str | None]] = set()
    for entry in qualifier.candidates:
        if entry.country and entry.feature in ("country", "admin1"):
            scope.add((entry.country, entry.admin1 if entry.feature == "admin1" else None))
    return scope


def _prominent(entry: GazetteerEntry) -> bool:
    """Whether an untagged proper noun may name this entry (not every small town)."""
    return entry.feature != "city" or entry.capital or entry.population >= _MIN_UNTAGGED_CITY


def _coincides(actor: ActorRef, toponym: _Toponym) -> bool:
    """An actor mention covering the toponym and little else ("the", "'s")."""
    if actor.start > toponym.start or actor.end < toponym.end:
        return False
    return (actor.end - actor.start) - (toponym.end - toponym.start) <= 4


def _contains(actor: ActorRef, toponym: _Toponym) -> bool:
    """An actor mention the toponym modifies ("United Arab Emirates President ...")."""
    return actor.start <= toponym.start and actor.end >= toponym.end


def _to_place(toponym: _Toponym, article: Article) -> Place:
    entry = toponym.chosen or toponym.candidates[0]
    return Place(
        text=article.text[toponym.start : toponym.end],
        start=toponym.start,
        end=toponym.end,
        name=entry.name,
        country=entry.country,
        lat=entry.lat,
        lon=entry.lon,
        geonameid=entry.geonameid,
        feature=entry.feature,
    )
