"""Projection catch-up from empty against a raw sequential read and decode of the events,
and read models built straight from a JSON Lines file (for the reports at country scale)."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import IO, Any

import psycopg

from bench.figures import Figure
from domain.application import Boligspor
from projections.db import ReadStore
from projections.runner import catch_up
from projections.source import Change, change_from_event
from settings import parse_database_url

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


def build_read_models(url: str, path: Path, total: int) -> dict[str, Any]:
    """Catch the read models at `url` up with every event of the file (batches of 5,000):
    events, seconds, and the rate over the first and the last tenth of the file."""
    stream = JsonlStream(path, total)
    store = ReadStore.open(url)
    marks: list[tuple[int, float]] = [(0, 0.0)]
    started = time.perf_counter()

    def progress(done: int, _: int) -> None:
        marks.append((done, time.perf_counter() - started))

    try:
        applied = catch_up(stream, store, batch_size=5000, progress=progress)
        seconds = time.perf_counter() - started
    finally:
        store.close()
        stream.close()
    return {
        "events": applied,
        "seconds": seconds,
        "first_tenth_per_s": _rate(marks, 0, total // 10),
        "last_tenth_per_s": _rate(marks, total - total // 10, total),
    }


def _rate(marks: list[tuple[int, float]], start: int, end: int) -> float:
    inside = [(done, at) for done, at in marks if start <= done <= end] or marks[-2:]
    (first, t0), (last, t1) = inside[0], inside[-1]
    return (last - first) / (t1 - t0) if t1 > t0 else 0.0


def copy_read_models(source_sqlite: Path, url: str) -> int:
    """Copy every read-model table (and the tracking rows and the report aggregates) from a
    SQLite read store into the PostgreSQL schema at `url`: the same rows the catch-up would
    have written there. The aggregates' triggers are off while copying (their counts are
    copied too)."""
    from projections.aggregates import TABLES as AGGREGATES
    from projections.runner import TRACKING, ensure_schema, tables

    target = ReadStore.open(url)
    ensure_schema(target)
    target.close()
    target_url = parse_database_url(url)
    copied = 0
    source = sqlite3.connect(source_sqlite)
    try:
        with psycopg.connect(target_url.conninfo) as connection:
            connection.execute(f'SET search_path TO "{target_url.schema}"')
            connection.execute("SET session_replication_role = replica")
            for table in [TRACKING, *tables(), *AGGREGATES]:
                columns = ", ".join(table.column_names)
                connection.execute(f"DELETE FROM {table.name}")
                with connection.cursor().copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                    for row in source.execute(f"SELECT {columns} FROM {table.name}"):
                        copy.write_row(row)
                        copied += 1
            connection.commit()
            connection.autocommit = True
            for table in [TRACKING, *tables(), *AGGREGATES]:
                connection.execute(f"ANALYZE {table.name}")
    finally:
        source.close()
    return copied
