"""The waiting list as a working list (issue 13 goal 3) and allocation support (goal 4), from
the read models on both backends: the Moss sample as of 2023-09-01 holds the 193 households
of the waiting list report, in order of priority and then days waited."""

from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise

import pytest

from domain.allocation import DEFAULT_ALLOCATION, AllocationRule
from domain.values import PRIORITIES
from projections.allocation import households_that_fit, vacant_dwellings
from projections.db import ReadStore
from projections.occupancy import occupied_dwellings_on
from projections.runner import catch_up
from projections.source import JsonlChangeSource
from projections.waiting_list import members_on
from projections.working_list import working_list
from tests.conftest import SAMPLES
from tests.projections.conftest import StoreFactory

DAY = "2023-09-01"
EXPECTED = json.loads((SAMPLES / "moss-2023.status-2023-09-01.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def moss(module_stores: StoreFactory) -> ReadStore:
    store = module_stores()
    catch_up(JsonlChangeSource(SAMPLES / "moss-2023.jsonl"), store)
    return store


def test_the_moss_sample_as_of_the_day_gives_the_reports_193_households_in_order(
    moss: ReadStore,
) -> None:
    with moss.reading() as tx:
        rows = working_list(tx, DAY, DEFAULT_ALLOCATION)
        members = members_on(tx, DAY)
    report = EXPECTED["waiting_list"]
    assert len(rows) == report["total"] == 193
    assert {r.case_ref for r in rows} == {ref for ref, _, _ in members}
    assert Counter(r.group for r in rows) == {g: n for g, n in report["by_group"].items() if n}
    assert Counter(r.priority for r in rows) == report["by_priority"]
    # priority first (urgent, high, normal), then the longest wait first, then case ref
    ranks = [PRIORITIES.index(r.priority) for r in rows]
    assert ranks == sorted(ranks)
    for before, after in pairwise(rows):
        if before.priority == after.priority:
            assert (before.days_waited, after.case_ref) >= (after.days_waited, before.case_ref)
    days = sorted(r.days_waited for r in rows)
    assert days[(len(days) - 1) // 2] == report["median_days_waiting"] == 408
    assert rows[0].priority == "urgent" and rows[-1].priority == "normal"


def test_filters_cut_the_list_and_keep_its_order(moss: ReadStore) -> None:
    with moss.reading() as tx:
        every = working_list(tx, DAY, DEFAULT_ALLOCATION)
        families = working_list(tx, DAY, DEFAULT_ALLOCATION, group="families")
        urgent = working_list(tx, DAY, DEFAULT_ALLOCATION, priority="urgent")
        hidden = working_list(tx, DAY, DEFAULT_ALLOCATION, hidden={every[0].case_ref})
    assert families == [r for r in every if r.group == "families"]
    assert len(families) == EXPECTED["waiting_list"]["by_group"]["families"]
    assert urgent == [r for r in every if r.priority == "urgent"]
    assert hidden == every[1:]


def test_rooms_needed_follow_the_rule_by_household_size(moss: ReadStore) -> None:
    rule = AllocationRule(rooms_needed=(1, 1, 2), extra_rooms=0)
    with moss.reading() as tx:
        rows = working_list(tx, DAY, rule)
    for row in rows:
        assert row.rooms_needed == (1 if row.size <= 2 else 2)


def test_vacant_dwellings_are_municipal_unoccupied_and_the_fitting_households_fit(
    moss: ReadStore,
) -> None:
    with moss.reading() as tx:
        vacant = vacant_dwellings(tx, DAY)
        occupied = occupied_dwellings_on(tx, DAY)
        assert vacant, "the sample has vacant dwellings on the day"
        assert not {d.dwelling_ref for d in vacant} & occupied
        assert all(d.category != "referral" and d.days_vacant >= 0 for d in vacant)
        every = working_list(tx, DAY, DEFAULT_ALLOCATION)
        for dwelling in vacant[:10]:
            fits = households_that_fit(tx, DAY, dwelling, DEFAULT_ALLOCATION)
            assert fits == [
                r
                for r in every
                if r.rooms_needed <= dwelling.rooms <= r.rooms_needed + 2
                and (r.group.endswith("_adapted")) == (dwelling.category == "lifetime_standard")
            ]
