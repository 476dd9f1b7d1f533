"""Dwellings and the waiting list as of a day, from the read models, in the API's shapes."""

from __future__ import annotations

from datetime import date

from api.models import DwellingOut, WaitingListEntry
from projections.case_status import profiles_on
from projections.db import Transaction
from projections.dwellings import Dwelling, dwelling, dwellings_registered_by
from projections.history import END_OF_TIME, days_between
from projections.occupancy import occupied_among
from projections.waiting_list import members_on

PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2}


def _dwelling(found: Dwelling, occupied: set[str]) -> DwellingOut:
    return DwellingOut(
        ref=found.dwelling_ref,
        category=found.category,
        district=found.district,
        rooms=found.rooms,
        registered_on=date.fromisoformat(found.registered_on),
        retired_on=None
        if found.retired_on == END_OF_TIME
        else date.fromisoformat(found.retired_on),
        retirement_reason=found.retirement_reason,
        occupied=found.dwelling_ref in occupied,
    )


def list_dwellings(
    tx: Transaction,
    day: str,
    category: str | None,
    district: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[DwellingOut]]:
    """Dwellings registered by the day, ordered by ref, with whether a case lives there."""
    total, found = dwellings_registered_by(tx, day, category, district, limit, offset)
    occupied = occupied_among(tx, day, [d.dwelling_ref for d in found])
    return total, [_dwelling(d, occupied) for d in found]


def one_dwelling(tx: Transaction, day: str, ref: str) -> DwellingOut | None:
    found = dwelling(tx, ref)
    return None if found is None else _dwelling(found, occupied_among(tx, day, [ref]))


def waiting_list(tx: Transaction, as_of: date, hidden: frozenset[str]) -> list[WaitingListEntry]:
    """Members on the day, by priority and then by how long they have waited."""
    day = as_of.isoformat()
    members = [m for m in members_on(tx, day) if m[0] not in hidden]
    profiles = profiles_on(tx, ((ref, day) for ref, _, _ in members))
    entries = [
        WaitingListEntry(
            case=ref,
            priority=priority,
            joined_on=date.fromisoformat(joined_on),
            days_waiting=days_between(joined_on, day),
            group=profiles[(ref, day)].group,
        )
        for ref, priority, joined_on in members
    ]
    return sorted(entries, key=lambda e: (PRIORITY_ORDER.get(e.priority, 9), e.joined_on, e.case))
