"""The second coder: a language model asked sentence by sentence, every answer checked.

Only sentences in which Dragoman's recogniser found an actor are sent (an event needs a
source it can resolve). Requests run a few at a time; the answers are read and checked
in the calling thread, in sentence order, so results do not depend on timing. The coder
stops asking, saying why once, when the server is down or refuses, when requests keep
failing, or when the run's token or time budget is spent; from then on the rules'
events are returned as they are (``both``) or none (``llm``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from spacy.tokens import Doc, Span

from dragoman.llm.cache import ResponseCache, cache_key
from dragoman.llm.checks import Rejected, Sentence, check_event
from dragoman.llm.client import ChatClient, RequestFailed, ServerRefused, ServerUnavailable
from dragoman.llm.combine import combine
from dragoman.llm.config import LLMSettings
from dragoman.llm.prompt import Prompt, load_prompt
from dragoman.llm.schema import MalformedAnswer, answer_schema, event_errors, parse_answer
from dragoman.llm.stats import RunStats
from dragoman.records import ActorRef, Article, Event, Place, TimeExpr

#: Failed requests in a row after which the server is taken as unable to answer.
FAILURES_IN_A_ROW = 3
#: Seconds between two progress lines.
PROGRESS_EVERY = 10.0
#: Reasons a whole answer is dropped (an event's own reasons are in ``checks``).
MALFORMED = "malformed answer"
SCHEMA = "does not follow the schema"

#: Called with ``("error" | "note" | "progress", one line)``.
Notify = Callable[[str, str], None]
#: Called with an article and the rules' and the model's checked events (evaluation).
Observer = Callable[[Article, list[Event], list[Event]], None]


class LLMCoder:
    """Codes the sentences of an article with a model; see :meth:`code`."""

    def __init__(
        self,
        settings: LLMSettings,
        mode: str = "both",
        policy: str = "union",
        *,
        client: ChatClient | None = None,
        cache: ResponseCache | None = None,
        prompt: Prompt | None = None,
        notify: Notify | None = None,
        observer: Observer | None = None,
    ) -> None:
        self.settings = settings
        self.mode = mode
        self.policy = policy
        self.prompt = prompt or load_prompt()
        self.client = client or ChatClient(
            settings.require_url(),
            settings.model,
            settings.api_key,
            timeout=settings.timeout,
            retries=settings.retries,
            answer_tokens=settings.answer_tokens,
            connections=settings.concurrency,
        )
        if cache is None and settings.cache is not None:
            cache = ResponseCache(settings.cache)
        self.cache = cache
        self.notify = notify or (lambda kind, message: None)
        self.observer = observer
        self.stats = RunStats()
        #: Why the coder stopped asking, when it did for a failure (one line).
        self.failure: str | None = None
        self._stopped: str | None = None
        self._failures_in_a_row = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=settings.concurrency)
        self._last_progress = time.monotonic()

    def start(self) -> str:
        """Check that the server answers and name the model (the server's first when
        none is set); raises ``ServerUnavailable`` or ``ServerRefused``."""
        return self.client.resolve_model()

    def stop_with(self, message: str) -> None:
        """Stop asking for a failure found before the first article (``start`` failed)."""
        self._stop(message, failure=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.client.close()
        if self.cache is not None:
            self.cache.close()

    # -- coding ------------------------------------------------------------------------

    def code(
        self,
        doc: Doc,
        article: Article,
        mentions: list[ActorRef],
        times: list[TimeExpr],
        places: list[Place],
        rule_events: list[Event],
    ) -> list[Event]:
        """The article's events by the chosen coders and policy."""
        sentences = [
            Sentence.of(doc, span, article, mentions, times, places)
            for span in doc.sents
            if _codable(span, article)
        ]
        with_actor = [s for s in sentences if s.mentions]
        self.stats.add(without_actor=len(sentences) - len(with_actor))
        answers = self._answers(with_actor)
        asked: list[tuple[int, int]] = []
        model_events: list[Event] = []
        for sentence, content in zip(with_actor, answers, strict=True):
            if content is None:
                continue
            asked.append((sentence.start, sentence.end))
            model_events.extend(self._checked(content, sentence))
        self._maybe_progress()
        if self.observer is not None:
            self.observer(article, rule_events, model_events)
        if self.mode == "llm":
            return model_events
        return combine(rule_events, model_events, asked, self.policy)

    def _answers(self, sentences: list[Sentence]) -> list[str | None]:
        """The answer text of each sentence (None where none was had), asked a few at a
        time in the pool."""
        return list(self._pool.map(self._answer, sentences))

    def _answer(self, sentence: Sentence) -> str | None:
        if self._stopped and self.client.model is None:
            self.stats.add(not_sent=1)
            return None
        try:
            model = self.client.resolve_model()
        except (ServerUnavailable, ServerRefused) as exc:
            self._stop(str(exc), failure=True)
            self.stats.add(not_sent=1)
            return None
        key = cache_key(model, self.prompt.version, sentence.text)
        if self.cache is not None:
            content = self.cache.get(key)
            if content is not None:
                self.stats.add(cached=1, requests=1, sentences=1)
                return content
        if self._stopped or self._over_budget():
            self.stats.add(not_sent=1)
            return None
        started = time.monotonic()
        try:
            reply = self.client.ask(self.prompt.messages(sentence.text), answer_schema())
        except (ServerUnavailable, ServerRefused) as exc:
            self._stop(str(exc), failure=True)
            self.stats.add(not_sent=1)
            return None
        except RequestFailed as exc:
            self.stats.add(failed=1, request_seconds=time.monotonic() - started)
            self._failures_in_a_row += 1
            if self._failures_in_a_row >= FAILURES_IN_A_ROW:
                self._stop(f"{exc}; {FAILURES_IN_A_ROW} requests failed in a row", failure=True)
            return None
        self._failures_in_a_row = 0
        self.stats.add(
            requests=1,
            sentences=1,
            prompt_tokens=reply.prompt_tokens,
            completion_tokens=reply.completion_tokens,
            request_seconds=time.monotonic() - started,
        )
        if self.cache is not None:
            self.cache.put(key, reply.content, reply.tokens)
        return reply.content

    def _checked(self, content: str, sentence: Sentence) -> list[Event]:
        """The events of an answer that pass every check; the others counted by reason."""
        try:
            items = parse_answer(content)
        except MalformedAnswer:
            self.stats.drop(MALFORMED)
            return []
        events = []
        for item in items:
            if event_errors(item) is not None:
                self.stats.drop(SCHEMA)
                continue
            try:
                event = check_event(item, sentence, self.prompt.confidence)
            except Rejected as exc:
                self.stats.drop(exc.reason)
                continue
            events.append(event)
        self.stats.add(accepted=len(events))
        return events

    # -- stopping ----------------------------------------------------------------------

    def _over_budget(self) -> bool:
        budget = self.settings.token_budget
        if budget is not None and self.stats.tokens >= budget:
            self._stop(
                f"the run's token budget ({budget}, DRAGOMAN_LLM_TOKEN_BUDGET) is spent",
                failure=False,
            )
            return True
        seconds = self.settings.time_budget
        if seconds is not None and self.stats.elapsed() >= seconds:
            self._stop(
                f"the run's time budget ({seconds:g} s, DRAGOMAN_LLM_TIME_BUDGET) is spent",
                failure=False,
            )
            return True
        return False

    def _stop(self, message: str, failure: bool) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = message
        if failure:
            self.failure = message
        self.notify(
            "error" if failure else "note",
            f"model coder stopped: {message}; "
            + (
                "no more model events"
                if self.mode == "llm"
                else "the rules' events only from here on"
            ),
        )

    def _maybe_progress(self) -> None:
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_EVERY:
            self._last_progress = now
            self.notify("progress", self.stats.progress())


def _codable(span: Span, article: Article) -> bool:
    """A sentence the rules would read too: not the headline, not blank, not boilerplate."""
    if not span.text.strip():
        return False
    if article.title_span is not None:
        start, end = article.title_span
        if span.start_char < end and span.end_char > start:
            return False
    return not all(
        article.in_boilerplate(t.idx, t.idx + len(t.text)) for t in span if not t.is_space
    )
