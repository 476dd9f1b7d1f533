"""The `boligspor` command run as a user runs it: `python -m cli.main` in its own process, with
the test keys and no BOLIGSPOR_* variable of the calling environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_KEY

REPO = Path(__file__).resolve().parents[2]


def boligspor(
    database_url: str, cwd: Path, *args: str, **more_env: str
) -> subprocess.CompletedProcess[str]:
    """Run `boligspor *args` in `cwd` on the store at `database_url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOLIGSPOR_")}
    env.update(
        BOLIGSPOR_DATABASE_URL=database_url,
        BOLIGSPOR_PAYLOAD_KEY=TEST_KEY,
        BOLIGSPOR_MASTER_KEY=TEST_KEY,
        PYTHONPATH=str(REPO),
        **more_env,
    )
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


def run(tmp_path: Path, *args: str, **more_env: str) -> subprocess.CompletedProcess[str]:
    """Run `boligspor *args` in `tmp_path` on a SQLite store there."""
    return boligspor(f"sqlite:///{tmp_path / 'store.sqlite'}", tmp_path, *args, **more_env)
