"""Prometheus metrics of one API process, or of all of them.

Requests by method, route template (never the path: no case ref reaches a label) and status;
their latency; the read models' lag (set when scraped); the size of each group commit.

`boligspor serve --workers N` sets PROMETHEUS_MULTIPROC_DIR before the processes start: each
then writes its samples to files there, and `/metrics`, answered by any one of them, adds up
every process's (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import os
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from domain.application import Boligspor

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter(
    "boligspor_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "boligspor_http_request_duration_seconds",
    "Time from a request's arrival to its answer, by method and route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
READ_MODEL_LAG = Gauge(
    "boligspor_read_model_lag_events",
    "Events each read model is behind the event store, when last scraped",
    ["read_model"],
    multiprocess_mode="max",
)
GROUP_SUBMISSIONS = Histogram(
    "boligspor_group_commit_submissions",
    "Submissions stored together in one transaction (group commit)",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128),
)
GROUP_EVENTS = Histogram(
    "boligspor_group_commit_events",
    "Event lines stored in one group commit's transaction",
    buckets=(1, 2, 5, 10, 50, 100, 500, 1000, 5000, 20000),
)


def observe_request(method: str, route: str, status: int | None, seconds: float) -> None:
    """Count and time one answered HTTP request (called by the request log's middleware)."""
    REQUESTS.labels(method, route, str(status) if status is not None else "none").inc()
    LATENCY.labels(method, route).observe(seconds)


def _observe_group(submissions: int, events: int) -> None:
    GROUP_SUBMISSIONS.observe(submissions)
    GROUP_EVENTS.observe(events)


def observe_group_commits(application: Boligspor) -> None:
    """Record the size of each group the application stores."""
    if _observe_group not in application.group_stored:
        application.group_stored.append(_observe_group)


def exposition(lag: dict[str, int]) -> bytes:
    """The metrics in Prometheus' text format: this process's, or every process's."""
    for name, behind in lag.items():
        READ_MODEL_LAG.labels(name).set(behind)
    if os.environ.get(MULTIPROCESS_DIRECTORY):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def prepare_multiprocess_directory(directory: Path) -> None:
    """Before the processes start: an empty directory for their sample files (files left by
    an earlier run would be added to this one's)."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROCESS_DIRECTORY] = str(directory)
