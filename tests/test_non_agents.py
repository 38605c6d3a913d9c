"""The list of forces of nature and accidents is checked like every data file."""

from __future__ import annotations

import pytest

from dragoman.ontology import DataFileError
from dragoman.ontology.non_agents import lemmas_of, load_non_agents


def test_packaged_list_loads_and_holds_the_usual_hazards():
    kinds = load_non_agents()
    assert {"earthquake", "flood", "landslide", "accident"} <= set(
        lemmas_of(kinds, "nature", "accident")
    )
    # bombs explode too: blasts and explosions are uncertain, not causes without authors
    assert {"blast", "explosion"} <= lemmas_of(kinds, "uncertain")
    assert "bomb" in lemmas_of(kinds, "weapon")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Storm\tnature\t", "lower-case"),
        ("storm\tweather\t", "unknown kind"),
        ("storm\tnature", "columns"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path, row, message):
    path = tmp_path / "non_agents.tsv"
    path.write_text(f"# comment\nlemma\tkind\tcomment\n{row}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"non_agents.tsv, line 3: .*{message}"):
        load_non_agents(path)


def test_undergoing_verbs_are_checked_row_by_row(tmp_path):
    from dragoman.ontology.non_agents import load_undergoing_verbs

    assert {"die", "perish"} <= load_undergoing_verbs()
    bad = tmp_path / "undergoing_verbs.tsv"
    bad.write_text("lemma\tcomment\ndie\t\nDie Out\t\n")
    with pytest.raises(DataFileError, match=r"undergoing_verbs.tsv, line 3: .*lower-case"):
        load_undergoing_verbs(bad)
    bad.write_text("lemma\tcomment\ndie\t\ndie\t\n")
    with pytest.raises(DataFileError, match=r"line 3: duplicate"):
        load_undergoing_verbs(bad)
