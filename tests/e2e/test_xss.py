"""Stored XSS, end to end in a real headless Chromium: hostile articles posted through the
write API never run script in the explorer.

Articles are posted to ``POST /api/articles`` of a live server (write token, the real
pipeline), with URLs such as ``javascript:alert(4)`` and markup in their title and text.
Their pages, the event table and the timeline are then opened in Chromium: each page
renders, no dialog ever opens, no link has a script URL, and the markup is shown as text.
An ``https`` URL posted the same way does become a link, so the test would notice links
disappearing altogether.

Needs Debian's ``chromium`` at /usr/bin/chromium (``make browser-deps``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

try:
    from e2e.serving import CHROMIUM, chromium, served
except ImportError:  # tests/ imported as a package
    from tests.e2e.serving import CHROMIUM, chromium, served

TOKEN = "xss-test-token"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

SCRIPT_URLS = [
    "javascript:alert(4)",
    "JavaScript:alert(4)",
    " javascript:alert(4)",
    "java\tscript:alert(4)",
    "javascript://example.org/%0aalert(4)",
    "data:text/html,<script>alert(4)</script>",
    "vbscript:msgbox(4)",
]
MARKUP = '<img src=x onerror="alert(4)"><script>alert(4)</script>'
SAFE_URL = "https://example.org/news?a=1&b=2"


def _article(number: int, url: str) -> dict[str, Any]:
    return {
        "id": f"xss-{number}",
        "url": url,
        "title": f"Talks {number} {MARKUP}",
        "source": MARKUP,
        "published": "2024-05-31",
        "text": f"Iran and Russia held talks in Moscow on Thursday. {MARKUP} Report {number}.",
    }


@pytest.fixture(scope="module")
def explorer(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Iterator[str]:
    """A writable explorer on a free port, its articles posted through the API."""
    import httpx

    from dragoman.web import create_app

    path = tmp_path_factory.mktemp("xss") / "xss.duckdb"
    app = create_app(path, write_token=TOKEN, annotate=pipeline.annotate)
    with served(app, start_seconds=30) as base:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        for number, url in enumerate([*SCRIPT_URLS, SAFE_URL]):
            response = httpx.post(
                f"{base}/api/articles", json=_article(number, url), headers=headers, timeout=120
            )
            assert response.status_code == 201, response.text
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page that records every dialog (and dismisses it) and every script error."""
    context = browser.new_context()
    opened = context.new_page()
    opened.dialogs = []
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()


def _no_script_links(page: Any) -> None:
    # Resolved as the browser would follow them (tabs dropped, case folded), SVG links too.
    hrefs = page.locator("a").evaluate_all(
        "els => els.map(e => e.getAttribute('href') ?? e.getAttribute('xlink:href'))"
        ".filter(h => h !== null).map(h => new URL(h, document.baseURI).href)"
    )
    assert hrefs, "no link at all on the page"
    for href in hrefs:
        assert href.split(":", 1)[0].strip().lower() in ("http", "https"), href
    assert page.locator('script:not([src]):not([type="application/json"])').count() == 0
    assert page.locator("img[onerror], [onclick], [onload]").count() == 0


@pytest.mark.parametrize("number", range(len(SCRIPT_URLS)))
def test_a_script_url_is_text_and_never_runs(page: Any, explorer: str, number: int) -> None:
    response = page.goto(f"{explorer}/articles/xss-{number}")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    url = page.locator("dl.meta dd.url")
    assert url.text_content().strip() == SCRIPT_URLS[number].strip()
    assert url.locator("a").count() == 0, "a script URL became a link"
    url.click()  # where a link would be
    assert MARKUP in page.locator(".article-text").inner_text()  # shown, not obeyed
    _no_script_links(page)
    page.wait_for_timeout(200)
    assert page.dialogs == []


def test_an_https_url_is_a_link(page: Any, explorer: str) -> None:
    page.goto(f"{explorer}/articles/xss-{len(SCRIPT_URLS)}")
    link = page.locator("dl.meta dd.url a")
    assert link.count() == 1 and link.get_attribute("href") == SAFE_URL
    assert link.get_attribute("rel") == "noopener noreferrer"


@pytest.mark.parametrize("path", ["/", "/events", "/network", "/events?text=%3Cscript%3E"])
def test_the_other_pages_show_the_hostile_articles_without_running_them(
    page: Any, explorer: str, path: str
) -> None:
    response = page.goto(explorer + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    _no_script_links(page)
    if path == "/events":
        assert page.locator("tr.event-row").count() > 0
        page.locator("tr.event-row a.to-article").first.click()
        page.wait_for_url("**/articles/**")
        _no_script_links(page)
    page.wait_for_timeout(200)
    assert page.dialogs == []
