"""Running a job through a database outage: retry with exponential back-off, reopen the read
store between attempts, log each attempt (counts and error types only, no personal data)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime
from typing import Any

import psycopg
from eventsourcing import persistence

from domain.application import Boligspor
from domain.errors import StoreUnavailable
from projections.db import ReadStore
from settings import Settings

log = logging.getLogger("boligspor.workers")

RETRYABLE: tuple[type[BaseException], ...] = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
    persistence.OperationalError,
    persistence.InterfaceError,
    StoreUnavailable,
)
JobRun = Callable[[Boligspor, ReadStore, datetime], object]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Backoff:
    """How often to try and how long to wait between tries: doubling, up to a maximum."""

    attempts: int = 5
    first_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, failed_attempts: int) -> float:
        return float(min(self.first_delay * 2 ** (failed_attempts - 1), self.max_delay))

    @classmethod
    def from_settings(cls, settings: Settings) -> Backoff:
        return cls(
            attempts=settings.worker_retry_attempts,
            first_delay=settings.worker_retry_first_seconds,
            max_delay=settings.worker_retry_max_seconds,
        )


class ReadStoreHolder:
    """One job's read-store connection, opened when first needed and again after a failure."""

    def __init__(
        self, database_url: str, opener: Callable[[str], ReadStore] = ReadStore.open
    ) -> None:
        self._database_url = database_url
        self._opener = opener
        self._store: ReadStore | None = None

    def get(self) -> ReadStore:
        if self._store is None:
            self._store = self._opener(self._database_url)
        return self._store

    def discard(self) -> None:
        """Drop the connection (it may be broken); the next `get` opens a new one."""
        store, self._store = self._store, None
        if store is not None:
            try:
                store.close()
            except RETRYABLE:
                log.debug("closing a broken read-store connection failed")


def run_with_retries(
    name: str,
    job: JobRun,
    app: Boligspor,
    stores: ReadStoreHolder,
    now: datetime,
    backoff: Backoff,
    sleep: Sleep,
    quiet: bool = False,
) -> object | None:
    """The job's result; None when every attempt met an unavailable database (the next
    scheduled run tries again). Any other error is logged and raised. A `quiet` job logs its
    successful runs at debug level (one that runs every few seconds)."""
    for attempt in range(1, backoff.attempts + 1):
        try:
            result = job(app, stores.get(), now)
        except RETRYABLE as error:
            stores.discard()
            last = attempt == backoff.attempts
            retry_in = None if last else backoff.delay(attempt)
            log.warning(
                "job attempt failed: database unavailable",
                extra={
                    "job": name,
                    "attempt": attempt,
                    "error_type": type(error).__name__,
                    "retry_in_seconds": retry_in,
                },
            )
            if retry_in is not None:
                sleep(retry_in)
            continue
        except Exception as error:
            failure = {"job": name, "attempt": attempt, "error_type": type(error).__name__}
            log.error("job failed", extra=failure)
            raise
        log.log(
            logging.DEBUG if quiet else logging.INFO,
            "job finished",
            extra={"job": name, "attempt": attempt, "now": now.isoformat(), **_summary(result)},
        )
        return result
    log.error("job gave up until its next run", extra={"job": name, "attempts": backoff.attempts})
    return None


def _summary(result: object) -> dict[str, Any]:
    if is_dataclass(result) and not isinstance(result, type):
        return {"result": asdict(result)}
    return {}
