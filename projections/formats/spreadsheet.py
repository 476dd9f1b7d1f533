"""Excel workbook export: one sheet per table, Norwegian headings, numbers stored as numbers."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from projections.formats.model import Table, show

TITLE_ROW = 1
HEADER_ROW = 3
MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (≤ 31 characters, none of []:*?/\\), unique in the book."""
    base = _FORBIDDEN.sub("-", title).strip("'")[:MAX_SHEET_NAME].rstrip()
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(name.lower())
    return name


def render_xlsx(tables: Sequence[Table], heading: str) -> bytes:
    """A workbook with one sheet per table: title in A1, a bold header row, then the rows.

    Integers are numeric cells; suppression markers («<5», «:») are text cells aligned right;
    a missing value (a median of nothing) is an empty cell.
    """
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.title, taken))
        sheet.cell(TITLE_ROW, 1, table.title).font = Font(bold=True, size=13)
        sheet.cell(TITLE_ROW + 1, 1, heading)
        for column, title in enumerate(table.columns, start=1):
            cell = sheet.cell(HEADER_ROW, column, title)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        for offset, row in enumerate(table.rows, start=1):
            for column, value in enumerate(row.cells, start=1):
                target = sheet.cell(HEADER_ROW + offset, column, value.value)
                if isinstance(value.value, str) and column > table.stub:
                    target.alignment = Alignment(horizontal="right")
                if row.total:
                    target.font = bold
        last = HEADER_ROW + len(table.rows)
        for number, note in enumerate(table.notes, start=2):
            sheet.cell(last + number, 1, note)
        for column, title in enumerate(table.columns, start=1):
            values = [show(row.cells[column - 1].value) for row in table.rows]
            width = max([len(v) for v in values] + [min(len(title), 30), 6])
            sheet.column_dimensions[get_column_letter(column)].width = width + 2
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, table.stub + 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
