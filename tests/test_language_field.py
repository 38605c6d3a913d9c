"""Every article knows its language: declared by its source (page, feed, record, table,
archive, HTTP response), normalised to ISO 639-1, else found in its text when that is
sure; stored, read back, shown and exported. Also: the progress and summary line of
``extract`` and ``annotate``, and fetched plain text checked as a local text file is."""

from __future__ import annotations

import io
import json
import re
import warnings
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dragoman.cli import app
from dragoman.ingest import IngestError, read_paths, read_stream
from dragoman.ingest.html import page_language
from dragoman.ingest.language import normalize_language, readable
from dragoman.ingest.options import ReadOptions, ReadStats, parse_columns
from dragoman.ingest.progress import RunProgress, run_summary
from dragoman.records import Annotations, Article
from dragoman.store import SCHEMA_VERSION, open_store, rows, sql

try:
    from test_inputs import FIXTURES, site
    from test_postgres import pg_url
except ImportError:  # tests/ imported as a package
    from tests.test_inputs import FIXTURES, site  # noqa: F401 - a fixture
    from tests.test_postgres import pg_url  # noqa: F401 - a fixture

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
runner = CliRunner()

ENGLISH = (
    "Egyptian officials met Hamas leaders in Cairo on Monday to discuss a ceasefire in Gaza, "
    "according to two people briefed on the meeting."
)
FRENCH = (
    "Les responsables égyptiens ont rencontré les dirigeants du Hamas au Caire lundi pour "
    "discuter d'un cessez-le-feu à Gaza, selon deux personnes informées de la réunion."
)


def _read(path: Path, **options) -> tuple[list[Article], list[IngestError]]:
    items = list(read_paths([str(path)], options=ReadOptions(**options)))
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, IngestError)],
    )


def _page(head: str = "", attributes: str = "") -> str:
    """An HTML news page whose ``<html>`` element has ``attributes``."""
    return (
        f"<!DOCTYPE html><html {attributes}><head><title>Talks in Cairo</title>{head}"
        '<link rel="canonical" href="https://courier.example.org/cairo"></head><body>'
        f"<article><h1>Talks in Cairo</h1><p>{ENGLISH}</p><p>{ENGLISH}</p></article>"
        "</body></html>"
    )


# -- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-US", "en"),
        ("en_GB", "en"),
        ("EN", "en"),
        (" fr-CA ", "fr"),
        ("zh-Hant-TW", "zh"),
        ("pt-BR;q=0.9", "pt"),
        ("de, en", "de"),
        ("eng", "en"),
        ("deu", "de"),
        ("English", "en"),
        ("x-default", None),
        ("und", None),
        ("", None),
        ("klingon", None),
        ("日本語", None),
        (None, None),
        (42, None),
    ],
)
def test_a_declared_language_is_normalised_to_its_iso_639_1_code(tag, code):
    assert normalize_language(tag) == code


# -- from each kind of source ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "attributes", "declared", "code"),
    [
        ("", 'lang="en-GB"', "en-GB", "en"),
        ("", 'xmlns="http://www.w3.org/1999/xhtml" xml:lang="es"', "es", "es"),
        ('<meta property="og:locale" content="de_DE">', "", "de_DE", "de"),
        ('<meta http-equiv="Content-Language" content="it">', "", "it", "it"),
        # <html lang> wins over og:locale
        ('<meta property="og:locale" content="fr_FR">', 'lang="en"', "en", "en"),
        ("", "", None, None),
    ],
)
def test_an_html_page_says_its_language(tmp_path, head, attributes, declared, code):
    page = _page(head, attributes)
    assert page_language(page) == declared
    assert page_language(page.encode()) == declared
    (tmp_path / "page.html").write_text(page)
    (article,), errors = _read(tmp_path / "page.html")
    assert not errors and article.language == code


def test_the_bundled_pages_declare_english():
    (article,), _ = _read(FIXTURES / "cairo_talks.html")
    assert article.language == "en"


