"""The explorer in a real headless Chromium: timeline → article evidence, network, events.

Needs Debian's ``chromium`` at /usr/bin/chromium (Playwright's own browser
download is not used). Data: the real pipeline over the two seed articles when
the pipeline and ../shared are available, plus hand-built events whenever the
store would otherwise have no dated event to click.
Screenshots go to ``artifacts/screenshots/`` under the repository root.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dragoman.store import open_store
from dragoman.web import create_app

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT / ".." / "shared"
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"

try:
    from e2e.serving import CHROMIUM, chromium, served
    from e2e.synthetic import synthetic_annotations
except ImportError:  # tests/ imported as a package
    from tests.e2e.serving import CHROMIUM, chromium, served
    from tests.e2e.synthetic import synthetic_annotations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _seed_annotations() -> list[Any]:
    """The seed articles through the real pipeline, or [] when either is unavailable."""
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        return []
    try:
        from dragoman.ingest import read_paths
        from dragoman.pipeline import Pipeline
        from dragoman.records import Article
    except ImportError:
        return []
    # Relative paths, so no machine path ends up in the articles' origin.
    paths = [os.path.relpath(p) for p in sorted(seeds.glob("*.txt"))]
    articles = [a for a in read_paths(paths) if isinstance(a, Article)]
    pipeline = Pipeline()
    return [pipeline.annotate(a) for a in articles]


@pytest.fixture(scope="module")
def data_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store file with the seed articles (real pipeline) and/or hand-built events."""
    path = tmp_path_factory.mktemp("browser") / "events.duckdb"
    sources = []
    with open_store(path) as store:
        seeds = _seed_annotations()
        for annotations in seeds:
            store.save(annotations)
        if seeds:
            sources.append("seeds")
        if not store.stats()["first_date"]:
            for annotations in synthetic_annotations():
                store.save(annotations)
            sources.append("synthetic")
    return path, "+".join(sources)


@pytest.fixture(scope="module")
def base_url(data_source: tuple[Path, str]) -> Iterator[str]:
    """The explorer served by uvicorn on a free localhost port, in a background thread."""
    with served(create_app(data_source[0]), start_seconds=20) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()
    assert errors == [], f"errors in the page: {errors}"


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_timeline_point_opens_article_with_evidence_highlighted(
    page: Any, base_url: str, data_source: tuple[Path, str]
) -> None:
    page.goto(base_url + "/")
    points = page.locator("svg#timeline circle.point")
    assert points.count() > 0, f"no points drawn (data: {data_source[1]})"
    _shot(page, "timeline")
    point = points.last  # drawn last, so on top of any point it overlaps
    event_id = point.get_attribute("data-event-id")
    article_id = point.get_attribute("data-article-id")
    point.click()
    page.wait_for_url(f"**/articles/**#event-{event_id}")
    assert article_id in page.url

    event = page.request.get(f"{base_url}/api/events/{event_id}").json()
    marked = page.locator(".article-text .evidence.active")
    assert marked.count() > 0
    assert "".join(marked.all_text_contents()) == event["evidence"]["sentence"]
    assert "active" in page.locator(f"#event-{event_id}").get_attribute("class")
    trigger = page.locator(".article-text .trigger.active-trigger")
    assert "".join(trigger.all_text_contents()) == event["evidence"]["trigger"]
    assert marked.first.is_visible()
    _shot(page, "article")


def test_choosing_another_event_moves_the_highlight(page: Any, base_url: str) -> None:
    events = page.request.get(f"{base_url}/api/events?limit=1000").json()["events"]
    by_article: dict[str, list[dict]] = {}
    for event in events:
        by_article.setdefault(event["article_id"], []).append(event)
    article_id, chosen = max(by_article.items(), key=lambda item: len(item[1]))
    if len(chosen) < 2:
        pytest.skip("no article with two events")
    first, second = chosen[0], chosen[-1]
    page.goto(f"{base_url}/articles/{article_id}#event-{first['event_id']}")
    page.locator(f"#event-{second['event_id']} a.select").click()
    page.wait_for_url(f"**#event-{second['event_id']}")
    marked = page.locator(".article-text .evidence.active")
    assert "".join(marked.all_text_contents()) == second["evidence"]["sentence"]
    assert "active" not in (page.locator(f"#event-{first['event_id']}").get_attribute("class"))


