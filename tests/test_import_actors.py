"""The Phoenix (PETRARCH2) actor import: parsing, conversion, loading and precedence."""

from __future__ import annotations

import filecmp
import shutil
from datetime import date
from pathlib import Path

import pytest

from dragoman.actors import ActorRecognizer, KnowledgeBase
from dragoman.actors.kb import DEFAULT_DATA_DIR, KnowledgeBaseError
from dragoman.knowledge import petrarch_actors as px
from dragoman.nlp import load_nlp
from dragoman.records import Article

PACKAGED = DEFAULT_DATA_DIR / "imported"
TEAM_FILES = ("generic.yaml", "countries.yaml", "organizations.yaml", "people.yaml")

# ----- small Phoenix files written for these tests -----------------------------------------
COUNTRIES = """\
# comment lines and blank lines are skipped

ARUBA_  [ABW]
+ORANJESTAD_

PAKISTAN_  [PAK]
+ISLAMIC_REPUBLIC_OF_PAKISTAN
+KARACHI_
# Presidents
ZULFIKAR_ALI_BHUTTO_  # CountryInfo.txt
\t[PAKELI 500101-810101]
\t[PAKGOV 810101-830814]
\t[PAKELI]
NAWAZ_SHARIF
+PRIME_MINISTER_NAWAZ_SHARIF
\t[PAKGOV 901106-930418]
\t[PAKGOV >130605]
GHULAM_KHAN_  # CountryInfo.txt
\t[PAKGOV 19200101-450101]
VLADIMIR_PUTIN_
\t[RUSGOV >000507]
IVO_NEW_
PRESIDENT_IVO_NEW_
NEW_
\t[PAKGOV 000101-150101]
KARIM_BROKEN_
\t[PAKGOV 0001-050101]
PAKISTANI_ARMY_  [PAKMIL]
ERICH_HONECKER_
\t[DDRGOV 711001-891018]
"""

INTERNATIONAL = """\
THE_UNITED_NATIONS_ [IGOUNO]
UN_ENVOY_\t[IGOUNO]
MONUC_\t[IGOUNO] # NGO_Actors
COSTCO_\t[MNCUSA]\t# retail
APPLE_\t[MNCUSA]
ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_ [YEMREB]
+ISLAMIC_ARMY_OF_ADEN_
BOUTROS_NEW_GHALI_\t[IGOUNO 920101-961231] [ELI]# IGOrulers.txt
EMPTY_ENTRY_\t[---]
"""

MILNONSTATE = """\
SHINING_PATH_ [PERREB] #  kkl 21 Mar 13
+SENDERO_LUMINOSO_

HAMAS_  #  kkl 21 Mar 13
+ISLAMIC_RESISTANCE_MOVEMENT
\t[PSEREB]
"""

AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON

