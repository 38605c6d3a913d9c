"""Actors in messy and headline text: runs of spaces or tabs inside names, stance modifiers
("pro-Russian", "anti-government", "Iranian-backed"), sector nouns opening a headline, and
role words the tagger reads as verbs. Sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from dragoman.actors import ActorRecognizer, KnowledgeBase
from dragoman.actors.kb import KnowledgeBaseError
from dragoman.nlp import load_nlp
from dragoman.records import ActorRef, Article


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def find(nlp, kb):
    recognizer = ActorRecognizer(nlp, kb)

    def run(text: str) -> list[ActorRef]:
        article = Article(id="t", text=text, published=date(2024, 5, 1))
        return recognizer.find(nlp(text), article)

    return run


def one(refs: list[ActorRef], text: str) -> ActorRef:
    found = [r for r in refs if r.text == text]
    assert len(found) == 1, (text, [(r.text, r.code) for r in refs])
    return found[0]


def codes(refs: list[ActorRef]) -> list[tuple[str, str]]:
    return [(r.text, r.code) for r in refs]


# ----- runs of horizontal whitespace inside names -------------------------------------------
@pytest.mark.parametrize("gap", ["  ", "   ", "\t", " \t ", "\u00a0 "])
def test_known_person_matches_across_a_run_of_whitespace(find, gap):
    text = f"Vladimir{gap}Putin met Xi Jinping in Beijing."
    ref = one(find(text), f"Vladimir{gap}Putin")
    assert (ref.name, ref.code, ref.start, ref.end) == (
        "Vladimir Putin",
        "RUSGOV",
        0,
        len(f"Vladimir{gap}Putin"),
    )
    assert text[ref.start : ref.end] == ref.text


@pytest.mark.parametrize("gap", ["  ", "\t"])
def test_organisation_matches_across_a_run_of_whitespace(find, gap):
    text = f"The United{gap}Nations condemned the attack on the convoy."
    ref = one(find(text), f"United{gap}Nations")
    assert ref.name == "United Nations"
    assert ref.code.startswith("IGO")
    assert ref.start == text.index("United")


def test_office_term_matches_across_a_run_of_whitespace(find):
    refs = find("The Iranian foreign   minister arrived in Oman on Sunday.")
    ref = one(refs, "Iranian foreign   minister")
    assert ref.code == "IRNGOV"


def test_unknown_person_is_named_with_single_spaces(find):
    text = "Ahmed  Ben Bella met the French ambassador in Algiers."
    ref = next(r for r in find(text) if r.kind == "person")
    assert ref.text == "Ahmed  Ben Bella"
    assert ref.name == "Ahmed Ben Bella"


def test_names_do_not_match_across_a_line_break(find):
    refs = find("The talks ended with Vladimir\nPutin leaving early.")
    assert not any("\n" in r.text for r in refs), codes(refs)


# ----- stance modifiers: the group is not the actor named in its modifier ---------------------
STANCES = [
    ("A pro-government militia attacked villagers in Darfur.", "pro-government militia", "SDNMIL"),
    (
        "Pro-Russian separatists shelled Ukrainian positions near Donetsk.",
        "Pro-Russian separatists",
        "UKRREB",
    ),
    ("Anti-Israel protesters marched in London on Saturday.", "Anti-Israel protesters", "GBRCVL"),
    (
        "Pro-Palestinian demonstrators rallied in Paris on Sunday.",
        "Pro-Palestinian demonstrators",
        "FRACVL",
    ),
    (
        "Iranian-backed militias attacked a convoy near Baghdad.",
        "Iranian-backed militias",
        "IRQMIL",
    ),
    (
        "Anti-government protesters clashed with police in Tehran.",
        "Anti-government protesters",
        "IRNCVL",
    ),
]


@pytest.mark.parametrize(("text", "phrase", "code"), STANCES)
def test_stance_modifier_codes_the_head_noun_not_its_actor(find, text, phrase, code):
    """The mention covers the modifier but is the head noun's group, with no country of
    its own, and the head noun alone is coded the same."""
    ref = one(find(text), phrase)
    assert ref.sector == code[3:]
    assert ref.country is None
    assert ref.name == phrase.split(" ", 1)[1]
    bare = phrase.split(" ", 1)[1]
    bare = bare[:1].upper() + bare[1:]
    alone = one(find(text.replace(phrase, bare)), bare)
    assert (alone.sector, alone.country) == (ref.sector, ref.country)


@pytest.mark.parametrize(("text", "phrase", "code"), STANCES)
def test_stance_group_takes_the_country_of_its_place(pipeline, text, phrase, code):
    """The event's source is the group with the country the text gives it, never the
    actor of the stance word."""
    annotations = pipeline.annotate(Article(id="s", text=text, published=date(2024, 5, 1)))
    sources = [a for e in annotations.events for a in e.source if a.text == phrase]
    assert sources, [(e.cameo, [a.text for a in e.source]) for e in annotations.events]
    assert {a.code for a in sources} == {code}


def test_stance_modifier_without_a_head_noun_names_no_actor(find):
    refs = find("Pro-Iranian groups fired rockets at a base.")
    assert not any(r.country == "IRN" for r in refs), codes(refs)


def test_stance_word_does_not_give_the_sentence_its_country(find):
    # without the stance rule "Russian" made the sentence Russian and the militants RUSREB
    refs = find("Pro-Russian militants stormed the building.")
    assert one(refs, "Pro-Russian militants").country != "RUS"


def test_led_is_not_a_stance(find):
    refs = find("A Saudi-led coalition bombed the port.")
    assert any(r.country == "SAU" for r in refs), codes(refs)


def test_plain_hyphen_words_keep_their_actors(find):
    refs = find("Russian-born hostages were freed by Hamas.")
    assert any(r.country == "RUS" for r in refs), codes(refs)


def test_stance_words_are_data(kb):
    assert {"pro", "anti"} <= kb.stance_prefixes
    assert "backed" in kb.stance_suffixes
    assert "led" not in kb.stance_suffixes


def test_bad_stance_list_is_an_error(tmp_path):
    from pathlib import Path

    import dragoman.actors.kb as kb_module

    source = Path(kb_module.DEFAULT_DATA_DIR)
    for name in ("generic.yaml", "countries.yaml", "organizations.yaml", "people.yaml"):
        (tmp_path / name).write_text((source / name).read_text(encoding="utf-8"), "utf-8")
    generic = tmp_path / "generic.yaml"
    generic.write_text(
        generic.read_text("utf-8").replace("stance_prefixes: [pro, anti]", "stance_prefixes: pro"),
        "utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="stance_prefixes"):
        KnowledgeBase.load(tmp_path, imported=False)


# ----- sector nouns opening a headline ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "first", "code"),
    [
        ("Police fire tear gas at protesters in Nairobi", "Police", "COP"),
        ("POLICE FIRE TEAR GAS AT PROTESTERS IN NAIROBI", "POLICE", "COP"),
        ("Security Forces Arrest Protesters In Tehran", "Security Forces", "MIL"),
        ("Troops withdraw from northern Mali town", "Troops", "MIL"),
        ("Militants Attack Army Post In Pakistan", "Militants", "REB"),
    ],
)
def test_capitalised_sector_noun_opening_a_headline_is_an_actor(find, text, first, code):
    assert one(find(text), first).sector == code


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Police fire tear gas at protesters in Nairobi", "KENCOP"),
        ("Security Forces Arrest Protesters In Tehran", "IRNMIL"),
        ("Government Forces Retake Town From Rebels", "MIL"),
    ],
)
def test_headline_sector_noun_is_the_source_of_its_event(pipeline, text, source):
    annotations = pipeline.annotate(Article(id="h", text=text, published=date(2024, 5, 1)))
    assert [a.code for e in annotations.events for a in e.source] == [source]


def test_office_words_in_a_title_case_headline_are_named_in_lower_case(find):
    ref = one(find("Security Forces Arrest Protesters In Tehran"), "Security Forces")
    assert ref.name == "security forces"


def test_modifier_noun_in_a_sentence_stays_a_modifier(find):
    # a full sentence (verb with subject, full stop): "police" only qualifies "station"
    refs = find("Police station staff said on Monday that the roads were closed.")
    assert not any(r.text == "Police" for r in refs), codes(refs)


# ----- role words read as verbs -------------------------------------------------------------------
def test_role_word_used_as_a_verb_is_no_actor(find):
    refs = find("Pakistan accused India of cross-border shelling in Kashmir.")
    assert one(refs, "Pakistan").code == "PAK"
    assert not any("accused" in r.text for r in refs), codes(refs)


def test_role_word_read_as_a_verb_without_a_clause_stays_an_atom(nlp, kb):
    """Only a verb with a subject or an object of its own is taken for a verb: "the
    accused" (tagged as a participle) is still matched as a role word."""
    from dragoman.actors.phrases import PhraseFinder

    finder = PhraseFinder(nlp, kb)
    kept = nlp("The accused was sentenced to ten years in prison.")
    dropped = nlp("Pakistan accused India of shelling.")
    assert any(kept[a.start].lower_ == "accused" for a in finder.atoms(kept))
    assert not any(dropped[a.start].lower_ == "accused" for a in finder.atoms(dropped))
