"""A client of the OpenAI chat-completions protocol, the one vLLM, llama.cpp, Ollama and
hosted APIs all speak.

It asks for structured output with the answer's JSON Schema (``response_format`` of
type ``json_schema``), falls back to ``json_object`` with the schema (llama.cpp's
form) when the server refuses the first, retries what may pass on a second try
(timeouts, dropped connections, 429 and 5xx) with growing pauses, and turns every
failure into an exception whose message is one line and never holds the key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

#: Structured-output forms tried in turn until the server takes one.
RESPONSE_FORMATS = ("json_schema", "json_object")
#: Longest pause between two tries, whatever the server's Retry-After says.
MAX_PAUSE = 30.0


class ServerUnavailable(RuntimeError):
    """The server cannot be reached (down, wrong address): no request of the run can pass."""


class ServerRefused(RuntimeError):
    """The server answered but refuses the requests (bad key, unknown model, bad request)."""


class RequestFailed(RuntimeError):
    """This one request failed after its retries (timeout, 5xx, a reply of the wrong shape)."""


@dataclass(frozen=True)
class Reply:
    """The text of a model's answer and what it cost."""

    content: str
    prompt_tokens: int
    completion_tokens: int

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class ChatClient:
    """Requests to one server for one model; safe to share between threads."""

    def __init__(
        self,
        url: str,
        model: str | None,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        retries: int = 2,
        answer_tokens: int = 512,
        connections: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.retries = retries
        self.answer_tokens = answer_tokens
        self._sleep = sleep
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=connections),
        )
        self._format = RESPONSE_FORMATS[0]
        self._lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    @property
    def response_format(self) -> str:
        """The structured-output form the server took (or will be asked first)."""
        return self._format

    # -- requests ----------------------------------------------------------------------

    def models(self) -> list[str]:
        """The model names the server lists (``GET /models``): a cheap check that it is
        up and accepts the key before any sentence is sent."""
        response = self._send("GET", "/models", None)
        try:
            return [str(m["id"]) for m in response.json()["data"]]
        except (ValueError, KeyError, TypeError):
            raise ServerRefused(f"{self.url}/models: not an OpenAI-compatible model list") from None

    def resolve_model(self) -> str:
        """The model to ask: the one named, else the server's first listed model."""
        if self.model:
            return self.model
        names = self.models()
        if not names:
            raise ServerRefused(f"{self.url} lists no model; set DRAGOMAN_LLM_MODEL")
        self.model = names[0]
        return self.model

    def ask(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> Reply:
        """The model's answer to ``messages``, asked to follow ``schema``."""
        model = self.resolve_model()
        while True:
            form = self._format
            body = {
                "model": model,
                "messages": messages,
                "temperature": 0,
                "max_tokens": self.answer_tokens,
                "response_format": _response_format(form, schema),
            }
            try:
                response = self._send("POST", "/chat/completions", body)
            except ServerRefused as exc:
                if getattr(exc, "format_refused", False) and self._fall_back(form):
                    continue
                raise
            return _reply(response, self.url)

    def _fall_back(self, refused: str) -> bool:
        """Move to the next structured-output form after ``refused`` was refused; False
        when there is none left."""
        with self._lock:
            if self._format != refused:
                return True  # another thread moved on already
            index = RESPONSE_FORMATS.index(refused)
            if index + 1 >= len(RESPONSE_FORMATS):
                return False
            self._format = RESPONSE_FORMATS[index + 1]
            return True

    def _send(self, method: str, path: str, body: dict[str, Any] | None) -> httpx.Response:
        """One request with its retries; the response when its status is 2xx."""
        where = f"{self.url}{path}"
        attempt = 0
        while True:
            pause = _pause(attempt)
            try:
                response = self._http.request(method, where, json=body)
            except httpx.TimeoutException:
                problem: Exception = RequestFailed(
                    f"{where}: no answer within {self._http.timeout.read:g} s "
                    "(DRAGOMAN_LLM_TIMEOUT)"
                )
            except httpx.TransportError as exc:
                problem = ServerUnavailable(f"cannot reach {where}: {_reason(exc)}")
            else:
                if response.is_success:
                    return response
                status = response.status_code
                detail = _detail(response)
                message = f"{where} answered {status}: {detail}"
                if _refuses_format(status, detail, body):
                    refused = ServerRefused(message)
                    refused.format_refused = True  # type: ignore[attr-defined]
                    raise refused
                if status == 429 or status >= 500:
                    problem = RequestFailed(message)
                    pause = max(pause, _retry_after(response))
                else:
                    refused = ServerRefused(message)
                    refused.status = status  # type: ignore[attr-defined]
                    raise refused
            if attempt >= self.retries:
                raise problem
            attempt += 1
            self._sleep(pause)


def _refuses_format(status: int, detail: str, body: dict[str, Any] | None) -> bool:
    """Whether a failed request was refused for its structured-output form: a 400 or 422,
    or a server error naming ``response_format`` (llama-cpp-python's server answers 500
    to a form it does not know)."""
    if body is None or "response_format" not in body:
        return False
    return status in (400, 422) or (status >= 500 and "response_format" in detail)


def _response_format(form: str, schema: dict[str, Any]) -> dict[str, Any]:
    if form == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": "dragoman_events", "strict": True, "schema": schema},
        }
    return {"type": "json_object", "schema": schema}


def _reply(response: httpx.Response, url: str) -> Reply:
    try:
        data = response.json()
        content = data["choices"][0]["message"]["content"]
        usage = data.get("usage") or {}
        prompt_tokens = int(usage.get("prompt_tokens") or 0)
        completion_tokens = int(usage.get("completion_tokens") or 0)
    except (ValueError, KeyError, IndexError, TypeError):
        raise RequestFailed(f"{url}/chat/completions: not a chat-completions reply") from None
    if not isinstance(content, str):
        raise RequestFailed(f"{url}/chat/completions: the reply holds no text")
    return Reply(content, prompt_tokens, completion_tokens)


def _pause(attempt: int) -> float:
    """Seconds to wait before try ``attempt + 1``: 0.5, 1, 2, 4... at most 8."""
    return min(0.5 * 2**attempt, 8.0)


def _retry_after(response: httpx.Response) -> float:
    raw = response.headers.get("retry-after", "")
    try:
        return min(max(float(raw), 0.0), MAX_PAUSE)
    except ValueError:
        return 0.0


def _detail(response: httpx.Response) -> str:
    """The server's own error message, shortened to fit on the line."""
    try:
        data = response.json()
        error = data.get("error", data) if isinstance(data, dict) else data
        text = error.get("message", error) if isinstance(error, dict) else error
        text = str(text)
    except ValueError:
        text = response.text
    text = " ".join(text.split()) or response.reason_phrase
    return text if len(text) <= 160 else text[:159] + "…"


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
