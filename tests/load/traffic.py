"""A small threaded load client: simulated users of each role send mixed reads and writes to one
base URL on 127.0.0.1 until a deadline; every answer's status and time is recorded, and every
event id the API acknowledged (201) is kept for the exactly-once check."""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlparse

import httpx

TIMEOUT_SECONDS = 10.0
THINK_SECONDS = (0.05, 0.5)  # between one answer and the next request of a simulated user
ids = itertools.count(1)
_ids_lock = threading.Lock()


def new_id(prefix: str) -> str:
    with _ids_lock:
        return f"load-{prefix}-{next(ids)}"


@dataclass
class Results:
    """What every simulated user saw, merged under a lock."""

    times: list[float] = field(default_factory=list)
    by_action: dict[str, list[float]] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    acknowledged: list[str] = field(default_factory=list)
    attempted: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action: str, seconds: float, ok: bool, why: str = "") -> None:
        with self.lock:
            self.times.append(seconds)
            self.by_action.setdefault(action, []).append(seconds)
            self.outcomes[action] += 1
            if not ok:
                self.failures[f"{action}: {why}"] += 1

    @property
    def requests(self) -> int:
        return len(self.times)

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def percentile(self, p: float, action: str | None = None) -> float:
        ordered = sorted(self.times if action is None else self.by_action[action])
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


@dataclass(frozen=True)
class Actor:
    """One kind of simulated user: a token, the cases it works on and its actions by weight."""

    name: str
    token: str
    cases: list[str]
    team: str


def follow_up(case: str, team: str) -> dict[str, Any]:
    return {
        "id": new_id(team),
        "type": "FollowUpLogged",
        "case": case,
        "on": (date.today() - timedelta(days=1)).isoformat(),
        "team": team,
        "kind": random.choice(["home_visit", "phone", "meeting"]),
        "minutes": random.randint(5, 90),
    }


class User(threading.Thread):
    """One simulated user: think, act, record, until the deadline."""

    def __init__(
        self, base_url: str, actor: Actor, results: Results, deadline: float, seed: int
    ) -> None:
        super().__init__(daemon=True)
        assert urlparse(base_url).hostname == "127.0.0.1", "load goes to loopback only"
        self.actor = actor
        self.results = results
        self.deadline = deadline
        self.random = random.Random(seed)
        self.client = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {actor.token}"},
            timeout=TIMEOUT_SECONDS,
        )
        self.sent: list[dict[str, Any]] = []

    def run(self) -> None:
        actions = ACTIONS[self.actor.name]
        names = [name for name, _ in actions]
        weights = [weight for _, weight in actions]
        try:
            while time.monotonic() < self.deadline:
                time.sleep(self.random.uniform(*THINK_SECONDS))
                name = self.random.choices(names, weights)[0]
                self.act(name)
        finally:
            self.client.close()

    def act(self, name: str) -> None:
        started = time.perf_counter()
        try:
            ok, why = STEPS[name](self)
        except httpx.HTTPError as error:
            ok, why = False, type(error).__name__
        self.results.record(name, time.perf_counter() - started, ok, why)

    # --- steps -------------------------------------------------------------------------------

    def case(self) -> str:
        return self.random.choice(self.actor.cases)

    def get(self, path: str, **params: Any) -> tuple[bool, str]:
        answer = self.client.get(path, params=params or None)
        return answer.status_code == 200, str(answer.status_code)

    def write(self, events: list[dict[str, Any]], batch: bool) -> tuple[bool, str]:
        with self.results.lock:
            self.results.attempted.update(e["id"] for e in events)
        if batch:
            answer = self.client.post("/api/events:batch", json=events)
        else:
            answer = self.client.post("/api/events", json=events[0])
        if answer.status_code == 201:
            with self.results.lock:
                self.results.acknowledged.extend(e["id"] for e in events)
            self.sent.extend(events)
        why = str(answer.status_code)
        if answer.status_code == 422:
            details = answer.json()["error"]["details"]
            why += " " + (details[0]["message"][:60] if details else "")
        return answer.status_code == 201, why

    def resend(self) -> tuple[bool, str]:
        """A retry of an event already acknowledged: answered alike, stored once."""
        if not self.sent:
            return self.write([follow_up(self.case(), self.actor.team)], batch=False)
        return self.write([self.random.choice(self.sent)], batch=False)


STEPS: dict[str, Callable[[User], tuple[bool, str]]] = {
    "list": lambda u: u.get("/api/cases", limit=50),
    "list filtered": lambda u: u.get("/api/cases", in_temporary_housing="true", limit=100),
    "case": lambda u: u.get(f"/api/cases/{u.case()}"),
    "history": lambda u: u.get(f"/api/cases/{u.case()}/history"),
    "alerts": lambda u: u.get("/api/alerts"),
    "dwellings": lambda u: u.get("/api/dwellings", limit=100),
    "waiting list": lambda u: u.get("/api/waiting-list", as_of="2023-09-01"),
    "status report": lambda u: u.get("/api/reports/status", as_of="2023-12-31"),
    "annual report": lambda u: u.get("/api/reports/annual", year=2023),
    "follow-up": lambda u: u.write([follow_up(u.case(), u.actor.team)], batch=False),
    "batch": lambda u: u.write([follow_up(u.case(), u.actor.team) for _ in range(3)], batch=True),
    "retry": lambda u: u.resend(),
}
ACTIONS: dict[str, list[tuple[str, int]]] = {
    "field": [
        ("list", 3),
        ("case", 4),
        ("history", 2),
        ("alerts", 2),
        ("dwellings", 1),
        ("follow-up", 4),
        ("retry", 1),
    ],
    "caseworker": [
        ("list", 2),
        ("list filtered", 2),
        ("case", 4),
        ("history", 2),
        ("waiting list", 2),
        ("follow-up", 2),
        ("batch", 1),
        ("retry", 1),
    ],
    "leader": [("status report", 3), ("annual report", 2), ("dwellings", 1)],
}
