"""Fresh, throw-away stores: a SQLite file in a temporary folder, or a PostgreSQL schema."""

from __future__ import annotations

import base64
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from settings import Settings

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
POSTGRES_CONNINFO = "host=127.0.0.1 port=5432 user=postgres dbname=test"


def _key() -> str:
    return base64.b64encode(os.urandom(16)).decode()


@dataclass(frozen=True)
class Store:
    """Where one benchmark stores: the URL, keys, and a raw connection for baselines."""

    backend: str
    url: str
    payload_key: str
    master_key: str
    schema: str | None = None
    sqlite_path: Path | None = None

    def settings(self) -> Settings:
        return Settings(
            database_url=self.url,
            payload_key=self.payload_key,
            master_key=self.master_key,
            log_json=False,
            log_level="WARNING",
        )

    def environment(self) -> dict[str, str]:
        """BOLIGSPOR_* variables for a subprocess (CLI or uvicorn) using this store."""
        return {
            "BOLIGSPOR_DATABASE_URL": self.url,
            "BOLIGSPOR_PAYLOAD_KEY": self.payload_key,
            "BOLIGSPOR_MASTER_KEY": self.master_key,
            "BOLIGSPOR_LOG_LEVEL": "WARNING",
        }

    def settle(self) -> None:
        """After a bulk import on PostgreSQL, what autovacuum does to a store in use: VACUUM
        ANALYZE of every table of the schema, so that the visibility map allows index-only
        scans and the planner knows the sizes (on SQLite, nothing to do)."""
        if self.backend != "postgres":
            return
        with psycopg.connect(POSTGRES_CONNINFO, autocommit=True) as connection:
            tables = connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", [self.schema]
            ).fetchall()
            for (table,) in tables:
                connection.execute(f'VACUUM ANALYZE "{self.schema}"."{table}"')

    def connect(self) -> Any:
        """A raw DB-API connection (autocommit off) to the same database."""
        if self.backend == "sqlite":
            assert self.sqlite_path is not None
            raw = self.sqlite_path.with_name("baseline.sqlite")
            connection = sqlite3.connect(raw, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            return connection
        connection = psycopg.connect(POSTGRES_CONNINFO)
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
        connection.execute(f'SET search_path TO "{self.schema}"')
        connection.commit()
        return connection


def wait_for_postgres(limit_s: float = 180) -> None:
    """Wait until the server accepts connections (other sessions on this machine restart it)."""
    deadline = time.monotonic() + limit_s
    while True:
        try:
            with psycopg.connect(POSTGRES_CONNINFO, connect_timeout=3):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


@contextmanager
def fresh(backend: str, label: str) -> Iterator[Store]:
    """A new empty store, removed afterwards."""
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix=f"bench-{label}-"))
        path = folder / "boligspor.sqlite"
        try:
            yield Store(backend, f"sqlite:///{path}", _key(), _key(), sqlite_path=path)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    wait_for_postgres()
    schema = f"bench_{label}_{os.getpid()}_{int(time.time() * 1000) % 10**8}".lower()
    try:
        yield Store(backend, f"{POSTGRES}?schema={schema}", _key(), _key(), schema=schema)
    finally:
        wait_for_postgres()
        with psycopg.connect(POSTGRES_CONNINFO, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
