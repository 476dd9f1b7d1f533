"""Locks between processes on one database: who creates the schema, who leads the worker.

On PostgreSQL these are advisory locks, keyed by a number per purpose and the schema's name
(municipalities sharing a server each have their own); a lock held by a session ends with it,
so a process that dies releases what it held. On SQLite (one machine) they are `flock` locks
on a file beside the database, also released by the operating system when the process dies.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from settings import DatabaseTarget, parse_database_url

# The first key of each advisory lock (the second is hashtext(schema)).
EVENT_STORE_TABLES = 7420119  # the event store's own tables (one transaction)
SCHEMA = 7420120  # every other table, trigger and function, while a process starts
READ_MODEL_TABLES = 7420121  # the read models' tables and triggers (one transaction)
WORKER_LEADER = 7420122  # the worker process that runs the scheduled jobs


def advisory_key(purpose: int, schema: str | None) -> tuple[int, str]:
    """The parameters of pg_advisory_*(%s, hashtext(%s)) for a purpose and a schema."""
    return purpose, schema or "public"


def xact_lock_statement() -> str:
    """Taken as the first statement of a transaction: held until it ends (PostgreSQL)."""
    return "SELECT pg_advisory_xact_lock(%s, hashtext(%s))"


class HeldLock:
    """A lock held by this process until `release` (or until the process ends)."""

    def __init__(self, target: DatabaseTarget, purpose: int, *, wait: bool) -> None:
        self.target = target
        self.purpose = purpose
        self._connection: Any = None
        self._file: int | None = None
        self.held = self._take(wait)

    def _take(self, wait: bool) -> bool:
        if self.target.kind == "sqlite":
            return self._take_file(wait)
        self._connection = psycopg.connect(self.target.conninfo, autocommit=True)
        function = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
        row = self._connection.execute(
            f"SELECT {function}(%s, hashtext(%s))::text",
            advisory_key(self.purpose, self.target.schema),
        ).fetchone()
        held = wait or (row is not None and row[0] == "true")
        if not held:
            self._connection.close()
            self._connection = None
        return held

    def _take_file(self, wait: bool) -> bool:
        assert self.target.sqlite_path is not None
        if str(self.target.sqlite_path) == ":memory:":
            return True  # one process only
        path = lock_file(self.target.sqlite_path, self.purpose)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            if error.errno != errno.EROFS:
                raise
            # A read-only filesystem: no process can create or change anything there, so there
            # is nothing to take turns on; the store itself then reports itself read-only.
            return True
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(descriptor)
            return False
        self._file = descriptor
        return True

    def still_held(self) -> bool:
        """False once the session that holds the lock is gone (the database restarted)."""
        if self.target.kind == "sqlite":
            return self.held
        if self._connection is None:
            return False
        try:
            row = self._connection.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid = pg_backend_pid() AND classid = %s::bigint::oid",
                (self.purpose,),
            ).fetchone()
        except psycopg.Error:
            return False
        return row is not None and int(row[0]) > 0

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            os.close(self._file)
            self._file = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.held = False


def lock_file(database: Path, purpose: int) -> Path:
    return database.with_name(f"{database.name}.lock-{purpose}")


@contextmanager
def holding(database_url: str, purpose: int = SCHEMA) -> Iterator[None]:
    """Hold the lock for the block; other processes asking for it wait until it ends."""
    lock = HeldLock(parse_database_url(database_url), purpose, wait=True)
    try:
        yield
    finally:
        lock.release()


def try_to_take(database_url: str, purpose: int) -> HeldLock | None:
    """The lock, if no other process holds it now."""
    lock = HeldLock(parse_database_url(database_url), purpose, wait=False)
    return lock if lock.held else None
