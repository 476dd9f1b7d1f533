"""Monthly by-name figures as Built for Zero counts them (FIGURES.md, last section).

A case is actively homeless on a day when it is homeless then and is in a stay or has a
counting event in the 90 days ending that day. Month ends run from the first one on or after
the earliest business date in the store through December of the year; a month is reported
once its last day has come (today is passed in).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from projections.case_status import cases_with_activity, earliest_case_day
from projections.db import ReadStore, Transaction
from projections.dwellings import earliest_dwelling_day
from projections.history import shift
from projections.homeless import homeless_on
from projections.occupancy import settled_cases

ACTIVITY_WINDOW_DAYS = 90


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_ends(first: date, last: date) -> Iterator[date]:
    """Every last day of a month from the first one on or after `first` through `last`."""
    year, month = first.year, first.month
    while (end := month_end(year, month)) <= last:
        yield end
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


FIGURES = (
    ("inflow", "newly_identified"),
    ("inflow", "returned_from_housing"),
    ("inflow", "returned_from_inactive"),
    ("outflow", "housed"),
    ("outflow", "inactive"),
    ("outflow", "no_longer_homeless"),
)


@dataclass(frozen=True)
class MonthCases:
    """The cases behind each count of one month: `active`, and each part of the inflow and the
    outflow by its name (FIGURES); the counts of `by_name_list` are the sizes of these sets."""

    month: str  # YYYY-MM
    active: frozenset[str]
    parts: dict[str, frozenset[str]]

    def cases(self, figure: str) -> frozenset[str]:
        """The cases behind `figure`: "active" or one of the inflow and outflow parts."""
        return self.active if figure == "active" else self.parts[figure]

    def counts(self) -> dict[str, Any]:
        month: dict[str, Any] = {"month": self.month, "active": len(self.active)}
        for group, name in FIGURES:
            month.setdefault(group, {})[name] = len(self.parts[name])
        return month


def by_name_list(store: ReadStore, year: int, today: date) -> dict[str, Any]:
    """The twelve months of the year (those ended by today), in order."""
    return {"year": year, "months": [m.counts() for m in by_name_cases(store, year, today)]}


def by_name_cases(store: ReadStore, year: int, today: date) -> list[MonthCases]:
    """The cases behind every count of the year's months (those ended by today), in order."""
    with store.reading() as tx:
        return month_cases(tx, year, today)


def month_cases(tx: Transaction, year: int, today: date) -> list[MonthCases]:
    """As `by_name_cases`, in a transaction the caller holds."""
    earliest = min(
        (d for d in (earliest_case_day(tx), earliest_dwelling_day(tx)) if d), default=None
    )
    if earliest is None:
        return []
    last_active: dict[str, str] = {}
    previous: set[str] = set()
    months: list[MonthCases] = []
    for end in month_ends(date.fromisoformat(earliest), min(date(year, 12, 31), today)):
        day = end.isoformat()
        homeless = {case.case_ref: case for case in homeless_on(tx, day)}
        recent = cases_with_activity(tx, shift(day, 1 - ACTIVITY_WINDOW_DAYS), day)
        active = {ref for ref, case in homeless.items() if case.in_stay or ref in recent}
        if end.year == year:
            inflow = active - previous
            outflow = previous - active
            returned = _settled_since(
                tx, {ref: last_active[ref] for ref in inflow if ref in last_active}, day
            )
            housed = settled_cases(tx, day) & outflow
            inactive = {
                ref
                for ref in outflow - housed
                if ref in homeless and not homeless[ref].in_stay and ref not in recent
            }
            parts = {
                "newly_identified": {ref for ref in inflow if ref not in last_active},
                "returned_from_housing": returned,
                "returned_from_inactive": {
                    ref for ref in inflow if ref in last_active and ref not in returned
                },
                "housed": housed,
                "inactive": inactive,
                "no_longer_homeless": outflow - housed - inactive,
            }
            months.append(
                MonthCases(
                    day[:7],
                    frozenset(active),
                    {name: frozenset(refs) for name, refs in parts.items()},
                )
            )
        last_active.update(dict.fromkeys(active, day))
        previous = active
    return months


def _settled_since(tx: Transaction, since: dict[str, str], day: str) -> set[str]:
    """The cases settled on some day after their given day, up to and including `day`."""
    if not since:
        return set()
    refs = sorted(since)
    marks = ", ".join("?" for _ in refs)
    return {
        str(ref)
        for ref, settled_on, ended_on in tx.query(
            "SELECT case_ref, settled_on, ended_on FROM rm_settlements"
            f" WHERE case_ref IN ({marks})",
            refs,
        )
        if max(settled_on, shift(since[str(ref)], 1)) < min(ended_on, shift(day, 1))
    }
