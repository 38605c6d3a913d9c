"""Hand-built annotations for three short synthetic news articles.

Offsets are computed from the texts, so every span points at its words. Used by
the store, API and browser tests so they do not need the NLP pipeline.
"""

from __future__ import annotations

from datetime import date

from dragoman.records import ActorRef, Annotations, Article, Event, Evidence, Place, TimeExpr

RU_HAMAS = "syn-ru-hamas"
GAZA_STRIKES = "syn-gaza-strikes"
UN_APPEAL = "syn-un-appeal"


class _Text:
    """Finds phrases in an article text and builds records pointing at them."""

    def __init__(self, article_id: str, text: str) -> None:
        self.article_id = article_id
        self.text = text

    def span(self, phrase: str, occurrence: int = 1) -> tuple[int, int]:
        start = -1
        for _ in range(occurrence):
            start = self.text.index(phrase, start + 1)
        return start, start + len(phrase)

    def actor(
        self,
        phrase: str,
        name: str,
        code: str,
        country: str | None,
        sector: str | None = None,
        kind: str = "state",
        occurrence: int = 1,
    ) -> ActorRef:
        start, end = self.span(phrase, occurrence)
        return ActorRef(phrase, start, end, name, code, country, sector, kind)

    def time(self, phrase: str, value: str, day: date | None) -> TimeExpr:
        start, end = self.span(phrase)
        return TimeExpr(phrase, start, end, "DATE", value, day, day, "day" if day else None)

    def place(
        self,
        phrase: str,
        name: str,
        country: str,
        lat: float,
        lon: float,
        geonameid: int,
        feature: str = "city",
    ) -> Place:
        start, end = self.span(phrase)
        return Place(phrase, start, end, name, country, lat, lon, geonameid, feature)

    def evidence(self, sentence_start: str, trigger: str) -> Evidence:
        start = self.text.index(sentence_start)
        end = self.text.index(".", start) + 1
        t_start = self.text.index(trigger, start)
        return Evidence(self.text[start:end], start, end, trigger, t_start, t_start + len(trigger))


def _ru_hamas() -> Annotations:
    text = (
        "Russia Presses Hamas Over Hostages\n\n"
        "Russian Deputy Foreign Minister Mikhail Bogdanov demanded the release of hostages "
        "held by Hamas in a phone call on Friday. Moscow urged Israel to agree to a ceasefire "
        "in Gaza, the Foreign Ministry said on Sunday."
    )
    t = _Text(RU_HAMAS, text)
    bogdanov = t.actor("Mikhail Bogdanov", "Mikhail Bogdanov", "RUSGOV", "RUS", "GOV", "person")
    hamas = t.actor("Hamas", "Hamas", "PSEHMS", "PSE", "REB", "group", occurrence=2)
    moscow = t.actor("Moscow", "Russia", "RUS", "RUS")
    israel = t.actor("Israel", "Israel", "ISR", "ISR")
    ministry = t.actor(
        "the Foreign Ministry", "Russian Foreign Ministry", "RUSGOV", "RUS", "GOV", "organization"
    )
    friday = t.time("Friday", "2023-12-08", date(2023, 12, 8))
    sunday = t.time("Sunday", "2023-12-10", date(2023, 12, 10))
    gaza = t.place("Gaza", "Gaza Strip", "PSE", 31.42, 34.38, 7303785, "region")
    events = [
        Event(
            RU_HAMAS,
            [bogdanov],
            [hamas],
            "1056",
            "Demand release of persons or property",
            "REQUEST",
            None,
            3,
            -5.0,
            t.evidence("Russian Deputy", "demanded"),
            modality="asserted",
            date="2023-12-08",
            date_start=date(2023, 12, 8),
            date_end=date(2023, 12, 8),
            date_precision="day",
            date_source="predicate",
            confidence=0.82,
        ),
        Event(
            RU_HAMAS,
            [moscow],
            [israel],
            "0256",
            "Appeal for de-escalation of military conflict",
            "REQUEST",
            None,
            1,
            3.0,
            t.evidence("Moscow urged", "urged"),
            modality="reported",
            attribution=[ministry],
            date="2023-12-10",
            date_start=date(2023, 12, 10),
            date_end=date(2023, 12, 10),
            date_precision="day",
            date_source="sentence",
            location=gaza,
            confidence=0.6666,
        ),
    ]
    article = Article(
        RU_HAMAS,
        text,
        date(2023, 12, 10),
        title="Russia Presses Hamas Over Hostages",
        url="https://example.org/ru-hamas",
        source="Example Wire",
        origin="synthetic.jsonl:1",
    )
    return Annotations(
        article, [bogdanov, hamas, moscow, israel, ministry], [friday, sunday], [gaza], events
    )


