"""Runs of spaces inside a line, kept out of the statistical models' sight.

spaCy gives a token a single space after it; every further space or tab of a run becomes
a whitespace token of its own ("Russia  condemned" is ``Russia``, `` ``, ``condemned``).
The tagger, parser and entity recogniser read such a token as a word of the sentence,
and one stray space is enough to change a parse: a subject or an object is lost, a verb
is tagged as a noun, a name is cut in two. The text must stay as it is (every offset
points into it), so the whitespace tokens cannot simply be removed from the Doc.

Two pipeline components do the work instead. ``dragoman_squeeze_spaces``, first in the
pipeline, hands the models a Doc without the whitespace tokens that stand inside a line
(each word before one gets a single trailing space), and keeps the Doc it was given.
``dragoman_restore_spaces``, last, returns that original Doc, with the text and tokens of
the tokenizer, annotated with what the models found on the squeezed one; each whitespace
token is tagged and attached to the word before it, as the parser attaches them. A text
without such a run passes both components untouched. Whitespace holding a line break is
never squeezed: a line break ends a sentence (``dragoman_line_breaks``).
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc, Token

#: ``doc.user_data`` key under which the squeezed Doc carries the Doc it stands for.
ORIGINAL = "dragoman_unsqueezed"
#: Component names, in pipeline order (first and last).
SQUEEZE = "dragoman_squeeze_spaces"
RESTORE = "dragoman_restore_spaces"


def squeezable(token: Token) -> bool:
    """A whitespace token inside a line that follows a word: the squeezed Doc leaves it
    out (the word before it takes a single space instead)."""
    return (
        token.is_space
        and token.i > 0
        and "\n" not in token.text
        and "\r" not in token.text
        and not token.doc[token.i - 1].is_space
    )


@Language.component(SQUEEZE)
def squeeze_spaces(doc: Doc) -> Doc:
    """``doc`` without the whitespace tokens inside its lines, for the models to read; the
    original Doc rides along in ``user_data`` until :func:`restore_spaces`. ``doc``
    itself when it has none."""
    # only whitespace tokens can be squeezed: find them without a Token for every word
    spaces_at = numpy.flatnonzero(doc.to_array(IS_SPACE))
    dropped = {int(i) for i in spaces_at if squeezable(doc[int(i)])}
    if not dropped:
        return doc
    kept = [token for token in doc if token.i not in dropped]
    spaces = [bool(token.whitespace_) or token.i + 1 in dropped for token in kept]
    squeezed = Doc(doc.vocab, words=[token.text for token in kept], spaces=spaces)
    for new, old in zip(squeezed, kept, strict=True):
        # what the tokenizer and earlier components set: normal forms of special cases
        # ("n't" -> "not") and sentence starts marked before the models
        new.norm_ = old.norm_
        if old.is_sent_start is not None and new.i > 0:
            new.is_sent_start = old.is_sent_start
    squeezed.user_data.update(doc.user_data)
    squeezed.user_data[ORIGINAL] = doc
    return squeezed


@Language.component(RESTORE)
def restore_spaces(doc: Doc) -> Doc:
    """The Doc :func:`squeeze_spaces` was given, annotated as the models annotated ``doc``;
    ``doc`` itself when it was not squeezed."""
    original = doc.user_data.pop(ORIGINAL, None)
    if original is None:
        return doc
    position: list[int | None] = []  # original token -> squeezed token (None: dropped)
    j = 0
    for token in original:
        if squeezable(token):
            position.append(None)
        else:
            position.append(j)
            j += 1
    if j != len(doc):
        raise ValueError("squeezed spaces: the annotated Doc does not match its original")
    index = {j: i for i, j in enumerate(position) if j is not None}
    parsed = doc.has_annotation("DEP")
    tags, pos, morphs, lemmas, heads, deps, ents = [], [], [], [], [], [], []
    starts: list[bool | None] = []
    for i, j in enumerate(position):
        if j is None:
            # a whitespace token: tagged as the models tag one, hung on the word before it
            before = doc[position[i - 1]]
            tags.append("_SP")
            pos.append("SPACE")
            morphs.append("")
            lemmas.append(original[i].text)
            heads.append(i - 1)
            deps.append("dep")
            starts.append(False)
            after = position[i + 1] if i + 1 < len(position) else None
            inside = after is not None and doc[after].ent_iob_ == "I" and before.ent_iob_ != "O"
            ents.append(f"I-{before.ent_type_}" if inside else "O")
            continue
        token = doc[j]
        tags.append(token.tag_)
        pos.append(token.pos_)
        morphs.append(str(token.morph))
        lemmas.append(token.lemma_)
        heads.append(index[token.head.i])
        deps.append(token.dep_)
        starts.append(token.is_sent_start)
        ents.append(f"{token.ent_iob_}-{token.ent_type_}" if token.ent_iob_ in "BI" else "O")
    words = [token.text for token in original]
    spaces = [bool(token.whitespace_) for token in original]
    restored = Doc(
        original.vocab,
        words=words,
        spaces=spaces,
        tags=tags if doc.has_annotation("TAG") else None,
        pos=pos if doc.has_annotation("POS") else None,
        morphs=morphs if doc.has_annotation("MORPH") else None,
        lemmas=lemmas if doc.has_annotation("LEMMA") else None,
        heads=heads if parsed else None,
        deps=deps if parsed else None,
        sent_starts=starts if not parsed and doc.has_annotation("SENT_START") else None,
        ents=ents if doc.has_annotation("ENT_IOB") else None,
    )
    for new, old in zip(restored, original, strict=True):
        new.norm_ = old.norm_
    restored.user_data.update(doc.user_data)
    if getattr(doc.tensor, "ndim", 1) == 2 and doc.tensor.shape[0] == len(doc):
        tensor = numpy.zeros((len(restored), doc.tensor.shape[1]), dtype=doc.tensor.dtype)
        rows = [i for i, j in enumerate(position) if j is not None]
        tensor[rows] = doc.tensor
        restored.tensor = tensor
    return restored


def add_space_squeezing(nlp: Language) -> None:
    """Put the two components first and last in ``nlp``."""
    nlp.add_pipe(SQUEEZE, first=True)
    nlp.add_pipe(RESTORE, last=True)
