"""What a run of the model coder did and cost, for its progress and closing lines."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class RunStats:
    """Counters of one run; the client's threads add to them under a lock."""

    #: Sentences answered (from the server or the cache).
    sentences: int = 0
    #: Sentences not sent: no actor candidate in them.
    without_actor: int = 0
    #: Sentences not sent because the run had stopped asking (server down, budget spent).
    not_sent: int = 0
    requests: int = 0
    cached: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: Seconds spent waiting for the server, all requests together.
    request_seconds: float = 0.0
    accepted: int = 0
    #: Rejected events and malformed answers, by reason.
    dropped: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: float) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    def drop(self, reason: str) -> None:
        with self._lock:
            self.dropped[reason] += 1

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def elapsed(self) -> float:
        return max(time.monotonic() - self.started, 1e-9)

    def progress(self) -> str:
        """Requests so far and their rates, on one line."""
        seconds = self.elapsed()
        return (
            f"model: {self.requests} requests ({self.cached} answered from the cache), "
            f"{self.requests / seconds:.2f} requests/s, {self.tokens / seconds:.0f} tokens/s"
        )

    def summary(self) -> str:
        """The closing line: what was sent, skipped, cost and dropped."""
        dropped = sum(self.dropped.values())
        reasons = ", ".join(f"{reason} {n}" for reason, n in self.dropped.most_common())
        parts = [
            f"{self.progress()} in {self.elapsed():.1f} s",
            f"{self.tokens} tokens ({self.prompt_tokens} prompt, {self.completion_tokens} answer)",
            f"{self.sentences} sentences answered",
            f"{self.without_actor} skipped without an actor candidate",
        ]
        if self.not_sent:
            parts.append(f"{self.not_sent} not sent after the model coder stopped")
        if self.failed:
            parts.append(f"{self.failed} requests failed")
        parts.append(f"{self.accepted} model events passed the checks")
        parts.append(f"{dropped} dropped" + (f" ({reasons})" if reasons else ""))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "sentences": self.sentences,
            "without_actor": self.without_actor,
            "not_sent": self.not_sent,
            "requests": self.requests,
            "cached": self.cached,
            "failed": self.failed,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "seconds": round(self.elapsed(), 3),
            "request_seconds": round(self.request_seconds, 3),
            "accepted": self.accepted,
            "dropped": dict(self.dropped),
        }
