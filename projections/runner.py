"""Keeping the read models up to date: catch up in batches, rebuild, and tell the lag.

Longer than 300 lines because one batch's exactly-once write (replays kept, previous rows read,
differences written, positions tracked) is the steps of one transaction, read in their order.

Each batch is applied exactly once: the view rows and the tracking positions are written in
one transaction, so a failure rolls the whole batch back and a restart resumes from the
tracked position. A batch brings the replay of every case and dwelling it touches up to date
and writes only the rows that differ from the ref's previous ones. The replays are kept
between batches: when a ref's new events come in order (recorded after, and dated on or after,
the last one applied; no retraction), its replay continues where it stopped; otherwise (a
backdated event, a retraction, a replay not kept) the ref's full history is read back from
the event log and replayed from the start.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

from domain import locks
from projections import aggregates, event_log
from projections.db import ReadStore, Row, Table, Transaction
from projections.escaped import escaped_change
from projections.history import Recorded
from projections.read_model import AnyReadModel, Replay
from projections.registry import EVENT_LOG_NAME, READ_MODELS, REPLAYS, names
from projections.source import PERSONAL_KEYS, Change, ChangeSource

Progress = Callable[[int, int], None]

TRACKING = Table(
    "projection_tracking",
    (("name", "TEXT NOT NULL"), ("position", "BIGINT NOT NULL")),
    primary_key=("name",),
)
CHUNK = 500
# How many refs' replays a store keeps between batches (the least recently touched go first).
KNOWN_REFS = 100_000

# The read models whose tables each open store is known to hold (a rebuild forgets them).
_ensured: WeakKeyDictionary[ReadStore, frozenset[str]] = WeakKeyDictionary()


def tables(read_models: Iterable[AnyReadModel] = READ_MODELS) -> list[Table]:
    """Every read-model table, the event log's first."""
    return [*event_log.TABLES, *(table for model in read_models for table in model.tables)]


def ensure_schema(store: ReadStore, read_models: Sequence[AnyReadModel] = READ_MODELS) -> None:
    """Create the tracking table and the read-model tables that do not exist yet."""
    wanted = frozenset(names(read_models))
    if wanted <= _ensured.get(store, frozenset()):
        return
    with store.transaction() as tx:
        lock_schema_changes(tx)
        for table in [TRACKING, *tables(read_models)]:
            for statement in table.create_statements():
                tx.execute(statement)
        aggregates.ensure(tx)
        tx.executemany(
            "INSERT INTO projection_tracking (name, position) VALUES (?, 0)"
            " ON CONFLICT (name) DO NOTHING",
            [(name,) for name in sorted(wanted)],
        )
    _ensured[store] = wanted | _ensured.get(store, frozenset())


def lock_schema_changes(tx: Transaction) -> None:
    """Make processes that create read-model tables at once take turns (SQLite's write
    transaction already does); the first statement of the transaction."""
    if tx.dialect == "postgres":
        tx.execute(
            "SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))",
            (locks.READ_MODEL_TABLES,),
        )


def tracked_positions(
    tx: Transaction, read_models: Sequence[AnyReadModel] = READ_MODELS, for_update: bool = False
) -> dict[str, int]:
    """The position each read model has applied up to (0 for one never run); `for_update`
    locks the rows on PostgreSQL (SQLite's write transaction already excludes other writers)."""
    wanted = names(read_models)
    marks = _marks(wanted)
    lock = " FOR UPDATE" if for_update and tx.dialect == "postgres" else ""
    found = {
        str(name): int(position)
        for name, position in tx.query(
            f"SELECT name, position FROM projection_tracking WHERE name IN ({marks}){lock}", wanted
        )
    }
    return {name: found.get(name, 0) for name in wanted}


