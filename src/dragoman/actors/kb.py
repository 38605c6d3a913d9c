"""The actor knowledge base: states, organisations, people and generic actor words.

The team's knowledge lives in YAML files under ``dragoman/data/actors``; actors and role
terms imported from the Phoenix dictionaries live in TSV files under
``dragoman/data/actors/imported`` (see its PROVENANCE.md). This module loads and validates
both once per process, the team's first: a surface form, actor or term the team defines
always wins over an imported one. It offers lookups by surface form.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

#: libyaml's safe loader when PyYAML was built with it (several times faster), else PyYAML's.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
#: Folder (inside a data folder) of the actor knowledge imported from other dictionaries.
IMPORTED_DIR_NAME = "imported"

#: How a name surface form relates to the actor it denotes.
NAME_ROLES = ("name", "short", "demonym", "capital", "seat")


class KnowledgeBaseError(ValueError):
    """A knowledge-base file is missing or holds a malformed entry."""


@dataclass(frozen=True, slots=True)
class Role:
    """An office a person held, with the dates it covers (inclusive, open-ended when None)."""

    title: str
    country: str | None
    sector: str | None
    org: str | None = None
    start: date | None = None
    end: date | None = None
    uncertain: bool = False
    #: The role's full CAMEO code when it is more than country + sector ("IGOUNOKID",
    #: "HTIGOVJUD"); imported roles carry it, the team's roles leave it to be derived.
    code: str | None = None

    def covers(self, when: date) -> bool:
        """True when the role was held on ``when``."""
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


@dataclass(frozen=True, slots=True)
class Actor:
    """A named actor: a state, an organisation or group, or a person."""

    id: str
    name: str
    #: ``state``, ``organization``, ``group`` or ``person``.
    kind: str
    code: str
    country: str | None = None
    sector: str | None = None
    roles: tuple[Role, ...] = ()
    #: Demonyms for states ("Russian"); the first is used to name derived actors.
    demonyms: tuple[str, ...] = ()

    def role_on(self, when: date | None) -> Role | None:
        """The role valid on ``when``; else the most recent one (by start date)."""
        if not self.roles:
            return None
        if when is not None:
            valid = [r for r in self.roles if r.covers(when)]
            if valid:
                return max(valid, key=lambda r: r.start or date.min)
            # Nothing covers the date: prefer the latest role that began before it.
            earlier = [r for r in self.roles if r.start is None or r.start <= when]
            if earlier:
                return max(earlier, key=lambda r: r.start or date.min)
        return max(self.roles, key=lambda r: r.start or date.min)


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One surface form pointing at an actor."""

    actor_id: str
    #: One of :data:`NAME_ROLES`.
    role: str
    #: Sector the form implies (capitals and seats stand for a government body).
    sector: str | None = None


@dataclass(frozen=True)
class Term:
    """A common-noun phrase that names a body, a role, a title, an honorific or an anaphor."""

    #: ``body``, ``role``, ``title``, ``honorific`` or ``anaphor``.
    category: str
    label: str
    sector: str | None = None
    #: Body type ("ministry") or anaphor target ("group").
    type: str | None = None
    #: True when the word can stand directly before a personal name.
    takes_name: bool = False
    #: Country the phrase implies on its own ("Jewish settlers" -> ISR), if any.
    country: str | None = None


