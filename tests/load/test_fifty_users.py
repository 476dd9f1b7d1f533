"""Fifty simulated users on loopback against a real uvicorn serving the Moss sample (SQLite):
mixed reads and writes for 60 s (5 minutes with --long); under 1 % failures, p95 under 500 ms,
and afterwards every acknowledged event is stored exactly once."""

from __future__ import annotations

import json
import time
from collections import Counter

import httpx
import pytest

from tests.load.conftest import ROOT, Served
from tests.load.traffic import Actor, Results, User

MIX = {"ola": 20, "hanne": 10, "kari": 15, "leif": 5}  # simulated users per account
ROLES = {
    "ola": ("field", "caretaker"),
    "hanne": ("field", "housing_first"),
    "kari": ("caseworker", "housing_office"),
    "leif": ("leader", "other"),
}
MAX_FAILURE_SHARE = 0.01
MAX_P95_SECONDS = 0.5


def cases_of(served: Served, name: str) -> list[str]:
    answer = httpx.get(
        f"{served.base_url}/api/cases",
        params={"limit": 500},
        headers={"Authorization": f"Bearer {served.tokens[name]}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return [case["ref"] for case in answer.json()["items"] if case["open"]]


@pytest.mark.slow
def test_fifty_users_get_answers_fast_and_every_acknowledged_event_is_stored_once(
    served: Served, request: pytest.FixtureRequest
) -> None:
    seconds = 300 if request.config.getoption("--long") else 60
    actors = {
        name: Actor(
            ROLES[name][0],
            served.tokens[name],
            cases_of(served, name) if ROLES[name][0] != "leader" else ["-"],
            ROLES[name][1],
        )
        for name in MIX
    }
    store = served.open_store()
    before = store.max_position()
    results = Results()
    deadline = time.monotonic() + seconds
    users = [
        User(served.base_url, actors[name], results, deadline, seed=n)
        for n, name in enumerate(name for name, count in MIX.items() for _ in range(count))
    ]
    assert len(users) == 50
    for user in users:
        user.start()
    for user in users:
        user.join(timeout=seconds + 60)
    assert not any(user.is_alive() for user in users), "a simulated user did not stop"

    exported = [event["id"] for event in store.export()]
    acknowledged = set(results.acknowledged)
    counts = Counter(exported)
    new = {event_id for event_id in exported if event_id.startswith("load-")}
    figures = {
        "seconds": seconds,
        "users": len(users),
        "requests": results.requests,
        "requests_per_second": round(results.requests / seconds, 1),
        "failures": results.failed,
        "failure_share": round(results.failed / max(1, results.requests), 5),
        "p50_ms": round(results.percentile(0.50) * 1000, 1),
        "p95_ms": round(results.percentile(0.95) * 1000, 1),
        "p99_ms": round(results.percentile(0.99) * 1000, 1),
        "max_ms": round(max(results.times, default=0) * 1000, 1),
        "events_acknowledged": len(acknowledged),
        "events_stored": store.max_position() - before,
        "by_action": {
            action: {"requests": n, "p95_ms": round(results.percentile(0.95, action) * 1000, 1)}
            for action, n in sorted(results.outcomes.items())
        },
        "failures_by_kind": dict(results.failures),
    }
    store.close()
    out = ROOT / "test-artifacts" / f"load-{seconds}s.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))

    assert results.requests > 50 * seconds / 2
    assert results.failed / results.requests < MAX_FAILURE_SHARE, figures
    assert results.percentile(0.95) < MAX_P95_SECONDS, figures
    assert acknowledged, "no write was acknowledged"
    assert acknowledged <= new, "an acknowledged event is missing"
    assert new <= results.attempted, "an event nobody sent was stored"
    assert all(counts[event_id] == 1 for event_id in new), "an event is stored twice"
    assert len(exported) == len(counts)
