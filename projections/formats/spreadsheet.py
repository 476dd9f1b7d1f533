"""Excel workbook export: a front sheet (the municipality, the report, the day it was made, the
sheets and what their figures mean), one sheet per table, and one sheet per chart with its
numbers and a native Excel chart over them. Norwegian headings; numbers stored as numbers with
a thousands-separated number format; sheet names are full labels of at most 31 characters."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from projections.formats.chart_specs import ChartSpec
from projections.formats.front_matter import definitions, municipality_line
from projections.formats.model import MOSS_NAME, NamedMunicipality, Table, show
from projections.formats.xlsx_charts import DECIMAL_FORMAT, NUMBER_FORMAT, add_chart
from projections.labels import has_label, label

TITLE_ROW = 1
HEADER_ROW = 3
MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (≤ 31 characters, none of []:*?/\\), unique in the book.

    The callers give full names that fit (the label catalogue's ``sheet.*`` names); a longer
    title, of a table without a sheet name, is cut as the last resort."""
    base = _FORBIDDEN.sub("-", title).strip("'")[:MAX_SHEET_NAME].rstrip()
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(name.lower())
    return name


def table_sheet_title(table: Table) -> str:
    """The sheet name of a table: its title, or its short ``sheet.<key>`` label."""
    key = f"sheet.{table.key}"
    return label(key) if has_label(key) else table.title


def write_table(sheet: Worksheet, table: Table, heading: str) -> None:
    """Title in A1, the report's heading in A2, a bold header row, then the rows.

    Integers are numeric cells formatted «1 234»; a plan's path has one decimal; suppression
    markers («<5», «:») are text cells aligned right; a missing value is an empty cell."""
    sheet.cell(TITLE_ROW, 1, table.title).font = Font(bold=True, size=13)
    sheet.cell(TITLE_ROW + 1, 1, heading)
    for column, title in enumerate(table.columns, start=1):
        cell = sheet.cell(HEADER_ROW, column, title)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for offset, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row.cells, start=1):
            target = sheet.cell(HEADER_ROW + offset, column, value.value)
            assert isinstance(target, SheetCell)
            if isinstance(value.value, int):
                target.number_format = NUMBER_FORMAT
            elif isinstance(value.value, float):
                target.number_format = DECIMAL_FORMAT
            elif isinstance(value.value, str) and column > table.stub:
                target.alignment = Alignment(horizontal="right")
            if row.total:
                target.font = BOLD
    last = HEADER_ROW + len(table.rows)
    for number, note in enumerate(table.notes, start=2):
        sheet.cell(last + number, 1, note)
    for column, title in enumerate(table.columns, start=1):
        values = [show(row.cells[column - 1].value) for row in table.rows]
        width = max([len(v) for v in values] + [min(len(title), 30), 6])
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    sheet.freeze_panes = f"{get_column_letter(table.stub + 1)}{HEADER_ROW + 1}"


def _front(
    sheet: Worksheet,
    heading: str,
    municipality: NamedMunicipality,
    made_on: date,
    contents: Sequence[tuple[str, str]],
    defined: Sequence[tuple[str, str]],
) -> None:
    sheet.cell(1, 1, heading).font = Font(bold=True, size=14)
    sheet.cell(2, 1, label("front.municipality")).font = BOLD
    sheet.cell(2, 2, municipality_line(municipality))
    sheet.cell(3, 1, label("front.report")).font = BOLD
    sheet.cell(3, 2, heading)
    sheet.cell(4, 1, label("front.made_on")).font = BOLD
    sheet.cell(4, 2, made_on).number_format = "DD.MM.YYYY"
    row = 6
    sheet.cell(row, 1, label("front.sheets")).font = Font(bold=True, size=13)
    for name, title in contents:
        row += 1
        sheet.cell(row, 1, name)
        sheet.cell(row, 2, title)
    row += 2
    sheet.cell(row, 1, label("front.definitions")).font = Font(bold=True, size=13)
    row += 1
    sheet.cell(row, 1, label("front.figure")).font = BOLD
    sheet.cell(row, 2, label("front.definition")).font = BOLD
    for title, text in defined:
        row += 1
        sheet.cell(row, 1, title).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90


def render_xlsx(
    tables: Sequence[Table],
    heading: str,
    charts: Sequence[ChartSpec] = (),
    *,
    municipality: NamedMunicipality = MOSS_NAME,
    made_on: date | None = None,
) -> bytes:
    """The workbook: the front sheet, a sheet per table, then a sheet per chart."""
    book = Workbook()
    front = book.active
    assert isinstance(front, Worksheet)
    taken: set[str] = set()
    front.title = sheet_name(label("sheet.front"), taken)
    contents: list[tuple[str, str]] = []
    for table in tables:
        sheet = book.create_sheet(sheet_name(table_sheet_title(table), taken))
        write_table(sheet, table, heading)
        contents.append((sheet.title, table.title))
    for spec in charts:
        sheet = book.create_sheet(sheet_name(spec.sheet, taken))
        write_table(sheet, spec.table, heading)
        add_chart(sheet, spec, HEADER_ROW)
        contents.append((sheet.title, spec.title))
    every_table = [*tables, *(spec.table for spec in charts)]
    _front(
        front, heading, municipality, made_on or date.today(), contents, definitions(every_table)
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