@dataclass
class KnowledgeBase:
    """Actors and actor words, indexed for recognition."""

    actors: dict[str, Actor] = field(default_factory=dict)
    #: Case-sensitive surface form -> the actors it may denote.
    names: dict[str, list[NameEntry]] = field(default_factory=lambda: defaultdict(list))
    #: Lower-case phrase -> term readings.
    terms: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    #: Surface forms declared ambiguous (allowed to point at several actors).
    ambiguous: set[str] = field(default_factory=set)
    modifiers: frozenset[str] = frozenset()
    locative_prepositions: frozenset[str] = frozenset()
    #: Nouns for a part of a place: a capital in their "of" phrase is a place.
    spatial_nouns: frozenset[str] = frozenset()
    title_sectors: dict[str, str | None] = field(default_factory=dict)
    #: Pronoun (lower case) -> ``person``, ``singular`` or ``plural``.
    pronouns: dict[str, str] = field(default_factory=dict)
    #: Number word -> how many earlier people it points at ("the two leaders").
    numbers: dict[str, int] = field(default_factory=dict)
    #: Last word of an unknown organisation's name -> the sector it implies ("front": REB).
    organisation_heads: dict[str, str] = field(default_factory=dict)
    #: Words joined by a hyphen before an actor word that make a modifier of stance: the
    #: group so described is not that actor ("pro" in "pro-Russian separatists").
    stance_prefixes: frozenset[str] = frozenset()
    #: The same after the actor word ("backed" in "Iranian-backed militias").
    stance_suffixes: frozenset[str] = frozenset()

    #: Title -> people with a role of that title, in load order (built on first use).
    _titled: dict[str, list[Actor]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, data_dir: Path | None = None, imported: bool = True) -> KnowledgeBase:
        """Load and validate the knowledge base from ``data_dir`` (cached per directory).

        ``imported`` also loads the imported actor files of ``data_dir/imported`` (when the
        folder exists) after the team's YAML files; ``imported=False`` gives the team's
        knowledge alone, for comparison.
        """
        return _load_cached(Path(data_dir or DEFAULT_DATA_DIR).resolve(), imported)

    # ----- lookups -------------------------------------------------------------------
    def lookup_name(self, surface: str) -> list[NameEntry]:
        """The actors a case-sensitive surface form may denote (empty when unknown)."""
        return self.names.get(surface, [])

    def lookup_term(self, phrase: str) -> list[Term]:
        """The readings of a common-noun phrase (matched lower-case)."""
        return self.terms.get(phrase.lower(), [])

    def country(self, code: str) -> Actor | None:
        """The state with ISO alpha-3 ``code``."""
        actor = self.actors.get(code)
        return actor if actor is not None and actor.kind == "state" else None

    def demonym(self, country_code: str) -> str:
        """The adjective used to name actors of a country ("Russian"), else its name."""
        actor = self.actors.get(country_code)
        if actor is None:
            return country_code
        return actor.demonyms[0] if actor.demonyms else actor.name

    def holders(
        self, title: str, country: str | None, org: str | None, when: date | None
    ) -> list[Actor]:
        """People who held ``title`` for ``country`` (or ``org``) on ``when``.

        Without a date, only current holders (open-ended roles) count.
        """
        if self._titled is None:
            titled: dict[str, list[Actor]] = defaultdict(list)
            for actor in self.actors.values():
                for label in dict.fromkeys(r.title for r in actor.roles if r.title):
                    titled[label].append(actor)
            self._titled = dict(titled)
        found = []
        for actor in self._titled.get(title, ()):
            for role in actor.roles:
                if role.title != title:
                    continue
                if org is not None and role.org != org:
                    continue
                if org is None and (role.org is not None or role.country != country):
                    continue
                if (when is not None and role.covers(when)) or (when is None and role.end is None):
                    found.append(actor)
                    break
        return found

    def person_code(self, actor: Actor, when: date | None) -> tuple[str, str | None, str | None]:
        """(code, country, sector) of a person on ``when``, from the role held then."""
        role = actor.role_on(when)
        if role is None:
            return actor.code, actor.country, actor.sector
        if role.code is not None and role.org is None:
            return role.code, role.country, role.sector
        if role.org is not None:
            org = self.actors[role.org]
            return org.code, org.country or role.country, org.sector or role.sector
        sector = role.sector or "GOV"
        return f"{role.country}{sector}", role.country, sector


@lru_cache(maxsize=4)
def _load_cached(data_dir: Path, imported: bool = True) -> KnowledgeBase:
    kb = KnowledgeBase()
    _load_generic(kb, data_dir / "generic.yaml")
    _load_countries(kb, data_dir / "countries.yaml")
    _load_organizations(kb, data_dir / "organizations.yaml")
    _load_people(kb, data_dir / "people.yaml")
    _check_ambiguity(kb)
    _check_term_countries(kb)
    if imported and (data_dir / IMPORTED_DIR_NAME).is_dir():
        _load_imported(kb, data_dir / IMPORTED_DIR_NAME)
    return kb


