"""The demo municipality's events obey EVENTS.md and look like Moss."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from domain.demo import generate, national_id, write_jsonl
from tests.conftest import SAMPLES
from tests.demo.rules import rule_problems, shape_problems

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def moss() -> list[dict[str, Any]]:
    return list(generate(2023, today=TODAY))


def _valid_fnr(value: str) -> bool:
    digits = [int(c) for c in value]

    def control(weights: tuple[int, ...], count: int) -> int:
        rest = 11 - sum(d * w for d, w in zip(digits[:count], weights, strict=True)) % 11
        return 0 if rest == 11 else rest

    k1 = control((3, 7, 6, 1, 8, 9, 4, 5, 2), 9)
    k2 = control((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), 10)
    return len(value) == 11 and k1 == digits[9] and k2 == digits[10]


def test_the_moss_scale_has_ten_to_eighteen_thousand_events_over_about_ten_years(
    moss: list[dict[str, Any]],
) -> None:
    assert 10_000 <= len(moss) <= 18_000
    years = {event["on"][:4] for event in moss}
    assert len(years) >= 10


def test_ids_are_unique_and_no_event_is_dated_after_today(moss: list[dict[str, Any]]) -> None:
    assert len({event["id"] for event in moss}) == len(moss)
    assert max(date.fromisoformat(event["on"]) for event in moss) <= TODAY


def test_every_event_has_exactly_the_keys_of_its_type(moss: list[dict[str, Any]]) -> None:
    problems = [problem for event in moss for problem in shape_problems(event, TODAY)]
    assert problems == []


def test_the_stream_obeys_every_case_and_dwelling_rule(moss: list[dict[str, Any]]) -> None:
    assert rule_problems(moss) == []


def test_the_small_scale_and_other_seeds_obey_the_rules_too() -> None:
    for seed in (1, 7, 99):
        events = list(generate(seed, today=date(2024, 6, 30), scale="small"))
        assert events
        assert rule_problems(events) == []
        assert [p for e in events for p in shape_problems(e, date(2024, 6, 30))] == []


def test_recording_order_is_by_day_except_a_few_backdated_entries(
    moss: list[dict[str, Any]],
) -> None:
    backdated = [later for earlier, later in pairwise(moss) if later["on"] < earlier["on"]]
    assert 0 < len(backdated) < len(moss) // 50
    assert {event["type"] for event in backdated} <= {"FollowUpLogged", "EventRetracted"}


def test_retractions_target_only_events_nothing_depends_on(moss: list[dict[str, Any]]) -> None:
    by_id = {event["id"]: event for event in moss}
    retractions = [event for event in moss if event["type"] == "EventRetracted"]
    assert retractions
    closed = {(e["case"], e["complaint"]) for e in moss if e["type"] == "ComplaintClosed"}
    for retraction in retractions:
        target = by_id[retraction["target"]]
        assert target["case"] == retraction["case"]
        assert target["type"] in ("FollowUpLogged", "ComplaintReceived")
        if target["type"] == "ComplaintReceived":
            assert (target["case"], target["complaint"]) not in closed


def test_national_ids_are_valid_and_follow_the_century_rule(moss: list[dict[str, Any]]) -> None:
    with_id = [e for e in moss if e["type"] == "CaseOpened" and "national_id" in e["person"]]
    assert len(with_id) > 100
    for event in with_id:
        value = event["person"]["national_id"]
        assert _valid_fnr(value), value
        individual, year = int(value[6:9]), int(value[4:6])
        opened = date.fromisoformat(event["on"])
        born = 2000 + year if 2000 + year <= opened.year - 18 else 1900 + year
        if born >= 2000:
            assert individual >= 500
        else:
            assert individual <= 499 or (born >= 1940 and individual >= 900)


@pytest.mark.parametrize(
    "name",
    [
        "double-occupancy.jsonl",
        "close-managed-tenancy.jsonl",
        "overlapping-stays.jsonl",
        "end-a-stay-already-ended.jsonl",
        "backdated-conflict.jsonl",
        "tenure-does-not-fit.jsonl",
    ],
)
def test_the_independent_rule_check_catches_the_shared_invalid_samples(name: str) -> None:
    path = SAMPLES / "invalid" / name
    events = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert rule_problems(events[:-1]) == []
    assert rule_problems(events) != []


def test_national_id_for_a_known_birth_date_is_valid() -> None:
    import random

    rng = random.Random(5)
    for born in (date(1945, 5, 8), date(1999, 12, 31), date(2004, 2, 29)):
        value = national_id(rng, born)
        assert value[:6] == f"{born:%d%m%y}" and _valid_fnr(value)


def test_the_dwelling_stock_looks_like_the_working_table(moss: list[dict[str, Any]]) -> None:
    registered = [e for e in moss if e["type"] == "DwellingRegistered"]
    categories = Counter(e["category"] for e in registered)
    assert 800 <= sum(n for c, n in categories.items() if c != "referral") <= 880
    assert 140 <= categories["referral"] <= 160
    districts = Counter(e["district"] for e in registered if e["category"] == "lifetime_standard")
    assert set(districts) == {"ramberg", "bytarnet", "mellos", "ekholt", "halmstad"}


def test_the_stream_has_every_kind_of_event(moss: list[dict[str, Any]]) -> None:
    from domain.values import EVENT_TYPES

    assert set(EVENT_TYPES) == {event["type"] for event in moss}


def test_the_same_seed_gives_the_same_events() -> None:
    first = list(generate(11, today=date(2024, 1, 1), scale="small"))
    again = list(generate(11, today=date(2024, 1, 1), scale="small"))
    other = list(generate(12, today=date(2024, 1, 1), scale="small"))
    assert first == again
    assert first != other


def test_write_jsonl_writes_one_json_object_a_line(tmp_path: Path) -> None:
    events = list(generate(3, today=date(2024, 1, 1), scale="small"))
    path = tmp_path / "demo.jsonl"
    assert write_jsonl(path, events) == len(events)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == events
