"""Bulk import of ACLED and UCDP GED CSV exports, idempotent on the dataset's own event id.

Rows are read in batches; each distinct label is resolved once per import; events and their
links are written with Core executemany (no ORM objects), all in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

import pycountry
from rapidfuzz import fuzz
from sqlalchemy import Connection, Table, bindparam, delete, update
from sqlmodel import Session

from app.errors import InvalidInput
from app.models import ActorRollup, Event, EventActor, EventEquipment, EventRollup, EventSource
from app.models.base import utc_now
from app.reference.gazetteer import normalize_name
from app.reference.records import ACTOR_KINDS
from app.schemas.imports import Dataset, ImportLineError, ImportReport, OnError
from app.services import rollup
from app.services.catalog import Catalog
from app.services.taxonomy import event_taxonomy

Progress = Callable[[int], None]

BATCH_SIZE = 5_000
MAX_REPORTED_ERRORS = 1_000
# A dataset's place is linked to a gazetteer place of the same name only this close to it.
PLACE_LINK_KM = 10.0
SQLITE_IMPORT_CACHE_KIB = 256 * 1024
# An import this large changes the tables enough to refresh the query planner's statistics.
ANALYZE_AFTER_ROWS = 10_000

_EVENTS = Event.__table__  # type: ignore[attr-defined]
_ACTORS = EventActor.__table__  # type: ignore[attr-defined]
_SOURCES = EventSource.__table__  # type: ignore[attr-defined]
_EQUIPMENT = EventEquipment.__table__  # type: ignore[attr-defined]
_EVENT_ROLLUPS = EventRollup.__table__  # type: ignore[attr-defined]
_ACTOR_ROLLUPS = ActorRollup.__table__  # type: ignore[attr-defined]

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "acled": (
        "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
        "country", "latitude", "longitude", "fatalities",
    ),
    "ucdp": (
        "id", "type_of_violence", "side_a", "side_b", "date_start", "country", "latitude",
        "longitude", "best",
    ),
}  # fmt: skip

# Codes of the datasets' own codebooks, mapped to this API's vocabulary.
_ACLED_TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
_ACLED_GEO_PRECISION = {"1": "point", "2": "point", "3": "admin1"}
_UCDP_DATE_PRECISION = {"1": "day", "2": "week", "3": "month", "4": "year", "5": "year"}
_UCDP_WHERE_PRECISION = {
    "1": "point", "2": "point", "3": "admin2", "4": "admin1", "5": "admin1", "6": "country",
}  # fmt: skip
_UCDP_VIOLENCE = {
    "1": ("Battles", "Armed clash"),
    "2": ("Battles", "Armed clash"),
    "3": ("Violence against civilians", "Attack"),
}
# ACLED inter codes (numbers in older exports, labels in newer) give unresolved actors a kind.
_ACLED_INTER_KIND = {
    "1": "state_forces", "state forces": "state_forces",
    "2": "rebel_group", "rebel group": "rebel_group",
    "3": "militia", "political militia": "militia",
    "4": "militia", "identity militia": "militia",
    "5": "rioters", "rioters": "rioters",
    "6": "protesters", "protesters": "protesters",
    "7": "civilians", "civilians": "civilians",
    "8": "other", "external/other forces": "other",
}  # fmt: skip

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_TEXT_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y", "%B %d, %Y")
# `Military Forces of Russia (2000-) Air Force`: the regime years and the unit after them.
_REGIME = re.compile(r"\s*\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\).*$")
_TRAILING_PARENS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_OF_PLACE = re.compile(r"\bof (?:the )?(.+)$", re.IGNORECASE)


class RowError(ValueError):
    """A row that cannot become an event; the message says why."""


@dataclass(frozen=True, slots=True)
class _ActorLink:
    actor_id: str | None
    name: str
    kind: str | None
    country_iso3: str | None
    text: str
    method: str


@dataclass(frozen=True, slots=True)
class _SourceLink:
    actor_id: str | None
    name: str
    text: str


@dataclass(slots=True)
class _Row:
    line: int
    key: str
    values: dict[str, Any]
    actors: list[tuple[_ActorLink, str]]
    sources: list[_SourceLink]


@dataclass
class _Tally:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[ImportLineError] = field(default_factory=list)
    # Rollup groups the stored rows count in now or counted in before a re-import.
    touched: set[rollup.RollupKey] = field(default_factory=set)

    def fail(self, line: int, message: str) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(ImportLineError(line=line, message=message))


def import_bytes(
    *,
    session: Session,
    catalog: Catalog,
    dataset: Dataset,
    data: bytes,
    on_error: OnError = "skip",
) -> ImportReport:
    """Import a CSV file sent as bytes (UTF-8, with or without a byte-order mark)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"the file is not UTF-8 text (byte {exc.start})") from exc
    return import_csv(
        session=session,
        catalog=catalog,
        dataset=dataset,
        lines=io.StringIO(text, newline=""),
        on_error=on_error,
    )


