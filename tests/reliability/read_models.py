"""The whole state of the read models, to compare a crashed-and-resumed store with a rebuild."""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.annual_report import annual_report
from projections.db import ReadStore
from projections.runner import tables, tracked_positions
from projections.status_report import status_report

STATUS_DATES = (date(2023, 3, 31), date(2023, 6, 30), date(2023, 12, 31), date(2024, 6, 30))
ANNUAL_YEARS = (2022, 2023, 2024)
TODAY = date(2026, 11, 21)


def state(store: ReadStore) -> dict[str, Any]:
    """Every read-model table's rows (sorted), the tracked positions and the reports."""
    with store.reading() as tx:
        rows = {
            table.name: sorted(tx.query(f"SELECT * FROM {table.name}"), key=repr)
            for table in tables()
        }
        positions = tracked_positions(tx)
    return {
        "counts": {name: len(table_rows) for name, table_rows in rows.items()},
        "rows": rows,
        "positions": positions,
        "status": {str(d): status_report(store, d) for d in STATUS_DATES},
        "annual": {year: annual_report(store, year, TODAY) for year in ANNUAL_YEARS},
    }