# ----- a user's own knowledge -------------------------------------------------------------
#: Sections a user's actor file may hold, each in the format of the packaged file named.
USER_SECTIONS = ("people", "organizations", "roles")


def with_user_files(
    paths: list[Path], data_dir: Path | None = None, imported: bool = True
) -> KnowledgeBase:
    """The packaged knowledge base plus the actors of a user's YAML files, which take
    precedence: a surface form a user file gives is theirs alone.

    A user file is a mapping with any of ``people`` (entries as in ``people.yaml``),
    ``organizations`` (as in ``organizations.yaml``) and ``roles`` (as the ``roles`` of
    ``generic.yaml``). Errors name the file and the entry, as for the packaged files."""
    if not paths:
        return KnowledgeBase.load(data_dir, imported)
    # a fresh copy: the cached base is shared by every pipeline of the process
    kb = _load_cached.__wrapped__(Path(data_dir or DEFAULT_DATA_DIR).resolve(), imported)
    for path in paths:
        data = _read_yaml(path)
        if not isinstance(data, dict) or not data or set(data) - set(USER_SECTIONS):
            raise KnowledgeBaseError(
                f"{path}: expected a mapping with any of {', '.join(USER_SECTIONS)}"
            )
        sections = {}
        for section in USER_SECTIONS:
            entries = data.get(section) or []
            if not isinstance(entries, list):
                raise KnowledgeBaseError(f"{path} {section}: expected a list")
            sections[section] = entries
        for entry in sections["people"] + sections["organizations"]:
            if isinstance(entry, dict):
                for key in ("name", "aliases", "short"):
                    values = entry.get(key) or []
                    for surface in [values] if isinstance(values, str) else values:
                        kb.names.pop(surface, None)
                if entry.get("id") in kb.actors:
                    # the user's entry replaces the packaged actor of that id, names and all
                    _forget(kb, entry["id"])
        _add_roles(kb, sections["roles"], f"{path} roles")
        _add_organizations(kb, sections["organizations"], f"{path} organizations")
        _add_people(kb, sections["people"], f"{path} people")
    _check_ambiguity(kb)
    return kb


def _forget(kb: KnowledgeBase, actor_id: str) -> None:
    del kb.actors[actor_id]
    for surface in list(kb.names):
        kept = [e for e in kb.names[surface] if e.actor_id != actor_id]
        if kept:
            kb.names[surface] = kept
        else:
            del kb.names[surface]


# ----- imported knowledge ------------------------------------------------------------------
_IMPORTED_COLUMNS = {
    "actors.tsv": ("id", "kind", "name", "code", "country", "sector", "source"),
    "names.tsv": ("surface", "actor", "role"),
    "roles.tsv": (
        "actor",
        "title",
        "country",
        "sector",
        "org",
        "start",
        "end",
        "uncertain",
        "code",
    ),
    "terms.tsv": ("phrase", "label", "sector", "source"),
}
_KIND_FAMILY = {"state": "state", "person": "person", "organization": "org", "group": "org"}


def _read_tsv(folder: Path, name: str) -> list[tuple[int, list[str]]]:
    """Rows of an imported TSV file as (line number, cells), after its comment lines and its
    header row (see :func:`_where` for the error messages that name them)."""
    path = folder / name
    if not path.is_file():
        raise KnowledgeBaseError(f"{folder.name}/{name}: file not found in {folder.parent}")
    columns = _IMPORTED_COLUMNS[name]
    width = len(columns)
    rows: list[tuple[int, list[str]]] = []
    header = False
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line or line[0] == "#":
            continue
        cells = line.split("\t")
        if not header:
            if tuple(cells) != columns:
                raise KnowledgeBaseError(
                    f"{_where(folder, name, number)}: expected the header {'/'.join(columns)}"
                )
            header = True
        elif len(cells) != width:
            raise KnowledgeBaseError(
                f"{_where(folder, name, number)}: expected {width} tab-separated fields, "
                f"got {len(cells)}"
            )
        else:
            rows.append((number, cells))
    return rows


