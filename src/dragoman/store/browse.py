"""What the explorer browses, built to stay fast at any size of store.

* **Actor entities.** A country, its government and its ministries are one actor in the
  network and the actor lists ("Russia", "the Kremlin" and "the Russian Foreign Ministry"
  are one node); a person is always themselves, whatever office they hold; any other
  actor is its CAMEO code. ``by="code"`` asks for the sectors instead: one node per code.
* **The events table** sorts by any column and pages by keyset: each page starts after
  (or ends before) a cursor holding the sort key and the event id of a row, so page
  1,000 costs what page 1 costs (no ``OFFSET`` over the rows before it).
* **The timeline** reads counts per day and QuadClass, which the chart bins to its pixels.

Each statement is built from the filter's ``WHERE`` clause (``sql.where_clause``) in the
SQL that DuckDB and PostgreSQL share; values travel as bound parameters. Everything
formatted into SQL text is chosen from the fixed tables of this module.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from dragoman.formats.countries import country_name
from dragoman.store import rows, sql
from dragoman.store.filters import EventFilter
from dragoman.store.store import Store

#: How actors are grouped into nodes: ``entity`` (a country with its government and
#: ministries) or ``code`` (one node per CAMEO code: the state's sectors apart).
GROUPINGS: tuple[str, ...] = ("entity", "code")
#: Sectors folded into their country as one entity: the government and its ministries.
#: Other state bodies (the army, the police, the courts) stay nodes of their own, as
#: analysts follow them apart.
FOLDED_SECTORS: tuple[str, ...] = ("GOV",)
PERSON_PREFIX = "person:"
NAME_PREFIX = "name:"


def entity_key(alias: str, by: str = "entity") -> str:
    """The SQL expression of the entity an actor row (``event_actors`` or ``mentions``
    under ``alias``) belongs to: ``person:<name>`` for a person, the country code for a
    state, its government or ministries (``entity`` only), else the actor's code."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, got {by!r}")
    a = alias
    folded = ""
    if by == "entity":
        sectors = " OR ".join(f"{a}.code = {a}.country || '{s}'" for s in FOLDED_SECTORS)
        folded = (
            f"WHEN {a}.country IS NOT NULL AND {a}.country <> '' "
            f"AND ({a}.code = {a}.country OR {sectors}) THEN {a}.country "
        )
    return (
        f"CASE WHEN {a}.kind = 'person' THEN '{PERSON_PREFIX}' || {a}.name {folded}"
        f"WHEN {a}.code IS NULL OR {a}.code = '' THEN '{NAME_PREFIX}' || {a}.name "
        f"ELSE {a}.code END"
    )


def _where(event_filter: EventFilter, extra: list[str] | None = None) -> tuple[str, list[Any]]:
    """The filter's ``WHERE`` clause over ``events e`` with ``extra`` conditions added."""
    where, params = sql.where_clause(event_filter)
    conditions = [where[len("WHERE ") :]] if where else []
    conditions.extend(extra or [])
    return ("WHERE " + "\n  AND ".join(conditions) if conditions else ""), list(params)


def _placeholders(values: list[Any]) -> str:
    return ", ".join("?" for _ in values)


#: Events with several actors in a role (few): the only ones that can name an entity twice.
_COMPOUND = """compound AS (
        SELECT DISTINCT event_id FROM event_actors
        WHERE position > 0 AND role IN ('source', 'target')
    )"""


def _ends(by: str) -> str:
    """The CTE ``ends``: each event's entities by role, each once ("Russia and the Kremlin"
    as source is one source).

    Only events with several actors in a role can name one entity twice, and they are
    few: their rows are made distinct, the others' taken as they are, which spares a
    distinct pass over every row of a large store.
    """
    key = entity_key("ea", by)
    return f"""{_COMPOUND}, ends AS (
        SELECT ea.event_id, ea.role, {key} AS entity FROM event_actors ea
        WHERE ea.role IN ('source', 'target')
            AND ea.event_id NOT IN (SELECT event_id FROM compound)
        UNION ALL
        SELECT DISTINCT ea.event_id, ea.role, {key} AS entity FROM event_actors ea
        WHERE ea.role IN ('source', 'target')
            AND ea.event_id IN (SELECT event_id FROM compound)
    )"""


