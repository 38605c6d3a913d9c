"""The pipeline object: Article in, Annotations (actors, times, places, events) out.

The CLI, the store writer, the web app and the evaluation harness all call the
same object. Models and data files are loaded once, when it is built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from dragoman.actors import ActorRecognizer, KnowledgeBase
from dragoman.events import EventCoder
from dragoman.ingest.normalize import analysis_text
from dragoman.knowledge.own import OwnKnowledge
from dragoman.nlp import load_nlp
from dragoman.nlp_case import CaseRestorer
from dragoman.ontology import Lexicon, cameo_entry
from dragoman.ontology.discards import Discards
from dragoman.ontology.gatherings import load_gatherings
from dragoman.ontology.non_agents import load_non_agents
from dragoman.ontology.senses import Senses
from dragoman.place import Gazetteer, PlaceResolver, place_for_predicate
from dragoman.records import Annotations, Article, Event
from dragoman.settings import Settings
from dragoman.time import TimeTagger, estimate_published


class Pipeline:
    """Dragoman's main job for one process: build once, call many times."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        knowledge_base: KnowledgeBase | None = None,
        lexicon: Lexicon | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        """Knowledge not passed in is the package's, with the user's own files named by
        ``settings`` (``--lexicon``, ``--actors``, ``DRAGOMAN_KNOWLEDGE``) in front."""
        self.settings = settings or Settings()
        self.nlp = load_nlp(self.settings.model)
        own = OwnKnowledge.from_paths(
            self.settings.knowledge, self.settings.lexicon_files, self.settings.actor_files
        )
        knowledge_base = knowledge_base or own.knowledge_base()
        lexicon = lexicon or own.lexicon()
        gazetteer = gazetteer or Gazetteer.load()
        self.actors = ActorRecognizer(
            self.nlp, knowledge_base, is_place=gazetteer.is_prominent_place
        )
        self.tagger = TimeTagger()
        self.places = PlaceResolver(gazetteer)
        # the coder's knowledge, loaded here: its data files are the pipeline's to choose
        self.coder = EventCoder(
            lexicon,
            cameo_entry,
            place_for_predicate,
            non_agents=load_non_agents(),
            senses=Senses.load(),
            actor_words=_actor_words(knowledge_base),
            discards=Discards.load(),
            gatherings=load_gatherings(),
        )
        self.casing = CaseRestorer(self.actors.kb, self.places.gazetteer, self.nlp)

    def annotate(self, article: Article) -> Annotations:
        """Everything Dragoman finds in one article, events included."""
        return next(self.annotate_many([article]))

    def extract(self, article: Article) -> list[Event]:
        """The events of one article."""
        return self.annotate(article).events

    def annotate_many(
        self, articles: Iterable[Article], batch_size: int = 32
    ) -> Iterator[Annotations]:
        """Annotate a stream of articles, parsing them in batches for speed."""
        dated = (self._with_publication_date(a) for a in articles)
        pairs = self.nlp.pipe(
            ((analysis_text(article, text), (article, times)) for article, text, times in dated),
            as_tuples=True,
            batch_size=batch_size,
        )
        for doc, (article, times) in pairs:
            yield self._annotate_parsed(doc, article, times)

    def _with_publication_date(self, article: Article) -> tuple[Article, str, list]:
        """Tag time expressions, estimating a missing publication date from the content.

        The stages read ``text``: the article's text, cased where it is written in one case.
        """
        text = self.casing.restore(article.text)
        times = self.tagger.tag(text, article.published, article.boilerplate, article.text)
        if article.published is None:
            estimate = estimate_published(text, times)
            if estimate is not None:
                article = dataclasses.replace(article, published=estimate, published_estimated=True)
                times = self.tagger.tag(text, article.published, article.boilerplate, article.text)
        return article, text, times

    def _annotate_parsed(self, doc: Doc, article: Article, times) -> Annotations:
        mentions = self.actors.find(doc, article)
        places = self.places.find(doc, article, mentions)
        events = self.coder.code(doc, article, mentions, times, places)
        return Annotations(
            article=article, actors=mentions, times=times, places=places, events=events
        )

    def explain(self, article: Article) -> tuple[Doc, Annotations, list]:
        """One article parsed once and annotated with the coder's trace on: the parse, the
        annotations (events included) and one ``Verdict`` per predicate the coder weighed,
        saying whether it was coded and why not (what ``dragoman explain`` shows)."""
        article, text, times = self._with_publication_date(article)
        doc = self.nlp(analysis_text(article, text))
        mentions = self.actors.find(doc, article)
        places = self.places.find(doc, article, mentions)
        trace: list = []
        events = self.coder.code(doc, article, mentions, times, places, trace=trace)
        annotations = Annotations(
            article=article, actors=mentions, times=times, places=places, events=events
        )
        return doc, annotations, trace


def _actor_words(kb: KnowledgeBase):
    """Word -> (label, sector) for the knowledge base's words for kinds of actors with a
    sector ("police" -> police, COP), for the coder's nominal acts ("a police raid")."""

    def lookup(word: str) -> tuple[str, str] | None:
        for term in kb.lookup_term(word):
            if term.category in ("role", "body") and term.sector:
                return term.label, term.sector
        return None

    return lookup
