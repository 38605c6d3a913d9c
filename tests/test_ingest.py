"""Reading sources: files, folders, JSONL, stdin, metadata lines and bad input."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from dragoman.ingest import IngestError, read_paths, read_stream, stdin_id
from dragoman.ingest.metadata import read_text_metadata

DATED = " date 2024-05-31 Photo Credit: Somebody\n\nThe minister met his counterpart on Thursday.\n"


def _split(items):
    articles = [i for i in items if not isinstance(i, IngestError)]
    problems = [i for i in items if isinstance(i, IngestError)]
    return articles, problems


def test_date_line_gives_publication_date_and_is_boilerplate():
    meta = read_text_metadata(DATED)
    assert meta.published == date(2024, 5, 31)
    start, end = meta.boilerplate[0]
    assert DATED[start:end].strip().startswith("date 2024-05-31")
    assert "minister" not in DATED[start:end]


def test_trailing_copyright_is_boilerplate_with_its_year():
    text = "Headline here\n\nThe talks went well.\n\nCopyright 2023,"
    meta = read_text_metadata(text)
    assert meta.copyright_year == 2023
    assert any(text[s:e] == "Copyright 2023," for s, e in meta.boilerplate)
    assert meta.title == "Headline here"
    assert text[meta.title_span[0] : meta.title_span[1]] == "Headline here"


def test_copyright_and_date_on_one_line():
    meta = read_text_metadata("Copyright 2023, date 2024-05-31 Photo Credit: Agency\n\nBody text.")
    assert meta.published == date(2024, 5, 31)
    assert meta.copyright_year == 2023


def test_sentence_first_line_is_not_a_headline():
    meta = read_text_metadata("The minister said talks would resume.\n\nMore text.")
    assert meta.title is None


def test_text_file_id_is_file_stem_and_offsets_refer_to_original(tmp_path):
    path = tmp_path / "story_01.txt"
    path.write_text(DATED, encoding="utf-8")
    (article,) = list(read_paths([path]))
    assert article.id == "story_01"
    assert article.text == DATED
    assert article.published == date(2024, 5, 31)
    assert article.origin == str(path)


def test_folder_is_read_recursively_and_bad_files_do_not_stop_the_batch(tmp_path):
    (tmp_path / "a.txt").write_text("Russia and China held talks.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Iran condemned the strike.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 talks\nline two".encode("latin-1"))
    articles, problems = _split(list(read_paths([tmp_path])))
    assert sorted(a.id for a in articles) == ["a", "b"]
    messages = {p.origin.rsplit("/", 1)[-1]: p.message for p in problems}
    assert messages["empty.txt"] == "empty file"
    assert "binary" in messages["binary.txt"]
    assert any("latin1.txt:1" in p.origin and "UTF-8" in p.message for p in problems)


def test_huge_file_is_refused_with_its_size(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    (problem,) = list(read_paths([path], max_bytes=100))
    assert isinstance(problem, IngestError)
    assert "too large" in problem.message and str(path) == problem.origin


def test_jsonl_records_and_malformed_lines_are_reported_by_line(tmp_path):
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": "n1", "text": "Hamas thanked Russia.", "published": "2024-03-02"}),
        "{not json",
        json.dumps({"id": "n2"}),
        json.dumps({"id": "n3", "text": "Talks resumed.", "published": "yesterday"}),
        "",
        json.dumps(
            {
                "id": 4,
                "text": "Egypt hosted talks.",
                "published": "2024-03-02T10:00:00Z",
                "url": "u",
            }
        ),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, problems = _split(list(read_paths([path])))
    assert [a.id for a in articles] == ["n1", "4"]
    assert articles[0].published == date(2024, 3, 2)
    assert articles[1].published == date(2024, 3, 2) and articles[1].url == "u"
    assert [p.origin for p in problems] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "malformed JSON" in problems[0].message
    assert "'text'" in problems[1].message
    assert "published" in problems[2].message


def test_missing_path_is_an_error_not_a_crash(tmp_path):
    (problem,) = list(read_paths([tmp_path / "nope.txt"]))
    assert problem.message == "no such file or folder"


def test_stdin_plain_text_and_jsonl():
    (article,) = list(read_stream(io.BytesIO(b"Iran and Russia held talks.")))
    assert article.id == stdin_id("Iran and Russia held talks.")
    items = list(read_stream(io.BytesIO(b'{"id": "x", "text": "A"}\n{"id": "y", "text": "B"}\n')))
    assert [a.id for a in items] == ["x", "y"]


def test_record_published_wins_over_text_date_line():
    items = list(
        read_stream(
            io.BytesIO(json.dumps({"id": "z", "text": DATED, "published": "2024-06-02"}).encode())
        )
    )
    assert items[0].published == date(2024, 6, 2)


def test_stdin_plain_text_id_depends_on_the_text_only():
    def read(data: bytes) -> str:
        (article,) = list(read_stream(io.BytesIO(data)))
        return article.id

    turkey = read(b"Turkey held talks with Greece.\n")
    russia = read(b"Russia accused Ukraine of shelling.\n")
    assert turkey != russia
    assert turkey == read(b"Turkey held talks with Greece.\n")
    assert turkey.startswith("stdin-") and len(turkey) == len("stdin-") + 12
    int(turkey.removeprefix("stdin-"), 16)  # hex digits


def test_malformed_jsonl_reports_the_true_column(tmp_path):
    unclosed = '{"id": "n1", "text": "Hamas thanked Russia today."'  # the } is missing
    two_strings = '{"id": "n2", "text": "a" "b"}'
    path = tmp_path / "news.jsonl"
    path.write_bytes(f"{unclosed}\r\n{two_strings}\n".encode())
    problems = list(read_paths([path]))
    assert [p.origin for p in problems] == [f"{path}:1", f"{path}:2"]
    assert problems[0].message.endswith(f"at column {len(unclosed) + 1}")
    second_string = two_strings.index('"b"') + 1  # where the missing comma should be
    assert problems[1].message.endswith(f"at column {second_string}")
    # Standard input is split into lines the same way.
    (problem,) = list(read_stream(io.BytesIO(unclosed.encode() + b"\n")))
    assert problem.message.endswith(f"at column {len(unclosed) + 1}")


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("KYIV, May 30 (Reuters) - Russian missiles struck Lviv.", "KYIV, May 30 (Reuters) - "),
        ("BEIRUT, Lebanon (AP) — Israel struck a village.", "BEIRUT, Lebanon (AP) — "),
        ("ADDIS ABABA, Aug. 3 - Ethiopia agreed.", "ADDIS ABABA, Aug. 3 - "),
        ("Headline\nLONDON (Reuters) - Britain said so.", "LONDON (Reuters) - "),
        ("GAZA CITY — Israel struck a school.", "GAZA CITY — "),
        ("NATO - the alliance met in Brussels.", None),
        ("US - China talks resumed.", None),
    ],
)
def test_wire_dateline_is_boilerplate(text, dateline):
    from dragoman.ingest.metadata import read_text_metadata

    spans = [text[a:b] for a, b in read_text_metadata(text).boilerplate]
    assert spans == ([dateline] if dateline else [])


def test_dateline_does_not_become_an_actor_or_break_the_parse():
    import dragoman

    text = "WARSAW, May 30 (Reuters) - Poland expelled 45 Russian diplomats on Thursday."
    events = dragoman.extract(text, published="2024-05-31")
    assert [(e.cameo[:2], [a.code for a in e.source]) for e in events] == [("16", ["POL"])]
