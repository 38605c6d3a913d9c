"""The discard list: converted from PETRARCH2, loaded, and applied to whole stories."""

from __future__ import annotations

import pytest

import dragoman
from dragoman.knowledge.petrarch_discards import convert, run
from dragoman.ontology import DataFileError
from dragoman.ontology.discards import Discards
from dragoman.ontology.tsv import data_path


def test_each_line_shape_converts_or_is_skipped_with_a_reason():
    rows, skipped = convert(
        [
            "# a comment",
            "+CHAMPIONS LEAGUE   # mj 27 Jan 2006",
            "+GROUP A_",
            "FOOTBALL   # BNL 25 Aug 2003",
            "1967",
            "YEARS AGO",
            "+CHAMPIONS LEAGUE",
        ]
    )
    assert rows == [
        ("champions league", "story", "stem", "Phoenix.discards.txt:2"),
        ("group a", "story", "word", "Phoenix.discards.txt:3"),
    ]
    reasons = [reason for _, reason in skipped]
    assert reasons[0].startswith("sentence-level") and reasons[1].startswith("bare year")
    assert reasons[2].startswith("relative time") and reasons[3] == "duplicate"


def test_a_story_about_sport_is_not_coded_and_a_stem_matches_its_words():
    discards = Discards.load()
    assert discards.in_story("He scored a goal in the Champions League final.")
    assert not discards.in_story("Police clashed with fans after the match in Istanbul.")
    assert not dragoman.extract(
        "Liverpool attacked from the start and scored two goals against Chelsea.",
        published="2024-05-31",
    )


def test_bad_rows_name_file_and_line(tmp_path):
    path = tmp_path / "discards.tsv"
    path.write_text("phrase\tscope\tmatch\tsource\nfootball\tparagraph\tstem\tx\n")
    with pytest.raises(DataFileError, match=r"discards.tsv, line 2: scope"):
        Discards.load(path)


def test_converting_again_gives_the_packaged_file_byte_for_byte(shared_dir, tmp_path):
    run(shared_dir / "data" / "petrarch2", tmp_path)
    for name in ("discards.tsv", "discards_skipped.tsv"):
        assert (tmp_path / name).read_bytes() == data_path("events", name).read_bytes(), name
