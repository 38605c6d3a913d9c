"""Import the PETRARCH2 / Phoenix actor and agent dictionaries into Dragoman's actor files.

The Phoenix dictionaries (openeventdata/petrarch2, MIT licence) list about 27,000 states,
people with date-ranged roles, international bodies, companies and armed non-state groups,
plus some 2,000 generic agent words ("police", "farmers"). This module reads them and writes
Dragoman's own compact formats into ``dragoman/data/actors/imported/``:

* ``actors.tsv``  one row per imported actor (id, kind, name, code, country, sector)
* ``names.tsv``   case-sensitive surface forms, each pointing at one actor
* ``roles.tsv``   dated roles of imported people
* ``terms.tsv``   role terms from the agents dictionary (lower case, singular and plural)
* ``skipped.tsv`` every Phoenix line or form left out, with the reason
* ``REPORT.md``   counts by reason; ``PROVENANCE.md`` and ``LICENSE-petrarch2.txt``

The team's YAML files take precedence: a surface form the team already uses, an actor the
team already has, a term the team already defines are never imported. The output depends
only on the Phoenix files, the team's YAML files and the installed spaCy model's English
word tables, so a re-run writes byte-identical files.

Run it with ``python -m dragoman.knowledge actors [--source DIR] [--out DIR]``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dragoman.actors.kb import DEFAULT_DATA_DIR, KnowledgeBase

SOURCE_REPOSITORY = "openeventdata/petrarch2"
SOURCE_COMMIT = "676801cd9cb2924bbbad09f86d15c9323e7097bf"
SOURCE_FOLDER = "petrarch2/data/dictionaries"
ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
AGENT_FILE = "Phoenix.agents.txt"
#: Where the team keeps the Phoenix files, relative to the repository root.
DEFAULT_SOURCE = Path("..") / "shared" / "data" / "petrarch2"
DEFAULT_OUT = DEFAULT_DATA_DIR / "imported"
#: Id prefix of imported actors, so they never clash with the team's ids.
ID_PREFIX = "px:"

#: Roles that ended before this date belong to history, not to the news Dragoman reads: a
#: person none of whose roles reaches it is not imported (the event-data era starts in 1979).
ERA_START = date(1979, 1, 1)
#: Open-ended Phoenix roles ("[USAGOV >090120]") were true when the dictionaries were last
#: edited; they are closed at the latest date the dictionaries mention (never later than
#: this), and marked uncertain, so they never claim an office in today's news.
HORIZON_LIMIT = date(2019, 12, 31)
#: A two-word person name made of a given name at least this many imported people bear and
#: a family name at least SHARED_FAMILY_NAME of them bear ("Amadou Kone", "Mohammad Ali")
#: too likely names someone else in the news.
COMMON_GIVEN_NAME = 15
SHARED_FAMILY_NAME = 4

# ----- CAMEO codes -------------------------------------------------------------------------
#: CAMEO agent (sector) codes, first-level.
SECTORS = frozenset(
    [
        "GOV",
        "MIL",
        "COP",
        "REB",
        "INS",
        "OPP",
        "CVL",
        "REF",
        "BUS",
        "LEG",
        "JUD",
        "MED",
        "EDU",
        "HLH",
        "LAB",
        "AGR",
        "NGO",
        "CRM",
        "HRI",
        "SPY",
        "ELI",
        "UAF",
        "PTY",
        "ENV",
        "DEV",
        "RAD",
        "REL",
        "MOD",
        "SEP",
        "UNR",
        "IGO",
        "NGM",
        "AMN",
    ]
)
#: CAMEO country codes that are not ISO alpha-3, mapped to the ISO code of the same state.
OLD_COUNTRY_CODES = {"TMP": "TLS", "ROM": "ROU", "ZAR": "COD", "KSV": "XKX", "BAH": "BHS"}
#: Codes of dissolved states and of fictional test countries: not mappable to a state.
UNMAPPABLE_COUNTRIES = frozenset({"USR", "SUN", "YUG", "FRY", "SCG", "CSK", "DDR", "KNT", "SRP"})
#: First-position CAMEO codes that are not countries: international and transnational bodies,
#: regions, religions and ethnic groups. The actor keeps its code and gets no country.
NON_STATE_PREFIXES = frozenset(
    [
        "IGO",
        "NGO",
        "IMG",
        "MNC",
        "INT",
        "NGM",
        "UIS",
        "AFR",
        "ASA",
        "BLK",
        "CAS",
        "CFR",
        "CRB",
        "EAF",
        "EEU",
        "EIN",
        "EUR",
        "LAM",
        "MEA",
        "NAF",
        "NMR",
        "PGS",
        "SAF",
        "SAM",
        "SAS",
        "SEA",
        "WAF",
        "WEU",
        "WST",
        "BUD",
        "CHR",
        "HIN",
        "JEW",
        "MOS",
        "MUS",
    ]
)
#: Default sector of an actor whose code names no sector.
PREFIX_SECTORS = {"IGO": "GOV", "NGO": "NGO", "MNC": "BUS", "IMG": "REB", "NGM": "OPP"}

# ----- name shapes -------------------------------------------------------------------------
#: Lower-case words inside names (articles, prepositions, name particles).
_LOWER_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "in",
        "on",
        "at",
        "to",
        "a",
        "an",
        "by",
        "with",
        "from",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "das",
        "do",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "bin",
        "ibn",
        "bint",
        "al",
        "el",
        "y",
        "e",
        "et",
        "und",
    ]
)
_PERSON_PARTICLES = frozenset(
    [
        "bin",
        "ibn",
        "bint",
        "al",
        "el",
        "de",
        "da",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "del",
        "la",
        "le",
    ]
)
#: Arabic article prefixes written with a hyphen ("AL-BARADEI" -> "al-Baradei").
_ARABIC_ARTICLES = ("AL-", "EL-", "AS-", "AD-", "AN-", "AR-", "ASH-", "AZ-", "AT-")
_VOWELS = frozenset("AEIOUY")
_NAME_CHARS = re.compile(r"^[^\W_][\w.'&/()\- ]*$")
_ROMAN = re.compile(r"^[IVX]{1,4}$")
_BRACKET = re.compile(r"\[([^\]]*)\]")
_DATE_RANGE = re.compile(r"^(\d{6}|\d{8})-(\d{6}|\d{8})$")
_DATE_BOUND = re.compile(r"^([<>])\s*(\d{6}|\d{8})$")
_CODE = re.compile(r"^[A-Z0-9]{3,}$")
#: Heading comments that name the office of the leaders listed under them.
_HEADING_TITLES = (
    (re.compile(r"\bvice[ -]presidents?\b", re.IGNORECASE), "Vice President"),
    (re.compile(r"\bpresidents?\b", re.IGNORECASE), "President"),
    (re.compile(r"\bprime ministers?\b", re.IGNORECASE), "Prime Minister"),
    (re.compile(r"\bchancellors\b", re.IGNORECASE), "Prime Minister"),
    (re.compile(r"\bmonarch", re.IGNORECASE), "Monarch"),
    (re.compile(r"\bsecretaries of state\b", re.IGNORECASE), "Foreign Minister"),
    (re.compile(r"\bsecretaries of defen[cs]e\b", re.IGNORECASE), "Defence Minister"),
    (re.compile(r"\bnational security advis[eo]rs\b", re.IGNORECASE), "National Security Adviser"),
)

#: Each of the two organisation prefixes and the other one.
_IGO_NGO = {"IGO": "NGO", "NGO": "IGO"}


# ----- parsed Phoenix records --------------------------------------------------------------
@dataclass(frozen=True)
class Restriction:
    """One bracketed code of an actor entry, with the dates it applies to."""

    code: str
    start: date | None
    end: date | None
    #: True for an undated code: the default when no dated code applies.
    default: bool
    line: int
    comment: str = ""


@dataclass
class Entry:
    """One Phoenix actor record: its phrases and its codes."""

    file: str
    line: int
    #: (phrase as written, line) -- the primary phrase first, then synonyms.
    phrases: list[tuple[str, int]] = field(default_factory=list)
    restrictions: list[Restriction] = field(default_factory=list)
    #: The last heading comment above the entry, in the same country section.
    heading: str = ""
    comment: str = ""
    #: The state whose section the entry is in (Countries file), for titles.
    section: str | None = None


@dataclass(frozen=True)
class Skip:
    """A line, form or entry left out of the import, with the reason."""

    reason: str
    file: str
    line: int
    text: str
    detail: str = ""

    def __post_init__(self) -> None:
        # one line of a TSV file: tabs and runs of blanks become one space
        object.__setattr__(self, "text", " ".join(self.text.split()))
        object.__setattr__(self, "detail", " ".join(self.detail.split()))


#: Reasons for leaving something out, in report order.
REASONS = {
    "malformed": "malformed line (bad bracket, date, character or name)",
    "no-code": "entry without any code",
    "null-code": "entry whose only code is the null code [---]",
    "code-not-mappable": "code names no state Dragoman knows (dissolved or fictional state)",
    "state-dated": "dated code on a state itself (statehood changes are not modelled)",
    "state-synonym": "state synonym without the state's name (city, province, misspelling)",
    "team-duplicate": "duplicate of a team actor (a form the team uses for it)",
    "team-form": "surface form already used by the team for another actor",
    "generic-office": "generic office or body phrase, recognised compositionally",
    "common-word": "single common English word, too ambiguous as a name",
    "common-name": "two-word person name of a frequent given and a shared family name",
    "ambiguous": "form that several imported actors of different kinds share",
    "outside-era": "person whose roles all ended before the era of the news read",
    "agent-team-term": "agent phrase the team already defines",
    "agent-compositional": "agent phrase headed by a team title or body word",
    "agent-not-people": "agent phrase for a thing, place or abstraction, not people",
    "agent-prefix-code": "agent with a prefix code (IGO~, NGO~): no role-term reading",
    "agent-no-sector": "agent code with no sector Dragoman uses",
    "duplicate-entry": "entry repeating an earlier entry's forms",
}


# ----- parsing -----------------------------------------------------------------------------
def parse_date(text: str) -> date:
    """A Phoenix date: ``YYMMDD`` (00-30 are 20YY, else 19YY) or ``YYYYMMDD``."""
    if len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if len(text) != 6:
        raise ValueError(f"date {text!r} has neither 6 nor 8 digits")
    yy = int(text[:2])
    year = 2000 + yy if yy <= 30 else 1900 + yy
    return date(year, int(text[2:4]), int(text[4:]))


def parse_restriction(text: str, line: int, comment: str = "") -> Restriction:
    """Parse the inside of one ``[...]``: ``CODE``, ``CODE a-b``, ``CODE >d`` or ``CODE <d``."""
    parts = text.split(None, 1)
    if not parts:
        raise ValueError("empty brackets")
    code = parts[0]
    if code != "---" and not _CODE.match(code):
        raise ValueError(f"bad code {code!r}")
    if len(parts) == 1:
        return Restriction(code, None, None, True, line, comment)
    when = parts[1].strip()
    if match := _DATE_RANGE.match(when):
        start, end = parse_date(match[1]), parse_date(match[2])
        return Restriction(code, start, end, False, line, comment)
    if match := _DATE_BOUND.match(when):
        bound = parse_date(match[2])
        if match[1] == ">":
            return Restriction(code, bound, None, False, line, comment)
        return Restriction(code, None, bound, False, line, comment)
    raise ValueError(f"bad date restriction {when!r}")


def _split_comment(line: str) -> tuple[str, str]:
    body, _, comment = line.partition("#")
    return body, comment.strip()


def parse_actor_lines(lines: Iterable[str], file: str) -> tuple[list[Entry], list[Skip]]:
    """Parse a Phoenix ``.actors.txt`` file into entries.

    An entry starts at a primary phrase line; ``+`` lines add synonyms; tab-indented lines
    (and brackets on the phrase lines) add codes. Consecutive primary lines with no code yet
    and no blank line between them name one actor (the file lists "IVO_JOSIPOVIC_",
    "PRESIDENT_JOSIPOVIC_", "JOSIPOVIC_" above one set of codes).
    """
    entries: list[Entry] = []
    skips: list[Skip] = []
    current: Entry | None = None
    heading = ""
    section: str | None = None
    gap = True  # a blank or comment line since the last phrase line

    def codes_of(body: str, number: int, comment: str) -> tuple[str, list[Restriction]]:
        found = []
        for match in _BRACKET.finditer(body):
            found.append(parse_restriction(match[1].strip(), number, comment))
        rest = _BRACKET.sub(" ", body)
        if "[" in rest or "]" in rest or "{" in rest or "}" in rest:
            raise ValueError("unbalanced bracket")
        return rest, found

    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n").rstrip("\r")
        stripped = line.strip()
        if not stripped:
            gap = True
            continue
        if stripped.startswith("#"):
            gap = True
            text = stripped.lstrip("#").strip()
            if text and not _BRACKET.search(text):
                heading = text
            continue
        body, comment = _split_comment(line)
        try:
            rest, codes = codes_of(body, number, comment)
        except ValueError as exc:
            skips.append(Skip("malformed", file, number, stripped, str(exc)))
            continue
        phrase = rest.strip()
        if line[:1] in ("\t", " ") and not phrase.startswith("+"):
            # a restriction line
            if phrase:
                skips.append(Skip("malformed", file, number, stripped, "name on a code line"))
                continue
            if current is None:
                skips.append(Skip("malformed", file, number, stripped, "code line outside entry"))
                continue
            current.restrictions.extend(codes)
            continue
        if phrase.startswith("+"):
            if current is None:
                skips.append(Skip("malformed", file, number, stripped, "synonym outside entry"))
                continue
            current.phrases.append((phrase[1:].strip(), number))
            current.restrictions.extend(codes)
            gap = False
            continue
        if current is not None and not current.restrictions and not gap and not codes:
            # a further phrase of an entry still waiting for its codes
            current.phrases.append((phrase, number))
            current.restrictions.extend(codes)
            continue
        current = Entry(file, number, [(phrase, number)], list(codes), heading, comment)
        if codes and all(r.default for r in codes) and len(codes[0].code) == 3:
            # a state's own entry ("AFGHANISTAN_  [AFG]") opens its section
            section = codes[0].code
            heading = ""
        current.section = section
        entries.append(current)
        gap = False
    return entries, skips


def clean_phrase(phrase: str) -> str:
    """A Phoenix phrase as plain words: underscores and blanks become single spaces."""
    return " ".join(phrase.replace("_", " ").split())


# ----- casing ------------------------------------------------------------------------------
def _cap(word: str) -> str:
    """``WORD`` -> ``Word``, keeping the first letter as written (``İHSANOĞLU``)."""
    if not word:
        return word
    return word[0].upper() + word[1:].lower()


def _case_part(part: str, person: bool, first: bool) -> str:
    """Case one hyphen-free piece of a word."""
    if "'" in part:
        head, _, tail = part.partition("'")
        if len(head) == 1 and tail:
            # O'BRIEN, D'ESCOTO
            head_cased = head.upper() if first or head.upper() == "O" else head.lower()
            return f"{head_cased}'{_cap(tail)}"
        return f"{_cap(head)}'{tail.lower()}"
    if part.upper().startswith("MC") and len(part) > 3 and person:
        return "Mc" + _cap(part[2:])
    return _cap(part)


def case_word(
    word: str, *, person: bool, first: bool, acronyms: frozenset[str], korean: bool = False
) -> str:
    """Case one upper-case Phoenix word for English text."""
    upper = word.upper()
    if upper in acronyms:
        return upper
    if "." in word and all(len(p) <= 2 for p in word.split(".")):
        return upper  # initials and dotted abbreviations: U.N., R.K., JR. stays "Jr." below
    if upper in ("JR.", "SR."):
        return _cap(word)
    if any(c.isdigit() for c in word) or "/" in word:
        return upper
    if _ROMAN.match(upper) and (person or not first):
        return upper
    lower = word.lower()
    if not first and lower in (_PERSON_PARTICLES if person else _LOWER_WORDS):
        return lower
    if not person:
        letters = [c for c in upper if c.isalpha()]
        if letters and not any(c in _VOWELS for c in letters) and len(letters) <= 6:
            return upper  # PKK, KDP, HRW
        if len(letters) == 2 and lower not in _LOWER_WORDS:
            return upper  # UN, EU, AU
    for article in _ARABIC_ARTICLES:
        if upper.startswith(article) and len(upper) > len(article):
            particle = article[:-1].capitalize() if first else article[:-1].lower()
            return f"{particle}-{case_word(word[len(article) :], person=person, first=False, acronyms=acronyms)}"
    if "-" in word:
        pieces = word.split("-")
        out = [_case_part(pieces[0], person, first)] if pieces[0] else [""]
        for piece in pieces[1:]:
            out.append(piece.lower() if korean else _case_part(piece, person, False))
        return "-".join(out)
    return _case_part(word, person, first)


def case_phrase(
    words: list[str], *, person: bool, acronyms: frozenset[str], korean: bool = False
) -> str:
    """Case the words of a Phoenix phrase: Title Case, acronyms and particles kept."""
    return " ".join(
        case_word(w, person=person, first=i == 0, acronyms=acronyms, korean=korean)
        for i, w in enumerate(words)
    )


# ----- English words -----------------------------------------------------------------------
class EnglishWords:
    """Common English words, from the word tables the installed spaCy model lemmatises with
    (a WordNet-derived index of nouns, verbs, adjectives and adverbs) plus spaCy's stop
    words. A single word found here is too ambiguous to stand as an actor's name."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words

    @classmethod
    def from_model(cls, model: str | None = None) -> EnglishWords:
        import spacy
        from spacy.lang.en.stop_words import STOP_WORDS

        from dragoman.nlp import load_nlp

        nlp = load_nlp(model) if model else load_nlp()
        words: set[str] = set(STOP_WORDS)
        if "lemmatizer" in nlp.pipe_names:
            lookups = nlp.get_pipe("lemmatizer").lookups
            if lookups.has_table("lemma_index"):
                for entries in lookups.get_table("lemma_index").values():
                    words.update(w for w in entries if "_" not in w)
            if lookups.has_table("lemma_exc"):
                for table in lookups.get_table("lemma_exc").values():
                    words.update(table)
        del spacy
        return cls(frozenset(words))

    def is_common(self, word: str) -> bool:
        """True for a common English word or a regular inflection of one."""
        lower = word.lower()
        if lower in self.words:
            return True
        for suffix, base in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ing", "")):
            stem = lower[: -len(suffix)]
            if lower.endswith(suffix) and len(stem) > 2 and stem + base in self.words:
                return True
        return False


