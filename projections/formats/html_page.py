"""A self-contained HTML page: inline CSS, inline SVG charts, no external resources.

Accessible by construction: ``lang="nb"``, captioned tables with ``scope`` on every header,
every chart a ``<figure>`` with a ``<figcaption>`` holding an SVG ``img`` with a title and a
description and its numbers as a table, dark ink on white, and a layout that stacks table rows
below 600 px so that nothing scrolls sideways on a 360 px phone. The page names the
municipality, the day it was made and what its figures mean.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any, TypedDict

from domain.municipality import MOSS
from projections.formats import charts
from projections.formats.chart_specs import ChartSpec, chart_specs
from projections.formats.front_matter import (
    definitions,
    made_on_line,
    municipality_line,
    municipality_title,
)
from projections.formats.model import (
    MOSS_NAME,
    DistrictConfig,
    NamedMunicipality,
    Row,
    Table,
    Value,
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
.place{margin:.5rem 0 0;font-weight:700}
dt{font-weight:700;margin-top:.5rem}
dd{margin:0 0 .25rem}
details{margin:.25rem 0 1rem}
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


def figure_html(spec: ChartSpec, ident: str) -> str:
    """A chart as a captioned ``<figure>``: the SVG (an image named by its title, described by
    its highest, lowest and last values) and, below it, its numbers as a table."""
    return (
        f'<section class="chart" aria-labelledby="{ident}-h">'
        f'<h2 id="{ident}-h">{escape(spec.title)}</h2>'
        f'<figure aria-labelledby="{ident}-h">{charts.chart_svg(spec, ident)}'
        f"<figcaption>{escape(label('note.chart_text_alternative'))}</figcaption>"
        f"<details><summary>{escape(label('chart.numbers'))}</summary>"
        f"{table_html(spec.table)}</details></figure></section>"
    )


def charts_for(
    report: Mapping[str, Any],
    kind: str,
    series: Series | None,
    districts: DistrictConfig = MOSS.district_table,
) -> list[tuple[str, Table | None]]:
    """The chart sections of a page (HTML), each a whole figure with its numbers' table (also
    given apart, for a caller that shows or checks the numbers)."""
    return charts_for_specs(chart_specs(report, kind, series, districts))


def charts_for_specs(specs: Sequence[ChartSpec]) -> list[tuple[str, Table | None]]:
    """Each chart's whole figure (see `figure_html`) with its numbers' table."""
    return [(figure_html(spec, f"c-{spec.key}"), spec.table) for spec in specs]


def _definitions_html(tables: Sequence[Table]) -> str:
    items = "".join(
        f"<dt>{escape(title)}</dt><dd>{escape(text)}</dd>" for title, text in definitions(tables)
    )
    if not items:
        return ""
    return (
        f'<section aria-labelledby="definitions-h"><h2 id="definitions-h">'
        f"{escape(label('front.definitions'))}</h2><dl>{items}</dl></section>\n"
    )


def render_html(
    tables: Sequence[Table],
    heading: str,
    chart_sections: Sequence[tuple[str, Table | None]] = (),
    *,
    municipality: NamedMunicipality = MOSS_NAME,
    made_on: date | None = None,
    tables_first: bool = False,
) -> str:
    """The page: the municipality and date, the heading, the charts (each with its numbers),
    every table (before the charts if `tables_first`), and what the figures mean."""
    made = made_on or date.today()
    parts = [
        '<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading)} – {escape(municipality_title(municipality))}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f'<p class="place">{escape(municipality_line(municipality))}</p>\n'
        f"<h1>{escape(heading)}</h1>\n"
        f'<p class="note">{escape(made_on_line(made))}</p>\n'
    ]
    figures = [section + "\n" for section, _numbers in chart_sections]
    sections = [f"<section>{table_html(table)}</section>\n" for table in tables]
    parts += [*sections, *figures] if tables_first else [*figures, *sections]
    hidden = any(
        cell.value in (SMALL, WITHHELD)
        for table in tables
        for row in table.rows
        for cell in row.cells
    )
    if hidden:
        parts.append(f'<p class="note">{escape(label("note.suppressed"))}</p>\n')
    shown = [*tables, *(numbers for _, numbers in chart_sections if numbers is not None)]
    parts.append(_definitions_html(shown))
    parts.append("</main>\n</body>\n</html>\n")
    return "".join(parts)


STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
"""The Content-Security-Policy source that lets a served report's own ``<style>`` apply."""
