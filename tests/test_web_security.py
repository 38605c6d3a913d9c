"""The explorer's defences: security headers, safe links, path-safe ids, size limits, the token."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from dragoman.records import Annotations
from dragoman.store import open_store
from dragoman.web import create_app
from dragoman.web.security import FailedAttempts, token_matches
from dragoman.web.urls import article_url, http_link

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the test client's own deprecation notice
    from fastapi.testclient import TestClient

try:
    from e2e.synthetic import RU_HAMAS, synthetic_annotations
except ImportError:  # tests/ imported as a package
    from tests.e2e.synthetic import RU_HAMAS, synthetic_annotations

WEB = Path(__file__).resolve().parents[1] / "src" / "dragoman" / "web"
TOKEN = "test-token-123"
XSS_URL = "javascript:alert(4)"
GOOD_URL = "https://example.org/news?id=1&lang=en"

#: Ids a source may well give: paths, URLs, words, any script; and the two a browser
#: would resolve away as a path segment.
ODD_IDS = [
    "feeds/2024/01/a b?c=1#d",
    "https://example.org/story?id=7&x=1",
    "50% off",
    "already%2Fencoded",
    "ünïcode/ニュース",
    "/leading-slash",
    "trailing-slash/",
    "a/../b",
    "..",
    ".",
]


def _copy(found: Annotations, article_id: str, **article_fields: str) -> Annotations:
    """The same annotated article stored under another id (and other metadata)."""
    events = [dataclasses.replace(e, article_id=article_id) for e in found.events]
    article = dataclasses.replace(found.article, id=article_id, **article_fields)
    return Annotations(article, found.actors, found.times, found.places, events)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "events.duckdb"
    base = synthetic_annotations()
    with open_store(path) as store:
        for annotations in base[:2]:
            store.save(annotations)
        store.save(_copy(base[2], "xss-article", url=XSS_URL))
        store.save(_copy(base[2], "good-link", url=GOOD_URL))
        for article_id in ODD_IDS:  # the Gaza article: its events are dated, so on the timeline
            store.save(_copy(base[1], article_id))
    return path


@pytest.fixture
def client(db_path: Path) -> TestClient:
    with TestClient(create_app(db_path)) as test_client:
        yield test_client


class _AsServed:
    """Requests through httpx's ASGI transport, which decodes the path once, as servers do.

    Starlette's TestClient decodes it twice (``%252F`` arrives as ``/``), which would
    make an id with ``%`` in it look unreachable when it is not.
    """

    def __init__(self, app) -> None:
        self.app = app

    def get(self, url: str, **kwargs) -> httpx.Response:
        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.get(url, **kwargs)

        return asyncio.run(fetch())


@pytest.fixture
def served(client: TestClient) -> _AsServed:
    return _AsServed(client.app)


def _annotate(article):
    found = synthetic_annotations()[2]
    return Annotations(article, found.actors, found.times, found.places, [])


@pytest.fixture
def writable(db_path: Path) -> TestClient:
    app = create_app(db_path, write_token=TOKEN, annotate=_annotate, max_body_bytes=4096)
    with TestClient(app) as test_client:
        yield test_client


class _Links(HTMLParser):
    """Collects the tags of a page with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def hrefs(self, css_class: str | None = None) -> list[str]:
        return [
            attrs["href"] or ""
            for tag, attrs in self.tags
            if tag == "a"
            and "href" in attrs
            and (css_class is None or css_class in (attrs.get("class") or "").split())
        ]


def _parse(text: str) -> _Links:
    parser = _Links()
    parser.feed(text)
    return parser


def _assert_secure_headers(response) -> None:
    headers = response.headers
    policy = headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"] and directives["object-src"] == ["'none'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


# -- headers on every response ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/network", 200),
        ("/events", 200),
        (f"/articles/{RU_HAMAS}", 200),
        ("/docs", 200),
        ("/api/events", 200),
        ("/api/stats", 200),
        ("/openapi.json", 200),
        ("/static/app.css", 200),
        ("/static/article.js", 200),
        ("/favicon.ico", 204),
        ("/static/nope.js", 404),
        ("/nope", 404),
        ("/articles/nope", 404),
        ("/api/articles/nope", 404),
        ("/api/events?since=bad", 400),
        ("/events?since=bad", 400),
    ],
)
def test_every_response_has_the_security_headers(client: TestClient, url: str, status: int):
    response = client.get(url)
    assert response.status_code == status, response.text
    _assert_secure_headers(response)


def test_an_internal_error_has_the_security_headers(db_path: Path) -> None:
    app = create_app(db_path)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    app.state.store.stats = broken
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/api/stats")
        assert response.status_code == 500
        assert response.json() == {"error": 500, "message": "internal error"}
        _assert_secure_headers(response)


def test_writes_and_refusals_have_the_security_headers(writable: TestClient) -> None:
    wrong = writable.post("/api/articles", json={"id": "x", "text": "y"})
    assert wrong.status_code == 403
    _assert_secure_headers(wrong)
    too_big = writable.post("/api/articles", content=b"x" * 5000)
    assert too_big.status_code == 413
    _assert_secure_headers(too_big)
    too_long = writable.get("/api/events", params={"text": "x" * 9000})
    assert too_long.status_code == 414
    _assert_secure_headers(too_long)


