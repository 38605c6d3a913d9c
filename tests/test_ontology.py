"""Tests for the CAMEO/PLOVER ontology tables and their loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.ontology import DataFileError, cameo_entry, load_cameo, plover_types
from dragoman.ontology.cameo import CAMEO_COLUMNS

ROOTS = [f"{n:02d}" for n in range(1, 21)]

#: PLOVER type of each CAMEO root (the root code and its "not specified" child).
ROOT_PLOVER = {
    "01": None,
    "02": "REQUEST",
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "08": "CONCEDE",
    "09": "ACCUSE",
    "10": "REQUEST",
    "11": "ACCUSE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "ASSAULT",
    "20": "ASSAULT",
}


def test_every_root_and_three_digit_code_is_listed():
    codes = load_cameo()
    assert all(root in codes for root in ROOTS)
    three_digit = [code for code in codes if len(code) == 3]
    assert len(three_digit) == 147
    assert len(codes) == 313
    # Every code's parent is listed too.
    assert all(code[:-1] in codes or len(code) == 2 for code in codes if len(code) > 3)


@pytest.mark.parametrize(
    ("code", "goldstein", "quad_class"),
    [
        ("010", 0.0, 1),
        ("020", 3.0, 1),
        ("036", 4.0, 1),
        ("040", 1.0, 1),
        ("042", 1.9, 1),
        ("051", 3.4, 1),
        ("057", 8.0, 1),
        ("073", 7.4, 2),
        ("0874", 10.0, 2),
        ("112", -2.0, 3),
        ("130", -4.4, 3),
        ("141", -6.5, 3),
        ("163", -8.0, 4),
        ("173", -5.0, 4),
        ("190", -10.0, 4),
        ("195", -10.0, 4),
    ],
)
def test_goldstein_and_quad_class_of_well_known_codes(code, goldstein, quad_class):
    entry = load_cameo()[code]
    assert entry.goldstein == goldstein
    assert entry.quad_class == quad_class


@pytest.mark.parametrize("root", ROOTS)
def test_plover_type_of_each_root(root):
    codes = load_cameo()
    assert codes[root].plover == ROOT_PLOVER[root]
    assert codes[root + "0"].plover == ROOT_PLOVER[root]


def test_yield_splits_into_concede_and_retreat():
    codes = load_cameo()
    assert codes["083"].plover == "CONCEDE"
    assert codes["0841"].plover == "RETREAT"
    assert codes["0841"].plover_mode == "release"
    assert codes["0871"].plover_mode == "ceasefire"


def test_modes_belong_to_their_plover_type():
    modes = plover_types()
    assert len(modes) == 16
    assert "phone" in modes["CONSULT"]
    for entry in load_cameo().values():
        if entry.plover_mode:
            assert entry.plover_mode in modes[entry.plover], entry


def test_consult_codes_carry_their_mode():
    assert cameo_entry("041").plover_mode == "phone"
    assert cameo_entry("042").plover_mode == "visit"
    assert cameo_entry("043").plover_mode == "host"


def test_cameo_entry_falls_back_to_nearest_parent():
    assert cameo_entry("0415").code == "041"
    assert cameo_entry("199").code == "19"
    with pytest.raises(KeyError):
        cameo_entry("99")


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("# test file\n" + "\t".join(CAMEO_COLUMNS) + "\n" + "\n".join(rows) + "\n")
    return path


def test_loader_names_file_and_line_of_a_short_row(tmp_path):
    bad = _write(tmp_path / "cameo.tsv", ["01\tStatement\t0.0\t1\t\t", "010\tStatement\t0.0\t1"])
    with pytest.raises(DataFileError) as caught:
        load_cameo(bad)
    assert "cameo.tsv" in str(caught.value)
    assert "line 4" in str(caught.value)


def test_loader_rejects_wrong_quad_class_and_unknown_plover_type(tmp_path):
    bad = _write(tmp_path / "quad.tsv", ["19\tFight\t-10.0\t2\tASSAULT\t"])
    with pytest.raises(DataFileError, match=r"quad\.tsv, line 3: quad_class"):
        load_cameo(bad)
    bad = _write(tmp_path / "type.tsv", ["19\tFight\t-10.0\t4\tFIGHT\t"])
    with pytest.raises(DataFileError, match="unknown PLOVER type"):
        load_cameo(bad)


def _authors_table(path: Path) -> dict[str, set[str]]:
    """CAMEO code -> the types the PLOVER authors' CAMEO2PLOVER table gives it (the root 08
    has two lines, CONCEDE and RETREAT)."""
    table: dict[str, set[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        code, rest = (part.strip() for part in line.split(":", 1))
        fields = [f.strip() for f in rest.split(",")]
        table.setdefault(code, set()).add(fields[0])
    return table


def test_every_type_differing_from_the_plover_authors_table_is_a_documented_decision(
    shared_dir,
):
    from dragoman.ontology.tsv import data_path, read_rows

    theirs = _authors_table(shared_dir / "data" / "CAMEO2PLOVER-2021.txt")
    decisions = {
        row.fields["code"]: row.fields
        for row in read_rows(
            data_path("ontology", "cameo2plover_decisions.tsv"),
            ("code", "ours", "theirs", "reason"),
        )
    }
    ours = load_cameo()
    undocumented = [
        (code, ours[code].plover, kinds)
        for code, kinds in theirs.items()
        if code in ours and (ours[code].plover or "") not in kinds and code not in decisions
    ]
    assert not undocumented, f"types differing from CAMEO2PLOVER without a reason: {undocumented}"
    for code, row in decisions.items():
        assert row["reason"], code
        assert row["ours"].split("/")[0] == (ours[code].plover or "-"), code
        assert row["theirs"].split("/")[0] in theirs.get(code, {"-"}), code