CATTLE_RANCHER [~AGR]
FISHER!PERSON! [~AGR]
SHOPKEEPER [~CVL]
GUNMAN {} [~UAF]
CATTLE_THIEF {CATTLE_THIEVES} [~CRM]
PICKETER [~OPP]
POLICE_OFFICER [~COP]
HOSPITAL [~HLH]
PEACEKEEPING_TROOPS {} [IGO~]
NO_CODE_HERE
"""

ENGLISH = px.EnglishWords(
    frozenset(
        ["apple", "army", "the", "of", "new", "islamic", "resistance", "movement", "shining"]
        + ["path", "envoy"]
    )
)


@pytest.fixture(scope="module")
def phoenix(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("phoenix")
    for name, text in zip(
        (*px.ACTOR_FILES, px.AGENT_FILE), (COUNTRIES, INTERNATIONAL, MILNONSTATE, AGENTS)
    ):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "LICENSE").write_text("The MIT License (MIT)\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def converted(phoenix, tmp_path_factory) -> tuple[Path, px.ConversionResult]:
    out = tmp_path_factory.mktemp("imported") / "imported"
    return out, px.convert(phoenix, out, english=ENGLISH)


def rows(path: Path) -> list[list[str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [line.split("\t") for line in lines if not line.startswith("#")][1:]


def skipped(out: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for reason, _file, _line, text, detail in rows(out / "skipped.tsv"):
        found.setdefault(reason, set()).update({text, detail})
    return found


# ----- parsing -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,expected",
    [
        ("000507", date(2000, 5, 7)),
        ("300101", date(2030, 1, 1)),
        ("310101", date(1931, 1, 1)),
        ("991231", date(1999, 12, 31)),
        ("18970101", date(1897, 1, 1)),
    ],
)
def test_two_digit_years_00_to_30_are_this_century(text, expected):
    assert px.parse_date(text) == expected


def test_restriction_shapes():
    ranged = px.parse_restriction("AFGGOV 791227-861124", 1)
    assert (ranged.code, ranged.start, ranged.end, ranged.default) == (
        "AFGGOV",
        date(1979, 12, 27),
        date(1986, 11, 24),
        False,
    )
    after = px.parse_restriction("USAGOV >090120", 2)
    assert (after.start, after.end) == (date(2009, 1, 20), None)
    before = px.parse_restriction("USRARM <900823", 3)
    assert (before.start, before.end) == (None, date(1990, 8, 23))
    default = px.parse_restriction("AFGELI", 4)
    assert default.default and default.start is None
    with pytest.raises(ValueError):
        px.parse_restriction("KORGOVBUS 2004017-20061201", 5)
    with pytest.raises(ValueError):
        px.parse_restriction("s", 6)


def test_entries_collect_synonyms_and_code_lines():
    entries, skips = px.parse_actor_lines(COUNTRIES.splitlines(), "Phoenix.Countries.actors.txt")
    by_name = {e.phrases[0][0]: e for e in entries}
    pakistan = by_name["PAKISTAN_"]
    assert [p for p, _ in pakistan.phrases][1:] == ["ISLAMIC_REPUBLIC_OF_PAKISTAN", "KARACHI_"]
    sharif = by_name["NAWAZ_SHARIF"]
    assert [p for p, _ in sharif.phrases] == ["NAWAZ_SHARIF", "PRIME_MINISTER_NAWAZ_SHARIF"]
    assert [(r.code, r.start, r.end) for r in sharif.restrictions] == [
        ("PAKGOV", date(1990, 11, 6), date(1993, 4, 18)),
        ("PAKGOV", date(2013, 6, 5), None),
    ]
    # consecutive phrase lines waiting for their codes name one actor
    assert [p for p, _ in by_name["IVO_NEW_"].phrases] == ["IVO_NEW_", "PRESIDENT_IVO_NEW_", "NEW_"]
    assert by_name["ZULFIKAR_ALI_BHUTTO_"].heading == "Presidents"
    assert [s.reason for s in skips] == ["malformed"]  # the seven-digit date


def test_several_codes_on_one_line():
    entries, _ = px.parse_actor_lines(
        ["JAVIER_SOLANA_\t[IGOEUREEC 950701-951231][IGOWSTNAT 951205-991006] # CoEU"], "x"
    )
    assert [r.code for r in entries[0].restrictions] == ["IGOEUREEC", "IGOWSTNAT"]


def test_agents_expand_plurals_and_substitution_sets():
    agents, skips = px.parse_agent_lines(AGENTS.splitlines(), px.AGENT_FILE)
    phrases = {a.phrase for a in agents}
    assert {"cattle rancher", "cattle ranchers", "shopkeeper", "shopkeepers"} <= phrases
    assert {"fisherman", "fishermen", "fisherwoman", "fisherperson"} <= phrases
    assert "gunman" in phrases and "gunmen" not in phrases  # {} means no plural
    assert {"cattle thief", "cattle thieves"} <= phrases and "cattle thiefs" not in phrases
    assert [s.reason for s in skips] == ["no-code"]


@pytest.mark.parametrize(
    "phrase,person,korean,expected",
    [
        ("MOHAMMAD_ZAHIR_SHAH_", True, False, "Mohammad Zahir Shah"),
        ("U.N._SECURITY_COUNCIL", False, False, "U.N. Security Council"),
        ("KURDISTAN_WORKERS_PARTY_PKK", False, False, "Kurdistan Workers Party PKK"),
        ("BAN_KI-MOON", True, True, "Ban Ki-moon"),
        ("MIGUEL_D'ESCOTO_BROCKMANN_", True, False, "Miguel d'Escoto Brockmann"),
        ("ELIZABETH_II", True, False, "Elizabeth II"),
        ("MUHAMMAD_AL-BARADEI_", True, False, "Muhammad al-Baradei"),
        ("ROBERT_MCNAMARA_", True, False, "Robert McNamara"),
        ("ARMY_OF_GOD_", False, False, "Army of God"),
        ("HAMDAN_BIN_RASHID_AL_MAKTUM", True, False, "Hamdan bin Rashid al Maktum"),
    ],
)
def test_names_are_cased_for_english_text(phrase, person, korean, expected):
    words = px.clean_phrase(phrase).split()
    assert px.case_phrase(words, person=person, acronyms=frozenset(), korean=korean) == expected


# ----- conversion --------------------------------------------------------------------------
def test_conversion_writes_people_with_dated_roles(converted):
    out, _ = converted
    names = {surface: actor for surface, actor, _role in rows(out / "names.tsv")}
    roles = [r for r in rows(out / "roles.tsv") if r[0] == names["Zulfikar Ali Bhutto"]]
    assert [(r[1], r[2], r[3], r[5], r[6]) for r in roles] == [
        ("", "PAK", "ELI", "1950-01-01", "1981-01-01"),
        ("", "PAK", "ELI", "1983-08-14", ""),  # the undated code applies after the dated ones
        ("President", "PAK", "GOV", "1981-01-01", "1983-08-14"),  # heading of a leaders' list
    ]
    sharif = [r for r in rows(out / "roles.tsv") if r[0] == names["Nawaz Sharif"]]
    # an open-ended role is closed at the dictionaries' horizon and marked uncertain
    assert any(r[6] and r[7] == "1" for r in sharif)
    # an office before the name is recognised on its own: the stripped name is kept
    assert "Prime Minister Nawaz Sharif" not in names
    assert "Ivo New" in names and "New" not in names  # a common word alone names no one


def test_conversion_codes_groups_igos_and_companies(converted):
    out, result = converted
    actors = {r[2]: r for r in rows(out / "actors.tsv")}
    assert actors["Shining Path"][1:6] == ["group", "Shining Path", "PERREB", "PER", "REB"]
    assert actors["Monuc"][3:6] == ["IGOUNO", "", "GOV"]
    assert actors["Costco"][3:6] == ["MNCUSA", "", "BUS"]  # a multinational: no country
    assert actors["Aruba"][:2] == ["ABW", "state"]  # a territory the team does not list
    names = {surface for surface, _a, _r in rows(out / "names.tsv")}
    assert {"MONUC", "Sendero Luminoso", "AAIA", "Aden Abyan Islamic Army"} <= names
    assert result.kinds["person"] >= 3


def test_conversion_leaves_out_by_class(converted):
    out, result = converted
    found = skipped(out)
    assert "Apple" in found["common-word"]  # a single common English word
    assert "VLADIMIR_PUTIN_" in found["team-duplicate"]  # the team has him
    assert "HAMAS_" in found["team-duplicate"]
    assert "UN Envoy" in found["generic-office"]  # organisation + role word
    assert "Pakistani Army" in found["generic-office"]
    assert "GHULAM_KHAN_" in found["outside-era"]  # all roles before 1979
    assert "KARIM_BROKEN_" in found["no-code"]  # its only code line is malformed
    assert "DDRGOV" in found["code-not-mappable"]  # a dissolved state
    assert "Karachi" in found["state-synonym"]  # a city, left to the gazetteer
    assert "EMPTY_ENTRY_" in found["null-code"]
    assert "hospital" in found["agent-not-people"]
    assert "police officer" in found["agent-team-term"]
    assert "peacekeeping troops" in found["agent-prefix-code"]
    terms = {r[0]: r[2] for r in rows(out / "terms.tsv")}
    assert terms["cattle ranchers"] == "AGR"
    assert terms["picketer"] == "CVL"  # crowds follow the team's convention, not OPP
    assert set(result.skipped) <= set(px.REASONS)
    report = (out / "REPORT.md").read_text(encoding="utf-8")
    assert "team-duplicate" in report and "common-word" in report


def test_conversion_is_byte_identical_when_rerun(phoenix, converted, tmp_path):
    out, _ = converted
    again = tmp_path / "imported"
    px.convert(phoenix, again, english=ENGLISH)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def test_provenance_and_licence_are_written(converted):
    out, _ = converted
    provenance = (out / "PROVENANCE.md").read_text(encoding="utf-8")
    assert px.SOURCE_COMMIT in provenance and "MIT" in provenance
    assert (out / "LICENSE-petrarch2.txt").read_text(encoding="utf-8").startswith("The MIT")


# ----- loading -----------------------------------------------------------------------------
@pytest.fixture()
def data_dir(converted, tmp_path) -> Path:
    """A data folder: the team's YAML files plus the test conversion."""
    out, _ = converted
    for name in TEAM_FILES:
        shutil.copy(DEFAULT_DATA_DIR / name, tmp_path / name)
    shutil.copytree(out, tmp_path / "imported")
    return tmp_path


