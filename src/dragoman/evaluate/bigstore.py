"""A large store of synthetic events, written by bulk SQL, for measuring exports.

    python -m dragoman.evaluate.bigstore big.duckdb --events 1000000
    python -m dragoman.evaluate.bigstore postgresql://dragoman@127.0.0.1:5432/big --events 200000

The events do not come from the NLP pipeline (a million would take hours): each is
generated inside the database by one ``INSERT ... SELECT`` over ``generate_series``,
with CAMEO codes, labels, PLOVER types, QuadClasses and Goldstein scores taken from the
packaged CAMEO table, actors from a small fixed list, dates spread over ten years,
one article per ten events, and the evidence offsets consistent with the evidence
sentence. Every row reads back as a valid event (``Store.events``); the store is one
of Dragoman's, migrated to the current schema, in DuckDB or PostgreSQL.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dragoman.ontology import load_cameo
from dragoman.store import open_store

#: Events per article.
EVENTS_PER_ARTICLE = 10
#: A handful of codes of every QuadClass: enough variety for filters and facets.
CAMEO_CODES = ("010", "036", "042", "043", "051", "057", "0831", "112", "130", "173", "190")
#: (code, name, country, sector) of the actors events are between.
ACTORS = (
    ("RUS", "Russia", "RUS", None),
    ("UKR", "Ukraine", "UKR", None),
    ("USA", "United States", "USA", None),
    ("CHN", "China", "CHN", None),
    ("IRN", "Iran", "IRN", None),
    ("ISR", "Israel", "ISR", None),
    ("TURGOV", "Turkish government", "TUR", "GOV"),
    ("EGYGOV", "Egyptian government", "EGY", "GOV"),
    ("FRA", "France", "FRA", None),
    ("DEU", "Germany", "DEU", None),
    ("IGOUNO", "United Nations", None, "IGO"),
    ("PSEREB", "Hamas", "PSE", "REB"),
)
#: Verbs put in the evidence sentence, by the CAMEO code's first two digits.
_VERBS = {"01": "said", "03": "offered", "04": "met", "05": "praised", "08": "agreed",
          "11": "criticised", "13": "threatened", "17": "detained", "19": "attacked"}  # fmt: skip


def _text(value: str | None) -> str:
    """A SQL literal for a fixed, known value (never user input)."""
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def _codes_values() -> str:
    cameo = load_cameo()
    rows = []
    for n, code in enumerate(CAMEO_CODES):
        entry = cameo[code]
        verb = _VERBS[code[:2]]
        rows.append(
            f"({n}, {_text(code)}, {_text(entry.label)}, {_text(entry.plover)}, "
            f"{_text(entry.plover_mode)}, {int(entry.quad_class)}, {float(entry.goldstein)}, "
            f"{_text(verb)})"
        )
    return ",\n".join(rows)


def _actors_values() -> str:
    return ",\n".join(
        f"({n}, {_text(code)}, {_text(name)}, {_text(country)}, {_text(sector)})"
        for n, (code, name, country, sector) in enumerate(ACTORS)
    )


def _actor_json(alias: str) -> str:
    """The JSON list of one actor (``ActorRef.to_dict()``), built in SQL."""
    sector = f"CASE WHEN {alias}.sector IS NULL THEN 'null' ELSE '\"' || {alias}.sector || '\"' END"
    country = (
        f"CASE WHEN {alias}.country IS NULL THEN 'null' ELSE '\"' || {alias}.country || '\"' END"
    )
    return (
        f"""'[{{"text": "' || {alias}.name || '", "name": "' || {alias}.name || '", "code": "' """
        f"""|| {alias}.code || '", "country": ' || {country} || ', "sector": ' || {sector} """
        f"""|| ', "kind": "actor", "actor_id": null, "start": ' || CAST(g.{alias}_start AS TEXT) """
        f"""|| ', "end": ' || CAST(g.{alias}_start + LENGTH({alias}.name) AS TEXT) || '}}]'"""
    )


def _generated(count: int, first: int) -> str:
    """The generated events as a query: one row per event with everything the inserts need."""
    return f"""WITH codes (n, cameo, label, plover, mode, quad, goldstein, verb) AS (
    VALUES {_codes_values()}
), actor_list (n, code, name, country, sector) AS (
    VALUES {_actors_values()}
), numbered AS (
    SELECT i,
        DATE '2015-01-01' + CAST(MOD(i * 7, 3650) AS INTEGER) AS day,
        MOD(i, {len(CAMEO_CODES)}) AS code_n,
        MOD(i, {len(ACTORS)}) AS source_n,
        MOD(i + 1 + MOD(CAST(FLOOR(i / {len(ACTORS)}.0) AS BIGINT), {len(ACTORS) - 1}),
            {len(ACTORS)}) AS target_n
    FROM generate_series({first}, {first + count - 1}) AS series (i)
), g AS (
    SELECT n.*, c.cameo, c.label, c.plover, c.mode, c.quad, c.goldstein, c.verb,
        s.name || ' ' || c.verb || ' ' || t.name || ' on ' || CAST(n.day AS TEXT)
            || ', according to report ' || CAST(n.i AS TEXT) || '.' AS sentence,
        0 AS s_start,
        LENGTH(s.name) + LENGTH(c.verb) + 2 AS t_start,
        LENGTH(s.name) + 1 AS trigger_start
    FROM numbered n
    JOIN codes c ON c.n = n.code_n
    JOIN actor_list s ON s.n = n.source_n
    JOIN actor_list t ON t.n = n.target_n
)
SELECT g.*, s.code AS s_code, s.name AS s_name, s.country AS s_country, s.sector AS s_sector,
    t.code AS t_code, t.name AS t_name, t.country AS t_country, t.sector AS t_sector,
    {_actor_json("s")} AS source_json,
    {_actor_json("t")} AS target_json
