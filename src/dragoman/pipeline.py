"""The pipeline object: Article in, Annotations (actors, times, places, events) out.

The CLI, the store writer, the web app and the evaluation harness all call the
same object. Models and data files are loaded once, when it is built.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from dragoman.actors import ActorRecognizer, KnowledgeBase
from dragoman.candidates import selective_parser
from dragoman.events import EventCoder
from dragoman.ingest.normalize import MAX_RUN, analysis_text, long_runs
from dragoman.knowledge.own import OwnKnowledge
from dragoman.nlp import MAX_SENTENCE_TOKENS, SENTENCE_CUTS, load_nlp
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

#: An article longer than this many characters is analysed in sections of at most this
#: many characters (see ``Pipeline._annotate_in_sections``). No news article in the gold
#: data comes near it (the longest has 6,220 characters).
SECTION_CHARS = 20_000

_log = logging.getLogger(__name__)


class ArticleError(ValueError):
    """An article that could not be annotated, and why: its message is one line naming the
    article (where it was read, else its id). The others in the batch go on."""

    def __init__(self, article: Article, reason: str) -> None:
        super().__init__(f"{article.origin or article.id}: {reason}")
        self.article = article
        self.reason = reason


class _OutOfTime(Exception):
    """An article's time ran out before ``stage``."""

    def __init__(self, stage: str, spent: float, budget: float, where: str = "") -> None:
        super().__init__(stage)
        self.stage = stage
        self.spent = spent
        self.budget = budget
        self.where = where


