"""Hostile input: nothing a file contains can hang, crash or subvert a batch.

A corpus of bad files (and good ones in unusual dress: compressed, UTF-16, Latin-1) is built
in a temporary folder; every good article must be read and stored, every bad input reported
on one line naming it, and no article may take unbounded time or memory.
"""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import io
import json
import lzma
import os
import random
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from dragoman.cli import app
from dragoman.ingest import IngestError, make_article, read_paths, read_stream
from dragoman.ingest.normalize import analysis_text

GOOD = "Iran and Russia held talks in Moscow on Thursday."
#: Ordinary words without a full stop: an endless "sentence" once repeated.
RUN_TEXT = (
    "the minister said Russia and Iran held talks in Moscow with officials of China about "
    "sanctions while the army attacked rebels near Kabul and police arrested protesters"
)
RUN_WORDS = RUN_TEXT.split()


def _record(**fields) -> str:
    return json.dumps(fields)


def _noise(rnd: random.Random, words: int) -> str:
    return " ".join("".join(rnd.choice("abcdefghij") for _ in range(6)) for _ in range(words))


def _endless_sentence(chars: int) -> str:
    rnd = random.Random(3)
    words: list[str] = []
    size = 0
    while size < chars:
        words.append(rnd.choice(RUN_WORDS))
        size += len(words[-1]) + 1
    return " ".join(words)[:chars]


