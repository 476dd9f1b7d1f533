"""The office pages: the waiting list as of a day, the reports with charts and downloads, the
dwellings, and the flags of the team's list."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from api.pages.case_list import CaseRow, LatestFollowUp, flags_of
from tests.pages.conftest import Pages

GROUP_COUNTS = {
    "Barnefamilier": 53,
    "Barnefamilier – tilrettelagt": 19,
    "Enslige/par – tilrettelagt": 42,
    "Psykiske lidelser/rus": 47,
    "Andre problemer (enslige, samlivsbrudd o.l.)": 32,
}


def row_count(html: str, label: str) -> int:
    found = re.search(rf'<th scope="row">{re.escape(label)}</th><td class="n">(\d+)</td>', html)
    assert found, label
    return int(found.group(1))


def test_a_leader_sees_the_waiting_list_on_2023_09_01_by_group_without_cases(
    pages: Pages,
) -> None:
    page = pages.sign_in("leif").client.get("/app/venteliste?dato=2023-09-01").text
    assert '<strong id="total">193</strong>' in page
    for label, count in GROUP_COUNTS.items():
        assert row_count(page, label) == count
    assert [row_count(page, p) for p in ("Haster", "Høy", "Normal")] == [55, 54, 84]
    assert "Median ventetid (dager): 408" in page
    assert "/app/saker/" not in page
    assert "Listen over enkeltsaker vises bare for saksbehandlere." in page


def test_a_case_worker_sees_each_case_on_the_waiting_list_with_days_waited(
    pages: Pages,
) -> None:
    page = pages.sign_in("kari").client.get("/app/venteliste?dato=2023-09-01").text
    # the working list of issue 13: a table, 100 households a page, each linked to its case
    assert page.count('<tr data-case="') == page.count('<th scope="row"><a href="/app/saker/')
    assert page.count('<tr data-case="') == 100 and "193 husstander" in page
    assert "Dager ventet" in page


def test_a_field_user_has_no_waiting_list_and_a_bad_date_is_explained(pages: Pages) -> None:
    assert pages.sign_in("hanne").client.get("/app/venteliste").status_code == 403
    answer = pages.sign_in("leif").client.get("/app/venteliste?dato=2023-13-01")
    assert answer.status_code == 400
    assert "Ugyldig dato" in answer.text


def test_the_figures_page_shows_both_reports_with_charts_and_download_links(
    pages: Pages,
) -> None:
    page = pages.sign_in("leif").client.get("/app/tall?dato=2023-09-01&aar=2023").text
    assert "Statusrapport 01.09.2023" in page and "Årsrapport 2023" in page
    assert page.count("<svg") >= 3
    assert "Venteliste ved utgangen av hver måned" in page
    for link in (
        "/app/tall/status.xlsx?dato=2023-09-01",
        "/app/tall/status.csv?dato=2023-09-01",
        "/app/tall/arsrapport.xlsx?aar=2023",
        "/app/tall/arsrapport.csv?aar=2023",
    ):
        assert link in page


def test_the_downloads_are_a_spreadsheet_and_a_csv_with_norwegian_labels(pages: Pages) -> None:
    pages.sign_in("leif")
    xlsx = pages.client.get("/app/tall/status.xlsx?dato=2023-09-01")
    assert xlsx.status_code == 200
    assert 'filename="status-2023-09-01.xlsx"' in xlsx.headers["content-disposition"]
    assert zipfile.ZipFile(io.BytesIO(xlsx.content)).namelist()
    answer = pages.client.get("/app/tall/status.csv?dato=2023-09-01")
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff")), delimiter=";"))
    assert ["Venteliste", "Venteliste totalt", "Antall 01.09.2023", "193"] in [r[:4] for r in rows]
    assert "Venteliste" in answer.text
    annual = pages.client.get("/app/tall/arsrapport.csv?aar=2023")
    assert annual.status_code == 200 and "Søknader mottatt" in annual.text
    assert pages.client.get("/app/tall/status.pdf").status_code == 404


def test_the_published_version_hides_small_counts(pages: Pages) -> None:
    page = pages.sign_in("leif").client.get("/app/tall?dato=2023-09-01&offentlig=1").text
    assert "&lt;5" in page


def test_a_field_user_has_no_figures(pages: Pages) -> None:
    assert pages.sign_in("hanne").client.get("/app/tall").status_code == 403


def test_the_dwellings_page_shows_occupancy_by_district_and_complaints_by_address(
    pages: Pages,
) -> None:
    page = pages.sign_in("ola").client.get("/app/boliger?dato=2023-09-01&aar=2023").text
    total = re.search(r'<tr class="total">.*?<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>', page, re.S)
    assert total and (int(total.group(1)), int(total.group(2))) == (831, 682)
    assert "Øreåsen" in page and "(Jeløy)" in page
    assert "Naboklager per adresse 2023" in page
    assert re.search(r'<th scope="row">B-\d{4}', page)


def make_row(**fields: object) -> CaseRow:
    row = CaseRow("S-1", "families", 1, 0)
    for name, value in fields.items():
        setattr(row, name, value)
    return row


def test_flags_name_long_stays_children_in_stays_ending_leases_and_silence() -> None:
    day = "2026-11-21"
    recent = LatestFollowUp("2026-11-10", "housing_first", "phone", 10)
    assert flags_of(make_row(latest=recent), day) == []
    assert flags_of(make_row(latest=recent, stay_nights=91), day) == ["flag.stay_over_90"]
    assert flags_of(make_row(latest=recent, stay_nights=90), day) == []
    assert flags_of(make_row(latest=recent, stay_nights=3, children=2), day) == [
        "flag.children_in_temporary"
    ]
    assert flags_of(make_row(latest=recent, lease_until="2027-02-19"), day) == ["flag.lease_ending"]
    assert flags_of(make_row(latest=recent, lease_until="2027-02-20"), day) == []
    assert flags_of(make_row(latest=recent, lease_until="2026-11-21"), day) == []
    old = LatestFollowUp("2026-11-07", "housing_first", "phone", 10)
    assert flags_of(make_row(latest=old), day) == ["flag.no_follow_up_14"]
    assert flags_of(make_row(), day) == ["flag.no_follow_up_14"]
