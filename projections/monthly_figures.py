"""Built for Zero monthly by-name figures (FIGURES.md, last section) as counted when each month
ended: the figures page's chart reads them from here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from projections.by_name_list import FIGURES
from projections.db import ReadStore, Table, Transaction
from projections.kept_tables import ensure_tables

BY_NAME_MONTHS = Table(
    "by_name_months",
    (
        ("month", "TEXT NOT NULL"),
        ("active", "INTEGER NOT NULL"),
        *((name, "INTEGER NOT NULL") for _, name in FIGURES),
        ("counted_at", "TEXT NOT NULL"),
        ("position", "BIGINT NOT NULL"),
    ),
    primary_key=("month",),
)
TABLES = (BY_NAME_MONTHS,)


def stored_months(tx: Transaction) -> set[str]:
    return {str(month) for (month,) in tx.query("SELECT month FROM by_name_months")}


def store_month(
    tx: Transaction, figures: Mapping[str, Any], counted_at: str, position: int
) -> None:
    tx.execute(
        BY_NAME_MONTHS.insert_statement(),
        (
            figures["month"],
            figures["active"],
            *(figures[group][name] for group, name in FIGURES),
            counted_at,
            position,
        ),
    )


def store_new_months(
    store: ReadStore, months: Sequence[Mapping[str, Any]], counted_at: str, position: int
) -> list[str]:
    """Store the months (each in the shape of a month of `report --by-name-list`) that are not
    stored yet, as counted at `counted_at` from the read models at `position`; the months
    stored."""
    ensure_tables(store, TABLES)
    with store.transaction() as tx:
        known = stored_months(tx)
        new = [month for month in months if month["month"] not in known]
        for month in new:
            store_month(tx, month, counted_at, position)
    return [str(month["month"]) for month in new]


def monthly_by_name_figures(
    store: ReadStore, first: str = "0000-00", last: str = "9999-99"
) -> list[dict[str, Any]]:
    """The stored months from `first` to `last` (YYYY-MM), in order, each in the shape of a
    month of `report --by-name-list`, with when it was counted."""
    columns = ", ".join(BY_NAME_MONTHS.column_names)
    ensure_tables(store, TABLES)
    with store.reading() as tx:
        rows = tx.query(
            f"SELECT {columns} FROM by_name_months WHERE month >= ? AND month <= ? ORDER BY month",
            (first, last),
        )
    months = []
    for row in rows:
        values = dict(zip(BY_NAME_MONTHS.column_names, row, strict=True))
        month: dict[str, Any] = {"month": str(values["month"]), "active": int(values["active"])}
        for group, name in FIGURES:
            month.setdefault(group, {})[name] = int(values[name])
        month["counted_at"] = str(values["counted_at"])
        months.append(month)
    return months