def import_csv(
    *,
    session: Session,
    catalog: Catalog,
    dataset: Dataset,
    lines: Iterable[str],
    on_error: OnError = "skip",
    progress: Progress | None = None,
) -> ImportReport:
    """Read, resolve and store one dataset export in one transaction; a re-import updates."""
    reader = csv.reader(lines)
    header = _header(reader, dataset)
    labels = _Labels(catalog)
    parse = _PARSERS[dataset]
    tally = _Tally()
    connection = session.connection()
    try:
        # One writer thread stores batch n while this one parses batch n+1: the database
        # drivers release the GIL while they work, so reading and writing overlap.
        with _import_tuning(connection), ThreadPoolExecutor(max_workers=1) as writer:
            writing: Future[None] | None = None
            for batch in _batches(reader, header, tally):
                rows: list[_Row] = []
                for line, fields in batch:
                    try:
                        rows.append(parse(line, fields, labels))
                    except RowError as exc:
                        tally.fail(line, str(exc))
                if writing is not None:
                    writing.result()
                    writing = None
                if on_error == "skip" or not tally.skipped:
                    writing = writer.submit(_store, connection, dataset, rows, tally)
                if progress is not None:
                    progress(len(batch))
            if writing is not None:
                writing.result()
    except UnicodeDecodeError as exc:
        session.rollback()
        raise InvalidInput(f"the file is not UTF-8 text: {exc.reason}") from exc
    except Exception:
        session.rollback()
        raise
    if on_error == "reject" and tally.skipped:
        session.rollback()
        raise InvalidInput(
            f"{tally.skipped} of {tally.rows} rows are invalid; nothing was imported",
            errors=[error.model_dump() for error in tally.errors],
        )
    rollup.mark(session, tally.touched)
    session.commit()
    if tally.inserted >= ANALYZE_AFTER_ROWS:
        # After the commit: PostgreSQL's ANALYZE does not sample rows still being inserted.
        _refresh_statistics(session)
    return ImportReport(
        dataset=dataset,
        rows=tally.rows,
        inserted=tally.inserted,
        updated=tally.updated,
        skipped=tally.skipped,
        errors=tally.errors,
    )


