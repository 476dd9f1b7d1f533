"""The worker process: one scheduler, every job with its trigger, one instance at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import typer
from typer.testing import CliRunner

from cli.worker import register
from projections import alerts
from tests.workers.conftest import OSLO, World, oslo
from workers.scheduler import JOBS, build_scheduler, scheduled_jobs

EXPECTED_NEXT_RUN = {
    "keep_read_models_current": oslo("2023-09-01 00:00:05"),
    "raise_watch_list_alerts": oslo("2023-09-01 06:00"),
    "freeze_annual_figures": oslo("2024-01-01 00:30"),
    "count_monthly_by_name_list": oslo("2023-09-01 00:45"),
}


def test_given_the_worker_when_its_scheduler_is_built_then_every_job_has_its_trigger_and_runs_one_at_a_time(  # noqa: E501
    new_world: Callable[[], World],
) -> None:
    world = new_world()

    scheduler = build_scheduler(world.app)

    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {job.name for job in JOBS} == set(EXPECTED_NEXT_RUN)
    assert not scheduler.running
    start = oslo("2023-09-01 00:00")
    for name, job in jobs.items():
        assert (job.max_instances, job.coalesce) == (1, True)
        assert job.trigger.timezone == OSLO
        next_run = job.trigger.get_next_fire_time(None, start)
        if name == "keep_read_models_current":
            next_run = job.trigger.get_next_fire_time(start, start)
        assert next_run == EXPECTED_NEXT_RUN[name], name
    assert jobs["keep_read_models_current"].trigger.interval.total_seconds() == 5


def test_given_the_applications_clock_when_a_scheduled_job_runs_then_it_is_given_that_now(
    new_world: Callable[[], World],
) -> None:
    world = new_world()
    world.app.clock = lambda: datetime(2023, 9, 1, 4, 0, tzinfo=OSLO)
    watch_list = next(
        j for j in scheduled_jobs(world.app) if j.job.name == "raise_watch_list_alerts"
    )

    result = watch_list()

    assert result == alerts.Reconciled(raised=0, reopened=0, cleared=0, open=0)
    watch_list.stores.discard()


def test_given_the_command_line_when_the_worker_is_registered_then_boligspor_worker_exists() -> (
    None
):
    app = typer.Typer()
    app.command("version")(lambda: None)
    register(app)

    shown = CliRunner().invoke(app, ["worker", "--help"])

    assert shown.exit_code == 0
    assert "--once" in shown.output
