"""The real API in its own process (uvicorn on a loopback port), and clients that keep
sending fresh events and retry every unanswered one with the same event id."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from api.users import UserStore
from tests.conftest import TEST_KEY, TODAY_NOW
from tests.reliability import events
from tests.reliability.processes import open_app

REPO = Path(__file__).resolve().parents[2]
DEFINITIVE = (201, 409, 422)
ALLOWED = {*DEFINITIVE, 503}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_environment(url: str, application_name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOLIGSPOR_")}
    env.update(
        BOLIGSPOR_DATABASE_URL=url,
        BOLIGSPOR_PAYLOAD_KEY=TEST_KEY,
        BOLIGSPOR_MASTER_KEY=TEST_KEY,
        BOLIGSPOR_LOG_LEVEL="WARNING",
        BOLIGSPOR_WORKER_CATCH_UP_SECONDS="1",
        PGAPPNAME=application_name,
        PYTHONPATH=str(REPO),
    )
    return env


@dataclass
class Served:
    base_url: str
    token: str
    application_name: str
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def served_api(
    url: str, log: Path, cases: list[str], application_name: str | None = None
) -> Iterator[Served]:
    """An API process over `url` with a caseworker and the given cases opened; its database
    sessions carry `application_name` (a fresh one by default)."""
    app = open_app(url)
    users = UserStore(app.sql)
    users.ensure_table()
    token = users.add("kari", "caseworker", None, now=TODAY_NOW)[1]
    app.submit([(n, events.opened(ref, f"open-{ref}")) for n, ref in enumerate(cases, 1)])
    app.close()
    port = free_port()
    name = application_name or f"boligspor-rel-{uuid.uuid4().hex[:8]}"
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:app_from_environment"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=process_environment(url, name),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    served = Served(f"http://127.0.0.1:{port}", token, name, process)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(served.base_url):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.1)
        yield served
    finally:
        stop(process)


def _healthy(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/api/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@dataclass
class Sent:
    """One event as its client saw it: every answer, and when its last attempt was sent."""

    event_id: str
    case: str
    answers: list[int | str] = field(default_factory=list)
    last_attempt_at: datetime | None = None

    @property
    def final(self) -> int | str | None:
        return self.answers[-1] if self.answers else None

    @property
    def answer_lost(self) -> bool:
        return len(self.answers) > 1


class ApiLoad:
    """Client threads, each on its own case (and every fifth event on a shared case),
    sending fresh events until stopped and retrying each one until it is answered."""

    SHARED_CASE = "S-shared"

    def __init__(
        self, served: Served, threads: int, answer_deadline: float = 120.0, pause: float = 0.0
    ) -> None:
        self.served = served
        self.all_cases = self.cases(threads)
        self.answer_deadline = answer_deadline
        self.pause = pause
        self.sent: list[Sent] = []
        self.statuses: Counter[int | str] = Counter()
        self.without_retry_after = 0
        self.longest_wait = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(threads)
        ]

    @staticmethod
    def cases(threads: int) -> list[str]:
        return [ApiLoad.SHARED_CASE, *(f"S-{n}" for n in range(threads))]

    def start(self) -> ApiLoad:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 180.0) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=timeout)
        assert not any(t.is_alive() for t in self._threads), "a client never got its answer"

    def acknowledged(self) -> int:
        with self._lock:
            return sum(1 for s in self.sent if s.final == 201)

    def _client(self, number: int) -> None:
        headers = {"Authorization": f"Bearer {self.served.token}"}
        with httpx.Client(base_url=self.served.base_url, headers=headers, timeout=30) as client:
            for sequence in range(1_000_000):
                if self._stop.is_set():
                    return
                case = self.SHARED_CASE if sequence % 5 == 4 else f"S-{number}"
                sent = Sent(f"t{number}-{sequence}", case)
                with self._lock:
                    self.sent.append(sent)
                self._send_until_answered(client, sent)
                if self.pause:
                    time.sleep(self.pause)

    def _send_until_answered(self, client: httpx.Client, sent: Sent) -> None:
        body = events.follow_up(sent.case, sent.event_id)
        began = time.monotonic()
        while time.monotonic() - began < self.answer_deadline:
            sent.last_attempt_at = datetime.now().astimezone()
            try:
                response = client.post("/api/events", json=body)
                answer: int | str = response.status_code
                if answer == 503 and "retry-after" not in response.headers:
                    with self._lock:
                        self.without_retry_after += 1
            except httpx.TransportError as error:
                answer = type(error).__name__
            sent.answers.append(answer)
            with self._lock:
                self.statuses[answer] += 1
            if answer in DEFINITIVE:
                break
            time.sleep(0.1)
        with self._lock:
            self.longest_wait = max(self.longest_wait, time.monotonic() - began)


def check(url: str, load: ApiLoad) -> dict[str, Any]:
    """Figures of an API run, read back from the store with a fresh application."""
    from tests.reliability.ledger import all_changes, reconcile

    app = open_app(url)
    cases = load.all_cases
    histories = {ref: app.get_case(ref).history for ref in cases}
    copies = Counter(str(c.event["id"]) for c in all_changes(app))
    recorded = {e.event_id: e.recorded_at for h in histories.values() for e in h}
    acknowledged = [s.event_id for s in load.sent if s.final == 201]
    retried = [s for s in load.sent if s.answer_lost and s.final == 201]
    figures = reconcile(
        app, acknowledged, [s.event_id for s in load.sent], [f"open-{r}" for r in cases]
    )
    figures |= {
        "sent": len(load.sent),
        "unanswered": sum(1 for s in load.sent if s.final not in DEFINITIVE),
        "refused": sum(1 for s in load.sent if s.final in (409, 422)),
        "retried_after_lost_answer": len(retried),
        "retried_not_exactly_one_copy": sum(1 for s in retried if copies[s.event_id] != 1),
        "committed_before_answer_lost": sum(
            1
            for s in retried
            if s.event_id in recorded
            and s.last_attempt_at is not None
            and recorded[s.event_id] < s.last_attempt_at
        ),
        "versions_wrong": sum(
            1
            for ref in cases
            if app.get_case(ref).version
            != 1 + sum(1 for s in load.sent if s.case == ref and s.final == 201)
        ),
        "statuses": {str(k): v for k, v in sorted(load.statuses.items(), key=str)},
        "503_without_retry_after": load.without_retry_after,
        "longest_wait_for_an_answer_s": round(load.longest_wait, 1),
    }
    app.close()
    return figures
