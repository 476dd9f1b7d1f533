"""The read store: one small adapter so that the same SQL runs on SQLite and PostgreSQL.

SQL is written once with `?` placeholders; on PostgreSQL they become `%s`. Dates are stored as
ISO-8601 text (`YYYY-MM-DD`), which sorts and compares correctly on both backends. A ReadStore
holds one connection and serialises its use with a lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import sql

from settings import parse_database_url

Row = tuple[Any, ...]
Params = Sequence[Any]

SQLITE_BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Table:
    """A read-model table: columns as (name, SQL type), the primary key and the indexes."""

    name: str
    columns: tuple[tuple[str, str], ...]
    primary_key: tuple[str, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def create_statements(self) -> list[str]:
        parts = [f"{name} {kind}" for name, kind in self.columns]
        if self.primary_key:
            parts.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        statements = [f"CREATE TABLE IF NOT EXISTS {self.name} ({', '.join(parts)})"]
        for columns in self.indexes:
            index_name = f"{self.name}_by_{'_'.join(columns)}"
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {index_name} ON {self.name} ({', '.join(columns)})"
            )
        return statements

    def insert_statement(self) -> str:
        placeholders = ", ".join("?" for _ in self.columns)
        return f"INSERT INTO {self.name} ({', '.join(self.column_names)}) VALUES ({placeholders})"


def one_of(dialect: str, column: str, values: Iterable[Any]) -> tuple[str, list[Any]]:
    """The condition that `column` is one of the values, and its parameters: one array on
    PostgreSQL (`= ANY`: one statement and plan for any number of values; bench/search.py),
    a mark for each value on SQLite (up to 32,766)."""
    wanted = sorted(values)
    if dialect == "postgres":
        return f"{column} = ANY(?)", [wanted]
    return f"{column} IN ({', '.join('?' for _ in wanted) or 'NULL'})", wanted


@lru_cache(maxsize=512)
def _to_pyformat(statement: str) -> str:
    return statement.replace("%", "%%").replace("?", "%s")


class Transaction:
    """Statements inside one transaction of a ReadStore."""

    def __init__(self, store: ReadStore) -> None:
        self._store = store

    @property
    def dialect(self) -> str:
        return self._store.dialect

    def execute(self, statement: str, params: Params = ()) -> None:
        self._store._execute(statement, params)

    def executemany(self, statement: str, rows: Sequence[Params]) -> None:
        if rows:
            self._store._executemany(statement, rows)

    def query(self, statement: str, params: Params = ()) -> list[Row]:
        return self._store._query(statement, params)

    def query_one(self, statement: str, params: Params = ()) -> Row | None:
        rows = self._store._query(statement, params)
        return rows[0] if rows else None


class ReadStore:
    """A connection to the database that holds the read models (SQLite or PostgreSQL)."""

    def __init__(self, dialect: str, connection: Any) -> None:
        self.dialect = dialect
        self._connection = connection
        self._lock = threading.RLock()

    @classmethod
    def open(cls, database_url: str) -> ReadStore:
        """Connect to sqlite:///PATH or postgresql://…[?schema=NAME] (the schema is created)."""
        target = parse_database_url(database_url)
        if target.kind == "sqlite":
            assert target.sqlite_path is not None
            path = target.sqlite_path
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            return cls("sqlite", connection)
        pg_connection = psycopg.connect(target.conninfo, autocommit=True)
        if target.schema:
            schema = sql.Identifier(target.schema)
            with pg_connection.cursor() as cursor:
                # Only when missing: a read-only database refuses even CREATE … IF NOT EXISTS.
                cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [target.schema])
                if cursor.fetchone() is None:
                    cursor.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema))
                cursor.execute(sql.SQL("SET search_path TO {}").format(schema))
        return cls("postgres", pg_connection)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        begin = "BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN"
        with self._lock:
            yield from self._within(begin)

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A read-only transaction that sees one consistent snapshot."""
        begin = (
            "BEGIN"
            if self.dialect == "sqlite"
            else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        )
        with self._lock:
            yield from self._within(begin)

    def _within(self, begin: str) -> Iterator[Transaction]:
        began = False
        try:
            with ExitStack() as stack:
                if self.dialect == "postgres":
                    # One pipeline per transaction: statements go out without waiting for
                    # each answer; a query's fetch waits for what it needs.
                    stack.enter_context(self._connection.pipeline())
                self._connection.execute(begin)
                began = True
                yield Transaction(self)
        except BaseException:
            if began:
                self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    def _sql(self, statement: str) -> str:
        return statement if self.dialect == "sqlite" else _to_pyformat(statement)

    def _execute(self, statement: str, params: Params) -> None:
        self._connection.execute(self._sql(statement), tuple(params))

    def _executemany(self, statement: str, rows: Sequence[Params]) -> None:
        if self.dialect == "sqlite":
            self._connection.executemany(statement, rows)
        else:
            with self._connection.cursor() as cursor:
                cursor.executemany(self._sql(statement), rows)

    def _query(self, statement: str, params: Params) -> list[Row]:
        rows = self._connection.execute(self._sql(statement), tuple(params)).fetchall()
        return [tuple(row) for row in rows]
