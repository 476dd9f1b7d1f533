"""HTTP writes with 1 and 2 server processes (`boligspor serve --workers N`) against one
PostgreSQL: one event per request, 16 and then 32 clients on loopback, the same store and the
same kind of events for every run. Beside each figure, the processor time the server processes,
PostgreSQL and the whole machine used during the run (100 % = one core): where one process
already uses all of its core and the machine has a core or less to spare, that spare is the
most a second process can add.

    python -m bench.processes [--seconds 15] [--cases 2000] [--out bench/results/x.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from api.users import UserStore
from bench.backends import Store, fresh
from bench.figures import percentile
from bench.http import CLIENTS, ROOT, _free_port, bodies, load
from domain.application import Boligspor

OPENED_ON = date(2024, 1, 10)
CLIENT_COUNTS = (CLIENTS, 2 * CLIENTS)


@contextmanager
def serving(store: Store, workers: int, log: Path) -> Iterator[int]:
    """`boligspor serve --workers N` on a free loopback port, until the block ends."""
    port = _free_port()
    env = {**os.environ, **store.environment(), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "cli.main", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the servers did not start") from None
                time.sleep(0.2)
        time.sleep(2.0 * workers)  # every process up, not only the first to answer
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def prepare(store: Store, cases: int) -> tuple[str, list[str]]:
    app = Boligspor(store.settings())
    users = UserStore(app.sql)
    users.ensure_table()
    _, token = users.add("bench.writer", "caseworker", None, now=datetime.now(UTC))
    refs = [f"S-{n:06d}" for n in range(1, cases + 1)]
    events = [
        {
            "id": f"open-{ref}",
            "type": "CaseOpened",
            "case": ref,
            "on": OPENED_ON.isoformat(),
            "household": {"adults": 1, "children": 0},
            "group": "other",
            "situation": "rough",
            "person": {"name": f"Bench Person {ref}"},  # made up
        }
        for ref in refs
    ]
    app.submit(list(enumerate(events, 1)))
    app.close()
    return token, refs


def _ticks(pid: str) -> int:
    """User and system clock ticks a process has used (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _named(prefix: str) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if prefix.encode() in cmdline.read():
                    found.append(pid)
        except OSError:
            continue
    return found


def _machine() -> tuple[int, int]:
    """All and idle clock ticks of the machine so far."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    return sum(ticks), ticks[3] + ticks[4]


@contextmanager
def processor_use(into: dict[str, Any]) -> Iterator[None]:
    """The share of a core (percent) the servers, PostgreSQL and the machine used in the block
    (processes that started in the block, such as new database sessions, count in full)."""
    tick = os.sysconf("SC_CLK_TCK")

    def groups() -> dict[str, dict[str, int]]:
        servers = _named("cli.main\x00serve") + _named("multiprocessing")
        return {
            "servers": {pid: _ticks(pid) for pid in servers},
            "postgres": {pid: _ticks(pid) for pid in _named("postgres:")},
        }

    before, machine_before = groups(), _machine()
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    after, machine_after = groups(), _machine()
    for name, ticks in after.items():
        used = sum(value - before[name].get(pid, 0) for pid, value in ticks.items())
        into[f"{name}_cpu_pct"] = round(100 * used / tick / elapsed)
    total, idle = (a - b for a, b in zip(machine_after, machine_before, strict=True))
    into["machine_cpu_pct"] = round(100 * (os.cpu_count() or 1) * (1 - idle / max(total, 1)))


def run(seconds: float, cases: int) -> dict[str, Any]:
    warmup = min(3.0, seconds / 3)
    results: dict[str, Any] = {}
    with fresh("postgres", "processes") as store, tempfile.TemporaryDirectory() as folder:
        token, refs = prepare(store, cases)
        count = int((seconds + warmup) * 4000) + 1000
        for clients in CLIENT_COUNTS:
            for workers in (1, 2):
                tag = f"w{workers}-c{clients}"
                body_file = bodies(refs, count, Path(folder), tag)
                with serving(store, workers, Path(folder) / f"serve-{tag}.log") as port:
                    use: dict[str, Any] = {}
                    with processor_use(use):
                        answered = load(port, token, body_file, seconds, warmup, clients)
                name = f"{workers} process{'es' if workers > 1 else ''}, {clients} clients"
                results[name] = {
                    "events_per_s": round(answered["per_s"], 1),
                    "p50_ms": round(percentile(answered["latencies_ms"], 0.5), 1),
                    "p99_ms": round(percentile(answered["latencies_ms"], 0.99), 1),
                    "status": answered["status"],
                    **use,
                }
    speed_up = {}
    for clients in CLIENT_COUNTS:
        one = results[f"1 process, {clients} clients"]["events_per_s"]
        two = results[f"2 processes, {clients} clients"]["events_per_s"]
        speed_up[f"{clients} clients"] = round(two / one, 2) if one else None
    return {
        "what": "HTTP single event, PostgreSQL, serve --workers 1 and 2",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_avg_at_end": os.getloadavg(),
        "seconds": seconds,
        "results": results,
        "speed_up": speed_up,
        "goal": "2 processes >= 1.6 x one",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.processes", description=__doc__)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    report = run(args.seconds, args.cases)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
