"""Event store recorders: the library's, plus an event-id index and the case keys.

The index rows and new keys are written in the same transaction as the events they belong to,
under the library's table lock, so an acknowledged event always has its index row and key, and
a failed insert leaves neither.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
    StoredEvent,
    Transcoding,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed

IndexRow = tuple[str, str, int]  # event id, aggregate id, aggregate version
KeyRow = tuple[str, bytes, str]  # aggregate id, wrapped key, created at (ISO)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


SQLITE_TABLES = (
    "CREATE TABLE IF NOT EXISTS event_index ("
    " event_id TEXT PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS event_index_stream ON event_index (stream)",
    "CREATE TABLE IF NOT EXISTS stream_keys ("
    " stream TEXT PRIMARY KEY, wrapped BLOB, created_at TEXT NOT NULL,"
    " erased_at TEXT, erased_by TEXT, erased_reason TEXT)",
    "CREATE TABLE IF NOT EXISTS case_restrictions ("
    " case_ref TEXT PRIMARY KEY, restricted_at TEXT NOT NULL, restricted_by TEXT NOT NULL,"
    " reason TEXT NOT NULL)",
)


class IndexedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, writing index rows and keys with the events."""

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *SQLITE_TABLES]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        index: Sequence[IndexRow] = kwargs.get("index_rows", ())
        keys: Sequence[KeyRow] = kwargs.get("key_rows", ())
        if keys:
            c.executemany(
                "INSERT INTO stream_keys (stream, wrapped, created_at) VALUES (?, ?, ?)", keys
            )
        if index:
            c.executemany(
                "INSERT INTO event_index (event_id, stream, version) VALUES (?, ?, ?)", index
            )
        return super()._insert_events(c, stored_events, **kwargs)


class IndexedPostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, writing index rows and keys with the events."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = self.datastore.schema
        tables = (
            "event_index (event_id text PRIMARY KEY, stream text NOT NULL,"
            " version bigint NOT NULL)",
            "stream_keys (stream text PRIMARY KEY, wrapped bytea, created_at text NOT NULL,"
            " erased_at text, erased_by text, erased_reason text)",
            "case_restrictions (case_ref text PRIMARY KEY, restricted_at text NOT NULL,"
            " restricted_by text NOT NULL, reason text NOT NULL)",
        )
        self.sql_create_statements += [
            Composed([SQL(f"CREATE TABLE IF NOT EXISTS {schema}.{table}")]) for table in tables
        ]
        self.sql_create_statements.append(
            Composed(
                [
                    SQL(
                        f"CREATE INDEX IF NOT EXISTS event_index_stream"
                        f" ON {schema}.event_index (stream)"
                    )
                ]
            )
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's insert without psycopg's pipeline mode.

        In pipeline mode a submission of more than ~10,000 events (one large statement after
        the lock and the index rows) left client and server each waiting for the other.
        Sent one statement at a time, the same transaction completes.
        """
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return []
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def _create_table(self, curs: Any) -> None:
        # Processes starting together would race on CREATE OR REPLACE FUNCTION
        # ("tuple concurrently updated"): one at a time, by a transaction-scoped lock.
        curs.execute("SELECT pg_advisory_xact_lock(7420119)")
        super()._create_table(curs)

    def _insert_stored_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        index: Sequence[IndexRow] = kwargs.get("index_rows", ())
        keys: Sequence[KeyRow] = kwargs.get("key_rows", ())
        self._lock_table(curs)
        schema = self.datastore.schema
        # One statement per table (arrays unnested server-side): an executemany inside the
        # library's pipeline sends a statement per row, and past ~10,000 rows client and
        # server both block on full socket buffers.
        with curs.connection.cursor() as extra:
            if keys:
                extra.execute(
                    f"INSERT INTO {schema}.stream_keys (stream, wrapped, created_at)"
                    " SELECT * FROM unnest(%s::text[], %s::bytea[], %s::text[])",
                    [list(column) for column in zip(*keys, strict=True)],
                )
            if index:
                extra.execute(
                    f"INSERT INTO {schema}.event_index (event_id, stream, version)"
                    " SELECT * FROM unnest(%s::text[], %s::text[], %s::bigint[])",
                    [list(column) for column in zip(*index, strict=True)],
                )
        super()._insert_stored_events(curs, stored_events, **kwargs)


class Sql:
    """Plain SQL on the event store's own connection, `?` placeholders on both databases."""

    def __init__(self, recorder: Any) -> None:
        self.datastore = recorder.datastore
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

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._sql(statement), list(params))
            return [
                tuple(row.values()) if isinstance(row, dict) else tuple(row)
                for row in cursor.fetchall()
            ]

    def execute(self, statement: str, params: Sequence[Any] = ()) -> int:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._sql(statement), list(params))
            return int(getattr(cursor, "sqlite_cursor", cursor).rowcount or 0)
