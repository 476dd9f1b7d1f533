"""Each case's standing, summed over the cases of a sample, equals the sample's expected status
report; and every member of the waiting list stands there with the list's priority and days."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from domain.values import HOMELESS_SITUATIONS
from projections.case_standing import Standing, standing_from_events, with_dwelling
from projections.db import ReadStore
from projections.dwellings import districts_of
from projections.event_log import dwelling_addresses
from projections.figure_definitions import LEASE_HORIZON_DAYS, LONG_STAY_NIGHTS
from projections.history import days_between
from projections.runner import catch_up
from projections.source import JsonlChangeSource
from projections.waiting_list import members_on
from tests.conftest import SAMPLES
from tests.projections.conftest import StoreFactory

SAMPLE = SAMPLES / "moss-2023.jsonl"
DAYS = ("2023-09-01", "2024-12-31")


def _events_by_case(path: Path) -> dict[str, list[dict[str, Any]]]:
    cases: dict[str, list[dict[str, Any]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            event = json.loads(line)
            if "case" in event:
                cases.setdefault(event["case"], []).append(event)
    return cases


@pytest.fixture(scope="module")
def events_by_case() -> dict[str, list[dict[str, Any]]]:
    return _events_by_case(SAMPLE)


def _standings(cases: dict[str, list[dict[str, Any]]], day: str) -> list[Standing]:
    return [standing_from_events(ref, events, day) for ref, events in cases.items()]


def _expected(day: str) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(
        (SAMPLES / f"moss-2023.status-{day}.json").read_text(encoding="utf-8")
    )
    return expected


@pytest.mark.parametrize("day", DAYS)
def test_the_standings_add_up_to_the_expected_status_report(
    events_by_case: dict[str, list[dict[str, Any]]], day: str
) -> None:
    expected = _expected(day)
    standings = _standings(events_by_case, day)
    waiting = [s for s in standings if s.waiting is not None]
    stays = [s.stay for s in standings if s.stay is not None]
    assert len(waiting) == expected["waiting_list"]["total"]
    by_priority = Counter(s.waiting.priority for s in waiting if s.waiting is not None)
    assert {k: by_priority[k] for k in expected["waiting_list"]["by_priority"]} == expected[
        "waiting_list"
    ]["by_priority"]
    by_group = Counter(s.profile.group for s in waiting if s.profile is not None)
    assert {k: by_group[k] for k in expected["waiting_list"]["by_group"]} == expected[
        "waiting_list"
    ]["by_group"]
    housing = expected["temporary_housing"]
    assert len(stays) == housing["current_stays"]
    assert sum(1 for s in stays if s.nights > LONG_STAY_NIGHTS) == housing["over_90_nights"]
    assert max((s.nights for s in stays), default=None) == housing["max_nights"]
    with_children = [s for s in standings if s.stay and s.profile and s.profile.children > 0]
    assert len(with_children) == housing["households_with_children"]
    enrolled = [s for s in standings if s.housing_first_since is not None]
    assert len(enrolled) == expected["housing_first"]["enrolled"]
    expiring = [
        s
        for s in standings
        if s.housed is not None
        and s.housed.days_left is not None
        and 0 < s.housed.days_left <= LEASE_HORIZON_DAYS
    ]
    assert len(expiring) == expected["leases_expiring_90_days"]
    homeless = [
        s
        for s in standings
        if s.is_open
        and s.housed is None
        and s.profile is not None
        and (s.stay is not None or s.profile.situation in HOMELESS_SITUATIONS)
    ]
    assert len(homeless) == expected["homeless"]["total"]


@pytest.fixture(scope="module")
def loaded(module_stores: StoreFactory) -> ReadStore:
    store = module_stores()
    catch_up(JsonlChangeSource(SAMPLE), store)
    return store


def test_each_member_stands_on_the_waiting_list_with_its_priority_and_days_waited(
    events_by_case: dict[str, list[dict[str, Any]]], loaded: ReadStore
) -> None:
    day = "2023-09-01"
    with loaded.reading() as tx:
        members = members_on(tx, day)
    assert len(members) == _expected(day)["waiting_list"]["total"]
    for ref, priority, joined_on in members:
        waiting = standing_from_events(ref, events_by_case[ref], day).waiting
        assert waiting is not None, ref
        assert (waiting.since, waiting.priority, waiting.days) == (
            joined_on,
            priority,
            days_between(joined_on, day),
        )
    members_refs = {ref for ref, _, _ in members}
    others = [s for s in _standings(events_by_case, day) if s.case_ref not in members_refs]
    assert all(s.waiting is None for s in others)


def test_a_settled_household_stands_in_its_dwelling_with_address_and_district(
    events_by_case: dict[str, list[dict[str, Any]]], loaded: ReadStore
) -> None:
    day = "2023-09-01"
    housed = [s for s in _standings(events_by_case, day) if s.housed and s.housed.dwelling_ref]
    assert housed
    with loaded.reading() as tx:
        for standing in housed[:25]:
            filled = with_dwelling(tx, standing)
            assert filled.housed is not None and standing.housed is not None
            ref = str(standing.housed.dwelling_ref)
            assert filled.housed.district == districts_of(tx, [ref])[ref] != ""
            assert filled.housed.address == dwelling_addresses(tx, [ref]).get(ref, "")


def test_a_retracted_event_does_not_count_in_the_standing() -> None:
    base = {"case": "S-1", "by": "t"}
    events = [
        {**base, "id": "a", "type": "CaseOpened", "on": "2024-01-02", "group": "other",
         "household": {"adults": 1, "children": 0}, "situation": "rough",
         "person": {"name": "X"}},
        {**base, "id": "b", "type": "TemporaryStayStarted", "on": "2024-01-03",
         "stay": "o1", "kind": "hotel"},
        {**base, "id": "c", "type": "ApplicationReceived", "on": "2024-01-04"},
        {**base, "id": "d", "type": "ApplicationDecided", "on": "2024-01-05",
         "decision": "rejected", "legal_basis": "x"},
        {**base, "id": "e", "type": "AppealReceived", "on": "2024-01-06"},
    ]  # fmt: skip
    standing = standing_from_events("S-1", events, "2024-01-10")
    assert standing.stay is not None and standing.stay.nights == 7
    assert standing.appeal_since == "2024-01-06" and standing.application_since is None
    retracted = [*events, {**base, "id": "f", "type": "EventRetracted", "on": "2024-01-10",
                           "target": "b", "reason": "feil"}]  # fmt: skip
    after = standing_from_events("S-1", retracted, "2024-01-10")
    assert after.stay is None
    assert after.appeal_since == "2024-01-06"
    decided = [*events, {**base, "id": "g", "type": "AppealDecided", "on": "2024-01-08",
                         "outcome": "overturned", "priority": "high"}]  # fmt: skip
    overturned = standing_from_events("S-1", decided, "2024-01-10")
    assert overturned.appeal_since is None
    assert overturned.waiting is not None and overturned.waiting.days == 2
