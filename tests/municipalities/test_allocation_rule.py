"""The allocation rule is the municipality's configuration (`[allocation]`, issue 13 goal 4):
Moss's file gives the defaults, another municipality may choose its own, and a broken table is
refused with a message naming the key."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from domain.allocation import DEFAULT_ALLOCATION, AllocationRule
from domain.municipality import MOSS, MunicipalityConfigError, parse_municipality
from tests.municipalities import TESTVIK


def with_allocation(**allocation: Any) -> dict[str, Any]:
    raw = tomllib.loads(TESTVIK.read_text())
    return {**raw, "allocation": allocation} if allocation else raw


def test_moss_gives_the_defaults_and_a_family_of_five_needs_three_rooms() -> None:
    assert MOSS.allocation == DEFAULT_ALLOCATION
    assert MOSS.allocation.rooms_for(2, 3) == 3
    assert MOSS.allocation.fits("families", 2, 3, "ordinary_municipal", 3)
    assert not MOSS.allocation.fits("families", 2, 3, "ordinary_municipal", 2)
    assert not MOSS.allocation.fits("families", 2, 3, "ordinary_municipal", 6)  # 3 more
    assert not MOSS.allocation.fits("families", 2, 3, "lifetime_standard", 3)
    assert MOSS.allocation.fits("adults_adapted", 1, 0, "lifetime_standard", 2)
    assert not MOSS.allocation.fits("adults_adapted", 1, 0, "ordinary_municipal", 2)
    assert MOSS.allocation.rooms_for(2, 9) == 4  # larger than the list: its last entry


def test_a_municipality_without_the_table_takes_the_defaults() -> None:
    assert parse_municipality(with_allocation()).allocation == DEFAULT_ALLOCATION


def test_a_municipality_may_choose_its_own_rule() -> None:
    chosen = parse_municipality(
        with_allocation(rooms_needed=[1, 1, 2], extra_rooms=0, adapted_groups=["families_adapted"])
    ).allocation
    assert chosen == AllocationRule((1, 1, 2), 0, ("families_adapted",), ("lifetime_standard",))
    assert chosen.fits("families", 2, 3, "ordinary_municipal", 2)
    assert not chosen.fits("families", 2, 3, "ordinary_municipal", 3)
    assert chosen.fits("adults_adapted", 1, 0, "ordinary_municipal", 1)


@pytest.mark.parametrize(
    ("allocation", "message"),
    [
        ({"rooms_needed": []}, "allocation.rooms_needed: must be a non-empty array"),
        ({"rooms_needed": [1, 0]}, "allocation.rooms_needed: must be a non-empty array"),
        ({"rooms_needed": [2, 1]}, "allocation.rooms_needed: must not need fewer rooms"),
        ({"extra_rooms": -1}, "allocation.extra_rooms: must be a whole number ≥ 0"),
        ({"adapted_groups": ["pensioners"]}, "allocation.adapted_groups: must be an array of"),
        ({"adapted_categories": ["castle"]}, "allocation.adapted_categories: must be an array"),
        ({"rooms": [1]}, "allocation.rooms: is not a known key"),
    ],
)
def test_a_broken_allocation_table_is_refused_naming_the_key(
    allocation: dict[str, Any], message: str
) -> None:
    with pytest.raises(MunicipalityConfigError, match=message.replace(".", r"\.")):
        parse_municipality(with_allocation(**allocation))
