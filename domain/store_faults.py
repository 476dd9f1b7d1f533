"""Faults of the store that are not a busy or lost connection: a full disk, a read-only
database. Recognised in an error's chain (the library wraps the driver's error), so that
every edge — the API, the health check, the command line — can name them.
"""

from __future__ import annotations

import errno
import sqlite3
import threading
import time

import psycopg

from domain.errors import StoreFull, StoreReadOnly, StoreUnavailable

SQLITE_FULL, SQLITE_READONLY = 13, 8
FULL_SQLSTATES = frozenset({"53100"})  # disk_full
READ_ONLY_SQLSTATES = frozenset({"25006"})  # read_only_sql_transaction
# A write that met a full disk is reported by the health check for this long, unless a write
# succeeds before: a small probe write cannot show a full disk that a table's growth meets
# (a read-only store the probe always shows).
FAULT_REMEMBERED_SECONDS = 60.0

MESSAGES = {
    StoreFull: "the database's disk is full; nothing was written (free space, then try again)",
    StoreReadOnly: "the database is read-only; nothing was written",
}


def fault_of(error: BaseException) -> type[StoreUnavailable] | None:
    """StoreFull or StoreReadOnly when that is what the error (or one it came from) is."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = _fault_itself(current)
        if found is not None:
            return found
        current = current.__cause__ or current.__context__
    return None


def _fault_itself(error: BaseException) -> type[StoreUnavailable] | None:
    if isinstance(error, StoreFull | StoreReadOnly):
        return type(error)
    if isinstance(error, sqlite3.Error):
        code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
        return {SQLITE_FULL: StoreFull, SQLITE_READONLY: StoreReadOnly}.get(code)
    if isinstance(error, psycopg.Error):
        state = error.sqlstate or ""
        if state in FULL_SQLSTATES:
            return StoreFull
        if state in READ_ONLY_SQLSTATES:
            return StoreReadOnly
    if isinstance(error, OSError):
        return {errno.ENOSPC: StoreFull, errno.EROFS: StoreReadOnly}.get(error.errno or 0)
    return None


def named(error: BaseException) -> StoreUnavailable | None:
    """The fault as a domain error with its own message (None when it is no such fault)."""
    kind = fault_of(error)
    if kind is None:
        return None
    fault = kind(MESSAGES[kind])
    fault.__cause__ = error
    return fault


class RecentFaults:
    """The last full disk a write met in this process, per database, until a write succeeds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, tuple[type[StoreUnavailable], float]] = {}

    def met(self, database_url: str, kind: type[StoreUnavailable]) -> None:
        with self._lock:
            self._last[database_url] = (kind, time.monotonic())

    def cleared(self, database_url: str) -> None:
        with self._lock:
            self._last.pop(database_url, None)

    def current(self, database_url: str) -> type[StoreUnavailable] | None:
        with self._lock:
            last = self._last.get(database_url)
        if last is None or time.monotonic() - last[1] > FAULT_REMEMBERED_SECONDS:
            return None
        return last[0]


RECENT = RecentFaults()
