"""Every format renders every sample report; the numbers a reader sees are the report's."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from projections.formats import FORMATS, UnknownFormatError, render, tables_for
from projections.suppression import SMALL, WITHHELD, suppress
from tests.formats.conftest import load_sample, sample_reports

SAMPLES = sample_reports()
IDS = [name for name, _, _ in SAMPLES]
SEED = "moss-2023.status-2023-09-01.json"


def _at(report: Any, key: str) -> Any:
    for step in key.split("."):
        report = report[int(step)] if isinstance(report, list) else report[step]
    return report


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=IDS)
def test_every_format_renders_every_sample_report_plain_and_suppressed(
    name: str, kind: str, report: dict[str, Any], fmt: str
) -> None:
    for version in (report, suppress(report)):
        out = render(version, kind, fmt)
        assert out
        assert isinstance(out, bytes if fmt == "xlsx" else str)


@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=IDS)
def test_json_keeps_the_report_and_its_key_order(
    name: str, kind: str, report: dict[str, Any]
) -> None:
    out = render(report, kind, "json")
    assert isinstance(out, str)
    assert out == json.dumps(report, ensure_ascii=False, indent=1)
    assert list(json.loads(out)) == list(report)


def test_the_table_shows_the_seed_working_table() -> None:
    out = render(load_sample(SEED), "status", "table")
    assert isinstance(out, str)
    lines = out.splitlines()

    def number_on(start: str) -> int:
        line = next(line for line in lines if line.startswith(start))
        return int(line.split()[-1])

    assert number_on("VENTELISTE TOTALT") == 193
    assert [number_on(g) for g in ("Barnefamilier  ", "Barnefamilier –", "Enslige/par")] == [
        53,
        19,
        42,
    ]
    assert number_on("Psykiske lidelser/rus") == 47
    assert number_on("Andre problemer") == 32
    assert number_on("TOTALT ANTALL KOMMUNALE BOLIGER") == 831
    categories = ("Ordinære kommunale", "Ordinære helkommunale", "Boliger med livsløp", "Innleide")
    assert [number_on(c) for c in categories] == [220, 393, 208, 6]
    assert number_on("Kommunale småhus") == 4
    assert number_on("Boliger med tilvisningsavtale ") == 152
    assert number_on("UFB – UTEN FAST BOLIG TOTALT") == 37
    assert number_on("UFB – familier med barn") == 13
    district_rows = {
        line.split()[-4]: [int(n) for n in line.split()[-3:]]
        for line in lines
        if re.match(r"^\s*(\S+\s+)?\S+\s+\d+\s+\d+\s+\d+$", line)
    }
    assert district_rows["Ramberg"] == [52, 159, 211]
    assert district_rows["Bytårnet"] == [52, 58, 110]
    assert district_rows["Øreåsen"] == [0, 37, 37]
    assert district_rows["Åvangen"] == [0, 58, 58]
    assert "Jeløy" in out and "Søndre" in out


def test_the_table_writes_each_area_once_above_its_districts() -> None:
    out = render(load_sample(SEED), "status", "table")
    assert isinstance(out, str)
    assert re.search(r"^Jeløy\s+Ramberg", out, re.M)
    assert re.search(r"^\s+Refsnes", out, re.M)


@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=IDS)
def test_the_csv_parses_and_its_numbers_are_the_reports(
    name: str, kind: str, report: dict[str, Any]
) -> None:
    for version in (report, suppress(report)):
        out = render(version, kind, "csv")
        assert isinstance(out, str)
        assert out.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
        assert rows[0] == ["Tabell", "Rad", "Kolonne", "Verdi", "Nøkkel"]
        keyed = [row for row in rows[1:] if row[4]]
        assert keyed
        for _table, _row, _column, value, key in keyed:
            expected = _at(version, key)
            assert value == ("" if expected is None else str(expected)), key


def test_the_csv_covers_every_figure_of_the_status_report() -> None:
    report = load_sample(SEED)
    out = render(report, "status", "csv")
    assert isinstance(out, str)
    keys = {row[4] for row in csv.reader(io.StringIO(out), delimiter=";")}
    assert "waiting_list.by_group.families" in keys
    assert "dwellings.by_district.larkollen.other" in keys
    assert "leases_expiring_90_days" in keys


@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=IDS)
def test_the_workbook_has_one_sheet_per_table_and_numbers_as_numbers(
    name: str, kind: str, report: dict[str, Any]
) -> None:
    published = suppress(report)
    out = render(published, kind, "xlsx")
    assert isinstance(out, bytes)
    book = load_workbook(io.BytesIO(out))
    tables = tables_for(published, kind)
    assert book.sheetnames[0] == "Forside"
    table_sheets = book.worksheets[1 : 1 + len(tables)]
    for sheet, table in zip(table_sheets, tables, strict=True):
        assert sheet["A1"].value == table.title
        assert [c.value or "" for c in sheet[3]] == list(table.columns)
        assert sheet["A3"].font.bold
        for offset, row in enumerate(table.rows, start=4):
            for column, cell in enumerate(row.cells, start=1):
                stored = sheet.cell(offset, column).value
                if isinstance(cell.value, int):
                    assert stored == cell.value
                    assert isinstance(stored, int)
                elif cell.value in (SMALL, WITHHELD):
                    assert stored == cell.value
                elif cell.value is None:
                    assert stored is None


def test_the_seed_workbook_stores_831_as_a_number() -> None:
    out = render(load_sample(SEED), "status", "xlsx")
    assert isinstance(out, bytes)
    book = load_workbook(io.BytesIO(out))
    values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert 831 in values and 193 in values and 152 in values


@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=IDS)
def test_the_page_is_self_contained_and_has_a_chart(
    name: str, kind: str, report: dict[str, Any]
) -> None:
    out = render(suppress(report), kind, "html")
    assert isinstance(out, str)
    assert out.startswith("<!DOCTYPE html>")
    assert '<html lang="nb">' in out
    assert "http://" not in out and "https://" not in out
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", out)
    assert "<svg" in out and "<title id=" in out and "<desc id=" in out
    assert '<th scope="col"' in out and '<th scope="row"' in out
    assert 'name="viewport"' in out


def test_the_page_draws_the_monthly_series_it_is_given() -> None:
    series = {
        "waiting_list_month_end": [("2023-01", 190), ("2023-02", 195), ("2023-03", SMALL)],
        "nights_per_month": [("2023-01", 420), ("2023-02", 380)],
        "complaints_by_district": {"ramberg": 3, "bytarnet": 7, "unknown": 1},
    }
    out = render(load_sample(SEED), "status", "html", series=series)  # type: ignore[arg-type]
    assert isinstance(out, str)
    assert out.count("<svg") == 4
    assert "Venteliste ved utgangen av hver måned" in out
    assert "Netter i midlertidig botilbud per måned" in out
    assert "Naboklager per skolekrets" in out
    assert "februar 2023" in out
    assert "Bytårnet" in out


def test_an_unknown_format_or_kind_is_refused() -> None:
    report = load_sample(SEED)
    with pytest.raises(UnknownFormatError):
        render(report, "status", "pdf")
    with pytest.raises(UnknownFormatError):
        render(report, "weekly", "table")
