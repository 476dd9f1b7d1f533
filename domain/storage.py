"""The event store's shared pieces: the extra rows written with events, the bulk session, and
plain SQL on the store's own connection.

The recorders that write the extra rows are domain/sqlite_recorder.py and
domain/postgres_recorder.py: the index rows and new keys are written in the same transaction
as the events they belong to, under the library's table lock, so an acknowledged event always
has its index row and key, and a failed insert leaves neither.

A bulk session (`recorder.bulk()`, for imports) pins one connection and one open transaction to
the calling thread: every insert and every read of that thread goes through it (`Sql` too), so
the events of one chunk are visible to the reads of the next without a commit, and the whole
session commits once or rolls back as one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding
from eventsourcing.postgres import PostgresApplicationRecorder

IndexRow = tuple[str, str, int]  # event id, aggregate id, aggregate version
KeyRow = tuple[str, bytes, str]  # aggregate id, wrapped key, created at (ISO)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class BulkSession:
    """One connection and one open transaction, pinned to the thread that opened them."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.owner = threading.get_ident()


class Pinned:
    """The bulk session of a recorder, seen only from the thread that opened it."""

    def __init__(self) -> None:
        self._session: BulkSession | None = None

    def cursor(self) -> Any | None:
        session = self._session
        if session is None or session.owner != threading.get_ident():
            return None
        return session.cursor

    @contextmanager
    def holding(self, cursor: Any) -> Iterator[None]:
        if self._session is not None:
            raise RuntimeError("a bulk session is already open on this store")
        self._session = BulkSession(cursor)
        try:
            yield
        finally:
            self._session = None


class Sql:
    """Plain SQL on the event store's own connection, `?` placeholders on both databases."""

    def __init__(self, recorder: Any) -> None:
        self.datastore = recorder.datastore
        self.pinned: Pinned = getattr(recorder, "pinned", None) or Pinned()
        self.postgres = isinstance(recorder, PostgresApplicationRecorder)
        self.schema = self.datastore.schema if self.postgres else ""

    def table(self, name: str) -> str:
        return f"{self.schema}.{name}" if self.postgres else name

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as cursor:
            yield cursor

    @contextmanager
    def _cursor(self, *, commit: bool) -> Iterator[Any]:
        """The bulk session's cursor in the thread that holds one, else a transaction's."""
        pinned = self.pinned.cursor()
        if pinned is not None:
            yield pinned
            return
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._cursor(commit=False) as cursor:
            cursor.execute(self._sql(statement), list(params))
            return [
                tuple(row.values()) if isinstance(row, dict) else tuple(row)
                for row in cursor.fetchall()
            ]

    def execute(self, statement: str, params: Sequence[Any] = ()) -> int:
        with self._cursor(commit=True) as cursor:
            cursor.execute(self._sql(statement), list(params))
            return int(getattr(cursor, "sqlite_cursor", cursor).rowcount or 0)

    def probe_write(self, now: str) -> None:
        """Commit one small write (the one probe row), so that a read-only store, or one whose
        disk has no room for even that, shows now rather than at the next event."""
        self.execute(
            f"INSERT INTO {self.table('store_probe')} (id, probed_at) VALUES (1, ?)"
            " ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at",
            [now],
        )