class _Clock:
    """Seconds one article has spent in the stages, against its budget."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.spent = 0.0
        self.stage = "reading"
        #: Which part of the article is being worked on ("section 3 of 11"), if not all.
        self.where = ""

    def run(self, stage: str, function: Callable[..., Any], *args: Any) -> Any:
        self.stage = stage
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            self.spent += time.perf_counter() - started

    def check(self, next_stage: str) -> None:
        """Stop the article (``_OutOfTime``) when its time is spent before ``next_stage``."""
        if self.spent > self.budget:
            raise _OutOfTime(next_stage, self.spent, self.budget, self.where)


@dataclass
class _Work:
    """One article between its stages."""

    article: Article
    #: The text the stages read (cased where the article is written in one case).
    text: str
    times: list
    #: What the parser reads: ``text`` with boilerplate blanked, same length.
    analysis: str
    clock: _Clock
    notes: list[str] = field(default_factory=list)


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
        # spaCy refuses texts over max_length characters (1,000,000 by default); an article
        # within the size limit (at most one character a byte) must never meet that refusal.
        # ``annotate_many`` parses long articles in sections; ``explain`` parses them whole.
        self.nlp.max_length = max(self.nlp.max_length, self.settings.max_article_bytes + 1)
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
            parse=self.nlp,  # re-reads headline clauses (events/headlines.py)
        )
        self.casing = CaseRestorer(self.actors.kb, self.places.gazetteer, self.nlp)
        #: Parses only the lines of articles that may hold an event (candidates.py), when
        #: ``DRAGOMAN_SELECTIVE_PARSE`` asks for it; else None and ``self.nlp`` parses.
        self.selective = selective_parser(self.nlp, lexicon)
        #: A second coder (``dragoman.llm.LLMCoder``) combining its events with the rules',
        #: when the run asks for one (``--coder llm|both``).
        self.model_coder = None

    @property
    def parser(self):
        """What parses articles: the selective parser when there is one, else ``self.nlp``."""
        return self.selective or self.nlp

    def annotate(self, article: Article) -> Annotations:
        """Everything Dragoman finds in one article, events included.

        Raises :class:`ArticleError` (its message one line naming the article) when the
        article cannot be analysed or runs out of time.
        """
        failures: list[ArticleError] = []
        for annotated in self.annotate_many([article], on_error=failures.append):
            return annotated
        raise failures[0]

    def extract(self, article: Article) -> list[Event]:
        """The events of one article."""
        return self.annotate(article).events

    def annotate_many(
        self,
        articles: Iterable[Article],
        batch_size: int = 32,
        on_error: Callable[[ArticleError], None] | None = None,
    ) -> Iterator[Annotations]:
        """Annotate a stream of articles, parsing them in batches for speed, in their order.

        One article never stops the batch: an article that fails (whatever is raised while
        it is analysed) or is still unfinished after ``settings.article_seconds`` is left
        out and given to ``on_error`` as an :class:`ArticleError` (logged as a warning when
        no ``on_error`` is given); the others are annotated as usual.
        """
        report = on_error or _log_failure
        pending: list[_Work] = []
        for article in articles:
            work = _guarded(article, report, self._prepare, article)
            if work is None:
                continue
            if len(work.analysis) > SECTION_CHARS:
                yield from self._finish_batch(pending, report)
                pending = []
                annotations = _guarded(article, report, self._annotate_in_sections, work)
                if annotations is not None:
                    yield annotations
                continue
            pending.append(work)
            if len(pending) >= batch_size:
                yield from self._finish_batch(pending, report)
                pending = []
        yield from self._finish_batch(pending, report)

    def _prepare(self, article: Article) -> _Work:
        """The stages before the parse: dates, time expressions, the text the parser reads."""
        clock = _Clock(self.settings.article_seconds)
        article, text, times = clock.run("dates", self._with_publication_date, article)
        analysis = analysis_text(article, text)
        notes = []
        runs = long_runs(text)
        if runs:
            notes.append(
                f"{_count(runs, 'run')} of more than {MAX_RUN} characters without a space "
                "broken up for the tokenizer (text and offsets unchanged)"
            )
        return _Work(article, text, times, analysis, clock, notes)

    def _finish_batch(self, batch: list[_Work], report) -> Iterator[Annotations]:
        """Parse ``batch`` together, then annotate each article in it on its own."""
        ready = []
        for work in batch:
            try:
                work.clock.check("parse")
            except _OutOfTime as exc:
                report(_timeout(work.article, exc))
                continue
            ready.append(work)
        if not ready:
            return
        for work, doc in zip(ready, self._parse_batch(ready), strict=True):
            if isinstance(doc, Exception):
                report(_failure(work.article, "parse", doc))
                continue
            annotations = _guarded(work.article, report, self._annotate_doc, work, doc)
            if annotations is not None:
                yield annotations

    def _parse_batch(self, batch: list[_Work]) -> list[Doc | Exception]:
        """One Doc per article; an article whose parse fails gets its exception instead.

        The batch is parsed at once; when that fails, article by article, so that one
        article's failure costs the others nothing. Each article is charged its share of
        the batch's time, by its number of tokens."""
        started = time.perf_counter()
        try:
            docs = list(self.parser.pipe([w.analysis for w in batch], batch_size=len(batch)))
        except Exception:  # noqa: BLE001 - parsed one by one below, each failure its own
            docs = None
        if docs is not None:
            elapsed = time.perf_counter() - started
            tokens = sum(len(doc) for doc in docs) or 1
            for work, doc in zip(batch, docs, strict=True):
                work.clock.spent += elapsed * len(doc) / tokens
            return docs
        out: list[Doc | Exception] = []
        for work in batch:
            try:
                out.append(work.clock.run("parse", self.parser, work.analysis))
            except Exception as exc:  # noqa: BLE001 - this article's failure only
                out.append(exc)
        return out

    def _annotate_doc(self, work: _Work, doc: Doc) -> Annotations:
        mentions, places, events = self._stages(work.clock, doc, work.article, work.times)
        notes = [*work.notes, *_parse_notes(doc.user_data.get(SENTENCE_CUTS, 0))]
        return self._annotations(work, mentions, work.times, places, events, notes)

    def _stages(self, clock: _Clock, doc: Doc, article: Article, times: list):
        """Actors, places and events of a parsed text, each stage on the clock."""
        clock.check("actors")
        mentions = clock.run("actors", self.actors.find, doc, article)
        clock.check("places")
        places = clock.run("places", self.places.find, doc, article, mentions)
        clock.check("events")
        events = clock.run("events", self.coder.code, doc, article, mentions, times, places)
        if self.model_coder is not None:
            # off the article's clock: a model's time is budgeted by the model coder itself
            events = self.model_coder.code(doc, article, mentions, times, places, events)
        return mentions, places, events

    def _annotate_in_sections(self, work: _Work) -> Annotations:
        """A very long article, analysed in sections of at most :data:`SECTION_CHARS`
        characters cut at paragraph (else sentence, else word) breaks: the parse and the
        stages after it work on one section at a time, so their time and memory grow with
        the article's length, not faster, and the clock is checked between sections."""
        clock = work.clock
        article = work.article
        spans = sections(work.analysis, SECTION_CHARS)
        mentions: list = []
        places: list = []
        events: list = []
        cuts = 0
        for number, (start, end) in enumerate(spans, start=1):
            clock.where = f"section {number} of {len(spans)}"
            part = _section(article, start, end)
            times = [_shifted(t, -start) for t in work.times if start <= t.start and t.end <= end]
            clock.check("parse")
            doc = clock.run("parse", self.parser, work.analysis[start:end])
            found = self._stages(clock, doc, part, times)
            mentions.extend(_shifted(m, start) for m in found[0])
            places.extend(_shifted(p, start) for p in found[1])
            events.extend(_shifted(e, start) for e in found[2])
            cuts += doc.user_data.get(SENTENCE_CUTS, 0)
            del doc  # a section's parse is not kept: memory stays that of one section
        notes = [
            *work.notes,
            *_parse_notes(cuts),
            (
                f"analysed in {len(spans)} sections of at most {SECTION_CHARS:,} characters; "
                "references from one section to another (pronouns, earlier dates) are not "
                "resolved"
            ),
        ]
        return self._annotations(work, mentions, work.times, places, events, notes)

    @staticmethod
    def _annotations(work: _Work, mentions, times, places, events, notes) -> Annotations:
        article = work.article
        if notes:
            article = dataclasses.replace(article, notes=[*article.notes, *notes])
        return Annotations(
            article=article, actors=mentions, times=times, places=places, events=events
        )

    def _with_publication_date(self, article: Article) -> tuple[Article, str, list]:
        """Tag time expressions, estimating a missing publication date from the content.

        The stages read ``text``: the article's text, cased where it is written in one case.
        """
        text = self.casing.restore(article.text)
        if article.published is not None:
            times = self.tagger.tag(text, article.published, article.boilerplate, article.text)
            return article, text, times
        times, anchor = self.tagger.tag_undated(text, article.boilerplate, article.text)
        estimate = estimate_published(text, times)
        if estimate is not None:
            article = dataclasses.replace(article, published=estimate, published_estimated=True)
            if estimate != anchor:  # else the expressions were read against it already
                times = self.tagger.tag(text, estimate, article.boilerplate, article.text)
        return article, text, times

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