def catch_up(
    source: ChangeSource,
    store: ReadStore,
    batch_size: int = 1000,
    progress: Progress | None = None,
    read_models: Sequence[AnyReadModel] = READ_MODELS,
) -> int:
    """Apply every change the read models have not seen yet; returns how many were applied."""
    ensure_schema(store, read_models)
    with store.reading() as tx:
        after = min(tracked_positions(tx, read_models).values())
    start, end = after, source.max_position()
    applied = 0
    try:
        while True:
            changes, last = source.read_changes(after, batch_size)
            if last <= after:
                break
            changes = [escaped_change(change) for change in changes]
            applied += _apply_batch(store, changes, last, read_models)
            after = last
            if progress is not None:
                progress(after - start, max(end, after) - start)
            # The kept replays hold many objects and no reference cycles: leave them out of
            # the cyclic collector's full passes while the batches run (a third of the time
            # of a long catch-up otherwise); they go back to it when the catch-up ends.
            gc.freeze()
    finally:
        gc.unfreeze()
    return applied


def rebuild(
    source: ChangeSource,
    store: ReadStore,
    progress: Progress | None = None,
    read_models: Sequence[AnyReadModel] = READ_MODELS,
    batch_size: int = 1000,
) -> int:
    """Drop and recreate the read-model tables, reset their tracking, catch up from the start."""
    _ensured.pop(store, None)
    known = _known_replays(store)
    with known.lock:
        known.forget(-1)
    with store.transaction() as tx:
        lock_schema_changes(tx)
        for table in tables(read_models):
            tx.execute(f"DROP TABLE IF EXISTS {table.name}")
        aggregates.drop(tx)
        for statement in TRACKING.create_statements():
            tx.execute(statement)
        wanted = names(read_models)
        tx.execute(f"DELETE FROM projection_tracking WHERE name IN ({_marks(wanted)})", wanted)
    applied = catch_up(
        source, store, batch_size=batch_size, progress=progress, read_models=read_models
    )
    with store.transaction() as tx:
        lock_schema_changes(tx)
        for table in [TRACKING, *tables(read_models)]:
            tx.execute(f"ANALYZE {table.name}")
    return applied


def lag(
    source: ChangeSource, store: ReadStore, read_models: Sequence[AnyReadModel] = READ_MODELS
) -> dict[str, int]:
    """How far each read model is behind the event store, in notification positions."""
    ensure_schema(store, read_models)
    latest = source.max_position()
    with store.reading() as tx:
        positions = tracked_positions(tx, read_models)
    return {name: max(latest - position, 0) for name, position in positions.items()}


def _apply_batch(
    store: ReadStore, changes: Sequence[Change], last: int, read_models: Sequence[AnyReadModel]
) -> int:
    known = _known_replays(store)
    with known.lock:
        try:
            with store.transaction() as tx:
                positions = tracked_positions(tx, read_models, for_update=True)
                after = min(positions.values())
                new = [c for c in changes if c.position > after]
                event_log.append(tx, [c for c in new if c.position > positions[EVENT_LOG_NAME]])
                in_step = len(set(positions.values())) == 1
                if in_step:
                    if known.position != after:
                        known.forget(after)
                    _write_differences(tx, known, read_models, new, after)
                else:
                    known.forget(-1)
                    _replace_touched_rows(tx, read_models, new, positions)
                behind = [name for name, position in positions.items() if position < last]
                if behind:  # another catch-up may have applied this batch already
                    tx.execute(
                        "UPDATE projection_tracking SET position = ?"
                        f" WHERE name IN ({_marks(behind)})",
                        [last, *behind],
                    )
        except BaseException:
            known.forget(-1)
            raise
        if in_step:
            known.position = max(after, last)
    return len(new)


@dataclass
class _Known:
    """A ref's replay and the rows it last gave, per table."""

    replay: Replay
    rows: dict[str, list[Row]]


