"""Case restoration for text written all in lower case or all in capitals.

The tagger, the parser and the entity recogniser learned English from cased text: in
"the prime minister of france met ... on tuesday" they see no name, no place and no
weekday. :class:`CaseRestorer` finds such text -- a whole article, or a long stretch of
one such as a paragraph or a headline in capitals -- and writes a copy cased the way
Dragoman's own knowledge spells its words: actor names, demonyms and acronyms from the
knowledge base, place names from the gazetteer, months, weekdays and holidays from the
time word lists, titles before a known name ("President Putin"), sentence starts and "I".
In capitals, every other word becomes lower case.

The copy has exactly the length of the original, character for character (a character
whose other case has another length, such as "ß", is kept as written), so an offset into
the copy is an offset into the original. The stages read the copy; the article keeps its
text, and everything reported (actor texts, evidence, places, times) is sliced from it.

Text written in both cases is returned as it is: finding out costs one pass over it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from spacy.lang.en.stop_words import STOP_WORDS

from dragoman.place.normalize import fold_diacritics
from dragoman.time.lexicon import load_lexicon

if TYPE_CHECKING:
    from spacy.language import Language

    from dragoman.actors.kb import KnowledgeBase
    from dragoman.place import Gazetteer, GazetteerEntry

#: A stretch is caseless when at most this share of its cased letters is in the other case
#: (an "I" or a "US" written in capitals inside lower-case text).
MINORITY_SHARE = 0.02
#: A stretch (a line, or the whole text) needs this many cased letters and words to count.
MIN_LETTERS = 12
MIN_WORDS = 3
#: Longest knowledge-base name tried, and longest place name, in words.
MAX_NAME_WORDS = 8
MAX_PLACE_WORDS = 4
#: A place known only to the gazetteer whose name is also an English noun ("van", "sale")
#: is restored anywhere only when it is a country, a region or a city at least this big;
#: else only where a place name stands (see ``CaseRestorer._noun_as_place``).
_COMMON_NOUN_CITY = 1_000_000
_BIG_CITY = 250_000

#: How many answers ``EnglishWords`` remembers.
_CACHE_SIZE = 200_000

_WORD = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiouy")
#: Separators a name's words may be joined by in running text.
_JOINERS = re.compile(r"[ \t]+|[ \t]*[-‐‑–][ \t]*|['’]|\.[ \t]*")
#: What ends a sentence before the next word: a full stop, question or exclamation mark,
#: closing quotes or brackets, space, then opening quotes or brackets.
_SENTENCE_GAP = re.compile(r"[.!?…][\"'”’)\]]*\s+[\"'“‘(\[\-–—]*\Z")
#: A quotation opened after a comma or colon starts with a capital: said, "We ..."
_QUOTE_GAP = re.compile(r"[,:]\s*[\"“‘]\Z")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
#: Words followed by a full stop that does not end the sentence.
_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "maj", "prof", "sen",
        "rep", "gov", "rev", "jr", "sr", "no", "vs", "etc", "approx", "inc", "co", "corp", "ltd",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mt", "ft", "ave", "adm", "cmdr",
    }
)  # fmt: skip
#: Words of a title that stay in lower case inside it ("Minister of Foreign Affairs").
_SMALL_TITLE_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "at", "to", "a"})
#: Words after which a month that is also an English word ("may", "march") is a month.
_DATE_CUES = frozenset(
    {
        "in", "since", "until", "till", "by", "during", "early", "late", "mid", "last", "next",
        "this", "before", "after", "from", "through", "throughout", "between",
    }
)  # fmt: skip
#: Short words without vowels that are not acronyms when written in capitals.
_NOT_ACRONYMS = _ABBREVIATIONS | {"mph", "km", "kg", "cm", "mm", "ml", "hr", "hrs", "pct"}
_NUMBER = re.compile(r"\d{1,4}(?:st|nd|rd|th)?\Z")
#: Words after which a known acronym that is also a function word is the acronym.
_DETERMINERS = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those", "every", "each", "any", "some",
        "no", "another", "its", "their", "his", "her", "our", "my", "your", "whose", "which",
        "what", "several", "many", "few", "both", "all",
    }
)  # fmt: skip
#: Pronouns that never open a sentence: a sentence opening with "us" opens with the acronym.
_OBJECT_PRONOUNS = frozenset({"us", "me", "him", "them"})
#: Endings that make an adjective of a region's name: "Middle Eastern", "African", "European".
_PLACE_ADJECTIVE_ENDINGS = ("ern", "ian", "ean", "an", "n")


# ----- finding caseless text -----------------------------------------------------------


def _case_counts(text: str) -> tuple[int, int]:
    return sum(map(str.isupper, text)), sum(map(str.islower, text))


def _caseless_kind(text: str) -> str | None:
    """``"lower"`` or ``"upper"`` when nearly every cased letter of ``text`` is in that
    case, else None.

    A lower-case stretch must also begin in lower case (sentences written in both cases
    begin with a capital) and hold almost no capitalised word: "I" or "US" typed in lower-case
    text are capitals, but a "Hong Kong" is the writer's casing (a cased sentence whose
    beginning was cut off).
    """
    first = next((c for c in text if c.isalpha()), "")
    if not first or not (first.islower() or first.isupper()):
        return None
    if first.isupper():
        second = next((c for c in text[text.index(first) + 1 :] if c.isalpha()), "")
        if not second.isupper():
            return None
    upper, lower = _case_counts(text)
    cased = upper + lower
    words = _WORD.findall(text)
    if cased < MIN_LETTERS or len(words) < MIN_WORDS:
        return None
    if first.islower() and upper <= MINORITY_SHARE * cased:
        capitalised = sum(1 for w in words if w[0].isupper() and any(c.islower() for c in w))
        return "lower" if capitalised <= MINORITY_SHARE * len(words) else None
    if first.isupper():
        # a lower-case letter without a capital of its own ("ß") is all capitals can do
        lower = sum(1 for c in text if _has_capital(c))
        if lower <= MINORITY_SHARE * cased:
            return "upper"
    return None


def _has_capital(char: str) -> bool:
    return char.islower() and len(char.upper()) == 1


def _lines(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, start + len(line.rstrip("\r\n"))
        start += len(line)


def caseless_runs(text: str) -> list[tuple[int, int, str]]:
    """The stretches of ``text`` written in one case: ``(start, end, "lower" | "upper")``.

    The whole text when it is caseless as a whole, else each caseless line (a paragraph, a
    headline in capitals). Text written in both cases has none.
    """
    kind = _caseless_kind(text)
    if kind is not None:
        return [(0, len(text), kind)]
    runs = []
    for start, end in _lines(text):
        kind = _caseless_kind(text[start:end])
        if kind is not None:
            runs.append((start, end, kind))
    return runs


# ----- what English writes in lower case -----------------------------------------------


class EnglishWords:
    """Whether a lower-case word is an ordinary English word.

    Function words are spaCy's stop words; verbs, adjectives and adverbs (and their
    inflections) come from the word lists of the spaCy model's rule lemmatizer when it has
    them. Nouns are not counted as ordinary: the noun list holds country and city names too.
    """

    def __init__(self, nlp: Language | None = None) -> None:
        self.index: dict[str, frozenset[str]] = {}
        self.exceptions: dict[str, frozenset[str]] = {}
        self.rules: dict[str, list[tuple[str, str]]] = {}
        lookups = _lemma_lookups(nlp)
        if lookups is not None:
            for pos in ("verb", "adj", "adv", "noun"):
                self.index[pos] = frozenset(_table(lookups, "lemma_index").get(pos, []))
                self.exceptions[pos] = frozenset(_table(lookups, "lemma_exc").get(pos, {}))
                self.rules[pos] = [tuple(r) for r in _table(lookups, "lemma_rules").get(pos, [])]
        self._cache: dict[tuple[str, tuple[str, ...]], bool] = {}

    def is_function_word(self, word: str) -> bool:
        return word in STOP_WORDS

    def is_common(self, word: str) -> bool:
        """A function word, or a verb, adjective or adverb (any inflection)."""
        return self.is_function_word(word) or self.has_pos(word, ("verb", "adj", "adv"))

    def is_noun(self, word: str) -> bool:
        return self.has_pos(word, ("noun",))

    def in_index(self, word: str, pos: str) -> bool:
        """``word`` is listed as it is (not as an inflection) among the words of ``pos``."""
        return word in self.index.get(pos, frozenset())

    def has_pos(self, word: str, parts: tuple[str, ...]) -> bool:
        key = (word, parts)
        if key not in self._cache:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = any(self._in(word, pos) for pos in parts)
        return self._cache[key]

    def _in(self, word: str, pos: str) -> bool:
        index = self.index.get(pos, frozenset())
        if word in index or word in self.exceptions.get(pos, frozenset()):
            return True
        return any(
            word.endswith(old)
            and len(word) > len(old)
            and word[: len(word) - len(old)] + new in index
            for old, new in self.rules.get(pos, [])
        )


def _lemma_lookups(nlp: Language | None) -> Any:
    if nlp is None or "lemmatizer" not in nlp.pipe_names:
        return None
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return None
    return lookups


def _table(lookups: Any, name: str) -> Any:
    return lookups.get_table(name) if lookups.has_table(name) else {}


# ----- the casing vocabulary -----------------------------------------------------------


@dataclass(frozen=True)
class Spelling:
    """How one known word sequence is written, and how sure a bare match is."""

    #: The words as written ("al", "Qaeda"), and what joins them (" ", "-", ".").
    words: tuple[str, ...]
    joiners: tuple[str, ...]
    #: ``always`` (states, demonyms, unambiguous names), ``date`` (a month that is also an
    #: English word: needs a number or a date word beside it), ``the`` (an acronym that is
    #: also a function word, "US", "WHO": only after "the"), ``named`` (a name that is also
    #: an English word, "Bush": only after a title or beside the actor's full name).
    rule: str = "always"
    #: Knowledge-base actors the words name.
    actors: frozenset[str] = frozenset()
    #: True when they name a person (a title before them is written with capitals).
    person: bool = False
    #: True when they name a state or its people ("France", "British").
    state: bool = False


@dataclass
class CasingVocabulary:
    """Lower-case word sequences and how Dragoman's knowledge spells them."""

    spellings: dict[tuple[str, ...], list[Spelling]] = field(default_factory=dict)
    #: Lower-case words of titles and honorifics that stand before a name.
    titles: set[tuple[str, ...]] = field(default_factory=set)
    locatives: frozenset[str] = frozenset()
    longest: int = 1

    def add(self, surface: str, rule: str = "always") -> None:
        words, joiners = _split(surface)
        if words:
            self.add_split(words, joiners, rule)

    def add_split(
        self,
        words: list[str],
        joiners: tuple[str, ...],
        rule: str = "always",
        actors: frozenset[str] = frozenset(),
        person: bool = False,
        state: bool = False,
    ) -> None:
        """Add a name already split into its words and the separators between them."""
        key = tuple(_lower(w) for w in words)
        spelling = Spelling(tuple(words), joiners, rule, actors, person, state)
        known = self.spellings.setdefault(key, [])
        if spelling not in known:
            known.append(spelling)
        self.longest = max(self.longest, min(len(key), MAX_NAME_WORDS))


