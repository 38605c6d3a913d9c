"""A user's own lexicon rows and actors, beside the package's and before them."""

from __future__ import annotations

import pytest

from dragoman.actors.kb import KnowledgeBaseError
from dragoman.knowledge.own import KnowledgeFileError, OwnKnowledge
from dragoman.ontology import DataFileError, Lexicon

VERBS = "pattern\tcameo\ttarget\tflags\tcomment\n"
NOUNS = "pattern\tcameo\ttarget\tcomment\n"


def test_files_and_folders_are_sorted_by_kind(tmp_path):
    (tmp_path / "verbs.tsv").write_text(VERBS)
    (tmp_path / "actors.yaml").write_text("people: []\n")
    (tmp_path / "notes.txt").write_text("ignored in a folder\n")
    own = OwnKnowledge.from_paths([tmp_path])
    assert [p.name for p in own.lexicon_files] == ["verbs.tsv"]
    assert [p.name for p in own.actor_files] == ["actors.yaml"]
    with pytest.raises(KnowledgeFileError, match="notes.txt: not a knowledge file"):
        OwnKnowledge.from_paths([tmp_path / "notes.txt"])
    with pytest.raises(KnowledgeFileError, match="missing.tsv: knowledge file not found"):
        OwnKnowledge.from_paths(lexicon=[tmp_path / "missing.tsv"])


def test_user_rows_come_first_and_replace_rows_with_the_same_words(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text(VERBS + "paint\t145\tdobj\t-\tgraffiti on walls\nattack\t111\tdobj\t-\t\n")
    nouns = tmp_path / "nouns.tsv"
    nouns.write_text(NOUNS + "sit-down\t141\t-\t\n")
    lexicon = OwnKnowledge.from_paths(lexicon=[path, nouns]).lexicon()
    assert [e.cameo for e in lexicon.verb_entries("paint")] == ["145"]
    assert [e.cameo for e in lexicon.verb_entries("attack") if e.words == ("attack",)] == ["111"]
    assert lexicon.noun_entries("sit-down")
    # the packaged lexicon is untouched
    assert not Lexicon.load().verb_entries("paint")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (VERBS + "paint\t999\tdobj\t-\t\n", r"mine.tsv, line 2: .*999"),
        (VERBS + "paint\t145\n", r"mine.tsv, line 2: expected 5"),
        ("lemma\tcode\n", r"mine.tsv, line 1: expected the header of verbs.tsv"),
    ],
)
def test_bad_user_rows_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "mine.tsv"
    path.write_text(text)
    with pytest.raises(DataFileError, match=message):
        OwnKnowledge.from_paths(lexicon=[path]).lexicon()


def test_user_actors_are_added_and_take_their_names(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "people:\n"
        "  - id: ana_ruiz\n"
        "    name: Ana Ruiz\n"
        "    short: [Ruiz]\n"
        "    roles: [{title: Foreign Minister, country: PER, start: 2031-01-01}]\n"
        "organizations:\n"
        "  - {id: frente_sur, name: Frente Sur, kind: group, code: PERREBFSU, country: PER,"
        " sector: REB}\n"
        "roles:\n"
        "  - {label: miners, sector: LAB, terms: [artisanal miners]}\n"
    )
    kb = OwnKnowledge.from_paths(actors=[path]).knowledge_base()
    assert kb.actors["ana_ruiz"].country == "PER"
    assert [e.actor_id for e in kb.lookup_name("Frente Sur")] == ["frente_sur"]
    assert kb.lookup_term("artisanal miners")[0].sector == "LAB"


def test_bad_user_actor_entries_name_the_file_and_entry(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("people:\n  - {id: x, name: X, roles: [{title: Emperor, country: PER}]}\n")
    with pytest.raises(KnowledgeBaseError, match=r"mine.yaml people entry 1 .*Emperor"):
        OwnKnowledge.from_paths(actors=[path]).knowledge_base()
    path.write_text("villains: []\n")
    with pytest.raises(KnowledgeBaseError, match="mine.yaml: expected a mapping"):
        OwnKnowledge.from_paths(actors=[path]).knowledge_base()


def _files(tmp_path):
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_text(VERBS + "paint\t145\tprep:on\t-\tgraffiti on walls\n")
    actors = tmp_path / "people.yaml"
    actors.write_text(
        "people:\n  - id: ana_ruiz\n    name: Ana Ruiz\n    short: [Ruiz]\n"
        "    roles: [{title: Foreign Minister, country: PER, start: 2021-01-01}]\n"
    )
    article = tmp_path / "a.txt"
    article.write_text("Protesters painted slogans on the embassy. Ruiz met Blinken on Monday.")
    return lexicon, actors, article


def _codes(output: str) -> list[tuple[str, list[str]]]:
    import json

    events = [json.loads(line) for line in output.splitlines() if line.strip()]
    return [(e["cameo"], [a["code"] for a in e["source"]]) for e in events]


@pytest.mark.slow
def test_the_command_line_takes_a_users_files(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from dragoman.cli import app

    lexicon, actors, article = _files(tmp_path)
    runner = CliRunner()
    plain = runner.invoke(app, ["extract", str(article), "-f", "jsonl"])
    assert ("145", ["CVL"]) not in _codes(plain.stdout)
    own = runner.invoke(
        app,
        ["extract", str(article), "-f", "jsonl", "--lexicon", str(lexicon), "--actors", str(actors)],
    )
    assert own.exit_code == 0, own.output
    assert _codes(own.stdout) == [("145", ["CVL"]), ("040", ["PERGOV"])]
    # the same files named by the setting, as a folder
    monkeypatch.setenv("DRAGOMAN_KNOWLEDGE", str(tmp_path))
    article.rename(tmp_path.parent / "a.txt")
    folder = runner.invoke(app, ["extract", str(tmp_path.parent / "a.txt"), "-f", "jsonl"])
    assert _codes(folder.stdout) == _codes(own.stdout)


@pytest.mark.slow
def test_a_bad_user_file_is_one_error_line_and_exit_2(tmp_path):
    from typer.testing import CliRunner

    from dragoman.cli import app

    _, _, article = _files(tmp_path)
    bad = tmp_path / "bad.tsv"
    bad.write_text(VERBS + "paint\t999\tprep:on\t-\t\n")
    result = CliRunner().invoke(app, ["extract", str(article), "--lexicon", str(bad)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "bad.tsv, line 2" in lines[0] and "999" in lines[0]
