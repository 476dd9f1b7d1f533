"""Jobs through a database outage: retried with back-off, the read store reopened, logged."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import datetime

import psycopg
import pytest

from domain.application import Boligspor
from projections.db import ReadStore
from settings import parse_database_url
from tests.conftest import TEST_POSTGRES_URL, drop_schema, make_settings, require_postgres
from tests.workers.conftest import Story, oslo
from workers.retries import Backoff, ReadStoreHolder, run_with_retries
from workers.scheduler import JOBS, ScheduledJob

NOW = oslo("2023-05-01 12:00")
KEEP_CURRENT = next(job for job in JOBS if job.name == "keep_read_models_current")


@pytest.fixture
def postgres_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL schema, and an application name only this test's connections carry."""
    require_postgres()
    name = f"boligspor-worker-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("PGAPPNAME", name)
    schema = f"w_{uuid.uuid4().hex[:12]}"
    yield f"{TEST_POSTGRES_URL}?schema={schema}", name
    drop_schema(schema)


def terminate_connections(application_name: str) -> int:
    with psycopg.connect(parse_database_url(TEST_POSTGRES_URL).conninfo, autocommit=True) as db:
        rows = db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = %s AND pid <> pg_backend_pid()",
            (application_name,),
        ).fetchall()
    return len(rows)


@pytest.mark.slow  # the event store's connection pool re-checks each dead connection, ~1 s each
def test_given_the_worker_on_postgresql_when_its_connections_are_terminated_then_the_next_run_recovers(  # noqa: E501
    postgres_url: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    url, application_name = postgres_url
    app = Boligspor(make_settings(url), clock=lambda: NOW)
    story = Story(app)
    story.opened("S-1", "2023-01-01")
    sleeps: list[float] = []
    stores = ReadStoreHolder(url)
    job = ScheduledJob(
        KEEP_CURRENT, app, stores, Backoff(attempts=5, first_delay=2.0), sleeps.append
    )
    assert job() is not None
    story.case("S-1", "TemporaryStayStarted", "2023-01-02", stay="t1", kind="hostel")

    assert terminate_connections(application_name) >= 2
    with caplog.at_level(logging.DEBUG, logger="boligspor.workers"):
        result = job()

    assert result is not None and getattr(result, "applied", None) == 1
    assert sleeps and sleeps == [2.0 * 2**n for n in range(len(sleeps))]
    failures = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert failures and all(getattr(r, "job", None) == "keep_read_models_current" for r in failures)
    assert getattr(caplog.records[-1], "result", None) == {"applied": 1, "behind": 0}
    stores.discard()


class Unreachable:
    """A read-store opener for a database that is down for the first `failures` tries."""

    def __init__(self, failures: int, store: ReadStore | None = None) -> None:
        self.failures = failures
        self.store = store
        self.tries = 0

    def __call__(self, url: str) -> ReadStore:
        self.tries += 1
        if self.tries <= self.failures or self.store is None:
            raise psycopg.OperationalError("connection refused")
        return self.store


def job_returning(value: str) -> object:
    def run(app: Boligspor, store: ReadStore, now: datetime) -> object:
        return value

    return run


def test_given_a_database_down_for_every_attempt_when_a_job_runs_then_it_backs_off_doubling_and_gives_up_until_its_next_run(  # noqa: E501
    caplog: pytest.LogCaptureFixture,
) -> None:
    sleeps: list[float] = []
    opener = Unreachable(failures=99)

    with caplog.at_level(logging.INFO, logger="boligspor.workers"):
        result = run_with_retries(
            "some_job",
            job_returning("done"),  # type: ignore[arg-type]
            None,  # type: ignore[arg-type]
            ReadStoreHolder("sqlite:///unused", opener),
            NOW,
            Backoff(attempts=5, first_delay=1.0, max_delay=5.0),
            sleeps.append,
        )

    assert result is None
    assert sleeps == [1.0, 2.0, 4.0, 5.0]
    assert opener.tries == 5
    assert [getattr(r, "attempt", None) for r in caplog.records[:5]] == [1, 2, 3, 4, 5]
    assert caplog.records[-1].getMessage() == "job gave up until its next run"
    assert all("connection refused" not in str(vars(r)) for r in caplog.records)


def test_given_a_database_back_after_two_failures_when_a_job_runs_then_the_third_attempt_succeeds(
    tmp_path: object,
) -> None:
    sleeps: list[float] = []
    store = ReadStore.open("sqlite:///:memory:")
    opener = Unreachable(failures=2, store=store)

    result = run_with_retries(
        "some_job",
        job_returning("done"),  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        ReadStoreHolder("sqlite:///unused", opener),
        NOW,
        Backoff(attempts=5, first_delay=1.0),
        sleeps.append,
    )

    assert result == "done"
    assert sleeps == [1.0, 2.0]


def test_given_a_job_with_a_bug_when_it_runs_then_the_error_is_logged_and_raised_without_retries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(app: Boligspor, store: ReadStore, now: datetime) -> object:
        raise KeyError("x")

    sleeps: list[float] = []
    with caplog.at_level(logging.INFO, logger="boligspor.workers"), pytest.raises(KeyError):
        run_with_retries(
            "broken_job",
            broken,
            None,  # type: ignore[arg-type]
            ReadStoreHolder(
                "sqlite:///unused", Unreachable(0, ReadStore.open("sqlite:///:memory:"))
            ),
            NOW,
            Backoff(),
            sleeps.append,
        )

    assert sleeps == []
    assert getattr(caplog.records[-1], "error_type", None) == "KeyError"
