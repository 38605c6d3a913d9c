"""The model coder's settings, read once from the environment.

The server's address, model name and key come from ``DRAGOMAN_LLM_URL``,
``DRAGOMAN_LLM_MODEL`` and ``DRAGOMAN_LLM_API_KEY``. The key is never logged, printed
or stored: it is kept out of ``repr`` and out of the response cache's key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Which coders a run uses.
CODERS = ("rules", "llm", "both")
#: How ``both`` combines the two coders' events (see ``dragoman.llm.combine``).
POLICIES = ("union", "intersection", "rules-first")


class LLMConfigError(ValueError):
    """A model-coder setting is missing or malformed; the message is one line naming it."""


def _number(name: str, default: float | None, whole: bool = False) -> float | None:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = -1
    if not value > 0 or value == float("inf"):
        kind = "whole number" if whole else "number"
        raise LLMConfigError(f"{name} must be a positive {kind}, not {raw!r}")
    return value


def _retries() -> int:
    raw = os.environ.get("DRAGOMAN_LLM_RETRIES", "2")
    if not raw.isdigit():
        raise LLMConfigError(
            f"DRAGOMAN_LLM_RETRIES must be a whole number (0 or more), not {raw!r}"
        )
    return int(raw)


def _choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = os.environ.get(name) or default
    if value not in allowed:
        raise LLMConfigError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def default_cache_path() -> Path:
    """Where answers are cached unless ``DRAGOMAN_LLM_CACHE`` says otherwise: the user's
    cache folder (``$XDG_CACHE_HOME``, else ``~/.cache``), so every store shares it."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dragoman" / "llm-answers.sqlite"


def _cache_path() -> Path | None:
    raw = os.environ.get("DRAGOMAN_LLM_CACHE")
    if raw is None or raw == "":
        return default_cache_path()
    if raw.lower() == "off":
        return None
    return Path(raw)


@dataclass(frozen=True)
class LLMSettings:
    """How to reach the model and how much of it a run may use."""

    #: Base address of an OpenAI-compatible API, e.g. ``http://127.0.0.1:8080/v1``.
    url: str | None = field(default_factory=lambda: os.environ.get("DRAGOMAN_LLM_URL") or None)
    #: Model name sent with each request; when unset, the server's first listed model.
    model: str | None = field(default_factory=lambda: os.environ.get("DRAGOMAN_LLM_MODEL") or None)
    api_key: str | None = field(
        default_factory=lambda: os.environ.get("DRAGOMAN_LLM_API_KEY") or None, repr=False
    )
    #: ``rules``, ``llm`` or ``both`` (``DRAGOMAN_CODER``; ``--coder`` overrides it).
    coder: str = field(default_factory=lambda: _choice("DRAGOMAN_CODER", "rules", CODERS))
    policy: str = field(default_factory=lambda: _choice("DRAGOMAN_LLM_POLICY", "union", POLICIES))
    #: Seconds one request may take before it is given up (and retried).
    timeout: float = field(default_factory=lambda: _number("DRAGOMAN_LLM_TIMEOUT", 60.0))
    #: Requests in flight at once.
    concurrency: int = field(
        default_factory=lambda: int(_number("DRAGOMAN_LLM_CONCURRENCY", 4, whole=True))
    )
    #: Further tries after a failed request (timeout, connection error, 429 or 5xx).
    retries: int = field(default_factory=_retries)
    #: Tokens the model may write per answer.
    answer_tokens: int = field(
        default_factory=lambda: int(_number("DRAGOMAN_LLM_ANSWER_TOKENS", 512, whole=True))
    )
    #: Budget of a run: tokens (prompt and answer) and seconds; None for no limit.
    token_budget: int | None = field(
        default_factory=lambda: _whole_or_none(_number("DRAGOMAN_LLM_TOKEN_BUDGET", None, True))
    )
    time_budget: float | None = field(
        default_factory=lambda: _number("DRAGOMAN_LLM_TIME_BUDGET", None)
    )
    #: SQLite file of cached answers, or None (``DRAGOMAN_LLM_CACHE=off``).
    cache: Path | None = field(default_factory=_cache_path)

    def require_url(self) -> str:
        if not self.url:
            raise LLMConfigError(
                "DRAGOMAN_LLM_URL is not set: give the address of an OpenAI-compatible "
                "server, e.g. http://127.0.0.1:8080/v1"
            )
        return self.url.rstrip("/")


def _whole_or_none(value: float | None) -> int | None:
    return None if value is None else int(value)