class _KnownReplays:
    """The replays of the refs a store's read models were last written from, valid while the
    store's tracked positions are all `position` (any other writer, a failed batch or a
    rebuild makes them forgotten). `complete` says every ref with rows is here or among the
    `dropped` ones (kept no more, to bound the memory)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.position = -1
        self.complete = False
        self.entries: OrderedDict[tuple[str, str], _Known] = OrderedDict()
        self.dropped: set[tuple[str, str]] = set()

    def forget(self, position: int) -> None:
        """Forget every replay; starting from position 0 nothing has rows yet."""
        self.entries.clear()
        self.dropped.clear()
        self.position = position
        self.complete = position == 0

    def keep(self, stream: str, ref: str, entry: _Known) -> None:
        key = (stream, ref)
        self.entries[key] = entry
        self.entries.move_to_end(key)
        self.dropped.discard(key)
        while len(self.entries) > KNOWN_REFS:
            self.dropped.add(self.entries.popitem(last=False)[0])


_known: WeakKeyDictionary[ReadStore, _KnownReplays] = WeakKeyDictionary()
_known_lock = threading.Lock()


def _known_replays(store: ReadStore) -> _KnownReplays:
    with _known_lock:
        return _known.setdefault(store, _KnownReplays())


def _write_differences(
    tx: Transaction,
    known: _KnownReplays,
    read_models: Sequence[AnyReadModel],
    new: Sequence[Change],
    after: int,
) -> None:
    """Bring each touched ref's replay up to date, continuing it where the new events allow,
    and write only the rows that differ from the ref's previous ones."""
    for stream in sorted({model.stream for model in read_models}):
        models = [model for model in read_models if model.stream == stream]
        stream_tables = [table for model in models for table in model.tables]
        events: dict[str, list[Recorded]] = {}
        for c in new:
            if c.stream == stream:
                events.setdefault(c.ref, []).append(Recorded(c.position, _public(c.event)))
        entries: dict[str, _Known] = {}
        from_start: list[str] = []
        for ref, recorded in events.items():
            entry = known.entries.get((stream, ref))
            if entry is not None and entry.replay.can_continue(recorded):
                entry.replay.extend(recorded)
                entries[ref] = entry
            elif entry is None and known.complete and (stream, ref) not in known.dropped:
                replay = REPLAYS[stream](ref, recorded)
                entries[ref] = _Known(replay, {table.name: [] for table in stream_tables})
            else:
                from_start.append(ref)
        if from_start:
            histories = event_log.histories(tx, stream, from_start)
            for ref in from_start:
                history = histories[ref]
                previous = known.entries.pop((stream, ref), None)
                rows = previous.rows if previous is not None else {}
                if not any(e.position <= after for e in history):
                    rows = {table.name: [] for table in stream_tables}
                entries[ref] = _Known(REPLAYS[stream](ref, history), rows)
        _read_previous_rows(tx, stream_tables, entries)
        refs = sorted(entries)
        touched = [(entries[ref], entries[ref].replay.subject()) for ref in refs]
        for model in models:
            _write_model_rows(tx, model, touched)
        for ref in refs:
            known.keep(stream, ref, entries[ref])


def _read_previous_rows(
    tx: Transaction, stream_tables: Sequence[Table], entries: Mapping[str, _Known]
) -> None:
    for table in stream_tables:
        missing = sorted(ref for ref, entry in entries.items() if table.name not in entry.rows)
        for ref in missing:
            entries[ref].rows[table.name] = []
        ref_column = table.columns[0][0]
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            for row in tx.query(
                f"SELECT {', '.join(table.column_names)} FROM {table.name}"
                f" WHERE {ref_column} IN ({_marks(chunk)})",
                chunk,
            ):
                entries[str(row[0])].rows[table.name].append(row)


def _write_model_rows(
    tx: Transaction, model: AnyReadModel, touched: Sequence[tuple[_Known, Any]]
) -> None:
    deleted: dict[str, list[tuple[Any, ...]]] = {table.name: [] for table in model.tables}
    updated: dict[str, list[Row]] = {table.name: [] for table in model.tables}
    inserted: dict[str, list[Row]] = {table.name: [] for table in model.tables}
    by_name = {table.name: table for table in model.tables}
    for entry, subject in touched:
        for name, table_rows in model.rows(subject).items():
            rows = [tuple(row) for row in table_rows]
            previous = entry.rows[name]
            entry.rows[name] = rows
            if rows == previous:
                continue
            kept = len(previous)
            if rows[:kept] == previous:  # rows only added, the usual case
                inserted[name].extend(rows[kept:])
                continue
            table = by_name[name]
            if not table.primary_key:
                deleted[name].extend((row[0],) for row in previous)
                inserted[name].extend(rows)
                continue
            key = _key_of(table)
            before = {key(row): row for row in previous}
            after = {key(row): row for row in rows}
            deleted[name].extend(before.keys() - after.keys())
            for row_key, row in after.items():
                old = before.get(row_key)
                if old is None:
                    inserted[name].append(row)
                elif old != row:
                    updated[name].append(row)
    for table in model.tables:
        _delete(tx, table, deleted[table.name])
        _update(tx, table, updated[table.name])
        tx.executemany(table.insert_statement(), inserted[table.name])


