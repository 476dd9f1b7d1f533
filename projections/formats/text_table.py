"""Plain-text tables for a terminal or a pipe: aligned columns, no colour, no box drawing."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from projections.formats.model import Table, show
from projections.labels import label
from projections.suppression import SMALL, WITHHELD

GAP = "  "
HEADER_WIDTH = 12


def _header_lines(table: Table, widths: list[int]) -> list[list[str]]:
    wrapped = [
        textwrap.wrap(title, max(widths[i], HEADER_WIDTH)) or [""] if i >= table.stub else [title]
        for i, title in enumerate(table.columns)
    ]
    height = max(len(lines) for lines in wrapped)
    # Figure headings sit at the bottom, right above their numbers.
    padded = [[""] * (height - len(lines)) + lines for lines in wrapped]
    return [[padded[i][line] for i in range(len(padded))] for line in range(height)]


def _body(table: Table) -> list[list[str]]:
    grid: list[list[str]] = []
    previous_area: str | None = None
    for row in table.rows:
        cells = [show(cell.value) for cell in row.cells]
        if table.stub == 2 and not row.total:
            # The area is written once, on the first row of its districts.
            area = cells[0]
            cells[0] = area if area != previous_area else ""
            previous_area = area
        if row.total:
            cells[0] = cells[0].upper()
        grid.append(cells)
    return grid


def _lines(table: Table) -> list[str]:
    body = _body(table)
    widths = [max([len(line[i]) for line in body] + [1]) for i in range(len(table.columns))]
    header = _header_lines(table, widths)
    widths = [max(widths[i], *(len(line[i]) for line in header)) for i in range(len(widths))]
    out = [table.title.upper(), "=" * len(table.title)]

    def join(line: list[str]) -> str:
        parts = [
            cell.ljust(widths[i]) if i < table.stub else cell.rjust(widths[i])
            for i, cell in enumerate(line)
        ]
        return GAP.join(parts).rstrip()

    out.extend(join(line) for line in header)
    out.append(GAP.join("-" * width for width in widths))
    out.extend(join(line) for line in body)
    out.extend(table.notes)
    return out


def render_text(tables: Sequence[Table], heading: str) -> str:
    """The tables under a heading, separated by blank lines, ending with a newline."""
    blocks = [heading, ""]
    for table in tables:
        blocks.extend(_lines(table))
        blocks.append("")
    suppressed = any(
        cell.value in (SMALL, WITHHELD)
        for table in tables
        for row in table.rows
        for cell in row.cells
    )
    if suppressed:
        blocks.extend([label("note.suppressed"), ""])
    return "\n".join(blocks)