def _split(surface: str) -> tuple[list[str], tuple[str, ...]]:
    matches = list(_WORD.finditer(surface))
    words = [m.group() for m in matches]
    joiners = tuple(_joiner(surface[a.end() : b.start()]) for a, b in pairwise(matches))
    return words, joiners


def _joiner(gap: str) -> str:
    """A separator between words, normalised: " ", "-", "'" or "."."""
    stripped = gap.strip()
    if not stripped:
        return " "
    if stripped in "-‐‑–":
        return "-"
    if stripped in "'’":
        return "'"
    return stripped


def _lower(word: str) -> str:
    """``word`` in lower case, character by character, keeping every length."""
    if word.isascii():
        return word.lower()
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in word)


def build_vocabulary(
    kb: KnowledgeBase | None, gazetteer: Gazetteer | None, english: EnglishWords
) -> CasingVocabulary:
    """The casing vocabulary of the knowledge base and the time word lists."""
    vocabulary = CasingVocabulary()
    if kb is not None:
        _add_actor_names(vocabulary, kb, gazetteer, english)
        for phrase, terms in kb.terms.items():
            if any(t.takes_name and t.category in ("title", "honorific") for t in terms):
                words, _ = _split(phrase)
                vocabulary.titles.add(tuple(_lower(w) for w in words))
        vocabulary.locatives = frozenset(kb.locative_prepositions)
    _add_time_words(vocabulary, english)
    return vocabulary


