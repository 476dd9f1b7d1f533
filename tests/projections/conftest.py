"""The read-store backends the projection tests run on: SQLite and PostgreSQL.

PostgreSQL is at BOLIGSPOR_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test,
trust auth); every store gets a fresh schema, dropped afterwards. When PostgreSQL cannot be
reached the tests fail, unless BOLIGSPOR_SKIP_POSTGRES=1 says to skip them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from projections.db import ReadStore
from settings import parse_database_url

POSTGRES_URL = os.environ.get(
    "BOLIGSPOR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgres")


def _postgres_problem() -> str | None:
    try:
        with psycopg.connect(parse_database_url(POSTGRES_URL).conninfo, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"{type(error).__name__}: {error}".strip()


@pytest.fixture(scope="session")
def postgres_problem() -> str | None:
    return _postgres_problem()


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, postgres_problem: str | None) -> str:
    name: str = request.param
    if name == "postgres" and postgres_problem is not None:
        reason = f"PostgreSQL at {POSTGRES_URL} is unreachable ({postgres_problem})"
        if os.environ.get("BOLIGSPOR_SKIP_POSTGRES") == "1":
            pytest.skip(
                f"SKIPPING ALL POSTGRESQL TESTS: {reason}; BOLIGSPOR_SKIP_POSTGRES=1 is set"
            )
        pytest.fail(f"{reason}. Start it, or set BOLIGSPOR_SKIP_POSTGRES=1 to skip these tests.")
    return name


StoreFactory = Callable[[], ReadStore]


def _drop_schema(schema: str) -> None:
    with psycopg.connect(parse_database_url(POSTGRES_URL).conninfo, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def _stores(backend: str, directory: Path) -> Iterator[StoreFactory]:
    opened: list[tuple[ReadStore, str | None]] = []

    def open_store() -> ReadStore:
        if backend == "sqlite":
            path = directory / f"read-{uuid.uuid4().hex[:8]}.sqlite"
            store, schema = ReadStore.open(f"sqlite:///{path}"), None
        else:
            schema = f"test_{uuid.uuid4().hex[:12]}"
            store = ReadStore.open(f"{POSTGRES_URL}?schema={schema}")
        opened.append((store, schema))
        return store

    yield open_store
    for store, schema in opened:
        store.close()
        if schema is not None:
            _drop_schema(schema)


@pytest.fixture(scope="module")
def module_stores(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreFactory]:
    """Opens fresh read stores on the module's backend, cleaned up when the module is done."""
    yield from _stores(backend, tmp_path_factory.mktemp(f"read-{backend}"))


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[ReadStore]:
    """A fresh, empty read store for one test."""
    stores = _stores(backend, tmp_path)
    open_store = next(stores)
    yield open_store()
    next(stores, None)
