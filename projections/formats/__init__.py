"""Output formats for the reports: json, table (terminal text), csv, xlsx and html.

``render(report, kind, fmt)`` takes a report dict exactly as FIGURES.md defines it (status,
annual, by-name list or outcomes; possibly passed through ``projections.suppression.suppress``
first, so figures may be «<5» or «:») and returns text (``str``) or, for xlsx, ``bytes``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from domain.values import MOSS_DISTRICTS
from projections.formats.annual_tables import annual_tables, by_name_table
from projections.formats.csv_file import render_csv
from projections.formats.html_page import Series, charts_for, render_html
from projections.formats.model import DistrictConfig, Table, report_heading
from projections.formats.outcome_tables import outcome_tables
from projections.formats.spreadsheet import render_xlsx
from projections.formats.status_tables import status_tables
from projections.formats.text_table import render_text

KINDS: tuple[str, ...] = ("status", "annual", "by_name_list", "outcomes")
FORMATS: tuple[str, ...] = ("json", "table", "csv", "xlsx", "html")


class UnknownFormatError(ValueError):
    """Raised when a report kind or an output format is not one this module renders."""


def tables_for(
    report: Mapping[str, Any], kind: str, districts: DistrictConfig = MOSS_DISTRICTS
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
    districts: DistrictConfig = MOSS_DISTRICTS,
) -> str | bytes:
    """Render a report of `kind` ("status", "annual", "by_name_list", "outcomes") as `fmt` ("json",
    "table", "csv", "xlsx", "html"). `series` (monthly figures for the charts) is used by html
    only; `districts` is the configured (code, name, area) list of school districts."""
    if fmt not in FORMATS:
        raise UnknownFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "json":
        if kind not in KINDS:
            raise UnknownFormatError(f"unknown report kind {kind!r}")
        return json.dumps(report, ensure_ascii=False, indent=1)
    tables = tables_for(report, kind, districts)
    heading = report_heading(report, kind)
    if fmt == "table":
        return render_text(tables, heading)
    if fmt == "csv":
        return render_csv(tables)
    if fmt == "xlsx":
        return render_xlsx(tables, heading)
    return render_html(tables, heading, charts_for(report, kind, series, districts))


__all__ = ["FORMATS", "KINDS", "Series", "UnknownFormatError", "render", "tables_for"]
