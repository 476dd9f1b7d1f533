"""Two `boligspor worker` processes on one PostgreSQL schema: when the leader's database
session ends under it, the leader stops (exit 1) and the waiting worker takes over."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from domain import locks
from settings import parse_database_url
from tests.conftest import TEST_POSTGRES_URL, drop_schema, require_postgres
from tests.operations.processes import Process, environment, start, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

LEADING = "leading the scheduled jobs"
WAITING = "another worker leads the scheduled jobs; waiting to take over"


@pytest.fixture
def schema() -> Iterator[str]:
    require_postgres()
    name = f"t_lead_{uuid.uuid4().hex[:12]}"
    yield name
    drop_schema(name)


def end_the_leaders_session(schema: str) -> int:
    conninfo = parse_database_url(TEST_POSTGRES_URL).conninfo
    with psycopg.connect(conninfo, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
            " AND granted AND classid = %s::bigint::oid"
            " AND objid = (hashtext(%s)::bigint & 4294967295)::oid",
            (locks.WORKER_LEADER, schema),
        ).fetchall()
        return len(rows)


def test_a_leader_that_loses_its_lock_stops_and_the_other_worker_takes_over(
    schema: str, tmp_path: Path
) -> None:
    url = f"{TEST_POSTGRES_URL}?schema={schema}"
    env = environment(url, log_level="INFO", worker_leader_poll_seconds="0.3")
    workers: list[Process] = []
    try:
        workers.append(start("worker-a", ["worker"], env, tmp_path))
        wait_until(lambda: bool(workers[0].messages(LEADING)), 60, "the first leader")
        workers.append(start("worker-b", ["worker"], env, tmp_path))
        wait_until(lambda: bool(workers[1].messages(WAITING)), 60, "the second to wait")
        assert not workers[1].messages(LEADING)

        assert end_the_leaders_session(schema) == 1

        wait_until(lambda: workers[0].popen.poll() is not None, 30, "the old leader to stop")
        assert workers[0].popen.returncode == 1
        assert workers[0].messages(
            "lost the leader's lock (database session ended); stopping the jobs"
        )
        wait_until(lambda: bool(workers[1].messages(LEADING)), 30, "the takeover")
        assert workers[1].popen.poll() is None
    finally:
        for worker in workers:
            worker.stop()
