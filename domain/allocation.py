"""Which waiting households fit a vacant dwelling: the municipality's allocation rule.

The rule is configuration (`[allocation]` in the municipality file, docs/municipality.md):

- `rooms_needed`: the rooms a household needs by its size (adults + children): the first entry
  for one person, the second for two, and so on; a larger household than the list is long needs
  the last entry. Default `[1, 2, 2, 3, 3, 4]`.
- `extra_rooms`: how many rooms more than needed a dwelling may have and still fit (a single
  person is not offered a five-room flat). Default 2.
- `adapted_groups`: the groups that need an adapted dwelling (one of `adapted_categories`); a
  dwelling of those categories fits only them. Default `families_adapted`, `adults_adapted`
  and `lifetime_standard`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, NoReturn

from domain.values import CATEGORIES, GROUPS

ALLOCATION_KEYS = ("rooms_needed", "extra_rooms", "adapted_groups", "adapted_categories")


@dataclass(frozen=True)
class AllocationRule:
    """Rooms needed per household size, the slack allowed, and who needs adapted dwellings."""

    rooms_needed: tuple[int, ...] = (1, 2, 2, 3, 3, 4)
    extra_rooms: int = 2
    adapted_groups: tuple[str, ...] = ("families_adapted", "adults_adapted")
    adapted_categories: tuple[str, ...] = ("lifetime_standard",)

    def rooms_for(self, adults: int, children: int) -> int:
        """The rooms a household of this many adults and children needs."""
        size = max(1, adults + children)
        return self.rooms_needed[min(size, len(self.rooms_needed)) - 1]

    def fits(self, group: str, adults: int, children: int, category: str, rooms: int) -> bool:
        """Whether the household fits a dwelling of the category with this many rooms."""
        needed = self.rooms_for(adults, children)
        if not needed <= rooms <= needed + self.extra_rooms:
            return False
        return (group in self.adapted_groups) == (category in self.adapted_categories)


DEFAULT_ALLOCATION = AllocationRule()

Fail = Callable[[str, str], NoReturn]


def parse_allocation(raw: Any, fail: Fail) -> AllocationRule:
    """The `[allocation]` table of a municipality file; keys left out take the defaults."""
    if not isinstance(raw, dict):
        fail("allocation", "must be a table")
    for key in raw:
        if key not in ALLOCATION_KEYS:
            fail(f"allocation.{key}", f"is not a known key (expected {', '.join(ALLOCATION_KEYS)})")
    given: dict[str, Any] = {}
    if "rooms_needed" in raw:
        rooms = raw["rooms_needed"]
        if not isinstance(rooms, list) or not rooms or not all(_count(n) for n in rooms):
            fail("allocation.rooms_needed", "must be a non-empty array of whole numbers ≥ 1")
        if any(later < earlier for earlier, later in pairwise(rooms)):
            fail("allocation.rooms_needed", "must not need fewer rooms for a larger household")
        given["rooms_needed"] = tuple(rooms)
    if "extra_rooms" in raw:
        extra = raw["extra_rooms"]
        if not isinstance(extra, int) or isinstance(extra, bool) or extra < 0:
            fail("allocation.extra_rooms", f"must be a whole number ≥ 0 (got {extra!r})")
        given["extra_rooms"] = extra
    for key, allowed in (("adapted_groups", GROUPS), ("adapted_categories", CATEGORIES)):
        if key in raw:
            values = raw[key]
            if not isinstance(values, list) or not all(v in allowed for v in values):
                fail(f"allocation.{key}", f"must be an array of {', '.join(allowed)}")
            given[key] = tuple(values)
    return AllocationRule(**given)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1
