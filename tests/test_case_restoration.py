"""Case restoration: text written all in lower case or in capitals is read as if cased.

The restorer's own rules first (what counts as caseless, what it capitalises, what it
leaves alone), then the whole pipeline: a lower-case and an upper-case copy of every sample
article (and of the seed articles, when ``../shared`` is beside the repository) yield the
actors, places and dates of the original, with every offset and text read from the copy
itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.ingest import read_paths
from dragoman.ingest.readers import make_article
from dragoman.nlp_case import CaseRestorer, caseless_runs

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "samples"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def restorer(pipeline) -> CaseRestorer:
    return pipeline.casing


def restored(restorer: CaseRestorer, text: str) -> str:
    out = restorer.restore(text)
    assert len(out) == len(text)
    assert out.lower() == text.lower() or len(out.lower()) != len(out)
    return out


# ----- finding caseless text -----------------------------------------------------------


def test_cased_text_is_returned_as_it_is():
    text = "Turkish Foreign Minister Hakan Fidan met Dmytro Kuleba in Ankara on Thursday."
    assert caseless_runs(text) == []
    assert CaseRestorer().restore(text) is text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("the prime minister of france met the president on tuesday.", "lower"),
        ("THE PRIME MINISTER OF FRANCE MET THE PRESIDENT ON TUESDAY.", "upper"),
        ("i think the us and nato agree, said the minister of france.", "lower"),
    ],
)
def test_a_whole_text_in_one_case_is_one_run(text, kind):
    assert caseless_runs(text) == [(0, len(text), kind)]


def test_a_headline_in_capitals_is_a_run_of_a_cased_article():
    text = "RUSSIA WARNS KYIV OVER GRAIN DEAL\n\nRussia warned Ukraine on Monday. Kyiv said no."
    assert caseless_runs(text) == [(0, 33, "upper")]


def test_a_cased_sentence_cut_off_at_its_start_is_not_lower_case():
    # its capitals ("Hong Kong") show the writer's casing
    text = "peaceful yet unauthorized rally held by Hong Kong protesters ended in clashes."
    assert caseless_runs(text) == []


def test_short_lines_and_acronyms_are_not_runs():
    assert caseless_runs("NATO\n\nThe alliance met in Brussels on Monday.") == []


# ----- what is restored ----------------------------------------------------------------


def test_names_places_and_weekdays_of_lower_case_text(restorer):
    text = "the prime minister of france met president putin in moscow on tuesday."
    assert restored(restorer, text) == (
        "The prime minister of France met President Putin in Moscow on Tuesday."
    )


def test_capitals_become_lower_case_unless_known(restorer):
    text = "THE PRIME MINISTER OF FRANCE MET PRESIDENT PUTIN IN MOSCOW ON TUESDAY."
    assert restored(restorer, text) == (
        "The prime minister of France met President Putin in Moscow on Tuesday."
    )


def test_sentence_starts_quotes_and_the_pronoun_i(restorer):
    text = 'mr. putin said: "i will go." then he left. "we agree," said the minister.'
    assert restored(restorer, text) == (
        'Mr. Putin said: "I will go." Then he left. "We agree," said the minister.'
    )


def test_acronyms_keep_their_capitals_and_pronouns_stay_words(restorer):
    text = "opec and the eu told us that the us-led talks with us officials would go on."
    assert restored(restorer, text) == (
        "OPEC and the EU told us that the US-led talks with US officials would go on."
    )


def test_may_and_march_are_months_only_beside_a_date(restorer):
    text = "they may march on may 3 and again in march, as in may 2024."
    assert restored(restorer, text) == (
        "They may march on May 3 and again in March, as in May 2024."
    )


def test_multiword_names_keep_the_knowledge_base_spelling(restorer):
    text = "crown prince mohammed bin salman met the head of al-qaeda in the gaza strip."
    assert restored(restorer, text) == (
        "Crown Prince Mohammed bin Salman met the head of al-Qaeda in the Gaza Strip."
    )


def test_demonyms_and_region_adjectives(restorer):
    text = "russian and middle eastern leaders met african envoys."
    assert restored(restorer, text) == "Russian and Middle Eastern leaders met African envoys."


def test_a_name_that_is_also_an_english_word_needs_a_title_or_the_full_name(restorer):
    assert restored(restorer, "they will bush the plan.") == "They will bush the plan."
    assert restored(restorer, "president bush spoke.") == "President Bush spoke."


def test_a_place_that_is_also_a_noun_is_a_place_only_where_places_stand(restorer):
    text = "he drove a van to the sale, then flew to istanbul."
    assert restored(restorer, text) == "He drove a van to the sale, then flew to Istanbul."


def test_the_cased_part_of_an_article_spells_its_caseless_headline(restorer):
    text = "ODESA PORT SHELLED AGAIN, ZELENSKIY SAYS\n\nPresident Zelenskiy said on Monday."
    assert restored(restorer, text).startswith("Odesa port shelled again, Zelenskiy says\n")


def test_characters_whose_case_changes_length_are_kept(restorer):
    text = "DIE STRASSE UND DIE STRAßE İN MOSCOW WERE CLOSED ON MONDAY."
    out = restored(restorer, text)
    assert "ß" in out and "İ" in out
    assert "Moscow" in out and "Monday" in out


def test_restoration_without_knowledge_still_finds_sentences():
    assert CaseRestorer().restore("the talks ended. the envoys left.") == (
        "The talks ended. The envoys left."
    )


# ----- the pipeline on caseless copies -------------------------------------------------


def test_a_lower_case_sentence_gives_actor_place_and_weekday(pipeline):
    text = "the prime minister of france met the russian president in moscow on tuesday."
    annotations = pipeline.annotate(make_article("lower", text, published=None))
    assert {a.code for a in annotations.actors} >= {"FRAGOV", "RUSGOV"}
    assert [p.name for p in annotations.places] == ["Moscow"]
    assert [t.text for t in annotations.times] == ["tuesday"]


def _articles(folder: Path):
    articles = [a for a in read_paths([folder]) if not hasattr(a, "message")]
    assert articles, f"no articles read from {folder}"
    return articles


def _summary(annotations):
    """What must not depend on case: actors (code and name; a name made of the words of
    the text may differ in their case), places, dates of time expressions and events."""
    return {
        "actors": sorted({(a.code, a.name.lower()) for a in annotations.actors}),
        "places": sorted({(p.name, p.country, p.start) for p in annotations.places}),
        "times": sorted({(t.start, t.end, t.value) for t in annotations.times}),
        "events": sorted({(e.cameo, e.date, e.evidence.start) for e in annotations.events}),
    }


def _same_as_original(pipeline, article, change):
    text = change(article.text)
    assert len(text) == len(article.text)
    copy = make_article(article.id, text, published=article.published, title=article.title)
    original = pipeline.annotate(article)
    annotations = pipeline.annotate(copy)
    assert _summary(annotations) == _summary(original), article.id
    # everything reported is read from the text as written, at the offsets found
    for actor in annotations.actors:
        assert actor.text == text[actor.start : actor.end]
    for place in annotations.places:
        assert place.text == text[place.start : place.end]
    for time in annotations.times:
        assert time.text == text[time.start : time.end]
    for event in annotations.events:
        evidence = event.evidence
        assert evidence.sentence == text[evidence.start : evidence.end]
        assert evidence.trigger == text[evidence.trigger_start : evidence.trigger_end]
    return annotations


@pytest.mark.parametrize("change", [str.lower, str.upper], ids=["lower", "upper"])
def test_samples_in_one_case_yield_what_the_originals_yield(pipeline, change):
    for article in _articles(SAMPLES):
        _same_as_original(pipeline, article, change)


@pytest.mark.parametrize("change", [str.lower, str.upper], ids=["lower", "upper"])
def test_seeds_in_one_case_yield_what_the_originals_yield(pipeline, shared_dir, change):
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    for article in _articles(SEEDS):
        _same_as_original(pipeline, article, change)


def test_event_actor_texts_are_read_from_the_original(pipeline, shared_dir):
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    for article in _articles(SEEDS):
        text = article.text.upper()
        copy = make_article(article.id, text, published=article.published)
        for event in pipeline.annotate(copy).events:
            for actor in [*event.source, *event.target, *event.attribution]:
                assert actor.text == text[actor.start : actor.end]