def test_a_feed_says_its_items_language(tmp_path):
    rss = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
      <language>pt-BR</language>
      <item><title>A</title><link>https://wire.example.com/a</link>
      <description>Brazil and Argentina signed a trade deal on Monday.</description></item>
      </channel></rss>"""
    atom = """<?xml version="1.0" encoding="utf-8"?>
      <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr-FR"><title>Dispatch</title>
      <id>urn:feed</id><updated>2024-08-12T10:00:00Z</updated>
      <entry xml:lang="de"><title>A</title><id>urn:a</id><link href="https://d.example.org/a"/>
        <updated>2024-08-12T10:00:00Z</updated><content type="html">Text one.</content></entry>
      <entry><title>B</title><id>urn:b</id><link href="https://d.example.org/b"/>
        <updated>2024-08-12T10:00:00Z</updated><summary>Text two.</summary></entry>
      <entry xml:lang="x-default"><title>C</title><id>urn:c</id>
        <link href="https://d.example.org/c"/><updated>2024-08-12T10:00:00Z</updated>
        <summary>Text three.</summary></entry>
      </feed>"""
    plain = rss.replace("<language>pt-BR</language>", "")
    languages = {}
    for name, feed in (("rss", rss), ("atom", atom), ("plain", plain)):
        items = list(read_stream(io.BytesIO(feed.encode()), f"{name}.xml"))
        assert all(isinstance(i, Article) for i in items), items
        languages[name] = [i.language for i in items]
    assert languages == {"rss": ["pt"], "atom": ["de", "fr", None], "plain": [None]}


def test_jsonl_records_say_their_language_under_language_or_lang(tmp_path):
    records = [
        {"id": "a", "text": ENGLISH, "language": "EN-us"},
        {"id": "b", "text": ENGLISH, "lang": "fr"},
        {"id": "c", "text": ENGLISH},
        {"id": "d", "text": ENGLISH, "language": None, "lang": "de_AT"},
        {"id": "e", "text": ENGLISH, "language": 42},
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    articles, errors = _read(path)
    assert [(a.id, a.language) for a in articles] == [
        ("a", "en"),
        ("b", "fr"),
        ("c", None),
        ("d", "de"),
    ]
    (error,) = errors
    assert error.origin.endswith("news.jsonl:5")
    assert error.message == "malformed record: 'language' must be a string, not a number"


def test_tables_and_json_arrays_say_their_language(tmp_path):
    (tmp_path / "news.csv").write_text(
        f'id,text,language\nc1,"{ENGLISH}",en-US\nc2,"{ENGLISH}",\n', encoding="utf-8"
    )
    (tmp_path / "news.tsv").write_text(f"id\ttext\tidioma\nt1\t{ENGLISH}\tES\n")
    (tmp_path / "news.json").write_text(
        json.dumps([{"id": "j1", "text": ENGLISH, "lang": "it"}, {"id": "j2", "text": ENGLISH}])
    )
    (tmp_path / "bad.json").write_text(json.dumps([{"id": "j3", "text": ENGLISH, "lang": 7}]))
    found = {}
    for name in ("news.csv", "news.json"):
        articles, errors = _read(tmp_path / name)
        assert not errors
        found.update({a.id: a.language for a in articles})
    mapped, errors = _read(tmp_path / "news.tsv", columns=parse_columns("language=idioma"))
    assert not errors
    found.update({a.id: a.language for a in mapped})
    assert found == {"c1": "en", "c2": None, "j1": "it", "j2": None, "t1": "es"}
    _, (error,) = _read(tmp_path / "bad.json")
    assert error.message == "language ('lang') must be text"


def test_a_parquet_table_says_its_language(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": ["p1", "p2"], "text": [ENGLISH, ENGLISH], "lang": ["en_GB", None]})
    pq.write_table(table, tmp_path / "news.parquet")
    articles, errors = _read(tmp_path / "news.parquet")
    assert not errors
    assert [(a.id, a.language) for a in articles] == [("p1", "en"), ("p2", None)]


def test_a_warc_record_says_its_language_by_its_page_else_its_http_header(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = [
        ("https://a.example.org/1", _page(attributes='lang="de"'), "fr"),
        ("https://a.example.org/2", _page(), "fr-FR"),
        ("https://a.example.org/3", _page(), None),
    ]
    path = tmp_path / "crawl.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        for uri, html, language in pages:
            headers = [("Content-Type", "text/html; charset=utf-8")]
            if language:
                headers.append(("Content-Language", language))
            writer.write_record(
                writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(html.encode()),
                    http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                )
            )
    articles, errors = _read(path)
    assert not errors
    assert [a.language for a in articles] == ["de", "fr", None]


def test_a_fetched_page_says_its_language_by_its_markup_else_its_http_header(site, tmp_path):
    site.put("/de.html", _page(attributes='lang="de"'), headers={"Content-Language": "fr"})
    site.put("/fr.html", _page(), headers={"Content-Language": "fr-CH"})
    site.put("/none.html", _page())
    site.put("/wire.txt", ENGLISH, "text/plain", headers={"Content-Language": "en-US"})
    listing = tmp_path / "reading.urls"
    names = ("/de.html", "/fr.html", "/none.html", "/wire.txt")
    listing.write_text("".join(f"{site.url}{name}\n" for name in names))
    articles, errors = _read(listing)
    assert not errors
    assert [a.language for a in articles] == ["de", "fr", None, "en"]


# -- found in the text when the source does not say ---------------------------------------------


def test_the_language_is_found_in_the_text_when_the_source_does_not_say_it():
    def run(*articles: Article) -> list[Article | IngestError]:
        return list(readable(articles, "en_core_web_sm"))

    undeclared, declared, short, french = run(
        Article(id="a", text=ENGLISH),
        Article(id="b", text=ENGLISH, language="fr"),  # the source's word wins
        Article(id="c", text="Talks in Cairo."),  # too short to tell
        Article(id="d", text=FRENCH),
    )
    assert undeclared.language == "en"
    assert declared.language == "fr"
    assert short.language is None
    assert isinstance(french, IngestError) and "written in French (fr)" in french.message
    # a text the identifier is unsure of keeps no language: noise, names, numbers
    (noise,) = run(Article(id="e", text="Xq zzv plorb " * 12))
    assert noise.language is None


# -- stored and read back -------------------------------------------------------------------


def _annotations(article_id: str, language: str | None) -> Annotations:
    return Annotations(Article(article_id, ENGLISH, language=language), [], [], [])


def _stored_and_read_back(location: str | Path) -> None:
    with open_store(location) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 4
        assert store.save(_annotations("fr-1", "fr"))
        assert store.save(_annotations("none-1", None))
    with open_store(location, read_only=True) as store:
        assert store.article("fr-1")["language"] == "fr"
        assert store.article("none-1")["language"] is None


def test_the_language_is_stored_and_read_back_in_duckdb(tmp_path):
    _stored_and_read_back(tmp_path / "events.duckdb")


def test_the_language_is_stored_and_read_back_in_postgresql(pg_url):
    _stored_and_read_back(pg_url)


def test_a_store_of_version_3_gets_the_language_column_with_old_articles_unknown(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(sql.CREATE_SCHEMA_VERSION)
    for version, description, statements in sql.MIGRATIONS[:3]:
        for statement in statements:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, ?, now())", (version, description))
    old_row = rows.article_row(Article("old-1", ENGLISH, language="en"), datetime.now())
    con.execute(
        "INSERT INTO articles (id, text, title, url, source, published, published_estimated,"
        " origin, boilerplate_json, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        list(old_row[:10]),
    )
    con.close()
    with open_store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION >= 4
        assert store.article("old-1")["language"] is None
        store.save(_annotations("new-1", "de"))
        assert store.article("new-1")["language"] == "de"


# -- shown and exported -----------------------------------------------------------------------


@pytest.fixture
def stored(tmp_path) -> Path:
    path = tmp_path / "events.duckdb"
    with open_store(path) as store:
        store.save(_annotations("fr-1", "fr"))
        store.save(_annotations("none-1", None))
    return path


def test_show_the_api_and_the_article_page_show_the_language(stored):
    shown = runner.invoke(app, ["show", "fr-1", "--db", str(stored)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "language fr" in shown.stdout
    unknown = runner.invoke(app, ["show", "none-1", "--db", str(stored)], env={"COLUMNS": "200"})
    assert unknown.exit_code == 0 and "language" not in unknown.stdout

    from dragoman.web import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    with TestClient(create_app(stored)) as client:
        assert client.get("/api/articles/fr-1").json()["language"] == "fr"
        assert client.get("/api/articles/none-1").json()["language"] is None
        schema = client.get("/openapi.json").json()["components"]["schemas"]["Article"]
        assert "language" in schema["properties"] and "language" in schema["required"]
        page = client.get("/articles/fr-1").text
        assert re.search(r"<dt>Language</dt><dd><code>fr</code></dd>", page)
        assert "<dt>Language</dt>" not in client.get("/articles/none-1").text


def test_exports_carry_the_language(tmp_path):
    from dataclasses import replace

    from dragoman.cluster.parquet_dataset import article_row, article_schema
    from dragoman.formats import ExportContext, store_articles
    from dragoman.formats.plover import plover_record

    try:
        from e2e.synthetic import synthetic_annotations
    except ImportError:  # tests/ imported as a package
        from tests.e2e.synthetic import synthetic_annotations

    found = synthetic_annotations()
    path = tmp_path / "events.duckdb"
    with open_store(path) as store:
        store.save(replace(found[0], article=replace(found[0].article, language="fr")))
        store.save(found[1])
        context = ExportContext(article=store_articles(store))
        cited = {}
        for event in store.iter_events():
            record = plover_record(event, context)
            if record is not None:
                cited[event["article_id"]] = record["cite_info"]["language"]
    assert cited == {found[0].article.id: "fr", found[1].article.id: "en"}  # en: unknown
    row = article_row(_annotations("fr-1", "fr"))
    assert row["language"] == "fr" and "language" in article_schema().names


# -- extract and annotate: progress on stderr, data on stdout -----------------------------------

SUMMARY = re.compile(
    r"^(\d+) article\(s\) analysed with (\d+) event\(s\); (\d+) file\(s\) read, "
    r"(\d+) article\(s\) at [\d.]+/s; (\d+) error\(s\); [\d.]+ s$"
)


def test_extract_and_annotate_end_with_one_summary_line_and_keep_stdout_data(tmp_path, pipeline):
    from dragoman.ingest import read_paths as read
    from dragoman.output import write_jsonl

    (tmp_path / "fr.txt").write_text(FRENCH)
    inputs = [str(SAMPLES / "ankara_talks.txt"), str(tmp_path / "fr.txt")]
    extracted = runner.invoke(app, ["extract", *inputs, "-f", "jsonl"])
    annotated = runner.invoke(app, ["annotate", *inputs])
    assert extracted.exit_code == annotated.exit_code == 1  # the French article skipped

    (article,) = [a for a in read(inputs[:1]) if isinstance(a, Article)]
    found = pipeline.annotate(article)
    events, records = io.StringIO(), io.StringIO()
    write_jsonl([e.to_dict() for e in found.events], events)
    write_jsonl([found.to_dict()], records)
    assert extracted.stdout == events.getvalue()
    assert annotated.stdout == records.getvalue()

    for result in (extracted, annotated):
        lines = result.stderr.splitlines()
        assert lines[0].startswith("skipped ") and "written in French" in lines[0]
        match = SUMMARY.match(lines[-1])
        assert match, lines[-1]
        done, events_count, files, read_count, skipped = map(int, match.groups())
        assert (done, files, read_count, skipped) == (1, 2, 2, 1)
        assert events_count == len(found.events)
        assert "article(s)" not in result.stdout


def test_the_progress_display_is_drawn_on_a_terminal_and_leaves_stdout_alone(monkeypatch):
    from rich.console import Console

    drawn = io.StringIO()
    stdout = io.StringIO()
    monkeypatch.setattr("sys.stdout", stdout)
    stats = ReadStats(files=3, articles=7, errors=1)
    terminal = Console(file=drawn, force_terminal=True, width=200)
    with RunProgress(terminal, "extracting", stats) as shown:
        shown.advance("article-1", 5)
        print('{"event": 1}')
        shown._progress.refresh()
    assert stdout.getvalue() == '{"event": 1}\n'
    assert (
        "3 file(s), 7 article(s) at" in drawn.getvalue()
        and "5 event(s), 1 error(s)" in drawn.getvalue()
    )
    assert "article-1" in drawn.getvalue()
    quiet = io.StringIO()
    with RunProgress(Console(file=quiet), "extracting", stats) as shown:
        shown.advance("article-2", 6)
    assert quiet.getvalue() == "" and shown.done == 1
    assert SUMMARY.match(run_summary(shown.done, 6, stats, 1))


# -- fetched plain text: the checks of a local text file ---------------------------------------


def test_fetched_plain_text_passes_the_checks_of_a_local_text_file(site, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAGOMAN_MAX_ARTICLE_BYTES", "2000")
    site.put("/nul.txt", b"Kenya and Uganda agreed\x00 to build a railway.", "text/plain")
    site.put("/pdf.txt", b"%PDF-1.4\n" + b"x" * 100, "text/plain")
    site.put("/escape.txt", "Kenya and Uganda\n agreed \x1b[31m today.", "text/plain")
    site.put("/big.txt", "Kenya and Uganda met. " * 200, "text/plain")
    site.put("/bad.txt", b"Caf\xe9 talks in Kampala.", "text/plain; charset=utf-8")
    site.put("/latin.txt", b"Caf\xe9 talks in Kampala.", "text/plain; charset=latin-1")
    site.put("/utf16.txt", "Talks in Kampala.".encode("utf-16"), "text/plain")
    site.put("/json.txt", '{"id": "x", "text": "not a record here"}', "text/plain")
    site.put("/odd.txt", "Talks in Kampala.", "text/plain; charset=no-such-charset")
    names = ["nul", "pdf", "escape", "big", "bad", "latin", "utf16", "json", "odd"]
    listing = tmp_path / "reading.urls"
    listing.write_text("".join(f"{site.url}/{name}.txt\n" for name in names))
    articles, errors = _read(listing)
    reasons = {e.origin.removeprefix(site.url): e.message for e in errors}
    assert reasons == {
        "/nul.txt": "binary file (contains NUL bytes), not text",
        "/pdf.txt": "looks like a PDF document; not read yet",
        "/escape.txt:2": "refused: the text contains a control character (ESC, U+001B) at column 9",
        "/big.txt": "file is too large (4,400 bytes; the limit is 2,000)",
        "/bad.txt:1": "not valid UTF-8 (byte 0xe9 at offset 3); name its encoding with --encoding "
        "(e.g. --encoding latin-1)",
        "/odd.txt": "not read: unknown charset 'no-such-charset'",
    }
    assert all("\n" not in str(error) for error in errors)
    assert {a.url.removeprefix(site.url): a.text for a in articles} == {
        "/latin.txt": "Café talks in Kampala.",
        "/utf16.txt": "Talks in Kampala.",
        "/json.txt": '{"id": "x", "text": "not a record here"}',
    }


def test_a_posted_article_gets_its_language_or_is_refused_for_it(tmp_path):
    """POST /api/articles: a declared tag is normalised, an undeclared language is found
    from the text, and an article the model cannot read is refused as ingest skips it."""
    from fastapi.testclient import TestClient

    from dragoman.web import create_app

    token = "t" * 32
    auth = {"Authorization": f"Bearer {token}"}
    app = create_app(tmp_path / "posted.duckdb", write_token=token)
    with TestClient(app) as client:
        declared = client.post(
            "/api/articles", json={"id": "gb", "text": ENGLISH, "language": "en-GB"}, headers=auth
        )
        found = client.post("/api/articles", json={"id": "found", "text": ENGLISH}, headers=auth)
        french = client.post("/api/articles", json={"id": "fr", "text": FRENCH}, headers=auth)
        assert declared.status_code == 201, declared.text
        assert found.status_code == 201, found.text
        assert french.status_code == 422, french.text
        assert "written in French (fr)" in french.text
        assert client.get("/api/articles/gb").json()["language"] == "en"
        assert client.get("/api/articles/found").json()["language"] == "en"
        assert client.get("/api/articles/fr").status_code == 404
