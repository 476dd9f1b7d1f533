"""What each chart of a report shows, independent of how it is drawn.

A `ChartSpec` holds a chart's title, its kind and its numbers as a `Table` (first column: the
category or period labels; every further column: one series). The HTML page draws a spec with
matplotlib (projections/formats/charts.py) and shows the table as the chart's text alternative;
the workbook writes the same table to a sheet and draws a native Excel chart over its cells
(projections/formats/xlsx_charts.py). One spec, so the picture, the table beside it and the
spreadsheet's chart cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from projections.formats.model import (
    Cell,
    DistrictConfig,
    Row,
    Table,
    Value,
    districts_in,
    month_name,
)
from projections.labels import label

ChartKind = Literal["line", "column", "bar"]


@dataclass(frozen=True)
class ChartSpec:
    """One chart: `table`'s first column labels the points, each further column is a series.

    `periods` are the points' raw periods ("2023-01" months or "2024" years) of a time axis,
    empty for categories; the charts label months by their Norwegian names from them.
    `sheet` is the chart's sheet name in a workbook (at most 31 characters, a full label).
    `series` is how many columns after the first are drawn (0: all; the rest are shown in
    the table only, as a plan's «on track» column).
    """

    key: str
    title: str
    kind: ChartKind
    table: Table
    sheet: str
    periods: tuple[str, ...] = ()
    value_title: str = ""
    decimals: int = 0
    series: int = 0

    @property
    def series_names(self) -> tuple[str, ...]:
        return self.table.columns[1 : 1 + self.series] if self.series else self.table.columns[1:]

    def values(self, series: int) -> list[Value]:
        """The values of the `series`-th series (0 = the first after the label column)."""
        return [row.cells[series + 1].value for row in self.table.rows]

    @property
    def point_labels(self) -> list[str]:
        return [str(row.cells[0].value) for row in self.table.rows]


def _over_time(
    key: str, column: str, items: Sequence[tuple[str, Value]], kind: ChartKind
) -> ChartSpec:
    title = label(f"chart.{key}")
    rows = tuple(Row((Cell(month_name(period)), Cell(value))) for period, value in items)
    table = Table(key, title, (label("word.month"), column), rows)
    return ChartSpec(
        key,
        title,
        kind,
        table,
        label(f"sheet.chart.{key}"),
        periods=tuple(period for period, _ in items),
        value_title=column,
    )


def _by_category(key: str, column: str, items: Sequence[tuple[str, Value]]) -> ChartSpec:
    title = label(f"chart.{key}")
    rows = tuple(Row((Cell(name), Cell(value))) for name, value in items)
    table = Table(key, title, ("", column), rows)
    return ChartSpec(key, title, "bar", table, label(f"sheet.chart.{key}"), value_title=column)


def _district_items(
    block: Mapping[str, Value], districts: DistrictConfig
) -> list[tuple[str, Value]]:
    items = [(name, block[code]) for code, name, _ in districts_in(block, districts)]
    if "unknown" in block:
        items.append((label("district.unknown"), block["unknown"]))
    return items


def chart_specs(
    report: Mapping[str, Any],
    kind: str,
    series: Mapping[str, Any] | None,
    districts: DistrictConfig,
) -> list[ChartSpec]:
    """The charts of a report of `kind`, with the monthly `series` the report JSON lacks."""
    series = series or {}
    out: list[ChartSpec] = []
    if kind == "status":
        by_group = report["waiting_list"]["by_group"]
        items = [(label(f"group.{code}"), value) for code, value in by_group.items()]
        out.append(_by_category("waiting_list_by_group", label("waiting_list.total"), items))
    if kind == "by_name_list":
        items = [(m["month"], m["active"]) for m in report["months"]]
        out.append(_over_time("by_name_active", label("months.active"), items, "column"))
    if "waiting_list_month_end" in series:
        out.append(
            _over_time(
                "waiting_list_month_end",
                label("waiting_list.total"),
                list(series["waiting_list_month_end"]),
                "line",
            )
        )
    if "nights_per_month" in series:
        out.append(
            _over_time(
                "nights_per_month",
                label("temporary_housing.nights"),
                list(series["nights_per_month"]),
                "column",
            )
        )
    complaints = series.get("complaints_by_district")
    if complaints is None and kind == "annual":
        complaints = report["complaints"]["by_district"]
    if complaints is not None:
        items = _district_items(complaints, districts)
        out.append(_by_category("complaints_by_district", label("word.count"), items))
    return out