def _matched(where: str, alias: str) -> tuple[str, str]:
    """A CTE of the events under the filter and the join of ``alias`` to it; nothing when
    the filter has no condition (every event counts)."""
    if not where:
        return "", ""
    return (
        f"matched AS (SELECT e.event_id FROM events e {where})",
        f"JOIN matched m ON m.event_id = {alias}.event_id",
    )


def _with(*ctes: str) -> str:
    """A ``WITH`` clause of the CTEs given (empty ones left out)."""
    kept = [c for c in ctes if c]
    return "WITH " + ",\n".join(kept) if kept else ""


# -- actor entities ----------------------------------------------------------------------


@dataclass(frozen=True)
class EntityCount:
    """An entity with the events it takes part in under a filter."""

    key: str
    as_source: int
    as_target: int

    @property
    def activity(self) -> int:
        """Events as source plus events as target."""
        return self.as_source + self.as_target


def entity_counts(
    store: Store,
    event_filter: EventFilter,
    by: str = "entity",
    limit: int = 60,
    offset: int = 0,
    q: str | None = None,
) -> tuple[list[EntityCount], int]:
    """The most active entities (events as source plus as target, then key) and how many
    entities the filter reaches in all.

    ``q`` keeps the entities one of whose actors has it in its name or code.
    """
    where, params = _where(event_filter)
    matched, join = _matched(where, "ends")
    search = ""
    if q:
        pattern = sql.like_pattern(q)
        search = f"""WHERE entity IN (SELECT {entity_key("ea", by)} FROM event_actors ea
            WHERE LOWER(ea.name) LIKE ? ESCAPE '\\' OR LOWER(ea.code) LIKE ? ESCAPE '\\')"""
        params += [pattern, pattern]
    statement = f"""{_with(matched, _ends(by))}
    SELECT entity, COUNT(CASE WHEN role = 'source' THEN 1 END) AS s,
        COUNT(CASE WHEN role = 'target' THEN 1 END) AS t,
        COUNT(*) OVER () AS entities
    FROM ends {join} {search}
    GROUP BY entity
    ORDER BY COUNT(*) DESC, entity
    LIMIT ? OFFSET ?"""
    result = store.fetch(sql.Query(statement, (*params, limit, offset)))
    counts = [EntityCount(str(k), int(s), int(t)) for k, s, t, _ in result]
    total = int(result[0][3]) if result else 0
    if not result and offset:
        total = entity_counts(store, event_filter, by, 1, 0, q)[1]
    return counts, total


def entity_labels(
    store: Store, event_filter: EventFilter, keys: list[str], by: str = "entity"
) -> dict[str, dict[str, Any]]:
    """For each entity key: ``name`` (its label, unique among ``keys``), ``code``,
    ``country``, ``kind`` and ``members`` (the names of the actors it gathers, most
    frequent first)."""
    if not keys:
        return {}
    where, params = _where(event_filter)
    matched, join = _matched(where, "ea")
    key = entity_key("ea", by)
    statement = f"""{_with(matched)}
    SELECT {key} AS entity, ea.code, ea.name, ea.country, ea.kind, ea.sector, COUNT(*) AS n
    FROM event_actors ea {join}
    WHERE ea.role IN ('source', 'target') AND {key} IN ({_placeholders(keys)})
    GROUP BY {key}, ea.code, ea.name, ea.country, ea.kind, ea.sector"""
    members: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    sectors: dict[str, Counter[str | None]] = defaultdict(Counter)
    for entity, code, name, country, kind, sector, n in store.fetch(
        sql.Query(statement, (*params, *keys))
    ):
        members[entity].append((int(n), name, code, country, kind))
        sectors[entity][sector] += int(n)
    labels = {k: _label(k, members.get(k, []), by) for k in keys}
    for k, label in labels.items():
        common = sectors[k].most_common(1)
        label["sector"] = None if label["kind"] == "state" or not common else common[0][0]
    _disambiguate(labels)
    return labels


