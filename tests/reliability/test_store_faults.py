"""Faults say what they are: a full disk or a read-only database answers 503 with a message
that says so, the health check reports it, the log names it, and the command line prints one
line instead of a traceback. Real faults: a small tmpfs filled to the last byte (SQLite, and a
PostgreSQL tablespace on one), and a PostgreSQL database of the test's own made read-only."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from api.messages import MESSAGES
from settings import parse_database_url
from tests.api.conftest import Api, build_api, close_api
from tests.conftest import TEST_KEY, TEST_POSTGRES_URL, require_postgres

ROOT = Path(__file__).resolve().parents[2]


def dwellings(first: int, count: int, note: str = "") -> list[dict[str, Any]]:
    return [
        {
            "id": f"fault-{n}",
            "type": "DwellingRegistered",
            "dwelling": f"B-F{n}",
            "on": "2024-01-01",
            "category": "ordinary_municipal",
            "district": "ramberg",
            "rooms": 2,
            **({"note": note} if note else {}),
        }
        for n in range(first, first + count)
    ]


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    """A 24 MiB tmpfs that the PostgreSQL server may reach too, unmounted afterwards (needs
    root, as on the test machine)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = Path("/tmp") / f"boligspor-tiny-{uuid.uuid4().hex[:10]}"
    mount.mkdir(mode=0o755)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def fill(folder: Path) -> Path:
    """Fill the filesystem of `folder` to its last byte; returns the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError:
                    break
    finally:
        os.close(fd)
    return filler


def cli(database_url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BOLIGSPOR_")}
    env = {
        **clean,
        "BOLIGSPOR_DATABASE_URL": database_url,
        "BOLIGSPOR_PAYLOAD_KEY": TEST_KEY,
        "BOLIGSPOR_MASTER_KEY": TEST_KEY,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=180,
    )


def assert_refused_as(answer: Any, code: str) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"] == {"code": code, "message": MESSAGES[code], "details": []}
    assert answer.headers["Retry-After"]


def assert_one_line(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "│" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("{")]
    assert len(lines) == 1 and says in lines[0], result.stderr


def fill_until_refused(api: Api) -> Any:
    """Batches of dwellings with long notes until one is refused (a few MiB at most)."""
    for start in range(1000, 21_000, 500):
        answer = api.post(
            "/api/events:batch", as_="caseworker", json=dwellings(start, 500, "x" * 1500)
        )
        if answer.status_code != 201:
            return answer
    raise AssertionError("the tiny disk never filled")


def test_a_full_disk_under_sqlite_answers_503_store_full_and_says_so_everywhere(
    tiny_disk: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tiny_disk / 'store.sqlite'}"
    _, api = build_api(url)
    try:
        assert (
            api.post("/api/events:batch", as_="caseworker", json=dwellings(0, 3)).status_code == 201
        )
        filler = fill(tiny_disk)
        caplog.set_level(logging.INFO)

        refused = fill_until_refused(api)
        health = api.get("/api/health", as_=None)
        events = tmp_path / "more.jsonl"
        events.write_text("\n".join(json.dumps(e) for e in dwellings(90_000, 2000, "y" * 1500)))
        imported = cli(url, tmp_path, "import", str(events))

        assert_refused_as(refused, "store_full")
        assert_refused_as(health, "store_full")
        assert any(r.getMessage() == "database fault: store_full" for r in caplog.records)
        assert_one_line(imported, "disk is full")

        filler.unlink()
        again = api.post("/api/events", as_="caseworker", json=dwellings(99_999, 1)[0])
        assert again.status_code == 201, again.text
        assert api.get("/api/health", as_=None).status_code == 200
    finally:
        close_api(api)


def test_a_sqlite_database_on_a_read_only_filesystem_is_named_so_by_every_command(
    tiny_disk: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tiny_disk / 'store.sqlite'}"
    events = tmp_path / "more.jsonl"
    events.write_text(json.dumps(dwellings(0, 1)[0]) + "\n")
    assert cli(url, tmp_path, "import", str(events)).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)

    for command in (["import", str(events)], ["serve", "--port", "0"], ["export"]):
        assert_one_line(cli(url, tmp_path, *command), "the database is read-only")


def test_a_new_sqlite_database_file_is_created_0600_like_the_key_file(tmp_path: Path) -> None:
    database = tmp_path / "data" / "store.sqlite"
    result = cli(f"sqlite:///{database}", tmp_path, "user", "list")
    assert result.returncode == 0, result.stderr
    assert database.stat().st_mode & 0o777 == 0o600
    for side in ("-wal", "-shm"):
        path = Path(f"{database}{side}")
        if path.exists():
            assert path.stat().st_mode & 0o777 == 0o600


@pytest.fixture
def own_database() -> Iterator[str]:
    """A PostgreSQL database of the test's own (so that making it read-only or full touches
    nobody else's), dropped afterwards."""
    require_postgres()
    name = f"h14_fault_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        drop_database(name)


