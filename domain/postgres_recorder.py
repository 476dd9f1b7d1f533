"""The library's PostgreSQL recorder, writing the event-id index rows, new keys and search
index rows with the events (domain/storage.py says why), and holding an import's bulk session."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed

from domain import locks, search_index
from domain.search_index import SearchRow
from domain.storage import IndexRow, KeyRow, Pinned


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
            search_index.POSTGRES_TABLE,
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

        self.sql_create_statements.append(
            Composed(
                [
                    SQL(
                        "CREATE INDEX IF NOT EXISTS "
                        + search_index.POSTGRES_INDEX.format(schema=schema)
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
        search: Sequence[SearchRow] = kwargs.get("search_rows", ())
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
            if search:
                extra.execute(
                    f"INSERT INTO {schema}.{search_index.TABLE} (token, stream)"
                    " SELECT * FROM unnest(%s::bytea[], %s::text[]) ON CONFLICT DO NOTHING",
                    [list(column) for column in zip(*search, strict=True)],
                )
        super()._insert_stored_events(curs, stored_events, **kwargs)