def _guarded(article: Article, report: Callable[[ArticleError], None], function, *args):
    """``function(*args)``, or None after reporting why it failed for ``article``."""
    try:
        return function(*args)
    except _OutOfTime as exc:
        report(_timeout(article, exc))
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
        clock = args[0].clock if args and isinstance(args[0], _Work) else None
        report(
            _failure(article, clock.stage if clock else "dates", exc, clock.where if clock else "")
        )
    return None


def _timeout(article: Article, exc: _OutOfTime) -> ArticleError:
    """An article whose time ran out, as a one-line ArticleError."""
    where = f" in {exc.where}" if exc.where else ""
    return ArticleError(
        article,
        f"not analysed: unfinished after {exc.spent:.1f} s, over the {exc.budget:g} s an "
        f"article may take (DRAGOMAN_ARTICLE_SECONDS); stopped before "
        f"{_STAGE_NAMES.get(exc.stage, exc.stage)}{where}",
    )


#: What each stage does, as the end of "stopped before ...".
_STAGE_NAMES = {
    "parse": "parsing",
    "actors": "finding actors",
    "places": "finding places",
    "events": "coding events",
}


def _failure(article: Article, stage: str, exc: BaseException, where: str = "") -> ArticleError:
    """An exception raised while ``article`` was in ``stage`` (of the part ``where``), as a
    one-line ArticleError."""
    detail = " ".join(str(exc).split())
    if len(detail) > 200:
        detail = detail[:199] + "…"
    what = type(exc).__name__ + (f": {detail}" if detail else "")
    part = f" of {where}" if where else ""
    error = ArticleError(article, f"not analysed: {what} (in the {stage} stage{part})")
    error.__cause__ = exc
    return error