@contextmanager
def _import_tuning(connection: Connection) -> Iterator[None]:
    """Settings for one large import transaction.

    SQLite's 2 MB default page cache thrashes on the events indexes. PostgreSQL would keep
    the generic plan it picked for the dataset-id lookup while the table was still empty (a
    sequential scan), so every lookup is planned afresh; `SET LOCAL` ends with the transaction.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = int(connection.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={previous}")


def _refresh_statistics(session: Session) -> None:
    """Planner statistics for the grown tables, and on PostgreSQL a VACUUM as well.

    Without statistics SQLite picks the country index over the admin1 one, etc. Without a
    VACUUM, PostgreSQL's visibility map is empty after a bulk insert, so its covering indexes
    cannot answer alone (a bbox page reads 15,000 heap pages instead of a few hundred).
    """
    engine = session.get_bind()
    quote = engine.dialect.identifier_preparer.format_table
    tables = [quote(t) for t in (_EVENTS, _ACTORS, _SOURCES, _EVENT_ROLLUPS, _ACTOR_ROLLUPS)]
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(tables)}")
        return
    connection = session.connection()
    # A sampled ANALYZE: milliseconds instead of seconds at a million rows.
    connection.exec_driver_sql("PRAGMA analysis_limit=1000")
    for table in tables:
        connection.exec_driver_sql(f"ANALYZE {table}")
    session.commit()


def _header(reader: Iterator[list[str]], dataset: Dataset) -> list[str]:
    """The column names, checked against what the dataset's parser needs."""
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise InvalidInput("the file is empty: expected a header line") from None
    except csv.Error as exc:
        raise InvalidInput(f"line 1: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"the file is not UTF-8 text: {exc.reason}") from exc
    missing = [name for name in REQUIRED_COLUMNS[dataset] if name not in header]
    if missing:
        raise InvalidInput(
            f"not a {dataset.upper()} export: missing columns {', '.join(missing)}",
            errors=[{"line": 1, "message": f"missing column {name!r}"} for name in missing],
        )
    return header


def _batches(
    reader: Iterator[list[str]], header: list[str], tally: _Tally
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    """Rows as (line where the row starts, column -> value), BATCH_SIZE at a time."""
    batch: list[tuple[int, dict[str, str]]] = []
    width = len(header)
    line_num = getattr(reader, "line_num", 0)
    while True:
        start = line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line_num = getattr(reader, "line_num", line_num)
            tally.rows += 1
            tally.fail(start, f"unreadable CSV: {exc}")
            continue
        line_num = getattr(reader, "line_num", line_num + 1)
        if not values:
            continue
        tally.rows += 1
        if len(values) != width:
            tally.fail(start, f"{len(values)} fields where the header has {width}")
            continue
        batch.append((start, dict(zip(header, values, strict=True))))
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _store(connection: Connection, dataset: str, rows: list[_Row], tally: _Tally) -> None:
    """Insert new events, update re-imported ones in place, then (re)write their links."""
    if not rows:
        return
    latest: dict[str, _Row] = {}
    for row in rows:
        latest[row.key] = row
    stored = _stored_events(connection, dataset, list(latest))
    seen: set[str] = set()
    for row in rows:
        if row.key in stored or row.key in seen:
            tally.updated += 1
        else:
            tally.inserted += 1
        seen.add(row.key)
    ids = {key: event_id for key, (event_id, _notes, _group) in stored.items()}
    tally.touched.update(group for _id, _notes, group in stored.values())
    tally.touched.update(
        (row.values["country_iso3"], rollup.month_of(row.values["event_date"]))
        for row in latest.values()
    )
    now = utc_now()
    changed = [row for key, row in latest.items() if key in stored]
    if changed:
        _update_events(connection, changed, stored, now)
        changed_ids = [ids[row.key] for row in changed]
        for table in (_ACTORS, _SOURCES, _EQUIPMENT):
            connection.execute(delete(table).where(table.c.event_id.in_(changed_ids)))
    new = [row for key, row in latest.items() if key not in stored]
    if new:
        insert_events = _BulkInsert(
            connection,
            _EVENTS,
            _DATASET_COLUMNS,
            constants={"status": "reported", "created_at": now, "updated_at": now},
            returning=("dataset_event_id", "id"),
        )
        inserted = insert_events.run([_dataset_values(row.values) for row in new])
        ids.update({key: event_id for key, event_id in inserted})
    actor_rows: list[tuple[Any, ...]] = []
    source_rows: list[tuple[Any, ...]] = []
    for key, row in latest.items():
        event_id = ids[key]
        for link, role in row.actors:
            actor_rows.append(
                (
                    event_id,
                    link.actor_id,
                    link.name,
                    link.kind,
                    link.country_iso3,
                    role,
                    link.text,
                    f"{dataset}:{link.method}",
                )
            )
        for source in row.sources:
            source_rows.append((event_id, source.actor_id, source.name, source.text))
    if actor_rows:
        _BulkInsert(connection, _ACTORS, _ACTOR_COLUMNS).run(actor_rows)
    if source_rows:
        _BulkInsert(connection, _SOURCES, _SOURCE_COLUMNS).run(source_rows)


class _BulkInsert:
    """Multi-row INSERT ... VALUES pages of plain tuples, without per-row SQLAlchemy work.

    Also keeps SQLite's full-text triggers cheap: FTS5 flushes once per statement, not per row.
    """

    def __init__(
        self,
        connection: Connection,
        table: Table,
        columns: Sequence[str],
        *,
        constants: dict[str, Any] | None = None,
        returning: Sequence[str] = (),
    ) -> None:
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        constants = constants or {}
        names = [*columns, *constants]
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        self.connection = connection
        self.row_sql = "(" + ", ".join([marker] * len(names)) + ")"
        self.head = (
            f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
            f"({', '.join(quote(name) for name in names)}) VALUES "
        )
        self.tail = f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
        processors = [self._processor(table, name, dialect) for name in names]
        self.processors = [(i, f) for i, f in enumerate(processors[: len(columns)]) if f]
        self.constants = tuple(
            f(value) if f is not None and value is not None else value
            for f, value in zip(processors[len(columns) :], constants.values(), strict=True)
        )
        self.page = max(1, min(1_000, _MAX_PARAMETERS // len(names)))

    @staticmethod
    def _processor(table: Table, name: str, dialect: Any) -> Callable[[Any], Any] | None:
        return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[no-any-return]

    def run(self, rows: list[tuple[Any, ...]]) -> list[Any]:
        """Insert the rows; the RETURNING columns of each, if any were asked for."""
        constants = self.constants
        rows = [(*self._processed(row), *constants) for row in rows]
        returned: list[Any] = []
        for start in range(0, len(rows), self.page):
            page = rows[start : start + self.page]
            statement = self.head + ", ".join([self.row_sql] * len(page)) + self.tail
            result = self.connection.exec_driver_sql(statement, tuple(chain.from_iterable(page)))
            if self.tail:
                returned.extend(result.all())
        return returned

    def _processed(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        if not self.processors:
            return row
        values = list(row)
        for position, processor in self.processors:
            if values[position] is not None:
                values[position] = processor(values[position])
        return tuple(values)


def _stored_events(
    connection: Connection, dataset: str, keys: list[str]
) -> dict[str, tuple[int, str | None, rollup.RollupKey]]:
    """Events imported before from these dataset ids: id, notes and rollup group by dataset id."""
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    table = connection.dialect.identifier_preparer.format_table(_EVENTS)
    statement = (
        f"SELECT dataset_event_id, id, notes, country_iso3, event_date FROM {table} "
        f"WHERE dataset = {marker} AND dataset_event_id IN ({', '.join([marker] * len(keys))})"
    )
    result = connection.exec_driver_sql(statement, (dataset, *keys))
    return {
        key: (event_id, notes, (country, rollup.month_of(_as_date(day))))
        for key, event_id, notes, country, day in result
    }


def _as_date(value: dt.date | str | None) -> dt.date | None:
    """SQLite hands dates back to raw SQL as ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# What each parser fills, in insert order; the rest of an event's columns follow.
_DATASET_COLUMNS = (
    "dataset", "dataset_event_id", "event_date", "date_precision", "event_type",
    "sub_event_type", "country_iso3", "admin1", "admin2", "location_name", "place_id",
    "location_resolved", "latitude", "longitude", "geo_precision", "fatalities", "notes",
)  # fmt: skip
_dataset_values = itemgetter(*_DATASET_COLUMNS)
_ACTOR_COLUMNS = (
    "event_id", "actor_id", "name", "kind", "country_iso3", "role", "text", "rule",
)  # fmt: skip
_SOURCE_COLUMNS = ("event_id", "actor_id", "name", "text")
# Bound parameters per statement: SQLite allows 32,766, PostgreSQL 65,535.
_MAX_PARAMETERS = 30_000


def _update_events(
    connection: Connection,
    rows: list[_Row],
    stored: dict[str, tuple[int, str | None, rollup.RollupKey]],
    now: dt.datetime,
) -> None:
    """Overwrite the dataset's columns; notes only where they changed (that re-indexes text)."""
    connection.execute(
        update(_EVENTS).where(_EVENTS.c.id == bindparam("event_pk")),
        [
            {
                **{k: v for k, v in row.values.items() if k != "notes"},
                "updated_at": now,
                "event_pk": stored[row.key][0],
            }
            for row in rows
        ],
    )
    renoted = [
        {"notes": row.values["notes"], "event_pk": stored[row.key][0]}
        for row in rows
        if row.values["notes"] != stored[row.key][1]
    ]
    if renoted:
        connection.execute(update(_EVENTS).where(_EVENTS.c.id == bindparam("event_pk")), renoted)


# ---------------------------------------------------------------------- reading one row


class _Labels:
    """Names read the way the datasets write them, each distinct one resolved once."""

    def __init__(self, catalog: Catalog) -> None:
        self.resolver = catalog.resolver
        self.gazetteer = catalog.gazetteer
        self.taxonomy = event_taxonomy()
        self._actors: dict[tuple[str, str | None, str | None], _ActorLink] = {}
        self._countries: dict[str, str | None] = {}
        self._sources: dict[str, list[_SourceLink]] = {}
        self._outlets: dict[str, _SourceLink] = {}
        self._places: dict[tuple[str, str | None, float, float], tuple[str | None, str | None]] = {}
        self._admin1: dict[tuple[str, str | None], str | None] = {}
        self._admin1_misses: dict[tuple[str, str | None], int] = {}
        self._dates: dict[str, dt.date] = {}
        self._types: dict[tuple[str, str], tuple[str, str | None]] = {}
        self._place_columns: dict[_PlaceInput, dict[str, Any]] = {}
        self._memos: dict[str, dict[Any, Any]] = {}

    def actor(
        self, label: str, *, country_iso3: str | None = None, kind: str | None = None
    ) -> _ActorLink:
        """An actor label as the datasets write it, e.g. `Military Forces of Russia (2000-)`."""
        key = (label, country_iso3, kind)
        found = self._actors.get(key)
        if found is None:
            found = self._actors[key] = self._read_actor(label, country_iso3, kind)
        return found

    def _read_actor(self, label: str, default_iso3: str | None, kind: str | None) -> _ActorLink:
        text = _checked(label.strip(), 255, "actor")
        core = _REGIME.sub("", text)
        parens = _TRAILING_PARENS.match(core)
        base, inside = parens.groups() if parens else (core, None)
        # `Civilians (Ukraine)`, `Protesters (Kenya)`: a kind of actor, not an entity.
        if base.casefold() in ACTOR_KINDS:
            country = self.country(inside) if inside else default_iso3
            return _ActorLink(None, text, base.casefold(), country, text, "kind")
        found = self.resolver.actor(core)
        if found.id is None and parens:
            found = self.resolver.actor(base)
        record = self.resolver.actors.get(found.id or "")
        if record is not None and found.method == "fuzzy":
            # `Military Forces of Niger` must not fuzzily become Nigeria's forces.
            named = _OF_PLACE.search(base)
            named_iso3 = self.country(named.group(1)) if named else None
            if named_iso3 and record.country_iso3 and named_iso3 != record.country_iso3:
                record = None
        if record is not None:
            return _ActorLink(record.id, record.name, None, None, text, found.method)
        country = self.country(inside) if inside else None
        if country is None and (named := _OF_PLACE.search(base)):
            country = self.country(named.group(1))
        return _ActorLink(None, text, kind, country, text, "unresolved")

    def actors(
        self, labels: str, role: str, *, country_iso3: str | None
    ) -> list[tuple[_ActorLink, str]]:
        """`A; B` (ACLED's associated actors) as one link per actor."""
        return [
            (self.actor(part, country_iso3=country_iso3), role)
            for part in labels.split(";")
            if part.strip()
        ]

    def country(self, name: str) -> str | None:
        """A country name (`Russia (Soviet Union)`), ISO3 code or ISO numeric code as ISO3."""
        name = name.strip()
        if name not in self._countries:
            self._countries[name] = self._read_country(name)
        return self._countries[name]

    def _read_country(self, name: str) -> str | None:
        if not name:
            return None
        if name.isdigit():
            numeric = pycountry.countries.get(numeric=name.zfill(3))
            return numeric.alpha_3 if numeric is not None else None
        if len(name) == 3 and name.isalpha() and self.gazetteer.country(name.upper()):
            return name.upper()
        for record in self.gazetteer.lookup(name):
            if record.feature_type == "country":
                return record.country_iso3
        state = self.resolver.actors.get(self.resolver.actor(name).id or "")
        if state is not None and state.kind == "state":
            return state.country_iso3
        parens = _TRAILING_PARENS.match(name)
        if parens:
            return self.country(parens.group(1)) or self.country(parens.group(2))
        return None

    def sources(self, raw: str) -> list[_SourceLink]:
        """`Outlet A; Outlet B` as one source per outlet, each resolved once."""
        found = self._sources.get(raw)
        if found is None:
            found = self._sources[raw] = [
                self._source(part.strip()) for part in raw.split(";") if part.strip()
            ]
        return found

    def _source(self, text: str) -> _SourceLink:
        found = self._outlets.get(text)
        if found is None:
            resolution = self.resolver.actor(_checked(text, 255, "source"))
            found = self._outlets[text] = _SourceLink(resolution.id, resolution.name, text)
        return found

    def place(
        self, name: str, country_iso3: str | None, lat: float | None, lon: float | None
    ) -> tuple[str | None, str | None]:
        """The gazetteer place (id, its admin1) of that name and country within PLACE_LINK_KM."""
        if not name or lat is None or lon is None:
            return None, None
        key = (name, country_iso3, lat, lon)
        found = self._places.get(key)
        if found is None:
            found = self._places[key] = self._read_place(name, country_iso3, lat, lon)
        return found

    def _read_place(
        self, name: str, country_iso3: str | None, lat: float, lon: float
    ) -> tuple[str | None, str | None]:
        candidates = self.gazetteer.lookup(name)
        if not candidates and " " in name and name.rsplit(" ", 1)[1].islower():
            # UCDP appends a feature word in lower case: `Kharkiv town`.
            candidates = self.gazetteer.lookup(name.rsplit(" ", 1)[0])
        best, best_km = None, PLACE_LINK_KM
        for record in candidates:
            if country_iso3 and record.country_iso3 != country_iso3:
                continue
            km = _distance_km(lat, lon, record.lat, record.lon)
            if km <= best_km:
                best, best_km = record, km
        return (best.id, best.admin1) if best is not None else (None, None)

    def admin1(
        self,
        name: str,
        country_iso3: str | None,
        lat: float | None,
        lon: float | None,
        place_admin1: str | None,
    ) -> str | None:
        """The dataset's admin1 in the gazetteer's spelling, so `region=` filters find it."""
        if not name:
            return place_admin1
        key = (name, country_iso3)
        if key in self._admin1:
            return self._admin1[key]
        record = self.gazetteer.admin1(country_iso3, name) if country_iso3 else None
        if record is not None:
            self._admin1[key] = record.name
            return record.name
        nearby = place_admin1
        if nearby is None and lat is not None and lon is not None:
            nearest = self.resolver.nearest_place(lat, lon)
            nearby = nearest.admin1 if nearest is not None else None
        if nearby and _same_name(name, nearby):
            self._admin1[key] = nearby
            return nearby
        # Another row's coordinates may still recognize it, but only a few rows get to try.
        self._admin1_misses[key] = misses = self._admin1_misses.get(key, 0) + 1
        if misses >= 5:
            self._admin1[key] = name
        return name

    def event_type(self, event_type: str, sub_event_type: str) -> tuple[str, str | None]:
        """ACLED's type and sub-type, checked against the taxonomy."""
        key = (event_type, sub_event_type)
        found = self._types.get(key)
        if found is None:
            event_type, sub_type = event_type.strip(), sub_event_type.strip() or None
            allowed = self.taxonomy.get(event_type)
            if allowed is None:
                raise RowError(f"unknown event type {event_type!r}")
            if sub_type is not None and sub_type not in allowed:
                raise RowError(f"{sub_type!r} is not a sub-event type of {event_type!r}")
            found = self._types[key] = (event_type, sub_type)
        return found

    def place_columns(self, raw: _PlaceInput, precisions: dict[str, str]) -> dict[str, Any]:
        """A place's columns, read once per distinct place of the file."""
        found = self._place_columns.get(raw)
        if found is None:
            found = self._place_columns[raw] = _place_columns(self, raw, precisions)
        return found

    def memo(self, name: str, key: Any, compute: Callable[[_Labels, Any], Any]) -> Any:
        """`compute(self, key)` once per distinct key; errors are not remembered."""
        table = self._memos.setdefault(name, {})
        found = table.get(key)
        if found is None:
            found = table[key] = compute(self, key)
        return found

    def date(self, raw: str, column: str) -> dt.date:
        """ISO dates (with or without a time) and ACLED's `16 November 2024`."""
        found = self._dates.get(raw)
        if found is None:
            found = self._dates[raw] = _parse_date(raw, column)
        return found


def _parse_date(raw: str, column: str) -> dt.date:
    value = raw.strip()
    if not value:
        raise RowError(f"{column} is empty")
    if _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    for pattern in _TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise RowError(f"{column} {raw!r} is not a date")


def _checked(value: str, limit: int, column: str) -> str:
    if "\x00" in value:
        raise RowError(f"{column} contains a NUL character")
    if len(value) > limit:
        raise RowError(f"{column} is longer than {limit} characters")
    return value


def _optional(value: str, limit: int, column: str) -> str | None:
    value = value.strip()
    return _checked(value, limit, column) if value else None


def _coordinates(lat_raw: str, lon_raw: str) -> tuple[float | None, float | None]:
    lat_raw, lon_raw = lat_raw.strip(), lon_raw.strip()
    if not lat_raw and not lon_raw:
        return None, None
    try:
        lat, lon = float(lat_raw), float(lon_raw)
    except ValueError:
        raise RowError(f"bad coordinates {lat_raw!r}, {lon_raw!r}") from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise RowError(f"coordinates {lat_raw}, {lon_raw} are out of range")
    return lat, lon


def _count(raw: str, column: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    value = raw.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{column} {raw!r} is not a number") from None
    if number < 0 or not number.is_integer():
        raise RowError(f"{column} {raw!r} is not a whole number of people")
    return int(number)


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough at ten kilometres."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def _same_name(dataset_name: str, canonical: str) -> bool:
    """`Zaporizhia` and `Zaporizhzhia Oblast` name one division; `Kharkiv` and `Sumy` do not."""
    a, b = normalize_name(dataset_name), normalize_name(canonical)
    return bool(a and b) and (a in b or fuzz.partial_ratio(a, b) >= 80)


@dataclass(frozen=True, slots=True)
class _PlaceInput:
    """A row's place columns as written; rows at one place share one reading of them."""

    name: str
    admin1: str
    admin2: str
    country: str
    iso: str
    latitude: str
    longitude: str
    precision: str


def _place_columns(labels: _Labels, raw: _PlaceInput, precisions: dict[str, str]) -> dict[str, Any]:
    """The dataset's own place columns; a gazetteer place is linked, never moved to."""
    lat, lon = _coordinates(raw.latitude, raw.longitude)
    country_iso3 = labels.country(raw.iso) or labels.country(raw.country)
    if country_iso3 is None and lat is not None and lon is not None:
        nearest = labels.resolver.nearest_place(lat, lon)
        country_iso3 = nearest.country_iso3 if nearest is not None else None
    name = _optional(raw.name, 255, "location")
    place_id, place_admin1 = labels.place(name or "", country_iso3, lat, lon)
    admin1 = _optional(raw.admin1, 255, "admin1")
    return {
        "country_iso3": country_iso3,
        "admin1": labels.admin1(admin1 or "", country_iso3, lat, lon, place_admin1),
        "admin2": _optional(raw.admin2, 255, "admin2"),
        "location_name": name,
        "place_id": place_id,
        "location_resolved": place_id is not None or name is None,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": precisions.get(raw.precision.strip(), "point")
        if lat is not None
        else None,
    }


def _event_id(raw: str, column: str) -> str:
    key = raw.strip()
    if not key:
        raise RowError(f"{column} is empty")
    return _checked(key, 64, column)


def _acled_row(line: int, fields: dict[str, str], labels: _Labels) -> _Row:
    key = _event_id(fields["event_id_cnty"], "event_id_cnty")
    event_type, sub_event_type = labels.event_type(fields["event_type"], fields["sub_event_type"])
    place = labels.place_columns(
        _PlaceInput(
            fields.get("location", ""),
            fields.get("admin1", ""),
            fields.get("admin2", ""),
            fields["country"],
            fields.get("iso", ""),
            fields["latitude"],
            fields["longitude"],
            fields.get("geo_precision", ""),
        ),
        _ACLED_GEO_PRECISION,
    )
    values = {
        "dataset": "acled",
        "dataset_event_id": key,
        "event_date": labels.date(fields["event_date"], "event_date"),
        "date_precision": _ACLED_TIME_PRECISION.get(
            fields.get("time_precision", "").strip(), "day"
        ),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "fatalities": _count(fields["fatalities"], "fatalities"),
        "notes": _optional(fields.get("notes", ""), 1_000_000, "notes"),
        **place,
    }
    actors = labels.memo(
        "acled-actors",
        (
            place["country_iso3"],
            fields["actor1"],
            fields.get("inter1", ""),
            fields["actor2"],
            fields.get("inter2", ""),
            fields.get("assoc_actor_1", ""),
            fields.get("assoc_actor_2", ""),
        ),
        _acled_actors,
    )
    return _Row(line, key, values, actors, labels.sources(fields.get("source", "")))


def _acled_actors(
    labels: _Labels, key: tuple[str | None, str, str, str, str, str, str]
) -> list[tuple[_ActorLink, str]]:
    """actor1 initiates, actor2 is the target, the associated actors are `; `-separated."""
    country_iso3, actor1, inter1, actor2, inter2, assoc1, assoc2 = key
    actors: list[tuple[_ActorLink, str]] = []
    for label, inter, role in ((actor1, inter1, "initiator"), (actor2, inter2, "target")):
        if label.strip():
            kind = _ACLED_INTER_KIND.get(inter.strip().lower())
            actors.append((labels.actor(label, country_iso3=country_iso3, kind=kind), role))
    for labels_text in (assoc1, assoc2):
        actors.extend(labels.actors(labels_text, "associated", country_iso3=country_iso3))
    return actors


def _ucdp_row(line: int, fields: dict[str, str], labels: _Labels) -> _Row:
    key = _event_id(fields["id"], "id")
    violence = fields["type_of_violence"].strip()
    if violence not in _UCDP_VIOLENCE:
        raise RowError(f"unknown type_of_violence {violence!r} (expected 1, 2 or 3)")
    event_type, sub_event_type = _UCDP_VIOLENCE[violence]
    place = labels.place_columns(
        _PlaceInput(
            fields.get("where_coordinates", ""),
            fields.get("adm_1", ""),
            fields.get("adm_2", ""),
            fields["country"],
            "",
            fields["latitude"],
            fields["longitude"],
            fields.get("where_prec", ""),
        ),
        _UCDP_WHERE_PRECISION,
    )
    values = {
        "dataset": "ucdp",
        "dataset_event_id": key,
        "event_date": labels.date(fields["date_start"], "date_start"),
        "date_precision": _UCDP_DATE_PRECISION.get(fields.get("date_prec", "").strip(), "day"),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "fatalities": _count(fields["best"], "best"),
        "notes": _optional(fields.get("source_headline", ""), 1_000_000, "source_headline"),
        **place,
    }
    actors = [
        (labels.actor(label, country_iso3=place["country_iso3"]), role)
        for label, role in ((fields["side_a"], "initiator"), (fields["side_b"], "target"))
        if label.strip()
    ]
    return _Row(line, key, values, actors, labels.sources(fields.get("source_office", "")))


_PARSERS: dict[str, Callable[[int, dict[str, str], _Labels], _Row]] = {
    "acled": _acled_row,
    "ucdp": _ucdp_row,
}