def _add_actor_names(
    vocabulary: CasingVocabulary,
    kb: KnowledgeBase,
    gazetteer: Gazetteer | None,
    english: EnglishWords,
) -> None:
    by_key: dict[tuple[str, ...], list[tuple[str, list[str], tuple[str, ...]]]] = defaultdict(list)
    for surface in list(kb.names):
        words, joiners = _split(surface)
        if words:
            by_key[tuple(_lower(w) for w in words)].append((surface, words, joiners))
    demonyms: set[str] = set()
    with_acronym: set[str] = set()
    for key, spellings in by_key.items():
        for surface, words, _ in spellings:
            for entry in kb.lookup_name(surface):
                if entry.role == "demonym" and len(key) == 1:
                    demonyms.add(key[0])
                if len(words) == 1 and surface.isupper() and len(surface) > 1:
                    with_acronym.add(entry.actor_id)
    for key, spellings in by_key.items():
        surfaces = [surface for surface, _, _ in spellings]
        entries = [e for surface in surfaces for e in kb.lookup_name(surface)]
        kinds = {(e.role, getattr(kb.actors.get(e.actor_id), "kind", "")) for e in entries}
        is_state = bool(kinds & {("name", "state"), ("demonym", "state")})
        surface = _preferred_spelling(surfaces)
        if len(key) == 1:
            rule = _single_word_rule(key[0], surface, is_state, kb, gazetteer, english)
        elif (
            len(key) > 1
            and not is_state
            and key[0] in demonyms
            and all(english.is_common(w) or english.is_noun(w) for w in key[1:])
            and not any(e.actor_id in with_acronym for e in entries)
        ):
            # "Palestinian Resistance": a demonym and a common noun is how news describes
            # anyone ("palestinian resistance", "syrian opposition"); only a state's name or
            # an actor also known by an acronym is taken as named by such words
            rule = ""
        else:
            rule = "always"
        if rule:
            words, joiners = (
                next((w, j) for s, w, j in spellings if s == surface)
                if (surface in surfaces)
                else _split(surface)
            )
            vocabulary.add_split(
                words,
                joiners,
                rule,
                frozenset(e.actor_id for e in entries),
                any(kind == "person" for _, kind in kinds),
                is_state,
            )


