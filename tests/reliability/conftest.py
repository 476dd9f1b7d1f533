"""Reliability tests (issue 8): CI-sized by default, `--long` multiplies trials and durations.

Every figure a test measures is kept with `record_figures` and printed at the end of the run
(and written as JSON to BOLIGSPOR_RELIABILITY_FIGURES when that is set): docs/reliability.md
quotes them.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_POSTGRES_URL, drop_schema, require_postgres

LONG_FACTOR = 5
FIGURES: dict[str, dict[str, Any]] = {}


@dataclass(frozen=True)
class Scale:
    """How big a reliability run is: CI-sized, or `--long`."""

    long: bool

    def trials(self, ci: int) -> int:
        return ci * LONG_FACTOR if self.long else ci

    def seconds(self, ci: float, long: float) -> float:
        return long if self.long else ci


@pytest.fixture(scope="session")
def scale(pytestconfig: pytest.Config) -> Scale:
    return Scale(long=bool(pytestconfig.getoption("--long")))


RecordFigures = Callable[[str, dict[str, Any]], None]


@pytest.fixture
def record_figures(request: pytest.FixtureRequest) -> RecordFigures:
    """Keep a test's figures under a name (the test's own id by default)."""

    def record(name: str, figures: dict[str, Any]) -> None:
        FIGURES[f"{request.node.name}::{name}" if name else request.node.name] = figures

    return record


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for name, figures in FIGURES.items():
        terminalreporter.write_line(f"{name}: {json.dumps(figures, sort_keys=True)}")
    target = os.environ.get("BOLIGSPOR_RELIABILITY_FIGURES")
    if target:
        Path(target).write_text(json.dumps(FIGURES, indent=2, sort_keys=True) + "\n")


BACKENDS = [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]
UrlFactory = Callable[[], str]


@pytest.fixture(params=BACKENDS)
def fresh_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UrlFactory]:
    """A factory of empty databases on the parametrized backend, dropped afterwards."""
    backend: str = request.param
    schemas: list[str] = []
    if backend == "postgres":
        require_postgres()

    def fresh() -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / uuid.uuid4().hex[:8]}.sqlite"
        schema = f"t_rel_{uuid.uuid4().hex[:10]}"
        schemas.append(schema)
        return f"{TEST_POSTGRES_URL}?schema={schema}"

    yield fresh
    for schema in schemas:
        drop_schema(schema)
