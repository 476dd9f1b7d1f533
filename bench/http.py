"""One event per request over HTTP, 16 clients on loopback: the product's API against the
same stack answering with one plain INSERT (bench/baseline_app.py)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.users import UserStore
from bench.backends import Store
from bench.baseline_app import TOKEN as BASELINE_TOKEN
from bench.data import TODAY
from bench.figures import Figure, percentile
from domain.application import Boligspor

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 16


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(app_ref: str, env: dict[str, str], log: Path, wait_s: float = 300) -> Iterator[int]:
    """uvicorn (one process, as deployed) serving `app_ref` on a free loopback port; its
    output goes to `log`."""
    port = _free_port()
    output = log.open("wb")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "--factory", app_ref, "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log",
        ],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        stdout=output,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + wait_s
        while True:
            if process.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{app_ref} exited with {process.returncode}: {tail}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{app_ref} did not start in {wait_s} s") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def open_cases(path: Path) -> list[str]:
    """Cases whose last event is not a closing: a follow-up may be logged on them today."""
    last: dict[str, str] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            if "case" in event:
                last[event["case"]] = event["type"]
    return [case for case, kind in last.items() if kind != "CaseClosed"]


def bodies(cases: list[str], count: int, folder: Path, tag: str) -> Path:
    path = folder / f"bodies-{tag}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            event = {
                "id": f"http-{tag}-{i:07d}",
                "type": "FollowUpLogged",
                "case": cases[i % len(cases)],
                "on": TODAY.isoformat(),
                "team": "housing_office",
                "kind": "phone",
                "minutes": 10,
            }
            out.write(json.dumps(event, separators=(",", ":")) + "\n")
    return path


def load(
    port: int, token: str, body_file: Path, seconds: float, warmup: float, clients: int = CLIENTS
) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable, "-m", "bench.http_load", str(port), token, str(body_file),
            str(clients), str(seconds), str(warmup),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=seconds + warmup + 120,
        check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _health(port: int) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=60) as answer:
        answer.read()


def http_figures(store: Store, data: Path, seconds: float) -> list[Figure]:
    """`store` already holds the events of `data`; the baseline gets its own empty database."""
    warmup = min(2.0, seconds / 3)
    app = Boligspor(store.settings())
    users = UserStore(app.sql)
    users.ensure_table()
    _, token = users.add("bench.writer", "caseworker", None, now=datetime.now(UTC))
    app.close()
    cases = open_cases(data)
    count = int((seconds + warmup) * 3000) + 1000
    with tempfile.TemporaryDirectory(prefix="bench-http-") as folder:
        product_bodies = bodies(cases, count, Path(folder), "product")
        baseline_bodies = bodies(cases, count, Path(folder), "baseline")
        if store.backend == "sqlite":
            baseline_url = f"sqlite:///{Path(folder) / 'baseline.sqlite'}"
        else:
            baseline_url = store.url
        baseline_env = {"BENCH_BASELINE_URL": baseline_url}
        with server("bench.baseline_app:create", baseline_env, Path(folder) / "b.log") as port:
            base = load(port, BASELINE_TOKEN, baseline_bodies, seconds, warmup)
        log = Path(folder) / "product.log"
        with server("api.app:app_from_environment", store.environment(), log) as port:
            _health(port)
            product = load(port, token, product_bodies, seconds, warmup)
        errors = sorted(
            {line for line in log.read_text(errors="replace").splitlines() if "Error:" in line}
        )
    backend = store.backend
    refused = {code: n for code, n in product["status"].items() if code != "201"}
    note = f"{sum(product['status'].values()):,} requests in {product['seconds']:.1f} s"
    if refused:
        note += f", NOT 201: {refused}; server errors: {errors[:3]}"
    p99 = percentile(product["latencies_ms"], 0.99)
    base_p99 = percentile(base["latencies_ms"], 0.99)
    return [
        Figure(
            f"{backend} HTTP single event, {CLIENTS} clients",
            product["per_s"],
            "events/s",
            baseline=base["per_s"],
            goal="≥ 0.7 × baseline",
            met=product["per_s"] >= 0.7 * base["per_s"] and not refused,
            note=note,
            extra={"status": product["status"], "baseline_status": base["status"]},
        ),
        Figure(
            f"{backend} HTTP single event p50",
            percentile(product["latencies_ms"], 0.5),
            "ms",
            baseline=percentile(base["latencies_ms"], 0.5),
        ),
        Figure(
            f"{backend} HTTP single event p99",
            p99,
            "ms",
            baseline=base_p99,
            goal="p99 ≤ 50 ms",
            met=p99 <= 50,
        ),
    ]