def _label(
    key: str, members: list[tuple[int, str, str, str | None, str | None]], by: str
) -> dict[str, Any]:
    """An entity's label and description from the actors it gathers (busiest first)."""
    members = sorted(members, key=lambda m: (-m[0], m[1], m[2]))
    weights: Counter[str] = Counter()
    for n, name, _, _, _ in members:
        weights[name] += n
    names = [name for name, _ in sorted(weights.items(), key=lambda item: (-item[1], item[0]))]
    busiest = members[0] if members else (0, key, key, None, None)
    _, top_name, top_code, top_country, top_kind = busiest
    if key.startswith(PERSON_PREFIX):
        name, kind = key[len(PERSON_PREFIX) :], "person"
    elif key.startswith(NAME_PREFIX):
        name, kind = key[len(NAME_PREFIX) :], top_kind
    elif by == "entity" and any(m[3] == key for m in members):
        # A state: its own name, whichever of its bodies the events name.
        name, kind = country_name(key) or top_name, "state"
        top_code, top_country = key, key
    else:
        name, kind = top_name, top_kind
    return {
        "key": key,
        "name": name,
        "code": top_code,
        "country": top_country,
        "kind": kind or "actor",
        "members": names,
    }


def _disambiguate(labels: dict[str, dict[str, Any]]) -> None:
    """Two entities never share a label: repeated ones get their code ("Russia (RUSGOV)")."""
    seen: Counter[str] = Counter(v["name"] for v in labels.values())
    for value in labels.values():
        if seen[value["name"]] > 1 and value["code"]:
            value["name"] = f"{value['name']} ({value['code']})"


def entity_edges(
    store: Store,
    event_filter: EventFilter,
    by: str = "entity",
    min_count: int = 1,
    limit: int = 500,
    among: list[str] | None = None,
) -> list[tuple[str, str, int, float | None]]:
    """Directed entity pairs ``(source, target, events, mean Goldstein)``, busiest first;
    with ``among``, only pairs of those entities."""
    source_key, target_key = entity_key("s", by), entity_key("t", by)
    restrict: list[str] = []
    if among is not None:
        if not among:
            return []
        marks = _placeholders(among)
        restrict = [f"{source_key} IN ({marks})", f"{target_key} IN ({marks})"]
    filter_params = _where(event_filter)[1]
    params = [*filter_params, *(among or []), *(among or [])]
    # Each (event, source entity, target entity) once. As in ``_ends``, only events with
    # several actors in a role can repeat one, so only theirs go through DISTINCT. The
    # tables are joined directly rather than a CTE twice, whose row count a planner
    # cannot estimate (PostgreSQL then nests loops over every pair of rows).
    pairs = f"""SELECT e.event_id, e.goldstein, {source_key} AS se, {target_key} AS te
        FROM events e
        JOIN event_actors s ON s.event_id = e.event_id AND s.role = 'source'
        JOIN event_actors t ON t.event_id = e.event_id AND t.role = 'target'"""
    inside = "e.event_id IN (SELECT event_id FROM compound)"
    plain = _where(event_filter, [*restrict, f"NOT {inside}"])[0]
    repeated = _where(event_filter, [*restrict, inside])[0]
    statement = f"""{_with(_COMPOUND)}
    SELECT se, te, COUNT(*) AS n, AVG(goldstein) FROM (
        {pairs} {plain}
        UNION ALL
        SELECT DISTINCT * FROM ({pairs} {repeated}) AS r
    ) AS p
    GROUP BY se, te
    HAVING COUNT(*) >= ?
    ORDER BY n DESC, se, te
    LIMIT ?"""
    params = params + params
    result = store.fetch(sql.Query(statement, (*params, min_count, limit)))
    return [(str(s), str(t), int(n), _round(mean)) for s, t, n, mean in result]


def network(
    store: Store,
    event_filter: EventFilter,
    by: str = "entity",
    min_count: int = 1,
    limit: int = 500,
    node_limit: int | None = None,
) -> dict[str, Any]:
    """The actor network: ``nodes`` (entities with their events as source and as target,
    and their ``activity``, the sum of both) and ``edges``.

    With ``node_limit``, the busiest entities are the nodes and the edges are the pairs
    among them; without it, the ``limit`` busiest pairs and the entities they join.
    ``entities`` says how many entities the filter reaches in all.
    """
    if node_limit is not None:
        counts, total = entity_counts(store, event_filter, by, node_limit)
        pairs = entity_edges(
            store, event_filter, by, min_count, limit, among=[c.key for c in counts]
        )
    else:
        pairs = entity_edges(store, event_filter, by, min_count, limit)
        keys = sorted({k for s, t, _, _ in pairs for k in (s, t)})
        everything, total = entity_counts(store, event_filter, by, 2**31 - 1)
        counts = [c for c in everything if c.key in set(keys)]
    labels = entity_labels(store, event_filter, [c.key for c in counts], by)
    nodes = [
        {
            **labels[c.key],
            "activity": c.activity,
            "as_source": c.as_source,
            "as_target": c.as_target,
        }
        for c in counts
    ]
    edges = []
    for source, target, n, mean in pairs:
        s, t = labels[source], labels[target]
        edges.append(
            {
                "source": s["name"],
                "source_code": s["code"],
                "source_country": s["country"],
                "source_entity": source,
                "target": t["name"],
                "target_code": t["code"],
                "target_country": t["country"],
                "target_entity": target,
                "count": n,
                "goldstein_mean": mean,
            }
        )
    return {"by": by, "entities": total, "nodes": nodes, "edges": edges}