FROM g
JOIN actor_list s ON s.n = g.source_n
JOIN actor_list t ON t.n = g.target_n"""


def _article_id(expression: str) -> str:
    return f"'big-' || LPAD(CAST(CAST(FLOOR({expression} / {EVENTS_PER_ARTICLE}.0) AS BIGINT) AS TEXT), 9, '0')"


def statements(count: int, first: int = 0) -> list[str]:
    """The SQL that adds ``count`` events (numbered from ``first``), their actors and
    articles to a migrated store."""
    generated = _generated(count, first)
    event_id = "'big' || LPAD(CAST(g.i AS TEXT), 17, '0')"
    first_article = first // EVENTS_PER_ARTICLE
    last_article = (first + count - 1) // EVENTS_PER_ARTICLE
    return [
        f"""INSERT INTO actors (code, name, country, sector, kind, actor_id)
        SELECT code, name, country, sector, 'actor', NULL FROM (VALUES {_actors_values()})
            AS a (n, code, name, country, sector)
        ON CONFLICT (code, name) DO NOTHING""",
        f"""INSERT INTO articles (id, text, title, url, source, published,
            published_estimated, origin, boilerplate_json, ingested_at)
        SELECT {_article_id(f"a * {EVENTS_PER_ARTICLE}")},
            'Synthetic article ' || CAST(a AS TEXT) || '. It holds generated events.',
            'Synthetic article ' || CAST(a AS TEXT),
            'https://example.org/big/' || CAST(a AS TEXT), 'Synthetic Wire',
            DATE '2015-01-01' + CAST(MOD(a * 70, 3650) AS INTEGER), FALSE, 'bigstore', '[]',
            TIMESTAMP '2025-01-01 00:00:00'
        FROM generate_series({first_article}, {last_article}) AS series (a)
        ON CONFLICT (id) DO NOTHING""",
        f"""INSERT INTO events (event_id, article_id, position, cameo, cameo_label, plover,
            plover_mode, quad_class, goldstein, modality, event_date, date_start, date_end,
            date_precision, date_source, confidence, evidence_sentence, evidence_start,
            evidence_end, trigger_text, trigger_start, trigger_end, location_text,
            location_start, location_end, location_name, location_country, location_lat,
            location_lon, location_geonameid, location_feature, source_json, target_json,
            attribution_json, duplicate_key)
        SELECT {event_id}, {_article_id("g.i")}, MOD(g.i, {EVENTS_PER_ARTICLE}),
            g.cameo, g.label, g.plover, g.mode, g.quad, g.goldstein,
            CASE WHEN MOD(g.i, 5) = 0 THEN 'reported' ELSE 'asserted' END,
            CAST(g.day AS TEXT), g.day, g.day, 'day', 'published',
            0.5 + MOD(g.i, 50) / 100.0,
            g.sentence, 0, LENGTH(g.sentence), g.verb, g.trigger_start,
            g.trigger_start + LENGTH(g.verb),
            CASE WHEN MOD(g.i, 3) = 0 THEN 'Geneva' END, NULL, NULL,
            CASE WHEN MOD(g.i, 3) = 0 THEN 'Geneva' END,
            CASE WHEN MOD(g.i, 3) = 0 THEN 'CHE' END,
            CASE WHEN MOD(g.i, 3) = 0 THEN 46.20222 END,
            CASE WHEN MOD(g.i, 3) = 0 THEN 6.14569 END,
            CASE WHEN MOD(g.i, 3) = 0 THEN 2660646 END,
            CASE WHEN MOD(g.i, 3) = 0 THEN 'PPLA' END,
            g.source_json, g.target_json, '[]',
            'big' || CAST(g.code_n AS TEXT) || '-' || CAST(g.source_n AS TEXT) || '-'
                || CAST(g.target_n AS TEXT) || '-' || CAST(g.day AS TEXT)
        FROM ({generated}) AS g""",
        f"""INSERT INTO event_actors (event_id, role, position, text, name, code, country,
            sector, kind)
        SELECT {event_id}, 'source', 0, g.s_name, g.s_name, g.s_code, g.s_country,
            g.s_sector, 'actor' FROM ({generated}) AS g
        UNION ALL
        SELECT {event_id}, 'target', 0, g.t_name, g.t_name, g.t_code, g.t_country,
            g.t_sector, 'actor' FROM ({generated}) AS g""",
    ]


#: Events generated per statement batch: bounded work per transaction on a server.
BATCH_EVENTS = 250_000


def generate(location: str | Path, count: int) -> float:
    """Add ``count`` synthetic events to the store at ``location`` (created if needed,
    which should hold no other ``bigstore`` rows); the seconds it took."""
    started = time.perf_counter()
    with open_store(location) as store:
        for first in range(0, count, BATCH_EVENTS):
            store.run_bulk(statements(min(BATCH_EVENTS, count - first), first))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dragoman.evaluate.bigstore", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("db", help="store: a DuckDB file or a postgresql:// URL")
    parser.add_argument("--events", type=int, default=1_000_000, help="how many events")
    args = parser.parse_args(argv)
    if args.events < 1:
        parser.error("--events must be at least 1")
    seconds = generate(args.db, args.events)
    print(f"{args.events} events written to {args.db} in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
