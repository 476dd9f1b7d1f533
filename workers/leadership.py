"""Which worker process runs the scheduled jobs: the one that holds the leader's lock.

Any number of `boligspor worker` processes may run; the first to take the lock (a PostgreSQL
advisory lock, a file lock on SQLite) leads, the others wait and ask again every few seconds.
The lock lives as long as the leader's database session: when the leader dies, the server
releases it and a waiting worker takes over. A leader that finds its session gone (the
database restarted) stops at once rather than run beside a new leader.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import psycopg

from domain import locks

log = logging.getLogger("boligspor.workers")


def wait_to_lead(
    database_url: str,
    poll_seconds: float,
    *,
    stopping: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
) -> locks.HeldLock | None:
    """The leader's lock, once this process has it; None if asked to stop while waiting."""
    announced = False
    while not stopping():
        try:
            lock = locks.try_to_take(database_url, locks.WORKER_LEADER)
        except psycopg.OperationalError as error:
            log.warning(
                "cannot ask for the leader's lock: database unavailable",
                extra={"error_type": type(error).__name__},
            )
            lock = None
        if lock is not None:
            log.info("leading the scheduled jobs")
            return lock
        if not announced:
            log.info("another worker leads the scheduled jobs; waiting to take over")
            announced = True
        sleep(poll_seconds)
    return None


class Watchdog:
    """Checks, as a job of the leader's scheduler, that the lock is still held; calls
    `lost` (which stops the scheduler) the first time it is not."""

    def __init__(self, lock: locks.HeldLock, lost: Callable[[], None]) -> None:
        self.lock = lock
        self.lost = lost
        self.gone = False

    def __call__(self) -> None:
        if self.gone or self.lock.still_held():
            return
        self.gone = True
        log.error("lost the leader's lock (database session ended); stopping the jobs")
        self.lost()
