"""spaCy's attribute ruler, with the same rules and the same results, for less time.

The English pipelines map each fine-grained tag to its part of speech and morphology, and
fix the lemmas of some words, with an :class:`~spacy.pipeline.AttributeRuler`: about 180
rules, each a pattern of one or two tokens over the tag, the lower-case form and the
dependency label. spaCy runs them through its general ``Matcher``, which costs about as
much as the tagger and the parser together. Yet the outcome for a token depends only on
its (tag, form, label, is-space) and, for the few two-token rules, its neighbour's; a news
vocabulary holds a few thousand such combinations.

:class:`CompiledAttributeRuler` works out, once per combination, which rules match, and
applies them in the ruler's own order (rules added later win) with spaCy's own setter, so
every token gets exactly the attributes the ruler gives it (``tests/test_attribute_rules``
compares both on whole articles). Rules of a shape it does not know (operators, other
attributes or predicates) leave the ruler as spaCy made it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: What a rule's token pattern may test, in the order of a token's features.
_FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")
#: Combinations remembered per process; past it the table starts again (a news vocabulary
#: stays far below it).
CACHE_SIZE = 200_000

Features = tuple[str, str, str, bool]
Test = Callable[[Features], bool]


class UnknownRule(ValueError):
    """A pattern this module cannot compile (the ruler is then left as spaCy made it)."""


def _value_test(position: int, wanted: Any) -> Test:
    if isinstance(wanted, bool | str):
        return lambda features: features[position] == wanted
    if isinstance(wanted, dict) and len(wanted) == 1:
        (kind, values), = wanted.items()
        if kind == "IN":
            allowed = frozenset(values)
            return lambda features: features[position] in allowed
        if kind == "NOT_IN":
            refused = frozenset(values)
            return lambda features: features[position] not in refused
        if kind == "REGEX":
            search = re.compile(values).search
            return lambda features: bool(search(features[position]))
    raise UnknownRule(f"unknown value test {wanted!r}")


def _token_test(pattern: dict[str, Any]) -> Test:
    tests = []
    for key, wanted in pattern.items():
        if key not in _FEATURES:
            raise UnknownRule(f"unknown attribute {key!r}")
        if key == "IS_SPACE" and not isinstance(wanted, bool):
            raise UnknownRule(f"unknown value test {wanted!r}")
        tests.append(_value_test(_FEATURES.index(key), wanted))
    if len(tests) == 1:
        return tests[0]
    return lambda features: all(test(features) for test in tests)


def _anchors(pattern: dict[str, Any]) -> list[tuple[int, Any]] | None:
    """The (feature, value) pairs of which a token matching ``pattern`` must have one:
    the values of its most selective exact or ``IN`` test (None: no such test)."""
    for key in ("LOWER", "TAG", "DEP", "IS_SPACE"):
        wanted = pattern.get(key)
        position = _FEATURES.index(key)
        if isinstance(wanted, str | bool):
            return [(position, wanted)]
        if isinstance(wanted, dict) and set(wanted) == {"IN"}:
            return [(position, value) for value in wanted["IN"]]
    return None


class _Rules:
    """A ruler's patterns, compiled: rule number, token tests, which token it sets."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.count = len(ruler.attrs)
        self.attrs = list(ruler.attrs)
        self.single: list[tuple[int, Test]] = []
        #: One-token rules by the (feature, value) a matching token must have...
        self.anchored: dict[tuple[int, Any], list[tuple[int, Test]]] = {}
        #: ...and those that name no such value.
        self.unanchored: list[tuple[int, Test]] = []
        self.multi: list[tuple[int, list[Test], int]] = []
        for number, rule in enumerate(ruler.patterns):
            index = rule.get("index", 0)
            for pattern in rule["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    raise UnknownRule(f"unknown pattern {pattern!r}")
                tests = [_token_test(token) for token in pattern]
                if len(tests) == 1:
                    if index not in (0, -1):
                        raise UnknownRule(f"index {index} out of a one-token pattern")
                    self.single.append((number, tests[0]))
                    anchors = _anchors(pattern[0])
                    if anchors is None:
                        self.unanchored.append((number, tests[0]))
                    for anchor in anchors or ():
                        self.anchored.setdefault(anchor, []).append((number, tests[0]))
                else:
                    if not -len(tests) <= index < len(tests):
                        raise UnknownRule(f"index {index} out of a {len(tests)}-token pattern")
                    self.multi.append((number, tests, index % len(tests)))
        self._cache: dict[Features, tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def first(self, features: Features) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The one-token rules that match a token, and the longer rules its token opens."""
        known = self._cache.get(features)
        if known is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            candidates = list(self.unanchored)
            for anchor in enumerate(features):
                candidates.extend(self.anchored.get(anchor, ()))
            known = (
                tuple(sorted({number for number, test in candidates if test(features)})),
                tuple(k for k, (_, tests, _) in enumerate(self.multi) if tests[0](features)),
            )
            self._cache[features] = known
        return known

    def matches(self, features: Sequence[Features]) -> list[list[int]]:
        """For each token, the numbers of the rules that set its attributes."""
        hits: list[list[int]] = [[] for _ in features]
        for i, token in enumerate(features):
            single, opened = self.first(token)
            if single:
                hits[i].extend(single)
            for k in opened:
                number, tests, index = self.multi[k]
                end = i + len(tests)
                if end <= len(features) and all(
                    test(features[j]) for j, test in zip(range(i + 1, end), tests[1:])
                ):
                    hits[i + index].append(number)
        return hits


class CompiledAttributeRuler(AttributeRuler):
    """An :class:`AttributeRuler` that matches its rules from a table of token features
    instead of spaCy's ``Matcher``; same rules, same results. Rules added later are
    compiled on the next document."""

    _rules: _Rules | None = None

    def __call__(self, doc: Doc) -> Doc:
        rules = self._compiled()
        if rules is None:
            return super().__call__(doc)
        features = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        for token, numbers in zip(doc, rules.matches(features), strict=True):
            if numbers:
                # rules in the ruler's order: a later rule's attributes win, as in spaCy
                for number in sorted(set(numbers)):
                    set_token_attrs(token, rules.attrs[number])
        return doc

    def _compiled(self) -> _Rules | None:
        rules = self._rules
        if rules is None or rules.count != len(self.attrs):
            try:
                rules = _Rules(self)
            except UnknownRule:
                rules = None
            self._rules = rules
        return rules


def compile_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Make the attribute ruler ``name`` of ``nlp`` a :class:`CompiledAttributeRuler`
    when its rules can be compiled; True when it was."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    if type(ruler) is not AttributeRuler:
        return isinstance(ruler, CompiledAttributeRuler)
    try:
        _Rules(ruler)
    except UnknownRule:
        return False
    ruler.__class__ = CompiledAttributeRuler
    return True