def entity_actors(
    store: Store, by: str = "entity", q: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """A page of the actor list by entity, most active first, and how many entities match
    ``q``: each with the events it takes part in (as source or target, each event once),
    as source, as target, and how often its actors are mentioned."""
    counts, total = entity_counts(store, EventFilter(), by, limit, offset, q)
    keys = [c.key for c in counts]
    if not keys:
        return [], total
    labels = entity_labels(store, EventFilter(), keys, by)
    statement = f"""{_with(_ends(by))}
    SELECT entity, COUNT(DISTINCT event_id) FROM ends
    WHERE entity IN ({_placeholders(keys)}) GROUP BY entity"""
    events = {str(k): int(n) for k, n in store.fetch(sql.Query(statement, tuple(keys)))}
    mentions = entity_mentions(store, keys, by)
    out = []
    for c in counts:
        label = labels[c.key]
        out.append(
            {
                "key": c.key,
                "code": label["code"],
                "name": label["name"],
                "country": label["country"],
                "sector": label["sector"],
                "kind": label["kind"],
                "events": events.get(c.key, 0),
                "as_source": c.as_source,
                "as_target": c.as_target,
                "mentions": mentions.get(c.key, 0),
                "members": label["members"],
            }
        )
    return out, total


def entity_mentions(store: Store, keys: list[str], by: str = "entity") -> dict[str, int]:
    """How many times the actors of each entity are mentioned in the stored articles."""
    if not keys:
        return {}
    key = entity_key("mn", by)
    statement = f"""SELECT {key} AS entity, COUNT(*) FROM mentions mn
        WHERE {key} IN ({_placeholders(keys)}) GROUP BY {key}"""
    return {str(k): int(n) for k, n in store.fetch(sql.Query(statement, tuple(keys)))}


def entity_condition(roles: tuple[str, ...], by: str = "entity") -> str:
    """A condition on ``events e``: one of its actors in ``roles`` belongs to the entity
    given as the one bound parameter."""
    allowed = {"source", "target"}
    if not roles or not set(roles) <= allowed:
        raise ValueError(f"roles must be among {', '.join(sorted(allowed))}")
    listed = ", ".join(f"'{r}'" for r in roles)
    return f"""EXISTS (SELECT 1 FROM event_actors en WHERE en.event_id = e.event_id
        AND en.role IN ({listed}) AND {entity_key("en", by)} = ?)"""


@dataclass(frozen=True)
class EntityFilter:
    """Events of an entity (as source or target), or from one entity to another."""

    by: str = "entity"
    entity: str | None = None
    source: str | None = None
    target: str | None = None

    def conditions(self) -> tuple[list[str], list[Any]]:
        """SQL conditions over ``events e`` and their parameters."""
        out: list[str] = []
        params: list[Any] = []
        for value, roles in (
            (self.entity, ("source", "target")),
            (self.source, ("source",)),
            (self.target, ("target",)),
        ):
            if value:
                out.append(entity_condition(roles, self.by))
                params.append(value)
        return out, params

    def __bool__(self) -> bool:
        return bool(self.entity or self.source or self.target)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


# -- the events table: any column, keyset pages ------------------------------------------


@dataclass(frozen=True)
class SortColumn:
    """A column the events table sorts by: its key expression for each direction (never
    NULL, so that keyset comparisons hold), and the type of its values."""

    ascending: str
    descending: str
    kind: str  # "date", "number" or "text"
    join: str = ""


_FIRST_ACTOR = (
    "LEFT JOIN event_actors {a} ON {a}.event_id = e.event_id AND {a}.role = '{role}' "
    "AND {a}.position = 0"
)


def _same(expression: str, kind: str, join: str = "") -> SortColumn:
    return SortColumn(expression, expression, kind, join)


#: The sortable columns. Undated events come last in both directions.
SORT_COLUMNS: dict[str, SortColumn] = {
    "date": SortColumn(
        "COALESCE(e.date_start, DATE '9999-12-31')",
        "COALESCE(e.date_start, DATE '0001-01-01')",
        "date",
    ),
    "source": _same(
        "LOWER(COALESCE(sk.name, ''))", "text", _FIRST_ACTOR.format(a="sk", role="source")
    ),
    "target": _same(
        "LOWER(COALESCE(tk.name, ''))", "text", _FIRST_ACTOR.format(a="tk", role="target")
    ),
    "plover": _same("COALESCE(e.plover, '')", "text"),
    "cameo": _same("e.cameo", "text"),
    "goldstein": _same("e.goldstein", "number"),
    "modality": _same("e.modality", "text"),
    "confidence": _same("e.confidence", "number"),
    "evidence": _same("LOWER(e.evidence_sentence)", "text"),
}
DIRECTIONS: tuple[str, ...] = ("asc", "desc")


@dataclass(frozen=True)
class Cursor:
    """A row of the table as a page boundary: its sort key and event id."""

    key: Any
    event_id: str

    def token(self) -> str:
        """The cursor as URL-safe text."""
        key = self.key.isoformat() if isinstance(self.key, date) else self.key
        raw = json.dumps([key, self.event_id], separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def parse_cursor(name: str, token: str, sort: str) -> Cursor:
    """A cursor from its token, its key read as the ``sort`` column's type; ``ValueError``
    naming ``name`` when it is not one."""
    kind = SORT_COLUMNS[sort].kind
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        key, event_id = json.loads(raw.decode("utf-8"))
        if not isinstance(event_id, str):
            raise TypeError(event_id)
        if kind == "date":
            key = date.fromisoformat(key)
        elif kind == "number":
            if isinstance(key, bool) or not isinstance(key, int | float):
                raise TypeError(key)
            key = float(key)
        elif not isinstance(key, str):
            raise TypeError(key)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValueError(
            f"{name} must be a page cursor of this table sorted by {sort}, got {token[:40]!r}"
        ) from None
    return Cursor(key, event_id)


@dataclass(frozen=True)
class EventPage:
    """One page of the events table."""

    events: list[dict[str, Any]]
    #: How many rows come before this page in the sort order.
    position: int
    #: Cursors to the pages around it (None: there is none).
    previous: str | None
    next: str | None


def _after(key: str, ascending: bool) -> str:
    """Rows after the cursor (bound as key, key, event id) in the given direction."""
    op = ">" if ascending else "<"
    return f"({key} {op} ? OR ({key} = ? AND e.event_id {op} ?))"


def event_page(
    store: Store,
    event_filter: EventFilter,
    sort: str = "date",
    direction: str = "desc",
    size: int = 50,
    after: Cursor | None = None,
    before: Cursor | None = None,
    entities: EntityFilter | None = None,
    offset: int = 0,
) -> EventPage:
    """A page of events sorted by ``sort`` then event id, both ``direction``: the first
    page, the page after ``after`` or the page before ``before``. ``offset`` skips rows
    (for old links; the table's own links never use it)."""
    if sort not in SORT_COLUMNS:
        raise ValueError(f"sort must be one of {', '.join(SORT_COLUMNS)}, got {sort!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"order must be asc or desc, got {direction!r}")
    column = SORT_COLUMNS[sort]
    ascending = direction == "asc"
    key = column.ascending if ascending else column.descending
    extra, extra_params = entities.conditions() if entities else ([], [])
    backwards = before is not None
    boundary = before if backwards else after
    keyset: list[Any] = []
    if boundary is not None:
        extra = [*extra, _after(key, ascending != backwards)]
        keyset = [boundary.key, boundary.key, boundary.event_id]
    where, params = _where(event_filter, extra)
    reading = "ASC" if ascending != backwards else "DESC"
    columns = ", ".join(f"e.{c}" for c in sql.EVENT_COLUMNS)
    skip = 0 if boundary is not None else offset
    # A keyset page never skips rows: OFFSET only serves an old link's offset.
    skipping = " OFFSET ?" if skip else ""
    statement = f"""SELECT {columns}, {key} AS sort_key FROM events e {column.join} {where}
    ORDER BY sort_key {reading}, e.event_id {reading} LIMIT ?{skipping}"""
    bounds = (size + 1, skip) if skip else (size + 1,)
    found = store.fetch(sql.Query(statement, (*params, *extra_params, *keyset, *bounds)))
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    events = [rows.event_from_row(r[:-1]) for r in found]
    cursors = [Cursor(r[-1], e["event_id"]) for r, e in zip(found, events, strict=True)]
    if not cursors:
        position = skip
    else:
        position = _rows_before(store, event_filter, entities, column, key, ascending, cursors[0])
    has_next = more if not backwards else True
    return EventPage(
        events=events,
        position=position,
        previous=cursors[0].token() if cursors and position > 0 else None,
        next=cursors[-1].token() if cursors and has_next else None,
    )


def _rows_before(
    store: Store,
    event_filter: EventFilter,
    entities: EntityFilter | None,
    column: SortColumn,
    key: str,
    ascending: bool,
    first: Cursor,
) -> int:
    """How many rows precede ``first`` in the sort order (a count, not a scan of pages)."""
    extra, extra_params = entities.conditions() if entities else ([], [])
    where, params = _where(event_filter, [*extra, _after(key, not ascending)])
    statement = f"SELECT COUNT(*) FROM events e {column.join} {where}"
    keyset = (first.key, first.key, first.event_id)
    return int(store.fetch(sql.Query(statement, (*params, *extra_params, *keyset)))[0][0])


def count_events(
    store: Store, event_filter: EventFilter, entities: EntityFilter | None = None
) -> int:
    """How many events match the filter and the entity conditions."""
    extra, extra_params = entities.conditions() if entities else ([], [])
    where, params = _where(event_filter, extra)
    statement = f"SELECT COUNT(*) FROM events e {where}"
    return int(store.fetch(sql.Query(statement, (*params, *extra_params)))[0][0])


# -- the timeline ------------------------------------------------------------------------


def date_extent(store: Store, event_filter: EventFilter) -> tuple[date | None, date | None, int]:
    """The first and last day events under the filter start on, and how many are dated."""
    where, params = _where(event_filter, ["e.date_start IS NOT NULL"])
    statement = f"SELECT MIN(e.date_start), MAX(e.date_start), COUNT(*) FROM events e {where}"
    first, last, n = store.fetch(sql.Query(statement, tuple(params)))[0]
    return rows_date(first), rows_date(last), int(n)


def rows_date(value: Any) -> date | None:
    """A database date (or timestamp) as a date."""
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


@dataclass(frozen=True)
class DayCount:
    """Events of one day and QuadClass."""

    day: date
    quad_class: int
    count: int
    goldstein_sum: float


def day_counts(store: Store, event_filter: EventFilter) -> list[DayCount]:
    """Dated events under the filter, counted per day and QuadClass (in day order)."""
    where, params = _where(event_filter, ["e.date_start IS NOT NULL"])
    statement = f"""SELECT e.date_start, e.quad_class, COUNT(*), SUM(e.goldstein)
    FROM events e {where} GROUP BY e.date_start, e.quad_class
    ORDER BY e.date_start, e.quad_class"""
    return [
        DayCount(rows_date(day), int(q), int(n), float(total or 0.0))
        for day, q, n, total in store.fetch(sql.Query(statement, tuple(params)))
    ]


# -- facets of the events table ------------------------------------------------------------

def facets(
    store: Store,
    event_filter: EventFilter,
    entities: EntityFilter | None = None,
    limit: int = 50,
) -> dict[str, list[dict[str, Any]]]:
    """Values and event counts of each facet under the filter and the entity conditions
    (``Store.facets`` when there are none)."""
    if not entities:
        return store.facets(limit=limit, **event_filter.__dict__)
    extra, extra_params = entities.conditions()
    where, params = _where(event_filter, extra)
    out: dict[str, list[dict[str, Any]]] = {}
    for name in sql.FACETS:
        statement = sql.facet_sql(name, where)
        result = store.fetch(sql.Query(statement, (*params, *extra_params, limit)))
        out[name] = [{"value": v, "count": int(n)} for v, n in result]
    return out
