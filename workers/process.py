"""The worker process: wait to lead, then run the scheduler until stopped; or one job once.

`boligspor worker` (cli/worker.py) is the command that starts it.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

from apscheduler.triggers.interval import IntervalTrigger

from domain.application import Boligspor
from workers.leadership import Watchdog, wait_to_lead
from workers.scheduler import JOBS, Job, build_scheduler, scheduled_jobs


def job_named(name: str) -> Job | None:
    """The job of this name (`-` or `_` between its words), or None."""
    chosen = [job for job in JOBS if job.name == name.replace("-", "_")]
    return chosen[0] if chosen else None


def run_once(service: Boligspor, job: Job) -> object | None:
    """Run one job now; None when it could not run."""
    return scheduled_jobs(service, jobs=(job,))[0]()


def run_scheduler(service: Boligspor) -> bool:
    """Wait to hold the leader lock, then run every job on its schedule until SIGTERM or
    Ctrl-C; True when the process stopped because it lost the lock."""
    config = service.settings
    stopping = threading.Event()
    scheduler = None

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()
        if scheduler is not None:
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    try:
        lock = wait_to_lead(
            config.database_url, config.worker_leader_poll_seconds, stopping=stopping.is_set
        )
        if lock is None:
            return False
        scheduler = build_scheduler(service)
        watchdog = Watchdog(lock, lambda: scheduler.shutdown(wait=False))
        scheduler.add_job(
            watchdog,
            trigger=IntervalTrigger(seconds=config.worker_leader_poll_seconds),
            id="watch_the_leader_lock",
            max_instances=1,
            coalesce=True,
        )
        scheduler.start()
    except KeyboardInterrupt:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        return False
    return watchdog.gone
