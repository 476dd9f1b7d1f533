"""The shared PostgreSQL server: kill -9 its postmaster, start it again, terminate sessions.

Other tests run against the same server, so a kill is followed at once by a restart, and
`restarted_afterwards` starts it again whatever happens in the test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from settings import parse_database_url
from tests.conftest import TEST_POSTGRES_URL

PIDFILE = Path("/var/run/postgresql/15-main.pid")
CLUSTER = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main"]
ORPHAN_GRACE = 2.0  # seconds the crashed server's backends get to exit on their own
CONNINFO = parse_database_url(TEST_POSTGRES_URL).conninfo


def can_kill_the_server() -> str | None:
    """Why this machine cannot run the crash tests, or None when it can."""
    if os.geteuid() != 0:
        return "needs root to kill and start the PostgreSQL cluster"
    if not PIDFILE.exists():
        return f"no postmaster pid file at {PIDFILE}"
    return None


def is_up() -> bool:
    try:
        with psycopg.connect(CONNINFO, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def postmaster_pid() -> int:
    return int(PIDFILE.read_text().split()[0])


def children_of(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return False


def start(timeout: float = 60.0) -> float:
    """Start the cluster (retrying while the old backends let go); seconds until it answers."""
    began = time.monotonic()
    deadline = began + timeout
    while not is_up():
        if time.monotonic() > deadline:
            raise TimeoutError("PostgreSQL did not come back")
        subprocess.run([*CLUSTER, "start"], capture_output=True, timeout=timeout, check=False)
        if not is_up():
            time.sleep(0.2)
    return time.monotonic() - began


@dataclass(frozen=True)
class Crash:
    """One kill -9: seconds until the server answered again, backends that had to be killed."""

    downtime: float
    orphans_killed: int


def crash_and_restart() -> Crash:
    """kill -9 the postmaster, let its backends exit (or kill them), start again."""
    pid = postmaster_pid()
    backends = children_of(pid)
    orphans: list[int] = []
    began = time.monotonic()
    try:
        os.kill(pid, signal.SIGKILL)
        deadline = began + ORPHAN_GRACE
        while any(alive(p) for p in [pid, *backends]) and time.monotonic() < deadline:
            time.sleep(0.02)
        orphans = [p for p in backends if alive(p)]
        for orphan in orphans:
            # A backend busy in a long statement notices its postmaster's death only when the
            # statement ends, and the new postmaster cannot start while it holds the shared
            # memory: the rest of the crashed server goes the same way as its postmaster.
            with contextlib.suppress(ProcessLookupError):
                os.kill(orphan, signal.SIGKILL)
    finally:
        start()
    return Crash(time.monotonic() - began, len(orphans))


@contextlib.contextmanager
def restarted_afterwards() -> Iterator[None]:
    """Whatever the block does, the server is up again when it ends."""
    try:
        yield
    finally:
        if not is_up():
            start()


def terminate_sessions(application_name: str) -> int:
    """pg_terminate_backend on every session of this application name; how many."""
    with psycopg.connect(CONNINFO, autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = %s AND pid <> pg_backend_pid()",
            (application_name,),
        ).fetchall()
    return len(rows)