@cache
def _key_columns(table: Table) -> tuple[int, ...]:
    return tuple(table.column_names.index(name) for name in table.primary_key)


@cache
def _key_of(table: Table) -> Callable[[Row], tuple[Any, ...]]:
    """A row's primary key, as a tuple."""
    columns = _key_columns(table)
    return lambda row: tuple(row[i] for i in columns)


def _delete(tx: Transaction, table: Table, keys: Sequence[tuple[Any, ...]]) -> None:
    if not keys:
        return
    if not table.primary_key:
        refs = sorted({key[0] for key in keys})
        tx.executemany(
            f"DELETE FROM {table.name} WHERE {table.columns[0][0]} = ?", [(ref,) for ref in refs]
        )
        return
    where = " AND ".join(f"{name} = ?" for name in table.primary_key)
    tx.executemany(f"DELETE FROM {table.name} WHERE {where}", keys)


def _update(tx: Transaction, table: Table, rows: Sequence[Row]) -> None:
    if not rows:
        return
    key_columns = _key_columns(table)
    others = [i for i in range(len(table.columns)) if i not in key_columns]
    assignments = ", ".join(f"{table.column_names[i]} = ?" for i in others)
    where = " AND ".join(f"{name} = ?" for name in table.primary_key)
    tx.executemany(
        f"UPDATE {table.name} SET {assignments} WHERE {where}",
        [(*(row[i] for i in others), *(row[i] for i in key_columns)) for row in rows],
    )


def _public(event: Mapping[str, Any]) -> Mapping[str, Any]:
    if PERSONAL_KEYS.isdisjoint(event):
        return event
    return {key: value for key, value in event.items() if key not in PERSONAL_KEYS}


def _replace_touched_rows(
    tx: Transaction,
    read_models: Sequence[AnyReadModel],
    new: Sequence[Change],
    positions: Mapping[str, int],
) -> None:
    """For read models at different positions (one added later): replay each touched ref
    from the start and replace its rows in the models that had not seen the change."""
    touched = {
        model.name: {
            c.ref for c in new if c.stream == model.stream and c.position > positions[model.name]
        }
        for model in read_models
    }
    subjects = _subjects(tx, read_models, touched)
    for model in read_models:
        refs = sorted(touched[model.name])
        if refs:
            _replace_rows(tx, model, refs, [subjects[model.stream][ref] for ref in refs])


def _subjects(
    tx: Transaction, read_models: Sequence[AnyReadModel], touched: Mapping[str, set[str]]
) -> dict[str, dict[str, Any]]:
    """Each touched ref's history, replayed once per batch into its stream's subject."""
    refs_by_stream: dict[str, set[str]] = {}
    for model in read_models:
        refs_by_stream.setdefault(model.stream, set()).update(touched[model.name])
    return {
        stream: {
            ref: REPLAYS[stream](ref, history).subject()
            for ref, history in event_log.histories(tx, stream, refs).items()
        }
        for stream, refs in refs_by_stream.items()
    }


def _replace_rows(
    tx: Transaction, model: AnyReadModel, refs: list[str], subjects: list[Any]
) -> None:
    for table in model.tables:
        ref_column = table.columns[0][0]
        for start in range(0, len(refs), CHUNK):
            chunk = refs[start : start + CHUNK]
            tx.execute(
                f"DELETE FROM {table.name} WHERE {ref_column} IN ({_marks(chunk)})",
                chunk,
            )
    rows: dict[str, list[Any]] = {table.name: [] for table in model.tables}
    for subject in subjects:
        for table_name, table_rows in model.rows(subject).items():
            rows[table_name].extend(table_rows)
    for table in model.tables:
        tx.executemany(table.insert_statement(), rows[table.name])


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)