# ----- the conversion ----------------------------------------------------------------------
@dataclass
class ImportedActor:
    id: str
    kind: str
    name: str
    code: str
    country: str | None
    sector: str | None
    file: str
    line: int
    forms: dict[str, str] = field(default_factory=dict)  # surface -> name role
    roles: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class CodeParts:
    code: str
    country: str | None
    sector: str | None
    prefix: str


#: Words that make a phrase the name of an organisation rather than of a person.
ORG_WORDS = frozenset(
    [
        "association",
        "organization",
        "organisation",
        "organizations",
        "union",
        "council",
        "committee",
        "commission",
        "fund",
        "bank",
        "agency",
        "institute",
        "institution",
        "foundation",
        "society",
        "party",
        "front",
        "army",
        "movement",
        "group",
        "groups",
        "forces",
        "force",
        "brigade",
        "brigades",
        "corporation",
        "corp",
        "inc",
        "ltd",
        "llc",
        "plc",
        "co",
        "company",
        "companies",
        "network",
        "centre",
        "center",
        "league",
        "federation",
        "alliance",
        "mission",
        "office",
        "program",
        "programme",
        "project",
        "service",
        "services",
        "trust",
        "university",
        "college",
        "school",
        "church",
        "international",
        "national",
        "news",
        "radio",
        "television",
        "tv",
        "press",
        "times",
        "post",
        "journal",
        "daily",
        "herald",
        "tribune",
        "academy",
        "bureau",
        "board",
        "unit",
        "units",
        "cell",
        "cells",
        "nuclei",
        "nucleus",
        "faction",
        "organisation",
        "coalition",
        "authority",
        "conference",
        "assembly",
        "congress",
        "parliament",
        "government",
        "ministry",
        "department",
        "court",
        "tribunal",
        "police",
        "guard",
        "guards",
        "industries",
        "holdings",
        "group",
        "limited",
        "partners",
        "partnership",
        "resources",
        "systems",
        "technologies",
        "energy",
        "oil",
        "bancorp",
        "bancshares",
        "financial",
        "capital",
        "trust",
        "realty",
        "properties",
        "pharmaceuticals",
        "worldwide",
        "global",
        "foundation",
        "initiative",
        "campaign",
        "watch",
        "institute",
        "forum",
        "club",
        "secretariat",
        "commissioner",
        "observatory",
        "center",
        "centre",
        "clinic",
        "hospital",
        "hospitals",
    ]
)


