"""Output formats for the reports: json, table (terminal text), csv, xlsx and html.

``render(report, kind, fmt)`` takes a report dict exactly as FIGURES.md defines it (status,
annual, by-name list or outcomes; possibly passed through ``projections.suppression.suppress``
first, so figures may be «<5» or «:») and returns text (``str``) or, for xlsx, ``bytes``.

Every format but json draws from the same tables (`tables_for`); xlsx and html also draw the
report's charts from the same `ChartSpec`s (chart_specs.py): native Excel charts over the
workbook's cells (xlsx_charts.py), matplotlib SVG inlined in the page (charts.py). The plan's
progress has its own renderer, plan_tables.render_plan.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.municipality import MOSS
from projections.formats.annual_tables import annual_tables, by_name_table
from projections.formats.chart_specs import chart_specs
from projections.formats.csv_file import render_csv
from projections.formats.html_page import Series, charts_for, render_html
from projections.formats.model import (
    MOSS_NAME,
    DistrictConfig,
    NamedMunicipality,
    Table,
    report_heading,
)
from projections.formats.outcome_tables import outcome_tables
from projections.formats.spreadsheet import render_xlsx
from projections.formats.status_tables import status_tables
from projections.formats.text_table import render_text

KINDS: tuple[str, ...] = ("status", "annual", "by_name_list", "outcomes")
FORMATS: tuple[str, ...] = ("json", "table", "csv", "xlsx", "html")


class UnknownFormatError(ValueError):
    """Raised when a report kind or an output format is not one this module renders."""


def tables_for(
    report: Mapping[str, Any], kind: str, districts: DistrictConfig = MOSS.district_table
) -> list[Table]:
    """The report as labelled tables (what every format but json shows)."""
    if kind == "status":
        return status_tables(report, districts)
    if kind == "annual":
        return annual_tables(report, districts)
    if kind == "by_name_list":
        return [by_name_table(report)]
    if kind == "outcomes":
        return outcome_tables(report)
    raise UnknownFormatError(f"unknown report kind {kind!r}; expected one of {', '.join(KINDS)}")


def render(
    report: Mapping[str, Any],
    kind: str,
    fmt: str,
    *,
    series: Series | None = None,
    districts: DistrictConfig = MOSS.district_table,
    heading: str | None = None,
    municipality: NamedMunicipality = MOSS_NAME,
    made_on: date | None = None,
) -> str | bytes:
    """Render a report of `kind` ("status", "annual", "by_name_list",
    "outcomes") as `fmt` ("json",
    "table", "csv", "xlsx", "html"). `series` (monthly figures for the charts) is used by the
    charts of xlsx and html; `districts` is the configured (code, name, area) list of school
    districts, `heading` the municipality's line (`Municipality.heading`) printed before the
    report's own heading; `municipality` (name, number) and `made_on` (default today) head the
    xlsx's front sheet and the html page."""
    if fmt not in FORMATS:
        raise UnknownFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "json":
        if kind not in KINDS:
            raise UnknownFormatError(f"unknown report kind {kind!r}")
        return json.dumps(report, ensure_ascii=False, indent=1)
    tables = tables_for(report, kind, districts)
    title = report_heading(report, kind)
    heading = f"{heading}: {title}" if heading else title
    if fmt == "table":
        return render_text(tables, heading)
    if fmt == "csv":
        return render_csv(tables)
    if fmt == "xlsx":
        charts = chart_specs(report, kind, series, districts)
        return render_xlsx(tables, heading, charts, municipality=municipality, made_on=made_on)
    return render_html(
        tables,
        heading,
        charts_for(report, kind, series, districts),
        municipality=municipality,
        made_on=made_on,
    )


__all__ = ["FORMATS", "KINDS", "Series", "UnknownFormatError", "render", "tables_for"]
