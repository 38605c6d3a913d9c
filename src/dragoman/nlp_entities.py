"""spaCy's entity recogniser, with the same model and the same entities, for less time.

The English pipelines find entities with a transition-based recogniser: it reads a text
token by token and at each token picks the best-scoring valid move (begin, inside, last,
unit or outside, each with its label). The neural network's costly part is computed for
all tokens at once; what remains per token is small: three precomputed feature rows
summed, a maxout, a 64 x 74 product, then the valid move with the highest score. spaCy
runs that loop one text state at a time in compiled code which, as built for this Python,
takes and releases Python's global lock inside its validity tests (a native profile of
the loop spends some 40% of its time in lock calls); over the bench texts the loop took
about two thirds of the recogniser's time, more than the whole parser.

:class:`BatchedEntityRecognizer` runs the same loop with numpy over all the texts of a
batch at once: one step per token position, every text of the batch moved along
together. The arithmetic is spaCy's, in the same order and with the same matrix routine
(thinc's), so the scores are the same numbers and the chosen moves the same moves;
``tests/test_nlp_entities.py`` compares the entities of whole articles with spaCy's own.
A recogniser of another shape (other features, no output layer, classes never seen in
training, a beam) and any batch holding entities set before the recogniser (whose moves
have further rules) are left to spaCy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.util import minibatch

#: The recogniser's moves (spaCy's BILUO transition system) by the first letter of their
#: names: begin an entity, continue it, end it, a one-token entity, outside any entity.
BEGIN, IN, LAST, UNIT, OUT = range(5)
_MOVE_TYPES = {"B": BEGIN, "I": IN, "L": LAST, "U": UNIT, "O": OUT}
#: Rows of precomputed features per state: the first token of the buffer, the first token
#: of the open entity, the token before the buffer within the open entity.
_FEATURES = 3


class UnknownRecognizer(ValueError):
    """A recogniser this module cannot run (spaCy's own then runs)."""


class BatchedEntityRecognizer:
    """Stands in the pipeline for spaCy's ``EntityRecognizer`` ``ner`` (which it keeps and
    to which it leaves everything but finding entities)."""

    def __init__(self, ner: Any) -> None:
        self.ner = ner
        model = ner.model
        if ner.cfg.get("beam_width", 1) != 1 or ner.cfg.get("incorrect_spans_key"):
            raise UnknownRecognizer("beam search or negative spans")
        if list(ner.postprocesses):
            raise UnknownRecognizer("hooks run after the recogniser")
        if not model.attrs.get("has_upper") or model.attrs.get("unseen_classes"):
            raise UnknownRecognizer("no output layer, or classes unseen in training")
        self._tok2vec, self._lower, upper = model.layers
        if self._lower.get_dim("nF") != _FEATURES or self._lower.get_dim("nP") < 2:
            raise UnknownRecognizer("not the three-feature maxout recogniser")
        self._hidden = self._lower.get_dim("nO")
        self._pieces = self._lower.get_dim("nP")
        self._bias = numpy.ascontiguousarray(self._lower.get_param("b").reshape(-1))
        self._weights = numpy.ascontiguousarray(upper.get_param("W"))
        self._out_bias = upper.get_param("b")
        self._ops = model.ops
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        if len(names) != self._weights.shape[0]:
            raise UnknownRecognizer("moves and output layer differ in number")
        types = []
        labels: list[str] = []
        label_of = []
        for name in names:
            kind = _MOVE_TYPES.get(name[0])
            if kind is None or (kind == OUT) != (name == "O"):
                raise UnknownRecognizer(f"unknown move {name!r}")
            types.append(kind)
            label = name[2:]
            if kind != OUT and label not in labels:
                labels.append(label)
            label_of.append(labels.index(label) if kind != OUT else -1)
        self._labels = labels
        self._move_type = numpy.array(types)
        self._move_label = numpy.array(label_of)
        self._of_type = {kind: self._move_type == kind for kind in range(5)}

    # the component protocol, as spaCy's Parser has it

    def __getattr__(self, name: str) -> Any:
        if name == "ner":  # not set yet (an object being copied or unpickled)
            raise AttributeError(name)
        return getattr(self.ner, name)

    def __call__(self, doc: Doc) -> Doc:
        try:
            self._annotate([doc], 1)
        except Exception as exc:  # noqa: BLE001 - spaCy's error handler decides
            self.ner.get_error_handler()(self.ner.name, self, [doc], exc)
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        """As spaCy's ``Parser.pipe``: batches of ``batch_size``, each sorted by length and
        cut in quarters, whose features are computed part by part as spaCy computes them;
        the moves of the whole batch are then chosen together."""
        error_handler = self.ner.get_error_handler()
        for batch in minibatch(docs, size=batch_size):
            in_order = list(batch)
            try:
                self._annotate(in_order, max(batch_size // 4, 2))
                yield from in_order
            except Exception as exc:  # noqa: BLE001 - spaCy's error handler decides
                error_handler(self.ner.name, self, in_order, exc)

    def _annotate(self, docs: list[Doc], part_size: int) -> None:
        parts = [list(part) for part in minibatch(sorted(docs, key=len), size=part_size)]
        if any(doc.has_annotation("ENT_IOB") for doc in docs):
            # entities set before the recogniser: spaCy's moves respect them
            for part in parts:
                self.ner.set_annotations(part, self.ner.predict(part))
            return
        ordered = [doc for part in parts for doc in part]
        for doc, entities in zip(ordered, self.entities(parts), strict=True):
            doc.set_ents(
                [
                    Span(doc, start, end, label=self._labels[label])
                    for start, end, label in entities
                ],
                default="outside",
            )

    def entities(self, parts: list[list[Doc]]) -> list[list[tuple[int, int, int]]]:
        """(start, end, label index) of the entities of each doc of ``parts`` in a row, in
        the order the recogniser closes them. The features of each part are computed
        together (as spaCy's ``predict`` computes those of the batch it is given)."""
        docs = [doc for part in parts for doc in part]
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        lengths = numpy.array([len(doc) for doc in docs])
        if not lengths.any():
            return found
        offsets = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
        features = self._features(parts)
        space, next_starts = _token_flags(docs)
        # the open entity of each text: its first token (in the row of all tokens) and
        # its label, -1 when none is open
        start = numpy.full(len(docs), -1)
        open_label = numpy.full(len(docs), -1)
        for step in range(int(lengths.max())):
            live = numpy.flatnonzero(lengths > step)
            position = offsets[live] + step
            entity_start = start[live]
            opened = entity_start >= 0
            scores = self._scores(features, position, entity_start, opened)
            valid = self._valid(
                opened,
                open_label[live],
                lengths[live] - step,
                space[position],
                next_starts[position],
            )
            best = numpy.where(valid, scores, -numpy.inf).argmax(axis=1)
            kind = self._move_type[best]
            label = self._move_label[best]
            ended = kind == LAST
            for row in numpy.flatnonzero(ended | (kind == UNIT)):
                doc = live[row]
                begin = entity_start[row] if ended[row] else position[row]
                found[doc].append(
                    (
                        int(begin - offsets[doc]),
                        int(position[row] - offsets[doc] + 1),
                        int(label[row]),
                    )
                )
            begun = kind == BEGIN
            start[live[begun]] = position[begun]
            open_label[live[begun]] = label[begun]
            start[live[ended]] = -1
            open_label[live[ended]] = -1
        return found

    def _features(self, parts: list[list[Doc]]) -> list[numpy.ndarray]:
        """The lower layer's output for every token of ``parts`` in a row, after one row
        of padding: one array per feature."""
        computed = []
        for part in parts:
            if any(len(doc) for doc in part):
                cached = self._lower.predict(self._tok2vec.predict(part))
                computed.append(cached.reshape(cached.shape[0], _FEATURES, -1))
        # each part's first row is the same padding: keep the first one only
        rows = numpy.concatenate([computed[0][:1]] + [cached[1:] for cached in computed])
        return [numpy.ascontiguousarray(rows[:, f]) for f in range(_FEATURES)]

    def _scores(self, features, position, entity_start, opened) -> numpy.ndarray:
        """Scores of every move for the states at ``position``: spaCy's sum of the three
        feature rows (in its order), bias, maxout, output layer and its bias."""
        first, entity, previous = features
        # row 0 is the padding, used where a state has no such token (index -1)
        summed = first[position + 1] + entity[entity_start + 1]
        summed += previous[numpy.where(opened, position, 0)]
        summed += self._bias
        hidden = summed.reshape(len(position), self._hidden, self._pieces).max(axis=2)
        scores = self._ops.gemm(numpy.ascontiguousarray(hidden), self._weights, trans2=True)
        scores += self._out_bias
        return scores

    def _valid(self, opened, label, buffer, space, next_start) -> numpy.ndarray:
        """Which moves each state may take: spaCy's BILUO rules without preset entities."""
        closed = ~opened
        room = buffer >= 2
        same = self._move_label[None, :] == label[:, None]
        of = self._of_type
        return (
            (of[BEGIN] & (closed & room & ~next_start & ~space)[:, None])
            | (of[IN] & (opened & room & ~next_start)[:, None] & same)
            | (of[LAST] & opened[:, None] & same)
            | (of[UNIT] & (closed & ~space)[:, None])
            | (of[OUT] & closed[:, None])
        )


def _token_flags(docs: list[Doc]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """For every token of ``docs`` in a row: whether it is white space, and whether the
    token after it in its text starts a sentence."""
    spaces = []
    next_starts = []
    for doc in docs:
        if not len(doc):
            continue
        flags = doc.to_array(["IS_SPACE", "SENT_START"])
        spaces.append(flags[:, 0] != 0)
        starts = flags[:, 1].astype(numpy.int64) == 1
        next_starts.append(numpy.append(starts[1:], False))
    return numpy.concatenate(spaces), numpy.concatenate(next_starts)


def batch_entity_recognizer(nlp: Language, name: str = "ner") -> bool:
    """Put a :class:`BatchedEntityRecognizer` in the place of the recogniser ``name`` of
    ``nlp`` when it is of a shape it can run; True when it was put there."""
    if name not in nlp.pipe_names:
        return False
    ner = nlp.get_pipe(name)
    if isinstance(ner, BatchedEntityRecognizer):
        return True
    if type(ner) is not EntityRecognizer:  # a subclass may change what it does
        return False
    try:
        batched = BatchedEntityRecognizer(ner)
    except UnknownRecognizer:
        return False
    # the same name in the same place (the list holds disabled components too)
    index = [entry[0] for entry in nlp._components].index(name)
    nlp._components[index] = (name, batched)
    return True
