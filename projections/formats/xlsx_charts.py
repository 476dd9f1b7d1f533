"""Native Excel charts (openpyxl's charts) over the cells of a sheet.

A chart sheet holds a `ChartSpec`'s table from `HEADER_ROW` down (labels in column A, one
series per further column) and a chart whose series refer to those cells, so the chart a
reader sees in Excel is the numbers beside it and changes with them.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from projections.formats.chart_specs import ChartSpec

COLOURS = ("1F5A96", "A33B00", "2E6B30")
NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"


def _chart(spec: ChartSpec) -> BarChart | LineChart:
    if spec.kind == "line":
        return LineChart()
    chart = BarChart()
    chart.type = "bar" if spec.kind == "bar" else "col"
    chart.gapWidth = 60
    return chart


def add_chart(sheet: Worksheet, spec: ChartSpec, header_row: int) -> None:
    """A chart of `spec` beside its table, which starts with its header at `header_row`."""
    rows = len(spec.table.rows)
    count = len(spec.series_names)
    chart = _chart(spec)
    chart.title = spec.title
    chart.style = 2
    chart.height = max(7.5, 0.7 * rows + 2) if spec.kind == "bar" else 8.5
    chart.width = 18
    data = Reference(
        sheet, min_col=2, max_col=1 + count, min_row=header_row, max_row=header_row + rows
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(
        Reference(sheet, min_col=1, min_row=header_row + 1, max_row=header_row + rows)
    )
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        if isinstance(chart, LineChart):
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 28575  # 2.25 pt
            series.smooth = False
            if index:
                series.graphicalProperties.line.dashStyle = "dash"
        else:
            series.graphicalProperties.solidFill = colour
    value_axis, category_axis = chart.y_axis, chart.x_axis
    value_axis.numFmt = DECIMAL_FORMAT if spec.decimals else NUMBER_FORMAT
    value_axis.majorGridlines = ChartLines()
    value_axis.title = spec.value_title or None
    # openpyxl 3.1 marks axes deleted unless told otherwise; Excel would draw none.
    value_axis.delete = False
    category_axis.delete = False
    if spec.kind == "bar":
        category_axis.scaling.orientation = "maxMin"  # the first category on top, as the table
    if count < 2:
        chart.legend = None
    elif chart.legend is not None:
        chart.legend.position = "b"
    sheet.add_chart(chart, f"{get_column_letter(len(spec.table.columns) + 2)}{header_row}")
