"""The charts in every format, checked against the samples' expected reports: the workbook's
native charts (counted, their series' cell references resolved and compared with the JSON),
its front sheet and full sheet names, the CSV's byte-order mark, and the HTML page's
matplotlib charts with their text alternatives."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook

from projections.formats import render, tables_for
from projections.formats.charts import chart_svg
from projections.formats.spreadsheet import table_sheet_title
from projections.labels import CATALOGUES, label
from projections.suppression import suppress
from tests.formats.conftest import load_sample, sample_reports

SAMPLES = sample_reports()
IDS = [name for name, _, _ in SAMPLES]
SEED = "moss-2023.status-2023-09-01.json"
ANNUAL = "moss-2023.annual-2023.json"
MADE = date(2026, 12, 2)
SERIES = {
    "waiting_list_month_end": [("2023-01", 190), ("2023-02", 195), ("2023-03", "<5")],
    "nights_per_month": [("2023-01", 420), ("2023-02", 380), ("2023-03", 1234)],
}
EXPECTED_CHARTS = {"status": 1, "annual": 1, "by_name_list": 1}


def _book(report: dict[str, Any], kind: str, **options: Any) -> Workbook:
    out = render(report, kind, "xlsx", made_on=MADE, **options)
    assert isinstance(out, bytes)
    return load_workbook(io.BytesIO(out))


def _resolve(book: Workbook, reference: str) -> list[Any]:
    """The values of the cells an Excel reference like 'Sheet'!$B$4:$B$9 names."""
    sheet_part, _, cells = reference.rpartition("!")
    sheet = book[sheet_part.strip("'").replace("''", "'")]
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    assert min_col is not None and min_row is not None and max_row is not None
    return [
        sheet.cell(row, column).value
        for row in range(min_row, max_row + 1)
        for column in range(min_col, (max_col or min_col) + 1)
    ]


def _charts(book: Workbook) -> dict[str, Any]:
    found = {}
    for sheet in book.worksheets:
        for chart in sheet._charts:
            found[sheet.title] = chart
    return found


def _series_values(book: Workbook, chart: Any) -> list[list[Any]]:
    return [_resolve(book, series.val.numRef.f) for series in chart.series]


def _categories(book: Workbook, chart: Any) -> list[Any]:
    reference = chart.series[0].cat
    ref = reference.strRef.f if reference.strRef is not None else reference.numRef.f
    return _resolve(book, ref)


@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=IDS)
def test_every_workbook_has_its_charts_a_front_sheet_and_full_sheet_names(
    name: str, kind: str, report: dict[str, Any]
) -> None:
    book = _book(report, kind)
    assert len(_charts(book)) == EXPECTED_CHARTS.get(kind, 0)
    tables = tables_for(report, kind)
    assert book.sheetnames[0] == "Forside"
    names = set(CATALOGUES["nb"].values())
    for sheet, table in zip(book.worksheets[1:], tables, strict=False):
        assert sheet.title == table_sheet_title(table)
        assert len(sheet.title) <= 31
        assert sheet.title in names, f"{sheet.title!r} is not a full label (cut?)"
    for title in book.sheetnames:
        assert title in names, title


def test_the_status_workbook_charts_the_waiting_list_by_group_from_its_cells() -> None:
    report = load_sample(SEED)
    book = _book(report, "status")
    chart = _charts(book)["Venteliste etter gruppe"]
    assert chart.tagname == "barChart" and chart.type == "bar"
    assert _series_values(book, chart) == [list(report["waiting_list"]["by_group"].values())]
    assert _series_values(book, chart)[0][:5] == [53, 19, 42, 47, 32]
    assert _categories(book, chart)[0] == "Barnefamilier"
    assert chart.y_axis.majorGridlines is not None
    assert chart.x_axis.delete is False and chart.y_axis.delete is False


def test_the_annual_workbook_charts_the_monthly_series_and_complaints_per_district() -> None:
    report = load_sample(ANNUAL)
    book = _book(report, "annual", series=SERIES)
    charts = _charts(book)
    assert set(charts) == {"Venteliste per måned", "Netter per måned", "Naboklager per skolekrets"}
    waiting = charts["Venteliste per måned"]
    assert waiting.tagname == "lineChart"
    assert _series_values(book, waiting) == [[190, 195, "<5"]]
    assert _categories(book, waiting) == ["januar 2023", "februar 2023", "mars 2023"]
    nights = charts["Netter per måned"]
    assert nights.tagname == "barChart" and nights.type == "col"
    assert _series_values(book, nights) == [[420, 380, 1234]]
    complaints = charts["Naboklager per skolekrets"]
    by_district = report["complaints"]["by_district"]
    values = _series_values(book, complaints)[0]
    assert sorted(values) == sorted(by_district.values())
    assert values[-1] == by_district["unknown"]
    assert sum(values) == report["complaints"]["received"]
    sheet = book["Netter per måned"]
    assert sheet["B6"].value == 1234 and sheet["B6"].number_format == "#,##0"


def test_the_front_sheet_names_the_municipality_the_day_and_the_definitions() -> None:
    class Place:
        name = "Fredrikstad kommune"
        number = "3107"

    book = _book(load_sample(SEED), "status", municipality=Place())
    front = book["Forside"]
    cells = [cell.value for row in front.iter_rows() for cell in row if cell.value is not None]
    assert "Statusrapport per 01.09.2023" in cells
    assert "Fredrikstad kommune (3107)" in cells
    assert front["B4"].value.date() == MADE and front["B4"].number_format == "DD.MM.YYYY"
    assert label("definition.waiting_list") in cells
    assert label("definition.dwellings") in cells
    assert "Kommunale boliger" in cells  # the short sheet name listed with its full title
    assert label("table.dwellings") in cells


@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=IDS)
def test_the_csv_starts_with_a_byte_order_mark(
    name: str, kind: str, report: dict[str, Any]
) -> None:
    out = render(report, kind, "csv")
    assert isinstance(out, str)
    data = out.encode("utf-8")
    assert data[:3] == b"\xef\xbb\xbf"
    assert data[3:9] == b"Tabell"
    assert "Nøkkel".encode() in data[:60]


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", page, re.S)


def test_the_page_draws_matplotlib_charts_with_text_alternatives_that_fit_the_policy() -> None:
    page = render(load_sample(ANNUAL), "annual", "html", series=SERIES, made_on=MADE)
    assert isinstance(page, str)
    svgs = _svgs(page)
    assert len(svgs) == 3
    assert page.count("<figure") == 3 and page.count("<figcaption>") == 3
    for svg in svgs:
        ident = re.search(r'aria-labelledby="([^" ]+)-title" aria-describedby="\1-desc"', svg)
        assert ident, svg[:200]
        assert f'<title id="{ident.group(1)}-title">' in svg
        assert 'role="img"' in svg
        assert "style=" not in svg and "<style" not in svg  # the CSP blocks inline styles
        assert "http" not in svg and "<metadata" not in svg
        ids = re.findall(r' id="([^"]+)"', svg)
        assert all(i.startswith(ident.group(1)) for i in ids)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    waiting = svgs[0]
    assert ">jan<" in waiting and ">feb<" in waiting and ">mar<" in waiting
    assert "<5" not in waiting and "&lt;5" in waiting  # the marker written where the point is
    nights = svgs[1]
    assert ">1\u00a0200<" in nights or ">1\u00a0000<" in nights  # Norwegian thousands
    assert "Netter i midlertidig botilbud: høyest 1\u00a0234 (mars 2023)" in nights
    assert page.count("<details><summary>Tallene i diagrammet</summary><table") == 3


def test_the_page_names_the_municipality_the_day_and_the_definitions() -> None:
    page = render(load_sample(SEED), "status", "html", made_on=MADE)
    assert isinstance(page, str)
    assert '<p class="place">Moss kommune (3103)</p>' in page
    assert "Laget 02.12.2026" in page
    assert '<h2 id="definitions-h">Definisjoner av tallene</h2>' in page
    assert f"<dd>{label('definition.homeless')}</dd>" in page


def test_the_charts_are_the_same_every_time() -> None:
    report = suppress(load_sample(ANNUAL))
    chart_svg.cache_clear()
    first = render(report, "annual", "html", series=SERIES, made_on=MADE)
    chart_svg.cache_clear()
    assert first == render(report, "annual", "html", series=SERIES, made_on=MADE)
