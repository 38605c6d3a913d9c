"""What protects the explorer: response headers, request size limits, the write token.

* :class:`SecurityHeadersMiddleware` puts a strict Content-Security-Policy and the
  other protective headers on every response: pages, API, static files and errors.
* :class:`RequestLimitsMiddleware` refuses over-long URLs (414) and bodies (413)
  before the application spends anything on them.
* :func:`token_matches` compares a presented write token in constant time and
  :class:`FailedAttempts` locks out a client after repeated wrong tokens (429).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Everything a page uses comes from this server; no inline script or style is allowed,
#: no plugin, no <base>, and no other site may frame the explorer.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

#: Longest path plus query string accepted, in bytes as sent (percent-encoded).
MAX_URL_BYTES = 8192


class SecurityHeadersMiddleware:
    """Sets :data:`SECURITY_HEADERS` on every HTTP response, replacing any given value.

    Installed outside Starlette's own error middleware (see ``app.create_app``), so
    even a 500 answer carries them.
    """

    def __init__(self, app: ASGIApp, headers: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.headers = dict(SECURITY_HEADERS if headers is None else headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised while reading a body that turns out longer than the limit (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail={"message": f"the request body is larger than {limit} bytes"})


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": status, "message": message}).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestLimitsMiddleware:
    """Refuses a URL (path plus query string) over ``max_url_bytes`` with 414, and a
    body over ``max_body_bytes`` with 413.

    A declared ``Content-Length`` over the limit is refused before anything is read;
    a body without one (chunked) is counted as it arrives, and reading past the limit
    raises :class:`BodyTooLarge`, which the application answers as a 413 like any
    other HTTP error.
    """

    def __init__(self, app: ASGIApp, max_url_bytes: int, max_body_bytes: int) -> None:
        self.app = app
        self.max_url_bytes = max_url_bytes
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("raw_path") or scope["path"].encode("utf-8")
        if len(path) + len(scope.get("query_string", b"")) > self.max_url_bytes:
            await _refuse(send, 414, f"the URL is longer than {self.max_url_bytes} bytes")
            return
        limit = self.max_body_bytes
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await _refuse(send, 413, f"the request body is larger than {limit} bytes")
            return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as error:
            # Only reached when something read the body outside the application's
            # error handling; answer here if nothing was sent yet.
            if started:
                raise
            await _refuse(send, 413, str(error.detail["message"]))


def token_matches(authorization: str | None, token: str) -> bool:
    """Whether an ``Authorization`` header value is ``Bearer <token>``.

    The comparison takes the same time wherever the given token differs and
    whatever its length (both sides are hashed first). Header values arrive as
    Latin-1 text, so they are turned back into their bytes; any byte is fine.
    """
    scheme, _, given = (authorization or "").partition(" ")
    presented = given.strip().encode("latin-1", errors="replace")
    same = hmac.compare_digest(
        hashlib.sha256(presented).digest(), hashlib.sha256(token.encode("utf-8")).digest()
    )
    return same and scheme.lower() == "bearer"


class FailedAttempts:
    """Failed write attempts per client in a sliding window.

    After ``limit`` failures within ``window`` seconds a client is refused until the
    oldest of them is ``window`` seconds old; :meth:`retry_after` says how long.
    At most ``max_clients`` clients are remembered (the oldest are forgotten first),
    so a flood of addresses cannot grow the table without bound.
    """

    def __init__(
        self,
        limit: int = 5,
        window: float = 60.0,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0 or max_clients < 1:
            raise ValueError("limit, window and max_clients must be positive")
        self.limit = limit
        self.window = window
        self.max_clients = max_clients
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float] | None:
        times = self._failures.get(client)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[client]
            return None
        return times

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again; 0 if it may now."""
        with self._lock:
            now = self._clock()
            times = self._recent(client, now)
            if times is None or len(times) < self.limit:
                return 0
            return max(1, math.ceil(times[0] + self.window - now))

    def record(self, client: str) -> None:
        """Count one failed attempt of ``client``."""
        with self._lock:
            now = self._clock()
            times = self._recent(client, now)
            if times is None:
                if len(self._failures) >= self.max_clients:
                    for known in list(self._failures):
                        self._recent(known, now)
                while len(self._failures) >= self.max_clients:
                    del self._failures[next(iter(self._failures))]
                times = self._failures[client] = deque(maxlen=self.limit)
            times.append(now)

    def clear(self, client: str) -> None:
        """Forget the failures of ``client`` (after it showed the right token)."""
        with self._lock:
            self._failures.pop(client, None)
