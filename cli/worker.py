"""`boligspor worker`: run the scheduler process (workers/process.py), or one job once."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from typing import Annotated

import typer

from cli.context import open_app, settings
from workers.process import job_named, run_once, run_scheduler
from workers.scheduler import JOBS


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
    service = open_app(settings())
    if once is not None:
        job = job_named(once)
        if job is None:
            raise typer.BadParameter(f"unknown job {once}", param_hint="--once")
        result = run_once(service, job)
        if result is None:
            raise typer.Exit(1)
        if is_dataclass(result) and not isinstance(result, type):
            print(json.dumps({"job": job.name, **asdict(result)}))
        return
    if run_scheduler(service):
        raise typer.Exit(1)
