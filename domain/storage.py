"""Event store recorders: the library's, plus an event-id index and the case keys.

The index rows and new keys are written in the same transaction as the events they belong to,
under the library's table lock, so an acknowledged event always has its index row and key, and
a failed insert leaves neither.

A bulk session (`recorder.bulk()`, for imports) pins one connection and one open transaction to
the calling thread: every insert and every read of that thread goes through it, so the events
of one chunk are visible to the reads of the next without a commit, and the whole session
commits once or rolls back as one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
    Transcoding,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed

from domain import locks

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
    "CREATE TABLE IF NOT EXISTS key_check ("
    " name TEXT PRIMARY KEY, value BLOB NOT NULL, written_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS store_probe (id INTEGER PRIMARY KEY, probed_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS case_restrictions ("
    " case_ref TEXT PRIMARY KEY, restricted_at TEXT NOT NULL, restricted_by TEXT NOT NULL,"
    " reason TEXT NOT NULL)",
)


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


class IndexedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, writing index rows and keys with the events."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.pinned = Pinned()

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *SQLITE_TABLES]

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Hold the store's one writer slot and one transaction until the block ends: commit
        when it ends normally, roll back everything when it raises."""
        conn = self.datastore.pool.get_connection(is_writer=True)
        try:
            cursor = conn.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise OperationalError(error) from error
            try:
                with self.pinned.holding(cursor):
                    yield
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.commit()
            except sqlite3.OperationalError as error:
                raise OperationalError(error) from error
        finally:
            self.datastore.pool.put_connection(conn)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        cursor = self.pinned.cursor()
        if cursor is None:
            return super().insert_events(stored_events, **kwargs)
        try:
            self._insert_bulk(cursor, stored_events, **kwargs)
        except sqlite3.IntegrityError as error:
            raise IntegrityError(error) from error
        return None

    def _insert_bulk(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        """The rows of `_insert_events` in one `executemany` each (positions are not needed)."""
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
        c.executemany(
            self.insert_events_statement,
            [(s.originator_id, s.originator_version, s.topic, s.state) for s in stored_events],
        )

    def select_events(
        self,
        originator_id: Any,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        cursor = self.pinned.cursor()
        if cursor is None:
            return super().select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        statement = self.select_events_statement
        params: list[Any] = [originator_id]
        if gt is not None:
            statement += "AND originator_version>? "
            params.append(gt)
        if lte is not None:
            statement += "AND originator_version<=? "
            params.append(lte)
        statement += "ORDER BY originator_version " + ("DESC " if desc else "ASC ")
        if limit is not None:
            statement += "LIMIT ? "
            params.append(limit)
        cursor.execute(statement, params)
        return [
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=row["state"],
            )
            for row in cursor.fetchall()
        ]

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
            "key_check (name text PRIMARY KEY, value bytea NOT NULL, written_at text NOT NULL)",
            "store_probe (id integer PRIMARY KEY, probed_at text NOT NULL)",
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

        self.pinned = Pinned()

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Take the events table's lock and hold it, with one transaction on one connection,
        until the block ends: commit when it ends normally, roll back when it raises.

        The lock is taken first, so no other writer can change a stream between this
        session's reads and its inserts; other writers wait (and time out) until it ends.
        """
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._lock_table(curs)
            with self.pinned.holding(curs):
                yield

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        pinned = self.pinned.cursor()
        if pinned is None:
            ids: Sequence[int] | None = self._insert_in_own_transaction(stored_events, **kwargs)
            return ids
        # Inside a bulk session: no retry, a failed statement has aborted the transaction.
        self._insert_events(pinned, stored_events, **kwargs)
        if stored_events:
            self._insert_stored_events(pinned, stored_events, **kwargs)
        return None

    def select_events(
        self,
        originator_id: Any,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        curs = self.pinned.cursor()
        if curs is None:
            found: Sequence[StoredEvent] = super().select_events(
                originator_id, gt=gt, lte=lte, desc=desc, limit=limit
            )
            return found
        statement = self.select_events_statement
        params: list[Any] = [originator_id]
        if gt is not None:
            params.append(gt)
            statement += SQL(" AND originator_version > %s")
        if lte is not None:
            params.append(lte)
            statement += SQL(" AND originator_version <= %s")
        statement += SQL(" ORDER BY originator_version") + SQL(" DESC" if desc else " ASC")
        if limit is not None:
            params.append(limit)
            statement += SQL(" LIMIT %s")
        curs.execute(statement, params, prepare=True)
        return [
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in curs.fetchall()
        ]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _insert_in_own_transaction(
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
        curs.execute(
            locks.xact_lock_statement(),
            locks.advisory_key(locks.EVENT_STORE_TABLES, self.datastore.schema),
        )
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
