"""The status report as tables, laid out like the municipality's working table (VENTELISTE
MOSS KOMMUNE by group, UFB, dwellings by category with referral apart, dwellings by school
district grouped by area)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.municipality import MOSS
from projections.formats.model import (
    Cell,
    DistrictConfig,
    Row,
    Table,
    derived_sum,
    districts_in,
    figure,
    figure_block,
    norwegian_date,
    text,
)
from projections.labels import entry_label, label


def _count_column(report: Mapping[str, Any]) -> tuple[str, str]:
    return ("", f"{label('word.count')} {norwegian_date(report['as_of'])}")


def breakdown_rows(
    report: Mapping[str, Any],
    block: str,
    *,
    skip: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
) -> list[Row]:
    return [
        Row((text(entry_label(block, code)), figure(report, f"{block}.{code}")))
        for code in figure_block(report, block)
        if code not in skip and (only is None or code in only)
    ]


def single_row(report: Mapping[str, Any], path: str, *, total: bool = False) -> Row:
    return Row((text(label(path)), figure(report, path)), total=total)


def waiting_list(report: Mapping[str, Any]) -> Table:
    rows = [single_row(report, "waiting_list.total", total=True)]
    rows += breakdown_rows(report, "waiting_list.by_group")
    rows.append(single_row(report, "waiting_list.median_days_waiting"))
    return Table("waiting_list", label("table.waiting_list"), _count_column(report), tuple(rows))


def waiting_list_priority(report: Mapping[str, Any]) -> Table:
    rows = [single_row(report, "waiting_list.total", total=True)]
    rows += breakdown_rows(report, "waiting_list.by_priority")
    return Table(
        "waiting_list_priority",
        label("table.waiting_list_priority"),
        _count_column(report),
        tuple(rows),
    )


def homeless(report: Mapping[str, Any]) -> Table:
    rows = [
        single_row(report, "homeless.total", total=True),
        single_row(report, "homeless.with_children"),
        *breakdown_rows(report, "homeless.by_situation"),
    ]
    return Table(
        "homeless",
        label("table.homeless"),
        _count_column(report),
        tuple(rows),
        notes=(label("note.homeless"),),
    )


def dwellings(report: Mapping[str, Any]) -> Table:
    rows = [
        single_row(report, "dwellings.total_municipal", total=True),
        *breakdown_rows(report, "dwellings.by_category", skip=("referral",)),
        *breakdown_rows(report, "dwellings.by_category", only=("referral",)),
        single_row(report, "dwellings.occupied"),
        single_row(report, "dwellings.vacant"),
    ]
    return Table(
        "dwellings",
        label("table.dwellings"),
        _count_column(report),
        tuple(rows),
        notes=(label("note.dwellings"),),
    )


def dwellings_by_district(
    report: Mapping[str, Any], districts: DistrictConfig = MOSS.district_table
) -> Table:
    block = figure_block(report, "dwellings.by_district")
    columns = (
        label("word.area"),
        label("word.district"),
        label("dwellings.by_district.lifetime_standard"),
        label("dwellings.by_district.other"),
        label("word.sum"),
    )
    rows: list[Row] = []
    lifetime: list[Cell] = []
    other: list[Cell] = []
    for code, name, area in districts_in(block, districts):
        first = figure(report, f"dwellings.by_district.{code}.lifetime_standard")
        second = figure(report, f"dwellings.by_district.{code}.other")
        lifetime.append(first)
        other.append(second)
        rows.append(Row((text(area), text(name), first, second, derived_sum((first, second)))))
    rows.append(
        Row(
            (
                text(label("word.total")),
                text(""),
                derived_sum(lifetime),
                derived_sum(other),
                derived_sum(lifetime + other),
            ),
            total=True,
        )
    )
    return Table(
        "dwellings_by_district", label("table.dwellings_by_district"), columns, tuple(rows), stub=2
    )


def temporary_housing(report: Mapping[str, Any]) -> Table:
    paths = ("current_stays", "households_with_children", "over_90_nights", "median_nights")
    rows = [single_row(report, f"temporary_housing.{name}") for name in (*paths, "max_nights")]
    return Table(
        "temporary_housing", label("table.temporary_housing"), _count_column(report), tuple(rows)
    )


def follow_through(report: Mapping[str, Any]) -> Table:
    rows = (
        single_row(report, "housing_first.enrolled"),
        single_row(report, "leases_expiring_90_days"),
    )
    return Table("follow_through", label("table.follow_through"), _count_column(report), rows)


def status_tables(
    report: Mapping[str, Any], districts: DistrictConfig = MOSS.district_table
) -> list[Table]:
    """The status report's tables, in the order of the working table."""
    return [
        waiting_list(report),
        homeless(report),
        dwellings(report),
        dwellings_by_district(report, districts),
        waiting_list_priority(report),
        temporary_housing(report),
        follow_through(report),
    ]
