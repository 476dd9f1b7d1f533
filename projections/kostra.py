"""The KOSTRA part of the outcome report (FIGURES.md, contract v2): what KOSTRA skjema 13 asks
of a year that these events carry — dwellings at the year's end, applications and allocations
with the "new" households among them, the waiting list at the end, and temporary housing.

A household is *new* on a day when it is not settled under a managed tenure (municipal rental
or a referral agreement) on that day: it does not already live in a municipal dwelling.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from projections import applications, dwellings, temporary_stays
from projections.db import Transaction
from projections.history import days_between, iso
from projections.kostra_facts import KOSTRA_GROUP_OF, KOSTRA_GROUPS, SETTLED_MANAGED_ON

SHORT_STAY_NIGHTS = 14  # "14 døgn eller mindre"
LONG_STAY_NIGHTS = 90  # "tre måneder eller mer"


def kostra_section(
    tx: Transaction, year: int, cutoff: str, today: date, districts: Iterable[str]
) -> dict[str, Any]:
    first = f"{year}-01-01"
    dwelling_figures = dwellings.status_section(tx, cutoff, tuple(districts))
    return {
        "dwellings_at_end": {
            "municipal": dwelling_figures["total_municipal"],
            "referral": dwelling_figures["by_category"]["referral"],
        },
        "applications": _applications(tx, first, cutoff),
        "allocated": _allocated(tx, first, cutoff),
        "waiting_list_end": _waiting_list_end(tx, cutoff),
        "temporary_housing": _temporary_housing(tx, year, cutoff, today),
    }


def by_kostra_group(counts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Counts by group summed into the KOSTRA groups, every one listed."""
    result = dict.fromkeys(KOSTRA_GROUPS, 0)
    for group, n in counts:
        result[KOSTRA_GROUP_OF[group]] += n
    return result


def _applications(tx: Transaction, first: str, cutoff: str) -> dict[str, int]:
    steps = applications.annual_section(tx, first, cutoff)
    row = tx.query_one(
        "SELECT COUNT(*) FROM rm_kostra_applications"
        " WHERE received_on >= ? AND received_on <= ? AND new_household = 1",
        (first, cutoff),
    )
    return {
        "received": steps["received"],
        "new_households": int(row[0]) if row else 0,
        "approved": steps["approved"],
        "rejected": steps["rejected"],
    }


def _allocated(tx: Transaction, first: str, cutoff: str) -> dict[str, Any]:
    by_group = dict.fromkeys(KOSTRA_GROUPS, 0)
    new = 0
    for group, is_new, n in tx.query(
        "SELECT kostra_group, new_household, COUNT(*) FROM rm_kostra_allocations"
        " WHERE settled_on >= ? AND settled_on <= ? GROUP BY kostra_group, new_household",
        (first, cutoff),
    ):
        by_group[str(group)] += int(n)
        new += int(n) if int(is_new) else 0
    return {"total": sum(by_group.values()), "new_households": new, "by_group": by_group}


def _waiting_list_end(tx: Transaction, cutoff: str) -> dict[str, Any]:
    counts: dict[str, int] = {}
    total = new = 0
    for group, is_new, n in tx.query(
        "SELECT w.grp, CASE WHEN EXISTS ("
        + SETTLED_MANAGED_ON.format(ref="w.case_ref", day="?")
        + ") THEN 0 ELSE 1 END, COUNT(*)"
        " FROM rm_waitlist_spans w WHERE w.to_on > ? AND w.from_on <= ? GROUP BY 1, 2",
        (cutoff, cutoff, cutoff, cutoff),
    ):
        counts[str(group)] = counts.get(str(group), 0) + int(n)
        total += int(n)
        new += int(n) if int(is_new) else 0
    return {"total": total, "new_households": new, "by_group": by_kostra_group(counts.items())}


def _temporary_housing(tx: Transaction, year: int, cutoff: str, today: date) -> dict[str, Any]:
    annual = temporary_stays.annual_section(tx, year, cutoff, today)
    first = f"{year}-01-01"
    nights_end = min(iso(date(year, 12, 31) + timedelta(days=1)), iso(today))
    nights: dict[str, int] = {}
    for ref, started_on, ended_on in tx.query(
        # The stays with nights in the year, as the annual report counts them.
        "SELECT case_ref, started_on, ended_on FROM rm_stays"
        " WHERE ended_on > ? AND started_on <= ? AND started_on < ?",
        (first, cutoff, nights_end),
    ):
        held = days_between(max(str(started_on), first), min(str(ended_on), nights_end))
        if held > 0:
            nights[str(ref)] = nights.get(str(ref), 0) + held
    short = sum(1 for n in nights.values() if n <= SHORT_STAY_NIGHTS)
    households = annual["households"]
    return {
        "households": households,
        "with_children": annual["households_with_children"],
        "nights": annual["nights"],
        "households_14_nights_or_fewer": short,
        "households_90_nights_or_more": sum(1 for n in nights.values() if n >= LONG_STAY_NIGHTS),
        "share_14_nights_or_fewer": share(short, households),
    }


def share(part: int, whole: int) -> float | None:
    """100 × part / whole with one decimal, halves rounded up; None when whole is 0."""
    if whole == 0:
        return None
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))
