"""Read-side latencies: the status and annual reports, and a long case's history."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.data import TODAY, long_case
from bench.figures import Figure, latencies
from domain.application import Boligspor
from projections.annual_report import annual_report
from projections.db import ReadStore
from projections.status_report import status_report

LONG_CASE = "K9999-S-LONG"


def timed_ms(action: Callable[[], Any], repeats: int, warm: int = 2) -> list[float]:
    for _ in range(warm):
        action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report_figures(url: str, label: str, repeats: int) -> list[Figure]:
    """Status report as of the data's last day and the annual report of the last full year,
    on read models already caught up."""
    backend = "postgres" if url.startswith("postgres") else "sqlite"
    store = ReadStore.open(url)
    try:
        status = timed_ms(lambda: status_report(store, TODAY), repeats)
        annual = timed_ms(lambda: annual_report(store, TODAY.year - 1, TODAY), repeats)
    finally:
        store.close()
    return [
        *latencies(f"{backend} status report {label}", status, 100),
        *latencies(f"{backend} annual report {label}", annual, 100),
    ]


def history_figures(app: Boligspor, repeats: int, events: int = 1000) -> list[Figure]:
    """`case_history` of one case with `events` events, stored in the given application: read
    again and again (warm), as the first read of a new application (a process start), and
    right after each of `repeats` new events."""
    app.submit(list(enumerate(long_case(LONG_CASE, events), 1)), default_by="bench")
    assert len(app.case_history(LONG_CASE)) == events
    samples = timed_ms(lambda: app.case_history(LONG_CASE), repeats)
    backend = "postgres" if app.settings.database_url.startswith("postgres") else "sqlite"
    cold = []
    for _ in range(max(5, repeats // 5)):
        fresh = Boligspor(app.settings)
        try:
            cold.extend(timed_ms(lambda: fresh.case_history(LONG_CASE), 1, warm=0))  # noqa: B023
        finally:
            fresh.close()
    after_write = []
    for n in range(repeats):
        follow_up = {
            "id": f"{LONG_CASE.lower()}-new-{n:04d}",
            "type": "FollowUpLogged",
            "case": LONG_CASE,
            "on": TODAY.isoformat(),
            "team": "nav",
            "kind": "phone",
            "minutes": 10,
            "note": "Ringte igjen.",
        }
        app.submit([(1, follow_up)], default_by="bench")
        after_write.extend(timed_ms(lambda: app.case_history(LONG_CASE), 1, warm=0))
    assert len(app.case_history(LONG_CASE)) == events + repeats
    name = f"{backend} case history, {events:,} events"
    return [
        *latencies(name, samples, 20),
        *latencies(f"{name}, first read of a process", cold, 20),
        *latencies(f"{name}, read after each new event", after_write, 20),
    ]
