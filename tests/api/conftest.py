"""API test fixtures: an API over the Moss sample per module and backend, fresh APIs per test,
a small client helper that signs in as a role, and a capture of every log line of the run."""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services
from cli.logs import JsonFormatter
from domain.application import Boligspor
from tests.conftest import (
    SAMPLES,
    TEST_POSTGRES_URL,
    TODAY_NOW,
    drop_schema,
    make_settings,
    require_postgres,
    sample_lines,
)

BACKENDS = [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]

# Users every API under test has: role -> (name, team).
USERS: dict[str, tuple[str, str, str | None]] = {
    "caseworker": ("kari", "caseworker", None),
    "field": ("ola", "field", "caretaker"),
    "housing_first": ("hanne", "field", "housing_first"),
    "leader": ("leif", "leader", None),
    "admin": ("anne", "admin", None),
}

# Cases of the Moss sample: one followed up by the caretaker team, one in Housing First, one
# with no team, and cases set aside for restriction and erasure.
CARETAKER_CASE = "S-00002"
HOUSING_FIRST_CASE = "S-00115"
NO_TEAM_CASE = "S-00003"
RESTRICTED_CASE = "S-00010"


@dataclass
class Api:
    """A client of one API with a token per role: `api.get(path, as_="field")`."""

    client: TestClient | httpx.Client
    app: Boligspor
    services: Services
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}

    def get(self, path: str, as_: str | None, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers(as_), **kwargs.pop("headers", {})}
        return self.client.get(path, headers=headers, **kwargs)

    def post(self, path: str, as_: str | None, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers(as_), **kwargs.pop("headers", {})}
        return self.client.post(path, headers=headers, **kwargs)

    def stored(self) -> int:
        return self.app.max_position()


def build_api(database_url: str, sample: str | None = None) -> tuple[FastAPI, Api]:
    settings = make_settings(database_url)
    app = Boligspor(settings, clock=lambda: TODAY_NOW)
    if sample is not None:
        app.submit(sample_lines(sample))
    web = create_app(settings, application=app)
    services: Services = web.state.services
    tokens = {
        role: services.users.add(name, kind, team, now=TODAY_NOW)[1]
        for role, (name, kind, team) in USERS.items()
    }
    return web, Api(TestClient(web), app, services, tokens)


def close_api(api: Api) -> None:
    api.services.close()
    api.app.close()


def new_database_url(backend: str, directory: Path, schemas: list[str]) -> str:
    if backend == "sqlite":
        return f"sqlite:///{directory / uuid.uuid4().hex[:8]}.sqlite"
    schema = f"t_api_{uuid.uuid4().hex[:12]}"
    schemas.append(schema)
    return f"{TEST_POSTGRES_URL}?schema={schema}"


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgres":
        require_postgres()
    return name


@pytest.fixture(scope="module")
def moss(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """An API over the Moss sample, loaded once per module and backend."""
    schemas: list[str] = []
    url = new_database_url(backend, tmp_path_factory.mktemp("moss"), schemas)
    _, api = build_api(url, "moss-2023.jsonl")
    restrict(api, RESTRICTED_CASE)
    yield api
    close_api(api)
    for schema in schemas:
        drop_schema(schema)


def restrict(api: Api, ref: str) -> None:
    api.app.restrict_case(ref, reason="sperret", by="anne")


@pytest.fixture
def fresh_api(backend: str, tmp_path: Path) -> Iterator[Callable[[], Api]]:
    """A factory of APIs over empty databases, closed and dropped after the test."""
    schemas: list[str] = []
    made: list[Api] = []

    def build() -> Api:
        _, api = build_api(new_database_url(backend, tmp_path, schemas))
        made.append(api)
        return api

    yield build
    for api in made:
        close_api(api)
    for schema in schemas:
        drop_schema(schema)


# --- every log line of the run, for the personal-data check ----------------------------------

LOG_LINES: list[str] = []
# A folder shared by the processes of one run (scripts/test sets it): each test process writes
# its lines there too, so the check, which runs last and alone, reads the whole run's lines.
RUN_LOGS = os.environ.get("BOLIGSPOR_TEST_RUN_LOGS")


class _Capture(logging.Handler):
    def __init__(self, copy: TextIO | None) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.copy = copy

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        LOG_LINES.append(line)
        if self.copy is not None:
            self.copy.write(line + "\n")


@pytest.fixture(scope="session", autouse=True)
def capture_logs() -> Iterator[list[str]]:
    root = logging.getLogger()
    copy = None
    if RUN_LOGS:
        copy = (Path(RUN_LOGS) / f"{os.getpid()}.log").open("a", encoding="utf-8", buffering=1)
    handler, level = _Capture(copy), root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield LOG_LINES
    root.removeHandler(handler)
    root.setLevel(level)
    if copy is not None:
        copy.close()


def run_log_lines() -> list[str]:
    """This process's log lines and those the run's other test processes wrote."""
    others = []
    if RUN_LOGS:
        for path in sorted(Path(RUN_LOGS).glob("*.log")):
            if path.name != f"{os.getpid()}.log":
                others.extend(path.read_text(encoding="utf-8").splitlines())
    return [*LOG_LINES, *others]


def personal_values() -> set[str]:
    """Names, national ids and phone numbers in every sample file."""
    found: set[str] = set()
    for path in [*SAMPLES.glob("*.jsonl"), *(SAMPLES / "invalid").glob("*.jsonl")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            person = event.get("person") if isinstance(event, dict) else None
            if isinstance(person, dict):
                found.update(str(v) for v in person.values())
    return found


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The check of the run's logs goes last, after everything else has logged."""
    last = [i for i in items if i.name.startswith("test_the_logs_of_the_whole_run")]
    items[:] = [i for i in items if i not in last] + last
