"""What the command line prints when a command cannot run at all: one line, no traceback.

Keys that do not open the store, keys that cannot be found, and a database that is full,
read-only or unreachable end every command the same way: `boligspor: <what is wrong>` on
standard error and exit status 2.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable

import psycopg
from eventsourcing import persistence

from domain import store_faults
from domain.errors import DomainError, KeysMissing, StoreUnavailable, WrongKeys

EXIT_STATUS = 2


def run_reporting_failures(command: Callable[[], object]) -> None:
    """Run the command line; a failure to start or to reach the store ends it in one line."""
    try:
        command()
    except (KeysMissing, WrongKeys) as error:
        print(f"boligspor: {error.message}", file=sys.stderr)
        raise SystemExit(EXIT_STATUS) from None
    except UNREACHABLE as error:
        print(f"boligspor: {described(error).message}", file=sys.stderr)
        raise SystemExit(EXIT_STATUS) from None


UNREACHABLE: tuple[type[Exception], ...] = (
    StoreUnavailable,
    persistence.OperationalError,
    persistence.InterfaceError,
    persistence.InternalError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg.errors.ReadOnlySqlTransaction,
    sqlite3.OperationalError,
)
UNREACHABLE_MESSAGE = "the database cannot be reached or stays locked; nothing was written"


def described(error: Exception) -> DomainError:
    """A domain error that says what is wrong with the store: full, read-only, unreachable."""
    fault = store_faults.named(error)
    if fault is not None:
        return fault
    if isinstance(error, DomainError):
        return error
    return StoreUnavailable(UNREACHABLE_MESSAGE)
