"""Projection catch-up from empty against a raw sequential read and decode of the events,
and read models built straight from a JSON Lines file (for the reports at country scale)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import IO

from bench.figures import Figure
from domain.application import Boligspor
from projections.db import ReadStore
from projections.runner import catch_up
from projections.source import Change, change_from_event

BATCH = 1000


def raw_read_per_s(app: Boligspor) -> float:
    """`select_notifications` in batches and `mapper.to_domain_event` of each: the floor of
    any catch-up that reads the event store."""
    started = time.perf_counter()
    position, count = 0, 0
    while True:
        notifications = app.recorder.select_notifications(position, BATCH, inclusive_of_start=False)
        if not notifications:
            break
        for notification in notifications:
            app.mapper.to_domain_event(notification)
            position = notification.id
            count += 1
    return count / (time.perf_counter() - started)


def catch_up_figure(app: Boligspor, url: str, label: str) -> Figure:
    """Every read model from empty over what the store holds, against the raw read."""
    baseline = raw_read_per_s(app)
    store = ReadStore.open(url)
    try:
        started = time.perf_counter()
        applied = catch_up(app, store)
        elapsed = time.perf_counter() - started
    finally:
        store.close()
    rate = applied / elapsed
    backend = "postgres" if url.startswith("postgres") else "sqlite"
    return Figure(
        f"{backend} projection catch-up {label}",
        rate,
        "events/s",
        baseline=baseline,
        goal="≥ 0.5 × baseline",
        met=rate >= 0.5 * baseline,
        note=f"{applied:,} events in {elapsed:.1f} s",
    )


class JsonlStream:
    """A ChangeSource over a JSON Lines file read once, front to back (positions are line
    numbers); unlike `projections.source.JsonlChangeSource` it never holds the whole file."""

    def __init__(self, path: Path, total: int) -> None:
        self._handle: IO[str] = path.open(encoding="utf-8")
        self._line = 0
        self._total = total

    def read_changes(self, after: int, limit: int) -> tuple[list[Change], int]:
        if after != self._line:
            raise ValueError(f"read from {after}, but the stream is at {self._line}")
        changes = []
        for line in self._handle:
            self._line += 1
            if line.strip():
                changes.append(change_from_event(self._line, json.loads(line)))
            if self._line - after >= limit:
                break
        return changes, self._line

    def max_position(self) -> int:
        return self._total

    def close(self) -> None:
        self._handle.close()


def build_read_models(url: str, path: Path, total: int) -> tuple[int, float]:
    """Catch the read models at `url` up with every event of the file; events and seconds."""
    stream = JsonlStream(path, total)
    store = ReadStore.open(url)
    try:
        started = time.perf_counter()
        applied = catch_up(stream, store, batch_size=5000)
        return applied, time.perf_counter() - started
    finally:
        store.close()
        stream.close()