def _single_word_rule(
    word: str,
    surface: str,
    is_state: bool,
    kb: KnowledgeBase,
    gazetteer: Gazetteer | None,
    english: EnglishWords,
) -> str:
    """When a one-word name is restored: ``always`` (a state's name or demonym, or a word
    English does not use otherwise), ``the`` (an acronym that is also a function word: "US",
    "WHO"), ``named`` (a name that is also an English verb, adjective or adverb: "Bush",
    "Truss"), or never (``""``).

    Never: a function word that is no acronym ("May"); a word the knowledge base knows as a
    generic actor word ("YOUTH": "youths" are civilians); a name known only in capitals
    that is an English plural, verb, adjective or adverb, or a place name ("TIGERS",
    "ZERO", "GAZA": a list that writes everything in capitals says nothing of its case).
    """
    acronym = surface.isupper()
    if english.is_function_word(word):
        return "the" if acronym else ""
    if is_state:
        return "always"
    if _is_actor_term(kb, word):
        return ""
    if (
        acronym
        and len(word) > 3
        and (
            english.is_common(word)
            or (english.is_noun(word) and not english.in_index(word, "noun"))
            or (gazetteer is not None and gazetteer.candidates(word))
        )
    ):
        return ""
    if english.is_common(word):
        return "named"
    return "always"


def _is_actor_term(kb: KnowledgeBase, word: str) -> bool:
    """The word, or its plural or singular, is a generic actor word of the knowledge base."""
    forms = (word, word + "s", word + "es", word.removesuffix("s"))
    return any(kb.lookup_term(form) for form in forms)


def _preferred_spelling(surfaces: list[str]) -> str:
    """Of the spellings of one name, the one to copy: mixed case ("Hamas") before capitals
    ("HAMAS"), capitals before lower case ("dpa"); a long name known only in capitals (a
    list written in capitals) is written with initial capitals instead."""

    def score(surface: str) -> tuple[int, int]:
        has_upper = any(c.isupper() for c in surface)
        has_lower = any(c.islower() for c in surface)
        return (2 if has_upper and has_lower else 1 if has_upper else 0, -len(surface))

    best = max(surfaces, key=score)
    if (
        best.isupper()
        and (" " in best or len(best) > 6)
        and any(c in _VOWELS for c in best.lower())
    ):
        return _title(best)
    return best


def _title(surface: str) -> str:
    return re.sub(r"[^\W_]+", lambda m: m.group()[:1].upper() + _lower(m.group()[1:]), surface)


def _add_time_words(vocabulary: CasingVocabulary, english: EnglishWords) -> None:
    lexicon = load_lexicon()
    for table in (lexicon.months, lexicon.weekdays):
        longest: dict[int, int] = {}
        for word, number in table.items():
            longest[number] = max(longest.get(number, 0), len(word))
        for word, number in table.items():
            full = len(word) == longest[number] or len(word) > 4
            lower = _lower(word)
            ambiguous = not full or english.is_common(lower)
            vocabulary.add(word, "date" if ambiguous else "always")
    for phrase in lexicon.holidays:
        words, _ = _split(phrase)
        common = len(words) == 1 and english.is_common(_lower(words[0]))
        vocabulary.add(phrase, "date" if common else "always")