@pytest.mark.parametrize(
    "url", ["/", "/network", "/events", f"/articles/{RU_HAMAS}", "/docs", "/nope"]
)
def test_pages_need_no_inline_script_or_style(client: TestClient, url: str) -> None:
    page = _parse(client.get(url).text)
    for tag, attrs in page.tags:
        assert "style" not in attrs, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "script":
            # Either a file of this server, or data that is never run.
            assert (attrs.get("src") or "").startswith("/static/") or attrs.get(
                "type"
            ) == "application/json", attrs
        if tag == "a":
            assert not (attrs.get("href") or "").lower().startswith("javascript:")


def test_templates_and_scripts_have_nothing_the_policy_would_block() -> None:
    templates = sorted((WEB / "templates").glob("*.html"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle\s*=", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert not re.search(r"<style", text), template.name
        for script in re.findall(r"<script[^>]*>", text):
            assert "src=" in script or 'type="application/json"' in script, template.name
    for script in sorted((WEB / "static").glob("*.js")):
        text = script.read_text(encoding="utf-8")
        for forbidden in ("eval(", "new Function", "innerHTML", 'setAttribute("style"'):
            assert forbidden not in text, (script.name, forbidden)


# -- only http(s) URLs become links ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        XSS_URL,
        "JavaScript:alert(4)",
        " javascript:alert(4)",
        "java\tscript:alert(4)",
        "javascript://example.org/%0aalert(4)",
        "data:text/html,<script>alert(4)</script>",
        "vbscript:msgbox(4)",
        "//evil.example/x",
        "/relative/path",
        "https:no-host",
        "http://[::1",
        "",
    ],
)
def test_only_http_urls_are_links(url: str) -> None:
    assert http_link(url) is None


@pytest.mark.parametrize(
    "url", [GOOD_URL, "http://example.org", "HTTPS://EXAMPLE.ORG/A", "https://[::1]:8000/x"]
)
def test_http_urls_are_links(url: str) -> None:
    assert http_link(url) == url


def test_a_javascript_url_is_shown_as_text(client: TestClient) -> None:
    response = client.get("/articles/xss-article")
    assert response.status_code == 200
    page = _parse(response.text)
    assert all(href.startswith(("/", "#")) for href in page.hrefs()), page.hrefs()
    assert '<span class="not-a-link"' in response.text
    assert html.escape(XSS_URL) in response.text
    # The API still gives the stored value as it is: it is data, not markup.
    assert client.get("/api/articles/xss-article").json()["url"] == XSS_URL


def test_an_https_url_is_a_link(client: TestClient) -> None:
    response = client.get("/articles/good-link")
    outside = [h for h in _parse(response.text).hrefs() if not h.startswith(("/", "#"))]
    assert outside == [GOOD_URL]
    assert 'rel="noopener noreferrer"' in response.text


# -- any id is reachable ----------------------------------------------------------------


def _follow(client: _AsServed, href: str):
    assert href.startswith("/"), href
    return client.get(urlsplit(href)._replace(fragment="").geturl())


@pytest.mark.parametrize("article_id", ODD_IDS)
def test_odd_ids_are_reachable_through_the_rendered_links(
    served: _AsServed, article_id: str
) -> None:
    client = served
    events = client.get("/api/events", params={"article_id": article_id}).json()["events"]
    assert events, "the copy of the article has events"
    table = client.get("/events", params={"article_id": article_id})
    rows = _parse(table.text).hrefs("to-article")
    timeline = client.get("/", params={"article_id": article_id})
    points = _parse(timeline.text).hrefs("point-link")
    assert rows and points
    for href in rows + points:
        assert urlsplit(href).fragment.startswith("event-")
        page = _follow(client, href)
        assert page.status_code == 200, (href, page.text[:300])
        assert f"<code>{html.escape(article_id)}</code>" in page.text
        card = urlsplit(href).fragment
        assert f'id="{card}"' in page.text  # the event the link selects is on the page
        (as_json,) = _parse(page.text).hrefs("as-json")
        article = _follow(client, as_json)
        assert article.status_code == 200 and article.json()["id"] == article_id


@pytest.mark.parametrize("article_id", ODD_IDS)
def test_odd_ids_in_the_query_form(served: _AsServed, article_id: str) -> None:
    client = served
    page = client.get("/articles", params={"id": article_id})
    assert page.status_code == 200 and f"<code>{html.escape(article_id)}</code>" in page.text
    article = client.get("/api/articles", params={"id": article_id})
    assert article.status_code == 200 and article.json()["id"] == article_id


def test_existing_article_addresses_keep_working(client: TestClient) -> None:
    assert client.get(f"/articles/{RU_HAMAS}").status_code == 200
    assert client.get(f"/api/articles/{RU_HAMAS}").json()["id"] == RU_HAMAS
    # An id with "/" also answers unencoded, as a path.
    assert client.get("/api/articles/feeds/2024/01/a%20b%3Fc=1%23d").status_code == 200
    event = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    assert client.get(f"/api/events/{event['event_id']}").json() == event


