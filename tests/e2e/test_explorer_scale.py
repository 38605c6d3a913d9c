"""Every explorer page over a store of 100,000 generated events, in Debian's headless
Chromium, at desktop width and at 390 px (a phone): screenshots of each, no horizontal
overflow on the phone, no "None" shown, and network labels that never overlap.

Screenshots go to ``artifacts/screenshots/scale-*.png`` under the repository root.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dragoman.web import create_app

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"

try:
    from test_web_scale import build_store

    from e2e.serving import CHROMIUM, chromium, served
except ImportError:  # tests/ imported as a package
    from tests.e2e.serving import CHROMIUM, chromium, served
    from tests.test_web_scale import build_store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

WIDTHS = {"desktop": 1400, "phone": 390}
PAGES = {
    "timeline": "/",
    "timeline-week": "/?since=2020-03-01&until=2020-03-07",
    "network": "/network",
    "network-codes": "/network?by=code",
    "events": "/events?sort=source&order=asc",
    "article": "/articles/big-000004567",
    "docs": "/docs",
}

#: Bounding boxes of the drawn labels and discs that overlap another label, in the page.
OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('#network .labels text')].map(t => t.getBBox());
  const discs = [...document.querySelectorAll('#network .node circle')].map(c => c.getBBox());
  const hit = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width &&
                        a.y < b.y + b.height && b.y < a.y + a.height;
  const clashes = [];
  boxes.forEach((a, i) => {
    boxes.forEach((b, j) => { if (i < j && hit(a, b)) clashes.push(['label', i, j]); });
    discs.forEach((d, j) => { if (hit(a, d)) clashes.push(['disc', i, j]); });
  });
  discs.forEach((a, i) => discs.forEach((b, j) => {
    if (i < j) {
      const ra = a.width / 2, rb = b.width / 2;
      const dx = (a.x + ra) - (b.x + rb), dy = (a.y + ra) - (b.y + rb);
      if (Math.hypot(dx, dy) < ra + rb) clashes.push(['discs', i, j]);
    }
  }));
  return {labels: boxes.length, nodes: discs.length, clashes: clashes};
}"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("scale-browser") / "big.duckdb"
    build_store(path)
    with served(create_app(path), start_seconds=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_at_desktop_and_phone_width(
    browser: Any, base_url: str, name: str, width: str
) -> None:
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        response = page.goto(base_url + PAGES[name])
        assert response.ok
        if name.startswith("network"):
            page.wait_for_selector("#network[data-ready=true]", timeout=20_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"scale-{name}-{width}.png"), full_page=True)
        text = page.evaluate("() => document.body.innerText")
        assert "None" not in text.split(), f"'None' shown on {name}"
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} is {overflow} px wider than a {WIDTHS[width]} px screen"
        # Every link of the navigation is on screen and can be clicked.
        for link in page.locator("header.top nav a").all():
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width] + 0.5
        if name.startswith("network"):
            drawn = page.evaluate(OVERLAPS)
            assert drawn["nodes"] >= 12 and drawn["labels"] >= 1
            assert drawn["clashes"] == [], drawn["clashes"][:5]
        if name == "docs":
            # The descriptions are rendered HTML, not Markdown source.
            assert page.locator(".operation .description code").count() > 0
            assert "``" not in text
    finally:
        context.close()
    assert errors == [], f"errors in the page: {errors}"


def test_the_events_table_sorts_and_pages_in_the_browser(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(base_url + "/events")
        page.locator("th.col-goldstein a.sort").click()
        page.wait_for_url("**sort=goldstein**")
        values = [float(v) for v in page.locator("tr.event-row td.num").all_inner_texts()]
        assert values == sorted(values, reverse=True) and len(values) == 50
        first_ids = page.locator("tr.event-row").evaluate_all(
            "rows => rows.map(r => r.dataset.eventId)"
        )
        page.locator('nav.pager a[rel="next"]').click()
        page.wait_for_url("**after=**")
        assert "51–100 shown" in page.locator(".summary").first.inner_text()
        page.locator('nav.pager a[rel="prev"]').click()
        page.wait_for_url("**before=**")
        again = page.locator("tr.event-row").evaluate_all(
            "rows => rows.map(r => r.dataset.eventId)"
        )
        assert again == first_ids
    finally:
        context.close()
