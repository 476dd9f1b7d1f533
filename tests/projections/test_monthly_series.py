"""The charts' monthly series add up to the annual report's figures in the expected files."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from domain.application import Boligspor
from projections.db import ReadStore
from projections.monthly_series import monthly_series
from projections.runner import catch_up
from tests.conftest import SAMPLES, sample_lines


@pytest.mark.parametrize(("sample", "year"), [("moss-2023", 2023), ("edge-2017-2025", 2022)])
def test_nights_per_month_add_up_to_the_years_nights_and_december_ends_the_waiting_list(
    new_app: Callable[[], Boligspor], sample: str, year: int
) -> None:
    app = new_app()
    app.submit(sample_lines(f"{sample}.jsonl"))
    store = ReadStore.open(app.settings.database_url)
    try:
        catch_up(app, store)
        series = monthly_series(store, year, date(2026, 11, 21))
    finally:
        store.close()
    expected = json.loads((SAMPLES / f"{sample}.annual-{year}.json").read_text())
    nights = [n for _, n in series["nights_per_month"]]
    assert len(nights) == 12
    assert sum(nights) == expected["temporary_housing"]["nights"]
    assert series["waiting_list_month_end"][-1] == (f"{year}-12", expected["waiting_list"]["end"])
