"""Back up a store while its API is open, restore it into an empty one, and every report,
list and export is the same (both backends; the keys come from the settings, not the file)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.users import UserStore
from cli.backup import RestoreRefused, restore
from domain.application import Boligspor
from settings import parse_database_url
from tests.conftest import (
    TEST_POSTGRES_URL,
    TODAY_NOW,
    DatabaseFactory,
    make_settings,
    sample_lines,
)
from tests.operations.processes import REPO, environment
from workers.scheduler import scheduled_jobs

READS = (
    ("leader", "/api/reports/status?as_of=2023-12-31"),
    ("leader", "/api/reports/status"),
    ("leader", "/api/reports/annual?year=2023"),
    ("caseworker", "/api/waiting-list?as_of=2023-12-31"),
    ("caseworker", "/api/dwellings"),
    ("caseworker", "/api/alerts"),
    ("caseworker", "/api/cases/S-00002"),
    ("admin", "/api/access-log?limit=500"),
)


def open_store(url: str) -> Boligspor:
    return Boligspor(make_settings(url), clock=lambda: TODAY_NOW)


def everything(app: Boligspor, tokens: dict[str, str]) -> dict[str, Any]:
    web = create_app(app.settings, application=app)
    with TestClient(web) as client:
        answers = {}
        for role, path in READS:
            response = client.get(path, headers={"Authorization": f"Bearer {tokens[role]}"})
            assert response.status_code == 200, (path, response.text)
            answers[path] = response.json()
    answers["export"] = list(app.export())
    return answers


@pytest.fixture
def restore_database() -> Iterator[str]:
    """An empty PostgreSQL database of its own, as a new server would be."""
    name = f"boligspor_restore_{uuid.uuid4().hex[:8]}"
    conninfo = parse_database_url(TEST_POSTGRES_URL).conninfo
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_store_restored_from_its_backup_answers_every_report_the_same(
    database_urls: DatabaseFactory, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # Given a store with the Moss sample, users, reads in the access log and the jobs' tables
    url = database_urls()
    original = open_store(url)
    original.submit(sample_lines("moss-2023.jsonl"))
    users = UserStore(original.sql)
    users.ensure_table()
    tokens = {
        role: users.add(role, role, None, now=TODAY_NOW)[1]
        for role in ("leader", "caseworker", "admin")
    }
    for job in scheduled_jobs(original):
        job()
    before = everything(original, tokens)

    # When it is backed up (through the command line) and restored into an empty store
    copy = tmp_path / "boligspor.backup"
    command = [sys.executable, "-m", "cli.main", "backup", str(copy)]
    done = subprocess.run(command, cwd=REPO, env=environment(url), capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert "the payload and master keys are not in it" in done.stdout.decode()
    target = parse_database_url(url)
    if target.kind == "sqlite":
        restored_url = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    else:
        database = request.getfixturevalue("restore_database")
        restored_url = f"postgresql://postgres@{target.host}:{target.port}/{database}"
        restored_url += f"?schema={target.schema}"
    restore(make_settings(restored_url), copy)

    # then every report, list, case, access-log entry and event is the same
    restored = open_store(restored_url)
    after = everything(restored, tokens)
    assert after.keys() == before.keys()
    for key, value in before.items():
        if key == "/api/access-log?limit=500":
            # the restored store logs the reads made of it, after those it was restored with
            assert after[key][-len(value) :] == value
            continue
        assert after[key] == value, key
    assert len(before["export"]) == len(sample_lines("moss-2023.jsonl"))

    # and restoring into a store that holds data is refused
    with pytest.raises(RestoreRefused):
        restore(make_settings(restored_url), copy)
    restored.close()
    original.close()