def test_network_draws_sized_nodes_and_coloured_edges(page: Any, base_url: str) -> None:
    page.goto(base_url + "/network")
    nodes = page.locator("svg#network .node circle")
    edges = page.locator("svg#network path.edge")
    expected = page.request.get(f"{base_url}/api/network").json()["edges"]
    if not expected:
        pytest.skip("no actor pairs in the store")
    assert edges.count() == len([e for e in expected if (e["source"], e["source_code"]) !=
                                 (e["target"], e["target_code"])])  # fmt: skip
    assert nodes.count() >= 2
    radii = {float(r) for r in nodes.evaluate_all("els => els.map(e => e.getAttribute('r'))")}
    assert all(7 <= r <= 34 for r in radii)
    colours = set(edges.evaluate_all("els => els.map(e => e.getAttribute('stroke'))"))
    assert all(c.startswith("#") for c in colours)
    # Every node sits inside the drawing.
    for cx, cy in nodes.evaluate_all(
        "els => els.map(e => [+e.getAttribute('cx'), +e.getAttribute('cy')])"
    ):
        assert 0 <= cx <= 1000 and 0 <= cy <= 640
    _shot(page, "network")


def test_events_table_facets_and_exports(page: Any, base_url: str) -> None:
    page.goto(base_url + "/events")
    total = int(page.locator(".summary .total").inner_text())
    assert total > 0
    facet = page.locator(".facet-quad_class li a").first
    facet.click()
    page.wait_for_url("**quad_class=*")
    filtered = int(page.locator(".summary .total").inner_text())
    assert 0 < filtered <= total
    assert page.locator("tr.event-row").count() == min(filtered, 50)
    _shot(page, "events")
    csv_href = page.locator("a.export-csv").get_attribute("href")
    response = page.request.get(base_url + csv_href)
    assert response.ok and response.text().count("\n") == filtered + 1
    page.locator("tr.event-row a.to-article").first.click()
    page.wait_for_url("**/articles/**#event-*")
    assert page.locator(".article-text .evidence.active").count() > 0


# -- a stored javascript: URL never runs -------------------------------------------------

XSS_ARTICLE = "xss/odd id?#%"


@pytest.fixture
def xss_base_url(tmp_path: Path) -> Iterator[str]:
    """An explorer over a store whose one article has the URL ``javascript:alert(4)``."""
    import dataclasses

    from dragoman.records import Annotations

    found = synthetic_annotations()[1]
    article = dataclasses.replace(found.article, id=XSS_ARTICLE, url="javascript:alert(4)")
    events = [dataclasses.replace(e, article_id=XSS_ARTICLE) for e in found.events]
    path = tmp_path / "xss.duckdb"
    with open_store(path) as store:
        store.save(Annotations(article, found.actors, found.times, found.places, events))
    with served(create_app(path), start_seconds=20) as url:
        yield url


def test_a_javascript_url_is_not_a_link_and_never_runs(page: Any, xss_base_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(xss_base_url + "/events")
    page.locator("tr.event-row a.to-article").first.click()  # an id with "/", "?", "#", "%"
    page.wait_for_url("**/articles/**#event-*")
    assert page.locator("dl.meta code").inner_text() == XSS_ARTICLE
    assert page.locator('a[href^="javascript:" i]').count() == 0
    page.get_by_text("javascript:alert(4)").click()  # where the link would be
    page.wait_for_timeout(300)
    assert dialogs == []
