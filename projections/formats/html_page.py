"""A self-contained HTML page: inline CSS, inline SVG charts, no external resources.

Accessible by construction: ``lang="nb"``, captioned tables with ``scope`` on every header,
every chart an ``img`` with a title and a description (and its numbers in a table), dark ink on
white, and a layout that stacks table rows below 600 px so that nothing scrolls sideways on a
360 px phone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, TypedDict

from domain.municipality import MOSS
from projections.formats import charts
from projections.formats.model import (
    Cell,
    DistrictConfig,
    Row,
    Table,
    Value,
    districts_in,
    month_name,
    show,
)
from projections.labels import label
from projections.suppression import SMALL, WITHHELD


class Series(TypedDict, total=False):
    """Monthly series the report JSON does not carry, computed by the projections."""

    waiting_list_month_end: Sequence[tuple[str, Value]]  # ("2023-01", 190): members at month end
    nights_per_month: Sequence[tuple[str, Value]]  # ("2023-01", 420): nights in that month
    complaints_by_district: Mapping[str, Value]  # district code (or "unknown") → complaints


CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;
background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
figure{margin:0 0 1rem}
svg{display:block;width:100%;max-width:36rem;height:auto}
figcaption,.note{font-size:.9rem;color:#3d3d3d}
table{border-collapse:collapse;width:100%;margin:0 0 .5rem}
caption{text-align:left;font-weight:700;font-size:1.1rem;padding:.25rem 0}
th,td{padding:.3rem .5rem;border-bottom:1px solid #b3b3b3;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
thead th{border-bottom:2px solid #1a1a1a;vertical-align:bottom}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total th,tr.total td{font-weight:700;border-top:2px solid #1a1a1a}
abbr{text-decoration:none;cursor:help}
@media (max-width:600px){
 table,thead,tbody,tr,th,td,caption{display:block}
 thead tr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 tr{border-bottom:1px solid #b3b3b3;padding:.25rem 0}
 th,td{border:0;padding:.1rem 0}
 td.n{text-align:left;white-space:normal}
 td[data-label]::before{content:attr(data-label) ": ";font-weight:400;color:#3d3d3d}
 tr.total th,tr.total td{border-top:0}
}
"""


def _number(value: Value) -> str:
    if value == SMALL:
        return f'<abbr title="{escape(label("note.suppressed"))}">&lt;5</abbr>'
    if value == WITHHELD:
        return f'<abbr title="{escape(label("note.suppressed"))}">:</abbr>'
    return escape(show(value, space="\u00a0"))


def _row(table: Table, row: Row, previous_area: str | None) -> str:
    cells = []
    for index, cell in enumerate(row.cells):
        column = escape(table.columns[index]) if table.columns[index] else ""
        label_attr = f' data-label="{column}"' if column else ""
        if index < table.stub:
            value = str(cell.value or "")
            if table.stub == 2 and index == 0 and not row.total and value == previous_area:
                value = ""
            tag = "th" if index == table.stub - 1 or row.total else "td"
            scope = ' scope="row"' if tag == "th" else ""
            role = ' role="rowheader"' if tag == "th" else ' role="cell"'
            cells.append(f"<{tag}{scope}{role}>{escape(value)}</{tag}>")
        else:
            cells.append(f'<td class="n" role="cell"{label_attr}>{_number(cell.value)}</td>')
    css = ' class="total"' if row.total else ""
    return f'<tr role="row"{css}>{"".join(cells)}</tr>'


def table_html(table: Table) -> str:
    head = "".join(
        f'<th scope="col" role="columnheader">{escape(title)}</th>' for title in table.columns
    )
    body = []
    previous: str | None = None
    for row in table.rows:
        body.append(_row(table, row, previous))
        previous = str(row.cells[0].value) if table.stub == 2 else None
    notes = "".join(f'<p class="note">{escape(note)}</p>' for note in table.notes)
    return (
        f'<table role="table"><caption>{escape(table.title)}</caption>'
        f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>'
        f'<tbody role="rowgroup">{"".join(body)}</tbody></table>{notes}'
    )