def build_corpus(root: Path) -> tuple[list[str], set[str], dict[str, str]]:
    """Write the hostile corpus under ``root``.

    Returns the paths to pass in one batch, the ids of the good articles (each must be
    stored), and for each bad input (``file`` or ``file:line`` relative to ``root``) a
    fragment its one-line report must hold. ``big.txt`` and ``endless.txt`` are good input
    that may run out of time; ``trunc.jsonl.gz`` holds good records up to its cut.
    """
    files: dict[str, bytes] = {}
    good: set[str] = set()
    bad: dict[str, str] = {}

    def put(name: str, data: bytes | str) -> None:
        files[name] = data if isinstance(data, bytes) else data.encode("utf-8")

    put("good.txt", GOOD)
    good.add("good")
    put("empty.txt", "  \n\n")
    bad["empty.txt"] = "empty file"
    put("binary.txt", b"\x00\x01\x02\x03\xff\xfe-binary-\x00")
    bad["binary.txt"] = "binary file (contains NUL bytes)"
    records = [
        (_record(id="good1", text="Egypt hosted talks with Israel in Cairo on Monday."), None),
        (_record(id="nul", text="Police arrested\u0000 protesters."), "NUL character"),
        ("[" * 2000 + "]" * 2000, "nested too deeply"),
        ('{"id": "deep", "text": "x", "m": ' + '{"a": ' * 2000 + "1" + "}" * 2001, "nested"),
        ('{"id": "huge", "text": "x", "n": ' + "9" * 5000 + "}", "a number with 5,000 digits"),
        ('{"id": "float", "text": "x", "n": 1e' + "9" * 200 + "}", "a number with"),
        (_record(id=["a"], text="Russia protested."), "'id' must be a string or a whole number"),
        (_record(id=True, text="Russia protested."), "'id' must be a string or a whole number"),
        (_record(id="tt", text=5), "'text' is missing or not a string"),
        (_record(id="tl", text="Russia protested.", title={"a": 1}), "'title' must be a string"),
        (_record(id="pub", text="Russia protested.", published=20240501), "'published'"),
        ('{"id": "dup", "text": "Russia protested.", "text": "b"}', "duplicate key 'text'"),
        (_record(id="bidi", text="The minister \u202edias ton\u202c said."), "bidirectional"),
        (_record(id="esc", text="The minister \x1b[31msaid\x1b[0m so."), "control character"),
        (_record(id="surrogate", text="lone \ud800 surrogate"), "unpaired surrogate"),
        (_record(id="evil\nid", text="Russia protested."), "'id' contains a control character"),
        (_record(id="x" * 600, text="Russia protested."), "the limit is 500"),
        ('{"id": "nan", "text": "Russia protested.", "n": NaN}', "NaN, which is not JSON"),
        ('{"id": "raw", "text": "a\u0000b"}', "malformed JSON"),
        (_record(id="good2", text="Turkey condemned the strike on Sunday."), None),
    ]
    put("records.jsonl", "\n".join(line for line, _ in records) + "\n")
    for number, (_line, fragment) in enumerate(records, start=1):
        if fragment is None:
            good.add(json.loads(_line)["id"])
        else:
            bad[f"records.jsonl:{number}"] = fragment
    put("big.txt", ("Talks went on. " * 100_001)[:1_500_000])
    put("endless.txt", _endless_sentence(200_000))
    put(
        "news.jsonl.gz",
        gzip.compress((_record(id="gz1", text="Hamas thanked Qatar.") + "\n").encode()),
    )
    put(
        "news.jsonl.bz2",
        bz2.compress((_record(id="bz1", text="Germany sent aid to Ukraine.") + "\n").encode()),
    )
    good |= {"gz1", "bz1"}
    try:
        import zstandard

        compressed = zstandard.ZstdCompressor().compress(
            (_record(id="zs1", text="Japan protested to China.") + "\n").encode()
        )
        put("news.jsonl.zst", compressed)
        good.add("zs1")
    except ImportError:  # pragma: no cover - a dependency of Dragoman
        pass
    put("story_xz.txt.xz", lzma.compress(b"France recalled its ambassador from Mali."))
    good.add("story_xz")
    put("utf16.txt", "India and Pakistan agreed to a ceasefire.".encode("utf-16"))
    put("utf16_bare.txt", "Chile and Peru signed a treaty.".encode("utf-16-le"))
    put("wide.jsonl", (_record(id="u16", text="Iraq hosted talks.") + "\n").encode("utf-16"))
    put("latin1.txt", "Café owners in Paris protested on Friday.".encode("latin-1"))
    good |= {"utf16", "utf16_bare", "u16", "latin1"}
    put("cp1252.txt", "He said \x93no\x94 to talks.".encode("latin-1"))
    bad["cp1252.txt:1"] = "--encoding cp1252"
    put("crlf.jsonl", (_record(id="crlf1", text="Qatar hosted talks.") + "\r\n").encode())
    put("bom.jsonl", ("\ufeff" + _record(id="bom1", text="Oman hosted talks.") + "\n").encode())
    good |= {"crlf1", "bom1"}
    put("bell.txt", "Line one.\nThe \x07bell rang.\n")
    bad["bell.txt:2"] = "control character (U+0007) at column 5"
    put(
        "page.txt",
        "<!DOCTYPE html><html><head><title>x</title></head><body><p>Iran.</p></body></html>",
    )
    good.add("page")  # a web page is read for its text, told by its content
    put("feed.txt", '<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>')
    bad["feed.txt"] = "the feed has no items"
    put("atom.txt", '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    bad["atom.txt"] = "the feed has no items"
    put("table.txt", "id,title,text\n1,Talks,Iran met Russia\n2,Strike,Israel struck Gaza\n")
    put("table_tsv.txt", "id\ttext\n1\tIran met Russia\n")
    good |= {"1", "2"}  # tables are read row by row (the same row twice is one article)
    put("headless.txt", "key,words,when\n1,Iran met Russia,x\n2,Israel struck Gaza,y\n")
    bad["headless.txt:1"] = "no text column; name it with --columns text=COLUMN"
    put("array.jsonl", json.dumps([{"id": "a", "text": "Iran met Russia."}]))
    put("pretty.jsonl", json.dumps([{"id": "a", "text": "Iran met Russia."}] * 2, indent=2))
    good.add("a")  # JSON arrays of articles are read
    put("sitemap.txt", '<?xml version="1.0"?>\n<urlset><url><loc>x</loc></url></urlset>')
    bad["sitemap.txt"] = "looks like a sitemap; not read yet"
    put("deep_first.jsonl", "[" * 2000 + "]" * 2000 + "\n" + _record(id="after", text=GOOD) + "\n")
    bad["deep_first.jsonl:1"] = "nested too deeply"
    good.add("after")
    put("document.txt", '{\n  "id": "a",\n  "text": "Iran met Russia."\n}\n')
    bad["document.txt"] = "looks like a JSON document"
    put("archive.warc", "WARC/1.0\r\nWARC-Type: response\r\n\r\n")
    bad["archive.warc:record 1"] = "damaged WARC record"
    put("data.txt", b"PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00\x12\x00\x00PAR1")
    bad["data.txt"] = "damaged Parquet file"
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("a.txt", "Iran said.")
    put("packed.txt", packed.getvalue())
    bad["packed.txt"] = "looks like a zip archive"
    put("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    bad["paper.txt"] = "looks like a PDF document"
    rnd = random.Random(7)
    lines = "\n".join(
        _record(id=f"t{i}", text="Russia met China. " + _noise(rnd, 30)) for i in range(60)
    )
    whole = gzip.compress((lines + "\n").encode())
    put("trunc.jsonl.gz", whole[: len(whole) // 2])
    whole = gzip.compress(_noise(rnd, 5000).encode())
    put("trunc.txt.gz", whole[: len(whole) // 2])
    bad["trunc.txt.gz"] = "gzip-compressed data is damaged or cut short"
    put("twice.txt.gz", gzip.compress(gzip.compress(b"Iran met Russia.")))
    bad["twice.txt.gz"] = "gzip-compressed gzip data"
    put("prose.jsonl", "This is not JSON at all.\n")
    bad["prose.jsonl:1"] = "malformed JSON"
    put("mixed/a.txt", "Sudan and Chad closed their border.")
    put("mixed/b.txt", "<html><body><p>Sudan.</p></body></html>")
    put("mixed/c.txt.gz", gzip.compress(b"Kenya deployed police to Haiti."))
    put("mixed/d.jsonl", _record(id="d1", text="Brazil criticised Argentina."))
    put("mixed/e.md", "")
    put("mixed/notes.html", "<html><body><p>Chad reopened the crossing.</p></body></html>")
    put("mixed/photo.jpg", b"\xff\xd8\xff\xe0 never looked at: not a kind of file read")
    good |= {"a", "b", "c", "d1", "notes"}
    bad["mixed/e.md"] = "empty file"

    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    paths = sorted(str(root / name) for name in files if not name.startswith("mixed/"))
    paths.append(str(root / "mixed"))
    paths.append(str(root / "missing.txt"))
    bad["missing.txt"] = "no such file or folder"
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")
        paths.append(str(root / "pipe.txt"))
        bad["pipe.txt"] = "not a regular file"
    return paths, good, bad


def _relative(origin: str, root: Path) -> str:
    return origin.replace(str(root) + os.sep, "")


# -- reading: every kind of input, no pipeline -----------------------------------------


def test_every_hostile_input_is_one_error_and_every_good_one_is_read(tmp_path):
    paths, good, bad = build_corpus(tmp_path)
    started = time.perf_counter()
    items = list(read_paths(paths, encoding="latin-1"))
    assert time.perf_counter() - started < 20
    articles = [i for i in items if not isinstance(i, IngestError)]
    errors = [i for i in items if isinstance(i, IngestError)]
    read = {a.id for a in articles}
    assert good <= read
    assert {"big", "endless"} <= read
    truncated = {i for i in read if re.fullmatch(r"t\d+", i)}
    assert 0 < len(truncated) < 60, "the records before the cut are read"
    reported: dict[str, list[str]] = {}
    for error in errors:
        reported.setdefault(_relative(error.origin, tmp_path), []).append(error.message)
        assert "\n" not in str(error)
    for origin, fragment in bad.items():
        assert origin in reported, f"{origin} not reported"
        assert len(reported[origin]) == 1, reported[origin]
        assert fragment in reported[origin][0], (origin, reported[origin][0])
    (cut,) = [o for o in reported if o.startswith("trunc.jsonl.gz:")]
    assert "the lines after it are not read" in reported[cut][0]
    unexpected = set(reported) - set(bad) - {cut}
    assert not unexpected, {o: reported[o] for o in unexpected}
    assert not read & {"nul", "huge", "dup", "bidi", "esc", "surrogate", "table", "headless"}
    by_id = {a.id: a for a in articles}
    assert by_id["latin1"].text.startswith("Café")
    assert by_id["utf16"].text == "India and Pakistan agreed to a ceasefire."


def test_a_file_name_that_is_no_article_id_is_refused(tmp_path):
    names = [b"esc\x1b[31m.txt", b"not-utf8-\xff.txt", b"x" * 250 + b".txt"]
    for name in names:
        (tmp_path / os.fsdecode(name)).write_text(GOOD, encoding="utf-8")
    (tmp_path / "fine.txt").write_text(GOOD, encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert sorted(i.id for i in items if not isinstance(i, IngestError)) == ["fine", "x" * 250]
    problems = [i for i in items if isinstance(i, IngestError)]
    assert len(problems) == 2  # 250 characters are a fine id
    assert all("the file name is no article id" in p.message for p in problems)


def test_latin1_without_a_declared_encoding_says_how_to_declare_it(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café talks\nline two".encode("latin-1"))
    (problem,) = list(read_paths([path]))
    assert problem.origin == f"{path}:1"
    assert "not valid UTF-8" in problem.message and "--encoding" in problem.message


def test_standard_input_is_sniffed_and_decompressed_too():
    data = gzip.compress((_record(id="s1", text=GOOD) + "\n").encode())
    (article,) = list(read_stream(io.BytesIO(data)))
    assert article.id == "s1" and article.text == GOOD
    (page,) = list(read_stream(io.BytesIO(b"<html><body><p>Iran met Iraq.</p></body></html>")))
    assert page.text == "Iran met Iraq." and page.id.startswith("stdin-")
    (problem,) = list(read_stream(io.BytesIO(b'{\n  "id": "a",\n  "text": "x"\n}\n')))
    assert "JSON document" in problem.message
    (article,) = list(read_stream(io.BytesIO(GOOD.encode("utf-16"))))
    assert article.text == GOOD


def test_an_overlong_jsonl_line_is_skipped_without_holding_it_whole(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text(
        _record(id="long", text="x" * 5000) + "\n" + _record(id="ok", text=GOOD) + "\n",
        encoding="utf-8",
    )
    items = list(read_paths([path], max_bytes=1000))
    assert isinstance(items[0], IngestError) and "too large" in items[0].message
    assert items[0].origin == f"{path}:1"
    assert items[1].id == "ok"


def test_a_decompression_bomb_stops_at_the_size_limit(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a " * 5_000_000))  # 10 MB of text in ~10 KB
    (problem,) = list(read_paths([path], max_bytes=100_000))
    assert "too large" in problem.message and "once decompressed" in problem.message


def test_a_bad_encoding_name_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "never.duckdb"
    for name in ("klingon", "base64"):
        result = CliRunner().invoke(
            app, ["ingest", str(tmp_path), "--db", str(db), "--encoding", name]
        )
        assert result.exit_code == 2
        assert f"--encoding {name!r}" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not db.exists()


def test_analysis_text_breaks_runs_without_spaces_and_keeps_offsets():
    text = "Iran said " + "(" * 1000 + " and " + "'s" * 300 + " Russia agreed."
    analysed = analysis_text(make_article("runs", text))
    assert len(analysed) == len(text)
    assert max(len(run) for run in analysed.split()) <= 100
    assert analysed.startswith("Iran said ") and analysed.endswith(" Russia agreed.")


# -- the pipeline ----------------------------------------------------------------------


@pytest.mark.slow
def test_one_batch_of_hostile_files_stores_every_good_article(tmp_path):
    """The whole corpus in one `dragoman ingest`, in a process of its own: good articles
    stored, each bad input one line, exit code 1, bounded time and memory."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paths, good, bad = build_corpus(corpus)
    db = tmp_path / "hostile.duckdb"
    env = {**os.environ, "DRAGOMAN_ARTICLE_SECONDS": "10"}
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dragoman.cli",
            "ingest",
            *paths,
            "--db",
            str(db),
            "--encoding",
            "latin-1",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    skipped = [line for line in lines if line.startswith("skipped ")]
    assert re.search(r"; \d+ file\(s\) read, \d+ article\(s\) at [\d.]+/s;", lines[-1])
    assert lines[-1].endswith(f"{len(skipped)} skipped")
    for origin, fragment in bad.items():
        mine = [line for line in skipped if line.startswith(f"skipped {corpus / origin}: ")]
        assert len(mine) == 1, (origin, mine)
        assert fragment in mine[0]

    from dragoman.store import open_store

    with open_store(db, read_only=True) as store:
        missing = [i for i in sorted(good) if not store.has_article(i)]
        assert not missing
        assert store.has_article("t0"), "records before the cut of a gzip file are stored"
        for name in ("big", "endless"):
            if store.has_article(name):
                continue
            # an article over its time is skipped on one line, within one section's time
            (line,) = [s for s in skipped if s.startswith(f"skipped {corpus / name}.txt: ")]
            spent = float(re.search(r"unfinished after ([\d.]+) s", line).group(1))
            assert "DRAGOMAN_ARTICLE_SECONDS" in line and spent < 30
        for name in ("nul", "bidi", "esc", "surrogate", "table", "headless", "binary"):
            assert not store.has_article(name)
    assert elapsed < 120, f"the batch took {elapsed:.0f} s"
    assert peak_mib < 1500, f"peak memory {peak_mib:.0f} MiB"


def _offsets_hold(annotated) -> None:
    text = annotated.article.text
    for mention in annotated.actors:
        assert text[mention.start : mention.end] == mention.text
    for place in annotated.places:
        assert text[place.start : place.end] == place.text
    for expression in annotated.times:
        assert text[expression.start : expression.end] == expression.text
    for event in annotated.events:
        evidence = event.evidence
        assert text[evidence.start : evidence.end] == evidence.sentence
        assert text[evidence.trigger_start : evidence.trigger_end] == evidence.trigger
        for actor in [*event.source, *event.target, *event.attribution]:
            assert text[actor.start : actor.end] == actor.text


@pytest.mark.slow
def test_an_endless_sentence_is_cut_for_the_parser_with_offsets_exact(pipeline):
    text = "Russia and Iran held talks in Moscow on Thursday.\n\n" + _endless_sentence(15_000)
    started = time.perf_counter()
    annotated = pipeline.annotate(make_article("endless", text, origin="endless.txt"))
    assert time.perf_counter() - started < 20
    assert any("sentence breaks added for the parser" in n for n in annotated.article.notes)
    assert annotated.actors and annotated.events
    _offsets_hold(annotated)


@pytest.mark.slow
def test_a_long_article_is_analysed_in_sections_with_offsets_exact(pipeline, monkeypatch):
    from dragoman.pipeline import SECTION_CHARS

    monkeypatch.setattr(
        pipeline, "settings", dataclasses.replace(pipeline.settings, article_seconds=120.0)
    )
    story = (SAMPLES / "ankara_talks.txt").read_text(encoding="utf-8")
    text = "\n\n".join([story] * (2 * SECTION_CHARS // len(story) + 2))
    assert len(text) > 2 * SECTION_CHARS
    annotated = pipeline.annotate(make_article("long", text, published=None, origin="long.txt"))
    assert any("analysed in 3 sections" in n for n in annotated.article.notes)
    _offsets_hold(annotated)
    alone = pipeline.annotate(make_article("one", story))
    assert len(annotated.events) >= len(alone.events) > 0
    # the copies of the story in the last section are coded too
    assert max(e.evidence.start for e in annotated.events) > 2 * SECTION_CHARS


@pytest.mark.slow
def test_an_article_over_its_time_is_skipped_and_the_batch_goes_on(pipeline, monkeypatch):
    pipeline.annotate(make_article("warm", GOOD))  # first calls load what they need
    monkeypatch.setattr(
        pipeline, "settings", dataclasses.replace(pipeline.settings, article_seconds=0.5)
    )
    story = (SAMPLES / "ankara_talks.txt").read_text(encoding="utf-8")
    articles = [
        make_article("first", GOOD, origin="first.txt"),
        make_article("slow", "\n\n".join([story] * 60), origin="slow.txt"),
        make_article("last", "Turkey condemned the strike on Sunday.", origin="last.txt"),
    ]
    errors = []
    started = time.perf_counter()
    done = [a.article.id for a in pipeline.annotate_many(articles, on_error=errors.append)]
    assert done == ["first", "last"]
    (error,) = errors
    assert str(error).startswith("slow.txt: not analysed: unfinished after ")
    assert "DRAGOMAN_ARTICLE_SECONDS" in str(error) and "\n" not in str(error)
    assert time.perf_counter() - started < 20


@pytest.mark.slow
def test_articles_out_of_time_before_their_parse_are_each_skipped(pipeline, monkeypatch):
    monkeypatch.setattr(
        pipeline, "settings", dataclasses.replace(pipeline.settings, article_seconds=1e-9)
    )
    articles = [make_article(i, GOOD, origin=f"{i}.txt") for i in ("one", "two")]
    errors = []
    assert list(pipeline.annotate_many(articles, on_error=errors.append)) == []
    assert [str(e).split(":")[0] for e in errors] == ["one.txt", "two.txt"]
    assert all("stopped before parsing" in str(e) for e in errors)


class _PoisonedNlp:
    """The real pipeline's nlp, except that any text holding POISON fails to parse."""

    def __init__(self, nlp) -> None:
        self._nlp = nlp

    def __getattr__(self, name):
        return getattr(self._nlp, name)

    def __call__(self, text):
        if "POISON" in text:
            raise RuntimeError("cannot parse\nthis")
        return self._nlp(text)

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        if any("POISON" in t for t in texts):
            raise RuntimeError("a batch with poison")
        return self._nlp.pipe(texts, **kwargs)


@pytest.mark.slow
def test_a_failing_article_loses_no_other_article_of_its_batch(pipeline, monkeypatch):
    monkeypatch.setattr(pipeline, "nlp", _PoisonedNlp(pipeline.nlp))
    code = pipeline.coder.code

    def coder(doc, article, *args, **kwargs):
        if article.id == "broken":
            raise KeyError("no such thing")
        return code(doc, article, *args, **kwargs)

    monkeypatch.setattr(pipeline.coder, "code", coder)
    texts = {
        "a": GOOD,
        "poisoned": "POISON Russia attacked.",
        "broken": "Iran condemned Israel.",
        "b": "Turkey condemned the strike on Sunday.",
    }
    articles = [
        make_article(i, t, origin=f"news.jsonl:{n}") for n, (i, t) in enumerate(texts.items(), 1)
    ]
    errors = []
    done = [a.article.id for a in pipeline.annotate_many(articles, on_error=errors.append)]
    assert done == ["a", "b"]
    messages = [str(e) for e in errors]
    assert messages == [
        "news.jsonl:2: not analysed: RuntimeError: cannot parse this (in the parse stage)",
        "news.jsonl:3: not analysed: KeyError: 'no such thing' (in the events stage)",
    ]
    with pytest.raises(ValueError, match="news.jsonl:3: not analysed"):
        pipeline.annotate(articles[2])


@pytest.mark.slow
def test_runs_of_brackets_are_tokenized_in_bounded_time(pipeline):
    text = "Russia attacked Ukraine on Monday. " + "(" * 19_000 + " Iran condemned Israel."
    started = time.perf_counter()
    annotated = pipeline.annotate(make_article("brackets", text))
    assert time.perf_counter() - started < 30
    assert any("without a space" in n for n in annotated.article.notes)
    _offsets_hold(annotated)


@pytest.mark.slow
def test_spacy_takes_every_article_within_the_size_limit(pipeline):
    assert pipeline.nlp.max_length > pipeline.settings.max_article_bytes


def test_a_broken_symbolic_link_is_reported_not_skipped(tmp_path):
    (tmp_path / "fine.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (tmp_path / "fine-link.txt").symlink_to(tmp_path / "fine.txt")
    items = list(read_paths([tmp_path]))
    assert sorted(i.id for i in items if not isinstance(i, IngestError)) == ["fine", "fine-link"]
    problems = [i for i in items if isinstance(i, IngestError)]
    assert [p.origin for p in problems] == [str(tmp_path / "gone.txt")]
    assert "broken symbolic link" in problems[0].message
    assert "\n" not in str(problems[0])
    # named directly, it is reported the same way
    direct = list(read_paths([tmp_path / "gone.txt"]))
    assert len(direct) == 1 and "broken symbolic link" in direct[0].message
    # a folder holding only a broken link says so, not that it holds nothing
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    (lonely / "a.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    only = list(read_paths([lonely]))
    assert len(only) == 1 and "broken symbolic link" in only[0].message
