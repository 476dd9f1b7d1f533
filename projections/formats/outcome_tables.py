"""The outcome report as tables in the order and wording of KOSTRA skjema 13 (so that a leader
can copy it field by field into the form), then the outcomes of the help; and the data-quality
lists as one table of checks with their cases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from projections.formats.model import Cell, Row, Table, text
from projections.formats.status_tables import breakdown_rows, single_row
from projections.labels import label

SHARE_PATH = "kostra.temporary_housing.share_14_nights_or_fewer"


def outcome_tables(report: Mapping[str, Any]) -> list[Table]:
    """KOSTRA part first (dwellings, applications, allocations, waiting list, temporary
    housing), then homelessness in the year and returns to homelessness."""
    return [
        _table(report, "kostra_dwellings", _rows(report, "kostra.dwellings_at_end",
               ("municipal", "referral")), notes=(label("note.kostra"),)),
        _table(report, "kostra_applications", _rows(report, "kostra.applications",
               ("received", "new_households", "approved", "rejected"))),
        _table(report, "kostra_allocated", [
            single_row(report, "kostra.allocated.total", total=True),
            single_row(report, "kostra.allocated.new_households"),
            *breakdown_rows(report, "kostra.allocated.by_group"),
        ]),
        _table(report, "kostra_waiting_list", [
            single_row(report, "kostra.waiting_list_end.total", total=True),
            single_row(report, "kostra.waiting_list_end.new_households"),
            *breakdown_rows(report, "kostra.waiting_list_end.by_group"),
        ]),
        _table(report, "kostra_temporary_housing", [
            *_rows(report, "kostra.temporary_housing", ("households", "with_children", "nights",
                   "households_14_nights_or_fewer", "households_90_nights_or_more")),
            Row((text(label(SHARE_PATH)), share_cell(report))),
        ]),
        _table(report, "outcomes_homeless", _rows(report, "outcomes",
               ("homeless_in_year", "first_time_homeless", "median_days_homeless"))),
        _table(report, "outcomes_returns", _rows(report, "outcomes.returns_to_homelessness",
               ("cohort", "within_6_months", "within_12_months", "within_24_months")),
               notes=(label("note.returns"),)),
    ]  # fmt: skip


def share_cell(report: Mapping[str, Any]) -> Cell:
    """The share as a Norwegian reads it (24,4), «–» with no households."""
    value = report["kostra"]["temporary_housing"]["share_14_nights_or_fewer"]
    if isinstance(value, float | int) and not isinstance(value, bool):
        return Cell(f"{value:.1f}".replace(".", ","), SHARE_PATH)
    return Cell(value, SHARE_PATH)


def data_quality_table(report: Mapping[str, Any]) -> Table:
    """One row per check: its label, how many cases, and their refs."""
    rows = [
        Row((
            text(label(f"check.{check}")),
            Cell(len(refs), f"checks.{check}"),
            text(", ".join(refs) or label("word.no_cases")),
        ))
        for check, refs in report["checks"].items()
    ]  # fmt: skip
    columns = ("", label("word.count"), label("word.cases"))
    return Table("data_quality", label("table.data_quality"), columns, tuple(rows))


def _rows(report: Mapping[str, Any], block: str, names: tuple[str, ...]) -> list[Row]:
    return [single_row(report, f"{block}.{name}") for name in names]


def _table(
    report: Mapping[str, Any], key: str, rows: list[Row], notes: tuple[str, ...] = ()
) -> Table:
    columns = ("", f"{label('word.count')} {report['year']}")
    return Table(key, label(f"table.{key}"), columns, tuple(rows), notes=notes)
