"""The `boligspor worker` command: run the scheduler process, or one job once."""

from __future__ import annotations

import json
import signal
import threading
from dataclasses import asdict, is_dataclass
from types import FrameType
from typing import Annotated

import typer
from apscheduler.triggers.interval import IntervalTrigger

from workers.leadership import Watchdog, wait_to_lead
from workers.scheduler import JOBS, build_scheduler, scheduled_jobs


def register(app: typer.Typer) -> None:
    """Add the `worker` command to the command line."""
    app.command("worker")(worker)


def worker(
    once: Annotated[
        str | None,
        typer.Option(
            "--once",
            help="run this job once now and exit: " + ", ".join(job.name for job in JOBS),
        ),
    ] = None,
) -> None:
    """Run the background jobs (read models, watch-list alerts, frozen and monthly figures)."""
    from cli.main import open_app, settings

    service = open_app(settings())
    if once is not None:
        chosen = [job for job in JOBS if job.name == once.replace("-", "_")]
        if not chosen:
            raise typer.BadParameter(f"unknown job {once}", param_hint="--once")
        result = scheduled_jobs(service, jobs=tuple(chosen))[0]()
        if result is None:
            raise typer.Exit(1)
        if is_dataclass(result) and not isinstance(result, type):
            print(json.dumps({"job": chosen[0].name, **asdict(result)}))
        return
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
            return
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
        return
    if watchdog.gone:
        raise typer.Exit(1)
