"""Property-based fuzzing: whatever text comes in, nothing escapes and every offset holds.

Texts are generated outright and made by mutating the bundled samples: inserted unicode,
control characters, bidirectional overrides, NUL bytes, very long tokens, case changes,
truncation, repeated and deleted stretches. For the readers, the metadata and boilerplate
parser, the text normaliser, the time tagger, the actor recogniser and the whole pipeline
(coder included) the properties are the same: no exception escapes other than the
documented one-line errors, every span lies inside the text, and every span's text is
the text at its offsets.

The runs are derandomized (the same cases every run) and sized to stay within a few
minutes on two cores; together they generate more than :data:`LEAST_CASES` cases.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dragoman.ingest import IngestError, make_article, read_stream
from dragoman.ingest.checks import first_forbidden, id_problem, text_problem
from dragoman.ingest.metadata import read_text_metadata
from dragoman.ingest.normalize import MAX_RUN, analysis_text
from dragoman.records import Annotations

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
#: Generated cases the whole file must reach (the issue's floor for a run of the suite).
LEAST_CASES = 10_000
CASES: Counter[str] = Counter()


def _sample_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    for line in (SAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts.append(record["text"])
    return texts


SAMPLE_TEXTS = _sample_texts()

# -- what is inserted ------------------------------------------------------------------

CONTROLS = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F]]
ODD_SPACES = ["\u00a0", "\u2009", "\u200b", "\u2028", "\u2029", "\u3000", "\ufeff", "\u0085"]
WORDS = ["Moscow", "Hamas", "Iran", "Tuesday", "May 5", "2024", "(Reuters) -", "said", "'s"]
#: Any character but a lone surrogate (which no decoded text can hold).
ANY_CHAR = st.characters(exclude_categories=("Cs",))


@st.composite
def _insertion(draw) -> str:
    kind = draw(st.sampled_from(["unicode", "control", "bidi", "nul", "space", "long", "word"]))
    if kind == "unicode":
        return draw(st.text(ANY_CHAR, min_size=1, max_size=8))
    if kind == "control":
        return draw(st.sampled_from(CONTROLS))
    if kind == "bidi":
        return draw(st.sampled_from(BIDI))
    if kind == "nul":
        return "\x00" * draw(st.integers(1, 3))
    if kind == "space":
        return draw(st.sampled_from(ODD_SPACES))
    if kind == "long":
        unit = draw(st.sampled_from(["x", "(", "'s", "ab-", "9", "\u0645"]))
        return unit * draw(st.integers(MAX_RUN // 2, 3 * MAX_RUN))
    return f" {draw(st.sampled_from(WORDS))} "


@st.composite
def mutated(draw, max_size: int = 900, clean: bool = False) -> str:
    """A sample text (a window of it at most ``max_size`` long) with a few mutations.

    ``clean``: only mutations an article may hold (no control or bidi characters).
    """
    base = draw(st.sampled_from(SAMPLE_TEXTS))
    start = draw(st.integers(0, max(0, len(base) - 1)))
    text = base[start : start + max_size] if draw(st.booleans()) else base[:max_size]
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["insert", "case", "truncate", "repeat", "delete"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 200)))
        if kind == "insert":
            text = text[:i] + draw(_insertion()) + text[i:]
        elif kind == "case":
            change = draw(st.sampled_from([str.upper, str.lower, str.swapcase, str.title]))
            text = text[:i] + change(text[i:j]) + text[j:]
        elif kind == "truncate":
            text = text[:i]
        elif kind == "repeat":
            text = text[:j] + text[i:j] * draw(st.integers(1, 4)) + text[j:]
        else:
            text = text[:i] + text[j:]
    if clean:
        text = "".join(c for c in text if c not in CONTROLS or c in "\t\n\r\x0b\x0c")
        text = "".join(c for c in text if c not in BIDI)
    return text[: 4 * max_size]


#: Generated text: plain, or built from sample words, separators and odd characters.
generated = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.lists(
        st.one_of(
            st.sampled_from(WORDS), st.sampled_from(["\n", "\n\n", ". ", ", ", " "]), _insertion()
        ),
        max_size=40,
    ).map("".join),
)
texts = st.one_of(mutated(), generated)


def _fuzz(examples: int, **extra):
    """Settings of one property: derandomized, no deadline, ``examples`` cases."""
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        **extra,
    )


def _span_holds(text: str, start: int, end: int, expected: str | None = None) -> None:
    assert 0 <= start <= end <= len(text), (start, end, len(text))
    if expected is not None:
        assert text[start:end] == expected, (start, end, text[start:end], expected)


#: An error a reader did not foresee, which the batch's guard turned into a message.
_UNFORESEEN = re.compile(r"cannot read: [A-Za-z_]*(Error|Exception|Warning)\b")


def _check_items(items: list) -> None:
    for item in items:
        if isinstance(item, IngestError):
            assert "\n" not in str(item) and "\r" not in str(item), str(item)
            assert not _UNFORESEEN.search(item.message), item.message
            continue
        assert id_problem(item.id) is None, item.id
        assert first_forbidden(item.text) is None
        for start, end in item.boilerplate:
            _span_holds(item.text, start, end)
        if item.title_span is not None:
            _span_holds(item.text, *item.title_span)


# -- the readers -----------------------------------------------------------------------


@_fuzz(1500)
@given(texts)
def test_a_plain_text_stream_is_an_article_or_one_line_errors(text: str) -> None:
    CASES["read text"] += 1
    items = list(read_stream(io.BytesIO(text.encode("utf-8", "surrogatepass"))))
    _check_items(items)
    if first_forbidden(text) is not None:
        # A text holding a refused character is never read as it is.
        assert all(isinstance(i, IngestError) or i.text != text for i in items)


_JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), texts, st.text(ANY_CHAR, max_size=20)
)
_JSON = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_RECORD = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(ANY_CHAR, max_size=30), st.integers(), _JSON),
        "text": st.one_of(texts, _JSON),
        "published": st.one_of(st.dates().map(date.isoformat), st.text(max_size=30), _JSON_SCALARS),
        "title": st.one_of(st.text(ANY_CHAR, max_size=60), _JSON_SCALARS),
        "url": st.one_of(st.just("javascript:alert(4)"), st.text(ANY_CHAR, max_size=40)),
        "source": _JSON_SCALARS,
    },
)


@st.composite
def jsonl_lines(draw) -> bytes:
    """JSONL with records of any shape, and lines broken in the ways files break."""
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        line = json.dumps(draw(_RECORD), ensure_ascii=draw(st.booleans()))
        damage = draw(st.sampled_from(["none", "none", "none", "cut", "nest", "dup", "raw"]))
        if damage == "cut":
            line = line[: draw(st.integers(0, len(line)))]
        elif damage == "nest":
            depth = draw(st.integers(10, 3000))
            line = '{"id": "n", "text": "x", "a": ' + "[" * depth + "]" * depth + "}"
        elif damage == "dup":
            line = '{"id": "d", "text": "a", "text": "b"}'
        elif damage == "raw":
            line = (
                line[:-1] + ', "z": "' + draw(_insertion()) + '"}' if line.endswith("}") else line
            )
        lines.append(line)
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    packing = draw(st.sampled_from(["plain", "plain", "gzip", "bz2", "utf16", "crlf"]))
    if packing == "gzip":
        return gzip.compress(data)
    if packing == "bz2":
        return bz2.compress(data)
    if packing == "utf16":
        return data.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass")
    if packing == "crlf":
        return data.replace(b"\n", b"\r\n")
    return data


@_fuzz(1500)
@given(jsonl_lines())
def test_jsonl_of_any_shape_gives_articles_or_one_line_errors(data: bytes) -> None:
    CASES["read jsonl"] += 1
    _check_items(list(read_stream(io.BytesIO(data))))


@_fuzz(1200)
@given(st.binary(max_size=600))
def test_any_bytes_are_read_or_refused_on_one_line(data: bytes) -> None:
    CASES["read bytes"] += 1
    _check_items(list(read_stream(io.BytesIO(data))))


# -- metadata, boilerplate, the checks, the normaliser ---------------------------------


@_fuzz(2500)
@given(texts)
def test_metadata_and_boilerplate_spans_lie_in_the_text(text: str) -> None:
    CASES["metadata"] += 1
    meta = read_text_metadata(text)
    assert meta.boilerplate == sorted(meta.boilerplate)
    for start, end in meta.boilerplate:
        _span_holds(text, start, end)
    if meta.title_span is not None:
        _span_holds(text, *meta.title_span)
        assert meta.title is not None and meta.title in text
    article = make_article("fuzz", text, published=None)
    assert article.boilerplate == meta.boilerplate and article.text == text


@_fuzz(1500)
@given(texts)
def test_the_checks_name_a_character_that_is_there(text: str) -> None:
    CASES["checks"] += 1
    index = first_forbidden(text)
    problem = text_problem(text)
    assert (index is None) == (problem is None)
    if problem is not None:
        assert "\n" not in problem and f"at character {index + 1}" in problem
        assert index < len(text)
    assert id_problem(text) is None or "\n" not in id_problem(text)


@_fuzz(1000)
@given(mutated(max_size=2000))
def test_the_analysed_text_keeps_every_offset(text: str) -> None:
    CASES["normalise"] += 1
    article = make_article("fuzz", text)
    analysed = analysis_text(article)
    assert len(analysed) == len(text)
    assert all(len(run) <= MAX_RUN for run in analysed.split())
    for i, (before, after) in enumerate(zip(text, analysed, strict=True)):
        if before != after:
            assert after == " ", (i, before, after)


# -- the time tagger -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tagger():
    from dragoman.time.tagger import TimeTagger

    return TimeTagger()


@_fuzz(1200)
@given(text=texts, published=st.one_of(st.none(), st.dates()))
def test_time_expressions_are_the_text_at_their_offsets(tagger, text, published) -> None:
    CASES["time tagger"] += 1
    for expression in tagger.tag(text, published):
        _span_holds(text, expression.start, expression.end, expression.text)
        if expression.date_start and expression.date_end:
            assert expression.date_start <= expression.date_end, expression


# -- the actor recogniser and the whole pipeline ---------------------------------------


@pytest.fixture(scope="module")
def fuzz_pipeline(pipeline):
    return pipeline


@pytest.mark.slow
@_fuzz(300)
@given(text=mutated(max_size=500, clean=True))
def test_actor_mentions_are_the_text_at_their_offsets(fuzz_pipeline, text: str) -> None:
    CASES["actors"] += 1
    article = make_article("fuzz", text)
    doc = fuzz_pipeline.nlp(analysis_text(article))
    for mention in fuzz_pipeline.actors.find(doc, article):
        _span_holds(text, mention.start, mention.end, mention.text)


def _offsets_hold(annotated: Annotations) -> None:
    text = annotated.article.text
    for mention in annotated.actors:
        _span_holds(text, mention.start, mention.end, mention.text)
    for place in annotated.places:
        _span_holds(text, place.start, place.end, place.text)
    for expression in annotated.times:
        _span_holds(text, expression.start, expression.end, expression.text)
    for event in annotated.events:
        evidence = event.evidence
        _span_holds(text, evidence.start, evidence.end, evidence.sentence)
        _span_holds(text, evidence.trigger_start, evidence.trigger_end, evidence.trigger)
        assert evidence.start <= evidence.trigger_start <= evidence.trigger_end <= evidence.end
        for actor in [*event.source, *event.target, *event.attribution]:
            _span_holds(text, actor.start, actor.end, actor.text)
        if event.location is not None:
            _span_holds(text, event.location.start, event.location.end, event.location.text)


@pytest.mark.slow
@_fuzz(600)
@given(text=st.one_of(mutated(max_size=600), generated), published=st.one_of(st.none(), st.dates()))
def test_the_pipeline_codes_any_text_with_exact_offsets(fuzz_pipeline, text, published) -> None:
    """Every span of the annotations and events is the text at its offsets, or the article
    is refused with the pipeline's one-line error (:class:`ArticleError`)."""
    from dragoman.pipeline import ArticleError

    CASES["pipeline"] += 1
    article = make_article("fuzz", text, published=published)
    try:
        annotated = fuzz_pipeline.annotate(article)
    except ArticleError as error:
        assert "\n" not in error.reason, error.reason
        return
    _offsets_hold(annotated)


def test_the_fuzzing_reached_its_number_of_cases(request) -> None:
    """Run last in this file: the properties above generated at least LEAST_CASES cases."""
    names = {item.name for item in request.session.items if item.module is request.module}
    ran = {name for name in names if name != request.node.name}
    if len(CASES) < len(ran):
        pytest.skip("only some of the properties ran (selected with -k or deselected)")
    total = sum(CASES.values())
    print(f"fuzzing: {total} cases: {dict(CASES)}")
    assert total >= LEAST_CASES, dict(CASES)
