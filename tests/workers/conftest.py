"""Worker test fixtures: the Moss sample once per module and backend, small stories on fresh
databases, and fixed instants in Europe/Oslo (no test sleeps or reads the real clock)."""

from __future__ import annotations

import itertools
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from psycopg import sql

from domain.application import Boligspor
from projections.db import ReadStore
from projections.runner import catch_up
from settings import parse_database_url
from tests.conftest import (
    TEST_POSTGRES_URL,
    TODAY_NOW,
    DatabaseFactory,
    drop_schema,
    make_settings,
    require_postgres,
    sample_lines,
)

OSLO = ZoneInfo("Europe/Oslo")
WORKER_TABLES = ("alert_teams", "alerts", "reported_figures", "by_name_months")


def oslo(text: str) -> datetime:
    """An instant given as Oslo wall-clock time, e.g. "2023-09-01 06:00"."""
    return datetime.fromisoformat(text).replace(tzinfo=OSLO)


@dataclass
class World:
    """An application and its read store on one database."""

    app: Boligspor
    store: ReadStore
    url: str

    def catch_up(self) -> int:
        return catch_up(self.app, self.store)

    def drop_worker_tables(self) -> None:
        with self.store.transaction() as tx:
            for table in WORKER_TABLES:
                tx.execute(f"DROP TABLE IF EXISTS {table}")


@dataclass
class Story:
    """Events for one municipality, numbered in the order they are written."""

    app: Boligspor
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def case(self, ref: str, type_: str, on: str, **fields: Any) -> str:
        event_id = f"w{next(self.ids)}"
        event = {"id": event_id, "type": type_, "case": ref, "on": on, "by": "u1", **fields}
        self.app.submit([(1, event)])
        return event_id

    def opened(self, ref: str, on: str, children: int = 0, situation: str = "rough") -> str:
        return self.case(
            ref,
            "CaseOpened",
            on,
            household={"adults": 1, "children": children},
            group="other",
            situation=situation,
            person={"name": "Test Testesen"},
        )


def _world(url: str) -> World:
    app = Boligspor(make_settings(url), clock=lambda: TODAY_NOW)
    return World(app, ReadStore.open(url), url)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def moss(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The Moss sample imported and caught up once per backend. Tests may drop and fill the
    worker tables but add no events: a test that does uses `moss_copy`."""
    schema = None
    if request.param == "postgres":
        require_postgres()
        schema = f"w_{uuid.uuid4().hex[:12]}"
        url = f"{TEST_POSTGRES_URL}?schema={schema}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('moss') / 'moss.sqlite'}"
    world = _world(url)
    world.app.submit(sample_lines("moss-2023.jsonl"))
    world.catch_up()
    yield world
    world.store.close()
    if schema is not None:
        drop_schema(schema)


@pytest.fixture
def moss_copy(moss: World, tmp_path: Path) -> Iterator[World]:
    """A world of its own holding the Moss sample, for tests that add events (on SQLite a copy
    of the shared file, on PostgreSQL a fresh import)."""
    schema = None
    if moss.store.dialect == "sqlite":
        url = f"sqlite:///{tmp_path / 'moss-copy.sqlite'}"
        with (
            closing(sqlite3.connect(moss.url.removeprefix("sqlite:///"))) as source,
            closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as target,
        ):
            source.backup(target)
        world = _world(url)
    else:
        schema = f"w_{uuid.uuid4().hex[:12]}"
        world = _world(f"{TEST_POSTGRES_URL}?schema={schema}")
        _copy_schema(moss.url.rsplit("schema=", 1)[1], schema)
    world.drop_worker_tables()
    yield world
    world.store.close()
    if schema is not None:
        drop_schema(schema)


def _copy_schema(source: str, target: str) -> None:
    """Copy every table's rows into the target schema (creating tables it lacks) and move
    the target's sequences past the copied ids."""
    with psycopg.connect(parse_database_url(TEST_POSTGRES_URL).conninfo, autocommit=True) as db:
        names = [
            str(name)
            for (name,) in db.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = %s AND table_type = 'BASE TABLE'",
                (source,),
            )
        ]
        with db.transaction():
            for name in names:
                old, new = sql.Identifier(source, name), sql.Identifier(target, name)
                db.execute(
                    sql.SQL("CREATE TABLE IF NOT EXISTS {} (LIKE {} INCLUDING ALL)").format(
                        new, old
                    )
                )
                # ON CONFLICT: the target's own key check (the same keys) is already there;
                # OVERRIDING: identity columns (GENERATED ALWAYS) keep the copied ids.
                db.execute(
                    sql.SQL(
                        "INSERT INTO {} OVERRIDING SYSTEM VALUE SELECT * FROM {}"
                        " ON CONFLICT DO NOTHING"
                    ).format(new, old)
                )
            for table, column in db.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = %s"
                " AND (column_default LIKE 'nextval%%' OR is_identity = 'YES')",
                (target,),
            ).fetchall():
                db.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence(%s, %s), MAX({})) FROM {}"
                    ).format(sql.Identifier(column), sql.Identifier(target, table)),
                    (f'"{target}"."{table}"', column),
                )


@pytest.fixture
def moss_fresh(moss: World) -> World:
    """The module's Moss world with no worker tables yet (no alerts, figures or months)."""
    moss.drop_worker_tables()
    return moss


@pytest.fixture
def new_world(database_urls: DatabaseFactory) -> Iterator[Callable[[], World]]:
    """A factory of empty worlds on the parametrized backend."""
    made: list[World] = []

    def build() -> World:
        made.append(_world(database_urls()))
        return made[-1]

    yield build
    for world in made:
        world.store.close()
