"""Every SQL statement Dragoman runs lives in this module.

The SQL is kept to what DuckDB and PostgreSQL both understand (standard types,
``?`` placeholders, ``ON CONFLICT DO NOTHING``, ``DATE_TRUNC`` cast to a date); what
still differs between them is in ``dialect.py``. User values are
never formatted into a statement: they travel as bound parameters. The only
pieces formatted into SQL text are identifiers and keywords chosen from fixed
whitelists in this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from dragoman.store.filters import EventFilter

#: Each migration: (version, description, statements). Append only; never edit
#: a released migration, add a new one instead.
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "initial schema: articles, actors, mentions, times, places, events, event_actors",
        [
            """CREATE TABLE articles (
                id TEXT PRIMARY KEY,
                text TEXT NOT NULL,
                title TEXT,
                url TEXT,
                source TEXT,
                published DATE,
                published_estimated BOOLEAN NOT NULL,
                origin TEXT,
                boilerplate_json TEXT,
                ingested_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE actors (
                code TEXT NOT NULL,
                name TEXT NOT NULL,
                country TEXT,
                sector TEXT,
                kind TEXT,
                actor_id TEXT,
                PRIMARY KEY (code, name)
            )""",
            """CREATE TABLE mentions (
                article_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                text TEXT NOT NULL,
                name TEXT NOT NULL,
                code TEXT NOT NULL,
                country TEXT,
                sector TEXT,
                kind TEXT,
                actor_id TEXT,
                antecedent TEXT,
                PRIMARY KEY (article_id, position)
            )""",
            """CREATE TABLE times (
                article_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                text TEXT NOT NULL,
                timex_type TEXT NOT NULL,
                timex_value TEXT NOT NULL,
                date_start DATE,
                date_end DATE,
                precision_level TEXT,
                PRIMARY KEY (article_id, position)
            )""",
            """CREATE TABLE places (
                article_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                text TEXT NOT NULL,
                name TEXT NOT NULL,
                country TEXT,
                lat DOUBLE PRECISION,
                lon DOUBLE PRECISION,
                geonameid BIGINT,
                feature TEXT,
                PRIMARY KEY (article_id, position)
            )""",
            """CREATE TABLE events (
                event_id TEXT PRIMARY KEY,
                article_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                cameo TEXT NOT NULL,
                cameo_label TEXT,
                plover TEXT,
                plover_mode TEXT,
                quad_class INTEGER NOT NULL,
                goldstein DOUBLE PRECISION NOT NULL,
                modality TEXT NOT NULL,
                event_date TEXT,
                date_start DATE,
                date_end DATE,
                date_precision TEXT,
                date_source TEXT,
                confidence DOUBLE PRECISION NOT NULL,
                evidence_sentence TEXT NOT NULL,
                evidence_start INTEGER NOT NULL,
                evidence_end INTEGER NOT NULL,
                trigger_text TEXT NOT NULL,
                trigger_start INTEGER NOT NULL,
                trigger_end INTEGER NOT NULL,
                location_text TEXT,
                location_start INTEGER,
                location_end INTEGER,
                location_name TEXT,
                location_country TEXT,
                location_lat DOUBLE PRECISION,
                location_lon DOUBLE PRECISION,
                location_geonameid BIGINT,
                location_feature TEXT,
                source_json TEXT NOT NULL,
                target_json TEXT NOT NULL,
                attribution_json TEXT NOT NULL
            )""",
            """CREATE TABLE event_actors (
                event_id TEXT NOT NULL,
                role TEXT NOT NULL,
                position INTEGER NOT NULL,
                text TEXT NOT NULL,
                name TEXT NOT NULL,
                code TEXT NOT NULL,
                country TEXT,
                sector TEXT,
                kind TEXT,
                PRIMARY KEY (event_id, role, position)
            )""",
            "CREATE INDEX events_article_idx ON events (article_id)",
            "CREATE INDEX events_date_idx ON events (date_start)",
            "CREATE INDEX event_actors_actor_idx ON event_actors (code, name)",
        ],
    ),
    (
        2,
        "events.duplicate_key: the same event reported by several articles",
        # Rows stored before this version get their key from Python after these
        # statements (see ``Store.migrate``): hashing differs between databases.
        ["ALTER TABLE events ADD COLUMN duplicate_key TEXT"],
    ),
    (
        3,
        "events.coder and events.coders_agree: which coder (rules, llm, both) found an event",
        [
            "ALTER TABLE events ADD COLUMN coder TEXT",
            "ALTER TABLE events ADD COLUMN coders_agree BOOLEAN",
            # every event stored before this version was found by the rules
            "UPDATE events SET coder = 'rules' WHERE coder IS NULL",
        ],
    ),
    (
        4,
        "articles.language: the ISO 639-1 code of the language an article is written in",
        # articles stored before this version keep NULL: their language was not recorded
        ["ALTER TABLE articles ADD COLUMN language TEXT"],
    ),
]

CREATE_SCHEMA_VERSION = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL
)"""
SELECT_SCHEMA_VERSION = "SELECT MAX(version) FROM schema_version"
INSERT_SCHEMA_VERSION = (
    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)"
)

