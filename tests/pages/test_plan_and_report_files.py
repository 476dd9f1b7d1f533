"""The plan page and the report files the figures page serves (the HTML report under its own
policy, the workbook with its charts, the CSV with its byte-order mark), checked against the
samples' expected reports."""

from __future__ import annotations

import base64
import hashlib
import io
import re

from openpyxl import load_workbook

from domain.values import CATEGORIES
from tests.formats.conftest import load_sample
from tests.formats.test_charts_and_files import _categories, _charts, _series_values
from tests.pages.conftest import Pages

ANNUAL = load_sample("moss-2023.annual-2023.json")
STATUS_2024 = load_sample("moss-2023.status-2024-12-31.json")


def _style_hash(page: str) -> str:
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style
    return "sha256-" + base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()


def test_the_html_report_is_served_with_the_municipality_date_definitions_and_charts(
    pages: Pages,
) -> None:
    pages.sign_in("leif")
    figures = pages.client.get("/app/tall?dato=2023-09-01&aar=2023").text
    assert "/app/tall/status.html?dato=2023-09-01" in figures
    assert "/app/tall/arsrapport.html?aar=2023" in figures
    answer = pages.client.get("/app/tall/arsrapport.html?aar=2023")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    page = answer.text
    policy = answer.headers["content-security-policy"]
    assert f"style-src '{_style_hash(page)}'" in policy
    assert "script-src" not in policy and "default-src 'none'" in policy
    assert "Moss kommune (3103)" in page and "Årsrapport 2023" in page
    assert "Laget 21.11.2026" in page
    assert "Definisjoner av tallene" in page
    assert page.count('<svg viewBox="') == 3 and page.count("<figcaption>") == 3
    assert "style=" not in page
    status = pages.client.get("/app/tall/status.html?dato=2023-09-01")
    assert status.status_code == 200 and "Statusrapport per 01.09.2023" in status.text
    assert ">193<" in status.text


def test_the_annual_workbook_charts_the_year_month_by_month_as_the_report_counts_it(
    pages: Pages,
) -> None:
    pages.sign_in("leif")
    answer = pages.client.get("/app/tall/arsrapport.xlsx?aar=2023")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    charts = _charts(book)
    assert len(charts) == 3
    waiting = _series_values(book, charts["Venteliste per måned"])[0]
    assert len(waiting) == 12 and waiting[-1] == ANNUAL["waiting_list"]["end"] == 158
    assert _categories(book, charts["Venteliste per måned"])[-1] == "desember 2023"
    nights = _series_values(book, charts["Netter per måned"])[0]
    assert sum(nights) == ANNUAL["temporary_housing"]["nights"] == 2312
    complaints = _series_values(book, charts["Naboklager per skolekrets"])[0]
    assert sum(complaints) == ANNUAL["complaints"]["received"]


def test_the_downloaded_csv_starts_with_a_byte_order_mark(pages: Pages) -> None:
    answer = pages.sign_in("leif").client.get("/app/tall/status.csv?dato=2023-09-01")
    assert answer.content[:3] == b"\xef\xbb\xbf"
    assert answer.content[3:9] == b"Tabell"
    assert pages.client.get("/app/tall/status.pdf").status_code == 404


def _plan_rows(page: str) -> dict[str, list[str]]:
    rows = {}
    for row in re.findall(r'<tr role="row">(.*?)</tr>', page, re.S):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        if cells:
            rows.setdefault(cells[0], cells[1:])
    return rows


def test_the_plan_page_shows_each_target_with_its_years_and_a_chart(pages: Pages) -> None:
    pages.sign_in("leif")
    figures = pages.client.get("/app/tall?dato=2023-09-01&aar=2023").text
    assert 'href="/app/plan"' in figures
    answer = pages.client.get("/app/plan")
    assert answer.status_code == 200
    page = answer.text
    assert "<h1>Boligplanens mål – tall per 21.11.2026</h1>" in page
    assert "Moss kommune (3103)" in page
    # Moss's ten targets (domain/municipalities/moss.toml, the seed's working table)
    assert page.count("<figure") == 10 and page.count("<figcaption>") == 10
    assert "Venteliste: 193 → 93 innen 2035" in page
    overview = _plan_rows(page)
    assert overview["Venteliste"][:4] == ["193", "01.09.2023", "93", "2035"]
    assert overview["Kommunale småhus"][:4] == ["4", "01.09.2023", "30", "2035"]
    years = re.findall(
        r"<tr role=\"row\"><th scope=\"row\" role=\"rowheader\">2024</th>(.*?)</tr>", page
    )
    actual_2024 = [
        int(re.sub(r"<[^>]+>|\D", "", re.findall(r"<td[^>]*>(.*?)</td>", y)[0])) for y in years
    ]
    categories = STATUS_2024["dwellings"]["by_category"]
    assert actual_2024 == [
        STATUS_2024["waiting_list"]["total"],
        STATUS_2024["dwellings"]["total_municipal"],
        *(categories[c] for c in CATEGORIES if c != "referral"),
        categories["referral"],
    ]
    assert "Definisjoner av tallene" in page


def test_the_plan_workbook_charts_every_target_against_its_path(pages: Pages) -> None:
    pages.sign_in("leif")
    answer = pages.client.get("/app/plan/boligplan.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames[:2] == ["Forside", "Boligplanens mål"]
    charts = _charts(book)
    assert sorted(charts, key=lambda name: int(name.split()[1])) == [
        f"Mål {n}" for n in range(1, 11)
    ]
    actual, path = _series_values(book, charts["Mål 1"])
    assert _categories(book, charts["Mål 1"]) == ["2023", "2024", "2025", "2026"]
    assert actual[1] == STATUS_2024["waiting_list"]["total"]
    assert path[0] > path[-1] > 93  # the path falls from 193 towards 93
    html = pages.client.get("/app/plan/boligplan.html")
    assert html.status_code == 200 and html.text.count("<svg") == 10


def test_the_plan_is_for_leaders_and_admins_not_field_users(pages: Pages) -> None:
    home = pages.sign_in("anne").client.get("/app/plan")
    assert home.status_code == 200
    assert '<a href="/app/plan" aria-current="page">Boligplan</a>' in home.text
    assert pages.sign_in("hanne").client.get("/app/plan").status_code == 403
    assert pages.client.get("/app/plan/boligplan.xlsx").status_code == 403
