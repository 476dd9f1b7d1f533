"""Allocation support: the vacant municipal dwellings on a day, and for one of them the waiting
households that fit it (by the municipality's allocation rule, domain/allocation.py), in the
waiting list's order.

A municipal dwelling (every category but `referral`) is vacant on a day when it is registered
and not retired and no case is settled in it. It has been vacant since the latest settlement in
it ended (on or before the day), or since it was registered if no one has lived there.
Complaints at the address are those received in the year up to the day (the 365 days ending
on it) naming the dwelling, or made while the case was settled there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.allocation import AllocationRule
from projections.complaints import received_between
from projections.db import Transaction
from projections.dwellings import Dwelling, municipal_dwellings_in_use
from projections.history import days_between, shift
from projections.occupancy import last_vacated_on, occupied_dwellings_on
from projections.working_list import WaitingHousehold, working_list

COMPLAINT_WINDOW_DAYS = 365


@dataclass(frozen=True)
class VacantDwelling:
    """A vacant municipal dwelling on a day."""

    dwelling_ref: str
    category: str
    district: str
    rooms: int
    vacant_since: str
    days_vacant: int
    complaints_last_year: int


def vacant_dwellings(tx: Transaction, day: str) -> list[VacantDwelling]:
    """The vacant municipal dwellings on the day, longest vacant first, then by ref."""
    occupied = occupied_dwellings_on(tx, day)
    vacated = last_vacated_on(tx, day)
    complaints: dict[str, int] = {}
    for ref, _ in received_between(tx, shift(day, 1 - COMPLAINT_WINDOW_DAYS), day):
        if ref is not None:
            complaints[ref] = complaints.get(ref, 0) + 1
    rows = [
        _vacant(found, max(found.registered_on, vacated.get(ref, "")), day, complaints)
        for found in municipal_dwellings_in_use(tx, day)
        if (ref := found.dwelling_ref) not in occupied
    ]
    return sorted(rows, key=lambda d: (-d.days_vacant, d.dwelling_ref))


def _vacant(found: Dwelling, since: str, day: str, complaints: dict[str, int]) -> VacantDwelling:
    return VacantDwelling(
        found.dwelling_ref,
        found.category,
        found.district,
        found.rooms,
        since,
        days_between(since, day),
        complaints.get(found.dwelling_ref, 0),
    )


def households_that_fit(
    tx: Transaction,
    day: str,
    dwelling: VacantDwelling,
    rule: AllocationRule,
    *,
    hidden: Iterable[str] = (),
) -> list[WaitingHousehold]:
    """The waiting households on the day that fit the dwelling, in the waiting list's order."""
    return [
        household
        for household in working_list(tx, day, rule, hidden=hidden)
        if rule.fits(
            household.group,
            household.adults,
            household.children,
            dwelling.category,
            dwelling.rooms,
        )
    ]
