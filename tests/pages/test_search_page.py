"""The search box in every page's header and the search page /app/sok: a case worker finds
"Østby" by typing "ostby" and by the national id with a space, and opens the case (also in
Debian's Chromium at phone width); a field user finds only the team's cases; what a search
shows is logged, never its text."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from domain.application import Boligspor
from domain.demo import national_id
from tests.pages.conftest import Moss, Pages
from tests.pages.test_in_the_browser import check_phone_layout, phone, sign_in

__all__ = ["phone"]  # the phone-sized page of the browser tests, reused

OSTBY = "S-SOK-OSTBY"
OSTBY_ID = national_id(random.Random(31), date(1981, 11, 2))
OSTBY_SPACED = f"{OSTBY_ID[:6]} {OSTBY_ID[6:]}"


def with_ostby(service: Boligspor) -> None:
    """Kari Østby's case (no team), stored once per store (the same event id after that)."""
    service.submit(
        [
            (
                1,
                {
                    "id": "sok-ostby-opened",
                    "type": "CaseOpened",
                    "case": OSTBY,
                    "on": "2026-11-02",
                    "household": {"adults": 2, "children": 3},
                    "group": "families",
                    "situation": "temporary",
                    "person": {"name": "Kari Østby", "national_id": OSTBY_ID},
                },
            )
        ]
    )


def search(pages: Pages, text: str) -> str:
    answer = pages.client.get("/app/sok", params={"q": text})
    assert answer.status_code == 200, answer.text
    return answer.text


def shown(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/app/saker/([^"]+)">', html)


def test_every_signed_in_page_has_the_one_search_box(pages: Pages) -> None:
    assert 'id="sok-tekst"' not in pages.client.get("/app/logg-inn").text
    pages.sign_in("kari")
    for path in ("/app/mine", "/app/venteliste", "/app/saker/S-00002", "/app/sok"):
        html = pages.client.get(path).text
        assert html.count('role="search"') == 1, path
        assert 'action="/app/sok"' in html, path


def test_a_case_worker_finds_ostby_by_ostby_and_by_the_id_with_a_space(
    pages: Pages, moss: Moss
) -> None:
    with_ostby(moss.service)
    pages.sign_in("kari")
    for text in ("ostby", "Østby", OSTBY_SPACED):
        html = search(pages, text)
        assert shown(html) == [OSTBY], text
        assert "Kari Østby" in html and "Barnefamilier" in html
    assert 'value="ostby"' in search(pages, "ostby")  # the box keeps what was typed
    assert pages.client.get(f"/app/saker/{OSTBY}").status_code == 200
    assert shown(search(pages, "ingen slik person")) == []


def test_a_field_user_finds_only_the_teams_cases(pages: Pages, moss: Moss) -> None:
    with_ostby(moss.service)
    pages.sign_in("ola")  # caretaker team
    assert shown(search(pages, "ostby")) == []
    assert shown(search(pages, OSTBY_ID)) == []
    surname = moss.service.case_person("S-00002")["name"].split()[-1]
    found = shown(search(pages, surname))
    assert "S-00002" in found


def test_what_a_search_showed_is_logged_without_the_text(pages: Pages, moss: Moss) -> None:
    with_ostby(moss.service)
    pages.sign_in("kari")
    search(pages, OSTBY_SPACED)
    sql = moss.service.sql
    rows = sql.query(
        f"SELECT user_name, case_ref, route, reason FROM {sql.table('access_log')}"
        " WHERE route = 'GET /app/sok' ORDER BY id DESC LIMIT 1"
    )
    assert rows == [("kari", OSTBY, "GET /app/sok", None)]
    everything = repr(sql.query(f"SELECT * FROM {sql.table('access_log')}"))
    assert OSTBY_ID not in everything and OSTBY_ID[:6] not in everything


@pytest.mark.browser
def test_in_chromium_a_case_worker_types_ostby_and_the_id_and_opens_the_case(
    phone: Page,
    live_server: tuple[str, Moss],
) -> None:
    base, moss = live_server
    with_ostby(moss.service)
    page = phone
    sign_in(page, base, moss, "kari")
    for text in ("ostby", OSTBY_SPACED):
        box = page.get_by_role("searchbox", name="Søk etter person eller sak")
        box.fill(text)
        box.press("Enter")
        expect(page.get_by_role("heading", name="Søk", level=1)).to_be_visible()
        expect(page.get_by_text("Kari Østby")).to_be_visible()
        page.get_by_role("link", name=OSTBY).click()
        expect(page.get_by_role("heading", name=f"Sak {OSTBY}", level=1)).to_be_visible()
    page.goto(f"{base}/app/sok?q=ostby")
    check_phone_layout(page, "40-sok")


def test_a_page_number_that_is_no_number_shows_the_first_page(pages: Pages, moss: Moss) -> None:
    with_ostby(moss.service)
    pages.sign_in("kari")
    answer = pages.client.get("/app/sok", params={"q": "ostby", "side": "x1"})
    assert answer.status_code == 200 and shown(answer.text) == [OSTBY]