def test_loading_adds_imported_actors_after_the_teams(data_dir):
    kb = KnowledgeBase.load(data_dir)
    team = KnowledgeBase.load(data_dir, imported=False)
    shining = kb.lookup_name("Shining Path")
    assert [kb.actors[e.actor_id].code for e in shining] == ["PERREB"]
    assert team.lookup_name("Shining Path") == []
    # every team actor and form is untouched
    for actor_id, actor in team.actors.items():
        assert kb.actors[actor_id] == actor
    for surface, entries in team.names.items():
        assert kb.names[surface] == entries
    assert kb.lookup_term("cattle ranchers")[0].sector == "AGR"


def test_team_reading_of_a_form_wins(data_dir):
    names = data_dir / "imported" / "names.tsv"
    actor = next(a for s, a, _r in rows(names) if s == "Shining Path")
    with names.open("a", encoding="utf-8") as handle:
        handle.write(f"Putin\t{actor}\tname\n")  # a team person's short name
    kb = KnowledgeBase.load(data_dir)
    assert {e.actor_id for e in kb.lookup_name("Putin")} == {"vladimir_putin"}


def test_team_actor_is_not_duplicated(data_dir):
    actors = data_dir / "imported" / "actors.tsv"
    with actors.open("a", encoding="utf-8") as handle:
        handle.write("px:hamas\tgroup\tHamas\tPSEREB\tPSE\tREB\tx:1\n")
    names = data_dir / "imported" / "names.tsv"
    with names.open("a", encoding="utf-8") as handle:
        handle.write("Harakat Hamas\tpx:hamas\tname\n")
    kb = KnowledgeBase.load(data_dir)
    assert "px:hamas" not in kb.actors and kb.lookup_name("Harakat Hamas") == []


