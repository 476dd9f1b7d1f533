"""The annual report for a year (FIGURES.md), read from the read models.

The cut-off is the earlier of 31 December and today; flows count events dated from 1 January
to the cut-off. `today` is passed in, never read from the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.municipality import MOSS
from projections import (
    applications,
    complaints,
    follow_ups,
    housing_first,
    occupancy,
    temporary_stays,
    waiting_list,
)
from projections.db import ReadStore


def cutoff_of(year: int, today: date) -> date:
    """The earlier of 31 December of the year and today."""
    return min(date(year, 12, 31), today)


def annual_report(
    store: ReadStore, year: int, today: date, districts: Sequence[str] = MOSS.district_codes
) -> dict[str, Any]:
    """Every figure of the annual report for the year, in contract order."""
    first, cutoff = f"{year}-01-01", cutoff_of(year, today).isoformat()
    with store.reading() as tx:
        return {
            "year": year,
            "applications": applications.annual_section(tx, first, cutoff),
            "waiting_list": waiting_list.annual_section(tx, year, first, cutoff),
            "settlements": occupancy.settlements_section(tx, first, cutoff),
            "moved_out": occupancy.moved_out_section(tx, first, cutoff),
            "temporary_housing": temporary_stays.annual_section(tx, year, cutoff, today),
            "complaints": complaints.annual_section(tx, first, cutoff, districts),
            "follow_up": follow_ups.follow_up_section(tx, first, cutoff),
            "concerns": follow_ups.concerns_section(tx, first, cutoff),
            "housing_first": housing_first.annual_section(tx, first, cutoff),
        }
