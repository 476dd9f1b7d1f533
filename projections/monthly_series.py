"""Month-by-month figures of a year for the charts: waiting list at each month end, nights in
temporary housing per month. Computed from the read models, counted as FIGURES.md counts them."""

from __future__ import annotations

from datetime import date, timedelta

from projections.annual_report import cutoff_of
from projections.db import ReadStore
from projections.formats.html_page import Series
from projections.history import days_between, iso
from projections.waiting_list import count_on


def month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def monthly_series(store: ReadStore, year: int, today: date) -> Series:
    """The year's months up to the report's cut-off; nights as the annual report counts them
    (an open stay up to and including 31 December, or yesterday in the current year)."""
    cutoff = cutoff_of(year, today)
    months = [m for m in range(1, 13) if date(year, m, 1) <= cutoff]
    nights_end = min(date(year + 1, 1, 1), today)
    nights = dict.fromkeys(months, 0)
    with store.reading() as tx:
        waiting = [
            (f"{year}-{m:02d}", count_on(tx, iso(min(month_end(year, m), cutoff)))) for m in months
        ]
        for started_on, ended_on in tx.query(
            "SELECT started_on, ended_on FROM rm_stays"
            " WHERE ended_on > ? AND started_on <= ? AND started_on < ?",
            (f"{year}-01-01", iso(cutoff), iso(nights_end)),
        ):
            for m in months:
                first = max(started_on, f"{year}-{m:02d}-01")
                end = min(ended_on, iso(month_end(year, m) + timedelta(days=1)), iso(nights_end))
                if first < end:
                    nights[m] += days_between(first, end)
    return {
        "waiting_list_month_end": waiting,
        "nights_per_month": [(f"{year}-{m:02d}", nights[m]) for m in months],
    }
