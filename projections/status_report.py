"""The status report as of a day (FIGURES.md), read from the read models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.municipality import MOSS
from projections import dwellings, homeless, housing_first, leases, temporary_stays, waiting_list
from projections.db import ReadStore, Transaction
from projections.figure_definitions import LEASE_HORIZON_DAYS


def status_report(
    store: ReadStore, as_of: date, districts: Sequence[str] = MOSS.district_codes
) -> dict[str, Any]:
    """Every figure of the status report as of the day, in contract order."""
    with store.reading() as tx:
        return status_figures(tx, as_of.isoformat(), districts)


def status_figures(
    tx: Transaction, day: str, districts: Sequence[str] = MOSS.district_codes
) -> dict[str, Any]:
    return {
        "as_of": day,
        "waiting_list": waiting_list.status_section(tx, day),
        "homeless": homeless.status_section(tx, day),
        "temporary_housing": temporary_stays.status_section(tx, day),
        "dwellings": dwellings.status_section(tx, day, districts),
        "housing_first": {"enrolled": housing_first.enrolled_on(tx, day)},
        "leases_expiring_90_days": leases.expiring_within(tx, day, LEASE_HORIZON_DAYS),
    }
