"""Import figures: the product's import against `executemany` of the same rows, and the
import's peak memory at two file sizes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.backends import Store
from bench.figures import Figure

ROOT = Path(__file__).resolve().parent.parent
ATTEMPTS = 3


def _time_limit_s(path: Path) -> float:
    """Generous: ten times what 1,000 events/s would take, at least two minutes."""
    with path.open("rb") as lines:
        count = sum(1 for _ in lines)
    return max(120.0, count / 100)


def run_import(store: Store, path: Path) -> dict[str, Any]:
    """`python -m bench.import_worker` on the file, in a fresh process. An import that hangs
    (seen on PostgreSQL: the library's pipelined insert waiting forever, the server waiting
    for the client) is killed at the time limit and tried again; `hangs` counts them."""
    env = {**os.environ, **store.environment(), "PYTHONPATH": str(ROOT)}
    hangs = 0
    while True:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "bench.import_worker", str(path)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=_time_limit_s(path),
                check=False,
            )
            break
        except subprocess.TimeoutExpired:
            hangs += 1
            print(f"# import of {path.name} hung ({hangs}); killed, trying again", flush=True)
            if hangs == ATTEMPTS:
                raise
    if done.returncode != 0:
        raise RuntimeError(f"import of {path} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["hangs"] = hangs
    return result


def baseline_rows_per_s(store: Store, path: Path) -> float:
    """Read and parse the same lines, then `executemany` one row per event into a bare table,
    in one transaction as the import does."""
    connection = store.connect()
    postgres = store.backend == "postgres"
    mark = "%s" if postgres else "?"
    try:
        connection.execute("DROP TABLE IF EXISTS bench_rows")
        connection.execute(
            "CREATE TABLE bench_rows (id TEXT PRIMARY KEY, ref TEXT NOT NULL, type TEXT NOT NULL,"
            " happened_on TEXT NOT NULL, body TEXT NOT NULL)"
        )
        if postgres:
            connection.commit()
        started = time.perf_counter()
        rows = []
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    event = json.loads(line)
                    ref = event.get("case") or event["dwelling"]
                    rows.append((event["id"], ref, event["type"], event["on"], line))
        if postgres:
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO bench_rows VALUES ({', '.join([mark] * 5)})", rows)
            connection.commit()
        else:
            connection.execute("BEGIN")
            connection.executemany(f"INSERT INTO bench_rows VALUES ({', '.join([mark] * 5)})", rows)
            connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE bench_rows")
        if postgres:
            connection.commit()
        return len(rows) / elapsed
    finally:
        connection.close()


def import_figures(
    store: Store, small: Path, large: Path, label: str, note: str = ""
) -> tuple[list[Figure], dict[str, Any]]:
    """Import `small` into one fresh store and `large` into `store` (which then holds it):
    events/s of the large one against the baseline, and peak memory of both."""
    from bench.backends import fresh

    with fresh(store.backend, "mem") as other:
        first = run_import(other, small)
    second = run_import(store, large)
    baseline = baseline_rows_per_s(store, large)
    rate = second["events"] / second["seconds"]
    hangs = first["hangs"] + second["hangs"]
    backend = store.backend
    per_event_kib = (
        (second["peak_mib"] - first["peak_mib"]) * 1024 / max(1, second["events"] - first["events"])
    )
    return [
        Figure(
            f"{backend} import {label}",
            rate,
            "events/s",
            baseline=baseline,
            goal="≥ 0.5 × baseline",
            met=rate >= 0.5 * baseline,
            note=f"{second['events']:,} events in {second['seconds']:.1f} s{note}"
            + (f"; {hangs} import(s) HUNG and were killed" if hangs else ""),
            extra=second,
        ),
        Figure(
            f"{backend} import peak memory, {first['events']:,} events",
            first["peak_mib"],
            "MiB",
            goal="≤ 1024 MiB",
            met=first["peak_mib"] <= 1024,
            extra=first,
        ),
        Figure(
            f"{backend} import peak memory, {second['events']:,} events",
            second["peak_mib"],
            "MiB",
            goal="≤ 1024 MiB, flat in file size",
            met=second["peak_mib"] <= 1024 and per_event_kib < 0.05,
            note=f"grows {per_event_kib:.2f} KiB per event",
            extra={**second, "growth_kib_per_event": per_event_kib},
        ),
    ], second
