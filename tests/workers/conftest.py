"""Worker test fixtures: the Moss sample once per module and backend, small stories on fresh
databases, and fixed instants in Europe/Oslo (no test sleeps or reads the real clock)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.application import Boligspor
from projections.db import ReadStore
from projections.runner import catch_up
from tests.conftest import (
    TEST_POSTGRES_URL,
    TODAY_NOW,
    DatabaseFactory,
    drop_schema,
    make_settings,
    require_postgres,
    sample_lines,
)
from workers.schema import change_source

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
        return catch_up(change_source(self.app), self.store)

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


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def moss(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The Moss sample imported and caught up, shared by a module's tests on one backend;
    tests that write to it must add events nothing else in the module looks at."""
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
