"""Real `boligspor serve` and `boligspor worker` processes over one database, their logs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import TEST_KEY

REPO = Path(__file__).resolve().parents[2]


def environment(database_url: str, **settings: str) -> dict[str, str]:
    """The process environment: our settings only (no BOLIGSPOR_* of the caller's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOLIGSPOR_", "PROMETHEUS"))}
    env.update(
        BOLIGSPOR_DATABASE_URL=database_url,
        BOLIGSPOR_PAYLOAD_KEY=TEST_KEY,
        BOLIGSPOR_MASTER_KEY=TEST_KEY,
        BOLIGSPOR_LOG_JSON="true",
        PYTHONPATH=str(REPO),
    )
    env.update({f"BOLIGSPOR_{name.upper()}": value for name, value in settings.items()})
    return env


@dataclass
class Process:
    """A command-line process whose stderr (JSON log lines) goes to a file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def lines(self) -> list[dict[str, Any]]:
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                found.append(json.loads(line))
        return found

    def messages(self, message: str, **fields: object) -> list[dict[str, Any]]:
        return [
            line
            for line in self.lines()
            if line.get("message") == message
            and all(line.get(key) == value for key, value in fields.items())
        ]

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=20)


def start(name: str, arguments: list[str], env: dict[str, str], folder: Path) -> Process:
    log = folder / f"{name}.log"
    with log.open("wb") as output:
        popen = subprocess.Popen(
            [sys.executable, "-m", "cli.main", *arguments],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Process(name, popen, log)


def wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def answers(url: str) -> int | None:
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.HTTPError:
        return None
