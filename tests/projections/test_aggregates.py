"""The aggregate counts the reports read equal the figures counted straight from the read-model
rows, for every day and every year of the samples, on both backends: after a catch-up in
small batches (the edge sample's backdated events and retractions rewrite earlier rows), at
points in between, after a rebuild, and when a store's read models predate the aggregates."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from projections import aggregates, runner
from projections.annual_report import annual_report
from projections.db import ReadStore
from projections.runner import catch_up, ensure_schema, rebuild
from projections.source import JsonlChangeSource
from projections.status_report import status_figures
from tests.projections import direct_reports
from tests.projections.conftest import StoreFactory
from tests.projections.samples import SAMPLES
from tests.projections.sources import ListChangeSource

SAMPLE_BATCHES = {"edge-2017-2025": 7, "moss-2023": 257}


def _days(store: ReadStore) -> list[str]:
    """Every day from the week before the earliest event to a year after the latest."""
    with store.reading() as tx:
        row = tx.query_one("SELECT MIN(on_date), MAX(on_date) FROM rm_event_log")
    assert row is not None and row[0] is not None
    first = date.fromisoformat(row[0]) - timedelta(days=7)
    last = date.fromisoformat(row[1]) + timedelta(days=366)
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def _differences(store: ReadStore, days: list[str], years: list[tuple[int, date]]) -> list[str]:
    """Where the reports from the aggregates differ from the direct counts."""
    found: list[str] = []
    with store.reading() as tx:
        for day in days:
            if status_figures(tx, day) != direct_reports.status(tx, day):
                found.append(f"status {day}")
    for year, today in years:
        computed: dict[str, Any] = annual_report(store, year, today)
        computed.pop("year")
        with store.reading() as tx:
            expected = direct_reports.annual(tx, year, today)
        if computed != expected:
            found.append(f"annual {year} today {today}")
    return found


def _years(days: list[str], mid_year: int) -> list[tuple[int, date]]:
    """Every year with `today` after its end, on its 1 January, on its 31 December, and on
    `mid_year` days in between (the cut-off is the earlier of 31 December and today)."""
    pick = random.Random(mid_year)
    years = []
    for year in sorted({int(d[:4]) for d in days}):
        todays = {date(year + 1, 3, 1), date(year, 1, 1), date(year, 12, 31)}
        todays |= {date(year, 1, 1) + timedelta(days=pick.randrange(365)) for _ in range(mid_year)}
        years.extend((year, today) for today in sorted(todays))
    return years


@pytest.mark.parametrize("sample", sorted(SAMPLE_BATCHES))
def test_the_aggregates_equal_direct_counts_while_catching_up_in_small_batches(
    sample: str, module_stores: StoreFactory
) -> None:
    full = ListChangeSource.everything_in(JsonlChangeSource(SAMPLES / f"{sample}.jsonl"))
    store = module_stores()
    cuts = sorted(random.Random(sample).sample(range(1, len(full.changes)), 3))
    for cut in cuts:
        catch_up(full.prefix(cut), store, batch_size=SAMPLE_BATCHES[sample])
        days = _days(store)
        assert _differences(store, days[::17], _years(days, 1)) == []
    catch_up(full, store, batch_size=SAMPLE_BATCHES[sample])
    days = _days(store)
    assert _differences(store, days, _years(days, 4)) == []
    with store.reading() as tx:
        moved = tx.query_one("SELECT COUNT(*) FROM agg_day_counts WHERE n <> 0")
    assert moved is not None and moved[0] > 0

    rebuild(full, store, batch_size=SAMPLE_BATCHES[sample])
    assert _differences(store, days[::13], _years(days, 1)) == []


def test_a_store_without_the_aggregates_or_with_older_ones_gets_them_counted(
    module_stores: StoreFactory,
) -> None:
    source = JsonlChangeSource(SAMPLES / "edge-2017-2025.jsonl")
    store = module_stores()
    catch_up(source, store)
    with store.transaction() as tx:
        for statement in aggregates._drop_trigger_statements(tx.dialect):
            tx.execute(statement)
        aggregates.drop(tx)
    runner._ensured.pop(store, None)  # as a process started after the upgrade would
    ensure_schema(store)
    days = _days(store)
    assert _differences(store, days[::3], _years(days, 1)) == []
    assert catch_up(source, store) == 0

    with store.transaction() as tx:  # counts of an older version of the aggregates
        tx.execute("DELETE FROM agg_day_counts WHERE figure IN ('occupied', 'waiting')")
        tx.execute("UPDATE agg_version SET version = version - 1")
    assert _differences(store, days[::3], []) != []
    runner._ensured.pop(store, None)
    ensure_schema(store)
    assert _differences(store, days[::3], _years(days, 1)) == []