def _figure(ident: str, title: str, svg: str) -> str:
    return (
        f'<section aria-labelledby="{ident}-h"><h2 id="{ident}-h">{escape(title)}</h2>'
        f"<figure>{svg}<figcaption>{escape(label('note.chart_text_alternative'))}"
        "</figcaption></figure></section>"
    )


def _series_table(title: str, column: str, items: Sequence[tuple[str, Value]]) -> Table:
    rows = tuple(Row((Cell(month_name(period)), Cell(value))) for period, value in items)
    return Table("series", title, (label("word.month"), column), rows)


def _district_items(
    block: Mapping[str, Value], districts: DistrictConfig
) -> list[tuple[str, Value]]:
    items = [(name, block[code]) for code, name, _ in districts_in(block, districts)]
    if "unknown" in block:
        items.append((label("district.unknown"), block["unknown"]))
    return items


def charts_for(
    report: Mapping[str, Any],
    kind: str,
    series: Series | None,
    districts: DistrictConfig = MOSS.district_table,
) -> list[tuple[str, Table | None]]:
    """The chart sections of a page (HTML), each with the table that gives its numbers."""
    series = series or {}
    out: list[tuple[str, Table | None]] = []
    if kind == "status":
        by_group = report["waiting_list"]["by_group"]
        items = [(label(f"group.{code}"), value) for code, value in by_group.items()]
        title = label("chart.waiting_list_by_group")
        out.append((_figure("c-group", title, charts.bar_chart("c-group", title, items)), None))
    if kind == "by_name_list":
        items = [(m["month"], m["active"]) for m in report["months"]]
        title = label("chart.by_name_active")
        svg = charts.column_chart("c-active", title, items)
        out.append((_figure("c-active", title, svg), None))
    if "waiting_list_month_end" in series:
        items = list(series["waiting_list_month_end"])
        title = label("chart.waiting_list_month_end")
        table = _series_table(title, label("waiting_list.total"), items)
        out.append((_figure("c-wl", title, charts.line_chart("c-wl", title, items)), table))
    if "nights_per_month" in series:
        items = list(series["nights_per_month"])
        title = label("chart.nights_per_month")
        table = _series_table(title, label("temporary_housing.nights"), items)
        out.append((_figure("c-n", title, charts.column_chart("c-n", title, items)), table))
    complaints = series.get("complaints_by_district")
    if complaints is None and kind == "annual":
        complaints = report["complaints"]["by_district"]
    if complaints is not None:
        items = _district_items(complaints, districts)
        title = label("chart.complaints_by_district")
        out.append((_figure("c-k", title, charts.bar_chart("c-k", title, items)), None))
    return out


def render_html(
    tables: Sequence[Table],
    heading: str,
    chart_sections: Sequence[tuple[str, Table | None]] = (),
) -> str:
    """The page: heading, charts (each followed by its numbers), then every table."""
    parts = [
        '<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(heading)}</h1>\n"
    ]
    for section, numbers in chart_sections:
        parts.append(section + "\n")
        if numbers is not None:
            parts.append(f"<details><summary>{escape(numbers.title)}</summary>")
            parts.append(table_html(numbers) + "</details>\n")
    for table in tables:
        parts.append(f"<section>{table_html(table)}</section>\n")
    hidden = any(
        cell.value in (SMALL, WITHHELD)
        for table in tables
        for row in table.rows
        for cell in row.cells
    )
    if hidden:
        parts.append(f'<p class="note">{escape(label("note.suppressed"))}</p>\n')
    parts.append(f'<p class="note">{escape(label("word.figure_definitions"))}</p>\n')
    parts.append("</main>\n</body>\n</html>\n")
    return "".join(parts)
