"""Convert PETRARCH2's discard list into Dragoman's ``events/discards.tsv``.

The discard list names phrases whose sentence (or, marked ``+``, whose whole story) is not
political news: sports, entertainment, medicine, chronologies. A phrase is matched case
insensitively at the start of a word; one written with a final ``_`` must also end at a
word's end, others are stems ("champion" also matches "championship").

Rows left out, each listed with its reason: bare years (Dragoman tells a year cited as
history by what the event's words govern, see ``dragoman.time.history``), relative time
phrases ("years ago"), which date an event rather than rule it out, and the sentence-level
rows, which on the dev sets only cost events (see :data:`SENTENCE_LEVEL`): a story that is
about sports or entertainment as a whole ("Champions League", "scored a goal") is skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from dragoman.ontology.tsv import data_path

SOURCE_FILE = "Phoenix.discards.txt"
HEADER = (
    "# Phrases whose sentence (scope sentence) or whole article (scope story) is not coded:\n"
    "# sports, entertainment, medicine and the like. Converted from the PETRARCH2 discard\n"
    "# list (openeventdata/petrarch2, MIT licence; see ../lexicon/imported/LICENSE-petrarch2.txt)\n"
    "# by dragoman.knowledge.petrarch_discards; do not edit by hand, re-run the converter.\n"
    "# phrase: lower case; matched case-insensitively at the start of a word.\n"
    "# scope: sentence or story. match: word (the phrase must end a word) or stem.\n"
    "# source: file and line of the dictionary row.\n"
    "phrase\tscope\tmatch\tsource\n"
)
#: Why the sentence-level rows are left out: measured on the dev sets, they drop events of
#: conflict news that mentions sports or history ("football fans clashed with police", a
#: parliament's demand about a war crime of World War Two) and no false event.
SENTENCE_LEVEL = "sentence-level discard: costs recall on conflict news, only stories are discarded"
#: Relative time phrases of the list: they date an event, they do not rule it out.
RELATIVE_TIME = re.compile(r"^(?:\w+ )?(?:weeks|months|years) (?:ago|later)$")


def convert(lines: list[str]) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str]]]:
    """Rows (phrase, scope, match, source) and skipped (source, reason) of the list's lines."""
    rows: list[tuple[str, str, str, str]] = []
    skipped: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for number, raw in enumerate(lines, start=1):
        source = f"{SOURCE_FILE}:{number}"
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        scope = "story" if text.startswith("+") else "sentence"
        phrase = " ".join(text.lstrip("+").split()).lower()
        match = "word" if phrase.endswith("_") else "stem"
        phrase = phrase.rstrip("_").strip()
        if not phrase:
            skipped.append((source, "empty phrase"))
        elif re.fullmatch(r"\d{4}", phrase):
            skipped.append((source, "bare year: history is told by what the event governs"))
        elif RELATIVE_TIME.match(phrase):
            skipped.append((source, "relative time phrase: it dates an event"))
        elif scope == "sentence":
            skipped.append((source, SENTENCE_LEVEL))
        elif (phrase, scope) in seen:
            skipped.append((source, "duplicate"))
        else:
            seen.add((phrase, scope))
            rows.append((phrase, scope, match, source))
    return rows, skipped


def run(source: Path, out: Path | None = None) -> list[str]:
    """Convert ``source/Phoenix.discards.txt`` into ``out`` (default: the packaged
    ``events`` data folder): ``discards.tsv`` and ``discards_skipped.tsv``."""
    out = out or data_path("events")
    lines = (source / SOURCE_FILE).read_text(encoding="utf-8").splitlines()
    rows, skipped = convert(lines)
    out.mkdir(parents=True, exist_ok=True)
    body = "".join("\t".join(row) + "\n" for row in sorted(rows, key=lambda r: (r[1], r[0])))
    (out / "discards.tsv").write_text(HEADER + body, encoding="utf-8")
    report = "# Discard-list rows left out, with the reason.\nsource\treason\n" + "".join(
        f"{where}\t{reason}\n" for where, reason in skipped
    )
    (out / "discards_skipped.tsv").write_text(report, encoding="utf-8")
    reasons = Counter(reason for _, reason in skipped)
    return [f"discards.tsv: {len(rows)} phrases"] + [
        f"skipped, {reason}: {count}" for reason, count in sorted(reasons.items())
    ]