ADMIN = parse_database_url(TEST_POSTGRES_URL).conninfo


def drop_database(name: str, tablespace: str | None = None) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if tablespace is not None:
            conn.execute(f'DROP TABLESPACE IF EXISTS "{tablespace}"')


def url_of(database: str) -> str:
    target = parse_database_url(TEST_POSTGRES_URL)
    return f"postgresql://{target.user}@{target.host}:{target.port}/{database}?schema=faults"


def make_read_only(database: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )


def test_a_read_only_postgresql_database_answers_503_store_read_only_and_says_so_everywhere(
    own_database: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = url_of(own_database)
    _, api = build_api(url)
    try:
        stored = api.post("/api/events:batch", as_="caseworker", json=dwellings(0, 3))
        assert stored.status_code == 201
        assert api.get("/api/dwellings", as_="caseworker").status_code == 200  # caught up
        make_read_only(own_database)
        caplog.set_level(logging.INFO)
        # The pooled connections were ended to make the new sessions read-only: the first
        # write may meet the pool reconnecting (503 store_unavailable), the next the fault.
        first = api.post("/api/events", as_="caseworker", json=dwellings(9, 1)[0])
        assert first.status_code == 503, first.text

        written = api.post("/api/events", as_="caseworker", json=dwellings(10, 1)[0])
        health = api.get("/api/health", as_=None)
        # Its connection was ended too: the read store's first read answers 503 and reconnects.
        assert api.get("/api/dwellings", as_="caseworker").status_code == 503
        read = api.get("/api/dwellings", as_="caseworker")
        events = tmp_path / "more.jsonl"
        events.write_text(json.dumps(dwellings(20, 1)[0]) + "\n")
        imported = cli(url, tmp_path, "import", str(events))
        served = cli(url, tmp_path, "serve", "--port", "0")

        assert_refused_as(written, "store_read_only")
        assert_refused_as(health, "store_read_only")
        assert read.status_code == 200, read.text
        assert any(r.getMessage() == "database fault: store_read_only" for r in caplog.records)
        assert_one_line(imported, "read-only")
        assert_one_line(served, "read-only")
        assert api.app.max_position() == 3
    finally:
        close_api(api)


def test_a_full_postgresql_tablespace_answers_503_store_full(
    own_database: str, tiny_disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The database's tables on a tablespace of a small tmpfs: when it is full, the table's
    growth fails with PostgreSQL's disk_full, as on a full data disk."""
    shutil.chown(tiny_disk, "postgres", "postgres")
    tablespace = f"{own_database}_ts"
    try:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f"CREATE TABLESPACE \"{tablespace}\" LOCATION '{tiny_disk}'")
            conn.execute(f'ALTER DATABASE "{own_database}" SET TABLESPACE "{tablespace}"')
        _, api = build_api(url_of(own_database))
        try:
            caplog.set_level(logging.INFO)
            fill(tiny_disk)
            refused = fill_until_refused(api)
            health = api.get("/api/health", as_=None)
        finally:
            close_api(api)
        assert_refused_as(refused, "store_full")
        assert_refused_as(health, "store_full")
        assert any(r.getMessage() == "database fault: store_full" for r in caplog.records)
    finally:
        drop_database(own_database, tablespace)
