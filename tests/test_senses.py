"""Senses of verb rows selected by their object, and the files that hold them."""

from __future__ import annotations

import pytest

import dragoman
from dragoman.ontology import DataFileError
from dragoman.ontology.senses import Senses

PUBLISHED = "2024-05-31"


def codes_of(text: str) -> list[str]:
    return [e.cameo for e in dragoman.extract(text, published=PUBLISHED)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person fired is dismissed, not shot
        ("The president fired the defence minister on Monday.", []),
        ("Putin fired Shoigu on Monday.", []),
        # what a camera or a contest captures, what prices hit
        ("The video captured the moment of the explosion.", []),
        ("Oil prices hit a record high on Monday.", []),
        # what a plant releases is a spill
        ("The plant released 150,000 gallons of contaminated water into the river.", []),
        # territory captured is occupied; a plan attacked is criticised
        ("Rebels captured the town of Kidal on Monday.", ["192"]),
        ("The opposition attacked the government's plan.", ["111"]),
        # the sense the row was written for stays
        ("Troops attacked the village on Monday.", ["190"]),
        ("Police fired tear gas at the protesters.", ["175"]),
    ],
)
def test_the_object_selects_the_sense(pipeline, text, expected):
    assert codes_of(text) == expected


def test_every_sense_names_a_verb_or_noun_pattern_of_the_lexicon():
    from dragoman.ontology import Lexicon

    lexicon = Lexicon.load()
    senses = Senses.load()
    for pattern in senses.by_pattern:
        verbs = lexicon.verb_entries(pattern[0])
        nouns = lexicon.noun_entries(pattern[-1])
        assert any(e.words == pattern for e in [*verbs, *nouns]), pattern


@pytest.mark.parametrize(
    ("classes", "senses", "message"),
    [
        ("office\tMinister\t\n", "fire\toffice\t-\t\n", r"object_classes.tsv, line 2: .*lower-case"),
        ("office\tminister\t\n", "fire\tjob\t-\t\n", r"senses.tsv, line 2: unknown object class"),
        ("office\tminister\t\n", "fire\toffice\t999\t\n", r"senses.tsv, line 2: unknown CAMEO"),
        ("person\tminister\t\n", "fire\toffice\t-\t\n", r"object_classes.tsv, line 2: .*built-in"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path, classes, senses, message):
    (tmp_path / "object_classes.tsv").write_text("class\tlemma\tcomment\n" + classes)
    (tmp_path / "senses.tsv").write_text("pattern\tobject\treading\tcomment\n" + senses)
    with pytest.raises(DataFileError, match=message):
        Senses.load(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what aircraft destroy or strike, they strike from the air
        ("Turkish jets destroyed weapon depots in northern Iraq on Sunday.", ["195"]),
        ("Israeli warplanes struck Hamas positions in Gaza on Monday.", ["195"]),
        ("The depot was destroyed by Russian drones on Monday.", ["195"]),
        ("A Russian missile destroyed a school in Kharkiv on Monday.", ["195"]),
        # the same acts by people on the ground keep their codes
        ("Syrian troops destroyed rebel positions on Monday.", ["1712"]),
        ("Troops attacked the village on Monday.", ["190"]),
        # a suicide bomber is no aircraft
        ("Two suicide bombers killed ten people outside a mosque in Cameroon.", ["190"]),
        # a code the row does not list stays: aircraft carrying aid deliver aid
        ("Jordanian planes delivered humanitarian aid to Gaza on Monday.", ["073"]),
    ],
)
def test_the_means_selects_the_code(pipeline, text, expected):
    assert codes_of(text) == expected


@pytest.mark.parametrize(
    ("means", "message"),
    [
        ("boats\t190\t195\t\n", r"means.tsv, line 2: unknown subject class"),
        ("aircraft\t190 999\t195\t\n", r"means.tsv, line 2: .*CAMEO codes, got \['999'\]"),
        ("aircraft\t\t195\t\n", r"means.tsv, line 2: .*CAMEO codes"),
    ],
)
def test_bad_means_rows_name_file_and_line(tmp_path, means, message):
    (tmp_path / "object_classes.tsv").write_text("class\tlemma\tcomment\naircraft\tjet\t\n")
    (tmp_path / "senses.tsv").write_text("pattern\tobject\treading\tcomment\n")
    (tmp_path / "means.tsv").write_text("subject\tcodes\treading\tcomment\n" + means)
    with pytest.raises(DataFileError, match=message):
        Senses.load(tmp_path)


def test_every_means_row_reads_an_assault_from_codes_of_force():
    from dragoman.ontology.cameo import load_cameo

    codes = load_cameo()
    senses = Senses.load()
    assert senses.means, "means.tsv has rows"
    for means in senses.means:
        # every code it replaces is one of force (QuadClass 4), and so is what it reads
        assert means.codes and all(codes[code].quad_class == 4 for code in means.codes)
        assert codes[means.reading].plover == "ASSAULT"
