"""The library's SQLite recorder, writing the event-id index rows, new keys and search index
rows with the events
(domain/storage.py says why), and holding an import's bulk session."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from domain import search_index
from domain.search_index import SearchRow
from domain.storage import IndexRow, KeyRow, Pinned

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
    *search_index.SQLITE_TABLES,
)


# The library's SQLite pool keeps 5 connections and opens up to 10 more, each closed again as
# soon as it is handed back: under fifty users a request opened and closed SQLite connections
# (and asked for the journal mode) all the time. The same 15 at most, all kept.
POOL_CONNECTIONS = 15


def keep_every_connection(pool: Any) -> None:
    """Keep every connection the pool opens (its size and overflow as one size)."""
    pool.pool_size, pool.max_overflow = POOL_CONNECTIONS, 0


class IndexedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, writing index rows and keys with the events."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.pinned = Pinned()
        keep_every_connection(datastore.pool)

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
        _insert_search_rows(c, kwargs.get("search_rows", ()))
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
        _insert_search_rows(c, kwargs.get("search_rows", ()))
        return super()._insert_events(c, stored_events, **kwargs)


def _insert_search_rows(c: Any, rows: Sequence[SearchRow]) -> None:
    """The search index's rows of the events (domain/search_index.py)."""
    if rows:
        c.executemany(
            f"INSERT OR IGNORE INTO {search_index.TABLE} (token, stream) VALUES (?, ?)", rows
        )