@pytest.mark.parametrize(
    "file,line,message",
    [
        ("roles.tsv", "px:nobody\t\tPAK\tGOV\t\t2000-01-01\t\t\tPAKGOV", "unknown actor"),
        ("roles.tsv", "{person}\tEmperor\tPAK\tGOV\t\t2000-01-01\t\t\tPAKGOV", "not a title"),
        ("roles.tsv", "{person}\t\tPAK\tGOV\t\t2000-13-01\t\t\tPAKGOV", "bad date"),
        ("actors.tsv", "px:x\tperson\tX Y\tPAKGOV\tPAK\tGOV", "tab-separated fields"),
        ("names.tsv", "Somebody\tpx:ghost\tname", "unknown actor"),
    ],
)
def test_malformed_imported_rows_are_reported_with_file_and_line(data_dir, file, line, message):
    person = next(r[0] for r in rows(data_dir / "imported" / "roles.tsv"))
    path = data_dir / "imported" / file
    count = len(path.read_text(encoding="utf-8").splitlines())
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line.format(person=person) + "\n")
    with pytest.raises(KnowledgeBaseError) as error:
        KnowledgeBase.load(data_dir)
    assert f"imported/{file} line {count + 1}" in str(error.value)
    assert message in str(error.value)


def test_a_role_resolves_by_date(data_dir):
    kb = KnowledgeBase.load(data_dir)
    bhutto = kb.actors[kb.lookup_name("Zulfikar Ali Bhutto")[0].actor_id]
    assert bhutto.role_on(date(1982, 6, 1)).title == "President"
    assert bhutto.role_on(date(1990, 1, 1)).sector == "ELI"
    assert kb.holders("President", "PAK", None, date(1982, 6, 1)) == [bhutto]
    assert kb.person_code(bhutto, date(1982, 6, 1)) == ("PAKGOV", "PAK", "GOV")
    assert kb.person_code(bhutto, date(1990, 1, 1)) == ("PAKELI", "PAK", "ELI")


