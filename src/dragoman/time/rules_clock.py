"""Rules for times of day: "3 p.m.", "18:00 UTC", "0800 GMT", "noon", with the day
they fall on when it is written next to them ("12:00 UTC Monday")."""

from __future__ import annotations

import re
from datetime import timedelta

from .context import Candidate, Context, Rule, date_candidate, make_rule, span
from .lexicon import load_lexicon
from .patterns import blocks, cased
from .resolve import weekday_date
from .rules_relative import DEICTIC_OFFSETS

#: Zones written as UTC in values (``T18:00Z``); other zones keep local time.
UTC_ZONES = frozenset({"UTC", "GMT", "Z"})


def _clock_text(match: re.Match[str]) -> str | None:
    if match["word"]:
        word = match["word"].lower()
        return "T24:00" if word == "midnight" else "T12:00"
    if match["ampm"]:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        pm = match["ampm"].lower().startswith("p")
        if pm and hour < 12:
            hour += 12
        elif not pm and hour == 12:
            hour = 0
    elif match["h24"]:
        hour, minute = int(match["h24"]), int(match["m24"])
    else:
        hour, minute = int(match["hhmm"]), int(match["mmhh"])
    zone = "Z" if match["tz"] in UTC_ZONES and not match["offset"] else ""
    return f"T{hour:02d}:{minute:02d}{zone}"


def _clock(match: re.Match[str], ctx: Context) -> Candidate | None:
    start, end = span(match)
    clock = _clock_text(match)
    day_word = match["pre"] or match["post"]
    if day_word is None or ctx.anchor is None:
        return Candidate(
            start,
            end,
            "TIME",
            f"XXXX-XX-XX{clock}",
            precision="time",
            pending="clock" if ctx.anchor or day_word is None else None,
            clock=clock,
        )
    weekdays = load_lexicon().weekdays
    if day_word in weekdays:
        day = weekday_date(ctx.anchor, weekdays[day_word], ctx.direction(start, end))
    else:
        offset = DEICTIC_OFFSETS.get(re.sub(r"\s+", " ", day_word.lower()), 0)
        day = ctx.anchor + timedelta(days=offset)
    return date_candidate(start, end, f"{day.isoformat()}{clock}", "TIME", "time", day, day)


def rules() -> list[Rule]:
    b = blocks()
    clock = (
        r"(?:(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?\s*"
        r"(?P<ampm>(?i:a\.m\.|p\.m\.|a\.m|p\.m|am|pm))(?![A-Za-z])"
        r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])"
        r"|(?P<hhmm>[01]\d|2[0-3])(?P<mmhh>[0-5]\d)(?=\s*(?:UTC|GMT|Z\b|(?i:hours|hrs)\b))"
        r"|(?P<word>(?i:noon|midnight|midday)))"
    )
    zone = (
        r"(?:\s*(?P<tz>UTC|GMT|Z|ET|EST|EDT|CET|CEST|BST|PT|PST|PDT|CT|CST|CDT|MSK|IST|JST"
        r"|AEST|AEDT)\b)?"
        r"(?:\s*\((?P<offset>(?:GMT|UTC)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?)\))?"
        r"(?:\s+(?i:hours|hrs)\b)?"
    )
    day = rf"(?:{b.deictic_day}|{b.weekday})"
    pattern = (
        rf"(?:(?P<pre>{day})\s*,?\s+(?:(?i:at)\s+)?)?\b{clock}{zone}"
        rf"(?:\s*,?\s+(?:(?i:on)\s+)?(?P<post>{day})\b)?"
    )
    return [
        make_rule(
            "clock",
            pattern,
            _clock,
            head=r"\d|" + cased("noon|midnight|midday"),
            before=rf"{day}\s*,?\s+(?:(?i:at)\s+)?",
        )
    ]
