"""Polite fetching of web pages and feeds: robots.txt honoured, one request at a time per
host with a pause between them, timeouts, retries with back-off on passing failures, a
size limit, and a user agent that names Dragoman and its version.

Every failure is a :class:`FetchError` whose message is one line saying why; the caller
reports it against the URL and goes on with the next one.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from dragoman import __version__

#: The name robots.txt rules are matched against, and the agent every request names.
ROBOTS_AGENT = "Dragoman"
USER_AGENT = f"{ROBOTS_AGENT}/{__version__} (political event coding from news; honours robots.txt)"
#: Seconds between two requests to one host (``DRAGOMAN_FETCH_DELAY``), unless its
#: robots.txt asks for more; the first wait before a retry too, doubled at each retry.
DEFAULT_DELAY = 1.0
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 3
#: Largest response read (bytes); a longer one is refused, not cut.
DEFAULT_MAX_BYTES = 8_000_000
#: Statuses worth trying again: the server is busy or passing trouble.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Longest wait a Retry-After header may impose.
MAX_RETRY_AFTER = 60.0


class FetchError(Exception):
    """A URL that could not be fetched; the message says why, on one line."""


@dataclass
class Page:
    """A fetched response."""

    url: str
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    #: The server said the page has not changed since ``etag``/``last_modified``.
    not_modified: bool = False
    #: The language the server declares for the page (``Content-Language``), if any.
    language: str | None = None


def fetch_delay() -> float:
    """``DRAGOMAN_FETCH_DELAY`` in seconds; ValueError naming it when it is not a number >= 0."""
    raw = os.environ.get("DRAGOMAN_FETCH_DELAY")
    if raw is None:
        return DEFAULT_DELAY
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value < 3600:
        raise ValueError(f"DRAGOMAN_FETCH_DELAY must be a number of seconds >= 0, not {raw!r}")
    return value


class Fetcher:
    """Fetches URLs for one run; its pauses and robots.txt rules are kept per host."""

    def __init__(
        self,
        *,
        delay: float | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        max_bytes: int = DEFAULT_MAX_BYTES,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.delay = fetch_delay() if delay is None else delay
        self.retries = retries
        self.max_bytes = max_bytes
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=timeout,
            follow_redirects=True,
            transport=transport,
        )
        self._robots: dict[str, RobotFileParser | None] = {}
        self._last: dict[str, float] = {}
        #: Crawl-delay a host's robots.txt asks for, where longer than ``delay``.
        self._delays: dict[str, float] = {}

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Page:
        """The page at ``url``, or FetchError. ``etag`` and ``last_modified`` make the
        request conditional: an unchanged page comes back with ``not_modified`` set."""
        parts = _checked(url)
        robots = self._robots_for(parts)
        if robots is not None and not robots.can_fetch(ROBOTS_AGENT, url):
            raise FetchError("disallowed by the site's robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._request(url, parts.netloc.lower(), headers)

    # -- robots.txt ------------------------------------------------------------------

    def _robots_for(self, parts) -> RobotFileParser | None:
        """The robots.txt rules of a host (None: everything allowed), read once per run.
        A missing robots.txt allows everything; one the server refuses to show (401,
        403) or cannot serve (5xx, no answer) allows nothing, as the standard says."""
        host = parts.netloc.lower()
        if host in self._robots:
            return self._robots[host]
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        parser = RobotFileParser(robots_url)
        try:
            page = self._request(robots_url, host, {}, robots=True)
        except _Status as exc:
            if exc.status in (401, 403) or exc.status >= 500:
                parser.disallow_all = True
            else:
                parser.allow_all = True
        except FetchError:
            parser.disallow_all = True
        else:
            parser.parse(page.content.decode("utf-8", "replace").splitlines())
            delay = parser.crawl_delay(ROBOTS_AGENT)
            if delay:
                self._delays[host] = min(float(delay), MAX_RETRY_AFTER)
        self._robots[host] = parser
        return parser

    # -- requests --------------------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        pause = max(self.delay, self._delays.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            left = last + pause - time.monotonic()
            if left > 0:
                time.sleep(left)
        self._last[host] = time.monotonic()

    def _request(self, url: str, host: str, headers: dict, robots: bool = False) -> Page:
        """GET with retries: a timeout, a dropped connection or a busy status is tried
        again after a pause that doubles each time (or the server's Retry-After)."""
        attempt = 0
        while True:
            self._wait_turn(host)
            try:
                return self._once(url, headers)
            except _Status as exc:
                if exc.status not in RETRY_STATUSES or attempt >= self.retries:
                    if robots:
                        raise
                    raise FetchError(str(exc)) from None
                wait = exc.retry_after
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt >= self.retries or isinstance(exc, httpx.UnsupportedProtocol):
                    raise FetchError(_transport_reason(exc, attempt + 1)) from None
                wait = None
            attempt += 1
            time.sleep(wait if wait is not None else self.delay * 2 ** (attempt - 1))

    def _once(self, url: str, headers: dict) -> Page:
        with self._client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return Page(str(response.url), b"", "", not_modified=True,
                            etag=response.headers.get("etag"),
                            last_modified=response.headers.get("last-modified"))  # fmt: skip
            if response.status_code >= 400:
                raise _Status(response)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"larger than {self.max_bytes:,} bytes ({int(declared):,})")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"larger than {self.max_bytes:,} bytes")
                chunks.append(chunk)
            return Page(
                url=str(response.url),
                content=b"".join(chunks),
                content_type=response.headers.get("content-type", ""),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                language=response.headers.get("content-language") or None,
            )


class _Status(FetchError):
    """An HTTP error status."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        reason = response.reason_phrase or "error"
        super().__init__(f"HTTP {self.status} {reason}")
        self.retry_after = _retry_after(response.headers.get("retry-after"))


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value.strip()), MAX_RETRY_AFTER)
    return None


def _checked(url: str):
    """The parts of ``url``, or FetchError when it is no absolute http(s) URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchError("not a URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError("not an http(s) URL")
    return parts


def _transport_reason(exc: Exception, attempts: int) -> str:
    what = "timed out" if isinstance(exc, httpx.TimeoutException) else "connection failed"
    detail = " ".join(str(exc).split())[:120]
    tries = f" after {attempts} tries" if attempts > 1 else ""
    return f"{what}{tries}" + (f" ({detail})" if detail else "")
