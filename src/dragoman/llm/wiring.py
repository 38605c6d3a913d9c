"""The model coder on the command line: starting it on a pipeline as ``--coder`` and
``--policy`` ask (the options are in ``options``), and closing it with its summary.

Kept here so that each command adds only a few lines: one call before its loop and
one after.
"""

from __future__ import annotations

from dragoman.llm.cache import CacheError
from dragoman.llm.client import ServerRefused, ServerUnavailable
from dragoman.llm.coder import LLMCoder, Notify
from dragoman.llm.config import LLMConfigError, LLMSettings


class ModelCoderError(RuntimeError):
    """The model coder cannot run as asked; one line, for an exit with code 2."""


class ModelCoderRun:
    """The model coder of one command: which coders it asked for (``--coder``, else
    ``DRAGOMAN_CODER``), started on a pipeline and finished with its summary. False
    when the rules alone are asked for."""

    def __init__(self, coder: str | None, policy: str | None, notify: Notify) -> None:
        try:
            self.settings = LLMSettings()
        except LLMConfigError as exc:
            raise ModelCoderError(str(exc)) from None
        self.mode = str(coder or self.settings.coder)
        self.policy = str(policy or self.settings.policy)
        self.notify = notify
        self.model_coder: LLMCoder | None = None

    def __bool__(self) -> bool:
        return self.mode != "rules"

    def start(self, pipeline) -> None:
        """Attach the model coder to ``pipeline``. With ``llm`` a server that is down or
        refuses is a :class:`ModelCoderError`; with ``both`` it is said once through
        ``notify`` and the run goes on with the rules alone."""
        if not self:
            return
        try:
            model_coder = LLMCoder(self.settings, self.mode, self.policy, notify=self.notify)
        except (LLMConfigError, CacheError) as exc:
            raise ModelCoderError(str(exc)) from None
        try:
            model = model_coder.start()
        except (ServerUnavailable, ServerRefused) as exc:
            if self.mode == "llm":
                model_coder.close()
                raise ModelCoderError(str(exc)) from None
            model_coder.stop_with(str(exc))
        else:
            policy = f", policy {self.policy}" if self.mode == "both" else ""
            self.notify(
                "note", f"model coder: {model} at {self.settings.url} ({self.mode}{policy})"
            )
        pipeline.model_coder = model_coder
        self.model_coder = model_coder

    def finish(self) -> bool:
        """Say what the model coder did and close it; True when the run must fail
        (``llm``, and the server was down or refused)."""
        model_coder = self.model_coder
        if model_coder is None:
            return False
        self.notify("note", model_coder.stats.summary())
        model_coder.close()
        self.model_coder = None
        return model_coder.mode == "llm" and model_coder.failure is not None