def _log_failure(error: ArticleError) -> None:
    _log.warning("skipped %s", error)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _parse_notes(cuts: int) -> list[str]:
    """The note saying that ``cuts`` sentence breaks were added for the parser, if any."""
    if not cuts:
        return []
    return [
        (
            f"{_count(cuts, 'sentence break')} added for the parser where more than "
            f"{MAX_SENTENCE_TOKENS} words ran without one"
        )
    ]


def sections(text: str, size: int) -> list[tuple[int, int]]:
    """``text`` cut into spans of at most ``size`` characters, each cut at the last
    paragraph break of the span's second half, else its last line break, else the end of
    its last sentence, else its last space, else at ``size`` characters."""
    spans = []
    start = 0
    while len(text) - start > size:
        low, high = start + size // 2, start + size
        cut = text.rfind("\n\n", low, high)
        if cut >= 0:
            cut += 2
        else:
            cut = text.rfind("\n", low, high)
            cut = cut + 1 if cut >= 0 else _sentence_end(text, low, high)
        if cut < 0:
            cut = text.rfind(" ", low, high)
            cut = cut + 1 if cut >= 0 else high
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _sentence_end(text: str, low: int, high: int) -> int:
    """Offset just after the last sentence end (``. `` and the like) in ``text[low:high]``."""
    best = -1
    for i in range(high - 1, low, -1):
        if text[i] == " " and text[i - 1] in ".!?":
            best = i + 1
            break
    return best


def _section(article: Article, start: int, end: int) -> Article:
    """The part ``start``..``end`` of ``article`` as an article of its own (offsets from 0)."""
    boilerplate = [
        (max(s, start) - start, min(e, end) - start)
        for s, e in article.boilerplate
        if s < end and e > start
    ]
    title = article.title_span
    if title is not None:
        title = (
            (title[0] - start, title[1] - start) if start <= title[0] and title[1] <= end else None
        )
    return dataclasses.replace(
        article, text=article.text[start:end], boilerplate=boilerplate, title_span=title
    )


def _shifted(record: Any, delta: int) -> Any:
    """A copy of ``record`` (an annotation record) with every offset moved by ``delta``.

    Offsets are the int fields named ``start``, ``end`` or ending in ``_start``/``_end``,
    in the record and in the records it holds (actors of an event, its evidence...)."""
    if delta == 0 or not dataclasses.is_dataclass(record):
        return record
    changes = {}
    for f in dataclasses.fields(record):
        if not f.init:
            continue
        value = getattr(record, f.name)
        if isinstance(value, int) and not isinstance(value, bool):
            if f.name in ("start", "end") or f.name.endswith(("_start", "_end")):
                changes[f.name] = value + delta
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes[f.name] = _shifted(value, delta)
        elif isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
            changes[f.name] = [_shifted(item, delta) for item in value]
    return dataclasses.replace(record, **changes)
