"""A second municipality: its own districts, its own reports, beside Moss on one server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain.application import Boligspor, Refused
from projections.db import ReadStore
from projections.formats import render
from projections.runner import catch_up
from projections.status_report import status_report
from tests.conftest import (
    TEST_KEY,
    TEST_POSTGRES_URL,
    TODAY_NOW,
    DatabaseFactory,
    drop_schema,
    make_settings,
    require_postgres,
)
from tests.municipalities import TESTVIK

REPO = Path(__file__).resolve().parents[2]
DAY = "2024-03-01"


def dwelling(n: int, district: str, category: str = "ordinary_municipal") -> dict[str, Any]:
    return {
        "id": f"d{n}",
        "type": "DwellingRegistered",
        "dwelling": f"B-{n:04d}",
        "on": "2024-01-02",
        "category": category,
        "district": district,
        "rooms": 2,
    }


TESTVIK_DWELLINGS = [
    dwelling(1, "sjosiden"),
    dwelling(2, "sjosiden", "lifetime_standard"),
    dwelling(3, "bukta"),
]
MOSS_DWELLINGS = [dwelling(1, "ramberg"), dwelling(2, "larkollen", "small_house")]


def numbered(events: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(n, json.dumps(event)) for n, event in enumerate(events, 1)]


@pytest.fixture
def testvik_app(database_urls: DatabaseFactory) -> Callable[[], Boligspor]:
    def build() -> Boligspor:
        settings = make_settings(database_urls()).model_copy(update={"municipality": TESTVIK})
        return Boligspor(settings, clock=lambda: TODAY_NOW)

    return build


def test_testvik_registers_dwellings_in_its_districts_and_refuses_moss_ones(
    testvik_app: Callable[[], Boligspor],
) -> None:
    app = testvik_app()
    assert len(app.submit(numbered(TESTVIK_DWELLINGS)).stored) == 3
    with pytest.raises(Refused) as refused:
        app.submit(numbered([dwelling(9, "ramberg")]))
    [refusal] = refused.value.refusals
    assert 'district must be one of sjosiden, aasen, bukta (got "ramberg")' in str(refusal)


def test_moss_refuses_a_testvik_district(new_app: Callable[[], Boligspor]) -> None:
    with pytest.raises(Refused) as refused:
        new_app().submit(numbered([dwelling(1, "sjosiden")]))
    assert "district must be one of ramberg, refsnes" in str(refused.value.refusals[0])


def test_testvik_gets_its_reports_with_its_own_names_and_heading(
    testvik_app: Callable[[], Boligspor],
) -> None:
    app = testvik_app()
    app.submit(numbered(TESTVIK_DWELLINGS))
    store = ReadStore.open(app.settings.database_url)
    try:
        catch_up(app, store)
        report = status_report(store, date.fromisoformat(DAY), app.municipality.district_codes)
    finally:
        store.close()
    assert report["dwellings"]["by_district"] == {
        "sjosiden": {"lifetime_standard": 1, "other": 1},
        "aasen": {"lifetime_standard": 0, "other": 0},
        "bukta": {"lifetime_standard": 0, "other": 1},
    }
    municipality = app.municipality
    table = render(
        report,
        "status",
        "table",
        districts=municipality.district_table,
        heading=municipality.heading,
    )
    assert isinstance(table, str)
    assert table.startswith("Testvik kommune – Boligkontoret: Statusrapport per 01.03.2024")
    rows = [line.split() for line in table.splitlines()]
    assert ["Nord", "Sjøsiden", "1", "1", "2"] in rows
    assert ["Sør", "Bukta", "0", "1", "1"] in rows
    assert "Ramberg" not in table


# --- two municipalities on one PostgreSQL server, each in its schema, as real processes --------


@pytest.fixture
def two_schemas() -> Iterator[tuple[str, str]]:
    require_postgres()
    schemas = (f"moss_{uuid.uuid4().hex[:8]}", f"testvik_{uuid.uuid4().hex[:8]}")
    yield schemas
    for schema in schemas:
        drop_schema(schema)


def boligspor(
    folder: Path, schema: str, municipality: Path | None, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOLIGSPOR_")}
    env.update(
        BOLIGSPOR_DATABASE_URL=f"{TEST_POSTGRES_URL}?schema={schema}",
        BOLIGSPOR_PAYLOAD_KEY=TEST_KEY,
        BOLIGSPOR_MASTER_KEY=TEST_KEY,
        PYTHONPATH=str(REPO),
    )
    if municipality is not None:
        env["BOLIGSPOR_MUNICIPALITY"] = str(municipality)
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        check=False,
    )


def write_events(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path


def test_moss_and_testvik_share_one_postgresql_server_each_seeing_only_its_own(
    tmp_path: Path, two_schemas: tuple[str, str]
) -> None:
    moss_schema, testvik_schema = two_schemas
    moss_file = write_events(tmp_path / "moss.jsonl", MOSS_DWELLINGS)
    testvik_file = write_events(tmp_path / "testvik.jsonl", TESTVIK_DWELLINGS)

    def moss(*args: str) -> subprocess.CompletedProcess[str]:
        return boligspor(tmp_path, moss_schema, None, *args)

    def testvik(*args: str) -> subprocess.CompletedProcess[str]:
        return boligspor(tmp_path, testvik_schema, TESTVIK, *args)

    assert "2 stored" in moss("import", str(moss_file)).stdout
    assert "3 stored" in testvik("import", str(testvik_file)).stdout
    refused = testvik("import", str(moss_file))
    assert refused.returncode == 1
    assert 'district must be one of sjosiden, aasen, bukta (got "ramberg")' in refused.stderr

    moss_status = json.loads(moss("report", "--as-of", DAY, "--format", "json").stdout)
    testvik_status = json.loads(testvik("report", "--as-of", DAY, "--format", "json").stdout)
    assert moss_status["dwellings"]["total_municipal"] == 2
    assert moss_status["dwellings"]["by_category"]["small_house"] == 1
    assert list(moss_status["dwellings"]["by_district"])[:2] == ["ramberg", "refsnes"]
    assert testvik_status["dwellings"]["total_municipal"] == 3
    assert list(testvik_status["dwellings"]["by_district"]) == ["sjosiden", "aasen", "bukta"]

    assert [json.loads(line)["district"] for line in moss("export").stdout.splitlines()] == [
        "ramberg",
        "larkollen",
    ]
    assert len(testvik("export").stdout.splitlines()) == 3

    testvik_table = testvik("report", "--as-of", DAY, "--format", "table").stdout
    assert testvik_table.startswith("Testvik kommune – Boligkontoret: Statusrapport")
    assert "Sjøsiden" in testvik_table and "Ramberg" not in testvik_table
    moss_table = moss("report", "--as-of", DAY, "--format", "table").stdout
    assert moss_table.startswith("Moss kommune – Boligsosial avdeling: Statusrapport")

    moss_plan = json.loads(moss("report", "--plan", "--format", "json").stdout)
    testvik_plan = json.loads(testvik("report", "--plan", "--format", "json").stdout)
    assert moss_plan["municipality"] == {"name": "Moss", "number": "3103"}
    assert len(moss_plan["targets"]) == 10
    assert testvik_plan["municipality"] == {"name": "Testvik", "number": "3999"}
    municipal = testvik_plan["targets"][0]
    assert (municipal["figure"], municipal["years"][0]) == (
        "dwellings.total_municipal",
        # 31.12.2024 is day 365 of 2557 (01.01.2024 → 31.12.2030): 2 + 8 · 365/2557 = 3.14
        {"year": 2024, "actual": 3, "path": 3.1, "on_track": False},
    )
