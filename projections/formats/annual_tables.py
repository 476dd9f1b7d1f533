"""The annual report and the monthly by-name list as tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.municipality import MOSS
from projections.formats.model import (
    DistrictConfig,
    Row,
    Table,
    districts_in,
    figure,
    figure_block,
    month_name,
    text,
)
from projections.formats.status_tables import breakdown_rows, single_row
from projections.labels import entry_label, label


def _columns(report: Mapping[str, Any]) -> tuple[str, str]:
    return ("", f"{label('word.count')} {report['year']}")


def _table(key: str, report: Mapping[str, Any], rows: list[Row]) -> Table:
    return Table(key, label(f"table.{key}"), _columns(report), tuple(rows))


def _singles(report: Mapping[str, Any], block: str, names: tuple[str, ...]) -> list[Row]:
    return [single_row(report, f"{block}.{name}") for name in names]


def applications(report: Mapping[str, Any]) -> Table:
    names = ("received", "approved", "rejected", "appeals_received", "appeals_overturned")
    return _table("applications", report, _singles(report, "applications", names))


def waiting_list_flow(report: Mapping[str, Any]) -> Table:
    rows = _singles(report, "waiting_list", ("start", "joined", "left_settled"))
    rows += _singles(report, "waiting_list", ("left_withdrawn", "left_closed"))
    rows.append(single_row(report, "waiting_list.end", total=True))
    rows.append(single_row(report, "waiting_list.median_days_to_settlement"))
    return _table("waiting_list_flow", report, rows)


def _total_and_breakdown(key: str, report: Mapping[str, Any], total: str, block: str) -> Table:
    rows = [single_row(report, total, total=True), *breakdown_rows(report, block)]
    return _table(key, report, rows)


def temporary_housing_year(report: Mapping[str, Any]) -> Table:
    names = (
        "stays_started",
        "nights",
        "households",
        "households_with_children",
        "stays_over_90_nights",
        "median_nights_ended",
    )
    return _table("temporary_housing_year", report, _singles(report, "temporary_housing", names))


def complaints_by_district(
    report: Mapping[str, Any], districts: DistrictConfig = MOSS.district_table
) -> Table:
    block = figure_block(report, "complaints.by_district")
    rows = [
        Row((text(area), text(name), figure(report, f"complaints.by_district.{code}")))
        for code, name, area in districts_in(block, districts)
    ]
    if "unknown" in block:
        unknown = entry_label("complaints.by_district", "unknown")
        rows.append(
            Row((text(""), text(unknown), figure(report, "complaints.by_district.unknown")))
        )
    rows.append(
        Row(
            (text(label("word.total")), text(""), figure(report, "complaints.received")),
            total=True,
        )
    )
    columns = (label("word.area"), label("word.district"), _columns(report)[1])
    return Table(
        "complaints_by_district",
        label("table.complaints_by_district"),
        columns,
        tuple(rows),
        stub=2,
    )


def follow_up(report: Mapping[str, Any]) -> Table:
    measures = ("contacts", "minutes", "households")
    columns = ("", *(label(f"follow_up.by_team.{name}") for name in measures))
    rows = [
        Row(
            (
                text(entry_label("follow_up.by_team", team)),
                *(figure(report, f"follow_up.by_team.{team}.{name}") for name in measures),
            )
        )
        for team in figure_block(report, "follow_up.by_team")
    ]
    return Table("follow_up", label("table.follow_up"), columns, tuple(rows))


def annual_tables(
    report: Mapping[str, Any], districts: DistrictConfig = MOSS.district_table
) -> list[Table]:
    """The annual report's tables, in the order of the report."""
    return [
        applications(report),
        waiting_list_flow(report),
        _total_and_breakdown(
            "settlements_by_tenure", report, "settlements.total", "settlements.by_tenure"
        ),
        _total_and_breakdown(
            "settlements_by_group", report, "settlements.total", "settlements.by_group"
        ),
        _total_and_breakdown("moved_out", report, "moved_out.total", "moved_out.by_reason"),
        temporary_housing_year(report),
        complaints_by_district(report, districts),
        _total_and_breakdown(
            "complaints_by_category", report, "complaints.received", "complaints.by_category"
        ),
        _table("complaints_closed", report, breakdown_rows(report, "complaints.closed_by_outcome")),
        follow_up(report),
        _table("concerns", report, breakdown_rows(report, "concerns.by_recipient")),
        _table(
            "housing_first_year",
            report,
            _singles(report, "housing_first", ("new", "ended", "enrolled_end")),
        ),
    ]


BY_NAME_FIGURES = (
    "active",
    "inflow.newly_identified",
    "inflow.returned_from_housing",
    "inflow.returned_from_inactive",
    "outflow.housed",
    "outflow.inactive",
    "outflow.no_longer_homeless",
)


def by_name_table(report: Mapping[str, Any]) -> Table:
    """The monthly by-name figures, one row per month."""
    columns = [label("months.month")]
    for name in BY_NAME_FIGURES:
        group, _, _ = name.rpartition(".")
        prefix = f"{label('months.' + group)}: " if group else ""
        columns.append(prefix + label(f"months.{name}"))
    rows = []
    for index, month in enumerate(report["months"]):
        cells = [text(month_name(month["month"]))]
        cells += [figure(report, f"months.{index}.{name}") for name in BY_NAME_FIGURES]
        rows.append(Row(tuple(cells)))
    return Table("by_name_list", label("table.by_name_list"), tuple(columns), tuple(rows))
