"""The cases behind the by-name counts add up to the counts of every sample's expected
by-name list, on both backends."""

from __future__ import annotations

from datetime import date

import pytest

from projections.by_name_list import FIGURES, MonthCases, by_name_cases
from projections.db import ReadStore
from projections.runner import catch_up
from projections.source import JsonlChangeSource
from tests.projections.conftest import StoreFactory
from tests.projections.samples import SAMPLES, TODAY, Expectation, expectations

BY_NAME = [e for e in expectations() if e.kind == "by-name-list"]


@pytest.fixture(scope="module")
def loaded(module_stores: StoreFactory) -> dict[str, ReadStore]:
    stores = {}
    for sample in sorted({e.sample for e in BY_NAME}):
        store = module_stores()
        catch_up(JsonlChangeSource(SAMPLES / f"{sample}.jsonl"), store)
        stores[sample] = store
    return stores


def test_there_are_by_name_samples_to_check() -> None:
    assert BY_NAME


@pytest.mark.parametrize("expectation", BY_NAME, ids=lambda e: e.id)
def test_the_cases_behind_each_count_are_as_many_as_the_expected_count(
    expectation: Expectation, loaded: dict[str, ReadStore]
) -> None:
    months = by_name_cases(loaded[expectation.sample], int(expectation.argument), TODAY)

    expected = expectation.expected()["months"]
    assert [m.month for m in months] == [m["month"] for m in expected]
    for month, counts in zip(months, expected, strict=True):
        assert len(month.cases("active")) == counts["active"], month.month
        for group, name in FIGURES:
            assert len(month.cases(name)) == counts[group][name], (month.month, name)


@pytest.mark.parametrize("expectation", BY_NAME, ids=lambda e: e.id)
def test_the_inflow_is_of_this_months_active_and_the_outflow_of_last_months(
    expectation: Expectation, loaded: dict[str, ReadStore]
) -> None:
    year = int(expectation.argument)
    months = by_name_cases(loaded[expectation.sample], year, TODAY)
    december = by_name_cases(loaded[expectation.sample], year - 1, TODAY)
    previous: MonthCases | None = december[-1] if december else None

    for month in months:
        inflow = [month.cases(name) for group, name in FIGURES if group == "inflow"]
        outflow = [month.cases(name) for group, name in FIGURES if group == "outflow"]
        assert sum(map(len, inflow)) == len(frozenset().union(*inflow))
        assert sum(map(len, outflow)) == len(frozenset().union(*outflow))
        before = previous.active if previous is not None else frozenset()
        assert frozenset().union(*inflow) == month.active - before, month.month
        assert frozenset().union(*outflow) == before - month.active, month.month
        previous = month


def test_a_year_before_any_event_has_no_months(loaded: dict[str, ReadStore]) -> None:
    store = next(iter(loaded.values()))
    assert by_name_cases(store, 1999, date(2026, 11, 21)) == []
