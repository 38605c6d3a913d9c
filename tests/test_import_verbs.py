"""Tests for the PETRARCH2 verb dictionary converter and the imported lexicon layer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dragoman.knowledge import petrarch_verbs as pv
from dragoman.knowledge.__main__ import main as knowledge_main
from dragoman.ontology import DataFileError, Lexicon, VerbEntry, load_cameo
from dragoman.ontology import lexicon as lexicon_module
from dragoman.ontology.tsv import data_path

PETRARCH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "petrarch2"

# A small dictionary in PETRARCH's format, written for these tests.
SNIPPET = """\
# test dictionary
####### SYNONYM SETS #######
&ARMY_
+TROOPS
+SPECIAL_FORCES

&DEAL
+TREATY
+PEACE_DEAL
+ACCORD

####### VERB PATTERNS #######
---  FERRY   [---]  ---
FERRY
+SHIP_OUT {+SHIPS_OUT +SHIPPED_OUT +SHIPPING_OUT}
ABSCOND [160]
- * &ARMY_                                  [154]   # FERRY
- * {RELIEF SUPPLIES}                       [073]   # FERRY
- * (TO FRONT)                              [154]   # FERRY
- * (AGAINST)                               [130]   # FERRY
- * AID (INTO +)                            [070]   # FERRY
- * HUNGER STRIKE                           [142]   # FERRY
- * MEDIC/DOCTOR                            [073]   # FERRY
- * &DEAL                                   [057]   # FERRY
- &ARMY_ *                                  [154]   # FERRY
- * $ (TO +)                                [154]   # FERRY
- * ^ TROOPS                                [154]   # FERRY
- * CONVOY                                  [---]   # FERRY
- * CRITICISM                               [:111]  # FERRY
- * DELEGATION                              [043:042] # FERRY
- * ENVOY                                   [046:046] # FERRY
- * OBSERVER                                [999]   # FERRY
- * MISSION                                 [051]   # FERRY
- * MISSION                                 [054]   # FERRY
- * COURIER                                 [051]   # FERRY
- * COURIER                                 [190]   # FERRY
- * BOMBER                                  [195]   # SHIP_OUT
- * UP                                      [154]   # SHIPPED_OUT
- * NOTE                                    [040]   # FERRY
~ a (a b FERRY) SAY = a b 010
"""


def _team(*rows: tuple[str, str]) -> pv.Team:
    """A team lexicon of ``rows`` (plus a four-word row: patterns may be that long)."""
    rows = (*rows, ("take part in protest", "140"))
    verbs = [
        VerbEntry(tuple(words.split()), code, ("dobj",), frozenset(), "") for words, code in rows
    ]
    return pv.Team(verbs, [], frozenset({"hold"}), frozenset({"say"}))


@pytest.fixture(scope="module")
def lemmatizer() -> pv.Lemmatizer:
    return pv.Lemmatizer()


@pytest.fixture(scope="module")
def snippet(lemmatizer) -> pv.Conversion:
    return pv.convert(SNIPPET, lemmatizer, _team())


def _rows(conversion: pv.Conversion) -> dict[str, pv.Row]:
    return {" ".join(row.words): row for row in conversion.verb_rows}


def _reasons(conversion: pv.Conversion, line_text: str) -> set[str]:
    number = 1 + SNIPPET.splitlines().index(line_text)
    return {o.reason for o in conversion.outcomes if o.line == number}


def _line(prefix: str) -> str:
    (line,) = [text for text in SNIPPET.splitlines() if text.startswith(prefix)]
    return line


# -- parsing ---------------------------------------------------------------------------------


def test_parse_synsets_blocks_verbs_and_patterns():
    dictionary = pv.parse_dictionary(SNIPPET)
    assert dictionary.synsets["&ARMY_"] == (("TROOPS",), ("SPECIAL", "FORCES"))
    (block,) = dictionary.blocks
    assert (block.name, block.code) == ("FERRY", "---")
    ship_out = block.verbs[1]
    assert ship_out.words == ("SHIP", "OUT") and ship_out.verb_index == 0
    assert ship_out.forms[1] == ("SHIPPED", "OUT")
    assert block.verbs[2].code == "160"
    first = block.patterns[0]
    assert first.pre == () and first.post == (pv.Word("&ARMY_"),) and first.code == "154"
    into = block.patterns[4]
    assert into.post == (pv.Word("AID"), pv.PrepPhrase(pv.Word("INTO"), (pv.Marker("+"),)))
    assert block.patterns[8].pre == (pv.Word("&ARMY_"),)
    assert [p.reason for p in dictionary.problems] == [
        "transformation (verb of a verb): not a lexicon row"
    ]


def test_unreadable_lines_are_problems_not_crashes():
    text = "---  X   [010]  ---\nFOO\n- * (TO BAR [010]\n- * BAR * BAZ [010]\n- * BAR\n"
    dictionary = pv.parse_dictionary(text)
    assert [p.line for p in dictionary.problems] == [3, 4]
    # a pattern without a code is read, and skipped when converted
    assert dictionary.blocks[0].patterns[0].code is None


@pytest.mark.parametrize(
    ("text", "code", "symmetric", "skip"),
    [
        ("042", "042", False, None),
        ("046:046", "046", True, None),
        ("042:043", "042", False, None),
        (":110", None, False, "reversed code [:X] (the target acts on the source)"),
        ("---", None, False, "null code [---] (no event)"),
        ("999", None, False, "code not in ontology/cameo.tsv"),
        ("080!", None, False, "unreadable code"),
        (None, None, False, "no code"),
    ],
)
def test_read_code(text, code, symmetric, skip):
    result = pv.read_code(text, frozenset(load_cameo()))
    assert (result.code, result.symmetric, result.skip) == (code, symmetric, skip)


# -- conversion of each pattern shape --------------------------------------------------------


def test_object_words_are_noun_lemmas_and_synsets_expand(snippet):
    rows = _rows(snippet)
    # "&ARMY_" -> TROOPS, SPECIAL_FORCES: the head noun first, then its modifier
    assert rows["ferry troop"].code == "154"
    assert rows["ferry force special"].code == "154"
    assert rows["ferry treaty"].code == "057"
    assert rows["ferry deal peace"].code == "057"
    # "According to X, ..." hangs "accord" on the main verb: such words are left out
    assert "ferry accord" not in rows


def test_braced_and_unbraced_phrases_put_the_head_first(snippet):
    rows = _rows(snippet)
    assert rows["ferry supply relief"].code == "073"
    assert rows["ferry strike hunger"].code == "142"


def test_slash_alternatives_expand(snippet):
    rows = _rows(snippet)
    assert rows["ferry medic"].code == rows["ferry doctor"].code == "073"


def test_prepositional_phrases(snippet):
    rows = _rows(snippet)
    assert rows["ferry to front"].code == "154"
    # "(AGAINST)": the preposition is a pattern word and the first target slot
    against = rows["ferry against"]
    assert against.code == "130" and against.slots[0] == "prep:against"
    # "(INTO +)": the preposition introduces the target, which the row then needs
    aid = rows["ferry aid"]
    assert aid.slots[0] == "prep:into" and "dyadic" in aid.flags


def test_patterns_apply_to_multiword_verbs_and_their_particles(snippet):
    rows = _rows(snippet)
    assert rows["ship out bomber"].code == "195"
    # "+SHIP_OUT" with "* UP": particles follow the verb's own
    assert rows["ship out up"].code == "154"


def test_pattern_scope_follows_the_verbs_named_in_the_comment(snippet, lemmatizer):
    rows = _rows(snippet)
    # "# SHIP_OUT" names one verb: the other verbs of the block do not get the pattern
    assert "ferry bomber" not in rows
    # "# SHIPPED_OUT" names the same verb by an inflected form
    assert "ferry up" not in rows
    assert "pattern scope: verb of the block the pattern does not name" in _reasons(
        snippet, _line("- * BOMBER")
    )
    block = pv.convert(SNIPPET, lemmatizer, _team(), pv.Policy(pattern_scope="block"))
    assert "ferry bomber" in _rows(block)


def test_codes_mutual_reciprocal_and_merged(snippet):
    rows = _rows(snippet)
    assert "symmetric" in rows["ferry envoy"].flags
    delegation = rows["ferry delegation"]
    assert delegation.code == "043" and "reciprocal 042 dropped" in delegation.comment
    # 051 and 054 within one root: the most specific code covering both
    assert rows["ferry mission"].code == "050"
    assert "ferry courier" not in rows
    courier = [o for o in snippet.outcomes if o.pattern == "ferry courier"]
    assert {o.reason for o in courier} == {"conflicting codes for one pattern"}


@pytest.mark.parametrize(
    ("prefix", "reason"),
    [
        ("- &ARMY_ *", "words before the verb (a subject the format cannot require)"),
        ("- * $ (TO +)", "source/target marker the coder cannot express"),
        ("- * ^ TROOPS", "skip marker '^' between words"),
        ("- * CONVOY", "null code [---] (no event)"),
        ("- * CRITICISM", "reversed code [:X] (the target acts on the source)"),
        ("- * OBSERVER", "code not in ontology/cameo.tsv"),
        ("FERRY", "verb alone: null code [---] (no event)"),
        ("ABSCOND", "verb alone: not imported (policy)"),
    ],
)
def test_skipped_lines_are_reported_with_their_reason(snippet, prefix, reason):
    assert reason in _reasons(snippet, _line(prefix))


def test_bare_verbs_with_their_own_code_under_that_policy(lemmatizer):
    conversion = pv.convert(SNIPPET, lemmatizer, _team(), pv.Policy(bare_verbs="own_code"))
    assert _rows(conversion)["abscond"].code == "160"
    assert "ferry" not in _rows(conversion)


def test_team_rows_with_the_same_words_win(lemmatizer):
    team = _team(("ferry note", "040"), ("ferry envoy", "042"))
    conversion = pv.convert(SNIPPET, lemmatizer, team, pv.Policy(team_lemmas="keep"))
    rows = _rows(conversion)
    assert "ferry note" not in rows and "ferry envoy" not in rows
    assert "ferry troop" in rows
    assert "duplicate of a team row" in _reasons(conversion, _line("- * NOTE"))
    assert "team row for the same words (the team's code wins)" in _reasons(
        conversion, _line("- * ENVOY")
    )


def test_team_rows_decide_their_verbs(lemmatizer):
    team = _team(("ferry", "043"))
    conversion = pv.convert(SNIPPET, lemmatizer, team)
    assert not [row for row in conversion.verb_rows if row.words[0] == "ferry"]
    assert "verb has team rows (team decides its patterns)" in _reasons(
        conversion, _line("- * &ARMY_")
    )
    # a frame word of modality.tsv gets no rows either
    framed = pv.convert(SNIPPET.replace("FERRY\n", "SAY\n"), lemmatizer, _team())
    assert not [row for row in framed.verb_rows if row.words[0] == "say"]


def test_every_line_is_accounted_for(snippet):
    """Each verb line and pattern line of the snippet appears in the report."""
    lines = {o.line for o in snippet.outcomes}
    text = SNIPPET.splitlines()
    start = text.index("####### VERB PATTERNS #######")
    for number, line in enumerate(text[start + 1 :], start=start + 2):
        if line and not line.startswith(("#", "---")):
            assert number in lines, line


def test_regular_forms():
    assert pv.regular_forms("STAGE") == ("STAGES", "STAGED", "STAGING")
    assert pv.regular_forms("CARRY") == ("CARRIES", "CARRIED", "CARRYING")
    assert pv.regular_forms("PUSH") == ("PUSHES", "PUSHED", "PUSHING")


def test_lemma_variants_of_inflected_forms(lemmatizer):
    """spaCy lemmatises "relaunched" as "relaunche": the rows are keyed on both lemmas;
    a variant that is a real verb ("hoped" -> hop) is not used."""
    text = "---  X   [---]  ---\nRELAUNCH\nHOPE\n- * TALKS [046]  # RELAUNCH , HOPE\n"
    rows = _rows(pv.convert(text, lemmatizer, _team()))
    assert {"relaunch talk", "relaunche talk", "hope talk"} <= set(rows)
    assert "hop talk" not in rows


def test_a_noun_listed_as_a_verb_becomes_a_noun_row(lemmatizer, tmp_path):
    text = "---  COLLIDE   [190]  ---\nCOLLISION\n"
    conversion = pv.convert(text, lemmatizer, _team())
    (row,) = conversion.noun_rows
    assert (row.words, row.code, row.noun) == (("collision",), "190", True)
    assert row.tsv().count("\t") == 3
    out = tmp_path / "lexicon"
    shutil.copytree(data_path("lexicon"), out, ignore=shutil.ignore_patterns("imported"))
    pv.write_outputs(conversion, out / "imported", "MIT licence text\n")
    lexicon = Lexicon.from_directory(out)
    assert [e.cameo for e in lexicon.noun_entries("collision")] == ["190"]


# -- output ----------------------------------------------------------------------------------


def test_outputs_are_written_and_loadable(tmp_path, snippet):
    out = tmp_path / "lexicon"
    shutil.copytree(data_path("lexicon"), out, ignore=shutil.ignore_patterns("imported"))
    pv.write_outputs(snippet, out / "imported", "MIT licence text\n")
    names = {path.name for path in (out / "imported").iterdir()}
    assert {"verbs.tsv", "conversion_report.tsv", "PROVENANCE.md", pv.LICENSE_COPY} <= names
    lexicon = Lexicon.from_directory(out)
    assert ("ferry", "troop") in {entry.words for entry in lexicon.imported_verbs}
    report = (out / "imported" / "conversion_report.tsv").read_text()
    assert "skipped\twords before the verb" in report
    assert (
        "676801cd9cb2924bbbad09f86d15c9323e7097bf"
        in (out / "imported" / "PROVENANCE.md").read_text()
    )


def test_cli_converts_a_source_folder(tmp_path):
    source = tmp_path / "petrarch2"
    source.mkdir()
    (source / pv.SOURCE_FILE).write_text(SNIPPET)
    (source / pv.LICENSE_FILE).write_text("MIT licence text\n")
    out = tmp_path / "out"
    assert knowledge_main(["verbs", "--source", str(source), "--out", str(out)]) == 0
    assert "ferry troop\t154" in (out / "verbs.tsv").read_text()
    assert knowledge_main(["verbs", "--source", str(tmp_path / "missing")]) == 2
    assert knowledge_main(["all", "--source", str(source), "--out", str(out)]) == 2


@pytest.mark.slow
def test_conversion_is_byte_identical_when_run_twice(tmp_path):
    if not (PETRARCH / pv.SOURCE_FILE).is_file():
        pytest.skip(f"PETRARCH2 dictionaries not found at {PETRARCH} (they live in ../shared)")
    first, second = tmp_path / "first", tmp_path / "second"
    pv.run(PETRARCH, first)
    pv.run(PETRARCH, second)
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # the packaged layer is what converting now gives: rows the team's lexicon adds since
    # the last conversion call for `make import-dictionaries`
    packaged = data_path("lexicon", "imported")
    for name in names:
        assert (first / name).read_bytes() == (packaged / name).read_bytes(), (
            f"{name} is stale: run make import-dictionaries"
        )


# -- the packaged imported layer -------------------------------------------------------------


def test_packaged_imported_rows_load_and_validate():
    lexicon = Lexicon.load()
    team = Lexicon.load(imported=False)
    assert len(lexicon.imported_verbs) >= 1000
    assert not team.imported_verbs and len(team.verbs) < len(lexicon.verbs)
    known = load_cameo()
    assert all(entry.cameo in known for entry in lexicon.imported_verbs)
    # the team's rows for a verb decide all of its patterns
    team_lemmas = {entry.words[0] for entry in team.verbs}
    assert not [e for e in lexicon.imported_verbs if e.words[0] in team_lemmas]
    for lemma in ("attack", "call", "meet"):
        assert lexicon.verb_entries(lemma) == team.verb_entries(lemma)
    folder = data_path("lexicon", "imported")
    assert (folder / pv.LICENSE_COPY).is_file() and (folder / "PROVENANCE.md").is_file()


def _lexicon_with_imported(tmp_path: Path, rows: str) -> Path:
    directory = tmp_path / "lexicon"
    shutil.copytree(data_path("lexicon"), directory, ignore=shutil.ignore_patterns("imported"))
    (directory / "imported").mkdir()
    (directory / "imported" / "verbs.tsv").write_text(
        "# imported\npattern\tcameo\ttarget\tflags\tcomment\n" + rows
    )
    return directory


def test_team_rows_take_precedence_over_imported_rows(tmp_path):
    directory = _lexicon_with_imported(
        tmp_path,
        "meet\t190\tdobj\t-\tsame words as a team row\n"
        "meet ambassador\t042\tdobj\t-\tteam verb, new pattern\n"
        "zzimport tank\t190\tdobj\t-\tnew verb\n",
    )
    lexicon = Lexicon.from_directory(directory)
    team = Lexicon.from_directory(directory, imported=False)
    assert lexicon.verb_entries("meet") == team.verb_entries("meet")
    assert [e.cameo for e in lexicon.verb_entries("zzimport")] == ["190"]
    assert not team.verb_entries("zzimport")


def test_only_the_same_words_give_way_when_team_verbs_do_not_decide(tmp_path, monkeypatch):
    directory = _lexicon_with_imported(
        tmp_path,
        "meet\t190\tdobj\t-\t\nmeet ambassador\t042\tdobj\t-\t\n",
    )
    monkeypatch.setattr(lexicon_module, "TEAM_WORDS_DECIDE", False)
    lexicon = Lexicon.from_directory(directory)
    words = [e.words for e in lexicon.verb_entries("meet")]
    assert ("meet", "ambassador") in words
    assert {e.cameo for e in lexicon.verb_entries("meet") if e.words == ("meet",)} == {"040"}


def test_imported_rows_are_validated_with_file_and_line(tmp_path):
    directory = _lexicon_with_imported(tmp_path, "zzimport\t999\tdobj\t-\t\n")
    with pytest.raises(DataFileError) as caught:
        Lexicon.from_directory(directory)
    assert "imported/verbs.tsv, line 3: unknown CAMEO code '999'" in str(caught.value).replace(
        "\\", "/"
    )
    # without the imported rows the lexicon loads
    assert Lexicon.from_directory(directory, imported=False).verbs