def _where(folder: Path, name: str, number: int) -> str:
    return f"{folder.name}/{name} line {number}"


def _is_code(value: str) -> bool:
    return len(value) >= 3 and value.isascii() and value.isalnum() and value.isupper()


def _load_imported(kb: KnowledgeBase, folder: Path) -> None:
    """Add the imported actors, names, roles and terms of ``folder`` to a knowledge base
    that already holds the team's: whatever the team defines is kept and not duplicated."""
    team_forms = set(kb.names)
    imported_terms: set[str] = set()
    # terms: only phrases the team has no reading for
    for number, (phrase, label, sector, _source) in _read_tsv(folder, "terms.tsv"):
        if not phrase or phrase != phrase.lower() or not label or not _is_code(sector):
            raise KnowledgeBaseError(
                f"{_where(folder, 'terms.tsv', number)}: a term needs a lower-case phrase, "
                "a label and a sector"
            )
        if phrase in imported_terms:
            raise KnowledgeBaseError(
                f"{_where(folder, 'terms.tsv', number)}: term {phrase!r} is listed twice"
            )
        imported_terms.add(phrase)
        if phrase in kb.terms:
            continue  # the team's reading stands
        kb.terms[phrase].append(Term("role", label, sector))

    actor_rows = _read_tsv(folder, "actors.tsv")
    seen: set[str] = set()
    for number, cells in actor_rows:
        actor_id, kind, name, code = cells[:4]
        where = _where(folder, "actors.tsv", number)
        if not actor_id or not name or not code or kind not in _KIND_FAMILY:
            raise KnowledgeBaseError(f"{where}: an actor needs an id, a kind, a name and a code")
        if actor_id in seen:
            raise KnowledgeBaseError(f"{where}: duplicate actor id {actor_id!r}")
        seen.add(actor_id)
    skipped: set[str] = set()
    # states first: imported codes may name them
    for number, (actor_id, kind, name, code, _country, _sector, _src) in actor_rows:
        if kind != "state":
            continue
        where = _where(folder, "actors.tsv", number)
        if not (len(code) == 3 and code.isalpha() and code.isupper() and actor_id == code):
            raise KnowledgeBaseError(f"{where}: a state's id and code are its alpha-3 code")
        if code in kb.actors:
            skipped.add(actor_id)
            continue
        _add_actor(kb, Actor(code, name, "state", code, country=code), where)
    states = {a.id for a in kb.actors.values() if a.kind == "state"}

    roles: dict[str, list[Role]] = defaultdict(list)
    for number, cells in _read_tsv(folder, "roles.tsv"):
        actor_id, title, country, sector, org, start, end, uncertain, code = cells
        problem = None
        if actor_id not in seen:
            problem = f"role of unknown actor {actor_id!r}"
        elif title and title not in kb.title_sectors:
            problem = f"title {title!r} is not a title in generic.yaml"
        elif country and country not in states:
            problem = f"unknown country {country!r}"
        elif org and (org not in kb.actors or kb.actors[org].kind not in ("organization", "group")):
            problem = f"unknown organisation {org!r}"
        elif not _is_code(code) or (sector and not _is_code(sector)):
            problem = f"bad code {code!r} or sector {sector!r}"
        elif uncertain not in ("", "1"):
            problem = "uncertain must be 1 or empty"
        where = ""
        if problem is None:
            try:
                first = date.fromisoformat(start) if start else None
                last = date.fromisoformat(end) if end else None
            except ValueError:
                problem = f"bad date {start!r} or {end!r}"
            else:
                if first and last and last < first:
                    problem = "role ends before it starts"
        if problem is not None:
            where = _where(folder, "roles.tsv", number)
            raise KnowledgeBaseError(f"{where}: {problem}")
        roles[actor_id].append(
            Role(
                title,
                country or None,
                sector or None,
                org or None,
                first,
                last,
                uncertain == "1",
                code,
            )
        )

    for number, (actor_id, kind, name, code, country, sector, _src) in actor_rows:
        if kind == "state":
            continue
        problem = None
        if country and country not in states:
            problem = f"unknown country {country!r}"
        elif kind == "person" and not roles.get(actor_id):
            problem = f"person {actor_id!r} has no role in roles.tsv"
        elif kind != "person" and actor_id in roles:
            problem = "only people have roles"
        if problem is not None:
            raise KnowledgeBaseError(f"{_where(folder, 'actors.tsv', number)}: {problem}")
        if actor_id in kb.actors or _is_team_duplicate(kb, name, kind, team_forms):
            skipped.add(actor_id)
            continue
        kb.actors[actor_id] = Actor(
            actor_id,
            name,
            kind,
            code,
            country=country or None,
            sector=sector or None,
            roles=tuple(roles.get(actor_id, ())),
        )

    names = kb.names
    for number, (surface, actor_id, role) in _read_tsv(folder, "names.tsv"):
        if not surface or role not in NAME_ROLES:
            raise KnowledgeBaseError(
                f"{_where(folder, 'names.tsv', number)}: a name needs a surface form and a role"
            )
        if actor_id in skipped or surface in team_forms:
            continue  # the team's reading wins
        actor = kb.actors.get(actor_id)
        if actor is None:
            raise KnowledgeBaseError(
                f"{_where(folder, 'names.tsv', number)}: name {surface!r} of unknown actor "
                f"{actor_id!r}"
            )
        entries = names.get(surface)
        if entries is None:
            names[surface] = [NameEntry(actor_id, role)]
            continue
        others = {e.actor_id for e in entries} - {actor_id}
        if others:
            if actor.kind != "person" or any(kb.actors[o].kind != "person" for o in others):
                raise KnowledgeBaseError(
                    f"{_where(folder, 'names.tsv', number)}: name {surface!r} points at "
                    f"several actors: {sorted(others | {actor_id})}"
                )
            kb.ambiguous.add(surface)
        _add_name(kb, surface, NameEntry(actor_id, role))


