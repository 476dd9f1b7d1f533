"""Fixtures shared by every test package: event stores on SQLite and PostgreSQL.

PostgreSQL is at BOLIGSPOR_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test).
Each store gets a fresh schema, dropped afterwards. If PostgreSQL cannot be reached the
PostgreSQL tests FAIL, unless BOLIGSPOR_SKIP_POSTGRES=1 is set: then they are skipped loudly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from domain.application import Boligspor
from settings import Settings, parse_database_url, scrub_library_environment

TEST_POSTGRES_URL = os.environ.get(
    "BOLIGSPOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
# The samples live in the repository (tests/samples/, byte for byte the copies of the shared
# contract's samples: tests/test_samples_are_the_shared_ones.py); BOLIGSPOR_SAMPLES points the
# sample-based tests at another folder of the same layout (e.g. further event files).
SAMPLES = Path(
    os.environ.get("BOLIGSPOR_SAMPLES", Path(__file__).resolve().parent / "samples")
).resolve()
TEST_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="  # 32 bytes, tests only
TODAY_NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

scrub_library_environment()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--long",
        action="store_true",
        default=False,
        help="reliability tests: 5x the trials and 60 s of terminated connections;"
        " load tests: 5 minutes instead of 60 s",
    )


# Tests that time themselves, start many processes or writers at once, or stop the PostgreSQL
# server itself. scripts/test runs the rest on several processes (pytest-xdist), then these
# alone, one at a time: no other test shares the two cores with a latency goal or a deadline,
# and no other test's connection dies in a server crash.
SERIAL = (
    "tests/load/",
    "tests/bench/",
    "tests/operations/test_many_processes.py",
    "tests/reliability/test_server_crash.py",  # kills the PostgreSQL server and restarts it
    "tests/reliability/test_broken_database.py",
    "tests/reliability/test_concurrent_writers.py",
    "tests/domain/test_concurrent_writers.py",
    "tests/domain/test_stuck_database.py",
    "tests/domain/test_group_commit.py",
    "tests/api/test_logs.py",  # reads the log lines of both phases (BOLIGSPOR_TEST_RUN_LOGS)
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SERIAL):
            item.add_marker(pytest.mark.serial)


def postgres_problem() -> str | None:
    try:
        with psycopg.connect(parse_database_url(TEST_POSTGRES_URL).conninfo, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"{type(error).__name__}: {error}".strip()


def require_postgres() -> None:
    problem = postgres_problem()
    if problem is None:
        return
    reason = f"PostgreSQL at {TEST_POSTGRES_URL} is unreachable ({problem})"
    if os.environ.get("BOLIGSPOR_SKIP_POSTGRES") == "1":
        pytest.skip(f"SKIPPING POSTGRESQL TESTS: {reason}; BOLIGSPOR_SKIP_POSTGRES=1 is set")
    pytest.fail(f"{reason}. Start it, or set BOLIGSPOR_SKIP_POSTGRES=1 to skip these tests.")


def drop_schema(schema: str) -> None:
    with psycopg.connect(parse_database_url(TEST_POSTGRES_URL).conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


DatabaseFactory = Callable[[], str]


@pytest.fixture(params=["sqlite", "postgres"])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseFactory]:
    """A factory of fresh, empty databases on the parametrized backend."""
    schemas: list[str] = []

    def fresh() -> str:
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / uuid.uuid4().hex[:8]}.sqlite"
        schema = f"t_{uuid.uuid4().hex[:12]}"
        schemas.append(schema)
        return f"{TEST_POSTGRES_URL}?schema={schema}"

    if request.param == "postgres":
        require_postgres()
    yield fresh
    for schema in schemas:
        drop_schema(schema)


def make_settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, payload_key=TEST_KEY, master_key=TEST_KEY)


@pytest.fixture
def new_app(database_urls: DatabaseFactory) -> Callable[[], Boligspor]:
    """A factory of applications, each on a fresh database, clock fixed at 2026-11-21."""

    def build() -> Boligspor:
        return Boligspor(make_settings(database_urls()), clock=lambda: TODAY_NOW)

    return build


def sample_lines(name: str) -> list[tuple[int, str]]:
    """The numbered non-blank lines of a sample file."""
    with (SAMPLES / name).open(encoding="utf-8") as handle:
        return [(n, line) for n, line in enumerate(handle, 1) if line.strip()]
