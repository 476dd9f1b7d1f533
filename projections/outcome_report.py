"""The outcome report for a year (FIGURES.md, contract v2), read from the read models: the
KOSTRA part and the outcomes of the help. The cut-off is the annual report's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.municipality import MOSS
from projections.annual_report import cutoff_of
from projections.db import ReadStore
from projections.homeless_outcomes import outcomes_section
from projections.kostra import kostra_section


def outcome_report(
    store: ReadStore, year: int, today: date, districts: Sequence[str] = MOSS.district_codes
) -> dict[str, Any]:
    """Every figure of the outcome report for the year, in contract order."""
    cutoff = cutoff_of(year, today).isoformat()
    with store.reading() as tx:
        return {
            "year": year,
            "kostra": kostra_section(tx, year, cutoff, today, districts),
            "outcomes": outcomes_section(tx, year, cutoff),
        }