class Converter:
    """Reads the Phoenix files and builds the rows of Dragoman's imported actor files."""

    def __init__(self, team: KnowledgeBase, english: EnglishWords) -> None:
        self.team = team
        self.english = english
        self.skips: list[Skip] = []
        self.actors: list[ImportedActor] = []
        self.terms: dict[str, tuple[str, str | None, str, int]] = {}
        self.horizon = HORIZON_LIMIT
        self._ids: set[str] = set()
        self._team_forms = set(team.names)
        self._team_acronyms = frozenset(
            w for s in team.names for w in s.split() if w.isupper() and len(w) >= 2
        )
        self._term_words = frozenset(w for t in team.terms for w in t.split())
        self._title_words = frozenset(
            t
            for t, readings in team.terms.items()
            if any(r.category in ("title", "honorific", "role", "body") for r in readings)
        )
        self._team_org_by_code: dict[str, str] = {}
        for actor in team.actors.values():
            if actor.kind in ("organization", "group"):
                self._team_org_by_code.setdefault(actor.code, actor.id)
        # The dictionaries and the team may class one body differently as inter- or
        # non-governmental (the Red Cross); its own letters after the prefix still name it.
        for code, actor_id in list(self._team_org_by_code.items()):
            if code[:3] in _IGO_NGO and len(code) > 6:
                other = _IGO_NGO[code[:3]] + code[3:]
                self._team_org_by_code.setdefault(other, actor_id)
        self._state_names: dict[str, list[str]] = defaultdict(list)
        for surface, entries in team.names.items():
            for entry in entries:
                if entry.role == "name" and team.actors[entry.actor_id].kind == "state":
                    self._state_names[entry.actor_id].append(surface)

    # ----- helpers ---------------------------------------------------------------------
    def skip(self, reason: str, file: str, line: int, text: str, detail: str = "") -> None:
        self.skips.append(Skip(reason, file, line, text, detail))

    def split_code(self, code: str) -> CodeParts | None:
        """Country, sector and ISO-mapped code of a Phoenix code; None when unmappable."""
        prefix = code[:3]
        rest = code[3:]
        if prefix in NON_STATE_PREFIXES:
            country = None
        elif prefix in SECTORS:
            country = None
            rest = code  # "ELI": a sector with no country
            prefix = ""
        else:
            country = OLD_COUNTRY_CODES.get(prefix, prefix)
            known = self.team.country(country) is not None or country in self._imported_states
            if prefix in UNMAPPABLE_COUNTRIES or not known:
                return None
        sector = None
        for i in range(0, len(rest) - 2, 3):
            chunk = rest[i : i + 3]
            if chunk in SECTORS and chunk not in ("IGO",):
                sector = chunk
                break
        if sector is None:
            sector = PREFIX_SECTORS.get(prefix)
        iso = (country + rest) if country is not None else code
        return CodeParts(iso, country, sector, prefix)

    def new_id(self, name: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "actor"
        candidate = ID_PREFIX + slug
        n = 2
        while candidate in self._ids or candidate in self.team.actors:
            candidate = f"{ID_PREFIX}{slug}_{n}"
            n += 1
        self._ids.add(candidate)
        return candidate

    # ----- states ----------------------------------------------------------------------
    def collect_states(self, entries: list[Entry]) -> None:
        """States and territories Phoenix lists that the team does not: imported as states."""
        self._imported_states: dict[str, ImportedActor] = {}
        for entry in entries:
            if not self._is_state_entry(entry):
                continue
            if entry.restrictions[0].line != entry.line:
                continue  # only a state's own entry ("ANGUILLA_  [AIA]") makes a new state
            code = self._state_code(entry)
            if code in UNMAPPABLE_COUNTRIES or self.team.country(code) is not None:
                continue
            if code in self._imported_states:
                continue
            words = clean_phrase(entry.phrases[0][0]).split()
            name = case_phrase(words, person=False, acronyms=self._team_acronyms)
            actor = ImportedActor(code, "state", name, code, code, None, entry.file, entry.line)
            self._ids.add(code)
            self._imported_states[code] = actor

    @staticmethod
    def _is_state_entry(entry: Entry) -> bool:
        """A state's own entry, or a place coded as its state ("ERBIL [IRQ]"): some code of
        the entry is a bare three-letter country code."""
        return entry.file == ACTOR_FILES[0] and any(
            len(r.code) == 3
            and r.code.isalpha()
            and r.code not in SECTORS
            and r.code not in NON_STATE_PREFIXES
            for r in entry.restrictions
        )

    @staticmethod
    def _state_code(entry: Entry) -> str:
        bare = [r for r in entry.restrictions if len(r.code) == 3 and r.code.isalpha()]
        defaults = [r for r in bare if r.default]
        latest = defaults[0] if defaults else max(bare, key=lambda r: r.start or date.min)
        return OLD_COUNTRY_CODES.get(latest.code, latest.code)

    def convert_state(self, entry: Entry) -> None:
        code = self._state_code(entry)
        for extra in entry.restrictions:
            if not extra.default:
                self.skip("state-dated", entry.file, extra.line, extra.code)
        if code in UNMAPPABLE_COUNTRIES:
            self.skip("code-not-mappable", entry.file, entry.line, entry.phrases[0][0], code)
            return
        imported = self._imported_states.get(code)
        names = list(self._state_names.get(code, []))
        if imported is not None:
            if imported.line == entry.line:
                imported.forms.setdefault(imported.name, "name")
                self.actors.append(imported)
            names.append(imported.name)
        target = imported.id if imported is not None else code
        for phrase, line in entry.phrases:
            words = self._words(phrase, entry.file, line)
            if words is None:
                continue
            surface = case_phrase(words, person=False, acronyms=self._team_acronyms)
            if surface in names:
                continue
            if not any(_contains_words(surface, n) for n in names):
                self.skip("state-synonym", entry.file, line, phrase, surface)
                continue
            if surface in self._team_forms:
                self.skip("team-form", entry.file, line, phrase, surface)
                continue
            self._extra_forms[surface].add((target, "name", entry.file, line))

    # ----- phrases ---------------------------------------------------------------------
    def _words(self, phrase: str, file: str, line: int) -> list[str] | None:
        text = clean_phrase(phrase)
        if not text or "\ufffd" in text or "+" in text or not _NAME_CHARS.match(text):
            self.skip("malformed", file, line, phrase, "characters")
            return None
        if any(ord(c) < 32 for c in text):
            self.skip("malformed", file, line, phrase, "control character")
            return None
        words = text.split()
        if len(words) > 1 and words[0].upper() == "THE":
            words = words[1:]
        return words

    def _abbreviations(self, entry: Entry) -> frozenset[str]:
        """Words the entry itself declares as abbreviations: "(ETA)" in a name, or a single
        word spelling the initials of another of its phrases."""
        found: set[str] = set()
        initials: set[str] = set()
        for phrase, _line in entry.phrases:
            text = clean_phrase(phrase)
            for inner in re.findall(r"\(([^)]*)\)", text):
                inner = inner.strip()
                if (
                    re.fullmatch(r"[A-Z][A-Z.\-/]{1,7}", inner)
                    and not self.english.is_common(inner)
                    and inner.title() not in self._team_forms
                ):
                    found.add(inner)
            words = [w for w in re.sub(r"\([^)]*\)", " ", text).split() if w.isalpha()]
            if len(words) >= 2:
                initials.add("".join(w[0] for w in words))
                initials.add("".join(w[0] for w in words if w.lower() not in _LOWER_WORDS))
        for phrase, _line in entry.phrases:
            text = clean_phrase(phrase)
            if " " not in text and text.isalpha() and text in initials:
                found.add(text)
        return frozenset(found)

    def phrase_forms(
        self, entry: Entry, phrase: str, line: int, kind: str, korean: bool
    ) -> list[tuple[str, str]]:
        """The surface forms (and their name roles) one Phoenix phrase yields."""
        words = self._words(phrase, entry.file, line)
        if words is None:
            return []
        acronyms = self._team_acronyms | self._abbreviations(entry)
        text = " ".join(words)
        out: list[tuple[str, str]] = []
        declared = [
            (inner.strip(), "name")
            for inner in re.findall(r"\(([^)]*)\)", text)
            if inner.strip() in acronyms
        ]
        text = " ".join(re.sub(r"\([^)]*\)", " ", text).split())
        if not text:
            return declared
        words = text.split()
        person = kind == "person"
        if person:
            words = self._strip_office_words(words)
        surface = case_phrase(words, person=person, acronyms=acronyms, korean=korean)
        role = "short" if person and len(words) == 1 else "name"
        out.append((surface, role))
        if not person and len(words) == 1 and surface != words[0].upper():
            out.append((words[0].upper(), "name"))
        return out + declared

    def _strip_office_words(self, words: list[str]) -> list[str]:
        """ "PRESIDENT_ABDULLAH_GÜL" -> "ABDULLAH_GÜL": offices, honorifics and country words
        before a personal name are recognised on their own."""
        while len(words) > 1:
            for size in range(min(4, len(words) - 1), 0, -1):
                head = " ".join(words[:size])
                lower = head.lower()
                cased = case_phrase(words[:size], person=False, acronyms=self._team_acronyms)
                if (
                    lower in self._title_words
                    or lower in self.team.modifiers
                    or any(
                        self.team.actors[e.actor_id].kind in ("state", "organization")
                        for e in self.team.lookup_name(cased)
                    )
                ):
                    words = words[size:]
                    break
            else:
                break
        return words

    def is_generic(self, surface: str) -> bool:
        """True when every word of a form is a team country or organisation name, a term
        word, a modifier or a function word: "US Secretary of State", "UN Envoy"."""
        words = surface.split()
        i = 0
        remaining = []
        while i < len(words):
            for size in range(min(5, len(words) - i), 0, -1):
                chunk = " ".join(words[i : i + size])
                if chunk in self._team_forms:
                    i += size
                    break
            else:
                remaining.append(words[i])
                i += 1
        return all(
            w.lower() in self._term_words
            or w.lower() in self.team.modifiers
            or w.lower() in _LOWER_WORDS
            or w.lower().rstrip("s") in self._term_words
            for w in remaining
        )

    # ----- kinds -----------------------------------------------------------------------
    def classify(self, entry: Entry, restrictions: list[Restriction]) -> str:
        """``person``, ``organization`` or ``group`` for a non-state entry."""
        main = self._main_code(restrictions)
        parts = self.split_code(main.code) if main is not None else None
        armed = parts is not None and (
            parts.prefix == "IMG" or parts.sector in ("REB", "UAF", "INS")
        )
        if entry.file == ACTOR_FILES[2]:
            return "group"
        words = clean_phrase(re.sub(r"\([^)]*\)", " ", entry.phrases[0][0])).lower().split()
        if any(w in ORG_WORDS or w in self._term_words for w in words) or len(words) > 5:
            return "group" if armed else "organization"
        comment = f"{entry.comment} {entry.heading}".lower()
        if (
            any(not r.default for r in restrictions)
            or "countryinfo" in comment
            or "rulers" in comment
        ):
            return "person"
        if parts is not None and parts.prefix == "MNC":
            return "organization"
        if (
            2 <= len(words) <= 4
            and all(re.fullmatch(r"[^\W\d_][\w'.\-]*", w) for w in words)
            and not any(self.english.is_common(w) for w in words if len(w) > 2)
        ):
            return "person"
        return "group" if armed else "organization"

    @staticmethod
    def _main_code(restrictions: list[Restriction]) -> Restriction | None:
        defaults = [r for r in restrictions if r.default]
        if defaults:
            return defaults[0]
        dated = sorted(restrictions, key=lambda r: (r.start or date.min, r.line))
        return dated[-1] if dated else None

    # ----- people's roles --------------------------------------------------------------
    def person_roles(self, entry: Entry, restrictions: list[Restriction]) -> list[tuple] | None:
        """Dragoman roles of a Phoenix person; None (after recording why) when none remain."""
        dated = [r for r in restrictions if not r.default]
        defaults = [r for r in restrictions if r.default]
        # a list of leaders names one office: it is the person's only plain government role
        plain = [r for r in dated if len(r.code) == 6 and r.code.endswith("GOV")]
        leader = len(plain) == 1 and any(self._code_sector(r.code) == "ELI" for r in restrictions)
        heading_title = _title_from_heading(entry.heading)
        roles: list[tuple] = []
        unmappable = []
        ends: list[date] = []
        for r in dated:
            parts = self.split_code(r.code)
            if parts is None:
                unmappable.append(r.code)
                continue
            start, end, uncertain = r.start, r.end, False
            if end is None:
                end, uncertain = self.horizon, True
                if start is not None and start >= end:
                    end = None  # begun at the horizon itself: left open, still uncertain
            elif end > self.horizon:
                uncertain = True
            if start is not None and end is not None and end < start:
                self.skip("malformed", entry.file, r.line, r.code, "role ends before it starts")
                continue
            if end is not None:
                ends.append(end)
            title = self._role_title(entry, r, parts, heading_title, leader)
            roles.append(self._role(parts, title, start, end, uncertain))
        for r in defaults[:1]:
            parts = self.split_code(r.code)
            if parts is None:
                unmappable.append(r.code)
                continue
            start = max(ends) if ends else None
            roles.append(self._role(parts, "", start, None, False))
        if not roles:
            reason = "code-not-mappable" if unmappable else "no-code"
            self.skip(reason, entry.file, entry.line, entry.phrases[0][0], " ".join(unmappable))
            return None
        dated_ends = [role[5] for role in roles[: len(roles) - (1 if defaults else 0)]]
        if dated_ends and all(end is not None and end < ERA_START for end in dated_ends):
            self.skip("outside-era", entry.file, entry.line, entry.phrases[0][0], str(max(ends)))
            return None
        return roles

    def _role(self, parts: CodeParts, title: str, start, end, uncertain) -> tuple:
        org = self._team_org_by_code.get(parts.code) if parts.country is None else None
        return (title, parts.country, parts.sector, org, start, end, uncertain, parts.code)

    def _code_sector(self, code: str) -> str | None:
        parts = self.split_code(code)
        return parts.sector if parts is not None else None

    def _role_title(
        self, entry: Entry, r: Restriction, parts: CodeParts, heading: str | None, leader: bool
    ) -> str:
        """A title only where the dictionary says which office it is: a role line's comment
        ("# President of Germany"), or the heading of a list of leaders ("# Chancellors")
        for a plain government role of a person listed with elite (ELI) periods around it."""
        if parts.country is None or parts.code != f"{parts.country}GOV":
            return ""
        if r.comment:
            match = re.match(r"^(.+?) of (.+)$", r.comment.strip())
            if match:
                titles = [t for t in self.team.lookup_term(match[1]) if t.category == "title"]
                state_names = {n.lower() for n in self._state_names.get(parts.country, [])}
                if titles and match[2].strip().lower() in state_names:
                    return titles[0].label
            return ""
        if heading and leader and entry.section == parts.country:
            return heading
        return ""

    # ----- actors ----------------------------------------------------------------------
    def convert_actors(self, entries: list[Entry]) -> None:
        """Turn parsed entries into imported actors (states first, so codes can name them)."""
        self.collect_states(entries)
        self._extra_forms: dict[str, set[tuple[str, str, str, int]]] = defaultdict(set)
        self._seen: dict[tuple, ImportedActor] = {}
        for entry in entries:
            if self._is_state_entry(entry):
                self.convert_state(entry)
                continue
            self.convert_entry(entry)

    def convert_entry(self, entry: Entry) -> None:
        first_phrase = entry.phrases[0][0]
        restrictions = [r for r in entry.restrictions if r.code != "---"]
        if not entry.restrictions:
            self.skip("no-code", entry.file, entry.line, first_phrase)
            return
        if not restrictions:
            self.skip("null-code", entry.file, entry.line, first_phrase)
            return
        kind = self.classify(entry, restrictions)
        roles: list[tuple] = []
        if kind == "person":
            found = self.person_roles(entry, restrictions)
            if found is None:
                return
            roles = found
            latest = max(roles, key=lambda r: (r[4] or date.min, r[5] is None))
            code, country, sector = latest[7], latest[1], latest[2]
        else:
            main = self._main_code(restrictions)
            parts = self.split_code(main.code) if main is not None else None
            if parts is None:
                self.skip("code-not-mappable", entry.file, entry.line, first_phrase, main.code)
                return
            code, country, sector = parts.code, parts.country, parts.sector
            if kind == "group" and sector is None:
                sector = "REB"
        korean = kind == "person" and any(r[1] in ("KOR", "PRK") for r in roles)
        forms: list[tuple[str, str, int, str]] = []
        for phrase, line in entry.phrases:
            for surface, role in self.phrase_forms(entry, phrase, line, kind, korean):
                forms.append((surface, role, line, phrase))
        if not forms:
            return
        names = [f for f in forms if f[1] == "name"] or forms
        primary = names[0][0]
        if kind != "person" and primary not in self._team_forms and self.is_generic(primary):
            for surface, _role, line, phrase in forms:
                self.skip("generic-office", entry.file, line, phrase, surface)
            return
        duplicate = self._team_duplicate(forms, kind)
        if duplicate is not None:
            self.skip("team-duplicate", entry.file, entry.line, first_phrase, duplicate)
            if kind == "person":
                for surface, role, line, _phrase in forms:
                    if role == "name" and surface not in self._team_forms:
                        self._extra_forms[surface].add((duplicate, "name", entry.file, line))
            return
        kept: dict[str, str] = {}
        for surface, role, line, phrase in forms:
            if surface in kept:
                continue
            if surface in self._team_forms:
                self.skip("team-form", entry.file, line, phrase, surface)
            elif kind != "person" and self.is_generic(surface):
                self.skip("generic-office", entry.file, line, phrase, surface)
            elif self._is_common_single(surface):
                self.skip("common-word", entry.file, line, phrase, surface)
            else:
                kept[surface] = role
        if not kept:
            return
        name = next((s for s, r in kept.items() if r == "name"), next(iter(kept)))
        key = (kind, code, name, tuple(roles))
        if key in self._seen:
            existing = self._seen[key]
            self.skip("duplicate-entry", entry.file, entry.line, first_phrase, existing.id)
            for surface, role in kept.items():
                existing.forms.setdefault(surface, role)
            return
        actor = ImportedActor(
            self.new_id(name), kind, name, code, country, sector, entry.file, entry.line
        )
        actor.forms = kept
        actor.roles = roles
        self._seen[key] = actor
        self.actors.append(actor)

    def _team_duplicate(self, forms: list[tuple[str, str, int, str]], kind: str) -> str | None:
        """The team actor an entry repeats: one of its full names is the team's name for an
        actor of the same kind."""
        family = {"person": {"person"}, "organization": {"organization", "group"}}
        family["group"] = family["organization"]
        for surface, role, _line, _phrase in forms:
            if role != "name" or (kind == "person" and " " not in surface):
                continue
            for entry in self.team.lookup_name(surface):
                if self.team.actors[entry.actor_id].kind in family[kind]:
                    return entry.actor_id
        return None

    def _is_common_single(self, surface: str) -> bool:
        if " " in surface or "-" in surface or "." in surface:
            return False
        if surface.isupper() and len(surface) <= 6:
            return False
        return self.english.is_common(surface)

    # ----- after all entries -----------------------------------------------------------
    def finish(self) -> None:
        """Filters that need every entry: common two-word person names, forms shared by
        actors of different kinds."""
        given: Counter[str] = Counter()
        family: Counter[str] = Counter()
        for actor in self.actors:
            if actor.kind == "person":
                names = [s.split() for s, r in actor.forms.items() if r == "name"]
                given.update({words[0] for words in names if len(words) > 1})
                family.update({words[-1] for words in names if len(words) > 1})
        for actor in self.actors:
            if actor.kind != "person":
                continue
            for surface in list(actor.forms):
                words = surface.split()
                if (
                    len(words) == 2
                    and given[words[0]] >= COMMON_GIVEN_NAME
                    and family[words[1]] >= SHARED_FAMILY_NAME
                ):
                    self.skip("common-name", actor.file, actor.line, actor.name, surface)
                    del actor.forms[surface]
        owners: dict[str, list[ImportedActor]] = defaultdict(list)
        for actor in self.actors:
            for surface in actor.forms:
                owners[surface].append(actor)
        for surface, extra in self._extra_forms.items():
            if surface in owners:
                for actor in owners.pop(surface):
                    self.skip("team-form", actor.file, actor.line, actor.name, surface)
                    del actor.forms[surface]
            targets = {t[0] for t in extra}
            if len(targets) > 1:
                first = min(extra, key=lambda t: (t[2], t[3]))
                self.skip("ambiguous", first[2], first[3], surface, " ".join(sorted(targets)))
        for surface, actors in owners.items():
            if len(actors) > 1 and any(a.kind != "person" for a in actors):
                for actor in actors:
                    self.skip("ambiguous", actor.file, actor.line, actor.name, surface)
                    del actor.forms[surface]
        self.actors = [a for a in self.actors if a.forms]
        for actor in self.actors:
            if actor.name not in actor.forms:
                actor.name = next(
                    (s for s, r in actor.forms.items() if r == "name"), next(iter(actor.forms))
                )

    def name_rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for actor in self.actors:
            for surface, role in actor.forms.items():
                rows.append((surface, actor.id, role))
        for surface, extra in self._extra_forms.items():
            targets = {t[0] for t in extra}
            if len(targets) == 1:
                rows.append((surface, targets.pop(), "name"))
        return sorted(set(rows))


def _title_from_heading(heading: str) -> str | None:
    for pattern, title in _HEADING_TITLES:
        if pattern.search(heading):
            return title
    return None


def _contains_words(surface: str, name: str) -> bool:
    return f" {name} " in f" {surface} "


# ----- agents ------------------------------------------------------------------------------
#: Phoenix agent codes whose Dragoman reading differs: Phoenix's generic "people" (PPL) are
#: civilians in the team's conventions.
AGENT_SECTOR_MAP = {"PPL": "CVL"}
#: Crowd words Phoenix codes as opposition; the team codes crowds CVL and keeps OPP for
#: organised political opposition (generic.yaml), so these follow the team.
CROWD_HEADS = frozenset(
    ["demonstrator", "protester", "protestor", "rioter", "picketer", "marcher", "mob"]
)
#: Heads of agent phrases that name things, places or abstractions, not people or bodies.
NOT_PEOPLE_HEADS = frozenset(
    [
        "aerospace",
        "airline",
        "airway",
        "airliner",
        "jet",
        "jetliner",
        "jumbojet",
        "ship",
        "vessel",
        "freighter",
        "tanker",
        "supertanker",
        "containership",
        "oiler",
        "carrier",
        "cruiser",
        "destroyer",
        "frigate",
        "corvette",
        "battleship",
        "battlewagon",
        "submarine",
        "boat",
        "warship",
        "plane",
        "aircraft",
        "helicopter",
        "gunship",
        "drone",
        "missile",
        "bomb",
        "gun",
        "vehicle",
        "humvee",
        "hmmwv",
        "tank",
        "artillery",
        "system",
        "craft",
        "fighter",
        "bomber",
        "trainer",
        "position",
        "facility",
        "base",
        "barracks",
        "post",
        "prison",
        "jail",
        "house",
        "school",
        "schoolhouse",
        "college",
        "university",
        "kindergarten",
        "kindergarden",
        "preschool",
        "conservatory",
        "hospital",
        "infirmary",
        "sanatorium",
        "sanatarium",
        "sanitarium",
        "clinic",
        "building",
        "monastery",
        "monastary",
        "diocese",
        "archdiocese",
        "church",
        "village",
        "town",
        "settlement",
        "neighborhood",
        "neighbourhood",
        "district",
        "community",
        "chancery",
        "industry",
        "business",
        "sector",
        "economy",
        "enterprise",
        "machine",
        "presence",
        "operation",
        "activity",
        "information",
        "intelligence",
        "check",
        "rule",
        "religion",
        "revolt",
        "rebellion",
        "uprising",
        "insurgency",
        "insurgence",
        "governance",
        "polity",
        "kingdom",
        "authority",
        "regime",
        "cabinet",
        "media",
        "press",
        "television",
        "tv",
        "website",
        "blog",
        "gazette",
        "magazine",
        "newspaper",
        "tabloid",
        "publication",
        "telecom",
        "echelon",
        "phalanx",
        "kfir",
        "mig",
        "b-52",
        "f-16",
        "su-24",
        "su-30mk",
        "f/a-18",
        "mirage-2000",
        "raptor",
        "osprey",
        "hornet",
        "typhoon",
        "falcon",
        "apache",
        "chinook",
        "orion",
        "poseidon",
        "reaper",
        "predator",
        "tomahawk",
        "tomcat",
        "nighthawk",
        "dragonfly",
        "hind",
        "1st_lt.",
        "retired",
        "naval",
        "semi-official",
        "state-owned",
        "military_led",
        "led",
        "islamic",
        "jewish",
        "christian",
        "muslim",
        "moslem",
        "hindu",
        "buddhist",
        "hebrew",
        "sunni",
        "anglican",
        "maronite",
        "unitarian",
        "islamist",
        "national",
        "actor",
        "doc",
    ]
)
#: Labels for sectors the team's roles do not use.
SECTOR_LABELS = {
    "AGR": "farmers",
    "EDU": "educators",
    "ELI": "elites",
    "ENV": "environmentalists",
    "LAB": "workers",
    "UAF": "armed men",
    "RAD": "radicals",
    "PTY": "party members",
    "DEV": "development workers",
    "MUS": "Muslims",
    "CHR": "Christians",
    "JEW": "Jews",
    "BUD": "Buddhists",
    "HIN": "Hindus",
}


@dataclass(frozen=True)
class Agent:
    """One expanded agent phrase (lower case) with its sector."""

    phrase: str
    sector: str
    line: int
    source: str


_PREPOSITIONS = frozenset(["of", "for", "to", "in", "at", "on", "with", "along", "from"])


def _head_index(words: list[str]) -> int:
    """Index of the head noun of a phrase: the word before its first preposition ("chamber
    of commerce"), else the last word."""
    for i, word in enumerate(words[1:], start=1):
        if word in _PREPOSITIONS:
            return i - 1
    return len(words) - 1


def _singular(word: str) -> str:
    if word.endswith("men"):
        return word[:-3] + "man"
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _plural(word: str) -> str:
    lower = word.lower()
    if lower.endswith("man") and not lower.endswith("human"):
        return word[:-3] + ("men" if word.islower() else "MEN")
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    if lower.endswith(("ss", "ch", "sh", "x")):
        return word + "es"
    return word + "s"


def parse_agent_lines(lines: Iterable[str], file: str) -> tuple[list[Agent], list[Skip]]:
    """Expand the agents dictionary into lower-case phrases with their code.

    ``PHRASE {plural} [~CODE]``: regular plurals are formed unless ``{}`` is given,
    ``{FORM}`` gives an irregular one; ``!SET!`` markers expand to each member of the set
    (without further plurals); ``[CODE~]`` codes are prefixes (kept as ``CODE~``).
    """
    sets: dict[str, list[str]] = {}
    agents: list[Agent] = []
    skips: list[Skip] = []
    for number, raw in enumerate(lines, start=1):
        body, _comment = _split_comment(raw.rstrip("\n"))
        text = body.strip()
        if not text or text.startswith("<!--"):
            continue
        if match := re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", text):
            sets[match[1]] = [w.strip() for w in match[2].split(",") if w.strip()]
            continue
        match = re.match(r"^(.*?)\s*(\{[^}]*\})?\s*\[([^\]}]*)[\]}]\s*$", text)
        if not match:
            reason = "no-code" if "[" not in text else "malformed"
            skips.append(Skip(reason, file, number, text))
            continue
        phrase, plural, code = match[1].strip(), match[2], match[3].strip()
        if not phrase or not re.fullmatch(r"~?[A-Z]{3,}~?", code):
            skips.append(Skip("malformed", file, number, text, "code"))
            continue
        variants = [phrase]
        for marker, members in sets.items():
            if marker in phrase:
                variants = [v.replace(marker, m) for v in variants for m in members]
        expanded_by_set = variants != [phrase]
        for variant in variants:
            stop = variant.endswith("_")
            words = clean_phrase(variant).lower()
            if (
                not words
                or "!" in words
                or "\ufffd" in words
                or not re.fullmatch(r"[a-z0-9 .'/\-]+", words)
            ):
                skips.append(Skip("malformed", file, number, text, "phrase"))
                continue
            forms = [words]
            if plural is not None:
                inner = clean_phrase(plural[1:-1]).lower()
                if inner:
                    forms.append(inner)
            elif not expanded_by_set and not stop:
                split = words.split()
                at = _head_index(split)
                if split[at].isalpha() and not split[at].endswith(("s", "men", "ren")):
                    split[at] = _plural(split[at])
                    forms.append(" ".join(split))
            for form in forms:
                agents.append(Agent(form, code, number, text))
    return agents, skips


class AgentConverter:
    """Chooses which Phoenix agents become Dragoman role terms."""

    def __init__(self, team: KnowledgeBase, english: EnglishWords) -> None:
        self.team = team
        self.english = english
        self.skips: list[Skip] = []
        self.terms: dict[str, tuple[str, str, int]] = {}
        # one-word team terms: a phrase headed by one is read by the recogniser already
        self._team_heads = frozenset(
            t
            for t, readings in team.terms.items()
            if " " not in t and any(r.category in ("title", "role", "body") for r in readings)
        )
        # a sector's label: the team role of that sector with the most phrasings
        counts: Counter[tuple[str, str]] = Counter()
        for readings in team.terms.values():
            for term in readings:
                if term.category == "role" and term.sector and term.country is None:
                    counts[(term.sector, term.label)] += 1
        self._labels: dict[str, str] = {}
        for (sector, label), _count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            self._labels.setdefault(sector, label)

    def convert(self, agents: list[Agent], file: str) -> None:
        for agent in agents:
            reason = self._reason(agent)
            if reason is not None:
                self.skips.append(Skip(reason, file, agent.line, agent.source, agent.phrase))
                continue
            sector = self._sector(agent)
            label = self._labels.get(sector) or SECTOR_LABELS.get(sector, sector.lower())
            self.terms.setdefault(agent.phrase, (label, sector, agent.line))

    def _reason(self, agent: Agent) -> str | None:
        if agent.sector.endswith("~"):
            return "agent-prefix-code"
        phrase = agent.phrase
        if phrase in self.team.terms:
            return "agent-team-term"
        words = phrase.split()
        head = words[_head_index(words)]
        singular = _singular(head)
        if head in NOT_PEOPLE_HEADS or singular in NOT_PEOPLE_HEADS:
            return "agent-not-people"
        if any(h in self._team_heads for h in (head, singular, _plural(singular))):
            return "agent-compositional"
        if "minist" in phrase or words[0] == "the":
            return "agent-compositional"
        if not head.isalpha() or (
            not self.english.is_common(head)
            and any(self.english.is_common(head + end) for end in ("y", "ies", "er", "ry"))
        ):
            return "malformed"  # an abbreviation, a model number or a stem ("industr")
        if (
            " " not in phrase
            and self.english.is_common(phrase)
            and not _is_person_noun(phrase)
            and singular not in CROWD_HEADS
        ):
            return "agent-not-people"
        if self._sector(agent) is None:
            return "agent-no-sector"
        return None

    @staticmethod
    def _sector(agent: Agent) -> str | None:
        code = agent.sector.lstrip("~")[:3]
        words = agent.phrase.split()
        singular = _singular(words[_head_index(words)])
        if code == "OPP" and singular in CROWD_HEADS:
            return "CVL"
        code = AGENT_SECTOR_MAP.get(code, code)
        return code if code in SECTORS or code in SECTOR_LABELS else None


def _is_person_noun(word: str) -> bool:
    """Nouns for people by their ending ("farmer", "activist", "villager", "gunmen")."""
    return word.endswith(
        (
            "er",
            "ers",
            "or",
            "ors",
            "ist",
            "ists",
            "ian",
            "ians",
            "ant",
            "ants",
            "ent",
            "ents",
            "man",
            "men",
            "ee",
            "ees",
            "eer",
            "eers",
            "ard",
            "ards",
            "ive",
            "ives",
            "ic",
            "ics",
            "ite",
            "ites",
            "ar",
            "ars",
            "ple",
            "sons",
            "son",
            "ren",
            "ild",
        )
    )


# ----- writing -----------------------------------------------------------------------------
ACTOR_COLUMNS = ("id", "kind", "name", "code", "country", "sector", "source")
NAME_COLUMNS = ("surface", "actor", "role")
ROLE_COLUMNS = ("actor", "title", "country", "sector", "org", "start", "end", "uncertain", "code")
TERM_COLUMNS = ("phrase", "label", "sector", "source")
SKIP_COLUMNS = ("reason", "file", "line", "text", "detail")

_HEADERS = {
    "actors.tsv": (
        "Actors imported from the Phoenix dictionaries (see PROVENANCE.md), one per row.",
        "id: px:<slug> (a state: its ISO alpha-3 code); kind: state, organization, group or",
        "person; code: CAMEO-style code with ISO country codes; country: ISO alpha-3 or empty;",
        "sector: CAMEO agent code or empty; source: Phoenix file:line of the entry.",
    ),
    "names.tsv": (
        "Case-sensitive surface forms of imported actors (and extra forms of team actors).",
        "role: name (a full name) or short (one word naming the person on its own).",
        "A form the team's YAML files use is never here: the team's reading wins.",
    ),
    "roles.tsv": (
        "Dated roles of imported people. title: a title label of generic.yaml, or empty when",
        "the dictionary does not say which office; start, end: ISO dates (end exclusive,",
        "empty = open); uncertain: 1 when the end was set at the dictionaries' horizon;",
        "code: the role's CAMEO code; org: id of the organisation the role is in, if known.",
    ),
    "terms.tsv": (
        "Role terms (lower case) from the Phoenix agents dictionary, loaded after generic.yaml",
        "and only where it has no reading: a common noun for people with its sector.",
    ),
    "skipped.tsv": (
        "What the import left out, one line per Phoenix line, form or agent, with the reason",
        "(see REPORT.md for the reasons and their counts).",
    ),
}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    text = str(value)
    if "\t" in text or "\n" in text:
        raise ValueError(f"value {text!r} holds a tab or line break")
    return text


def write_tsv(path: Path, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    lines = [f"# {line}" for line in _HEADERS[path.name]]
    lines.append("\t".join(columns))
    count = 0
    for row in rows:
        lines.append("\t".join(_cell(v) for v in row))
        count += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


@dataclass
class ConversionResult:
    """What one conversion produced, for the report and the command line."""

    entries: Counter[str] = field(default_factory=Counter)
    written: dict[str, int] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    titled_roles: int = 0
    horizon: date | None = None


def convert(
    source: Path,
    out: Path,
    team_dir: Path | None = None,
    english: EnglishWords | None = None,
) -> ConversionResult:
    """Convert the Phoenix files in ``source`` into Dragoman's files in ``out``."""
    source, out = Path(source), Path(out)
    missing = [n for n in (*ACTOR_FILES, AGENT_FILE) if not (source / n).is_file()]
    if missing:
        raise FileNotFoundError(f"{source}: missing {', '.join(missing)}")
    team = KnowledgeBase.load(team_dir, imported=False)
    english = english or EnglishWords.from_model()
    result = ConversionResult()
    converter = Converter(team, english)
    entries: list[Entry] = []
    for name in ACTOR_FILES:
        parsed, skips = parse_actor_lines(_read_lines(source / name), name)
        result.entries[name] = len(parsed)
        entries.extend(parsed)
        converter.skips.extend(skips)
    converter.horizon = _horizon(entries)
    result.horizon = converter.horizon
    converter.convert_actors(entries)
    converter.finish()
    agents, agent_skips = parse_agent_lines(_read_lines(source / AGENT_FILE), AGENT_FILE)
    result.entries[AGENT_FILE] = len({a.line for a in agents} | {s.line for s in agent_skips})
    agent_converter = AgentConverter(team, english)
    agent_converter.skips.extend(agent_skips)
    agent_converter.convert(agents, AGENT_FILE)

    out.mkdir(parents=True, exist_ok=True)
    actors = sorted(converter.actors, key=lambda a: a.id)
    result.written["actors.tsv"] = write_tsv(
        out / "actors.tsv",
        ACTOR_COLUMNS,
        ((a.id, a.kind, a.name, a.code, a.country, a.sector, f"{a.file}:{a.line}") for a in actors),
    )
    result.kinds.update(a.kind for a in actors)
    result.written["names.tsv"] = write_tsv(out / "names.tsv", NAME_COLUMNS, converter.name_rows())
    role_rows = sorted({(a.id, *(_role_cells(role))) for a in actors for role in a.roles})
    result.titled_roles = sum(1 for row in role_rows if row[1])
    result.written["roles.tsv"] = write_tsv(out / "roles.tsv", ROLE_COLUMNS, role_rows)
    result.written["terms.tsv"] = write_tsv(
        out / "terms.tsv",
        TERM_COLUMNS,
        (
            (phrase, label, sector, f"{AGENT_FILE}:{line}")
            for phrase, (label, sector, line) in sorted(agent_converter.terms.items())
        ),
    )
    skips = sorted(
        set(converter.skips + agent_converter.skips),
        key=lambda s: (s.file, s.line, s.reason, s.text, s.detail),
    )
    result.skipped.update(s.reason for s in skips)
    result.written["skipped.tsv"] = write_tsv(
        out / "skipped.tsv",
        SKIP_COLUMNS,
        ((s.reason, s.file, s.line, s.text, s.detail) for s in skips),
    )
    license_text = (
        (source / "LICENSE").read_text(encoding="utf-8") if (source / "LICENSE").is_file() else ""
    )
    (out / "LICENSE-petrarch2.txt").write_text(license_text or MIT_NOTICE, encoding="utf-8")
    (out / "REPORT.md").write_text(_report(result, skips), encoding="utf-8")
    (out / "PROVENANCE.md").write_text(_provenance(result), encoding="utf-8")
    return result


def _role_cells(role: tuple) -> tuple:
    title, country, sector, org, start, end, uncertain, code = role
    return (
        title,
        country or "",
        sector or "",
        org or "",
        start.isoformat() if start else "",
        end.isoformat() if end else "",
        "1" if uncertain else "",
        code,
    )


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def _horizon(entries: list[Entry]) -> date:
    """The latest date the dictionaries mention, up to :data:`HORIZON_LIMIT`."""
    dates = [
        d
        for e in entries
        for r in e.restrictions
        for d in (r.start, r.end)
        if d is not None and d <= HORIZON_LIMIT
    ]
    return max(dates) if dates else HORIZON_LIMIT


MIT_NOTICE = "MIT License, Copyright (c) 2014 Open Event Data (text not found beside the source)\n"


def _report(result: ConversionResult, skips: list[Skip]) -> str:
    lines = [
        "# Phoenix import: conversion report",
        "",
        "Written by `python -m dragoman.knowledge actors`; regenerated, not edited by hand.",
        "",
        "## Read",
        "",
        "| file | entries |",
        "|---|---:|",
    ]
    for name, count in result.entries.items():
        lines.append(f"| {name} | {count} |")
    lines += ["", "## Written", "", "| file | rows |", "|---|---:|"]
    for name, count in result.written.items():
        lines.append(f"| {name} | {count} |")
    lines += [
        "",
        "Imported actors by kind: "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(result.kinds.items()))
        + f"; roles with a title: {result.titled_roles}.",
        "",
    ]
    if result.horizon:
        lines.append(
            f"Open-ended roles are closed at {result.horizon.isoformat()}, the latest date the "
            "dictionaries mention, and marked uncertain."
        )
        lines.append("")
    lines += [
        "## Left out, by reason",
        "",
        "| reason | what | count | example |",
        "|---|---|---:|---|",
    ]
    examples: dict[str, Skip] = {}
    for skip in skips:
        examples.setdefault(skip.reason, skip)
    for reason, text in REASONS.items():
        count = result.skipped.get(reason, 0)
        if not count:
            continue
        example = examples[reason]
        shown = example.detail or example.text
        lines.append(
            f"| {reason} | {text} | {count} | `{example.text[:40]}` ({example.file}:"
            f"{example.line}){' -> ' + shown[:40] if example.detail else ''} |"
        )
    lines += ["", "Every skipped line or form is listed in `skipped.tsv`.", ""]
    return "\n".join(lines)


def _provenance(result: ConversionResult) -> str:
    return f"""# Provenance of the imported actor knowledge

Source: the Phoenix actor and agent dictionaries of PETRARCH2, repository
{SOURCE_REPOSITORY}, folder `{SOURCE_FOLDER}/`, commit {SOURCE_COMMIT}:
{", ".join(f"`{n}`" for n in (*ACTOR_FILES, AGENT_FILE))}.
Licence: MIT, Copyright (c) 2014 Open Event Data; the licence text is in
`LICENSE-petrarch2.txt` beside this file and must accompany any copy of these files.

Converted by `python -m dragoman.knowledge actors` (module
`dragoman.knowledge.petrarch_actors`), which reads the Phoenix files, the team's YAML
files in `dragoman/data/actors/` and the English word tables of the installed spaCy model
(to recognise common words), and writes:

- `actors.tsv`, `names.tsv`, `roles.tsv`: the actors, their case-sensitive surface forms
  and people's dated roles, loaded by `KnowledgeBase.load()` after the team's files;
- `terms.tsv`: role terms from the agents dictionary, loaded after `generic.yaml`;
- `skipped.tsv` and `REPORT.md`: what was left out and why.

How: Phoenix phrases (upper case, words joined by underscores) are cased for English text
(Title Case; particles such as "of", "bin", "al" in lower case; acronyms kept upper case:
dotted forms, forms without vowels, forms the entry declares in parentheses or spells as
its initials, forms the team writes in capitals). CAMEO codes are split into country (ISO
alpha-3; the old CAMEO codes TMP, ROM, ZAR, KSV and BAH mapped to TLS, ROU, COD, XKX, BHS;
codes of dissolved or fictional states left out) and sector (the first CAMEO agent code in
it); the full code is kept. Date restrictions become roles (two-digit years 00-30 are 20YY,
else 19YY); an undated code is the role that applies after the dated ones; open-ended
roles are closed at {result.horizon.isoformat() if result.horizon else "the horizon"}.
Titles (President, Prime Minister ...) are given only where
the dictionary says which office a role is: a role line's comment naming the office and
the state, or the heading of a list of leaders for a person with elite (ELI) periods
around the office. Agents become role terms with their singular and plural forms.

The team's entries take precedence: forms, actors and terms the team already has are not
imported; see `REPORT.md` for every other class of entry left out.
"""


# ----- command line ------------------------------------------------------------------------
def run(source: Path, out: Path | None = None) -> list[str]:
    """The ``actors`` converter of ``python -m dragoman.knowledge``: one summary line each
    for what was written and what was left out."""
    result = convert(Path(source), Path(out) if out is not None else DEFAULT_OUT)
    lines = [f"{name}: {count} rows" for name, count in result.written.items()]
    lines.append("left out: " + ", ".join(f"{r} {c}" for r, c in sorted(result.skipped.items())))
    return lines
