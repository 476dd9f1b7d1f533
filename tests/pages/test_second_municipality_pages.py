"""The office pages of a second municipality show its school districts, not Moss's."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api.users import UserStore
from domain.application import Boligspor
from tests.conftest import TODAY_NOW, make_settings
from tests.municipalities import TESTVIK
from tests.pages.conftest import Moss, Pages, pages_app


@pytest.fixture(scope="module")
def testvik_pages(tmp_path_factory: pytest.TempPathFactory) -> Pages:
    folder: Path = tmp_path_factory.mktemp("testvik")
    settings = make_settings(f"sqlite:///{folder / 'testvik.sqlite'}").model_copy(
        update={"municipality": TESTVIK}
    )
    service = Boligspor(settings, clock=lambda: TODAY_NOW)
    events = [
        {"id": f"d{n}", "type": "DwellingRegistered", "dwelling": f"B-{n:04d}", "on": "2024-01-02",
         "category": "ordinary_municipal", "district": district, "rooms": 2}
        for n, district in enumerate(("sjosiden", "sjosiden", "bukta"), 1)
    ]  # fmt: skip
    service.submit([(n, json.dumps(e)) for n, e in enumerate(events, 1)])
    users = UserStore(service.sql)
    users.ensure_table()
    municipality = Moss(settings, service)
    municipality.tokens["leif"] = users.add("leif", "leader", None, now=TODAY_NOW)[1]
    return Pages(pages_app(municipality), municipality).sign_in("leif")


def test_the_dwellings_page_lists_testvik_districts_with_their_areas(
    testvik_pages: Pages,
) -> None:
    page = testvik_pages.client.get("/app/boliger?dato=2024-03-01&aar=2024").text
    assert "Sjøsiden" in page and "(Nord)" in page and "Bukta" in page and "(Sør)" in page
    assert "Ramberg" not in page and "Jeløy" not in page


def test_the_figures_page_and_its_download_use_testvik_districts_and_heading(
    testvik_pages: Pages,
) -> None:
    page = testvik_pages.client.get("/app/tall?dato=2024-03-01&aar=2024").text
    assert "Sjøsiden" in page and "Ramberg" not in page
    download = testvik_pages.client.get("/app/tall/status.xlsx?dato=2024-03-01")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.content))
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert any(c.startswith("Testvik kommune – Boligkontoret: Statusrapport") for c in cells)
    assert "Sjøsiden" in cells and "Ramberg" not in cells
