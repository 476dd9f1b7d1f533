"""What erasure leaves in PostgreSQL's write-ahead log, and the operator's step that makes it
unreadable (docs/security.md, "Erasure and the write-ahead log").

After an erasure the table holds no wrapped key, but pg_wal still holds the wrapped key as it
was inserted, until PostgreSQL recycles the segment, and so do WAL archives and base backups.
With the master key that copy opens. `boligspor keys rotate-master` wraps every live case key
with a new master key; once the old one is destroyed, the copy in pg_wal opens with nothing
the service holds. Both are tested here, reading the server's own pg_wal (the test machine runs
the server; we are root)."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from cryptography.exceptions import InvalidTag

from domain import sealing
from domain.application import Boligspor
from domain.case import case_id
from domain.errors import WrongKeys
from settings import Settings, parse_database_url
from tests.conftest import TEST_KEY, DatabaseFactory
from tests.security.test_sealed_free_text import events

NEW_MASTER = base64.b64encode(b"the new master key, 32 bytes ok!").decode()
ROOT = Path(__file__).resolve().parents[2]


def opened(url: str, master: str = TEST_KEY) -> Boligspor:
    return Boligspor(Settings(database_url=url, payload_key=TEST_KEY, master_key=master))


def rotate(url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BOLIGSPOR_")}
    env = {
        **clean,
        "BOLIGSPOR_DATABASE_URL": url,
        "BOLIGSPOR_PAYLOAD_KEY": TEST_KEY,
        "BOLIGSPOR_MASTER_KEY": TEST_KEY,
        "BOLIGSPOR_NEW_MASTER_KEY": NEW_MASTER,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "keys", "rotate-master"],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=120,
    )


def test_after_rotating_the_master_key_live_cases_open_and_the_old_key_opens_nothing(
    database_urls: DatabaseFactory, tmp_path: Path
) -> None:
    url = database_urls()
    app = opened(url)
    app.submit(list(enumerate([*events("W-1"), *events("W-2")], 1)))
    app.erase_case("W-1", reason="oppbevaringstiden er ute", by="admin")
    app.close()

    result = rotate(url, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 case keys wrapped with the new master key")
    with pytest.raises(WrongKeys):
        opened(url)
    app = opened(url, NEW_MASTER)
    exported = {e["id"]: e for e in app.export()}
    assert exported["W-2-c"]["reason"] == "Flyttet inn hos Tormod Skjeggerud"
    assert exported["W-1-c"]["reason"] == sealing.ERASED
    app.submit([(1, {**events("W-3")[0]})])  # a new case's key is wrapped with the new key
    assert app.case_person("W-3") == {"name": "Anonym"}
    app.close()


def wal_directory(conninfo: str) -> Path:
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SHOW data_directory").fetchone()
    assert row is not None
    return Path(str(row[0])) / "pg_wal"


def wal_holds(wal: Path, wrapped: bytes, since: float) -> bool:
    segments = [p for p in wal.iterdir() if p.is_file() and len(p.name) == 24]
    recent = [p for p in segments if p.stat().st_mtime >= since - 1]
    return any(wrapped in p.read_bytes() for p in recent)


def test_the_wal_keeps_an_erased_cases_wrapped_key_which_rotation_leaves_unopenable(
    new_app: Callable[[], Boligspor], tmp_path: Path
) -> None:
    app = new_app()
    if not app.sql.postgres:
        pytest.skip("PostgreSQL's write-ahead log (SQLite's WAL is checkpointed at erasure)")
    wal = wal_directory(parse_database_url(app.settings.database_url).conninfo)
    if not os.access(wal, os.R_OK):
        pytest.skip("the server's pg_wal is not readable here")
    since = time.time()
    app.submit(list(enumerate([*events("W-1"), *events("W-2")], 1)))
    table = app.sql.table("stream_keys")
    (wrapped,) = app.sql.query(f"SELECT wrapped FROM {table} WHERE stream = ?", ["case:W-1"])[0]
    wrapped = bytes(wrapped)
    app.erase_case("W-1", reason="oppbevaringstiden er ute", by="admin")

    # What remains: the table no longer holds it, pg_wal does, and the master key opens it.
    assert app.sql.query(f"SELECT wrapped FROM {table} WHERE stream = ?", ["case:W-1"]) == [(None,)]
    assert wal_holds(wal, wrapped, since)
    assert len(sealing.unwrap(sealing.decode_key(TEST_KEY), case_id("W-1"), wrapped)) == 32
    url = app.settings.database_url
    app.close()

    assert rotate(url, tmp_path).returncode == 0

    # The operator's step: with the old master key destroyed, what pg_wal holds opens with
    # nothing the service has; the live case opens with the new key.
    with pytest.raises(InvalidTag):
        sealing.unwrap(sealing.decode_key(NEW_MASTER), case_id("W-1"), wrapped)
    after = opened(url, NEW_MASTER)
    assert after.case_person("W-2") == {"name": "Anonym"}
    assert after.case_person("W-1") == {"name": sealing.ERASED}
    after.close()
