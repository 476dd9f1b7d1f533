"""The tables the jobs keep in the read store, beside the read models (which a rebuild drops;
these it leaves alone), and the position of the read models the jobs computed from."""

from __future__ import annotations

from collections.abc import Iterable

from projections.db import ReadStore, Table
from projections.runner import ensure_schema, lock_schema_changes, tracked_positions


def ensure_tables(store: ReadStore, tables: Iterable[Table]) -> None:
    """Create the tables if they do not exist yet."""
    with store.transaction() as tx:
        lock_schema_changes(tx)
        for table in tables:
            for statement in table.create_statements():
                tx.execute(statement)


def read_models_position(store: ReadStore) -> int:
    """The event-store position every read model has applied up to."""
    ensure_schema(store)
    with store.reading() as tx:
        return min(tracked_positions(tx).values())
