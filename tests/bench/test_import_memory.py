"""The import's peak memory does not grow with the file: a 200,000-line file and its
50,000-line prefix, each imported in a fresh process (`bench.import_worker`, as the harness
does), peak within a few MiB of each other. Before the chunked import, memory grew 4.7 KiB
per event (945 MiB at 200,000 events on SQLite).

Bench-only: it runs with `pytest --long` (about two minutes on a quiet machine, 18 on a busy
one); measured 136 → 138 MiB on SQLite and 155 → 156 MiB on PostgreSQL (0.01 KiB per event).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import data
from bench.backends import fresh
from bench.importing import run_import

MUNICIPALITIES = 14  # of Moss's size, ~15,000 events each, merged by business date
LARGE, SMALL = 200_000, 50_000
GROWTH_KIB_PER_EVENT = 0.25


@pytest.fixture(scope="module")
def prefixes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("import-memory")
    parts = []
    for index in range(MUNICIPALITIES):
        part = folder / f"{index:02d}.tsv"
        with part.open("w", encoding="utf-8") as out:
            for event in data.municipality_events(201 + index, 1.0, 97 + 13 * index):
                out.write(event["on"] + "\t" + data._line(event))
        parts.append(part)
    whole = folder / "whole.jsonl"
    assert data._merge(parts, whole) >= LARGE
    large, small = folder / "large.jsonl", folder / "small.jsonl"
    data.prefix_file(whole, large, LARGE)
    data.prefix_file(whole, small, SMALL)
    yield large, small


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_import_peak_memory_is_flat_in_the_size_of_the_file(
    request: pytest.FixtureRequest, backend: str
) -> None:
    if not request.config.getoption("--long"):
        pytest.skip("bench-only: imports 250,000 events per backend; run with --long")
    large, small = request.getfixturevalue("prefixes")
    with fresh(backend, "memsmall") as store:
        first = run_import(store, small)
    with fresh(backend, "memlarge") as store:
        second = run_import(store, large)
    growth = (second["peak_mib"] - first["peak_mib"]) * 1024 / (LARGE - SMALL)
    print(
        f"{backend}: {SMALL:,} events {first['peak_mib']:.0f} MiB, {LARGE:,} events"
        f" {second['peak_mib']:.0f} MiB: {growth:.3f} KiB per event;"
        f" {second['events'] / second['seconds']:,.0f} events/s"
    )
    assert (first["events"], second["events"]) == (SMALL, LARGE)
    assert second["peak_mib"] < 1024
    assert growth < GROWTH_KIB_PER_EVENT
