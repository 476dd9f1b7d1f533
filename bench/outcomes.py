"""The outcome report's latency (issue 16): of the largest municipality of the country data, a
store of its own (the product runs per municipality), and of one year of the country store;
each against the annual report of the same store in the same run (its baseline)."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

from bench import data
from bench.backends import fresh
from bench.figures import Figure, latencies, percentile
from bench.projecting import build_read_models
from bench.reading import timed_ms
from projections.annual_report import annual_report
from projections.db import ReadStore
from projections.outcome_report import outcome_report
from projections.runner import tables

MUNICIPALITY_GOAL_MS = 200
COUNTRY_GOAL_MS = 2000


def outcome_figures(
    url: str, label: str, repeats: int, goal_ms: float, year: int = data.TODAY.year - 1
) -> list[Figure]:
    """p50 and p99 of the outcome report of a year (default the data's last full year) on read
    models already caught up, the annual report of the same year and store as the baseline."""
    backend = "postgres" if url.startswith("postgres") else "sqlite"
    store = ReadStore.open(url)
    try:
        annual = timed_ms(lambda: annual_report(store, year, data.TODAY), repeats)
        outcomes = timed_ms(lambda: outcome_report(store, year, data.TODAY), repeats)
    finally:
        store.close()
    figures = latencies(f"{backend} outcome report {year}, {label}", outcomes, goal_ms)
    figures[0].baseline = percentile(annual, 0.5)
    figures[1].baseline = percentile(annual, 0.99)
    for figure in figures:
        figure.note = "baseline: the annual report of the same year and store"
    return figures


def last_year(path: Path) -> int:
    """The year of the last event of a JSON Lines file (a country prefix ends years before the
    data's last full year: its own last year is the one it holds)."""
    with path.open(encoding="utf-8") as lines:
        (last,) = deque(lines, maxlen=1)
    return int(json.loads(last)["on"][:4])


def largest_municipality(folder: Path, seed: int = 2023) -> tuple[Path, int]:
    """The country data's largest municipality alone (K0101: the same events as in the
    country file), written once per data folder."""
    size = max(data.sizes(data.SCALES["country"]))
    path = folder / "country-largest-municipality.jsonl"
    count_file = path.with_suffix(".count")
    if not path.exists() or not count_file.exists():
        events = data.municipality_events(101, size, seed, data.TODAY)
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.writelines(
                json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"
                for event in events
            )
        count_file.write_text(str(len(events)))
    return path, int(count_file.read_text())


def analyze(url: str) -> None:
    """Table statistics for the planner, as `projections rebuild` leaves them."""
    store = ReadStore.open(url)
    try:
        with store.transaction() as tx:
            for table in tables():
                tx.execute(f"ANALYZE {table.name}")
    finally:
        store.close()


def municipality_figures(backend: str, folder: Path, repeats: int) -> list[Figure]:
    """The largest municipality's events caught up into a fresh read store of the backend,
    then its outcome report timed."""
    path, total = largest_municipality(folder)
    with fresh(backend, "outcomes") as store:
        build_read_models(store.url, path, total)
        analyze(store.url)
        label = f"largest municipality of the country data ({total:,} events)"
        return outcome_figures(store.url, label, repeats, MUNICIPALITY_GOAL_MS)