# ----- the packaged files ------------------------------------------------------------------
@pytest.fixture(scope="module")
def packaged() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_packaged_files_load(packaged):
    team = KnowledgeBase.load(imported=False)
    assert len(packaged.actors) > len(team.actors) + 10_000
    kinds = {a.kind for a in packaged.actors.values() if a.id.startswith(px.ID_PREFIX)}
    assert kinds == {"person", "organization", "group"}
    for name in ("actors.tsv", "names.tsv", "roles.tsv", "terms.tsv", "PROVENANCE.md"):
        assert (PACKAGED / name).is_file(), name
    assert "MIT" in (PACKAGED / "LICENSE-petrarch2.txt").read_text(encoding="utf-8")


def test_collective_nouns_for_people_are_actors(packaged):
    for phrase, sector in (
        ("cops", "COP"),
        ("mob", "CVL"),
        ("gunmen", "INS"),
        ("villagers", "CVL"),
        ("unidentified persons", "CVL"),
        ("men", "CVL"),
        ("shopkeepers", "CVL"),
        ("drug lords", "CRM"),
    ):
        readings = packaged.lookup_term(phrase)
        assert readings, phrase
        if sector:
            assert readings[0].sector == sector, phrase


@pytest.mark.slow
def test_the_president_on_a_date_is_whoever_held_the_office(packaged):
    holders = packaged.holders("President", "PAK", None, date(2010, 1, 1))
    if len(holders) != 1 or not holders[0].id.startswith(px.ID_PREFIX):
        pytest.skip("no single imported holder of Pakistan's presidency in 2010")
    nlp = load_nlp()
    recognizer = ActorRecognizer(nlp, packaged)
    text = "The Pakistani president met Chinese officials."
    refs = recognizer.find(nlp(text), Article(id="t", text=text, published=date(2010, 1, 1)))
    assert refs[0].actor_id == holders[0].id and refs[0].code == "PAKGOV"


def test_packaged_files_match_a_fresh_conversion(shared_dir, tmp_path):
    source = shared_dir / "data" / "petrarch2"
    if not (source / px.ACTOR_FILES[0]).is_file():
        pytest.skip(f"Phoenix dictionaries not found in {source}")
    out = tmp_path / "imported"
    px.convert(source, out)
    mismatch = filecmp.dircmp(PACKAGED, out)
    assert not mismatch.left_only and not mismatch.right_only
    for name in sorted(p.name for p in PACKAGED.iterdir()):
        assert (PACKAGED / name).read_bytes() == (out / name).read_bytes(), name