def test_article_urls_are_one_encoded_path_segment() -> None:
    assert article_url("a/b c?d#e%f") == "/articles/a%2Fb%20c%3Fd%23e%25f"
    assert article_url("syn-1", "abc") == "/articles/syn-1#event-abc"
    assert article_url("..") == "/articles?id=.."
    assert article_url(".") == "/articles?id=."


def test_the_query_form_needs_an_id(client: TestClient) -> None:
    response = client.get("/api/articles")
    assert response.status_code == 400 and response.json()["parameter"] == "id"
    assert client.get("/api/articles", params={"id": "nope"}).status_code == 404
    assert client.get("/articles", params={"id": "nope"}).status_code == 404


# -- size limits ------------------------------------------------------------------------


def test_an_oversize_query_string_is_414(client: TestClient) -> None:
    response = client.get("/api/events", params={"text": "x" * 9000})
    assert response.status_code == 414
    assert response.json()["error"] == 414
    assert client.get("/events", params={"text": "x" * 9000}).status_code == 414
    # A long id still fits (ids are at most 500 characters when posted).
    assert client.get("/api/articles/" + "é" * 500).status_code == 404
    assert client.get("/api/events", params={"text": "x" * 4000}).status_code == 200


def test_an_oversize_body_is_413(writable: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    big = b'{"id": "big", "text": "' + b"x" * 5000 + b'"}'
    declared = writable.post("/api/articles", content=big, headers=auth)
    assert declared.status_code == 413
    assert "4096" in declared.json()["message"]

    def chunks():
        for _ in range(10):
            yield big[:1000]

    streamed = writable.post("/api/articles", content=chunks(), headers=auth)
    assert streamed.status_code == 413
    assert writable.get("/api/articles", params={"id": "big"}).status_code == 404
    # Under the limit is fine.
    small = writable.post("/api/articles", json={"id": "small", "text": "x" * 100}, headers=auth)
    assert small.status_code == 201, small.text


# -- the write token ----------------------------------------------------------------------


def _post(test_client: TestClient, token: str | None, article_id: str = "w1"):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return test_client.post(
        "/api/articles", json={"id": article_id, "text": "Some text."}, headers=headers
    )


def test_the_right_token_works(writable: TestClient) -> None:
    response = _post(writable, TOKEN)
    assert response.status_code == 201, response.text


def test_wrong_tokens_are_refused_then_rate_limited(writable: TestClient) -> None:
    limit = writable.app.state.write_failures.limit
    for attempt in range(limit):
        response = _post(writable, f"wrong-{attempt}")
        assert response.status_code == 403, (attempt, response.text)
    locked = _post(writable, "wrong-again")
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["retry-after"]) <= 60
    _assert_secure_headers(locked)
    # While locked out even the right token is not looked at...
    assert _post(writable, TOKEN).status_code == 429
    # ...but another client is not held back.
    other = TestClient(writable.app, client=("192.0.2.7", 50000))
    assert _post(other, TOKEN).status_code == 201
    assert writable.get("/api/articles", params={"id": "w1"}).status_code == 200


def test_a_success_forgets_earlier_failures(writable: TestClient) -> None:
    limit = writable.app.state.write_failures.limit
    for _ in range(limit - 1):
        assert _post(writable, "wrong").status_code == 403
    assert _post(writable, TOKEN, "w2").status_code == 201
    for _ in range(limit - 1):
        assert _post(writable, "wrong").status_code == 403
    assert _post(writable, TOKEN, "w3").status_code == 201


def test_a_token_with_any_bytes_is_a_403_not_a_500(writable: TestClient) -> None:
    response = writable.post(
        "/api/articles",
        json={"id": "w4", "text": "t"},
        headers={"Authorization": b"Bearer \xe9\xff"},
    )
    assert response.status_code == 403


def test_token_matches() -> None:
    assert token_matches(f"Bearer {TOKEN}", TOKEN)
    assert token_matches(f"bearer  {TOKEN} ", TOKEN)
    for header in (None, "", TOKEN, f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer ", "Bearer é"):
        assert not token_matches(header, TOKEN), header
    # A non-ASCII token, sent as its UTF-8 bytes (which arrive as Latin-1 text).
    assert token_matches("Bearer " + "clé".encode().decode("latin-1"), "clé")


def test_failed_attempts_expire_after_the_window() -> None:
    now = [1000.0]
    failures = FailedAttempts(limit=3, window=60, max_clients=2, clock=lambda: now[0])
    for _ in range(3):
        assert failures.retry_after("a") == 0
        failures.record("a")
    assert failures.retry_after("a") == 60
    now[0] += 45
    assert failures.retry_after("a") == 15
    now[0] += 15
    assert failures.retry_after("a") == 0
    # The table stays bounded: the oldest clients are forgotten first.
    for client in ("b", "c", "d"):
        failures.record(client)
    assert len(failures._failures) == 2
