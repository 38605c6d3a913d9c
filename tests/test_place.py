"""Gazetteer look-ups, toponym resolution in context, metonyms and predicate locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.place import Gazetteer, PlaceResolver, normalize_name, place_for_predicate
from dragoman.records import ActorRef, Article, Place

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT / ".." / "shared"
SEED_004 = SHARED / "seeds" / "004_bc334e15e4ad92e3.txt"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def nlp():
    from dragoman.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def resolver(gazetteer: Gazetteer) -> PlaceResolver:
    return PlaceResolver(gazetteer)


def _places(nlp, resolver: PlaceResolver, text: str, actors: list[ActorRef] | None = None):
    article = Article(id="test", text=text)
    doc = nlp(text)
    return doc, resolver.find(doc, article, actors or [])


def _token(doc, word: str, nth: int = 0):
    matches = [t for t in doc if t.text == word]
    assert len(matches) > nth, f"{word!r} not in {doc.text!r}"
    return matches[nth]


# -- normalisation and gazetteer look-ups -------------------------------------------


def test_normalize_name_folds_case_diacritics_article_and_abbreviations():
    assert normalize_name("the Nagorno-Karabakh") == "nagorno karabakh"
    assert normalize_name("Zürich") == "zurich"
    assert normalize_name("St. Petersburg") == normalize_name("Saint Petersburg")
    assert normalize_name("Donets'k") == "donetsk"


def test_gazetteer_is_loaded_once_per_process(gazetteer: Gazetteer):
    assert Gazetteer.load() is gazetteer
    assert len(gazetteer) > 30_000


def test_moscow_is_the_russian_capital_first(gazetteer: Gazetteer):
    moscow = gazetteer.candidates("Moscow")
    assert moscow[0].country == "RUS"
    assert moscow[0].geonameid == 524901
    assert moscow[0].capital and moscow[0].feature == "city"
    assert moscow[0].lat == pytest.approx(55.75, abs=0.05)
    assert moscow[0].lon == pytest.approx(37.62, abs=0.05)
    assert any(c.country == "USA" and c.admin1 == "ID" for c in moscow)


def test_gaza_strip_is_a_region_in_palestine(gazetteer: Gazetteer):
    for name in ("Gaza Strip", "the Gaza Strip", "gaza strip"):
        entry = gazetteer.candidates(name)[0]
        assert (entry.name, entry.feature, entry.country) == ("Gaza Strip", "region", "PSE")
        assert entry.lat == pytest.approx(31.4, abs=0.2)


def test_regions_file_spelling_variants(gazetteer: Gazetteer):
    assert gazetteer.candidates("Nagorny Karabakh")[0].name == "Nagorno-Karabakh"
    assert gazetteer.candidates("Donbass")[0].country == "UKR"
    assert gazetteer.candidates("the Golan Heights")[0].feature == "region"


def test_admin1_division_has_coordinates_and_geonameid(gazetteer: Gazetteer):
    idaho = gazetteer.candidates("Idaho")[0]
    assert (idaho.feature, idaho.country, idaho.admin1) == ("admin1", "USA", "ID")
    assert idaho.geonameid == 5596512
    assert 42 < idaho.lat < 49 and -117.5 < idaho.lon < -111


def test_admin1_division_outside_the_us(gazetteer: Gazetteer):
    idlib = [c for c in gazetteer.candidates("Idlib") if c.feature == "admin1"]
    assert idlib and idlib[0].country == "SYR"
    assert idlib[0].lat == pytest.approx(35.9, abs=0.5)


def test_country_by_alias_and_acronym(gazetteer: Gazetteer):
    for name in ("UAE", "U.A.E.", "United Arab Emirates", "the Emirates"):
        entry = gazetteer.candidates(name)[0]
        assert (entry.feature, entry.country) == ("country", "ARE"), name
    assert gazetteer.candidates("U.S.")[0].country == "USA"
    assert gazetteer.country("ARE").geonameid == 290557


def test_acronyms_only_match_in_capitals(gazetteer: Gazetteer):
    assert gazetteer.candidates("uae") == []
    assert all(c.country != "USA" for c in gazetteer.candidates("us"))


def test_compass_words_are_not_divisions(gazetteer: Gazetteer):
    assert all(c.feature != "admin1" for c in gazetteer.candidates("West"))


def test_lookups_are_fast(gazetteer: Gazetteer):
    import time

    start = time.perf_counter()
    for _ in range(1000):
        gazetteer.candidates("Moscow")
    assert time.perf_counter() - start < 0.5


# -- resolution in context -----------------------------------------------------------


@pytest.mark.slow
def test_moscow_in_a_russian_context_is_the_capital(nlp, resolver):
    text = "Russian officials met foreign envoys in Moscow on Friday."
    _, places = _places(nlp, resolver, text)
    moscow = next(p for p in places if p.text == "Moscow")
    assert (moscow.country, moscow.geonameid, moscow.feature) == ("RUS", 524901, "city")
    assert text[moscow.start : moscow.end] == "Moscow"


@pytest.mark.slow
def test_moscow_idaho_follows_its_qualifier(nlp, resolver):
    _, places = _places(nlp, resolver, "Police in Moscow, Idaho, said the campus would reopen.")
    moscow = next(p for p in places if p.text == "Moscow")
    assert moscow.country == "USA" and moscow.geonameid == 5601538
    idaho = next(p for p in places if p.text == "Idaho")
    assert idaho.feature == "admin1"


@pytest.mark.slow
def test_moscow_follows_american_actors(nlp, resolver):
    text = "The sheriff said the students were attacked in Moscow."
    sheriff = ActorRef(text="The sheriff", start=0, end=11, name="Sheriff", code="USACOP",
                       country="USA", kind="generic")  # fmt: skip
    _, places = _places(nlp, resolver, text, [sheriff])
    assert next(p for p in places if p.text == "Moscow").country == "USA"
    _, places = _places(nlp, resolver, text)
    assert next(p for p in places if p.text == "Moscow").country == "RUS"


@pytest.mark.slow
def test_boilerplate_spans_are_skipped(nlp, resolver):
    text = "Photo: Reuters, London. Troops arrived in Kyiv."
    article = Article(id="b", text=text, boilerplate=[(0, 23)])
    places = resolver.find(nlp(text), article, [])
    assert [p.name for p in places] == ["Kyiv"]


# -- metonyms --------------------------------------------------------------------------


@pytest.mark.slow
def test_capital_as_subject_is_not_a_place(nlp, resolver):
    _, places = _places(nlp, resolver, "Moscow said it would respond, and Tehran denied it.")
    assert places == []


@pytest.mark.slow
def test_capital_modifying_government_is_not_a_place(nlp, resolver):
    _, places = _places(nlp, resolver, "The Tehran government rejected the claim in Geneva.")
    assert [p.name for p in places] == ["Geneva"]


@pytest.mark.slow
def test_actor_mention_excludes_place_unless_locative(nlp, resolver):
    text = "The US is worried about ties between Moscow and Tehran, officials in Moscow said."
    first = text.index("Moscow")
    second = text.index("Tehran")
    actors = [
        ActorRef(text="Moscow", start=first, end=first + 6, name="Russia", code="RUS"),
        ActorRef(text="Tehran", start=second, end=second + 6, name="Iran", code="IRN"),
    ]
    _, places = _places(nlp, resolver, text, actors)
    assert [(p.text, p.start) for p in places if p.text in ("Moscow", "Tehran")] == [
        ("Moscow", text.rindex("Moscow"))
    ]


# -- place_for_predicate ----------------------------------------------------------------


def _located(nlp, resolver, text: str, predicate: str, nth: int = 0) -> Place | None:
    doc, places = _places(nlp, resolver, text)
    return place_for_predicate(_token(doc, predicate, nth), places)


@pytest.mark.slow
def test_met_in_city(nlp, resolver):
    place = _located(nlp, resolver, "The two ministers met in Doha on Tuesday.", "met")
    assert place is not None and (place.name, place.country) == ("Doha", "QAT")


@pytest.mark.slow
def test_at_the_city_headquarters_of_a_ministry(nlp, resolver):
    text = "The delegation met with the envoy at the Cairo headquarters of the Arab League."
    place = _located(nlp, resolver, text, "met")
    assert place is not None and (place.name, place.country) == ("Cairo", "EGY")


@pytest.mark.slow
def test_air_strike_southwest_of_city(nlp, resolver):
    text = "An air strike southwest of Baghdad killed four people."
    place = _located(nlp, resolver, text, "strike")
    assert place is not None and (place.name, place.country) == ("Baghdad", "IRQ")


@pytest.mark.slow
def test_travelled_to_and_visited_give_the_destination(nlp, resolver):
    place = _located(nlp, resolver, "The president travelled to Saudi Arabia.", "travelled")
    assert place is not None and (place.name, place.feature) == ("Saudi Arabia", "country")
    place = _located(nlp, resolver, "The president visited Riyadh last week.", "visited")
    assert place is not None and place.country == "SAU"


@pytest.mark.slow
def test_most_specific_place_in_the_phrase(nlp, resolver):
    place = _located(nlp, resolver, "Talks were held in Sochi, Russia, on Monday.", "held")
    assert place is not None and place.name == "Sochi"


@pytest.mark.slow
def test_no_place_without_a_locative_phrase(nlp, resolver):
    assert _located(nlp, resolver, "Russia talked to Iran about Syria.", "talked") is None
    assert _located(nlp, resolver, "Officials discussed talks on Ukraine.", "discussed") is None


@pytest.mark.slow
def test_seed_004_meetings_are_in_moscow(nlp, resolver):
    if not SEED_004.exists():
        pytest.skip(f"shared seed article not found at {SEED_004}")
    text = SEED_004.read_text(encoding="utf-8")
    doc, places = _places(nlp, resolver, text)
    first = _token(doc, "met", 0)
    assert text[first.idx : first.idx + 20] == "met in Moscow on Thu"
    second = next(t for t in doc if t.text == "met" and t.nbor(1).text == "with")
    for predicate in (first, second):
        place = place_for_predicate(predicate, places)
        assert place is not None
        assert (place.name, place.country, place.geonameid) == ("Moscow", "RUS", 524901)
        assert place.lat == pytest.approx(55.75, abs=0.05)
        assert text[place.start : place.end] == "Moscow"


def test_a_well_known_place_the_parser_took_for_a_group_is_a_place():
    import dragoman

    annotations = dragoman.annotate(
        "A roadside bombing near the town of Samarra on Sunday killed a soldier.",
        published="2024-05-31",
    )
    assert [(p.text, p.country) for p in annotations.places] == [("Samarra", "IRQ")]
