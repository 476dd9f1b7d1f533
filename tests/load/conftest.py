"""Load-test fixtures: the `--long` option, and the Moss sample served by a real uvicorn process
on a free 127.0.0.1 port (one worker), with a token per user."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from api.users import UserStore
from domain.application import Boligspor
from tests.conftest import TEST_KEY, TODAY_NOW, make_settings, sample_lines

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 120
# name -> (role, team)
USERS = {
    "kari": ("caseworker", None),
    "ola": ("field", "caretaker"),
    "hanne": ("field", "housing_first"),
    "leif": ("leader", None),
}


@dataclass
class Served:
    """The served API: its base URL, a token per user, and the store it writes to."""

    base_url: str
    database_url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def open_store(self) -> Boligspor:
        return Boligspor(make_settings(self.database_url))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("load")
    url = f"sqlite:///{folder / 'moss.sqlite'}"
    store = Boligspor(make_settings(url))
    store.submit(sample_lines("moss-2023.jsonl"))
    users = UserStore(store.sql)
    users.ensure_table()
    tokens = {
        name: users.add(name, role, team, now=TODAY_NOW)[1] for name, (role, team) in USERS.items()
    }
    store.close()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BOLIGSPOR_")},
        "BOLIGSPOR_DATABASE_URL": url,
        "BOLIGSPOR_PAYLOAD_KEY": TEST_KEY,
        "BOLIGSPOR_MASTER_KEY": TEST_KEY,
    }
    log = (folder / "uvicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "api.app:app_from_environment",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert process.poll() is None, (folder / "uvicorn.log").read_text()[-2000:]
            try:
                if httpx.get(f"{base}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "uvicorn did not start in time"
            time.sleep(0.2)
        yield Served(base, url, tokens)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()