def _gaza_strikes() -> Annotations:
    text = (
        "Israeli forces carried out airstrikes on Khan Younis on January 14, killing at least "
        "20 people, Palestinian health officials said. Hamas fighters fired rockets at Tel Aviv "
        "hours later. Egypt and Qatar met Hamas leaders in Cairo on January 15 to discuss a "
        "new truce."
    )
    t = _Text(GAZA_STRIKES, text)
    idf = t.actor("Israeli forces", "Israel Defense Forces", "ISRMIL", "ISR", "MIL", "organization")
    officials = t.actor(
        "Palestinian health officials",
        "Palestinian Ministry of Health",
        "PSEGOVHLH",
        "PSE",
        "GOV",
        "organization",
    )
    hamas_fighters = t.actor("Hamas fighters", "Hamas", "PSEHMS", "PSE", "REB", "group")
    egypt = t.actor("Egypt", "Egypt", "EGY", "EGY")
    qatar = t.actor("Qatar", "Qatar", "QAT", "QAT")
    hamas_leaders = t.actor("Hamas leaders", "Hamas", "PSEHMS", "PSE", "REB", "group")
    civilians = t.actor("20 people", "Palestinian civilians", "PSECVL", "PSE", "CVL", "generic")
    israel = t.actor("Tel Aviv", "Israel", "ISR", "ISR")
    jan14 = t.time("January 14", "2024-01-14", date(2024, 1, 14))
    jan15 = t.time("January 15", "2024-01-15", date(2024, 1, 15))
    khan_younis = t.place("Khan Younis", "Khan Yunis", "PSE", 31.34, 34.31, 281133)
    tel_aviv = t.place("Tel Aviv", "Tel Aviv", "ISR", 32.08, 34.78, 293397)
    cairo = t.place("Cairo", "Cairo", "EGY", 30.06, 31.25, 360630)
    day = {"date_precision": "day", "date_source": "predicate"}
    events = [
        Event(
            GAZA_STRIKES,
            [idf],
            [civilians],
            "195",
            "Employ aerial weapons",
            "ASSAULT",
            "aerial",
            4,
            -10.0,
            t.evidence("Israeli forces", "airstrikes"),
            modality="reported",
            attribution=[officials],
            date="2024-01-14",
            date_start=date(2024, 1, 14),
            date_end=date(2024, 1, 14),
            location=khan_younis,
            confidence=0.9,
            **day,
        ),
        Event(
            GAZA_STRIKES,
            [hamas_fighters],
            [israel],
            "190",
            "Use conventional military force",
            "ASSAULT",
            "firearms",
            4,
            -10.0,
            t.evidence("Hamas fighters", "fired"),
            date="2024-01-14",
            date_start=date(2024, 1, 14),
            date_end=date(2024, 1, 14),
            location=tel_aviv,
            confidence=0.75,
            **day,
        ),
        Event(
            GAZA_STRIKES,
            [egypt, qatar],
            [hamas_leaders],
            "040",
            "Consult",
            "CONSULT",
            "visit",
            1,
            1.0,
            t.evidence("Egypt and Qatar", "met"),
            date="2024-01-15",
            date_start=date(2024, 1, 15),
            date_end=date(2024, 1, 15),
            location=cairo,
            confidence=0.7,
            **day,
        ),
    ]
    article = Article(
        GAZA_STRIKES,
        text,
        date(2024, 1, 15),
        title="Strikes on Khan Younis",
        source="Example Wire",
        origin="synthetic.jsonl:2",
    )
    mentions = [idf, civilians, officials, hamas_fighters, israel, egypt, qatar, hamas_leaders]
    return Annotations(article, mentions, [jan14, jan15], [khan_younis, tel_aviv, cairo], events)


def _un_appeal() -> Annotations:
    text = (
        "The United Nations Secretary-General called on Israel and Hamas to protect civilians. "
        "Iran threatened to retaliate against the United States if the strikes continued."
    )
    t = _Text(UN_APPEAL, text)
    un = t.actor(
        "The United Nations Secretary-General",
        "United Nations",
        "IGOUNO",
        None,
        "IGO",
        "organization",
    )
    israel = t.actor("Israel", "Israel", "ISR", "ISR")
    hamas = t.actor("Hamas", "Hamas", "PSEHMS", "PSE", "REB", "group")
    iran = t.actor("Iran", "Iran", "IRN", "IRN")
    usa = t.actor("the United States", "United States", "USA", "USA")
    events = [
        Event(
            UN_APPEAL,
            [un],
            [israel, hamas],
            "020",
            "Make an appeal or request",
            "REQUEST",
            None,
            1,
            3.0,
            t.evidence("The United Nations", "called on"),
            confidence=0.55,
        ),
        Event(
            UN_APPEAL,
            [iran],
            [usa],
            "138",
            "Threaten to use military force",
            "THREATEN",
            None,
            3,
            -7.0,
            t.evidence("Iran threatened", "threatened"),
            modality="hypothetical",
            confidence=0.5,
        ),
    ]
    article = Article(UN_APPEAL, text, None, origin="synthetic.jsonl:3")
    return Annotations(article, [un, israel, hamas, iran, usa], [], [], events)


def synthetic_annotations() -> list[Annotations]:
    """Three articles with seven events between them (two undated)."""
    return [_ru_hamas(), _gaza_strikes(), _un_appeal()]
