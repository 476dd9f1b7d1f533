"""The eventsourcing library's environment, built explicitly from our settings.

Building it also prepares the place it names: the SQLite file (created private, like the key
file) or the PostgreSQL schema.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from domain import store_faults
from domain.errors import StoreReadOnly
from settings import Settings, parse_database_url


def library_environment(settings: Settings, payload_key: str) -> dict[str, str]:
    """The eventsourcing library's configuration, built explicitly from our settings."""
    target = parse_database_url(settings.database_url)
    env = {
        "ORIGINATOR_ID_TYPE": "text",
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
        "CIPHER_KEY": payload_key,
    }
    if target.kind == "sqlite":
        assert target.sqlite_path is not None
        target.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        if str(target.sqlite_path) != ":memory:":
            if os.statvfs(target.sqlite_path.parent).f_flag & os.ST_RDONLY:
                # SQLite itself says only "unable to open database file".
                raise StoreReadOnly(store_faults.MESSAGES[StoreReadOnly])
            _create_private(target.sqlite_path)
        env.update(
            PERSISTENCE_MODULE="eventsourcing.sqlite",
            SQLITE_DBNAME=str(target.sqlite_path),
            SQLITE_LOCK_TIMEOUT="10",
            APPLICATION_RECORDER_TOPIC="domain.sqlite_recorder:IndexedSQLiteRecorder",
        )
    else:
        env.update(
            PERSISTENCE_MODULE="eventsourcing.postgres",
            POSTGRES_DBNAME=target.dbname,
            POSTGRES_HOST=target.host,
            POSTGRES_PORT=str(target.port),
            POSTGRES_USER=target.user,
            POSTGRES_PASSWORD=target.password,
            POSTGRES_SCHEMA=target.schema or "public",
            POSTGRES_LOCK_TIMEOUT="1",  # x 10 library retries: a stuck lock fails in ~12 s
            POSTGRES_CONNECT_TIMEOUT="5",
            POSTGRES_POOL_SIZE="4",
            POSTGRES_MAX_OVERFLOW="8",
            POSTGRES_PRE_PING="y",
            # The library's default (5 s) cut a 200,000-event import off mid-transaction: the
            # Python work of encoding its rows sits between two statements of one transaction.
            POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT="120",
            APPLICATION_RECORDER_TOPIC="domain.postgres_recorder:IndexedPostgresRecorder",
        )
        if target.schema:
            _create_schema(target.conninfo, target.schema)
    return env


def _create_private(path: Path) -> None:
    """Create the SQLite file 0600 like the key file (its -wal and -shm files take its mode)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _create_schema(conninfo: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
