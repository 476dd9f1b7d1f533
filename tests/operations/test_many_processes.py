"""Many processes on one empty PostgreSQL schema: four servers and two workers started at
the same moment all come up, the schema is made once, and one worker leads the jobs."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from projections.registry import names
from settings import parse_database_url
from tests.conftest import TEST_POSTGRES_URL, drop_schema, require_postgres
from tests.operations.processes import Process, answers, environment, start, wait_until
from tests.pages.conftest import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

DAILY_JOBS = ("raise_watch_list_alerts", "count_monthly_by_name_list")
SCHEMA_ERRORS = ("already exists", "tuple concurrently updated", "duplicate key", "Traceback")


@pytest.fixture
def empty_schema() -> Iterator[str]:
    require_postgres()
    schema = f"t_many_{uuid.uuid4().hex[:12]}"
    yield schema
    drop_schema(schema)


def tables_of(schema: str) -> list[str]:
    conninfo = parse_database_url(TEST_POSTGRES_URL).conninfo
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (schema,)
        ).fetchall()
        return [str(row[0]) for row in rows]


def tracked(schema: str) -> list[str]:
    conninfo = parse_database_url(TEST_POSTGRES_URL).conninfo
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(f'SELECT name FROM "{schema}".projection_tracking').fetchall()
        return sorted(str(row[0]) for row in rows)


def test_four_servers_and_two_workers_started_at_once_share_one_schema_and_one_leader(
    empty_schema: str, tmp_path: Path
) -> None:
    url = f"{TEST_POSTGRES_URL}?schema={empty_schema}"
    # The daily jobs fire a little after every process has had time to start.
    at = (datetime.now(ZoneInfo("Europe/Oslo")) + timedelta(seconds=40)).strftime("%H:%M:%S")
    env = environment(
        url,
        log_level="INFO",
        worker_catch_up_seconds="1",
        worker_leader_poll_seconds="0.5",
        worker_times=json.dumps(dict.fromkeys(DAILY_JOBS, at)),
    )
    ports = [free_port() for _ in range(4)]
    processes: list[Process] = []
    try:
        # Given an empty schema, when four servers and two workers start together
        for n, port in enumerate(ports):
            arguments = ["serve", "--host", "127.0.0.1", "--port", str(port)]
            processes.append(start(f"server-{n}", arguments, env, tmp_path))
        workers = [start(f"worker-{n}", ["worker"], env, tmp_path) for n in range(2)]
        processes += workers

        # then every server answers its health check
        for port in ports:
            wait_until(
                lambda port=port: answers(f"http://127.0.0.1:{port}/api/health/ready") == 200,
                120,
                f"the server on port {port}",
            )
        # and exactly one worker leads, the other waits
        wait_until(
            lambda: (
                sum(len(w.messages("leading the scheduled jobs")) for w in workers) == 1
                and any(
                    w.messages("another worker leads the scheduled jobs; waiting to take over")
                    for w in workers
                )
            ),
            60,
            "one leader and one waiting worker",
        )
        # and every daily job runs once, in the leader only
        wait_until(
            lambda: all(
                sum(len(w.messages("job finished", job=job)) for w in workers) >= 1
                for job in DAILY_JOBS
            ),
            90,
            "the daily jobs",
        )
        for job in DAILY_JOBS:
            runs = [len(w.messages("job finished", job=job)) for w in workers]
            assert sorted(runs) == [0, 1], f"{job} ran {runs} times in the two workers"
        for process in processes:
            assert process.popen.poll() is None, process.log.read_text()
            text = process.log.read_text()
            assert not [e for e in SCHEMA_ERRORS if e in text], f"{process.name}:\n{text}"
        # and the schema holds each read model's tracking row once
        assert tracked(empty_schema) == sorted(names())
        assert {"boligspor_events", "users", "access_log", "projection_tracking"} <= set(
            tables_of(empty_schema)
        )

        # When the leader dies, the waiting worker takes over
        leader = next(w for w in workers if w.messages("leading the scheduled jobs"))
        follower = next(w for w in workers if w is not leader)
        leader.popen.kill()
        leader.popen.wait(timeout=20)
        wait_until(
            lambda: bool(follower.messages("leading the scheduled jobs")), 30, "the takeover"
        )
        assert follower.popen.poll() is None
    finally:
        for process in processes:
            process.stop()