def _is_team_duplicate(kb: KnowledgeBase, name: str, kind: str, team_forms: set[str]) -> bool:
    """True when the team already has this actor: its name is the team's name for an actor of
    the same family (person, organisation or group, state)."""
    if name not in team_forms:
        return False
    family = _KIND_FAMILY[kind]
    return any(_KIND_FAMILY[kb.actors[e.actor_id].kind] == family for e in kb.names[name])


def _check_term_countries(kb: KnowledgeBase) -> None:
    for phrase, terms in kb.terms.items():
        for term in terms:
            if term.country is not None and kb.country(term.country) is None:
                raise KnowledgeBaseError(
                    f"generic.yaml: term {phrase!r} names unknown country {term.country!r}"
                )


# ----- file readers ----------------------------------------------------------------------
def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise KnowledgeBaseError(f"{path.name}: file not found in {path.parent}")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{path.name}: not valid YAML: {exc}") from exc


def _require(entry: Any, keys: tuple[str, ...], where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise KnowledgeBaseError(f"{where}: expected a mapping, got {entry!r}")
    missing = [k for k in keys if not entry.get(k)]
    if missing:
        raise KnowledgeBaseError(f"{where}: missing {', '.join(missing)} in {entry!r}")
    return entry


def _str_list(entry: dict[str, Any], key: str, where: str) -> list[str]:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise KnowledgeBaseError(f"{where}: {key!r} must be a list of non-empty strings")
    return value


def _add_actor(kb: KnowledgeBase, actor: Actor, where: str) -> None:
    if actor.id in kb.actors:
        raise KnowledgeBaseError(f"{where}: duplicate actor id {actor.id!r}")
    kb.actors[actor.id] = actor


def _add_name(kb: KnowledgeBase, surface: str, entry: NameEntry) -> None:
    if entry not in kb.names[surface]:
        kb.names[surface].append(entry)


def _load_countries(kb: KnowledgeBase, path: Path) -> None:
    entries = _read_yaml(path)
    if not isinstance(entries, list):
        raise KnowledgeBaseError(f"{path.name}: expected a list of countries")
    for i, raw in enumerate(entries):
        where = f"{path.name} entry {i + 1}"
        entry = _require(raw, ("code", "name"), where)
        code = entry["code"]
        if not (isinstance(code, str) and len(code) == 3 and code.isalpha() and code.isupper()):
            raise KnowledgeBaseError(f"{where} ({entry['name']}): code {code!r} is not alpha-3")
        demonyms = _str_list(entry, "demonyms", where)
        _add_actor(
            kb,
            Actor(code, entry["name"], "state", code, country=code, demonyms=tuple(demonyms)),
            where,
        )
        for surface in [entry["name"], *_str_list(entry, "aliases", where)]:
            _add_name(kb, surface, NameEntry(code, "name"))
        for surface in demonyms:
            _add_name(kb, surface, NameEntry(code, "demonym"))
        for surface in _str_list(entry, "capitals", where):
            _add_name(kb, surface, NameEntry(code, "capital", "GOV"))
        for seat in entry.get("seats") or []:
            seat = _require(seat, ("name", "sector"), f"{where} seat")
            _add_name(kb, seat["name"], NameEntry(code, "seat", seat["sector"]))


def _load_organizations(kb: KnowledgeBase, path: Path) -> None:
    data = _require(_read_yaml(path), ("bodies", "organizations"), path.name)
    for i, raw in enumerate(data["bodies"]):
        where = f"{path.name} bodies entry {i + 1}"
        body = _require(raw, ("label", "sector", "type", "terms"), where)
        for term in _str_list(body, "terms", where):
            kb.terms[term.lower()].append(Term("body", body["label"], body["sector"], body["type"]))
    _add_organizations(kb, data["organizations"], f"{path.name} organizations")


def _add_organizations(kb: KnowledgeBase, entries: list[Any], label: str) -> None:
    for i, raw in enumerate(entries):
        where = f"{label} entry {i + 1}"
        org = _require(raw, ("id", "name", "kind", "code"), where)
        if org["kind"] not in ("organization", "group"):
            raise KnowledgeBaseError(f"{where} ({org['id']}): kind must be organization or group")
        country = org.get("country")
        if country is not None and country not in kb.actors:
            raise KnowledgeBaseError(f"{where} ({org['id']}): unknown country {country!r}")
        _add_actor(
            kb,
            Actor(
                org["id"],
                org["name"],
                org["kind"],
                org["code"],
                country=country,
                sector=org.get("sector"),
            ),
            where,
        )
        for surface in [org["name"], *_str_list(org, "aliases", where)]:
            _add_name(kb, surface, NameEntry(org["id"], "name"))


def _parse_date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise KnowledgeBaseError(f"{where}: bad date {value!r}") from exc


def _load_people(kb: KnowledgeBase, path: Path) -> None:
    entries = _read_yaml(path)
    if not isinstance(entries, list):
        raise KnowledgeBaseError(f"{path.name}: expected a list of people")
    _add_people(kb, entries, path.name)


def _add_people(kb: KnowledgeBase, entries: list[Any], label: str) -> None:
    for i, raw in enumerate(entries):
        where = f"{label} entry {i + 1}"
        person = _require(raw, ("id", "name", "roles"), where)
        where = f"{where} ({person['id']})"
        roles = []
        for raw_role in person["roles"]:
            role = _require(raw_role, ("title",), f"{where} role")
            title = role["title"]
            if title not in kb.title_sectors:
                raise KnowledgeBaseError(f"{where}: title {title!r} is not a title in generic.yaml")
            org, country = role.get("org"), role.get("country")
            if org is not None and kb.actors.get(org, None) is None:
                raise KnowledgeBaseError(f"{where}: unknown org {org!r}")
            if org is None and country not in kb.actors:
                raise KnowledgeBaseError(f"{where}: role needs a known country or org")
            start, end = _parse_date(role.get("start"), where), _parse_date(role.get("end"), where)
            if start and end and end < start:
                raise KnowledgeBaseError(f"{where}: role {title!r} ends before it starts")
            sector = role.get("sector") or kb.title_sectors[title]
            roles.append(Role(title, country, sector, org, start, end, bool(role.get("uncertain"))))
        latest = max(roles, key=lambda r: r.start or date.min)
        _add_actor(
            kb,
            Actor(
                person["id"],
                person["name"],
                "person",
                f"{latest.country or ''}{latest.sector or 'GOV'}",
                country=latest.country,
                sector=latest.sector,
                roles=tuple(roles),
            ),
            where,
        )
        for surface in [person["name"], *_str_list(person, "aliases", where)]:
            _add_name(kb, surface, NameEntry(person["id"], "name"))
        for surface in _str_list(person, "short", where):
            _add_name(kb, surface, NameEntry(person["id"], "short"))


def _load_generic(kb: KnowledgeBase, path: Path) -> None:
    data = _require(_read_yaml(path), ("roles", "titles", "honorifics", "anaphors"), path.name)
    _add_roles(kb, data["roles"], f"{path.name} roles")
    _load_titles_and_words(kb, data, path)


def _add_roles(kb: KnowledgeBase, entries: list[Any], label: str) -> None:
    for i, raw in enumerate(entries):
        where = f"{label} entry {i + 1}"
        role = _require(raw, ("label", "terms"), where)
        for term in _str_list(role, "terms", where):
            kb.terms[term.lower()].append(
                Term(
                    "role",
                    role["label"],
                    role.get("sector"),
                    takes_name=bool(role.get("title")),
                    country=role.get("country"),
                )
            )


def _load_titles_and_words(kb: KnowledgeBase, data: dict[str, Any], path: Path) -> None:
    for i, raw in enumerate(data["titles"]):
        where = f"{path.name} titles entry {i + 1}"
        title = _require(raw, ("label", "terms"), where)
        kb.title_sectors[title["label"]] = title.get("sector")
        for term in _str_list(title, "terms", where):
            kb.terms[term.lower()].append(
                Term(
                    "title",
                    title["label"],
                    title.get("sector"),
                    takes_name=True,
                    country=title.get("country"),
                )
            )
    for word in data["honorifics"]:
        kb.terms[word.lower()].append(Term("honorific", word, takes_name=True))
    for i, raw in enumerate(data["anaphors"]):
        where = f"{path.name} anaphors entry {i + 1}"
        anaphor = _require(raw, ("refers_to", "terms"), where)
        for term in _str_list(anaphor, "terms", where):
            kb.terms[term.lower()].append(Term("anaphor", term, type=anaphor["refers_to"]))
    kb.modifiers = frozenset(w.lower() for w in data.get("modifiers") or [])
    kb.locative_prepositions = frozenset(w.lower() for w in data.get("locative_prepositions") or [])
    kb.spatial_nouns = frozenset(w.lower() for w in data.get("spatial_nouns") or [])
    for klass, words in (data.get("pronouns") or {}).items():
        for word in words:
            kb.pronouns[word.lower()] = klass
    kb.numbers = {str(k).lower(): int(v) for k, v in (data.get("numbers") or {}).items()}
    kb.organisation_heads = {
        str(k).lower(): str(v) for k, v in (data.get("organisation_heads") or {}).items()
    }
    for key in ("stance_prefixes", "stance_suffixes"):
        words = data.get(key) or []
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise KnowledgeBaseError(f"{path.name}: {key!r} must be a list of non-empty strings")
        setattr(kb, key, frozenset(w.lower() for w in words))


def _check_ambiguity(kb: KnowledgeBase) -> None:
    """Reject a surface form that names two different actors unless both are people.

    People may share a short name ("Aoun"): the publication date decides between them, so
    such forms are recorded as ambiguous instead of rejected.
    """
    for surface, entries in kb.names.items():
        actor_ids = {e.actor_id for e in entries}
        if len(actor_ids) < 2:
            continue
        kinds = {kb.actors[a].kind for a in actor_ids}
        if kinds == {"person"}:
            kb.ambiguous.add(surface)
            continue
        raise KnowledgeBaseError(
            f"name {surface!r} points at several actors: {sorted(actor_ids)}; "
            "rename one or make the form person-only"
        )
