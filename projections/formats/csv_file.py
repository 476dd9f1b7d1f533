"""CSV export: one file in long form, one line per figure.

Columns: Tabell; Rad; Kolonne; Verdi; Nøkkel. «Tabell», «Rad» and «Kolonne» are the Norwegian
labels a reader sees in the other formats; «Verdi» is the number (no thousands separator), a
suppression marker («<5», «:») or empty where there is no value (a median of nothing);
«Nøkkel» is the figure's JSON path in FIGURES.md (empty for a sum the table adds).

The long form keeps every table in one file that a spreadsheet pivots and a script filters,
whatever the width of each table. The separator is a semicolon, as Norwegian spreadsheet
programs expect (the comma is the decimal sign); the text is UTF-8 and starts with a
byte-order mark, without which Excel reads the file as Windows-1252 and shows «Ã¸» for «ø».
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from projections.formats.model import Table
from projections.labels import label

DELIMITER = ";"
BOM = "\ufeff"


def header() -> tuple[str, ...]:
    return tuple(label(f"word.{name}") for name in ("table", "row", "column", "value", "key"))


def render_csv(tables: Sequence[Table]) -> str:
    """The tables as one semicolon-separated text: a byte-order mark, the header, then a line
    per figure, lines ending in CRLF."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER)
    writer.writerow(header())
    for table in tables:
        for row in table.rows:
            row_label = " – ".join(
                str(cell.value) for cell in row.cells[: table.stub] if cell.value
            )
            for column, cell in zip(
                table.columns[table.stub :], row.cells[table.stub :], strict=True
            ):
                value = "" if cell.value is None else str(cell.value)
                writer.writerow((table.title, row_label, column, value, cell.key or ""))
    return out.getvalue()