BEGIN = "BEGIN TRANSACTION"
COMMIT = "COMMIT"
ROLLBACK = "ROLLBACK"

HAS_ARTICLE = "SELECT COUNT(*) FROM articles WHERE id = ?"
SELECT_ARTICLE_TEXT = "SELECT text FROM articles WHERE id = ?"

#: Returns the id when the row was inserted, nothing when the id was already taken.
INSERT_ARTICLE = """INSERT INTO articles
    (id, text, title, url, source, published, published_estimated, origin,
     boilerplate_json, ingested_at, language)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id"""
INSERT_ACTOR = """INSERT INTO actors (code, name, country, sector, kind, actor_id)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code, name) DO NOTHING"""
INSERT_MENTION = """INSERT INTO mentions
    (article_id, position, start_char, end_char, text, name, code, country, sector,
     kind, actor_id, antecedent)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_TIME = """INSERT INTO times
    (article_id, position, start_char, end_char, text, timex_type, timex_value,
     date_start, date_end, precision_level)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_PLACE = """INSERT INTO places
    (article_id, position, start_char, end_char, text, name, country, lat, lon,
     geonameid, feature)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""

#: Column order of the events table as written and read back (see rows.py).
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "article_id",
    "position",
    "cameo",
    "cameo_label",
    "plover",
    "plover_mode",
    "quad_class",
    "goldstein",
    "modality",
    "event_date",
    "date_start",
    "date_end",
    "date_precision",
    "date_source",
    "confidence",
    "evidence_sentence",
    "evidence_start",
    "evidence_end",
    "trigger_text",
    "trigger_start",
    "trigger_end",
    "location_text",
    "location_start",
    "location_end",
    "location_name",
    "location_country",
    "location_lat",
    "location_lon",
    "location_geonameid",
    "location_feature",
    "source_json",
    "target_json",
    "attribution_json",
    # which coder found the event (schema version 3)
    "coder",
    "coders_agree",
)
#: Columns written for a new event: the read-back columns plus the duplicate key (the
#: older merge rule's key, kept so that stores stay readable by earlier versions; merging
#: now follows incidents, see ``dragoman.incidents.merge``).
EVENT_WRITE_COLUMNS: tuple[str, ...] = (*EVENT_COLUMNS, "duplicate_key")
INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(EVENT_WRITE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in EVENT_WRITE_COLUMNS)})"
)
INSERT_EVENT_ACTOR = """INSERT INTO event_actors
    (event_id, role, position, text, name, code, country, sector, kind)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"""

SELECT_ARTICLE = """SELECT id, text, title, url, source, published, published_estimated,
    origin, boilerplate_json, ingested_at, language FROM articles WHERE id = ?"""
SELECT_MENTIONS = """SELECT text, start_char, end_char, name, code, country, sector, kind,
    actor_id, antecedent FROM mentions WHERE article_id = ? ORDER BY position"""
SELECT_TIMES = """SELECT text, start_char, end_char, timex_type, timex_value, date_start,
    date_end, precision_level FROM times WHERE article_id = ? ORDER BY position"""
SELECT_PLACES = """SELECT text, start_char, end_char, name, country, lat, lon, geonameid,
    feature FROM places WHERE article_id = ? ORDER BY position"""

_EVENT_SELECT = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
#: Undated events sort last without relying on NULLS LAST, whose default differs
#: between databases.
_EVENT_ORDER = (
    "CASE WHEN e.date_start IS NULL THEN 1 ELSE 0 END, e.date_start, e.article_id, "
    "e.evidence_start, e.position, e.event_id"
)

#: An actor query (lower-cased) matches an actor's code or mention text when equal to
#: it, and its name when equal to it or to a run of whole words in it ("putin" in
#: "vladimir putin"): padding the name with spaces lets one LIKE cover both (see
#: ``word_run_pattern``).
_ROLE_MATCH = """EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.event_id
    AND ea.role IN ({roles}) AND (LOWER(ea.code) = ? OR LOWER(ea.text) = ?
    OR (' ' || LOWER(ea.name) || ' ') LIKE ? ESCAPE '\\'))"""
_COUNTRY_MATCH = """EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.event_id
    AND ea.role IN ('source', 'target') AND LOWER(ea.country) = ?)"""

#: Truncation expressions by interval; the key is validated before use. Cast to a date:
#: PostgreSQL truncates a date to a timestamp with time zone.
_PERIOD_EXPRESSIONS = {
    "day": "e.date_start",
    "week": "CAST(DATE_TRUNC('week', e.date_start) AS DATE)",
    "month": "CAST(DATE_TRUNC('month', e.date_start) AS DATE)",
    "year": "CAST(DATE_TRUNC('year', e.date_start) AS DATE)",
}
INTERVALS: tuple[str, ...] = tuple(_PERIOD_EXPRESSIONS)


@dataclass(frozen=True)
class Query:
    """A statement and its bound parameters."""

    sql: str
    params: tuple[object, ...]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(value: str) -> str:
    """A ``LIKE`` pattern matching ``value`` anywhere, with wildcards escaped."""
    return f"%{_like_escape(value.lower())}%"


def word_run_pattern(value: str) -> str:
    """A ``LIKE`` pattern for ``' ' || LOWER(column) || ' '`` matching ``value`` as a
    run of whole words (words separated by single spaces), with wildcards escaped."""
    words = " ".join(value.lower().split())
    return f"% {_like_escape(words)} %"


def where_clause(event_filter: EventFilter) -> tuple[str, list[object]]:
    """The ``WHERE`` clause (over ``events e``) for a filter, and its parameters."""
    conditions: list[str] = []
    params: list[object] = []
    f = event_filter
    for value, roles in (
        (f.actor, "'source', 'target'"),
        (f.source, "'source'"),
        (f.target, "'target'"),
    ):
        if value is not None:
            conditions.append(_ROLE_MATCH.format(roles=roles))
            whole = " ".join(value.lower().split())
            params.extend([whole, whole, word_run_pattern(value)])
    if f.country is not None:
        conditions.append(_COUNTRY_MATCH)
        params.append(f.country.lower())
    if f.plover is not None:
        conditions.append("UPPER(e.plover) = ?")
        params.append(f.plover.upper())
    if f.cameo_root is not None:
        conditions.append("SUBSTR(e.cameo, 1, 2) = ?")
        params.append(f.cameo_root)
    if f.quad_class is not None:
        conditions.append("e.quad_class = ?")
        params.append(f.quad_class)
    if f.since is not None:
        conditions.append("e.date_start >= ?")
        params.append(f.since)
    if f.until is not None:
        conditions.append("e.date_start <= ?")
        params.append(f.until)
    if f.modality is not None:
        conditions.append("LOWER(e.modality) = ?")
        params.append(f.modality.lower())
    if f.text is not None:
        conditions.append("LOWER(e.evidence_sentence) LIKE ? ESCAPE '\\'")
        params.append(like_pattern(f.text))
    if f.article_id is not None:
        conditions.append("e.article_id = ?")
        params.append(f.article_id)
    if not conditions:
        return "", params
    return "WHERE " + "\n  AND ".join(conditions), params


def _page(limit: int | None, offset: int) -> tuple[str, tuple[object, ...]]:
    """``LIMIT``/``OFFSET`` of a page; no ``LIMIT`` when ``limit`` is None (every row)."""
    if limit is None:
        return "OFFSET ?", (offset,)
    return "LIMIT ? OFFSET ?", (limit, offset)


def select_events(event_filter: EventFilter, limit: int | None, offset: int) -> Query:
    """Events matching a filter, one page (all of them when ``limit`` is None), in date
    order."""
    where, params = where_clause(event_filter)
    page, bounds = _page(limit, offset)
    sql = f"SELECT {_EVENT_SELECT} FROM events e {where} ORDER BY {_EVENT_ORDER} {page}"
    return Query(sql, (*params, *bounds))


def count_events(event_filter: EventFilter) -> Query:
    """How many events match a filter."""
    where, params = where_clause(event_filter)
    return Query(f"SELECT COUNT(*) FROM events e {where}", tuple(params))


# Backfilling duplicate keys of events stored before schema version 2: keys are
# computed in Python, loaded into a staging table in batches, then set in one UPDATE.
SELECT_EVENTS_WITHOUT_DUPLICATE_KEY = """SELECT event_id, cameo, date_start, source_json,
    target_json FROM events WHERE duplicate_key IS NULL AND date_start IS NOT NULL"""
CREATE_DUPLICATE_KEY_STAGING = """CREATE TEMPORARY TABLE duplicate_key_staging (
    event_id TEXT PRIMARY KEY,
    duplicate_key TEXT NOT NULL
)"""
UPDATE_DUPLICATE_KEYS_FROM_STAGING = """UPDATE events SET duplicate_key = (
    SELECT s.duplicate_key FROM duplicate_key_staging s WHERE s.event_id = events.event_id)
    WHERE event_id IN (SELECT event_id FROM duplicate_key_staging)"""
DROP_DUPLICATE_KEY_STAGING = "DROP TABLE duplicate_key_staging"


INSERT_DUPLICATE_KEY_STAGING = (
    "INSERT INTO duplicate_key_staging (event_id, duplicate_key) VALUES (?, ?)"
)


def select_article_sources(article_ids: list[str]) -> Query:
    """The outlet and publication day of each of some articles (id, source, published)."""
    marks = ", ".join("?" for _ in article_ids)
    return Query(
        f"SELECT id, source, published FROM articles WHERE id IN ({marks})", tuple(article_ids)
    )


def select_article_events(article_id: str) -> Query:
    """All events of one article, in text order."""
    sql = (
        f"SELECT {_EVENT_SELECT} FROM events e WHERE e.article_id = ? "
        "ORDER BY e.evidence_start, e.trigger_start, e.position"
    )
    return Query(sql, (article_id,))


def select_event(event_id: str) -> Query:
    """One event by id."""
    return Query(f"SELECT {_EVENT_SELECT} FROM events e WHERE e.event_id = ?", (event_id,))


def timeseries(event_filter: EventFilter, interval: str) -> Query:
    """Event counts and mean Goldstein score per period (dated events only)."""
    if interval not in _PERIOD_EXPRESSIONS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)}")
    period = _PERIOD_EXPRESSIONS[interval]
    where, params = where_clause(event_filter)
    where = f"{where} AND e.date_start IS NOT NULL" if where else ("WHERE e.date_start IS NOT NULL")
    sql = (
        f"SELECT {period} AS period, COUNT(*) AS n, AVG(e.goldstein) AS goldstein_mean "
        f"FROM events e {where} GROUP BY {period} ORDER BY {period}"
    )
    return Query(sql, tuple(params))


def network(event_filter: EventFilter, min_count: int, limit: int) -> Query:
    """Directed source→target actor pairs with event counts and mean Goldstein."""
    where, params = where_clause(event_filter)
    sql = f"""SELECT s.name, s.code, s.country, t.name, t.code, t.country,
        COUNT(DISTINCT e.event_id) AS n, AVG(e.goldstein) AS goldstein_mean
    FROM events e
    JOIN event_actors s ON s.event_id = e.event_id AND s.role = 'source'
    JOIN event_actors t ON t.event_id = e.event_id AND t.role = 'target'
    {where}
    GROUP BY s.name, s.code, s.country, t.name, t.code, t.country
    HAVING COUNT(DISTINCT e.event_id) >= ?
    ORDER BY n DESC, s.name, t.name
    LIMIT ?"""
    return Query(sql, (*params, min_count, limit))


def _actor_search(q: str | None) -> tuple[str, list[object]]:
    if not q:
        return "", []
    pattern = like_pattern(q)
    return (
        "WHERE LOWER(a.name) LIKE ? ESCAPE '\\' OR LOWER(a.code) LIKE ? ESCAPE '\\'",
        [pattern, pattern],
    )


def select_actors(q: str | None, limit: int, offset: int) -> Query:
    """Canonical actors with their mention and event counts, most active first."""
    where, params = _actor_search(q)
    sql = f"""SELECT a.code, a.name, a.country, a.sector, a.kind,
        COUNT(DISTINCT CASE WHEN ea.role IN ('source', 'target') THEN ea.event_id END)
            AS events,
        COUNT(DISTINCT CASE WHEN ea.role = 'source' THEN ea.event_id END) AS as_source,
        COUNT(DISTINCT CASE WHEN ea.role = 'target' THEN ea.event_id END) AS as_target,
        (SELECT COUNT(*) FROM mentions m WHERE m.code = a.code AND m.name = a.name)
            AS mentions
    FROM actors a
    LEFT JOIN event_actors ea ON ea.code = a.code AND ea.name = a.name
    {where}
    GROUP BY a.code, a.name, a.country, a.sector, a.kind
    ORDER BY events DESC, mentions DESC, a.name, a.code
    LIMIT ? OFFSET ?"""
    return Query(sql, (*params, limit, offset))


def count_actors(q: str | None) -> Query:
    """How many canonical actors match a search."""
    where, params = _actor_search(q)
    return Query(f"SELECT COUNT(*) FROM actors a {where}", tuple(params))


#: Facet name -> (grouping expression, extra join). Keys are fixed, never user input.
_FACETS = {
    "plover": ("e.plover", ""),
    "quad_class": ("e.quad_class", ""),
    "modality": ("e.modality", ""),
    "country": (
        "c.country",
        (
            "JOIN event_actors c ON c.event_id = e.event_id AND c.role IN ('source', 'target')"
            " AND c.country IS NOT NULL"
        ),
    ),
}
FACETS: tuple[str, ...] = tuple(_FACETS)


def facet(event_filter: EventFilter, name: str, limit: int) -> Query:
    """Distinct values of one facet with event counts, under a filter."""
    if name not in _FACETS:
        raise ValueError(f"facet must be one of {', '.join(FACETS)}")
    where, params = where_clause(event_filter)
    return Query(facet_sql(name, where), (*params, limit))


def facet_sql(name: str, where: str) -> str:
    """The statement of one facet's values and event counts over ``events e`` under the
    ``where`` clause; its last parameter is the number of values.

    The filter's conditions are ``EXISTS`` tests, which never repeat an event, so events
    are counted as rows, except through the country facet's join (an event with actors of
    two countries counts once for each, once only for one)."""
    expression, join = _FACETS[name]
    count = "COUNT(DISTINCT e.event_id)" if join else "COUNT(*)"
    return (
        f"SELECT {expression} AS value, {count} AS n FROM events e {join} "
        f"{where} GROUP BY {expression} ORDER BY n DESC, value LIMIT ?"
    )


TABLE_COUNTS: dict[str, str] = {
    table: f"SELECT COUNT(*) FROM {table}"
    for table in ("articles", "actors", "mentions", "times", "places", "events")
}
EVENT_DATE_RANGE = "SELECT MIN(date_start), MAX(date_end) FROM events"
EVENTS_BY_QUAD_CLASS = (
    "SELECT quad_class, COUNT(*), AVG(goldstein) FROM events GROUP BY quad_class "
    "ORDER BY quad_class"
)
UNDATED_EVENTS = "SELECT COUNT(*) FROM events WHERE date_start IS NULL"
