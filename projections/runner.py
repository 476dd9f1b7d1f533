"""Keeping the read models up to date: catch up in batches, rebuild, and tell the lag.

Each batch is applied exactly once: the view rows and the tracking positions are written in
one transaction, so a failure rolls the whole batch back and a restart resumes from the
tracked position. A batch replays the full history of every case and dwelling it touches
(backdated events and retractions included) and replaces their rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from projections import aggregates, event_log
from projections.db import ReadStore, Table, Transaction
from projections.read_model import AnyReadModel
from projections.registry import EVENT_LOG_NAME, READ_MODELS, SUBJECTS, names
from projections.source import Change, ChangeSource

Progress = Callable[[int, int], None]

TRACKING = Table(
    "projection_tracking",
    (("name", "TEXT NOT NULL"), ("position", "BIGINT NOT NULL")),
    primary_key=("name",),
)
CHUNK = 500

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
    while True:
        changes, last = source.read_changes(after, batch_size)
        if last <= after:
            break
        applied += _apply_batch(store, changes, last, read_models)
        after = last
        if progress is not None:
            progress(after - start, max(end, after) - start)
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
    with store.transaction() as tx:
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
    with store.transaction() as tx:
        positions = tracked_positions(tx, read_models, for_update=True)
        new = [c for c in changes if c.position > min(positions.values())]
        event_log.append(tx, [c for c in new if c.position > positions[EVENT_LOG_NAME]])
        touched = {
            model.name: {
                c.ref
                for c in new
                if c.stream == model.stream and c.position > positions[model.name]
            }
            for model in read_models
        }
        subjects = _subjects(tx, read_models, touched)
        for model in read_models:
            refs = sorted(touched[model.name])
            if refs:
                _replace_rows(tx, model, refs, [subjects[model.stream][ref] for ref in refs])
        behind = [name for name, position in positions.items() if position < last]
        if behind:  # another catch-up may have applied this batch already
            tx.execute(
                f"UPDATE projection_tracking SET position = ? WHERE name IN ({_marks(behind)})",
                [last, *behind],
            )
    return len(new)


def _subjects(
    tx: Transaction, read_models: Sequence[AnyReadModel], touched: Mapping[str, set[str]]
) -> dict[str, dict[str, Any]]:
    """Each touched ref's history, replayed once per batch into its stream's subject."""
    refs_by_stream: dict[str, set[str]] = {}
    for model in read_models:
        refs_by_stream.setdefault(model.stream, set()).update(touched[model.name])
    return {
        stream: {
            ref: SUBJECTS[stream](ref, history)
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
