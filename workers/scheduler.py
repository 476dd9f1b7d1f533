"""The worker process: one APScheduler BlockingScheduler with every job, each at most one
instance at a time, missed runs coalesced. Never started inside the web server."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from domain.application import Boligspor
from projections.db import ReadStore
from workers import (
    count_monthly_by_name_list,
    freeze_annual_figures,
    keep_read_models_current,
    raise_watch_list_alerts,
)
from workers.retries import Backoff, JobRun, ReadStoreHolder, Sleep, run_with_retries

MISFIRE_GRACE_SECONDS = 3600

Trigger = Any  # an APScheduler 3 trigger (the package ships no type hints)


@dataclass(frozen=True)
class Job:
    """A job module's `run` and when it runs (the trigger built from the settings)."""

    name: str
    run: JobRun
    trigger: Callable[[Any], Trigger]
    quiet: bool = False


def _every_few_seconds(settings: Any) -> Trigger:
    seconds = settings.worker_catch_up_seconds
    return IntervalTrigger(seconds=seconds, timezone=ZoneInfo(settings.timezone))


@dataclass(frozen=True)
class _Cron:
    """A time of day (and of the year) in the municipality's time zone."""

    fields: dict[str, int]

    def __call__(self, settings: Any) -> Trigger:
        return CronTrigger(timezone=ZoneInfo(settings.timezone), **self.fields)

    def at(self, settings: Any, time_of_day: str) -> Trigger:
        """The same day, at HH:MM[:SS] instead (BOLIGSPOR_WORKER_TIMES)."""
        parts = [int(part) for part in time_of_day.split(":")]
        clock = dict(zip(("hour", "minute", "second"), parts, strict=False))
        return CronTrigger(timezone=ZoneInfo(settings.timezone), **{**self.fields, **clock})


def _cron(**fields: int) -> _Cron:
    return _Cron(fields)


def trigger_of(job: Job, settings: Any) -> Trigger:
    """The job's trigger, at the time of day the settings give for it, if any."""
    time_of_day = settings.worker_times.get(job.name)
    if time_of_day and isinstance(job.trigger, _Cron):
        return job.trigger.at(settings, time_of_day)
    return job.trigger(settings)


JOBS: tuple[Job, ...] = (
    Job(
        "keep_read_models_current",
        keep_read_models_current.run,
        _every_few_seconds,
        quiet=True,
    ),
    Job("raise_watch_list_alerts", raise_watch_list_alerts.run, _cron(hour=6, minute=0)),
    Job(
        "freeze_annual_figures",
        freeze_annual_figures.run,
        _cron(month=1, day=1, hour=0, minute=30),
    ),
    Job("count_monthly_by_name_list", count_monthly_by_name_list.run, _cron(hour=0, minute=45)),
)


class ScheduledJob:
    """What the scheduler calls: take `now` from the application's clock, run with retries."""

    def __init__(
        self,
        job: Job,
        app: Boligspor,
        stores: ReadStoreHolder,
        backoff: Backoff,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.job = job
        self.app = app
        self.stores = stores
        self.backoff = backoff
        self.sleep = sleep

    def __call__(self) -> object | None:
        return run_with_retries(
            self.job.name,
            self.job.run,
            self.app,
            self.stores,
            self.app.clock(),
            self.backoff,
            self.sleep,
            quiet=self.job.quiet,
        )


def scheduled_jobs(
    app: Boligspor,
    *,
    opener: Callable[[str], ReadStore] = ReadStore.open,
    sleep: Sleep = time.sleep,
    jobs: tuple[Job, ...] = JOBS,
) -> list[ScheduledJob]:
    """Each job with its own read-store connection, on the application's database."""
    backoff = Backoff.from_settings(app.settings)
    return [
        ScheduledJob(job, app, ReadStoreHolder(app.settings.database_url, opener), backoff, sleep)
        for job in jobs
    ]


def build_scheduler(
    app: Boligspor,
    *,
    opener: Callable[[str], ReadStore] = ReadStore.open,
    sleep: Sleep = time.sleep,
    jobs: tuple[Job, ...] = JOBS,
) -> BlockingScheduler:
    """The worker's scheduler with every job added; `start()` blocks until shut down."""
    zone = ZoneInfo(app.settings.timezone)
    scheduler = BlockingScheduler(
        timezone=zone,
        job_defaults={
            "max_instances": 1,
            "coalesce": True,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    for scheduled in scheduled_jobs(app, opener=opener, sleep=sleep, jobs=jobs):
        scheduler.add_job(
            scheduled,
            trigger=trigger_of(scheduled.job, app.settings),
            id=scheduled.job.name,
            name=scheduled.job.name,
            max_instances=1,
            coalesce=True,
            replace_existing=True,
        )
    return scheduler
