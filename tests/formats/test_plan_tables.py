"""The plan's renderer, from a dict of the shape `projections.plan_progress.plan_progress`
returns (written out by hand here: a year without a figure, a path with decimals, a target
that falls and one that rises)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from projections.formats.plan_tables import PLAN_FORMATS, render_plan
from tests.formats.test_charts_and_files import _categories, _charts, _series_values

PLAN: dict[str, Any] = {
    "municipality": {"name": "Moss", "number": "3103"},
    "as_of": "2026-11-21",
    "targets": [
        {
            "figure": "waiting_list.total",
            "label": "Venteliste",
            "base": {"date": "2023-09-01", "value": 193},
            "target": {"year": 2035, "value": 93},
            "years": [
                {"year": 2023, "actual": 160, "path": 190.5, "on_track": True},
                {"year": 2024, "actual": 200, "path": 182.2, "on_track": False},
                {"year": 2025, "actual": None, "path": 173.9, "on_track": None},
                {"year": 2026, "actual": 150, "path": 166.4, "on_track": True},
            ],
        },
        {
            "figure": "dwellings.by_category.small_house",
            "label": "Kommunale småhus",
            "base": {"date": "2023-09-01", "value": 4},
            "target": {"year": 2035, "value": 30},
            "years": [
                {"year": 2023, "actual": 4, "path": 4.7, "on_track": False},
                {"year": 2024, "actual": 6, "path": 6.8, "on_track": False},
            ],
        },
    ],
}
MADE = date(2026, 11, 21)


def test_the_workbook_has_an_overview_and_a_chart_per_target_over_the_years() -> None:
    out = render_plan(PLAN, "xlsx", made_on=MADE)
    assert isinstance(out, bytes)
    book = load_workbook(io.BytesIO(out))
    assert book.sheetnames == ["Forside", "Boligplanens mål", "Mål 1", "Mål 2"]
    overview = book["Boligplanens mål"]
    assert [c.value for c in overview[4]] == [
        "Venteliste", 193, "01.09.2023", 93, "2035", 150, "Ja"
    ]  # fmt: skip
    charts = _charts(book)
    assert len(charts) == 2
    first = charts["Mål 1"]
    assert first.tagname == "lineChart" and len(first.series) == 2
    actual, path = _series_values(book, first)
    assert actual == [year["actual"] for year in PLAN["targets"][0]["years"]]
    assert path == [year["path"] for year in PLAN["targets"][0]["years"]]
    assert _categories(book, first) == ["2023", "2024", "2025", "2026"]
    assert book["Mål 1"]["C4"].number_format == "#,##0.0"
    assert book["Mål 1"]["D5"].value == "Nei"
    assert book["Mål 1"]["A1"].value == "Venteliste: 193 → 93 innen 2035"
    assert _series_values(book, charts["Mål 2"]) == [[4, 6], [4.7, 6.8]]
    front = [c.value for row in book["Forside"].iter_rows() for c in row if c.value]
    assert "Moss kommune (3103)" in front and "Boligplanens mål – tall per 21.11.2026" in front


def test_the_page_shows_the_overview_first_then_a_captioned_chart_per_target() -> None:
    page = render_plan(PLAN, "html", made_on=MADE)
    assert isinstance(page, str)
    assert page.index("<caption>Boligplanens mål</caption>") < page.index("<figure")
    assert page.count("<figure") == 2 and page.count("<figcaption>") == 2
    svg = re.findall(r"<svg.*?</svg>", page, re.S)[0]
    assert ">2023<" in svg and ">2026<" in svg
    assert "Rett linje mot målet" in svg  # the legend names both series
    assert "Faktisk: høyest 200 (2024), lavest 150 (2026), siste 150 (2026)." in svg
    assert '<td class="n" role="cell" data-label="Rett linje mot målet">190,5</td>' in page
    assert "Moss kommune (3103)" in page and "Definisjoner av tallene" in page


@pytest.mark.parametrize("fmt", PLAN_FORMATS)
def test_every_format_renders_the_plan(fmt: str) -> None:
    out = render_plan(PLAN, fmt, made_on=MADE)
    assert out
    if fmt == "json":
        assert json.loads(out) == PLAN
    if fmt == "csv":
        assert isinstance(out, str) and out.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
        assert ["Venteliste: 193 → 93 innen 2035", "2024", "Faktisk", "200", ""] in rows
    if fmt == "table":
        assert isinstance(out, str) and "190,5" in out


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="pdf"):
        render_plan(PLAN, "pdf")
