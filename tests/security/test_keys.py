"""Wrong keys are refused before anything is written: the store keeps a check value of its
keys, and a process whose payload or master key does not open it refuses to start, every
command of it with one clear line. Without keys on PostgreSQL the key file is at a configured
absolute path, never in whatever directory the process was started from."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from domain.application import Boligspor
from domain.errors import KeysMissing, WrongKeys
from domain.key_source import resolve_keys
from settings import Settings
from tests.conftest import SAMPLES, TEST_KEY, TEST_POSTGRES_URL, DatabaseFactory, make_settings

OTHER_KEY = base64.b64encode(b"another key of thirty-two bytes!").decode()
FOLLOW_UP = (
    '{"id":"k-2","type":"FollowUpLogged","case":"S-01176","on":"2024-03-01",'
    '"team":"caretaker","kind":"phone","minutes":5}'
)


def opened(url: str, payload: str = TEST_KEY, master: str = TEST_KEY) -> Boligspor:
    return Boligspor(Settings(database_url=url, payload_key=payload, master_key=master))


def written(app: Boligspor) -> tuple[int, int]:
    """The store's last position and its number of case keys."""
    keys = app.sql.query(f"SELECT COUNT(*) FROM {app.sql.table('stream_keys')}")
    return app.max_position(), int(keys[0][0])


FIRST_LINES = 1000  # the Moss sample's dwellings and its first cases, with their keys


def first_case(url: str) -> tuple[int, int]:
    app = opened(url)
    app.submit(enumerate((SAMPLES / "moss-2023.jsonl").read_text().splitlines()[:FIRST_LINES], 1))
    state = written(app)
    app.close()
    assert state[1] > 0
    return state


@pytest.mark.parametrize(
    ("payload", "master", "named"),
    [
        (OTHER_KEY, TEST_KEY, "BOLIGSPOR_PAYLOAD_KEY"),
        (TEST_KEY, OTHER_KEY, "BOLIGSPOR_MASTER_KEY"),
        (OTHER_KEY, OTHER_KEY, "BOLIGSPOR_PAYLOAD_KEY"),
    ],
)
def test_a_process_with_another_key_refuses_to_start_and_writes_nothing(
    database_urls: DatabaseFactory, payload: str, master: str, named: str
) -> None:
    url = database_urls()
    before = first_case(url)

    with pytest.raises(WrongKeys) as refused:
        opened(url, payload, master)

    assert refused.value.message.startswith(f"{named} does not open this store")
    app = opened(url)
    assert written(app) == before
    assert len(list(app.export())) == FIRST_LINES  # every event still opens with the store's keys
    app.close()


def test_a_store_written_before_checks_existed_is_checked_against_its_data_first(
    database_urls: DatabaseFactory,
) -> None:
    url = database_urls()
    before = first_case(url)
    app = opened(url)
    app.sql.execute(f"DELETE FROM {app.sql.table('key_check')}")
    app.close()

    for payload, master in ((OTHER_KEY, TEST_KEY), (TEST_KEY, OTHER_KEY)):
        with pytest.raises(WrongKeys):
            opened(url, payload, master)
    app = opened(url)
    checks = app.sql.query(f"SELECT name FROM {app.sql.table('key_check')} ORDER BY name")
    assert [name for (name,) in checks] == ["master", "payload"]
    assert written(app) == before
    app.close()
    with pytest.raises(WrongKeys):
        opened(url, OTHER_KEY, OTHER_KEY)


def test_the_first_process_on_an_empty_store_sets_the_keys_every_later_one_must_have(
    database_urls: DatabaseFactory,
) -> None:
    url = database_urls()
    opened(url, OTHER_KEY, OTHER_KEY).close()
    with pytest.raises(WrongKeys):
        opened(url)
    opened(url, OTHER_KEY, OTHER_KEY).close()


def cli(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BOLIGSPOR_")}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        env={**clean, **env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        cwd=cwd,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["import", "EVENTS"],
        ["export"],
        ["history", "S-01176"],
        ["projections", "catch-up"],
        ["worker", "--once", "keep_read_models_current"],
        ["user", "list"],
        ["case", "restrict", "S-01176", "--reason", "sperret etter vedtak"],
        ["serve", "--port", "0"],
    ],
)
def test_every_command_with_the_wrong_key_prints_one_line_and_writes_nothing(
    database_urls: DatabaseFactory, tmp_path: Path, command: list[str]
) -> None:
    url = database_urls()
    before = first_case(url)
    events = tmp_path / "more.jsonl"
    events.write_text(FOLLOW_UP + "\n")
    wrong = {
        "BOLIGSPOR_DATABASE_URL": url,
        "BOLIGSPOR_PAYLOAD_KEY": TEST_KEY,
        "BOLIGSPOR_MASTER_KEY": OTHER_KEY,
    }

    result = cli(tmp_path, wrong, *[str(events) if a == "EVENTS" else a for a in command])

    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "boligspor: BOLIGSPOR_MASTER_KEY does not open this store: it was written with another"
        " master key; start with the store's keys (nothing was written)"
    ], result.stderr
    app = opened(url)
    assert written(app) == before
    assert not app.is_restricted("S-01176")
    app.close()


def test_on_postgresql_without_keys_a_process_needs_an_absolute_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"{TEST_POSTGRES_URL}?schema=t_never_made"
    with pytest.raises(KeysMissing, match="on PostgreSQL set BOLIGSPOR_PAYLOAD_KEY"):
        resolve_keys(Settings(database_url=url))
    with pytest.raises(KeysMissing, match="must be an absolute path"):
        resolve_keys(Settings(database_url=url, key_file=Path("keys/boligspor.keys")))
    assert not (tmp_path / "keys").exists() and not Path("keys/boligspor.keys").exists()

    key_file = tmp_path / "etc" / "boligspor.keys"
    made = []
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        made.append(resolve_keys(Settings(database_url=url, key_file=key_file)))
        assert list((tmp_path / folder).iterdir()) == []
    assert made[0] == made[1]
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_on_sqlite_the_key_file_is_beside_the_database_whatever_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "data" / "store.sqlite"
    made = []
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        made.append(resolve_keys(Settings(database_url=f"sqlite:///{database}")))
    assert made[0] == made[1]
    assert (database.parent / "boligspor.keys").stat().st_mode & 0o777 == 0o600


def test_production_needs_both_keys_and_says_so(database_urls: DatabaseFactory) -> None:
    settings = make_settings(database_urls()).model_copy(
        update={"production": True, "master_key": None}
    )
    with pytest.raises(KeysMissing, match="must be set in production"):
        resolve_keys(settings)
