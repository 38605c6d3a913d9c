"""The actor knowledge base loads, validates and answers lookups."""

from datetime import date
from pathlib import Path

import pytest

from dragoman.actors.kb import DEFAULT_DATA_DIR, KnowledgeBase, KnowledgeBaseError


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_every_country_has_an_alpha3_code(kb):
    states = [a for a in kb.actors.values() if a.kind == "state"]
    assert len(states) >= 197
    for state in states:
        assert len(state.code) == 3 and state.code.isupper() and state.code.isalpha()


def test_special_states_are_present(kb):
    for code in ("PSE", "TWN", "XKX", "VAT", "RUS", "USA", "GBR", "ARE"):
        assert kb.country(code) is not None, code


@pytest.mark.parametrize(
    "surface,code",
    [
        ("United States", "USA"),
        ("U.S.", "USA"),
        ("America", "USA"),
        ("Britain", "GBR"),
        ("UK", "GBR"),
        ("Russian Federation", "RUS"),
        ("Emirati", "ARE"),
        ("Saudi", "SAU"),
        ("Hungarian", "HUN"),
        ("Romanian", "ROU"),
        ("Turkish", "TUR"),
        ("Greek", "GRC"),
        ("Moscow", "RUS"),
        ("Tehran", "IRN"),
        ("Kremlin", "RUS"),
        ("White House", "USA"),
        ("Downing Street", "GBR"),
    ],
)
def test_country_surface_forms(kb, surface, code):
    assert code in {e.actor_id for e in kb.lookup_name(surface)}


def test_no_surface_form_points_at_two_actors_unless_declared(kb):
    for surface, entries in kb.names.items():
        ids = {e.actor_id for e in entries}
        assert len(ids) == 1 or surface in kb.ambiguous, surface


def test_groups_and_igos_have_codes(kb):
    assert kb.actors["hamas"].code.startswith("PSE")
    assert kb.actors["hezbollah"].country == "LBN"
    assert kb.actors["un"].code == "IGOUNO"
    assert kb.actors["nato"].code.startswith("IGO")
    assert kb.actors["amnesty"].code.startswith("NGO")
    assert kb.actors["ria"].sector == "MED"


def test_person_role_follows_the_date(kb):
    raisi = kb.actors["ebrahim_raisi"]
    assert raisi.role_on(date(2023, 12, 7)).title == "President"
    assert raisi.role_on(date(2020, 1, 1)).title == "Chief Justice"
    assert kb.holders("President", "IRN", None, date(2023, 1, 1))[0].id == "ebrahim_raisi"
    assert kb.holders("President", "IRN", None, date(2025, 1, 1))[0].id == "masoud_pezeshkian"


def test_group_member_is_coded_with_the_group(kb):
    code, country, _sector = kb.person_code(kb.actors["musa_abu_marzouk"], date(2024, 5, 31))
    assert (code, country) == (kb.actors["hamas"].code, "PSE")


def _copy_data(tmp_path: Path) -> Path:
    for f in DEFAULT_DATA_DIR.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_malformed_entry_is_reported_with_file_and_entry(tmp_path):
    data = _copy_data(tmp_path)
    countries = data / "countries.yaml"
    countries.write_text(
        countries.read_text(encoding="utf-8") + "- code: Xx1\n  name: Nowhere\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError, match=r"countries.yaml entry \d+ \(Nowhere\)"):
        KnowledgeBase.load(data)


def test_unknown_title_in_people_is_rejected(tmp_path):
    data = _copy_data(tmp_path)
    people = data / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8") + "- id: someone\n  name: Some One\n  roles:\n"
        "    - {title: Grand Vizier, country: RUS}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="someone.*Grand Vizier"):
        KnowledgeBase.load(data)


def test_clashing_alias_is_rejected(tmp_path):
    data = _copy_data(tmp_path)
    orgs = data / "organizations.yaml"
    orgs.write_text(
        orgs.read_text(encoding="utf-8")
        + "  - {id: fake, name: Fake Org, kind: organization, code: NGOFAK, "
        "aliases: [Moscow]}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="Moscow"):
        KnowledgeBase.load(data)