_VOCABULARIES: dict[tuple[int, int, int], tuple[Any, Any, Any, CasingVocabulary, EnglishWords]] = {}


def casing_vocabulary(
    kb: KnowledgeBase | None, gazetteer: Gazetteer | None, nlp: Language | None
) -> tuple[CasingVocabulary, EnglishWords]:
    """The vocabulary of ``kb`` (with the gazetteer and the English words of ``nlp``),
    built once per process."""
    key = (id(kb), id(gazetteer), id(nlp))
    if key not in _VOCABULARIES:
        english = EnglishWords(nlp)
        # the objects are kept so that their ids cannot be reused while cached
        _VOCABULARIES[key] = (kb, gazetteer, nlp, build_vocabulary(kb, gazetteer, english), english)
    *_, vocabulary, english = _VOCABULARIES[key]
    return vocabulary, english


# ----- restoring ----------------------------------------------------------------------


@dataclass
class _Word:
    start: int
    end: int
    lower: str
    #: True when the writer cased the word apart from the stretch ("I", "US" in lower case).
    marked: bool
    #: The word as it should be written, once decided.
    spelling: str | None = None
    sentence_start: bool = False


class CaseRestorer:
    """Writes a cased copy of caseless text; build once, call :meth:`restore` per article.

    ``kb`` (a :class:`~dragoman.actors.kb.KnowledgeBase`), ``gazetteer`` (a
    :class:`~dragoman.place.Gazetteer`) and ``nlp`` (for its English word lists) are
    optional: without one, its words are not restored.

    With a knowledge base, the casing vocabulary is built here, with the rest of the data
    loaded once per process (about a second): built on the first caseless article instead,
    it would stall that article and be charged to it.
    """

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        gazetteer: Gazetteer | None = None,
        nlp: Language | None = None,
    ) -> None:
        self.kb = kb
        self.gazetteer = gazetteer
        self.nlp = nlp
        self._vocabulary: CasingVocabulary | None = None
        self._english: EnglishWords | None = None
        if kb is not None:
            self.vocabulary  # noqa: B018 - built now, not on the first caseless article

    @property
    def vocabulary(self) -> CasingVocabulary:
        if self._vocabulary is None:
            self._vocabulary, self._english = casing_vocabulary(self.kb, self.gazetteer, self.nlp)
        return self._vocabulary

    @property
    def english(self) -> EnglishWords:
        self.vocabulary  # noqa: B018 - built together
        assert self._english is not None
        return self._english

    def restore(self, text: str) -> str:
        """``text`` with its caseless stretches cased; the same length, and ``text`` itself
        when it has none."""
        runs = caseless_runs(text)
        if not runs:
            return text
        chars = list(text)
        evidence = _article_evidence(text, runs) if runs[0][:2] != (0, len(text)) else {}
        for start, end, kind in runs:
            self._restore_run(text, chars, start, end, kind, evidence)
        restored = "".join(chars)
        assert len(restored) == len(text)
        return restored

    # -- one stretch -----------------------------------------------------------------

    def _restore_run(
        self,
        text: str,
        chars: list[str],
        start: int,
        end: int,
        kind: str,
        evidence: dict[str, str],
    ) -> None:
        words = []
        for match in _WORD.finditer(text, start, end):
            word = match.group()
            marked = (
                any(c.isupper() for c in word)
                if kind == "lower"
                else any(_has_capital(c) for c in word)
            )
            words.append(_Word(match.start(), match.end(), _lower(word), marked))
        if not words:
            return
        self._mark_sentence_starts(text, words, start)
        named = self._match_names(text, words)
        self._match_titles(words, named)
        for word in words:
            if word.spelling is None and word.lower in evidence:
                word.spelling = evidence[word.lower]
            if word.spelling is None and word.lower == "i" and _is_pronoun_i(text, word):
                word.spelling = "I"
            if word.spelling is None and kind == "upper" and _looks_like_acronym(word):
                word.spelling = text[word.start : word.end]
        for word in words:
            if word.marked:
                continue
            spelling = word.spelling or word.lower
            if word.sentence_start:
                spelling = spelling[:1].upper() + spelling[1:]
            _write(chars, word.start, text[word.start : word.end], spelling)

    def _mark_sentence_starts(self, text: str, words: list[_Word], run_start: int) -> None:
        line_start = run_start == 0 or text[run_start - 1] == "\n"
        words[0].sentence_start = line_start and not text[run_start : words[0].start].strip(
            " \t\r\n\"'“‘([-–—*•"
        )
        for previous, word in pairwise(words):
            gap = text[previous.end : word.start]
            word.sentence_start = (
                ("\n" in gap and _paragraph_break(text, previous, gap))
                or (bool(_SENTENCE_GAP.search(gap)) and not _abbreviation(previous, gap))
                or bool(_QUOTE_GAP.search(gap))
            )

    def _match_names(self, text: str, words: list[_Word]) -> set[int]:
        """Spell the known names of the stretch; the indices of the words of people's names."""
        vocabulary = self.vocabulary
        named: set[int] = set()
        matched_actors: set[str] = set()
        deferred: list[tuple[int, Spelling]] = []
        i = 0
        while i < len(words):
            found = self._known_at(text, words, i)
            if found is None:
                i += 1
                continue
            size, spelling = found
            if spelling is None:  # a place: spelled already
                i += size
                continue
            if spelling.rule == "named":
                deferred.append((i, spelling))
                i += size
                continue
            self._spell(words, i, spelling)
            if spelling.person:
                named.update(range(i, i + size))
            if size > 1:
                matched_actors.update(spelling.actors)
            i += size
        for i, spelling in deferred:
            if spelling.actors & matched_actors or self._title_before(words, i, vocabulary):
                self._spell(words, i, spelling)
                if spelling.person:
                    named.add(i)
        return named

    def _known_at(
        self, text: str, words: list[_Word], i: int
    ) -> tuple[int, Spelling | None] | None:
        """The longest known name starting at word ``i``: its size in words and its
        spelling (None for a place, spelled here)."""
        vocabulary = self.vocabulary
        longest = min(max(vocabulary.longest, MAX_PLACE_WORDS), len(words) - i)
        joiners = [_text_joiner(text, words[j], words[j + 1]) for j in range(i, i + longest - 1)]
        for size in range(longest, 0, -1):
            if any(j is None for j in joiners[: size - 1]):
                continue
            key = tuple(w.lower for w in words[i : i + size])
            for spelling in vocabulary.spellings.get(key, []):
                if _joiners_agree(spelling.joiners, joiners[: size - 1]) and self._allowed(
                    text, words, i, size, spelling
                ):
                    return size, spelling
            if size <= MAX_PLACE_WORDS and self._spell_place(text, words, i, size):
                return size, None
        return None

    def _allowed(
        self, text: str, words: list[_Word], i: int, size: int, spelling: Spelling
    ) -> bool:
        if spelling.rule == "the":
            return self._acronym_not_word(text, words, i)
        if spelling.rule == "date":
            return _date_context(words, i, size)
        return True

    def _acronym_not_word(self, text: str, words: list[_Word], i: int) -> bool:
        """Whether a word that is both a function word and a known acronym ("us", "who") is
        the acronym: after a determiner or a number ("the us", "a us offer", "two dozen us
        cities"), before a hyphen or an actor word ("us-led", "us officials"), coordinated
        with a country or demonym ("us and british forces"), or an object pronoun opening a
        sentence ("us throws out ...")."""
        word = words[i]
        previous = words[i - 1] if i > 0 and not word.sentence_start else None
        after = words[i + 1] if i + 1 < len(words) else None
        if previous is not None and (
            previous.lower in _DETERMINERS or _NUMBER.match(previous.lower)
        ):
            return True
        if word.sentence_start and word.lower in _OBJECT_PRONOUNS:
            return True
        if after is not None and (
            _text_joiner(text, word, after) == "-" or self._actor_word(after)
        ):
            return True
        for step in (-2, 2):
            j = i + step
            middle = words[i + step // 2] if 0 <= j < len(words) else None
            if middle is not None and middle.lower in ("and", "or") and self._state_word(words[j]):
                return True
        return False

    def _state_word(self, word: _Word) -> bool:
        """A country name or demonym of the knowledge base ("british", "france")."""
        return any(
            s.rule == "always" and s.state for s in self.vocabulary.spellings.get((word.lower,), [])
        )

    def _actor_word(self, word: _Word) -> bool:
        """A word naming a kind of actor ("officials", "military"), from the knowledge base."""
        if self.kb is None:
            return False
        terms = self.kb.lookup_term(word.lower)
        return word.lower in self.kb.modifiers or any(t.category != "anaphor" for t in terms)

    def _spell_place(self, text: str, words: list[_Word], i: int, size: int) -> bool:
        """Spell words ``i .. i + size`` as a gazetteer place name, when they are one."""
        if self.gazetteer is None:
            return False
        span = words[i : i + size]
        if span[0].lower == "the" or all(self.english.is_function_word(w.lower) for w in span):
            return False
        phrase = text[span[0].start : span[-1].end]
        if self._spell_place_adjective(phrase, span):
            return True
        if size == 1 and (self.english.is_common(span[0].lower) or not span[0].lower.isalpha()):
            return False
        candidates = self.gazetteer.candidates(phrase)
        if not candidates:
            return False
        if (
            size == 1
            and self.english.is_noun(span[0].lower)
            and not self._noun_as_place(text, words, i, candidates)
        ):
            return False
        spaced = all(_text_joiner(text, a, b) == " " for a, b in pairwise(span))
        ordinary = all(
            self.english.is_common(w.lower) or self.english.is_noun(w.lower) for w in span
        )
        if (
            size > 1
            and spaced
            and ordinary
            and not any(_prominent(e, _COMMON_NOUN_CITY) for e in candidates)
        ):
            return False
        spelled = _place_spelling(phrase, candidates)
        for word, written in zip(span, spelled, strict=False):
            word.spelling = written
        return True

    def _noun_as_place(
        self, text: str, words: list[_Word], i: int, candidates: list[GazetteerEntry]
    ) -> bool:
        """Whether a place name that is also an English noun ("van", "sale", "settlement",
        "jerusalem": the noun list has both) names the place here.

        A country, a region or a city of a million people does; a plural never does, nor a
        word followed by "of" ("in defiance of"). Else the word must stand where a place
        name stands and a singular common noun does not: at the start of a sentence or
        clause, after a locative preposition, "and" or "or", or, for a city of ``_BIG_CITY``
        people, right after a verb ("visited jerusalem"; an ordinary noun there would need a
        determiner: "bought a van").
        """
        word = words[i]
        if any(_prominent(e, _COMMON_NOUN_CITY) for e in candidates):
            return True
        following = words[i + 1].lower if i + 1 < len(words) else ""
        if not self.english.in_index(word.lower, "noun") or following == "of":
            return False
        if i == 0 or word.sentence_start or text[words[i - 1].end : word.start].strip():
            return True
        previous = words[i - 1].lower
        if previous in self.vocabulary.locatives or previous in ("and", "or"):
            return True
        big = any(_prominent(e, _BIG_CITY) for e in candidates)
        return (
            big
            and not self.english.is_function_word(previous)
            and self.english.has_pos(previous, ("verb",))
        )

    def _spell_place_adjective(self, phrase: str, span: list[_Word]) -> bool:
        """Spell the adjective of a region or country the knowledge base has no demonym for:
        "middle eastern", "african", "central asian" (the name and an ending)."""
        assert self.gazetteer is not None
        last = span[-1].lower
        for ending in _PLACE_ADJECTIVE_ENDINGS:
            stem = last[: -len(ending)]
            if not last.endswith(ending) or len(stem) < 3:
                continue
            for restored in (stem, stem + "a", stem + "e"):
                name = phrase[: len(phrase) - len(last)] + restored
                if any(e.feature in ("region", "country") for e in self.gazetteer.candidates(name)):
                    for word in span:
                        word.spelling = _title(word.lower)
                    return True
        return False

    @staticmethod
    def _spell(words: list[_Word], i: int, spelling: Spelling) -> None:
        for word, written in zip(words[i : i + len(spelling.words)], spelling.words, strict=False):
            word.spelling = written if len(written) == len(word.lower) else _title(word.lower)

    def _title_before(self, words: list[_Word], i: int, vocabulary: CasingVocabulary) -> int:
        """How many words right before word ``i`` make a title ("foreign minister")."""
        for size in range(min(6, i), 0, -1):
            key = tuple(w.lower for w in words[i - size : i])
            if key in vocabulary.titles:
                return size
        return 0

    def _match_titles(self, words: list[_Word], named: set[int]) -> None:
        """A title right before a known name is written with capitals: "President Putin"."""
        vocabulary = self.vocabulary
        for i in sorted(named):
            if i - 1 in named:
                continue
            size = self._title_before(words, i, vocabulary)
            for word in words[i - size : i]:
                if word.spelling is None:
                    small = word.lower in _SMALL_TITLE_WORDS
                    word.spelling = word.lower if small else _title(word.lower)


# ----- helpers ------------------------------------------------------------------------


def _write(chars: list[str], start: int, original: str, spelling: str) -> None:
    """Copy the case of ``spelling`` onto the characters of ``original`` at ``start``."""
    if len(spelling) != len(original):
        return
    for k, (char, model) in enumerate(zip(original, spelling, strict=True)):
        cased = char.upper() if model.isupper() else char.lower() if model.islower() else char
        if len(cased) == 1:
            chars[start + k] = cased


def _text_joiner(text: str, left: _Word, right: _Word) -> str | None:
    gap = text[left.end : right.start]
    if not _JOINERS.fullmatch(gap):
        return None
    return _joiner(gap)


def _joiners_agree(expected: tuple[str, ...], found: list[str | None]) -> bool:
    for want, got in zip(expected, found, strict=False):
        if want == got or {want, got} <= {" ", "-"}:
            continue
        return False
    return True


def _place_spelling(phrase: str, candidates: list[GazetteerEntry]) -> list[str]:
    """The words of a place name as the gazetteer writes them when it writes them with the
    same letters, else with initial capitals ("kiev" -> "Kiev")."""
    words, _ = _split(phrase)
    key = [_fold(w) for w in words]
    for entry in candidates:
        written, _ = _split(entry.name)
        if [_fold(w) for w in written] == key and all(
            len(a) == len(b) for a, b in zip(written, words, strict=True)
        ):
            return written
    return [w[:1].upper() + w[1:] if w not in _SMALL_TITLE_WORDS else w for w in words]


def _prominent(entry: GazetteerEntry, population: int) -> bool:
    return entry.feature in ("country", "region") or entry.population >= population


def _fold(word: str) -> str:
    return _lower(fold_diacritics(word))


def _paragraph_break(text: str, previous: _Word, gap: str) -> bool:
    """A line break ends a sentence unless the line is one of a hard-wrapped paragraph:
    a blank line, punctuation ending the line, or a short line (a headline, a date line)."""
    if _BLANK_LINE.search(gap) or gap.split("\n", 1)[0].strip():
        return True
    line_start = text.rfind("\n", 0, previous.start) + 1
    return previous.end - line_start < 50


def _abbreviation(previous: _Word, gap: str) -> bool:
    """A full stop after an abbreviation ("mr.") or an initial ("u.s.") ends no sentence."""
    if not gap.startswith("."):
        return False
    return previous.lower in _ABBREVIATIONS or (
        len(previous.lower) == 1 and previous.lower.isalpha()
    )


def _is_pronoun_i(text: str, word: _Word) -> bool:
    after = text[word.end : word.end + 1]
    before = text[word.start - 1 : word.start] if word.start else " "
    return after in ("", " ", "'", "’", ",", "\n", "\t") and not before.isalnum() and before != "."


def _looks_like_acronym(word: _Word) -> bool:
    """In capitals, a short word without vowels is an acronym ("BBC", "PKK")."""
    letters = word.lower
    return (
        2 <= len(letters) <= 6
        and letters.isalpha()
        and not (_VOWELS & set(letters))
        and letters not in _NOT_ACRONYMS
    )


def _date_context(words: list[_Word], i: int, size: int) -> bool:
    """A month or weekday that is also an English word ("may", "march", "sat") is a date
    word next to a number ("may 3", "3rd of may", "may 2024") or after a date word ("in
    may", "since march", "mid-march")."""
    after = words[i + size] if i + size < len(words) else None
    if (
        after is not None
        and _NUMBER.match(after.lower)
        and after.start - words[i + size - 1].end <= 3
    ):
        return True
    j = i - 1
    if j >= 0 and words[j].lower == "of":
        j -= 1
    if j >= 0 and words[j].lower == "the":
        j -= 1
    if j >= 0 and _NUMBER.match(words[j].lower) and j >= i - 3:
        return True
    return i > 0 and words[i - 1].lower in _DATE_CUES


def _article_evidence(text: str, runs: list[tuple[int, int, str]]) -> dict[str, str]:
    """Words the cased part of the article writes with a capital inside a sentence, and
    never in lower case: the article's own names ("Kuleba"), for its caseless stretches."""
    proper: Counter[str] = Counter()
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    common: set[str] = set()
    position = 0
    pieces = []
    for start, end, _ in runs:
        pieces.append((position, start))
        position = end
    pieces.append((position, len(text)))
    for start, end in pieces:
        previous_end = None
        for match in _WORD.finditer(text, start, end):
            word = match.group()
            lower = _lower(word)
            if not word[:1].isalpha():
                previous_end = match.end()
                continue
            if word == lower:
                common.add(lower)
            elif previous_end is not None and not _starts_sentence(
                text[previous_end : match.start()]
            ):
                proper[lower] += 1
                spelled[lower][word] += 1
            previous_end = match.end()
    return {
        lower: spelled[lower].most_common(1)[0][0]
        for lower in proper
        if lower not in common and lower not in STOP_WORDS
    }


def _starts_sentence(gap: str) -> bool:
    return "\n" in gap or bool(_SENTENCE_GAP.search(gap)) or bool(_QUOTE_GAP.search(gap))
