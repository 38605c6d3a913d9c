"""``dragoman watch``: a feed served on 127.0.0.1 is polled once per run; a new item is
stored at the next poll, and no item is ever stored twice, across restarts and across a
stop between storing a poll's items and remembering them."""

from __future__ import annotations

import pytest
from test_inputs import Site
from typer.testing import CliRunner

from dragoman.cli import app
from dragoman.ingest.watch import Poll, WatchState, parse_every, state_path
from dragoman.store import open_store

ITEMS = [
    ("w1", "Mon, 02 Sep 2024 08:00:00 GMT",
     "Egyptian officials met Hamas leaders in Cairo on Monday to discuss a ceasefire."),
    ("w2", "Tue, 03 Sep 2024 08:00:00 GMT",
     "Qatar hosted talks between Israeli and Hamas negotiators in Doha on Tuesday."),
    ("w3", "Wed, 04 Sep 2024 08:00:00 GMT",
     "Jordan condemned an Israeli air strike near the border on Wednesday."),
]  # fmt: skip


def _feed(site: Site, count: int) -> str:
    entries = "".join(
        f"<item><title>Item {guid}</title><guid>{guid}</guid>"
        f"<link>{site.url}/news/{guid}.html</link><pubDate>{when}</pubDate>"
        f"<description>{text}</description></item>"
        for guid, when, text in ITEMS[:count]
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Watch</title>'
        f"{entries}</channel></rss>"
    )


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("DRAGOMAN_FETCH_DELAY", "0")
    served = Site()
    served.put("/robots.txt", "User-agent: *\nDisallow:\n", "text/plain")
    yield served
    served.close()


def _watch(site: Site, db) -> str:
    result = CliRunner().invoke(
        app, ["watch", f"{site.url}/feed.xml", "--once", "--every", "1m", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("poll ")]
    return line


def _stored(db) -> list[str]:
    with open_store(db, read_only=True) as store:
        rows = store._con.execute("SELECT title FROM articles ORDER BY title").fetchall()
    return [row[0] for row in rows]


def test_watch_stores_new_items_once_across_polls_and_restarts(site, tmp_path, monkeypatch):
    db = tmp_path / "watch.duckdb"
    site.put("/feed.xml", _feed(site, 2), "application/rss+xml", headers={"ETag": '"v2"'})
    line = _watch(site, db)
    assert "2 new item(s), 2 stored" in line
    assert _stored(db) == ["Item w1", "Item w2"]
    state = WatchState.load(state_path(db))
    assert state.seen[f"{site.url}/feed.xml"] >= {"w1", "w2"}

    # unchanged feed: the server answers 304 to the ETag it gave
    line = _watch(site, db)
    assert "0 new item(s)" in line and "1 source(s) unchanged" in line

    # a new item: only it is read and stored
    site.put("/feed.xml", _feed(site, 3), "application/rss+xml", headers={"ETag": '"v3"'})
    monkeypatch.setattr(Poll, "commit", lambda self: None)  # stopped before remembering
    line = _watch(site, db)
    assert "1 new item(s), 1 stored" in line
    monkeypatch.undo()
    monkeypatch.setenv("DRAGOMAN_FETCH_DELAY", "0")
    # restarted: the item read again is already stored, and is not stored twice
    line = _watch(site, db)
    assert "1 new item(s), 0 stored" in line and "1 already stored" in line
    line = _watch(site, db)
    assert "0 new item(s)" in line
    assert _stored(db) == ["Item w1", "Item w2", "Item w3"]


def test_a_source_that_fails_is_one_line_and_the_watch_goes_on(site, tmp_path):
    db = tmp_path / "watch.duckdb"
    missing = tmp_path / "gone.xml"
    result = CliRunner().invoke(
        app, ["watch", f"{site.url}/nothing.xml", str(missing), "--once", "--db", str(db)]
    )
    assert result.exit_code == 1
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 2
    assert "HTTP 404" in skipped[0] and "cannot read" in skipped[1]
    assert any(line.startswith("poll 1 ") for line in result.stderr.splitlines())


def test_the_period_between_polls():
    assert parse_every("15m") == 900
    assert parse_every("90s") == parse_every("90") == 90
    assert parse_every("1h") == 3600
    with pytest.raises(ValueError, match="--every"):
        parse_every("soon")
