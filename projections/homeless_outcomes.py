"""The outcomes part of the outcome report (FIGURES.md, contract v2), after HUD's System
Performance Measures 1, 2 and 5: who was homeless in the year, for the first time, for how
many days, and whether households settled from homelessness two years before came back.

Read from the homeless intervals (runs of homeless days per case) and the settlements.
"""

from __future__ import annotations

from typing import Any

from projections import homeless_intervals
from projections.db import Transaction
from projections.history import days_between, lower_median, shift

FIRST_TIME_LOOKBACK_DAYS = 730
RETURN_WINDOWS: dict[str, int] = {
    "within_6_months": 182,
    "within_12_months": 365,
    "within_24_months": 730,
}


def outcomes_section(tx: Transaction, year: int, cutoff: str) -> dict[str, Any]:
    first, end = f"{year}-01-01", shift(cutoff, 1)
    days: dict[str, int] = {}
    for ref, from_on, to_on in homeless_intervals.overlapping(tx, first, cutoff):
        held = days_between(max(from_on, first), min(to_on, end))
        if held > 0:  # none in a year that begins after the cut-off (today)
            days[ref] = days.get(ref, 0) + held
    before = homeless_intervals.cases_homeless_between(
        tx, shift(first, -FIRST_TIME_LOOKBACK_DAYS), shift(first, -1)
    )
    return {
        "homeless_in_year": len(days),
        "first_time_homeless": sum(1 for ref in days if ref not in before),
        "median_days_homeless": lower_median(list(days.values())),
        "returns_to_homelessness": _returns(tx, year, cutoff),
    }


def _returns(tx: Transaction, year: int, cutoff: str) -> dict[str, int]:
    """The cohort settled in Y−2 from homelessness and how many were homeless again within
    each window (to the cut-off)."""
    first, last = f"{year - 2}-01-01", min(f"{year - 2}-12-31", cutoff)
    cohort: dict[str, str] = {}  # case → its first settlement in Y−2 from homelessness
    returned: dict[str, int] = {}  # case → days from that settlement to its first homeless day
    for ref, settled_on, from_on, to_on in tx.query(
        # Each settlement in Y−2 with the case's homeless intervals that hold a day on or
        # after the day before it, in day order.
        "SELECT s.case_ref, s.settled_on, h.from_on, h.to_on"
        " FROM rm_settlements s JOIN rm_homeless_intervals h ON h.case_ref = s.case_ref"
        " AND h.to_on >= s.settled_on AND h.from_on <= ?"
        " WHERE s.settled_on >= ? AND s.settled_on <= ?"
        " ORDER BY s.case_ref, s.settled_on, h.from_on",
        (cutoff, first, last),
    ):
        ref, settled_on, from_on, to_on = str(ref), str(settled_on), str(from_on), str(to_on)
        if ref not in cohort and from_on < settled_on <= to_on:
            cohort[ref] = settled_on  # homeless on the day before the settlement
        if cohort.get(ref) != settled_on or ref in returned:
            continue
        after = max(from_on, shift(settled_on, 1))
        if after < to_on and after <= cutoff:
            returned[ref] = days_between(settled_on, after)
    return {
        "cohort": len(cohort),
        **{
            window: sum(1 for n in returned.values() if n <= limit)
            for window, limit in RETURN_WINDOWS.items()
        },
    }
